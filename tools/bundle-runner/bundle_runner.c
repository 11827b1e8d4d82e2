/*===- bundle_runner.c - Run a generated QuantOpt bundle on a data set ----===*
 *
 * Part of the QuantOpt project, under the Apache License v2.0 with LLVM
 * Exceptions.
 *
 *===----------------------------------------------------------------------===*
 *
 * Compiled together with a generated NAME.c:
 *
 *   cc -std=c99 -O2 -DBUNDLE=NAME -DBUNDLE_HEADER='"NAME.h"' -Iout \
 *      bundle_runner.c out/NAME.c -o runner
 *   runner INPUTS.f32 COUNT OUT_INT8.bin OUT_FLOAT.f32
 *
 * INPUTS.f32 holds COUNT inputs of NAME_INPUT_SIZE little-endian floats.
 * For each input it calls NAME_run (float in, float out) and writes its
 * outputs, and calls NAME_run_int8 on the input quantized here (ONNX
 * QuantizeLinear: x / scale, round half to even, + zero point, saturate)
 * and writes those int8 outputs. The two entry points must agree: NAME_run's
 * outputs are the dequantized NAME_run_int8 outputs, or the runner fails.
 *
 * With -DBUNDLE_FLOAT_API (a model with a float input or output, whose
 * header says NAME_RUN_INT8_AVAILABLE 0) only NAME_run is called, the
 * runner checks that NAME_run_int8 returns 3, and OUT_INT8.bin stays empty.
 *
 *===----------------------------------------------------------------------===*/

#include BUNDLE_HEADER

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(BUNDLE, s)

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s INPUTS.f32 COUNT OUT_INT8.bin OUT_FLOAT.f32\n",
            argv[0]);
    return 2;
  }
  long count = strtol(argv[2], NULL, 10);
  FILE *in = fopen(argv[1], "rb");
  FILE *outQ = fopen(argv[3], "wb");
  FILE *outF = fopen(argv[4], "wb");
  if (!in || !outQ || !outF || count <= 0) {
    fprintf(stderr, "bundle_runner: cannot open files or bad count\n");
    return 2;
  }
  static float input[SYM(_INPUT_SIZE)];
  static float output[SYM(_OUTPUT_SIZE)];
  static int8_t outputQ[SYM(_OUTPUT_SIZE)];
  static unsigned char arena[SYM(_ARENA_SIZE) + SYM(_ARENA_ALIGN)];
  void *aligned = arena + (SYM(_ARENA_ALIGN) -
                           ((uintptr_t)arena % SYM(_ARENA_ALIGN))) %
                              SYM(_ARENA_ALIGN);
  for (long i = 0; i < count; ++i) {
    if (fread(input, sizeof(float), SYM(_INPUT_SIZE), in) !=
        SYM(_INPUT_SIZE)) {
      fprintf(stderr, "bundle_runner: input file too short at sample %ld\n",
              i);
      return 1;
    }
    if (SYM(_run)(input, output, aligned) != 0) {
      fprintf(stderr, "bundle_runner: NAME_run failed\n");
      return 1;
    }
    fwrite(output, sizeof(float), SYM(_OUTPUT_SIZE), outF);
#ifdef BUNDLE_FLOAT_API
    if (SYM(_run_int8)(NULL, NULL, aligned) != 3 ||
        SYM(_run_int8)((const int8_t *)input, outputQ, aligned) != 3) {
      fprintf(stderr, "bundle_runner: NAME_run_int8 should return 3\n");
      return 1;
    }
#else
    static int8_t inputQ[SYM(_INPUT_SIZE)];
    for (long j = 0; j < SYM(_INPUT_SIZE); ++j) {
      float q = nearbyintf(input[j] / (float)SYM(_INPUT_SCALE)) +
                (float)SYM(_INPUT_ZERO_POINT);
      inputQ[j] = (int8_t)(q < -128.0f ? -128 : q > 127.0f ? 127 : q);
    }
    if (SYM(_run_int8)(inputQ, outputQ, aligned) != 0) {
      fprintf(stderr, "bundle_runner: NAME_run_int8 failed\n");
      return 1;
    }
    for (long j = 0; j < SYM(_OUTPUT_SIZE); ++j) {
      float expect = ((float)outputQ[j] - (float)SYM(_OUTPUT_ZERO_POINT)) *
                     (float)SYM(_OUTPUT_SCALE);
      if (expect != output[j]) {
        fprintf(stderr,
                "bundle_runner: sample %ld output %ld: run gives %.9g, "
                "run_int8 gives %d (dequantized %.9g)\n",
                i, j, output[j], outputQ[j], expect);
        return 1;
      }
    }
    fwrite(outputQ, 1, SYM(_OUTPUT_SIZE), outQ);
#endif
  }
  fclose(in);
  fclose(outQ);
  fclose(outF);
  return 0;
}
