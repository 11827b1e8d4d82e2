#!/usr/bin/python3
"""Fashion-MNIST loader (pure numpy + gzip) and data-preparation CLI.

Reads the raw idx files (``{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz``)
and, when run as a script, writes the .npy files used by the QuantOpt
pipeline:

  DIR/test_images.npy  float32 [10000,1,28,28], pixel / 255.0
  DIR/test_labels.npy  int64   [10000]
  DIR/calib.npy        float32 [N,1,28,28], first N images of the training set
  DIR/calib_labels.npy int64   [N], their labels (--calibration-labels)
"""
import argparse
import gzip
import os
import sys

import numpy as np

DEFAULT_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")

_PREFIX = {"train": "train", "test": "t10k"}


def read_idx(path):
    """Return the contents of a (gzipped) idx file as a numpy array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path}: not an idx file (bad magic)")
    if data[2] != 0x08:
        raise ValueError(f"{path}: unsupported idx element type 0x{data[2]:02x} (expected ubyte)")
    ndim = data[3]
    header = 4 + 4 * ndim
    dims = tuple(int(d) for d in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(dims)) if dims else 1
    if len(data) - header != expected:
        raise ValueError(f"{path}: size mismatch: header says {dims}, "
                         f"payload has {len(data) - header} bytes")
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(dims)


def load(split, data_dir=DEFAULT_DIR):
    """Load a split ("train" or "test").

    Returns (images, labels): images float32 [N,1,28,28] scaled to [0,1],
    labels int64 [N].
    """
    if split not in _PREFIX:
        raise ValueError(f"unknown split {split!r} (expected 'train' or 'test')")
    prefix = os.path.join(data_dir, _PREFIX[split])
    img_path = prefix + "-images-idx3-ubyte.gz"
    lbl_path = prefix + "-labels-idx1-ubyte.gz"
    for p in (img_path, lbl_path):
        if not os.path.isfile(p):
            raise FileNotFoundError(f"Fashion-MNIST file not found: {p} "
                                    f"(set --data-dir or FASHION_MNIST_DIR)")
    images = read_idx(img_path)
    labels = read_idx(lbl_path)
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"inconsistent shapes: images {images.shape}, labels {labels.shape}")
    images = (images.astype(np.float32) / np.float32(255.0))[:, None, :, :]
    return images, labels.astype(np.int64)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (created if missing)")
    ap.add_argument("--calib-samples", type=int, default=1000,
                    help="number of training images for calib.npy (default: 1000)")
    ap.add_argument("--data-dir", default=DEFAULT_DIR,
                    help=f"directory with the idx .gz files (default: {DEFAULT_DIR})")
    args = ap.parse_args(argv)

    try:
        test_x, test_y = load("test", args.data_dir)
        train_x, train_y = load("train", args.data_dir)
    except (OSError, ValueError) as e:
        sys.exit(f"error: {e}")
    if not 1 <= args.calib_samples <= len(train_x):
        sys.exit(f"error: --calib-samples must be in [1, {len(train_x)}]")

    os.makedirs(args.out, exist_ok=True)
    outputs = {
        "test_images.npy": test_x,
        "test_labels.npy": test_y,
        "calib.npy": np.ascontiguousarray(train_x[:args.calib_samples]),
        "calib_labels.npy": np.ascontiguousarray(train_y[:args.calib_samples]),
    }
    for name, arr in outputs.items():
        path = os.path.join(args.out, name)
        np.save(path, arr)
        print(f"wrote {path}: {arr.dtype} {list(arr.shape)}")


if __name__ == "__main__":
    main()
