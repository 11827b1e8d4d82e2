/*===- bundle_latency.c - Batch-1 latency of a generated bundle ----------===*
 *
 * Part of the QuantOpt project, under the Apache License v2.0 with LLVM
 * Exceptions.
 *
 *   cc -O2 -DBUNDLE=NAME -DBUNDLE_HEADER='"NAME.h"' bundle_latency.c NAME.c
 *   ./a.out INPUT.f32 RUNS WARMUP
 *
 * Times NAME_run_int8 on one quantized input (the int8 path a deployed app
 * runs) and NAME_run (float in/out); prints one JSON object with medians
 * and 90th percentiles in microseconds.
 *===----------------------------------------------------------------------===*/

#define _POSIX_C_SOURCE 199309L
#include BUNDLE_HEADER

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(BUNDLE, s)

static double nowUs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmpDouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static float input[SYM(_INPUT_SIZE)];
static float output[SYM(_OUTPUT_SIZE)];
static int8_t inputQ[SYM(_INPUT_SIZE)];
static int8_t outputQ[SYM(_OUTPUT_SIZE)];
static unsigned char arenaBuf[SYM(_ARENA_SIZE) + SYM(_ARENA_ALIGN)];

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s INPUT.f32 RUNS WARMUP\n", argv[0]);
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(input, sizeof(float), SYM(_INPUT_SIZE), f) !=
                SYM(_INPUT_SIZE)) {
    fprintf(stderr, "bundle_latency: cannot read %s\n", argv[1]);
    return 2;
  }
  fclose(f);
  long runs = strtol(argv[2], NULL, 10), warmup = strtol(argv[3], NULL, 10);
  if (runs <= 0 || warmup < 0)
    return 2;
  void *arena = arenaBuf + (SYM(_ARENA_ALIGN) -
                            ((uintptr_t)arenaBuf % SYM(_ARENA_ALIGN))) %
                               SYM(_ARENA_ALIGN);
  for (long j = 0; j < SYM(_INPUT_SIZE); ++j) {
    float q = nearbyintf(input[j] / (float)SYM(_INPUT_SCALE)) +
              (float)SYM(_INPUT_ZERO_POINT);
    inputQ[j] = (int8_t)(q < -128.0f ? -128 : q > 127.0f ? 127 : q);
  }
  double *t = malloc(sizeof(double) * runs);
  double *tf = malloc(sizeof(double) * runs);
  if (!t || !tf)
    return 2;
  for (long i = 0; i < warmup; ++i)
    if (SYM(_run_int8)(inputQ, outputQ, arena) || SYM(_run)(input, output, arena))
      return 1;
  for (long i = 0; i < runs; ++i) {
    double t0 = nowUs();
    SYM(_run_int8)(inputQ, outputQ, arena);
    double t1 = nowUs();
    SYM(_run)(input, output, arena);
    double t2 = nowUs();
    t[i] = t1 - t0;
    tf[i] = t2 - t1;
  }
  qsort(t, runs, sizeof(double), cmpDouble);
  qsort(tf, runs, sizeof(double), cmpDouble);
  printf("{\"median_us\": %.3f, \"p90_us\": %.3f, \"float_api_median_us\": "
         "%.3f, \"runs\": %ld}\n",
         t[runs / 2], t[(runs * 9) / 10], tf[runs / 2], runs);
  free(t);
  free(tf);
  return 0;
}
