/*===- float_harness.c - Run a float-boundary bundle against goldens -----===*
 *
 * Part of the QuantOpt project, under the Apache License v2.0 with LLVM
 * Exceptions.
 *
 *===----------------------------------------------------------------------===*
 *
 * Built with -DBUNDLE=NAME -DBUNDLE_HEADER='"NAME.h"' and the expected.h of
 * float_layers.py: runs NAME_run on every input and compares the float
 * outputs bit for bit with the numpy goldens; NAME_run_int8 must return 3.
 * Prints the outputs as hexadecimal floats (to compare backends) and PASS.
 *
 *===----------------------------------------------------------------------===*/

#include BUNDLE_HEADER
#include "expected.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(BUNDLE, s)

static unsigned char arena[SYM(_ARENA_SIZE) + 16] __attribute__((aligned(16)));

int main(void) {
  float output[SYM(_OUTPUT_SIZE)];
  int8_t q[SYM(_OUTPUT_SIZE)];
  int failures = 0;
  int c, i;
  if (SYM(_RUN_INT8_AVAILABLE) != 0 ||
      SYM(_run_int8)((const int8_t *)kInputs[0], q, arena) != 3) {
    printf("FAIL: run_int8 should be unavailable\n");
    return 1;
  }
  for (c = 0; c < NUM_CASES; ++c) {
    if (SYM(_run)(kInputs[c], output, arena) != 0) {
      printf("FAIL: run returned an error\n");
      return 1;
    }
    printf("case %d:", c);
    for (i = 0; i < SYM(_OUTPUT_SIZE); ++i) {
      printf(" %a", (double)output[i]);
      if (memcmp(&output[i], &kExpected[c][i], sizeof(float)) != 0) {
        printf(" (expected %a)", (double)kExpected[c][i]);
        ++failures;
      }
    }
    printf("\n");
  }
  printf("%s: %d cases, %d failures\n", failures ? "FAIL" : "PASS", NUM_CASES,
         failures);
  return failures != 0;
}
