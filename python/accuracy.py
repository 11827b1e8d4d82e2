#!/usr/bin/python3
"""Top-1 accuracy of logits against labels, optionally compared to reference logits.

  accuracy.py --logits OUT.npy --labels test_labels.npy [--ref REF.npy] [--json]

With --ref, also reports the top-1 agreement between the two logit sets, the
maximum absolute difference and the fraction of elements whose absolute
difference exceeds --tol.
"""
import argparse
import json
import sys

import numpy as np


def load(path, what):
    try:
        return np.load(path)
    except (OSError, ValueError) as e:
        sys.exit(f"error: cannot read {what} {path}: {e}")


def as_logits(arr, path):
    if arr.ndim < 2 or arr.shape[0] == 0 or not np.issubdtype(arr.dtype, np.number):
        sys.exit(f"error: {path}: expected numeric logits [N, classes], got {arr.dtype} {list(arr.shape)}")
    return arr.reshape(arr.shape[0], -1)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--logits", required=True, help="model outputs, .npy [N, classes]")
    ap.add_argument("--labels", required=True, help="integer labels, .npy [N]")
    ap.add_argument("--ref", help="reference logits, .npy with the same shape as --logits")
    ap.add_argument("--tol", type=float, default=1e-3,
                    help="absolute tolerance for the element comparison (default: 1e-3)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    args = ap.parse_args(argv)

    logits = as_logits(load(args.logits, "logits"), args.logits)
    labels = load(args.labels, "labels")
    if not np.issubdtype(labels.dtype, np.integer):
        sys.exit(f"error: {args.labels}: labels must be integers, got {labels.dtype}")
    labels = labels.reshape(-1)
    if len(labels) != len(logits):
        sys.exit(f"error: {len(logits)} logit rows but {len(labels)} labels")

    pred = logits.argmax(axis=1)
    res = {"samples": int(len(labels)), "correct": int((pred == labels).sum()),
           "accuracy": float((pred == labels).mean())}
    if args.ref:
        ref = as_logits(load(args.ref, "reference"), args.ref)
        if ref.shape != logits.shape:
            sys.exit(f"error: reference shape {list(ref.shape)} != logits shape {list(logits.shape)}")
        ref_acc = (ref.argmax(axis=1) == labels).mean()
        diff = np.abs(logits.astype(np.float64) - ref.astype(np.float64))
        res.update({"ref_accuracy": float(ref_acc),
                    "top1_agreement": float((pred == ref.argmax(axis=1)).mean()),
                    "max_abs_diff": float(diff.max()),
                    "tol": args.tol,
                    "frac_elements_over_tol": float((diff > args.tol).mean())})

    if args.json:
        print(json.dumps(res))
        return
    print(f"top-1 accuracy: {res['accuracy']:.4f} ({res['correct']}/{res['samples']})")
    if args.ref:
        print(f"reference accuracy: {res['ref_accuracy']:.4f}")
        print(f"top-1 agreement with reference: {res['top1_agreement']:.4f}")
        print(f"max |logits - ref|: {res['max_abs_diff']:.6g}")
        print(f"elements with |diff| > {args.tol:g}: {res['frac_elements_over_tol']:.6f}")


if __name__ == "__main__":
    main()
