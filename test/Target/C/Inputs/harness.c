/* Runs the generated tiny_cnn bundle against the vectors of expected.h
 * (computed by tiny_cnn_reference.py) and checks the API contract: error
 * codes, arena bounds, an uninitialized and reused arena, const input. */
#include "tiny_cnn.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "expected.h"

#define GUARD 64
/* The arena with guard bytes on both sides; C99 has no alignas, so the
 * 16-byte aligned start is found by rounding up. */
static unsigned char storage[tiny_cnn_ARENA_ALIGN + GUARD +
                             tiny_cnn_ARENA_SIZE + GUARD];
static unsigned char *bytes;

static int check_guards(void) {
  size_t i;
  for (i = 0; i < GUARD; ++i)
    if (bytes[i] != 0xA5 || bytes[GUARD + tiny_cnn_ARENA_SIZE + i] != 0xA5)
      return 0;
  return 1;
}

int main(void) {
  void *arena;
  int8_t in8[tiny_cnn_INPUT_SIZE], out8[tiny_cnn_OUTPUT_SIZE];
  float out[tiny_cnn_OUTPUT_SIZE];
  int failures = 0, c, k;

  bytes = storage + (tiny_cnn_ARENA_ALIGN -
                     (uintptr_t)storage % tiny_cnn_ARENA_ALIGN) %
                        tiny_cnn_ARENA_ALIGN;
  arena = bytes + GUARD;
  if (tiny_cnn_INPUT_SIZE != 64 || tiny_cnn_OUTPUT_SIZE != 4 ||
      (uintptr_t)arena % tiny_cnn_ARENA_ALIGN != 0) {
    printf("FAIL: unexpected sizes\n");
    return 1;
  }
  memset(storage, 0xA5, sizeof(storage));

  for (c = 0; c < NUM_INT8_CASES; ++c) {
    memcpy(in8, int8_in[c], sizeof(in8));
    if (tiny_cnn_run_int8(in8, out8, arena) != 0) {
      printf("FAIL: run_int8 case %d returned non-zero\n", c);
      ++failures;
      continue;
    }
    if (memcmp(in8, int8_in[c], sizeof(in8)) != 0) {
      printf("FAIL: run_int8 case %d modified its input\n", c);
      ++failures;
    }
    for (k = 0; k < tiny_cnn_OUTPUT_SIZE; ++k)
      if (out8[k] != int8_out[c][k]) {
        printf("FAIL: int8 case %d [%d]: got %d, expected %d\n", c, k,
               out8[k], int8_out[c][k]);
        ++failures;
      }
  }
  for (c = 0; c < NUM_FLOAT_CASES; ++c) {
    if (tiny_cnn_run(float_in[c], out, arena) != 0) {
      printf("FAIL: run case %d returned non-zero\n", c);
      ++failures;
      continue;
    }
    for (k = 0; k < tiny_cnn_OUTPUT_SIZE; ++k)
      if (memcmp(&out[k], &float_out[c][k], sizeof(float)) != 0) {
        printf("FAIL: float case %d [%d]: got %.9g, expected %.9g\n", c, k,
               out[k], float_out[c][k]);
        ++failures;
      }
  }
  if (!check_guards()) {
    printf("FAIL: wrote outside the arena\n");
    ++failures;
  }
  if (tiny_cnn_run_int8(NULL, out8, arena) != 1 ||
      tiny_cnn_run_int8(in8, NULL, arena) != 1 ||
      tiny_cnn_run_int8(in8, out8, NULL) != 1 ||
      tiny_cnn_run(NULL, out, arena) != 1 ||
      tiny_cnn_run(float_in[0], out, NULL) != 1) {
    printf("FAIL: NULL pointers not rejected\n");
    ++failures;
  }
  if (tiny_cnn_run_int8(in8, out8, (char *)arena + 1) != 2 ||
      tiny_cnn_run(float_in[0], out, (char *)arena + 8) != 2) {
    printf("FAIL: misaligned arena not rejected\n");
    ++failures;
  }
  printf("%s: %d int8 and %d float cases, arena %d bytes\n",
         failures ? "FAIL" : "PASS", NUM_INT8_CASES, NUM_FLOAT_CASES,
         (int)tiny_cnn_ARENA_SIZE);
  return failures != 0;
}
