//===- Passes.td - qnn transformation passes ---------------*- tablegen -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD
#define QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"qnn-fold-batchnorm", "func::FuncOp"> {
  let summary = "Fold inference batch norm into the preceding conv or gemm";
  let description = [{
    Folds `qnn.batch_norm` into the float `qnn.conv` or `qnn.gemm` that
    produces its input, when that result has no other use and the weight,
    the bias (if any) and the four normalization parameters are constants.
    With `k[c] = scale[c] / sqrt(variance[c] + epsilon)` per output channel,
    computed in double precision from the f32 values:

        w'[c, ...] = w[c, ...] * k[c]
        b'[c]      = (b[c] - mean[c]) * k[c] + bias[c]      (b = 0 if absent)

    each rounded once to f32. For `qnn.gemm` the output channels are the
    columns of the result (`B`'s axis 0 with `transB`, else 1), `b` is
    `beta * C` (C absent or 1-D), and the folded op has `beta = 1`.
    A batch norm with nothing to fold into (after an Add, a Concat, a pool,
    a product with another use, or on the model input) becomes a depthwise
    1x1 convolution of its input (NCHW only): weight `k[c]` and bias
    `beta[c] - mean[c] * k[c]`, `group` = channels, keeping the batch
    norm's location. The int8 path then quantizes it as any convolution:
    each channel's single weight quantizes to +-127 with scale
    `|k[c]| / 127`, so only the activations' rounding remains. A batch norm
    with non-constant parameters or an input of another rank stays in
    float, and the int8 lowering reports it.

    ```mlir
    %c = qnn.conv %x, %w, %b {...} : ... -> tensor<1x8x14x14xf32>
    %y = qnn.batch_norm %c, %s, %t, %m, %v {epsilon = 1.0e-05 : f32} : ...
    // ->
    %y = qnn.conv %x, %w_folded, %b_folded {...} : ... -> tensor<1x8x14x14xf32>
    ```
  }];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::arith::ArithDialect"];
}

def FoldBiasAddPass : Pass<"qnn-fold-bias-add", "func::FuncOp"> {
  let summary = "Fold a constant bias Add into the preceding MatMul (a Gemm)";
  let description = [{
    A dense layer exported as `MatMul` by a constant weight followed by
    `Add` of a constant bias (TensorFlow/Keras converters, PyTorch's
    `nn.Linear` on inputs of rank 3 flattened to 2-D) becomes one float
    `qnn.gemm` with that bias (`transB = false`), so that quantization
    treats it as any Gemm: int8 weight, int32 bias in the accumulator, one
    requantize. Without the fold the Add of a float constant stays a float
    layer. It applies when the MatMul is 2-D with a static f32 result, its
    weight is a constant, its result has no other use, and the bias is an
    f32 constant of shape `[N]`, `[1, N]` (one value per column) or
    `[M, N]` (a bias matrix); either Add operand order. The Gemm's location
    fuses both node names, the MatMul's first. Anything else is left alone.

    ```mlir
    %m = qnn.matmul %x, %w : (tensor<1x64xf32>, tensor<64x10xf32>) -> tensor<1x10xf32>
    %y = qnn.add %m, %b : (tensor<1x10xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    // ->
    %y = qnn.gemm %x, %w, %b : (tensor<1x64xf32>, tensor<64x10xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    ```
  }];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::arith::ArithDialect"];
}

def CalibratePass : Pass<"qnn-calibrate", "func::FuncOp"> {
  let summary = "Quantize a float graph from calibration data (QDQ form)";
  let description = [{
    Runs the float `qnn` function on calibration samples with a reference
    interpreter, records the range of every activation, and rewrites the
    function into QDQ form: each activation `v` becomes
    `quant.dcast(quant.qcast(v))` with a per-tensor int8 asymmetric type
    computed from its range, and each weight constant feeding a `qnn.conv`,
    `qnn.gemm` or `qnn.matmul` becomes an int8 constant (`quant.scast`) with a
    symmetric type, per output channel or per tensor, followed by
    `quant.dcast`. The signature stays f32; `qnn-fold-qdq` later moves the
    quantized types to the function boundary. A Conv/Gemm whose only user is a Relu or Clip is not
    quantized separately: its output takes the activation's range, as a fused
    activation would (the later requantize clamp is the activation).
    Transpose, reshape, flatten and max pooling keep their input's
    parameters; a softmax output gets scale 1/256 and zero point -128
    (ONNX Runtime's QLinearSoftmax convention).

    ```mlir
    %y = qnn.relu %x : tensor<4xf32>
    // ->
    %y = qnn.relu %x : tensor<4xf32>
    %q = quant.qcast %y : tensor<4xf32> to tensor<4x!quant.uniform<i8:f32, 0.01:-128>>
    %d = quant.dcast %q : tensor<4x!quant.uniform<i8:f32, 0.01:-128>> to tensor<4xf32>
    ```

    The data file is a float32 `.npy` array shaped `[N, <input shape without
    batch>]` or `[N, <input shape>]`; a wrong shape is an error naming both
    shapes. Functions that already contain `quant` casts are left alone (a
    QDQ model needs no calibration); with `layer-report` they get a report
    of their parameters and sizes.

    Ranges: `minmax` takes each activation's min/max; `percentile`,
    `entropy` (least KL divergence between the histogram of |x| and its
    quantization, as TensorRT) and `mse` (least expected squared
    quantization error) choose from one 2048-bin histogram per activation,
    collected in a second pass over the samples. `activation-scheme=symmetric`
    gives every activation zero point 0 and scale max|x| / 127.

    Mixed precision: `keep-float` names Conv / Gemm / MatMul layers (ONNX
    node names or op types) whose weights stay f32; the op gets the unit
    attribute `qnn.keep_float`, which `qnn-fold-qdq` leaves alone, and its
    input and output are still quantized. `mixed-precision-sqnr` picks them
    automatically: the QDQ graph is simulated (the interpreter runs
    `quant.qcast` / `quant.dcast` as ONNX QuantizeLinear / DequantizeLinear)
    against the float graph, layers are ranked by their own error (each fed
    the float graph's values), and the worst are kept in float one at a time
    until the output SQNR reaches the target. `mixed-precision-accuracy`
    does the same with an accuracy budget: it stops once the simulated top-1
    accuracy of the first output (a classifier's `[batch, classes]` scores)
    on the simulated calibration samples is at most that many percentage
    points below the float graph's, measured against `labels` (an integer
    `.npy`, one label per calibration sample) or, without labels, as
    agreement with the float graph's own top-1 (float: 100%).
    `layer-report` writes, per
    layer, the parameters, weight scales, weight and bias bytes, and the
    simulated SQNR and cosine similarity against the float graph
    (docs/Pipeline.md, "Calibration").

    16x8: `int16-layers` names layers (ONNX node names or op types) whose
    output activation is int16, symmetric (zero point 0, scale
    max|x| / 32767 over the observed min/max range, storage
    [-32767, 32767]); their weights stay int8. Max pool, flatten, reshape
    and transpose of an int16 value stay int16.
  }];
  let options = [
    Option<"dataFile", "data", "std::string", /*default=*/"\"\"",
           "float32 .npy calibration samples, one file per function input "
           "(comma-separated, in input order, the same N in each)">,
    Option<"samples", "samples", "int64_t", /*default=*/"0",
           "use at most this many samples (0: all)">,
    Option<"method", "method", "std::string", /*default=*/"\"minmax\"",
           "range estimator: minmax | percentile | entropy | mse">,
    Option<"percentile", "percentile", "double", /*default=*/"99.99",
           "percentile method: the central percent of values kept "
           "(half of the rest cut from each tail)">,
    Option<"weightGranularity", "weight-granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "weight scales: per-channel | per-tensor">,
    Option<"activationScheme", "activation-scheme", "std::string",
           /*default=*/"\"asymmetric\"",
           "activation parameters: asymmetric (zero point from the range) | "
           "symmetric (zero point 0, scale max|x| / 127)">,
    Option<"keepFloat", "keep-float", "std::string", /*default=*/"\"\"",
           "comma-separated ONNX node names or op types (Conv, Gemm, "
           "MatMul) whose weights stay float (qnn.keep_float)">,
    Option<"int16Layers", "int16-layers", "std::string", /*default=*/"\"\"",
           "comma-separated ONNX node names or op types (Conv, Gemm, MatMul, "
           "MaxPool, Flatten, Reshape, Transpose, Relu, Clip) whose output "
           "activations are int16 (16x8: symmetric, zero point 0)">,
    Option<"mixedPrecisionSqnr", "mixed-precision-sqnr", "double",
           /*default=*/"0.0",
           "keep the layers with the worst own quantization error in float, "
           "one at a time, until the output SQNR (dB) vs float reaches this "
           "(0: off)">,
    Option<"mixedPrecisionAccuracy", "mixed-precision-accuracy", "double",
           /*default=*/"-1.0",
           "keep the layers with the worst own quantization error in float, "
           "one at a time, until the simulated top-1 accuracy on the "
           "calibration samples is at most this many percentage points below "
           "float (-1: off); against `labels`, or without them the float "
           "model's own top-1 (agreement)">,
    Option<"labelsFile", "labels", "std::string", /*default=*/"\"\"",
           "integer .npy class labels of the calibration samples ([N]), for "
           "mixed-precision-accuracy">,
    Option<"mixedPrecisionMaxFloat", "mixed-precision-max-float", "int64_t",
           /*default=*/"-1",
           "at most this many layers kept in float by mixed-precision-sqnr "
           "or mixed-precision-accuracy (-1: all)">,
    Option<"layerReport", "layer-report", "std::string", /*default=*/"\"\"",
           "write the per-layer report: FILE.json, or - for a table on "
           "stderr">,
    Option<"layerReportSamples", "layer-report-samples", "int64_t",
           /*default=*/"100",
           "samples simulated for the layer report and mixed precision">,
    Option<"quiet", "quiet", "bool", /*default=*/"false",
           "do not print the mixed-precision choice">,
  ];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::quant::QuantDialect",
                           "mlir::arith::ArithDialect"];
}

def FoldQDQPass : Pass<"qnn-fold-qdq", "func::FuncOp"> {
  let summary = "Fold quant.dcast -> op -> quant.qcast into integer qnn ops";
  let description = [{
    Rewrites the QDQ form into the integer form. A `qnn.conv`, `qnn.gemm` or
    `qnn.matmul` whose activation and weight come from `quant.dcast` and whose
    result (possibly through a `qnn.relu` or `qnn.clip`) goes to one
    `quant.qcast` becomes the integer op, producing the int32 accumulator type
    (scale `s_in * s_w[c]`, zero point 0), followed by `qnn.requantize` to the
    output type, and the activation as an integer `qnn.relu` / `qnn.clip`.
    Shape ops and max pooling between a `quant.dcast` and a `quant.qcast` of
    the same type move to the quantized type. An average pool between a
    `quant.dcast` and a `quant.qcast` becomes the integer `qnn.avg_pool`
    (window sum, one requantize to the qcast type); a concat becomes an
    integer `qnn.concat` of its inputs requantized to the qcast type. A
    `qnn.unary` (LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh) becomes a
    `qnn.lut` whose 256 entries are `Q_out(f(DQ_in(q)))`, computed here in
    float32; a `qnn.mul` the exact int32 product at scale `s_a * s_b` and a
    `qnn.requantize`; a `qnn.softmax` the integer softmax (output scale
    1/256, zero point -128), then a requantize if the qcast type differs. A
    remaining adjacent
    `quant.dcast` -> `quant.qcast` pair is an identity when the types agree
    and a `qnn.requantize` otherwise. Ops whose operands are not all
    quantized are left in float.

    16x8: products, max pool, flatten, reshape, transpose, relu and clip
    also fold with per-tensor int16 activations (zero point 0). A use of an
    int16 value by any other op, or by the function result, first gets an
    int8 QDQ pair of the same range (scale `s16 * 32767 / 127`, zero point
    0; calibration inserts its own with the calibrated int8 type), which
    becomes a requantize int16 -> int8. A product with an int16 input whose
    int32 accumulator could overflow (`32767 * sum_k |w[c][k]| + |bias_q[c]|
    > 2^31 - 1` for some output channel, on its constant weights) is an
    error.

    ```mlir
    %a = quant.dcast %x : tensor<4x!qa> to tensor<4xf32>
    %b = quant.qcast %a : tensor<4xf32> to tensor<4x!qb>
    // ->
    %b = qnn.requantize %x : tensor<4x!qa> to tensor<4x!qb>
    ```
  }];
  let options = [
    Option<"rounding", "rounding", "std::string", /*default=*/"\"single\"",
           "rounding of the requantize ops created: single | double">,
  ];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::quant::QuantDialect",
                           "mlir::arith::ArithDialect"];
}

def ComputeScalesPass : Pass<"qnn-compute-scales", "func::FuncOp"> {
  let summary = "Compute int32 biases and fixed-point requantize multipliers";
  let description = [{
    Quantizes each f32 bias of an integer `qnn.conv` / `qnn.gemm` to int32
    with the accumulator's scale (`round_half_even(b / (s_in * s_w[c]))`,
    saturated) and fills `multiplier` / `shift` of every `qnn.requantize`
    from `m[c] = double(s_in) * double(s_w[c]) / double(s_out)` with
    `QuantizeMultiplier` (docs/IntegerSemantics.md), and those of every
    integer `qnn.avg_pool` from `m = s_in / (window_size * s_out)`, one per
    distinct window size.

    ```mlir
    %y = qnn.requantize %acc : tensor<4x!quant.uniform<i32:f32, 1.6e-05>>
                            to tensor<4x!quant.uniform<i8:f32, 0.0235>>
    // ->
    %y = qnn.requantize %acc {multiplier = array<i32: ...>, shift = array<i32: ...>} ...
    ```
  }];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::arith::ArithDialect"];
}

def FusePass : Pass<"qnn-fuse", "func::FuncOp"> {
  let summary = "Fuse relu/clip into requantize and conv+relu+maxpool";
  let description = [{
    Folds an integer `qnn.relu` / `qnn.clip` that follows a `qnn.requantize`
    into the requantize's clamp bounds, then fuses
    `qnn.conv -> qnn.requantize -> qnn.max_pool` (each intermediate with one
    use, i32 bias, multipliers computed) into one `qnn.conv_relu_pool`.
    Max pooling commutes with the monotonic requantize-and-clamp, so the
    result is bit-identical.
  }];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::arith::ArithDialect"];
}

def DynamicQuantizePass : Pass<"qnn-dynamic-quantize", "func::FuncOp"> {
  let summary = "Dynamic quantization: int8 weights, input quantized at run "
                "time";
  let description = [{
    The `--quantization=dynamic` strategy (PyTorch `quantize_dynamic`, ONNX
    Runtime `quantize_dynamic`): no calibration data. Every float
    `qnn.gemm` (`transA = false`, `alpha = beta = 1`, 1-D or no C) and
    `qnn.matmul` whose weight is a constant gets int8 weights, symmetric
    per output channel (or per tensor with
    `weight-granularity=per-tensor`), exactly as `qnn-calibrate` quantizes
    weights, and becomes a `qnn.dynamic_gemm`, whose input is quantized at
    run time per tensor (ONNX `DynamicQuantizeLinear`). Every other op stays
    in float; so does a product that does not match (reported by the
    driver's float-layer note).

    ```mlir
    %w = arith.constant dense<[[1.27, -0.5], [2.54, 1.0]]> : tensor<2x2xf32>
    %y = qnn.gemm %x, %w, %b {transB = true}
        : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
    // ->
    %q = arith.constant dense<[[127, -50], [127, 50]]> : tensor<2x2xi8>
    %wq = quant.scast %q : tensor<2x2xi8>
        to tensor<2x2x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>
    %y = qnn.dynamic_gemm %x, %wq, %b {transB = true}
        : (tensor<1x2xf32>, tensor<2x2x!quant.uniform<...>>, tensor<2xf32>)
       -> tensor<1x2xf32>
    ```
  }];
  let options = [
    Option<"weightGranularity", "weight-granularity", "std::string",
           /*default=*/"\"per-channel\"",
           "per-channel | per-tensor weight scales">,
  ];
  let dependentDialects = ["mlir::quantopt::qnn::QnnDialect",
                           "mlir::quant::QuantDialect",
                           "mlir::arith::ArithDialect"];
}

#endif // QUANTOPT_DIALECT_QNN_TRANSFORMS_PASSES_TD
