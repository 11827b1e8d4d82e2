/*===- float_two_io_harness.c - Arrays of float and int8 tensors ---------===*
 *
 * Part of the QuantOpt project, under the Apache License v2.0 with LLVM
 * Exceptions.
 *
 *===----------------------------------------------------------------------===*
 *
 * Runs float_two_io.mlir's bundle (NAME fl2) through NAME_run with arrays
 * of pointers: input 0 is float, input 1 and output 0 int8, output 1 float.
 *
 *===----------------------------------------------------------------------===*/

#include "fl2.h"

#include <stdio.h>

static unsigned char arena[fl2_ARENA_SIZE] __attribute__((aligned(16)));

int main(void) {
  float a[4] = {-1.0f, 0.3f, 0.6f, 2.0f}, b[4] = {0.5f, -0.125f, 0.375f, 0.1f};
  float o0[4], o1[4];
  const float *in[2] = {a, b};
  float *out[2] = {o0, o1};
  int i, rc = fl2_run(in, out, arena);
  printf("run %d run_int8 %d:", rc, fl2_run_int8(NULL, NULL, arena));
  for (i = 0; i < 4; ++i)
    printf(" %g/%g", (double)o0[i], (double)o1[i]);
  printf("\n");
  return 0;
}
