#!/usr/bin/python3
"""Train a small Fashion-MNIST CNN in torch and export it as float ONNX.

Architectures (inputs scaled to [0,1], no mean/std normalisation):
  seed: Conv(1->16,3x3,pad 1) -> ReLU -> MaxPool 2 -> Flatten -> Linear(3136,10)
  cnn2: Conv(1->8,3x3,pad 1) -> ReLU -> Conv(8->16,3x3,pad 1) -> ReLU -> MaxPool 2
        -> Flatten -> Linear(3136,32) -> ReLU -> Linear(32,10)

  mobilenet: a small MobileNetV2-style net: stem Conv(1->16,3x3,stride 2)+BN+ReLU6
        (14x14), then inverted-residual blocks (expansion 1x1 conv+BN+ReLU6,
        depthwise 3x3 conv+BN+ReLU6, projection 1x1 conv+BN, residual Add when
        the shapes match): 16->16 (x2, residual), 16->24 stride 2 (7x7),
        24->24 (residual); GlobalAveragePool -> Flatten -> Linear(24,10)
  deepcnn: three blocks Conv(3x3,pad 1)+BN+ReLU+MaxPool 2 (1->8->16->32
        channels, 28->14->7->3) -> Flatten -> Linear(288,10)
  mixops: Conv(1->16,3x3)+BN+Hardswish -> MaxPool 2 (14x14) -> depthwise
        Conv(3x3)+BN+LeakyReLU(0.1) -> Conv(16->32,3x3,stride 2)+BN+Hardswish
        (7x7) -> squeeze-excitation (GlobalAveragePool -> Squeeze ->
        Linear(32,8) -> ReLU -> Linear(8,32) -> Sigmoid -> Unsqueeze -> Mul
        with the 7x7 features) -> Transpose to NHWC -> Flatten ->
        Linear(1568,10) -> Softmax (in the exported model only; training
        uses the logits). At opset 13 the exporter writes Hardswish as
        x * HardSigmoid(x) (alpha 1/6).

The ONNX export uses opset 13, input "input" [batch,1,28,28], output
"logits" [batch,10], with a symbolic batch dimension. BatchNormalization
nodes are kept (not folded into the convolutions by the exporter):
QuantOpt's qnn-fold-batchnorm folds them.
"""
import argparse
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fashion_mnist  # noqa: E402


def build_model(arch):
    if arch == "seed":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 14 * 14, 10))
    if arch == "cnn2":
        return nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(),
            nn.Conv2d(8, 16, 3, stride=1, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 14 * 14, 32), nn.ReLU(), nn.Linear(32, 10))
    if arch == "mobilenet":
        return MobileNet()
    if arch == "mixops":
        return MixOps()
    if arch == "deepcnn":
        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                    nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]
        return nn.Sequential(*block(1, 8), *block(8, 16), *block(16, 32),
                             nn.Flatten(), nn.Linear(32 * 3 * 3, 10))
    raise ValueError(f"unknown architecture {arch!r}")


def conv_bn(cin, cout, kernel, stride=1, groups=1, relu6=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2,
                        groups=groups, bias=False),
              nn.BatchNorm2d(cout)]
    if relu6:
        layers.append(nn.ReLU6())
    return layers


class InvertedResidual(nn.Module):
    """MobileNetV2 block: expand 1x1, depthwise 3x3, project 1x1 (linear)."""

    def __init__(self, cin, cout, stride, expansion):
        super().__init__()
        hidden = cin * expansion
        self.body = nn.Sequential(
            *conv_bn(cin, hidden, 1),
            *conv_bn(hidden, hidden, 3, stride=stride, groups=hidden),
            *conv_bn(hidden, cout, 1, relu6=False))
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


class MobileNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn(1, 16, 3, stride=2),              # 14x14
            InvertedResidual(16, 16, 1, 2),
            InvertedResidual(16, 24, 2, 2),           # 7x7
            InvertedResidual(24, 24, 1, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)            # GlobalAveragePool
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(24, 10))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)))


class MixOps(nn.Module):
    """Hardswish, LeakyReLU, a squeeze-excitation block, an NHWC flatten and
    a Softmax output: the ops of the int8 path beyond conv/pool/add."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
            nn.Hardswish(), nn.MaxPool2d(2),                      # 14x14
            nn.Conv2d(16, 16, 3, padding=1, groups=16, bias=False),
            nn.BatchNorm2d(16), nn.LeakyReLU(0.1),
            nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False),
            nn.BatchNorm2d(32), nn.Hardswish())                   # 7x7
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.se = nn.Sequential(nn.Linear(32, 8), nn.ReLU(), nn.Linear(8, 32),
                                nn.Sigmoid())
        self.classifier = nn.Linear(7 * 7 * 32, 10)

    def forward(self, x):
        x = self.features(x)
        s = self.se(self.pool(x).squeeze(3).squeeze(2))
        x = x * s.unsqueeze(2).unsqueeze(3)
        logits = self.classifier(torch.flatten(x.permute(0, 2, 3, 1), 1))
        return logits if self.training else torch.softmax(logits, dim=1)


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output ONNX path, e.g. models/seed_cnn.onnx")
    ap.add_argument("--arch", choices=["seed", "cnn2", "mobilenet", "deepcnn", "mixops"], default="seed",
                    help="architecture (default: seed)")
    ap.add_argument("--epochs", type=int, default=2, help="training epochs (default: 2)")
    ap.add_argument("--max-train-batches", type=int, default=0,
                    help="stop each epoch after this many batches (0 = full epoch)")
    ap.add_argument("--seed", type=int, default=0, help="torch random seed (default: 0)")
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (default: 1)")
    ap.add_argument("--data-dir", default=fashion_mnist.DEFAULT_DIR,
                    help=f"Fashion-MNIST idx directory (default: {fashion_mnist.DEFAULT_DIR})")
    args = ap.parse_args(argv)
    if args.epochs < 1:
        sys.exit("error: --epochs must be >= 1")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    try:
        train_x, train_y = fashion_mnist.load("train", args.data_dir)
        test_x, test_y = fashion_mnist.load("test", args.data_dir)
    except (OSError, ValueError) as e:
        sys.exit(f"error: {e}")
    train_x, train_y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    test_x, test_y = torch.from_numpy(test_x), torch.from_numpy(test_y)

    model = build_model(args.arch)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    batch = 64
    t0 = time.time()
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(train_x))
        total, steps = 0.0, 0
        for i in range(0, len(perm), batch):
            if args.max_train_batches and steps >= args.max_train_batches:
                break
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            loss.backward()
            opt.step()
            total += loss.item()
            steps += 1
        print(f"epoch {epoch + 1}/{args.epochs}: mean loss {total / steps:.4f} "
              f"({steps} batches, {time.time() - t0:.1f}s)")

    acc = evaluate(model, test_x, test_y)
    print(f"float test accuracy (torch): {acc:.4f}")

    model.eval()
    out_dir = os.path.dirname(args.out)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    # TrainingMode.PRESERVE exports the model in its current (eval) mode but
    # skips the exporter's eval-mode peephole pass, which would fold each
    # BatchNorm into the preceding Conv; the graph keeps BatchNormalization
    # nodes (in inference form) for the compiler to fold.
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), args.out,
        opset_version=13, input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=False)
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
