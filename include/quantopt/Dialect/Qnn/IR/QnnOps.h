//===- QnnOps.h - qnn dialect ops ---------------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Op classes of the qnn dialect and the shape rules shared by the verifiers
// and the ONNX importer.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_IR_QNNOPS_H
#define QUANTOPT_DIALECT_QNN_IR_QNNOPS_H

#include "quantopt/Dialect/Qnn/IR/QnnDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "quantopt/Dialect/Qnn/IR/QnnEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "quantopt/Dialect/Qnn/IR/QnnAttrs.h.inc"

#define GET_OP_CLASSES
#include "quantopt/Dialect/Qnn/IR/QnnOps.h.inc"

namespace mlir::quantopt::qnn {

/// Output shape of an NCHW convolution, or failure with `reason` set.
FailureOr<SmallVector<int64_t>>
inferConvShape(ArrayRef<int64_t> input, ArrayRef<int64_t> filter,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
               ArrayRef<int64_t> dilations, int64_t group, std::string &reason);

/// Output shape of an NCHW 2-D pooling window, or failure with `reason` set.
/// `dilations` (two entries, or empty for 1) space the window's elements.
FailureOr<SmallVector<int64_t>>
inferPoolShape(ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
               std::string &reason, ArrayRef<int64_t> dilations = {});

/// The divisor of each output position of a 2-D average pool (row-major
/// over the `outputHW` positions): the window size, or with
/// `countIncludePad` false the number of window elements inside `inputHW`.
SmallVector<int64_t>
getAvgPoolDivisors(ArrayRef<int64_t> inputHW, ArrayRef<int64_t> outputHW,
                   ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                   ArrayRef<int64_t> pads, bool countIncludePad);

/// Output shape of a concatenation along `axis` (in [0, rank)), or failure
/// with `reason` set.
FailureOr<SmallVector<int64_t>>
inferConcatShape(ArrayRef<SmallVector<int64_t>> inputs, int64_t axis,
                 std::string &reason);

/// Output shape of ONNX Gemm, or failure with `reason` set.
FailureOr<SmallVector<int64_t>> inferGemmShape(ArrayRef<int64_t> a,
                                               ArrayRef<int64_t> b, bool transA,
                                               bool transB,
                                               std::string &reason);

/// Output shape of ONNX MatMul on operands of rank >= 2 (numpy matmul:
/// `[..., M, K] x [..., K, N] -> [..., M, N]` with the leading batch
/// dimensions broadcast), or failure with `reason` set.
FailureOr<SmallVector<int64_t>> inferMatMulShape(ArrayRef<int64_t> lhs,
                                                 ArrayRef<int64_t> rhs,
                                                 std::string &reason);

/// The indexing maps (lhs, rhs, result) of a matmul with broadcast batch
/// dimensions over the iteration space `(batch..., m, n, k)`: the reduction
/// `k` is innermost. A batch dimension of size 1 broadcast against a larger
/// one reads index 0.
SmallVector<AffineMap> getMatMulIndexingMaps(MLIRContext *context,
                                             ArrayRef<int64_t> lhs,
                                             ArrayRef<int64_t> rhs,
                                             ArrayRef<int64_t> result);

/// The indexing maps (input, filter, output) and iterator types of a
/// grouped NCHW convolution over the iteration space
/// `(n, g, f, c, kh, kw, oh, ow)`: the input is read at channel
/// `g * channelsPerGroup + c` and position `o * stride + k * dilation`, the
/// filter is `[group, f, c, kh, kw]` and the output `[n, group, f, oh, ow]`;
/// the reductions (c, kh, kw) run outside the output rows.
struct GroupedConvIndexing {
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};
GroupedConvIndexing getGroupedConvIndexing(MLIRContext *context,
                                           int64_t channelsPerGroup,
                                           ArrayRef<int64_t> strides,
                                           ArrayRef<int64_t> dilations);

/// Numpy broadcast of two shapes, or failure with `reason` set.
FailureOr<SmallVector<int64_t>> inferBroadcastShape(ArrayRef<int64_t> lhs,
                                                    ArrayRef<int64_t> rhs,
                                                    std::string &reason);

/// Output shape of ONNX Flatten at `axis`, or failure with `reason` set.
FailureOr<SmallVector<int64_t>> inferFlattenShape(ArrayRef<int64_t> input,
                                                  int64_t axis,
                                                  std::string &reason);

/// The quantized element type of `type`, or null if it is not quantized.
quant::QuantizedType getQuantElementType(Type type);

/// The int32 accumulator type of an int8 product of `input` and `weight`:
/// scale `s_in * s_w[c]` (exact in double), zero point 0, per axis
/// `resultAxis` when the weight is per axis.
quant::QuantizedType getAccumulatorType(quant::UniformQuantizedType input,
                                        quant::QuantizedType weight,
                                        int32_t resultAxis);

/// Per-tensor int8 type with the given parameters.
quant::UniformQuantizedType getInt8Type(MLIRContext *context, double scale,
                                        int64_t zeroPoint);

/// Per-tensor symmetric int16 type (16x8 activations): zero point 0, storage
/// range [-32767, 32767].
quant::UniformQuantizedType getInt16Type(MLIRContext *context, double scale);

/// The scales of a uniform or per-axis type (one entry when per tensor).
SmallVector<double> getScales(quant::QuantizedType type);

/// The clamp, in storage units of `type`, that a qnn.relu or qnn.clip on a
/// tensor of that type amounts to.
std::pair<int64_t, int64_t>
getActivationClampRange(Operation *reluOrClip,
                        quant::UniformQuantizedType type);

/// "[d0, d1, ...]" for diagnostics.
std::string formatShape(ArrayRef<int64_t> shape);

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_DIALECT_QNN_IR_QNNOPS_H
