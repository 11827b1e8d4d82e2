#!/usr/bin/python3
"""Write the first K Fashion-MNIST test images as files for fashion-mnist-app.

  make_samples.py OUT_DIR [--count K] [--raw] [--data-dir DIR]

Names are NNNNN_labelL.pgm (index in the test set, true class), binary PGM
(P5, 28x28, maxval 255); --raw writes the bare 784 bytes as NNNNN_labelL.raw.
Reads t10k-{images-idx3,labels-idx1}-ubyte.gz from DIR (default: Debian's
dataset-fashion-mnist, /usr/share/datasets/fashion-mnist). Python 3 only, no
other packages.
"""
import argparse
import gzip
import os
import struct
import sys


def read_idx(path, ndim):
    """Return (dims, payload bytes) of a gzipped idx file of unsigned bytes."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"\0\0\x08" or data[3] != ndim:
        raise ValueError(f"{path}: not an idx file of {ndim}-D unsigned bytes")
    dims = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", help="output directory (created if missing)")
    ap.add_argument("--count", type=int, default=8, help="K (default: 8)")
    ap.add_argument("--raw", action="store_true",
                    help="write raw 784-byte files instead of PGM")
    ap.add_argument("--data-dir", default=os.environ.get(
        "FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    args = ap.parse_args()

    try:
        (n, rows, cols), pixels = read_idx(
            os.path.join(args.data_dir, "t10k-images-idx3-ubyte.gz"), 3)
        _, labels = read_idx(
            os.path.join(args.data_dir, "t10k-labels-idx1-ubyte.gz"), 1)
    except (OSError, ValueError) as e:
        sys.exit(f"make_samples.py: {e}")
    if not 1 <= args.count <= n:
        sys.exit(f"make_samples.py: --count must be in [1, {n}]")

    os.makedirs(args.out_dir, exist_ok=True)
    size = rows * cols
    for i in range(args.count):
        image = pixels[i * size:(i + 1) * size]
        header = b"" if args.raw else b"P5\n%d %d\n255\n" % (cols, rows)
        name = f"{i:05d}_label{labels[i]}.{'raw' if args.raw else 'pgm'}"
        with open(os.path.join(args.out_dir, name), "wb") as f:
            f.write(header + image)
    print(f"wrote {args.count} images to {args.out_dir}")


if __name__ == "__main__":
    main()
