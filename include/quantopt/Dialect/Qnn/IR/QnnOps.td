//===- QnnOps.td - qnn dialect ops -------------------------*- tablegen -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_IR_QNNOPS_TD
#define QUANTOPT_DIALECT_QNN_IR_QNNOPS_TD

include "quantopt/Dialect/Qnn/IR/QnnBase.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Compute ops
//===----------------------------------------------------------------------===//

def Qnn_ConvOp : Qnn_Op<"conv", [Pure]> {
  let summary = "2-D convolution on NCHW tensors (ONNX Conv)";
  let description = [{
    ONNX `Conv` on a 4-D NCHW input and an OIHW filter. `pads` is
    `[top, left, bottom, right]` (ONNX order), `strides` and `dilations` have
    two entries. `group` splits input and output channels into that many
    independent groups (depthwise: `group` = input channels).

    Float form: input, filter, bias and result are `f32`.

    Integer form: input is a per-tensor `!quant.uniform<i8:...>`, the filter
    `!quant.uniform<i8:...>` per tensor or per axis 0 with zero point 0, and the
    result is the int32 accumulator: `!quant.uniform<i32:f32[:1], ...>` whose
    scale is `input_scale * filter_scale[c]` with zero point 0. The bias, if
    present, is `f32` (quantized later by `qnn-compute-scales`) or `i32` with
    the result's scale. 16x8: the input may be a per-tensor
    `!quant.uniform<i16<-32767:32767>:...>` with zero point 0 (weights stay
    int8, the accumulator int32; docs/IntegerSemantics.md 5.5).

    ```mlir
    %y = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64,
                              pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}
        : (tensor<1x1x28x28xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x28x28xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, Qnn_Tensor:$filter,
                       Optional<Qnn_BiasTensor>:$bias,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_GemmOp : Qnn_Op<"gemm", [Pure]> {
  let summary = "general matrix multiply (ONNX Gemm)";
  let description = [{
    `result = alpha * op(a) * op(b) + beta * c` with `op` an optional
    transpose, as ONNX `Gemm`; `c` is broadcast to the result. In the integer
    form `a` is per-tensor int8, `b` int8 with zero point 0 (per tensor, or per
    output column: axis 0 when `transB`, else axis 1), `alpha = beta = 1`,
    `transA = false`, `c` is f32 or i32 of shape `[N]` (one value per
    column) or `[M, N]` (the result's shape, a bias matrix whose elements
    have their column's scale), and the result is the int32 accumulator
    type (see `qnn.conv`; `a` may be int16 as there).
  }];
  let arguments = (ins Qnn_Tensor:$a, Qnn_Tensor:$b,
                       Optional<Qnn_BiasTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$transA,
                       DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_MatMulOp : Qnn_Op<"matmul", [Pure]> {
  let summary = "matrix product with broadcast batch dimensions (ONNX MatMul)";
  let description = [{
    ONNX `MatMul` (numpy `matmul`) on operands of rank >= 2:
    `[..., M, K] x [..., K, N] -> [..., M, N]`, the leading batch
    dimensions broadcast (a dimension of 1 repeats). The integer form
    follows `qnn.gemm`: the rhs is int8, a weight with zero point 0 per
    tensor or per output column (its last axis), or an activation per
    tensor with any zero point (both operands computed, as in attention);
    the result is the int32 accumulator at scale `s_lhs * s_rhs[n]`, per
    axis on its last axis when the rhs is.

    ```mlir
    %y = qnn.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x2xf32>)
        -> tensor<2x5x3x2xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_AddOp : Qnn_Op<"add", [Pure]> {
  let summary = "elementwise addition with numpy broadcasting (ONNX Add)";
  let description = [{
    Float form: all `f32`. Integer form: both operands and the result are
    per-tensor int8 quantized types; the result is computed with TFLite's
    ADD algorithm (left shift 20, three requantizations; see
    docs/IntegerSemantics.md).
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_BatchNormOp : Qnn_Op<"batch_norm", [Pure]> {
  let summary = "inference batch normalization (ONNX BatchNormalization)";
  let description = [{
    `result = (input - mean[c]) * scale[c] / sqrt(variance[c] + epsilon)
    + bias[c]` along dimension 1 (the channel) of an `[N, C, ...]` input,
    with the running statistics of ONNX `BatchNormalization` in inference
    mode. Float only: `qnn-fold-batchnorm` folds it into a preceding
    `qnn.conv` or `qnn.gemm`; one that cannot be folded stays in float and
    the int8 lowering reports it.

    ```mlir
    %y = qnn.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-05 : f32}
        : (tensor<1x8x14x14xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>,
           tensor<8xf32>) -> tensor<1x8x14x14xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, Qnn_Tensor:$scale, Qnn_Tensor:$bias,
                       Qnn_Tensor:$mean, Qnn_Tensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-05">:$epsilon);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_ConcatOp : Qnn_Op<"concat", [Pure]> {
  let summary = "concatenation along an axis (ONNX Concat)";
  let description = [{
    Concatenates its inputs along `axis` (normalized, in `[0, rank)`); all
    other dimensions agree. Float form: all `f32`. Integer form: every input
    has the result's per-tensor quantized type (`qnn-fold-qdq` requantizes
    each input to the output's scale and zero point first, see
    docs/IntegerSemantics.md), so the concatenation only moves bytes.
  }];
  let arguments = (ins Variadic<Qnn_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Activations and pooling
//===----------------------------------------------------------------------===//

def Qnn_ReluOp : Qnn_Op<"relu", [Pure, SameOperandsAndResultType]> {
  let summary = "max(x, 0) (ONNX Relu)";
  let description = [{
    On a quantized tensor this is a clamp at the zero point, so the type is
    unchanged.
  }];
  let arguments = (ins Qnn_Tensor:$input);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Qnn_ClipOp : Qnn_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "clamp to [min, max] (ONNX Clip)";
  let description = [{
    `min` and `max` are real values (absent means unbounded). On a quantized
    tensor they are converted to the storage domain with the tensor's scale
    and zero point and the type is unchanged.
  }];
  let arguments = (ins Qnn_Tensor:$input, OptionalAttr<F32Attr>:$min,
                       OptionalAttr<F32Attr>:$max);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Qnn_MaxPoolOp : Qnn_Op<"max_pool", [Pure]> {
  let summary = "2-D max pooling on NCHW tensors (ONNX MaxPool)";
  let description = [{
    `kernel_shape`, `strides` have two entries, `pads` four
    (`[top, left, bottom, right]`); padding never wins the max. The
    optional `dilations` (two entries, default 1) space the window's
    elements: window element `(kh, kw)` of output `(oh, ow)` reads input
    `(oh * s_h - pad_top + kh * d_h, ow * s_w - pad_left + kw * d_w)`. On a
    quantized tensor the result keeps the input's type.
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// `dilations`, or {1, 1} when absent.
    ::llvm::SmallVector<int64_t> getDilationsOrOnes() {
      if (auto d = getDilations())
        return ::llvm::SmallVector<int64_t>(*d);
      return {1, 1};
    }
  }];
}

def Qnn_MaxPoolIndicesOp : Qnn_Op<"max_pool_indices", [Pure]> {
  let summary = "where each 2-D max pooling window's maximum is (ONNX "
                "MaxPool's Indices output)";
  let description = [{
    For each output position of the `qnn.max_pool` with the same window
    attributes, the flat NCHW index `((n * C + c) * H + h) * W + w` of the
    input element that is the window's maximum (the first one in window
    order, row by row, on a tie; padding never wins); with `column_major`
    (ONNX `storage_order = 1`) `(n * C + c) * H * W + w * H + h`. The result is the
    int32 index itself: `!quant.uniform<i32:f32, 1.0>` (scale 1, zero point
    0), so its dequantization is the index as a float, exact below 2^24.
    On a quantized input the maximum is taken over the stored integers,
    which order like the real values.

    ```mlir
    %i = qnn.max_pool_indices %x {kernel_shape = array<i64: 2, 2>,
           pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}
        : (tensor<1x1x4x4x!quant.uniform<i8:f32, 0.1>>)
       -> tensor<1x1x2x2x!quant.uniform<i32:f32, 1.0>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       OptionalAttr<DenseI64ArrayAttr>:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$column_major);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// `dilations`, or {1, 1} when absent.
    ::llvm::SmallVector<int64_t> getDilationsOrOnes() {
      if (auto d = getDilations())
        return ::llvm::SmallVector<int64_t>(*d);
      return {1, 1};
    }
  }];
}

def Qnn_AvgPoolOp : Qnn_Op<"avg_pool", [Pure]> {
  let summary = "2-D average pooling on NCHW tensors (ONNX AveragePool, "
                "GlobalAveragePool)";
  let description = [{
    `kernel_shape` and `strides` have two entries, `pads` four
    (`[top, left, bottom, right]`). Each output is the sum of its window
    divided by the window size: `kernel_shape[0] * kernel_shape[1]` when
    `count_include_pad` is set, else the number of window elements inside
    the input. ONNX `GlobalAveragePool` is the window of the whole input.

    Integer form: input and result are per-tensor int8 types with their own
    parameters. The int32 sum of `q - zp_in` over the window is requantized
    once with the real multiplier `s_in / (window_size * s_out)`, in the
    op's `rounding`; `multiplier` and `shift` hold its fixed-point form, one
    entry per distinct window size in increasing order (one entry when no
    window touches the padding or `count_include_pad` is set), filled in by
    `qnn-compute-scales`; the lowering requires them.

    ```mlir
    %y = qnn.avg_pool %x {kernel_shape = array<i64: 7, 7>, pads = array<i64: 0, 0, 0, 0>,
                          strides = array<i64: 1, 1>}
        : (tensor<1x24x7x7xf32>) -> tensor<1x24x1x1xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
                       DefaultValuedAttr<Qnn_RoundingModeAttr,
                           "::mlir::quantopt::qnn::RoundingMode::Single">:$rounding,
                       OptionalAttr<DenseI32ArrayAttr>:$multiplier,
                       OptionalAttr<DenseI32ArrayAttr>:$shift);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The divisor of every output position (row-major over the output
    /// rows and columns).
    ::llvm::SmallVector<int64_t> getDivisors();
    /// The distinct divisors in increasing order: the index space of
    /// `multiplier` and `shift`.
    ::llvm::SmallVector<int64_t> getWindowSizes();
    /// The real multipliers s_in / (window_size * s_out), one per entry of
    /// getWindowSizes(); integer form only.
    ::llvm::SmallVector<double> getRealMultipliers();
  }];
}

//===----------------------------------------------------------------------===//
// Pointwise functions, Mul, Transpose, Softmax
//===----------------------------------------------------------------------===//

def Qnn_UnaryOp : Qnn_Op<"unary", [Pure, SameOperandsAndResultType]> {
  let summary = "pointwise float function (ONNX LeakyRelu, Sigmoid, "
                "HardSigmoid, HardSwish, Tanh)";
  let description = [{
    Applies `function` to every element of an `f32` tensor:
    `leaky_relu` (`x >= 0 ? x : alpha * x`), `sigmoid` (`1 / (1 + exp(-x))`),
    `hard_sigmoid` (`max(0, min(1, alpha * x + beta))`), `hard_swish`
    (`x * max(0, min(1, x / 6 + 1 / 2))`) and `tanh`. `alpha` and `beta` are
    the ONNX attributes (unused ones are ignored). Float only: `qnn-fold-qdq`
    turns `qcast(unary(dcast(x)))` into a `qnn.lut` whose table is the
    function evaluated at all 256 int8 inputs.

    ```mlir
    %y = qnn.unary %x {function = "leaky_relu", alpha = 0.1 : f32}
        : tensor<1x16x14x14xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, StrAttr:$function,
                       DefaultValuedAttr<F32Attr, "0.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.0">:$beta);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The function names the op accepts.
    static ::llvm::ArrayRef<::llvm::StringRef> getFunctionNames();
    /// The function at `x`, in float32 as ONNX Runtime computes it.
    float evaluate(float x);
  }];
}

def Qnn_LutOp : Qnn_Op<"lut", [Pure]> {
  let summary = "int8 -> int8 table lookup (any pointwise function)";
  let description = [{
    `result[i] = table[input[i] + 128]`: `table` has 256 int8 entries, the
    result for every input value from -128 to 127. `qnn-fold-qdq` computes it
    at compile time from a `qnn.unary` between a dequantize and a quantize
    as `Q_out(f(DQ_in(q)))` (float32, round half to even, saturate), so the
    lookup is exact with respect to the QDQ model and the generated code only
    indexes an array. Input and result are per-tensor int8 quantized types
    of the same shape.

    Abridged (the table has 256 entries):

    ```
    %y = qnn.lut %x {table = array<i8: -128, -128, ..., 127>}
        : (tensor<1x8x!quant.uniform<i8:f32, 0.05:-3>>)
       -> tensor<1x8x!quant.uniform<i8:f32, 0.00390625:-128>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI8ArrayAttr:$table);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_MulOp : Qnn_Op<"mul", [Pure]> {
  let summary = "elementwise product with numpy broadcasting (ONNX Mul)";
  let description = [{
    Float form: all `f32`. Integer form: both operands are per-tensor int8
    quantized types and the result is the exact int32 product
    `(a - zp_a) * (b - zp_b)`, typed `!quant.uniform<i32:f32, s_a * s_b>`
    with zero point 0; a `qnn.requantize` to the output type follows (real
    multiplier `s_a * s_b / s_y`).

    ```mlir
    %p = qnn.mul %a, %b : (tensor<1x8x4x4x!quant.uniform<i8:f32, 0.5:-3>>,
                           tensor<1x8x1x1x!quant.uniform<i8:f32, 0.25:7>>)
        -> tensor<1x8x4x4x!quant.uniform<i32:f32, 0.125>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_IntegerBinaryOp : Qnn_Op<"integer_binary", [Pure]> {
  let summary = "ONNX Add / Mul on raw 8-bit integers (wrapping)";
  let description = [{
    ONNX Add or Mul (`kind` = `add` or `mul`) of two UINT8 (or two INT8)
    tensors that are integers themselves, not quantized reals: the result
    is the 8-bit wrap (modulo 256) of the exact sum or product, as ONNX and
    numpy compute it. Operands and result have the raw type of their ONNX
    type, `!quant.uniform<i8:f32, 1.0:-128>` for UINT8 (storage `u - 128`)
    or `!quant.uniform<i8:f32, 1.0>` for INT8, with numpy broadcasting.

    ```mlir
    %s = qnn.integer_binary %a, %b {kind = "add"}
        : (tensor<3x4x!quant.uniform<i8:f32, 1.0:-128>>,
           tensor<4x!quant.uniform<i8:f32, 1.0:-128>>)
       -> tensor<3x4x!quant.uniform<i8:f32, 1.0:-128>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$lhs, Qnn_Tensor:$rhs, StrAttr:$kind);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_TransposeOp : Qnn_Op<"transpose", [Pure]> {
  let summary = "permutation of the dimensions (ONNX Transpose)";
  let description = [{
    `result` dimension `i` is `input` dimension `perm[i]`. The element type
    (and a quantized type's scale and zero point) is unchanged.

    ```mlir
    %y = qnn.transpose %x {perm = array<i64: 0, 2, 3, 1>}
        : (tensor<1x32x7x7xf32>) -> tensor<1x7x7x32xf32>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_SoftmaxOp : Qnn_Op<"softmax", [Pure]> {
  let summary = "softmax along one dimension (ONNX Softmax)";
  let description = [{
    `y = exp(x - max) / sum(exp(x - max))` along `axis` (any dimension; a
    row is the `axis` extent at one position of the other dimensions).
    Float form: `f32`. Integer form: a per-tensor int8 input
    and the int8 result type with scale 1/256 and zero point -128 (ONNX
    Runtime's QLinearSoftmax convention). Per row, with `d = max - q` in
    [0, 255] and the compile-time table `E[d] = round(2^20 * exp(-s_in * d))`:
    `y = min(127, floor((512 * E[d] + S) / (2 * S)) - 128)`, `S = sum E[d]`
    in int64 (docs/IntegerSemantics.md).

    ```mlir
    %y = qnn.softmax %x {axis = 1 : i64}
        : (tensor<1x10x!quant.uniform<i8:f32, 0.1:5>>)
       -> tensor<1x10x!quant.uniform<i8:f32, 3.906250e-03:-128>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input, I64Attr:$axis);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The exponent table of the integer form: E[d] for d in [0, 255].
    ::llvm::SmallVector<int64_t> getExpTable();
  }];
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

def Qnn_FlattenOp : Qnn_Op<"flatten", [Pure]> {
  let summary = "flatten to 2-D at an axis (ONNX Flatten)";
  let arguments = (ins Qnn_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_ReshapeOp : Qnn_Op<"reshape", [Pure]> {
  let summary = "reshape to the static result shape (ONNX Reshape)";
  let description = [{
    The importer resolves ONNX's shape operand (with `0` and `-1`) to the
    static result type; element count and element type are unchanged.
  }];
  let arguments = (ins Qnn_Tensor:$input);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer-only ops
//===----------------------------------------------------------------------===//

def Qnn_RequantizeOp : Qnn_Op<"requantize", [Pure]> {
  let summary = "change the scale and zero point of a quantized tensor";
  let description = [{
    `result = clamp(rescale(q - zp_in) + zp_out)` where `rescale` multiplies
    by the real multiplier `scale_in / scale_out` (per channel when either
    type is per-axis) in fixed point, with the rounding given by `rounding`
    (`single` or `double`, see docs/IntegerSemantics.md). The clamp bounds
    are the result storage range, narrowed by `clamp_min` / `clamp_max`
    (storage units) when set: a fused ReLU or Clip is only that clamp.

    `multiplier` and `shift` are the fixed-point form of the real multiplier
    (one entry, or one per channel), filled in by `qnn-compute-scales`; the
    lowering requires them.

    ```mlir
    %y = qnn.requantize %acc {rounding = #qnn.rounding<single>}
        : tensor<1x16x28x28x!quant.uniform<i32:f32:1, {...}>>
       -> tensor<1x16x28x28x!quant.uniform<i8:f32, 0.0235:-128>>
    ```
  }];
  let arguments = (ins Qnn_Tensor:$input,
                       DefaultValuedAttr<Qnn_RoundingModeAttr,
                           "::mlir::quantopt::qnn::RoundingMode::Single">:$rounding,
                       OptionalAttr<I64Attr>:$clamp_min,
                       OptionalAttr<I64Attr>:$clamp_max,
                       OptionalAttr<DenseI32ArrayAttr>:$multiplier,
                       OptionalAttr<DenseI32ArrayAttr>:$shift);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `to` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The channel axis of the rescale, or -1 when it is per tensor.
    int64_t getChannelAxis();
    /// The real multipliers scale_in / scale_out, one per channel (or one).
    ::llvm::SmallVector<double> getRealMultipliers();
    /// The clamp range in result storage units, fused bounds included.
    std::pair<int64_t, int64_t> getClampRange();
  }];
}

def Qnn_ConvReluPoolOp : Qnn_Op<"conv_relu_pool", [Pure]> {
  let summary = "fused int8 conv2d, requantize, relu and max-pool on NCHW tensors";
  let description = [{
    Computes `max_pool(clamp(requantize(conv2d(input, filter) + bias)))`.
    Input, filter and result are `!quant.uniform` int8; `bias` is i32 with
    scale `input_scale * filter_scale[c]` and zero point 0 (ONNX QLinearConv).
    The requantize carries its fixed-point `multiplier`/`shift` per output
    channel and its `rounding`; ReLU is the clamp `[clamp_min, clamp_max]` in
    result storage units. Produced by `qnn-fuse`; consumed by
    `qnn-lower-to-linalg-int8`.
  }];
  let arguments = (ins Qnn_Tensor:$input, Qnn_Tensor:$filter,
                       RankedTensorOf<[I32]>:$bias,
                       DenseI64ArrayAttr:$conv_strides,
                       DenseI64ArrayAttr:$conv_pads,
                       DenseI64ArrayAttr:$conv_dilations,
                       DenseI64ArrayAttr:$pool_kernel,
                       DenseI64ArrayAttr:$pool_strides,
                       DenseI64ArrayAttr:$pool_pads,
                       Qnn_RoundingModeAttr:$rounding,
                       DenseI32ArrayAttr:$multiplier,
                       DenseI32ArrayAttr:$shift,
                       I64Attr:$clamp_min, I64Attr:$clamp_max);
  let results = (outs Qnn_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $filter `,` $bias attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Dynamic quantization
//===----------------------------------------------------------------------===//

def Qnn_DynamicGemmOp : Qnn_Op<"dynamic_gemm", [Pure]> {
  let summary = "float matrix product with int8 weights and the input "
                "quantized at run time";
  let description = [{
    The dynamically quantized Gemm / MatMul of `--quantization=dynamic`
    (ONNX `DynamicQuantizeLinear` followed by `MatMulInteger`). At run time
    the f32 input `[M, K]` is quantized per tensor as ONNX
    `DynamicQuantizeLinear` specifies (uint8, re-centred to int8):
    `x_min = min(0, min(x))`, `x_max = max(0, max(x))`,
    `s_x = (x_max - x_min) / 255`,
    `zp = saturate(round_half_even(0 - x_min / s_x))` in `[0, 255]`,
    `q = saturate(round_half_even(x / s_x) + zp)`; then the int8 x int8 ->
    int32 product `acc[m, n] = sum_k (q[m, k] - zp) * (w[k, n] - zp_w[n])`
    and the f32 result `acc * (s_x * s_w[n]) + bias[n]`.

    The weight is constant int8 storage, per tensor or per output column:
    `[N, K]` quantized along axis 0 with `transB`, else `[K, N]` along
    axis 1. Its zero point is 0 when `--quantization=dynamic` quantizes a
    float model; an imported ONNX Runtime model (`MatMulInteger` with a
    weight zero point, uint8 weights re-centred by -128) may have any.
    `bias` is an optional f32 `[N]`.

    ```mlir
    %y = qnn.dynamic_gemm %x, %w, %b {transB = true}
        : (tensor<1x4xf32>,
           tensor<2x4x!quant.uniform<i8<-127:127>:f32:0, {0.01, 0.02}>>,
           tensor<2xf32>) -> tensor<1x2xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input, Qnn_Tensor:$weight,
                       Optional<RankedTensorOf<[F32]>>:$bias,
                       DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_DynamicConvOp : Qnn_Op<"dynamic_conv", [Pure]> {
  let summary = "float 2-D convolution with int8 weights and the input "
                "quantized at run time";
  let description = [{
    ONNX Runtime's dynamically quantized Conv (`DynamicQuantizeLinear` ->
    `ConvInteger` -> `Cast` -> `Mul` by `x_scale * w_scale`), imported from
    such a model. The f32 NCHW input is quantized per tensor at run time as
    for `qnn.dynamic_gemm` (the padding is the zero point, i.e. real 0);
    then `acc[n, f, oh, ow] = sum_{c, kh, kw} (q - zp) * (w - zp_w[f])` in
    int32 and the f32 result `acc * (s_x * s_w[f])`. `pads`, `strides`,
    `dilations` and `group` are those of `qnn.conv`.

    The filter is constant int8 storage (UINT8 re-centred by -128), per
    tensor or per output channel (axis 0), with any zero points.

    ```mlir
    %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>,
           group = 1 : i64, pads = array<i64: 1, 1, 1, 1>,
           strides = array<i64: 1, 1>}
        : (tensor<1x1x4x4xf32>, tensor<2x1x3x3x!quant.uniform<i8:f32, 0.01>>)
       -> tensor<1x2x4x4xf32>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input, Qnn_Tensor:$filter,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                       DenseI64ArrayAttr:$dilations, I64Attr:$group);
  let results = (outs RankedTensorOf<[F32]>:$result);
  let assemblyFormat = [{
    $input `,` $filter attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Qnn_DynamicQuantizeOp : Qnn_Op<"dynamic_quantize", [Pure]> {
  let summary = "quantization of a float tensor with a scale computed at "
                "run time (ONNX DynamicQuantizeLinear)";
  let description = [{
    ONNX `DynamicQuantizeLinear` used on its own: the f32 input is
    quantized per tensor to uint8 as `qnn.dynamic_gemm` describes
    (`x_min = min(0, min(x))`, `x_max = max(0, max(x))`,
    `s = (x_max - x_min) / 255`, `zp = saturate(round_half_even(-x_min / s))`,
    `q = saturate(round_half_even(x / s) + zp)`), and the three results are
    the uint8 data, the f32 scale and the uint8 zero point. The two uint8
    results are raw integers: int8 storage re-centred by -128 with scale 1
    and zero point -128, so their dequantized value is the uint8 value.

    ```mlir
    %y, %s, %zp = qnn.dynamic_quantize %x : tensor<2x3xf32>
        -> (tensor<2x3x!quant.uniform<i8:f32, 1.0:-128>>, tensor<f32>,
            tensor<!quant.uniform<i8:f32, 1.0:-128>>)
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32]>:$input);
  let results = (outs Qnn_Tensor:$data, 0DTensorOf<[F32]>:$scale,
                      Qnn_Tensor:$zero_point);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` `(` type($data) `,` type($scale)
    `,` type($zero_point) `)`
  }];
  let hasVerifier = 1;
}

#endif // QUANTOPT_DIALECT_QNN_IR_QNNOPS_TD
