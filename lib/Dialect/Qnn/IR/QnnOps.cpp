//===- QnnOps.cpp - qnn dialect ops -------------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Verifiers, folders and the shape rules of the qnn ops. The shape rules are
// shared with the ONNX importer so that both agree on every static shape.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

std::string qnn::formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

FailureOr<SmallVector<int64_t>>
qnn::inferConvShape(ArrayRef<int64_t> input, ArrayRef<int64_t> filter,
                    ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                    ArrayRef<int64_t> dilations, int64_t group,
                    std::string &reason) {
  if (input.size() != 4 || filter.size() != 4) {
    reason = "expects a 4-D NCHW input and a 4-D OIHW filter, got " +
             formatShape(input) + " and " + formatShape(filter);
    return failure();
  }
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4) {
    reason = "expects 2 strides, 2 dilations and 4 pads";
    return failure();
  }
  if (group < 1 || input[1] != filter[1] * group || filter[0] % group != 0) {
    reason = "input channels " + std::to_string(input[1]) +
             " do not match filter " + formatShape(filter) + " with group " +
             std::to_string(group);
    return failure();
  }
  SmallVector<int64_t> out = {input[0], filter[0], 0, 0};
  for (int i = 0; i < 2; ++i) {
    if (strides[i] < 1 || dilations[i] < 1 || pads[i] < 0 || pads[i + 2] < 0) {
      reason = "strides and dilations must be positive, pads non-negative";
      return failure();
    }
    int64_t extent = dilations[i] * (filter[2 + i] - 1) + 1;
    int64_t padded = input[2 + i] + pads[i] + pads[i + 2];
    if (padded < extent) {
      reason = "kernel is larger than the padded input " + formatShape(input);
      return failure();
    }
    out[2 + i] = (padded - extent) / strides[i] + 1;
  }
  return out;
}

FailureOr<SmallVector<int64_t>>
qnn::inferPoolShape(ArrayRef<int64_t> input, ArrayRef<int64_t> kernel,
                    ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                    std::string &reason, ArrayRef<int64_t> dilations) {
  if (input.size() != 4) {
    reason = "expects a 4-D NCHW input, got " + formatShape(input);
    return failure();
  }
  if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4) {
    reason = "expects 2 kernel sizes, 2 strides and 4 pads";
    return failure();
  }
  if (!dilations.empty() &&
      (dilations.size() != 2 || dilations[0] < 1 || dilations[1] < 1)) {
    reason = "expects 2 positive dilations";
    return failure();
  }
  SmallVector<int64_t> out = {input[0], input[1], 0, 0};
  for (int i = 0; i < 2; ++i) {
    // The window spans `extent` input positions.
    int64_t extent =
        dilations.empty() ? kernel[i] : dilations[i] * (kernel[i] - 1) + 1;
    if (kernel[i] < 1 || strides[i] < 1 || pads[i] < 0 || pads[i + 2] < 0) {
      reason = "kernel and strides must be positive, pads non-negative";
      return failure();
    }
    if (pads[i] >= extent || pads[i + 2] >= extent) {
      reason = "pads must be smaller than the kernel";
      return failure();
    }
    int64_t padded = input[2 + i] + pads[i] + pads[i + 2];
    if (padded < extent) {
      reason = "kernel is larger than the padded input " + formatShape(input);
      return failure();
    }
    out[2 + i] = (padded - extent) / strides[i] + 1;
  }
  return out;
}

SmallVector<int64_t>
qnn::getAvgPoolDivisors(ArrayRef<int64_t> inputHW, ArrayRef<int64_t> outputHW,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> pads, bool countIncludePad) {
  // Elements of the window at output index `o` along dimension `i` that lie
  // inside the input.
  auto inside = [&](int i, int64_t o) {
    int64_t begin = o * strides[i] - pads[i];
    int64_t end = begin + kernel[i];
    return std::min(end, inputHW[i]) - std::max<int64_t>(begin, 0);
  };
  SmallVector<int64_t> divisors;
  divisors.reserve(outputHW[0] * outputHW[1]);
  for (int64_t oy = 0; oy < outputHW[0]; ++oy)
    for (int64_t ox = 0; ox < outputHW[1]; ++ox)
      divisors.push_back(countIncludePad ? kernel[0] * kernel[1]
                                         : inside(0, oy) * inside(1, ox));
  return divisors;
}

FailureOr<SmallVector<int64_t>>
qnn::inferConcatShape(ArrayRef<SmallVector<int64_t>> inputs, int64_t axis,
                      std::string &reason) {
  if (inputs.empty()) {
    reason = "expects at least one input";
    return failure();
  }
  int64_t rank = inputs.front().size();
  if (axis < 0 || axis >= rank) {
    reason = "axis " + std::to_string(axis) + " is out of range for rank " +
             std::to_string(rank);
    return failure();
  }
  SmallVector<int64_t> out(inputs.front());
  out[axis] = 0;
  for (const SmallVector<int64_t> &shape : inputs) {
    bool same = static_cast<int64_t>(shape.size()) == rank;
    for (int64_t d = 0; same && d < rank; ++d)
      same = d == axis || shape[d] == out[d];
    if (!same) {
      reason = "input shapes " + formatShape(inputs.front()) + " and " +
               formatShape(shape) + " differ outside axis " +
               std::to_string(axis);
      return failure();
    }
    out[axis] += shape[axis];
  }
  return out;
}

FailureOr<SmallVector<int64_t>> qnn::inferGemmShape(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b,
                                                    bool transA, bool transB,
                                                    std::string &reason) {
  if (a.size() != 2 || b.size() != 2) {
    reason = "expects 2-D operands, got " + formatShape(a) + " and " +
             formatShape(b);
    return failure();
  }
  int64_t m = transA ? a[1] : a[0], ka = transA ? a[0] : a[1];
  int64_t kb = transB ? b[1] : b[0], n = transB ? b[0] : b[1];
  if (ka != kb) {
    reason = "inner dimensions differ: " + formatShape(a) + " and " +
             formatShape(b);
    return failure();
  }
  return SmallVector<int64_t>{m, n};
}

FailureOr<SmallVector<int64_t>> qnn::inferMatMulShape(ArrayRef<int64_t> lhs,
                                                      ArrayRef<int64_t> rhs,
                                                      std::string &reason) {
  if (lhs.size() < 2 || rhs.size() < 2) {
    reason = "expects operands of rank >= 2, got " + formatShape(lhs) +
             " and " + formatShape(rhs);
    return failure();
  }
  if (lhs.back() != rhs[rhs.size() - 2]) {
    reason = "inner dimensions differ: " + formatShape(lhs) + " and " +
             formatShape(rhs);
    return failure();
  }
  std::string bReason;
  auto batch = inferBroadcastShape(lhs.drop_back(2), rhs.drop_back(2), bReason);
  if (failed(batch)) {
    reason = "batch dimensions of " + formatShape(lhs) + " and " +
             formatShape(rhs) + " do not broadcast";
    return failure();
  }
  SmallVector<int64_t> shape(*batch);
  shape.push_back(lhs[lhs.size() - 2]);
  shape.push_back(rhs.back());
  return shape;
}

qnn::GroupedConvIndexing
qnn::getGroupedConvIndexing(MLIRContext *context, int64_t channelsPerGroup,
                            ArrayRef<int64_t> strides,
                            ArrayRef<int64_t> dilations) {
  AffineExpr n = getAffineDimExpr(0, context), g = getAffineDimExpr(1, context),
             f = getAffineDimExpr(2, context), c = getAffineDimExpr(3, context),
             kh = getAffineDimExpr(4, context),
             kw = getAffineDimExpr(5, context),
             oh = getAffineDimExpr(6, context),
             ow = getAffineDimExpr(7, context);
  using utils::IteratorType;
  return {{AffineMap::get(8, 0,
                          {n, g * channelsPerGroup + c,
                           oh * strides[0] + kh * dilations[0],
                           ow * strides[1] + kw * dilations[1]},
                          context),
           AffineMap::get(8, 0, {g, f, c, kh, kw}, context),
           AffineMap::get(8, 0, {n, g, f, oh, ow}, context)},
          {IteratorType::parallel, IteratorType::parallel,
           IteratorType::parallel, IteratorType::reduction,
           IteratorType::reduction, IteratorType::reduction,
           IteratorType::parallel, IteratorType::parallel}};
}

SmallVector<AffineMap> qnn::getMatMulIndexingMaps(MLIRContext *context,
                                                  ArrayRef<int64_t> lhs,
                                                  ArrayRef<int64_t> rhs,
                                                  ArrayRef<int64_t> result) {
  int64_t rank = result.size(), batch = rank - 2;
  unsigned numDims = rank + 1;
  AffineExpr m = getAffineDimExpr(batch, context),
             n = getAffineDimExpr(batch + 1, context),
             k = getAffineDimExpr(batch + 2, context);
  // The batch dimensions of an operand are right-aligned with the result's.
  auto batchExprs = [&](ArrayRef<int64_t> shape) {
    SmallVector<AffineExpr> exprs;
    int64_t operandBatch = shape.size() - 2;
    for (int64_t d = 0; d < operandBatch; ++d) {
      int64_t r = d + batch - operandBatch;
      exprs.push_back(shape[d] == 1 && result[r] != 1
                          ? getAffineConstantExpr(0, context)
                          : getAffineDimExpr(r, context));
    }
    return exprs;
  };
  SmallVector<AffineExpr> lhsExprs = batchExprs(lhs),
                          rhsExprs = batchExprs(rhs), resExprs;
  lhsExprs.append({m, k});
  rhsExprs.append({k, n});
  for (int64_t d = 0; d < rank; ++d)
    resExprs.push_back(getAffineDimExpr(d, context));
  return {AffineMap::get(numDims, 0, lhsExprs, context),
          AffineMap::get(numDims, 0, rhsExprs, context),
          AffineMap::get(numDims, 0, resExprs, context)};
}

FailureOr<SmallVector<int64_t>>
qnn::inferBroadcastShape(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                         std::string &reason) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> out(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l != r && l != 1 && r != 1) {
      reason = "shapes " + formatShape(lhs) + " and " + formatShape(rhs) +
               " do not broadcast";
      return failure();
    }
    out[i] = l == 1 ? r : l;
  }
  return out;
}

FailureOr<SmallVector<int64_t>> qnn::inferFlattenShape(ArrayRef<int64_t> input,
                                                       int64_t axis,
                                                       std::string &reason) {
  int64_t rank = input.size();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank) {
    reason = "axis out of range for rank " + std::to_string(rank);
    return failure();
  }
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= input[i];
  return SmallVector<int64_t>{outer, inner};
}

quant::QuantizedType qnn::getQuantElementType(Type type) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    type = shaped.getElementType();
  return dyn_cast<quant::QuantizedType>(type);
}

quant::QuantizedType qnn::getAccumulatorType(quant::UniformQuantizedType input,
                                             quant::QuantizedType weight,
                                             int32_t resultAxis) {
  MLIRContext *ctx = input.getContext();
  auto i32 = IntegerType::get(ctx, 32);
  auto f32 = Float32Type::get(ctx);
  int64_t lo = std::numeric_limits<int32_t>::min();
  int64_t hi = std::numeric_limits<int32_t>::max();
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(weight)) {
    SmallVector<double> scales;
    for (double s : axis.getScales())
      scales.push_back(input.getScale() * s);
    SmallVector<int64_t> zeros(scales.size(), 0);
    return quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i32, f32, scales, zeros, resultAxis,
        lo, hi);
  }
  double s = input.getScale() *
             cast<quant::UniformQuantizedType>(weight).getScale();
  return quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                          i32, f32, s, 0, lo, hi);
}

quant::UniformQuantizedType qnn::getInt8Type(MLIRContext *context,
                                             double scale, int64_t zeroPoint) {
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(context, 8),
      Float32Type::get(context), scale, zeroPoint, -128, 127);
}

quant::UniformQuantizedType qnn::getInt16Type(MLIRContext *context,
                                              double scale) {
  return quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(context, 16),
      Float32Type::get(context), scale, 0, -32767, 32767);
}

SmallVector<double> qnn::getScales(quant::QuantizedType type) {
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(type))
    return SmallVector<double>(axis.getScales());
  return {cast<quant::UniformQuantizedType>(type).getScale()};
}

std::pair<int64_t, int64_t>
qnn::getActivationClampRange(Operation *reluOrClip,
                             quant::UniformQuantizedType type) {
  int64_t lo = type.getStorageTypeMin(), hi = type.getStorageTypeMax();
  if (isa<ReluOp>(reluOrClip))
    return {std::clamp<int64_t>(type.getZeroPoint(), lo, hi), hi};
  auto toStorage = [&](float real) {
    return quantizeValue(real, static_cast<float>(type.getScale()),
                         type.getZeroPoint(), lo, hi);
  };
  auto clip = cast<ClipOp>(reluOrClip);
  int64_t clipLo = lo, clipHi = hi;
  if (auto min = clip.getMin())
    clipLo = toStorage(min->convertToFloat());
  if (auto max = clip.getMax())
    clipHi = toStorage(max->convertToFloat());
  return {clipLo, clipHi};
}

//===----------------------------------------------------------------------===//
// Verifier helpers
//===----------------------------------------------------------------------===//

static bool isF32Tensor(Value v) {
  return cast<ShapedType>(v.getType()).getElementType().isF32();
}

/// Checks `actual` against the inferred shape.
static LogicalResult
verifyInferredShape(Operation *op, FailureOr<SmallVector<int64_t>> inferred,
                    const std::string &reason, ArrayRef<int64_t> actual) {
  if (failed(inferred))
    return op->emitOpError() << reason;
  if (ArrayRef<int64_t>(*inferred) != actual)
    return op->emitOpError() << "result shape " << formatShape(actual)
                             << " differs from the inferred shape "
                             << formatShape(*inferred);
  return success();
}

/// Verifies the element types of conv/gemm/matmul: either all f32, or int8
/// activations and weights with an int32 accumulator result whose scales are
/// input_scale * weight_scale.
static LogicalResult verifyProductTypes(Operation *op, Value input,
                                        Value weight, Value bias, Value result,
                                        int64_t resultAxis = 1,
                                        bool allowWeightZeroPoint = false) {
  if (isF32Tensor(input)) {
    if (!isF32Tensor(weight) || !isF32Tensor(result) ||
        (bias && !isF32Tensor(bias)))
      return op->emitOpError("float form expects all operands and the result "
                             "to be f32");
    return success();
  }
  auto inType = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(input.getType()));
  auto wType = getQuantElementType(weight.getType());
  auto resType = getQuantElementType(result.getType());
  if (!inType || !wType || !resType)
    return op->emitOpError("integer form expects a per-tensor quantized "
                           "input, a quantized weight and a quantized result");
  // 16x8: an int16 input (zero point 0) with int8 weights.
  unsigned inWidth = inType.getStorageTypeIntegralWidth();
  if ((inWidth != 8 && inWidth != 16) ||
      wType.getStorageTypeIntegralWidth() != 8)
    return op->emitOpError("integer form expects an 8- or 16-bit input and "
                           "an 8-bit weight");
  if (inWidth == 16 && inType.getZeroPoint() != 0)
    return op->emitOpError("16-bit input must have zero point 0");
  if (resType.getStorageTypeIntegralWidth() != 32)
    return op->emitOpError("integer form expects an i32 accumulator result");
  if (auto wUniform = dyn_cast<quant::UniformQuantizedType>(wType)) {
    if (wUniform.getZeroPoint() != 0 && !allowWeightZeroPoint)
      return op->emitOpError("weight zero point must be 0");
  } else if (auto wAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(wType)) {
    if (llvm::any_of(wAxis.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return op->emitOpError("weight zero points must be 0");
  } else {
    return op->emitOpError("unsupported weight quantization");
  }
  if (bias && !isF32Tensor(bias) &&
      !cast<ShapedType>(bias.getType()).getElementType().isInteger(32))
    return op->emitOpError("bias must be f32 or i32");
  // The accumulator's scales are input_scale * weight_scale[c]: per axis on
  // the result's channel dimension exactly when the weight is per axis.
  auto wAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(wType);
  auto resAxis = dyn_cast<quant::UniformQuantizedPerAxisType>(resType);
  if (wAxis && (!resAxis || resAxis.getQuantizedDimension() != resultAxis ||
                resAxis.getScales().size() != wAxis.getScales().size()))
    return op->emitOpError("per-axis weight needs a result quantized per "
                           "axis ")
           << resultAxis << " with one scale per output channel";
  if (!wAxis && resAxis)
    return op->emitOpError("per-tensor weight needs a per-tensor result");
  return success();
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::verify() {
  auto inType = getInput().getType();
  auto wType = getFilter().getType();
  std::string reason;
  auto shape = inferConvShape(inType.getShape(), wType.getShape(), getStrides(),
                              getPads(), getDilations(), getGroup(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  if (Value bias = getBias()) {
    auto biasType = cast<RankedTensorType>(bias.getType());
    if (biasType.getRank() != 1 || biasType.getDimSize(0) != wType.getDimSize(0))
      return emitOpError("bias must be 1-D with one value per output channel");
  }
  if (auto wAxis = dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(
          getQuantElementType(wType))) {
    if (wAxis.getQuantizedDimension() != 0)
      return emitOpError("per-axis filter must be quantized along axis 0");
  }
  return verifyProductTypes(*this, getInput(), getFilter(), getBias(),
                            getResult());
}

//===----------------------------------------------------------------------===//
// GemmOp / MatMulOp
//===----------------------------------------------------------------------===//

LogicalResult GemmOp::verify() {
  std::string reason;
  auto shape = inferGemmShape(getA().getType().getShape(),
                              getB().getType().getShape(), getTransA(),
                              getTransB(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  if (Value c = getC()) {
    std::string bReason;
    auto cShape = cast<RankedTensorType>(c.getType()).getShape();
    auto bcast = inferBroadcastShape(*shape, cShape, bReason);
    if (failed(bcast) || ArrayRef<int64_t>(*bcast) != ArrayRef<int64_t>(*shape))
      return emitOpError("C of shape ")
             << formatShape(cShape) << " does not broadcast to the result";
  }
  if (!isF32Tensor(getA())) {
    if (getTransA() || getAlpha().convertToFloat() != 1.0f ||
        getBeta().convertToFloat() != 1.0f)
      return emitOpError("integer form expects transA = false and "
                         "alpha = beta = 1");
    if (Value c = getC()) {
      auto cShape = cast<RankedTensorType>(c.getType()).getShape();
      auto resultShape = getResult().getType().getShape();
      if (cShape != resultShape.take_back() && cShape != resultShape)
        return emitOpError("integer form expects a C of shape [N] or [M, N]");
    }
    if (auto wAxis = dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(
            getQuantElementType(getB().getType())))
      if (wAxis.getQuantizedDimension() != (getTransB() ? 0 : 1))
        return emitOpError("per-axis B must be quantized along its output "
                           "dimension");
  }
  return verifyProductTypes(*this, getA(), getB(), getC(), getResult());
}

LogicalResult MatMulOp::verify() {
  std::string reason;
  auto shape = inferMatMulShape(getLhs().getType().getShape(),
                                getRhs().getType().getShape(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  int64_t lastAxis = getRhs().getType().getRank() - 1;
  if (auto wAxis = dyn_cast_or_null<quant::UniformQuantizedPerAxisType>(
          getQuantElementType(getRhs().getType())))
    if (wAxis.getQuantizedDimension() != lastAxis)
      return emitOpError("per-axis rhs must be quantized along its last "
                         "axis (")
             << lastAxis << ")";
  // The rhs may be an activation with a zero point (per tensor).
  return verifyProductTypes(*this, getLhs(), getRhs(), Value(), getResult(),
                            getResult().getType().getRank() - 1,
                            /*allowWeightZeroPoint=*/true);
}

//===----------------------------------------------------------------------===//
// AddOp
//===----------------------------------------------------------------------===//

/// The result shape of a broadcasting binary op (Add, Mul) is the numpy
/// broadcast of its operand shapes.
static LogicalResult verifyBroadcastShape(Operation *op, ShapedType lhs,
                                          ShapedType rhs, ShapedType result) {
  std::string reason;
  auto shape = inferBroadcastShape(lhs.getShape(), rhs.getShape(), reason);
  return verifyInferredShape(op, shape, reason, result.getShape());
}

LogicalResult AddOp::verify() {
  if (failed(verifyBroadcastShape(*this, getLhs().getType(),
                                  getRhs().getType(), getResult().getType())))
    return failure();
  bool lf = isF32Tensor(getLhs()), rf = isF32Tensor(getRhs()),
       of = isF32Tensor(getResult());
  if (lf && rf && of)
    return success();
  auto per = [](Value v) {
    return dyn_cast_or_null<quant::UniformQuantizedType>(
        getQuantElementType(v.getType()));
  };
  if (!per(getLhs()) || !per(getRhs()) || !per(getResult()))
    return emitOpError("expects all f32 or all per-tensor quantized types");
  return success();
}

//===----------------------------------------------------------------------===//
// MaxPoolOp
//===----------------------------------------------------------------------===//

/// Checks the result shape of a max pool or its indices against the
/// window attributes.
template <typename OpTy>
static LogicalResult verifyMaxPoolShape(OpTy op) {
  std::string reason;
  auto shape = inferPoolShape(op.getInput().getType().getShape(),
                              op.getKernelShape(), op.getStrides(),
                              op.getPads(), reason, op.getDilationsOrOnes());
  return verifyInferredShape(op, shape, reason,
                             op.getResult().getType().getShape());
}

LogicalResult MaxPoolOp::verify() {
  if (failed(verifyMaxPoolShape(*this)))
    return failure();
  if (getInput().getType().getElementType() !=
      getResult().getType().getElementType())
    return emitOpError("input and result element types differ");
  return success();
}

//===----------------------------------------------------------------------===//
// IntegerBinaryOp
//===----------------------------------------------------------------------===//

LogicalResult IntegerBinaryOp::verify() {
  if (getKind() != "add" && getKind() != "mul")
    return emitOpError("kind '") << getKind() << "' is not add or mul";
  Type element = getResult().getType().getElementType();
  auto raw = dyn_cast<quant::UniformQuantizedType>(element);
  if (!raw || raw.getStorageTypeIntegralWidth() != 8 || raw.getScale() != 1.0 ||
      (raw.getZeroPoint() != 0 && raw.getZeroPoint() != -128) ||
      raw.getStorageTypeMin() != -128 || raw.getStorageTypeMax() != 127)
    return emitOpError("expects raw 8-bit integers: "
                       "!quant.uniform<i8:f32, 1.0:-128> (UINT8) or "
                       "!quant.uniform<i8:f32, 1.0> (INT8)");
  if (getLhs().getType().getElementType() != element ||
      getRhs().getType().getElementType() != element)
    return emitOpError("expects operands of the result's element type");
  std::string reason;
  auto shape = inferBroadcastShape(getLhs().getType().getShape(),
                                   getRhs().getType().getShape(), reason);
  return verifyInferredShape(*this, shape, reason,
                             getResult().getType().getShape());
}

//===----------------------------------------------------------------------===//
// MaxPoolIndicesOp
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolIndicesOp::verify() {
  if (failed(verifyMaxPoolShape(*this)))
    return failure();
  auto type = dyn_cast<quant::UniformQuantizedType>(
      getResult().getType().getElementType());
  if (!type || type.getStorageTypeIntegralWidth() != 32 ||
      type.getScale() != 1.0 || type.getZeroPoint() != 0)
    return emitOpError("expects the indices as "
                       "!quant.uniform<i32:f32, 1.0> (scale 1, zero point 0)");
  if (getInput().getType().getNumElements() > (int64_t(1) << 24))
    return emitOpError("expects an input of at most 2^24 elements (the "
                       "indices must convert exactly to float)");
  return success();
}

//===----------------------------------------------------------------------===//
// AvgPoolOp
//===----------------------------------------------------------------------===//

SmallVector<int64_t> AvgPoolOp::getDivisors() {
  return getAvgPoolDivisors(getInput().getType().getShape().drop_front(2),
                            getResult().getType().getShape().drop_front(2),
                            getKernelShape(), getStrides(), getPads(),
                            getCountIncludePad());
}

SmallVector<int64_t> AvgPoolOp::getWindowSizes() {
  SmallVector<int64_t> sizes = getDivisors();
  llvm::sort(sizes);
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

SmallVector<double> AvgPoolOp::getRealMultipliers() {
  auto in = cast<quant::UniformQuantizedType>(
      getQuantElementType(getInput().getType()));
  auto out = cast<quant::UniformQuantizedType>(
      getQuantElementType(getResult().getType()));
  SmallVector<double> result;
  for (int64_t size : getWindowSizes())
    result.push_back(in.getScale() /
                     (static_cast<double>(size) * out.getScale()));
  return result;
}

LogicalResult AvgPoolOp::verify() {
  std::string reason;
  auto shape = inferPoolShape(getInput().getType().getShape(), getKernelShape(),
                              getStrides(), getPads(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  if (isF32Tensor(getInput()) != isF32Tensor(getResult()))
    return emitOpError("expects an f32 input and result, or quantized ones");
  auto mult = getMultiplier();
  auto shift = getShift();
  if (mult.has_value() != shift.has_value())
    return emitOpError("multiplier and shift must be set together");
  if (isF32Tensor(getInput())) {
    if (mult)
      return emitOpError("float form has no multiplier");
    return success();
  }
  auto in = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(getInput().getType()));
  auto out = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(getResult().getType()));
  if (!in || !out || in.getStorageTypeIntegralWidth() != 8 ||
      out.getStorageTypeIntegralWidth() != 8)
    return emitOpError("integer form expects per-tensor int8 input and "
                       "result types");
  if (mult) {
    size_t sizes = getWindowSizes().size();
    if (mult->size() != sizes || shift->size() != sizes)
      return emitOpError("expects ")
             << sizes << " multiplier/shift entries (one per window size), got "
             << mult->size();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  auto inType = getInput().getType();
  if (inType.getRank() < 2)
    return emitOpError("expects an input of rank >= 2 (N, C, ...), got ")
           << inType;
  if (inType != getResult().getType())
    return emitOpError("input and result types differ");
  if (!llvm::all_of(getOperands(), isF32Tensor))
    return emitOpError("expects f32 operands (a float-only op)");
  int64_t channels = inType.getDimSize(1);
  for (Value param : {getScale(), getBias(), getMean(), getVariance()}) {
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getRank() != 1 || type.getDimSize(0) != channels)
      return emitOpError("expects 1-D scale, bias, mean and variance with ")
             << channels << " values, got " << type;
  }
  if (!(getEpsilon().convertToFloat() >= 0.0f))
    return emitOpError("epsilon must be non-negative");
  return success();
}

//===----------------------------------------------------------------------===//
// ConcatOp
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::verify() {
  SmallVector<SmallVector<int64_t>> shapes;
  for (Value input : getInputs())
    shapes.emplace_back(cast<RankedTensorType>(input.getType()).getShape());
  std::string reason;
  auto shape =
      inferConcatShape(shapes, static_cast<int64_t>(getAxis()), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  Type element = getResult().getType().getElementType();
  if (!element.isF32() && !isa<quant::UniformQuantizedType>(element))
    return emitOpError("expects an f32 or per-tensor quantized result");
  for (Value input : getInputs())
    if (cast<RankedTensorType>(input.getType()).getElementType() != element)
      return emitOpError("input element type ")
             << cast<RankedTensorType>(input.getType()).getElementType()
             << " differs from the result's " << element
             << " (requantize the inputs first)";
  return success();
}

//===----------------------------------------------------------------------===//
// FlattenOp / ReshapeOp
//===----------------------------------------------------------------------===//

LogicalResult FlattenOp::verify() {
  std::string reason;
  auto shape =
      inferFlattenShape(getInput().getType().getShape(), getAxis(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  if (getInput().getType().getElementType() !=
      getResult().getType().getElementType())
    return emitOpError("input and result element types differ");
  return success();
}

LogicalResult ReshapeOp::verify() {
  auto inType = getInput().getType();
  auto outType = getResult().getType();
  if (!inType.hasStaticShape() || !outType.hasStaticShape())
    return emitOpError("expects static shapes");
  if (inType.getNumElements() != outType.getNumElements())
    return emitOpError("element count changes from ")
           << inType.getNumElements() << " to " << outType.getNumElements();
  if (inType.getElementType() != outType.getElementType())
    return emitOpError("input and result element types differ");
  return success();
}

//===----------------------------------------------------------------------===//
// RequantizeOp
//===----------------------------------------------------------------------===//

int64_t RequantizeOp::getChannelAxis() {
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(
          getQuantElementType(getInput().getType())))
    return axis.getQuantizedDimension();
  return -1;
}

SmallVector<double> RequantizeOp::getRealMultipliers() {
  auto out = cast<quant::UniformQuantizedType>(
      getQuantElementType(getResult().getType()));
  SmallVector<double> result;
  quant::QuantizedType in = getQuantElementType(getInput().getType());
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(in)) {
    for (double s : axis.getScales())
      result.push_back(s / out.getScale());
    return result;
  }
  result.push_back(cast<quant::UniformQuantizedType>(in).getScale() /
                   out.getScale());
  return result;
}

std::pair<int64_t, int64_t> RequantizeOp::getClampRange() {
  auto out = getQuantElementType(getResult().getType());
  int64_t lo = out.getStorageTypeMin(), hi = out.getStorageTypeMax();
  // I64Attr getters return uint64_t; the bounds are signed.
  if (auto m = getClampMin())
    lo = std::max(lo, static_cast<int64_t>(*m));
  if (auto m = getClampMax())
    hi = std::min(hi, static_cast<int64_t>(*m));
  return {lo, hi};
}

LogicalResult RequantizeOp::verify() {
  auto inType = getInput().getType();
  auto outType = getResult().getType();
  if (inType.getShape() != outType.getShape())
    return emitOpError("operand and result shapes differ");
  auto in = getQuantElementType(inType);
  auto out = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(outType));
  if (!in || !out)
    return emitOpError("expects a quantized operand and a per-tensor "
                       "quantized result");
  if (!isa<quant::UniformQuantizedType, quant::UniformQuantizedPerAxisType>(in))
    return emitOpError("unsupported operand quantization");
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(in))
    if (llvm::any_of(axis.getZeroPoints(), [](int64_t z) { return z != 0; }))
      return emitOpError("per-axis operand must have zero points 0");
  if (auto m = getClampMin();
      m && static_cast<int64_t>(*m) < out.getStorageTypeMin())
    return emitOpError("clamp_min is below the result storage range");
  if (auto m = getClampMax();
      m && static_cast<int64_t>(*m) > out.getStorageTypeMax())
    return emitOpError("clamp_max is above the result storage range");
  auto [lo, hi] = getClampRange();
  if (lo > hi)
    return emitOpError("empty clamp range");
  auto mult = getMultiplier();
  auto shift = getShift();
  if (mult.has_value() != shift.has_value())
    return emitOpError("multiplier and shift must be set together");
  if (mult) {
    size_t channels = getRealMultipliers().size();
    if (mult->size() != channels || shift->size() != channels)
      return emitOpError("expects ")
             << channels << " multiplier/shift entries, got " << mult->size();
  }
  return success();
}

OpFoldResult RequantizeOp::fold(FoldAdaptor) {
  if (getInput().getType() == getResult().getType() && !getClampMin() &&
      !getClampMax())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// ConvReluPoolOp
//===----------------------------------------------------------------------===//

LogicalResult ConvReluPoolOp::verify() {
  auto inType = getInput().getType();
  auto wType = getFilter().getType();
  std::string reason;
  auto conv = inferConvShape(inType.getShape(), wType.getShape(),
                             getConvStrides(), getConvPads(),
                             getConvDilations(), 1, reason);
  if (failed(conv))
    return emitOpError() << reason;
  auto pool =
      inferPoolShape(*conv, getPoolKernel(), getPoolStrides(), getPoolPads(),
                     reason);
  if (failed(verifyInferredShape(*this, pool, reason,
                                 getResult().getType().getShape())))
    return failure();
  auto biasType = getBias().getType();
  if (biasType.getRank() != 1 || biasType.getDimSize(0) != wType.getDimSize(0))
    return emitOpError("bias must be 1-D with one value per output channel");
  auto in = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(inType));
  auto out = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(getResult().getType()));
  if (!in || !out || !getQuantElementType(wType))
    return emitOpError("expects quantized input, filter and result");
  size_t channels = isa<quant::UniformQuantizedPerAxisType>(
                        getQuantElementType(wType))
                        ? wType.getDimSize(0)
                        : 1;
  if (getMultiplier().size() != channels || getShift().size() != channels)
    return emitOpError("expects ") << channels << " multiplier/shift entries";
  auto lo = static_cast<int64_t>(getClampMin());
  auto hi = static_cast<int64_t>(getClampMax());
  if (lo > hi || lo < out.getStorageTypeMin() || hi > out.getStorageTypeMax())
    return emitOpError("clamp range outside the result storage range");
  return success();
}

//===----------------------------------------------------------------------===//
// DynamicGemmOp
//===----------------------------------------------------------------------===//

LogicalResult DynamicGemmOp::verify() {
  ArrayRef<int64_t> x = getInput().getType().getShape();
  auto wType = cast<RankedTensorType>(getWeight().getType());
  auto wQuant = getQuantElementType(wType);
  if (!wQuant || !wQuant.isSigned() ||
      wQuant.getStorageTypeIntegralWidth() != 8)
    return emitOpError("expects a signed int8 quantized weight");
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(wQuant)) {
    if (axis.getQuantizedDimension() != (getTransB() ? 0 : 1))
      return emitOpError("per-axis weight must be quantized along its output "
                         "dimension");
  }
  std::string reason;
  auto shape = inferGemmShape(x, wType.getShape(), false, getTransB(), reason);
  if (failed(verifyInferredShape(*this, shape, reason,
                                 getResult().getType().getShape())))
    return failure();
  if (Value bias = getBias()) {
    auto bShape = cast<RankedTensorType>(bias.getType()).getShape();
    if (bShape.size() != 1 || bShape[0] != (*shape)[1])
      return emitOpError("expects a 1-D bias of ")
             << (*shape)[1] << " elements, got " << formatShape(bShape);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DynamicQuantizeOp
//===----------------------------------------------------------------------===//

/// Whether `type` is the raw uint8 form: int8 storage, scale 1, zero point
/// -128 (the whole int8 range).
static bool isRawUint8(Type type) {
  auto quant = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(type));
  return quant && quant.isSigned() &&
         quant.getStorageTypeIntegralWidth() == 8 && quant.getScale() == 1.0 &&
         quant.getZeroPoint() == -128 && quant.getStorageTypeMin() == -128 &&
         quant.getStorageTypeMax() == 127;
}

LogicalResult DynamicQuantizeOp::verify() {
  auto dataType = cast<RankedTensorType>(getData().getType());
  auto zpType = cast<RankedTensorType>(getZeroPoint().getType());
  if (!isRawUint8(dataType) || !isRawUint8(zpType))
    return emitOpError("expects uint8 results as "
                       "!quant.uniform<i8:f32, 1.0:-128>");
  if (dataType.getShape() != getInput().getType().getShape())
    return emitOpError("expects the data to have the input's shape");
  if (zpType.getRank() != 0)
    return emitOpError("expects a scalar zero point");
  return success();
}

//===----------------------------------------------------------------------===//
// DynamicConvOp
//===----------------------------------------------------------------------===//

LogicalResult DynamicConvOp::verify() {
  auto wType = cast<RankedTensorType>(getFilter().getType());
  auto wQuant = getQuantElementType(wType);
  if (!wQuant || !wQuant.isSigned() ||
      wQuant.getStorageTypeIntegralWidth() != 8)
    return emitOpError("expects a signed int8 quantized filter");
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(wQuant))
    if (axis.getQuantizedDimension() != 0)
      return emitOpError("per-axis filter must be quantized along axis 0");
  std::string reason;
  auto shape = inferConvShape(getInput().getType().getShape(),
                              wType.getShape(), getStrides(), getPads(),
                              getDilations(), getGroup(), reason);
  return verifyInferredShape(*this, shape, reason,
                             getResult().getType().getShape());
}

#define GET_OP_CLASSES
#include "quantopt/Dialect/Qnn/IR/QnnOps.cpp.inc"

//===----------------------------------------------------------------------===//
// UnaryOp, LutOp
//===----------------------------------------------------------------------===//

ArrayRef<StringRef> UnaryOp::getFunctionNames() {
  static const StringRef names[] = {"leaky_relu", "sigmoid", "hard_sigmoid",
                                    "hard_swish", "tanh"};
  return names;
}

float UnaryOp::evaluate(float x) {
  StringRef fn = getFunction();
  float alpha = getAlpha().convertToFloat(), beta = getBeta().convertToFloat();
  if (fn == "leaky_relu")
    return x >= 0.0f ? x : alpha * x;
  if (fn == "sigmoid")
    return 1.0f / (1.0f + std::exp(-x));
  if (fn == "hard_sigmoid")
    return std::max(0.0f, std::min(1.0f, alpha * x + beta));
  if (fn == "hard_swish")
    return x * std::max(0.0f, std::min(1.0f, x / 6.0f + 0.5f));
  return std::tanh(x);
}

LogicalResult UnaryOp::verify() {
  if (!llvm::is_contained(getFunctionNames(), getFunction()))
    return emitOpError("unknown function '")
           << getFunction()
           << "' (leaky_relu, sigmoid, hard_sigmoid, hard_swish, tanh)";
  if (!isF32Tensor(getInput()))
    return emitOpError("expects f32 tensors (the integer form is qnn.lut)");
  return success();
}

/// The per-tensor int8 quantized element type of `v`, or null.
static quant::UniformQuantizedType getPerTensorI8(Value v) {
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(v.getType()));
  if (!type || type.getStorageTypeIntegralWidth() != 8 ||
      type.getStorageTypeMin() < -128 || type.getStorageTypeMax() > 127)
    return nullptr;
  return type;
}

LogicalResult LutOp::verify() {
  if (getTable().size() != 256)
    return emitOpError("expects a table of 256 entries, got ")
           << getTable().size();
  if (!getPerTensorI8(getInput()) || !getPerTensorI8(getResult()))
    return emitOpError("expects per-tensor int8 quantized input and result");
  if (getInput().getType().getShape() != getResult().getType().getShape())
    return emitOpError("operand and result shapes differ");
  return success();
}

//===----------------------------------------------------------------------===//
// MulOp
//===----------------------------------------------------------------------===//

LogicalResult MulOp::verify() {
  if (failed(verifyBroadcastShape(*this, getLhs().getType(),
                                  getRhs().getType(), getResult().getType())))
    return failure();
  bool lf = isF32Tensor(getLhs()), rf = isF32Tensor(getRhs()),
       of = isF32Tensor(getResult());
  if (lf && rf && of)
    return success();
  auto a = getPerTensorI8(getLhs()), b = getPerTensorI8(getRhs());
  auto out = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(getResult().getType()));
  if (!a || !b || !out || out.getStorageTypeIntegralWidth() != 32)
    return emitOpError("expects all f32, or per-tensor int8 operands and a "
                       "per-tensor i32 quantized result");
  double want = a.getScale() * b.getScale();
  if (out.getZeroPoint() != 0 ||
      std::abs(out.getScale() - want) > 1e-6 * want)
    return emitOpError("result scale ")
           << out.getScale() << " and zero point " << out.getZeroPoint()
           << " differ from the product scale " << want << " and zero point 0";
  return success();
}

//===----------------------------------------------------------------------===//
// TransposeOp
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::verify() {
  ArrayRef<int64_t> perm = getPerm();
  ArrayRef<int64_t> in = getInput().getType().getShape();
  int64_t rank = in.size();
  if (static_cast<int64_t>(perm.size()) != rank)
    return emitOpError("perm has ") << perm.size() << " entries, expected "
                                    << rank;
  SmallVector<bool> seen(rank, false);
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return emitOpError("perm ") << formatShape(perm)
                                  << " is not a permutation of [0, " << rank
                                  << ")";
    seen[p] = true;
    shape.push_back(in[p]);
  }
  if (ArrayRef<int64_t>(shape) != getResult().getType().getShape())
    return emitOpError("result shape ")
           << formatShape(getResult().getType().getShape())
           << " differs from the permuted shape " << formatShape(shape);
  if (getInput().getType().getElementType() !=
      getResult().getType().getElementType())
    return emitOpError("input and result element types differ");
  return success();
}

//===----------------------------------------------------------------------===//
// SoftmaxOp
//===----------------------------------------------------------------------===//

SmallVector<int64_t> SoftmaxOp::getExpTable() {
  double scale = cast<quant::UniformQuantizedType>(
                     getQuantElementType(getInput().getType()))
                     .getScale();
  SmallVector<int64_t> table;
  for (int d = 0; d < 256; ++d)
    table.push_back(static_cast<int64_t>(
        std::llround(std::ldexp(std::exp(-scale * d), 20))));
  return table;
}

LogicalResult SoftmaxOp::verify() {
  auto inType = getInput().getType();
  int64_t rank = inType.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (rank < 1 || axis < 0 || axis >= rank)
    return emitOpError("axis ") << axis << " is out of range for rank " << rank;
  if (inType.getShape() != getResult().getType().getShape())
    return emitOpError("operand and result shapes differ");
  if (isF32Tensor(getInput()) && isF32Tensor(getResult()))
    return success();
  auto in = getPerTensorI8(getInput()), out = getPerTensorI8(getResult());
  if (!in || !out)
    return emitOpError("expects f32 or per-tensor int8 quantized types");
  if (out.getScale() != 1.0 / 256 || out.getZeroPoint() != -128)
    return emitOpError("integer result must have scale 1/256 and zero point "
                       "-128, got ")
           << out.getScale() << " and " << out.getZeroPoint();
  return success();
}
