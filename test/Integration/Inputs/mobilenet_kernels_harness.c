/* Runs the mobilenet_kernels bundle on the input of expected.h and compares
 * both int8 outputs element by element with the independent reference
 * (mobilenet_kernels_reference.py). */
#include "mobilenet_kernels.h"

#include <stdint.h>
#include <stdio.h>

#include "expected.h"

static unsigned char storage[mobilenet_kernels_ARENA_SIZE +
                             mobilenet_kernels_ARENA_ALIGN];

static int compare(const char *name, const int8_t *got, const int8_t *want,
                   int n) {
  int i, bad = 0;
  for (i = 0; i < n; ++i)
    if (got[i] != want[i]) {
      printf("%s[%d]: got %d, expected %d\n", name, i, got[i], want[i]);
      ++bad;
    }
  return bad;
}

int main(void) {
  int8_t out0[mobilenet_kernels_OUTPUT0_SIZE], out1[mobilenet_kernels_OUTPUT1_SIZE];
  const int8_t *inputs[1];
  int8_t *outputs[2];
  unsigned char *arena = storage;
  int rc, bad;
  while ((uintptr_t)arena % mobilenet_kernels_ARENA_ALIGN)
    ++arena;
  inputs[0] = input0;
  outputs[0] = out0;
  outputs[1] = out1;
  rc = mobilenet_kernels_run_int8(inputs, outputs, arena);
  bad = compare("output0", out0, expected0, mobilenet_kernels_OUTPUT0_SIZE) +
        compare("output1", out1, expected1, mobilenet_kernels_OUTPUT1_SIZE);
  printf("rc %d, %d of %d values differ\n", rc, bad,
         mobilenet_kernels_OUTPUT0_SIZE + mobilenet_kernels_OUTPUT1_SIZE);
  return rc != 0 || bad != 0;
}
