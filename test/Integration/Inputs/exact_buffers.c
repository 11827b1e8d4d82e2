/* Runs a generated bundle with heap buffers of exactly the advertised sizes
 * (input, output and NAME_ARENA_SIZE bytes of arena), so that AddressSanitizer
 * reports any access outside them. Built with -DBUNDLE=NAME and
 * -DBUNDLE_HEADER='"NAME.h"'. Usage: exact_buffers INPUTS.f32 COUNT */
#define _POSIX_C_SOURCE 200112L /* posix_memalign in C99 */
#include BUNDLE_HEADER

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(BUNDLE, s)

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  long count = strtol(argv[2], NULL, 10);
  FILE *in = fopen(argv[1], "rb");
  float *input = malloc(sizeof(float) * SYM(_INPUT_SIZE));
  float *output = malloc(sizeof(float) * SYM(_OUTPUT_SIZE));
  int8_t *inputQ = malloc(SYM(_INPUT_SIZE));
  int8_t *outputQ = malloc(SYM(_OUTPUT_SIZE));
  void *arena = NULL;
  if (posix_memalign(&arena, SYM(_ARENA_ALIGN), SYM(_ARENA_SIZE)) != 0)
    return 2;
  if (!in || !input || !output || !inputQ || !outputQ || !arena)
    return 2;
  long checksum = 0;
  for (long i = 0; i < count; ++i) {
    if (fread(input, sizeof(float), SYM(_INPUT_SIZE), in) != SYM(_INPUT_SIZE))
      return 2;
    if (SYM(_run)(input, output, arena) != 0)
      return 1;
    for (long j = 0; j < SYM(_INPUT_SIZE); ++j)
      inputQ[j] = (int8_t)(j % 256 - 128);
    if (SYM(_run_int8)(inputQ, outputQ, arena) != 0)
      return 1;
    for (long j = 0; j < SYM(_OUTPUT_SIZE); ++j)
      checksum += outputQ[j];
  }
  printf("ran %ld samples, checksum %ld\n", count, checksum);
  free(input);
  free(output);
  free(inputQ);
  free(outputQ);
  free(arena);
  fclose(in);
  return 0;
}
