"""Writes the bundled seed CNN with its Gemm (transB = 1) rewritten as
MatMul by the transposed [K, N] initializer plus an Add of the bias: how
PyTorch exports nn.Linear on inputs of rank 3. Also writes random
calibration and test inputs.

  gemm_as_matmul.py SEED.onnx OUT_DIR
"""
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

model = onnx.load(sys.argv[1])
out = sys.argv[2]
graph = model.graph
inits = {i.name: i for i in graph.initializer}
nodes = []
for node in graph.node:
    if node.op_type != "Gemm":
        nodes.append(node)
        continue
    attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
    assert attrs.get("transB") == 1 and attrs.get("transA", 0) == 0, attrs
    w = numpy_helper.to_array(inits[node.input[1]])
    wt = numpy_helper.from_array(np.ascontiguousarray(w.T), node.input[1] + "_kn")
    graph.initializer.append(wt)
    mm = node.name + "_matmul_out"
    nodes.append(helper.make_node("MatMul", [node.input[0], wt.name], [mm],
                                  name=node.name + "_MatMul"))
    nodes.append(helper.make_node("Add", [mm, node.input[2]], [node.output[0]],
                                  name=node.name + "_Add"))
del graph.node[:]
graph.node.extend(nodes)
onnx.checker.check_model(model)
onnx.save(model, out + "/matmul_cnn.onnx")
rng = np.random.default_rng(0)
np.save(out + "/calib.npy", rng.random((64, 1, 28, 28), dtype=np.float32))
np.save(out + "/images.npy", rng.random((50, 1, 28, 28), dtype=np.float32))
