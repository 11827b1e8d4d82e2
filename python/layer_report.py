"""Per-layer quantization error of a QDQ model against its float model.

Both models run in numpy (python/onnx_eval.py) on the same images; for every
node of the float model, its output is compared with the same tensor in the
QDQ model, dequantized where the QDQ model quantizes it. The error therefore
accumulates along the network, as it does in the int8 code:

    SQNR = 10 log10(sum(f^2) / sum((f - q)^2))   (dB; higher is better)
    cosine = <f, q> / (|f| |q|)

The QDQ model is the one QuantOpt compiles without calibration data, and its
int8 outputs match QuantOpt's to within the fraction evaluate.py reports.
"""

import numpy as np
import onnx

import onnx_eval


def layer_errors(float_model_path, qdq_model_path, images, input_name=None):
    """Returns [{layer, op, tensor, sqnr_db, cosine}] in graph order."""
    fmodel = onnx.load(float_model_path)
    qmodel = onnx.load(qdq_model_path)
    fev = onnx_eval.Evaluator(fmodel)
    qev = onnx_eval.Evaluator(qmodel)
    name = input_name or fev.input_names[0]
    fvals = fev.run({name: images}, keep_all=True)
    qvals = qev.run({name: images}, keep_all=True)
    rows = []
    for node in fmodel.graph.node:
        if node.op_type in ("Constant", "Identity", "Dropout"):
            continue
        tensor = node.output[0]
        f = fvals[tensor].astype(np.float64)
        # The dequantized value where the QDQ model quantizes the tensor; a
        # graph output keeps its name and the producer writes <name>_float.
        q = None
        for candidate in (f"{tensor}_DequantizeLinear_Output", tensor):
            if candidate in qvals:
                q = qvals[candidate].astype(np.float64)
                break
        if q is None or q.shape != f.shape:
            continue
        noise = np.sum((f - q) ** 2)
        signal = np.sum(f ** 2)
        sqnr = float("inf") if noise == 0 else float(10 * np.log10(signal / noise))
        denom = np.linalg.norm(f) * np.linalg.norm(q)
        cosine = float(np.dot(f.ravel(), q.ravel()) / denom) if denom else 1.0
        rows.append({"layer": node.name or tensor, "op": node.op_type,
                     "tensor": tensor, "sqnr_db": sqnr, "cosine": cosine})
    return rows
