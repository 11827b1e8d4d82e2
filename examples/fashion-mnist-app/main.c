/* fashion-mnist-app: classifies 28x28 grayscale images with a Fashion-MNIST
 * model compiled to C by QuantOpt.
 *
 *   fashion-mnist-app [-v|--verbose] IMAGE...
 *
 * IMAGE is a binary PGM (P5, 28x28, maxval 255) or a raw file of exactly 784
 * bytes (one byte per pixel, row by row). Prints "class N (Name)" per image,
 * after "IMAGE: " when there are several, and with --verbose the 10 logits.
 * Exit status: 0 if every image was classified, 1 if one was not, 2 on a
 * usage error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bundle.h" /* NAME.h; bundle_run is NAME_run (see bundle.h.in) */

#define SIDE 28
#define PIXELS (SIDE * SIDE)
#define CLASSES 10

#if BUNDLE_INPUT_SIZE != PIXELS || BUNDLE_OUTPUT_SIZE != CLASSES
#error "the model must take a [1,1,28,28] input and return 10 logits"
#endif

static const char *const class_names[CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

/* The model's scratch memory: BUNDLE_ARENA_SIZE bytes aligned to
 * BUNDLE_ARENA_ALIGN. C99 has no alignas, so over-allocate and round up. */
static unsigned char arena_storage[BUNDLE_ARENA_SIZE + BUNDLE_ARENA_ALIGN - 1];

static void *arena(void) {
  uintptr_t offset = (uintptr_t)arena_storage % BUNDLE_ARENA_ALIGN;
  return arena_storage + (offset ? BUNDLE_ARENA_ALIGN - offset : 0);
}

static int is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

/* Reads one number of a PGM header, after whitespace and '#' comments;
 * returns -1 if there is none. */
static long pgm_number(const unsigned char **pos, const unsigned char *end) {
  const unsigned char *p = *pos;
  long value = -1;
  while (p < end && (is_space(*p) || *p == '#'))
    if (*p++ == '#')
      while (p < end && *p != '\n')
        ++p;
  for (; p < end && *p >= '0' && *p <= '9' && value < 100000; ++p)
    value = (value < 0 ? 0 : value * 10) + (*p - '0');
  *pos = p;
  return value;
}

/* Reads the pixels of IMAGE, or says why it cannot and returns 0. */
static int read_image(const char *path, unsigned char pixels[PIXELS]) {
  static unsigned char data[65536];
  const unsigned char *p = data + 2, *end;
  long width, height, maxval;
  size_t size;
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
    return 0;
  }
  size = fread(data, 1, sizeof data, file);
  if (ferror(file)) {
    fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
    fclose(file);
    return 0;
  }
  fclose(file);
  end = data + size;

  if (size == PIXELS) { /* raw */
    memcpy(pixels, data, PIXELS);
    return 1;
  }
  if (size < 3 || data[0] != 'P' || data[1] != '5' || !is_space(data[2])) {
    fprintf(stderr,
            "%s: not a binary PGM (P5) file nor a raw image of %d bytes "
            "(%s%lu bytes)\n",
            path, PIXELS, size == sizeof data ? "at least " : "",
            (unsigned long)size);
    return 0;
  }
  width = pgm_number(&p, end);
  height = pgm_number(&p, end);
  maxval = pgm_number(&p, end);
  if (width < 0 || height < 0 || maxval < 0 || p == end || !is_space(*p)) {
    fprintf(stderr, "%s: malformed PGM header\n", path);
    return 0;
  }
  if (width != SIDE || height != SIDE || maxval != 255) {
    fprintf(stderr, "%s: PGM is %ldx%ld with maxval %ld, expected %dx%d "
            "with maxval 255\n", path, width, height, maxval, SIDE, SIDE);
    return 0;
  }
  ++p; /* the single whitespace character before the pixels */
  if (end - p < PIXELS) {
    fprintf(stderr, "%s: PGM is truncated: %ld of %d pixel bytes\n", path,
            (long)(end - p), PIXELS);
    return 0;
  }
  memcpy(pixels, p, PIXELS);
  return 1;
}

/* Classifies IMAGE and prints the result; returns 0 on success. */
static int classify(const char *path, int verbose, int print_path) {
  unsigned char pixels[PIXELS];
  float image[PIXELS], logits[CLASSES];
  int i, best = 0;
  if (!read_image(path, pixels))
    return 1;
  for (i = 0; i < PIXELS; ++i)
    image[i] = pixels[i] / 255.0f; /* as in training: [0, 1] */
  if (bundle_run(image, logits, arena()) != 0) {
    fprintf(stderr, "%s: %s_run failed\n", path, BUNDLE_NAME);
    return 1;
  }
  for (i = 1; i < CLASSES; ++i)
    if (logits[i] > logits[best])
      best = i;
  if (print_path)
    printf("%s: ", path);
  printf("class %d (%s)\n", best, class_names[best]);
  if (verbose)
    for (i = 0; i < CLASSES; ++i)
      printf("  logit %d %-12s %8.3f\n", i, class_names[i], logits[i]);
  return 0;
}

int main(int argc, char **argv) {
  int first = 1, verbose = 0, failed = 0, i;
  if (argc > 1 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--verbose"))) {
    verbose = 1;
    first = 2;
  }
  if (first >= argc || argv[first][0] == '-') {
    fprintf(stderr, "usage: %s [-v|--verbose] IMAGE...\n"
            "IMAGE: binary PGM (P5, 28x28, maxval 255) or raw 784 bytes\n",
            argv[0]);
    return 2;
  }
  for (i = first; i < argc; ++i)
    failed |= classify(argv[i], verbose, argc - first > 1);
  return failed;
}
