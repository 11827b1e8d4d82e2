"""Writes float models and ONNX Runtime's outputs for them in the layout of
the ONNX backend node tests (model.onnx, test_data_set_K/input_0.pb and
output_0.pb), for python/run_node_tests.py --data. Shared by the
make_*_tests.py generators in this directory."""
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def write_tests(out, run_model, tests, producer, samples, low, high,
                check_shape=False):
    """`tests` maps a name to a function returning (nodes, initializers,
    input shape, output shape) of a one-input, one-output opset-13 graph;
    each test gets `samples` inputs uniform in [low, high)."""
    for name, build in tests.items():
        nodes, inits, in_shape, out_shape = build()
        graph = helper.make_graph(
            nodes, name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
            initializer=inits)
        model = helper.make_model(graph, producer_name=producer,
                                  opset_imports=[helper.make_opsetid("", 13)])
        onnx.checker.check_model(model)
        test_dir = os.path.join(out, "test_" + name)
        os.makedirs(test_dir, exist_ok=True)
        onnx.save(model, os.path.join(test_dir, "model.onnx"))
        rng = np.random.default_rng(len(name))
        x = rng.uniform(low, high, [samples] + in_shape[1:]).astype(np.float32)
        with tempfile.TemporaryDirectory() as tmp:
            np.save(os.path.join(tmp, "x.npy"), x)
            subprocess.run(["node", run_model, os.path.join(test_dir,
                                                            "model.onnx"),
                            os.path.join(tmp, "x.npy"),
                            os.path.join(tmp, "y.npy")], check=True,
                           stdout=subprocess.DEVNULL)
            y = np.load(os.path.join(tmp, "y.npy"))
        if check_shape and list(y.shape[1:]) != out_shape[1:]:
            sys.exit(f"{name}: ONNX Runtime output shape {list(y.shape)}, "
                     f"expected {out_shape}")
        for k in range(samples):
            data = os.path.join(test_dir, f"test_data_set_{k}")
            os.makedirs(data, exist_ok=True)
            for kind, array in (("input_0", x[k:k + 1]),
                                ("output_0", y[k:k + 1])):
                tensor = numpy_helper.from_array(
                    array.reshape([1] + list(array.shape[1:])),
                    "x" if kind == "input_0" else "y")
                with open(os.path.join(data, kind + ".pb"), "wb") as f:
                    f.write(tensor.SerializeToString())
