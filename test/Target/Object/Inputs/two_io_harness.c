/* Drives the two_io bundle (Inputs/two_io.mlir) through the pointer-array
 * form of both entry points and prints every result, so that the outputs of
 * the C bundle and of the objects can be compared with diff. Covers the
 * float input edge cases (ties to even, NaN, infinities, saturation), the
 * error codes, and that nothing is written on an error or outside the
 * arena. */
#include "two_io.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GUARD 64
static unsigned char storage[two_io_ARENA_ALIGN + GUARD + two_io_ARENA_SIZE +
                             GUARD];

int main(void) {
  unsigned char *bytes =
      storage + (two_io_ARENA_ALIGN - (uintptr_t)storage % two_io_ARENA_ALIGN) %
                    two_io_ARENA_ALIGN;
  void *arena = bytes + GUARD;
  static const int8_t a8[two_io_INPUT0_SIZE] = {-128, -3, 0, 127};
  static const int8_t b8[two_io_INPUT1_SIZE] = {100, -100, 7, 50, -60, 1};
  static const float af[two_io_INPUT0_SIZE] = {-1.25f, 1.25f, 1.75f, 0.0f};
  float bf[two_io_INPUT1_SIZE] = {0.0f, 0.0f, 0.125f, 0.375f, -0.125f, 1e30f};
  int8_t o0[two_io_OUTPUT0_SIZE], o1[two_io_OUTPUT1_SIZE];
  float f0[two_io_OUTPUT0_SIZE], f1[two_io_OUTPUT1_SIZE];
  const int8_t *in8[two_io_NUM_INPUTS];
  int8_t *out8[two_io_NUM_OUTPUTS];
  const float *inf[two_io_NUM_INPUTS];
  float *outf[two_io_NUM_OUTPUTS];
  float a_nan[two_io_INPUT0_SIZE];
  int i, status, failures = 0;

  memset(storage, 0xA5, sizeof(storage));
  memcpy(a_nan, af, sizeof(af));
  a_nan[3] = NAN;
  bf[0] = INFINITY;
  bf[1] = -INFINITY;

  in8[0] = a8;
  in8[1] = b8;
  out8[0] = o0;
  out8[1] = o1;
  status = two_io_run_int8(in8, out8, arena);
  printf("run_int8 %d:", status);
  for (i = 0; i < two_io_OUTPUT0_SIZE; ++i)
    printf(" %d", o0[i]);
  printf(" |");
  for (i = 0; i < two_io_OUTPUT1_SIZE; ++i)
    printf(" %d", o1[i]);
  printf("\n");

  inf[0] = a_nan;
  inf[1] = bf;
  outf[0] = f0;
  outf[1] = f1;
  status = two_io_run(inf, outf, arena);
  printf("run %d:", status);
  for (i = 0; i < two_io_OUTPUT0_SIZE; ++i)
    printf(" %.9g", f0[i]);
  printf(" |");
  for (i = 0; i < two_io_OUTPUT1_SIZE; ++i)
    printf(" %.9g", f1[i]);
  printf("\n");

  for (i = 0; i < GUARD; ++i)
    if (bytes[i] != 0xA5 || bytes[GUARD + two_io_ARENA_SIZE + i] != 0xA5) {
      printf("FAIL: write outside the arena\n");
      ++failures;
      break;
    }

  /* Errors: the return code, and the outputs stay untouched. */
  memset(o0, 0x11, sizeof(o0));
  f0[0] = 42.0f;
  out8[1] = NULL;
  if (two_io_run_int8(in8, out8, arena) != 1)
    ++failures, printf("FAIL: NULL output element\n");
  out8[1] = o1;
  in8[0] = NULL;
  if (two_io_run_int8(in8, out8, arena) != 1)
    ++failures, printf("FAIL: NULL input element\n");
  in8[0] = a8;
  if (two_io_run_int8(NULL, out8, arena) != 1 ||
      two_io_run_int8(in8, NULL, arena) != 1 ||
      two_io_run_int8(in8, out8, NULL) != 1)
    ++failures, printf("FAIL: NULL argument (int8)\n");
  if (two_io_run_int8(in8, out8, (char *)arena + 8) != 2)
    ++failures, printf("FAIL: misaligned arena (int8)\n");
  inf[1] = NULL;
  if (two_io_run(inf, outf, arena) != 1)
    ++failures, printf("FAIL: NULL input element (float)\n");
  inf[1] = bf;
  if (two_io_run(NULL, outf, arena) != 1 || two_io_run(inf, NULL, arena) != 1 ||
      two_io_run(inf, outf, NULL) != 1)
    ++failures, printf("FAIL: NULL argument (float)\n");
  if (two_io_run(inf, outf, (char *)arena + 4) != 2)
    ++failures, printf("FAIL: misaligned arena (float)\n");
  for (i = 0; i < two_io_OUTPUT0_SIZE; ++i)
    if (o0[i] != 0x11)
      ++failures, printf("FAIL: output written on an error\n");
  if (f0[0] != 42.0f)
    ++failures, printf("FAIL: float output written on an error\n");

  printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
  return failures != 0;
}
