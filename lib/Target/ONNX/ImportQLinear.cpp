//===- ImportQLinear.cpp - Import QLinearConv and QLinearMatMul -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Imports the pre-quantized operator form of ONNX (QLinearConv,
// QLinearMatMul) as its QDQ equivalent, so it joins the QDQ path and
// qnn-fold-qdq turns it into the integer op:
//
//   QLinearConv(x, sx, zx, w, sw, zw, sy, zy, B)
//     -> quant.qcast(qnn.conv(dcast(x), dcast(scast(w)), dcast(scast(B))))
//   QLinearMatMul(a, sa, za, b, sb, zb, sy, zy)
//     -> quant.qcast(qnn.matmul(dcast(a), dcast(scast(b))))
//
// Weights are constants (INT8 or UINT8) quantized per tensor or per output
// channel (Conv axis 0, MatMul axis 1); the INT32 bias has scale
// sx * sw[c] and zero point 0, as ONNX specifies. The integer product takes
// symmetric int8 weights in [-127, 127], so the importer subtracts the
// weight zero point: UINT8 weights with zero point 128 are then ordinary
// int8 weights. When some `w - zw` is outside [-127, 127] (asymmetric
// weights, up to +-255), it is split exactly into k int8 pieces that sum to
// it, concatenated along the reduction axis (Conv input channels, MatMul
// rows), and the input is repeated k times along that axis:
//
//   sum_c x[c] * (w[c] - zw) = sum_{p, c} x[c] * piece_p[c]
//
// which costs k times the multiply-adds of that layer only.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

/// Reads the float32 scales of input `i` (scalar or 1-D).
static FailureOr<SmallVector<double>> getScales(NodeImporter &node,
                                                unsigned i) {
  FailureOr<DenseElementsAttr> attr = node.getConstant(i);
  if (failed(attr))
    return failure();
  if (!attr->getElementType().isF32() || attr->getType().getRank() > 1)
    return node.emitError() << "input '" << node.getInputName(i)
                            << "' (scale) must be a float32 scalar or 1-D "
                               "tensor, got "
                            << attr->getType();
  SmallVector<double> scales;
  for (float s : attr->getValues<float>()) {
    if (!std::isfinite(s) || s <= 0.0f)
      return node.emitError() << "input '" << node.getInputName(i)
                              << "': scale " << s
                              << " is not a positive finite float32";
    scales.push_back(s);
  }
  if (scales.empty())
    return node.emitError() << "input '" << node.getInputName(i)
                            << "' (scale) is empty";
  return scales;
}

/// Checks that the activation scale (input `i`) is one value: activations
/// are quantized per tensor.
static LogicalResult checkPerTensor(NodeImporter &node, unsigned i) {
  FailureOr<SmallVector<double>> scales = getScales(node, i);
  if (failed(scales))
    return failure();
  if (scales->size() != 1)
    return node.emitError()
           << "input '" << node.getInputName(i) << "' has " << scales->size()
           << " scales; activations are quantized per tensor (one scale)";
  return success();
}

/// Dequantizes the INT32 bias (input `i`) of a QLinearConv with `channels`
/// output channels: scale x_scale * w_scale[c], zero point 0.
static FailureOr<Value> dequantizeBias(NodeImporter &node, unsigned i,
                                       int64_t channels) {
  ImportedValue &bias = node.getInput(i);
  if (!bias.constant || bias.onnxType != onnx::TensorProto::INT32 ||
      bias.constant.getType().getRank() != 1 ||
      bias.constant.getNumElements() != channels)
    return node.emitError() << "input '" << node.getInputName(i)
                            << "' (the bias) must be a 1-D INT32 constant of "
                            << channels << " values";
  FailureOr<SmallVector<double>> xScales = getScales(node, 1);
  FailureOr<SmallVector<double>> wScales = getScales(node, 4);
  if (failed(xScales) || failed(wScales))
    return failure();
  if (xScales->size() != 1 ||
      (wScales->size() != 1 && int64_t(wScales->size()) != channels))
    return node.emitError() << "the scales do not match the bias";
  MLIRContext *context = node.getContext();
  auto i32 = IntegerType::get(context, 32);
  auto f32 = Float32Type::get(context);
  int64_t lo = std::numeric_limits<int32_t>::min();
  int64_t hi = std::numeric_limits<int32_t>::max();
  auto emitError = [&] { return node.emitError(); };
  quant::QuantizedType type;
  if (wScales->size() == 1) {
    type = quant::UniformQuantizedType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i32, f32,
        xScales->front() * wScales->front(), 0, lo, hi);
  } else {
    SmallVector<double> scales;
    for (double s : *wScales)
      scales.push_back(xScales->front() * s);
    SmallVector<int64_t> zeros(scales.size(), 0);
    type = quant::UniformQuantizedPerAxisType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i32, f32, scales, zeros,
        /*quantizedDimension=*/0, lo, hi);
  }
  if (!type)
    return failure();
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  Value stored = arith::ConstantOp::create(b, loc, bias.constant);
  Value quantized = quant::StorageCastOp::create(
      b, loc, RankedTensorType::get({channels}, type), stored);
  return quant::DequantizeCastOp::create(
             b, loc, RankedTensorType::get({channels}, f32), quantized)
      .getResult();
}

/// A QLinear weight as symmetric int8: `w - zw` split into `copies` pieces
/// in [-127, 127] that sum to it, concatenated along the reduction axis.
struct SymmetricWeight {
  /// The f32 weight: dcast of the pieces with zero point 0.
  Value value;
  /// How many copies of the input the reduction needs (1 when every
  /// `w - zw` fits in [-127, 127]).
  int64_t copies = 1;
};

/// Where a QLinear-like node keeps its weight, the weight's scales (none:
/// scale 1, as ConvInteger / MatMulInteger) and its zero points.
struct WeightInputs {
  unsigned weight, zeroPoint;
  std::optional<unsigned> scale;
};
static constexpr WeightInputs kQLinearWeight = {3, 5, 4};

/// Reads the constant weight, its scales and zero points (`inputs`), per
/// tensor or along `channelAxis`, and splits `w - zw` along `reduceAxis`.
/// Exact: the reduction over the concatenated axis of the repeated input
/// and the pieces is the reduction with `w - zw`.
static FailureOr<SymmetricWeight>
getSymmetricWeight(NodeImporter &node, int64_t channelAxis, int64_t reduceAxis,
                   WeightInputs inputs = kQLinearWeight) {
  ImportedValue &w = node.getInput(inputs.weight);
  if (!w.constant)
    return node.emitError() << "input '" << node.getInputName(inputs.weight)
                            << "' (the weight) must be a constant "
                               "(initializer)";
  int32_t type = w.onnxType;
  if (type != onnx::TensorProto::UINT8 && type != onnx::TensorProto::INT8)
    return node.emitError() << "the weight type " << getOnnxTypeName(type)
                            << " is not supported (INT8 or UINT8)";
  auto readInts = [&](DenseElementsAttr attr) {
    SmallVector<int64_t> values;
    for (const APInt &v : attr.getValues<APInt>())
      values.push_back(type == onnx::TensorProto::UINT8
                           ? int64_t(v.getZExtValue())
                           : v.getSExtValue());
    return values;
  };
  ArrayRef<int64_t> shape = w.getShape();
  // Without scales (an integer product), the zero point says per tensor or
  // per channel; every scale is 1.
  SmallVector<double> scales = {1.0};
  if (inputs.scale) {
    FailureOr<SmallVector<double>> read = getScales(node, *inputs.scale);
    if (failed(read))
      return failure();
    scales = std::move(*read);
  } else if (node.hasInput(inputs.zeroPoint)) {
    FailureOr<DenseElementsAttr> zp = node.getConstant(inputs.zeroPoint);
    if (failed(zp))
      return failure();
    scales.assign(zp->getNumElements(), 1.0);
  }
  int64_t numScales = scales.size();
  if (numScales != 1 && numScales != shape[channelAxis])
    return node.emitError()
           << "the weight " << (inputs.scale ? "scale" : "zero point")
           << " has " << numScales << " values; expected 1 or "
           << shape[channelAxis] << " (one per output channel)";
  SmallVector<int64_t> zeroPoints(numScales, 0);
  if (node.hasInput(inputs.zeroPoint)) {
    FailureOr<DenseElementsAttr> zp = node.getConstant(inputs.zeroPoint);
    if (failed(zp))
      return failure();
    if (node.getInput(inputs.zeroPoint).onnxType != type)
      return node.emitError()
             << "the weight zero point type "
             << getOnnxTypeName(node.getInput(inputs.zeroPoint).onnxType)
             << " does not match the weight type " << getOnnxTypeName(type);
    if (zp->getNumElements() != numScales)
      return node.emitError() << "the weight zero point has "
                              << zp->getNumElements() << " values and the "
                              << "scale " << numScales;
    zeroPoints = readInts(*zp);
  }

  // w - zw for every element, and the number of pieces it needs.
  SmallVector<int64_t> values = readInts(w.constant);
  int64_t inner = 1, channelStride = 1;
  for (int64_t d = reduceAxis + 1, e = shape.size(); d < e; ++d)
    inner *= shape[d];
  for (int64_t d = channelAxis + 1, e = shape.size(); d < e; ++d)
    channelStride *= shape[d];
  int64_t maxAbs = 0;
  for (auto [i, v] : llvm::enumerate(values)) {
    int64_t channel = numScales == 1 ? 0 : (i / channelStride) % numScales;
    v -= zeroPoints[channel];
    maxAbs = std::max<int64_t>(maxAbs, std::abs(v));
  }
  SymmetricWeight result;
  result.copies = std::max<int64_t>(1, (maxAbs + 126) / 127);

  int64_t depth = shape[reduceAxis];
  int64_t outer = values.size() / (depth * inner);
  SmallVector<int64_t> splitShape(shape);
  splitShape[reduceAxis] *= result.copies;
  SmallVector<int8_t> pieces(values.size() * result.copies);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t d = 0; d < depth; ++d)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t remaining = values[(o * depth + d) * inner + i];
        for (int64_t p = 0; p < result.copies; ++p) {
          int64_t piece = std::clamp<int64_t>(remaining, -127, 127);
          remaining -= piece;
          pieces[(o * depth * result.copies + p * depth + d) * inner + i] =
              static_cast<int8_t>(piece);
        }
      }

  MLIRContext *context = node.getContext();
  auto i8 = IntegerType::get(context, 8);
  auto f32 = Float32Type::get(context);
  auto emitError = [&] { return node.emitError(); };
  quant::QuantizedType quantType;
  // Equal scales (an integer product's) are one per-tensor scale.
  if (llvm::all_equal(scales))
    quantType = quant::UniformQuantizedType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i8, f32, scales.front(),
        0, -128, 127);
  else
    quantType = quant::UniformQuantizedPerAxisType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i8, f32, scales,
        SmallVector<int64_t>(numScales, 0), channelAxis, -128, 127);
  if (!quantType)
    return failure();
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  Value stored = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get(splitShape, i8),
                             ArrayRef<int8_t>(pieces)));
  Value quantized = quant::StorageCastOp::create(
      b, loc, RankedTensorType::get(splitShape, quantType), stored);
  result.value = quant::DequantizeCastOp::create(
      b, loc, RankedTensorType::get(splitShape, f32), quantized);
  return result;
}

/// A convolution whose weight needed several int8 pieces repeats its input
/// along the channels, which only a group-1 convolution allows.
static LogicalResult checkPiecesGroup(NodeImporter &node,
                                      const SymmetricWeight &w) {
  FailureOr<int64_t> group = node.getIntAttr("group", 1);
  if (failed(group))
    return failure();
  if (w.copies > 1 && *group != 1)
    return node.emitError()
           << "the weights minus their zero points span more than int8 ("
           << w.copies << " int8 pieces), which is supported for group 1 "
           << "only, got group " << *group;
  return success();
}

/// Repeats the dequantized activation `x` `copies` times along `axis`, in
/// its own quantized type (an integer concat after qnn-fold-qdq).
static Value repeatInput(NodeImporter &node, Value x, int64_t copies,
                         int64_t axis) {
  if (copies == 1)
    return x;
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  auto type = cast<RankedTensorType>(x.getType());
  auto quantType = cast<RankedTensorType>(
      x.getDefiningOp<quant::DequantizeCastOp>().getInput().getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[axis] *= copies;
  SmallVector<Value> inputs(copies, x);
  Value concat = qnn::ConcatOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), inputs,
      b.getI64IntegerAttr(axis));
  Value quantized = quant::QuantizeCastOp::create(
      b, loc, RankedTensorType::get(shape, quantType.getElementType()), concat);
  return quant::DequantizeCastOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), quantized);
}

/// Quantizes the float `result` with the output scale (input 6) and zero
/// point (input 7) and defines the node's output.
static LogicalResult setQuantizedResult(NodeImporter &node, Value result) {
  auto quantized = quantizeValue(node, result, 6, 7);
  if (failed(quantized))
    return failure();
  return node.setResult(0, quantized->first, quantized->second);
}

LogicalResult onnx_import::importQLinearConv(NodeImporter &node) {
  if (failed(node.checkArity(8, 9)) ||
      failed(node.checkAttributes({"auto_pad", "dilations", "group",
                                   "kernel_shape", "pads", "strides"})) ||
      failed(checkPerTensor(node, 1)))
    return failure();
  ArrayRef<int64_t> wShape = node.getInput(3).getShape();
  if (wShape.size() != 4)
    return node.emitError()
           << "the filter must be 4-D (OIHW), got " << formatShape(wShape);
  FailureOr<Value> x = dequantizeInput(node, 0, 1, 2, /*axis=*/-1);
  if (failed(x))
    return failure();
  FailureOr<SymmetricWeight> w =
      getSymmetricWeight(node, /*channelAxis=*/0, /*reduceAxis=*/1);
  if (failed(w))
    return failure();
  if (failed(checkPiecesGroup(node, *w)))
    return failure();
  Value bias;
  if (node.hasInput(8)) {
    FailureOr<Value> b = dequantizeBias(node, 8, wShape[0]);
    if (failed(b))
      return failure();
    bias = *b;
  }
  FailureOr<Value> conv = createConv(
      node, repeatInput(node, *x, w->copies, /*axis=*/1), w->value, bias);
  if (failed(conv))
    return failure();
  return setQuantizedResult(node, *conv);
}

LogicalResult onnx_import::importQLinearMatMul(NodeImporter &node) {
  if (failed(node.checkArity(8, 8)) || failed(node.checkAttributes({})) ||
      failed(checkPerTensor(node, 1)))
    return failure();
  ArrayRef<int64_t> aShape = node.getInput(0).getShape();
  ArrayRef<int64_t> bShape = node.getInput(3).getShape();
  int64_t aRank = aShape.size(), bRank = bShape.size();
  if (aRank < 2 || bRank < 2)
    return node.emitError()
           << "1-D QLinearMatMul operands are not supported "
              "(rank >= 2), got "
           << formatShape(aShape) << " and " << formatShape(bShape);
  FailureOr<Value> a = dequantizeInput(node, 0, 1, 2, /*axis=*/-1);
  if (failed(a))
    return failure();
  // Batched: the output columns are b's last axis, the reduction its
  // second to last.
  FailureOr<SymmetricWeight> b = getSymmetricWeight(
      node, /*channelAxis=*/bRank - 1, /*reduceAxis=*/bRank - 2);
  if (failed(b))
    return failure();
  FailureOr<Value> matmul = createMatMul(
      node, repeatInput(node, *a, b->copies, /*axis=*/aRank - 1), b->value);
  if (failed(matmul))
    return failure();
  return setQuantizedResult(node, *matmul);
}

//===----------------------------------------------------------------------===//
// ConvInteger / MatMulInteger on a statically quantized input
//===----------------------------------------------------------------------===//

/// The tensor type of a computed (non-constant) value and its per-tensor
/// quantized element type, or nulls.
static std::pair<RankedTensorType, quant::UniformQuantizedType>
getPerTensorQuantized(const ImportedValue &x) {
  auto type = x.value ? dyn_cast<RankedTensorType>(x.value.getType())
                      : RankedTensorType();
  auto quant = type ? dyn_cast<quant::UniformQuantizedType>(
                          type.getElementType())
                    : quant::UniformQuantizedType();
  return {type, quant};
}

LogicalResult onnx_import::importIntegerProduct(NodeImporter &node) {
  bool isConv = node.getOpType() == "ConvInteger";
  ImportedValue &x = node.getInput(0);
  auto [xType, xQuant] = getPerTensorQuantized(x);
  if (x.constant || !xQuant || xQuant.getStorageTypeIntegralWidth() != 8)
    return node.emitError()
           << "not supported: input '" << node.getInputName(0)
           << "' must be quantized per tensor to UINT8 or INT8, by a "
              "QuantizeLinear or a DynamicQuantizeLinear (ONNX Runtime's "
              "dynamic quantization)";
  // The product reads the stored integers minus x_zero_point, whatever
  // scale produced them: relabel them with scale 1 and that zero point.
  int64_t zx = x.onnxType == onnx::TensorProto::UINT8 ? -128 : 0;
  if (node.hasInput(2)) {
    FailureOr<DenseElementsAttr> zp = node.getConstant(2);
    if (failed(zp))
      return failure();
    if (node.getInput(2).onnxType != x.onnxType || zp->getNumElements() != 1)
      return node.emitError()
             << "input '" << node.getInputName(2)
             << "' (the input zero point) must be one value of the input's "
                "type "
             << getOnnxTypeName(x.onnxType);
    APInt v = *zp->getValues<APInt>().begin();
    zx = x.onnxType == onnx::TensorProto::UINT8
             ? int64_t(v.getZExtValue()) - 128
             : v.getSExtValue();
  }
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  MLIRContext *ctx = node.getContext();
  auto f32 = b.getF32Type();
  auto unitType = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, xQuant.getStorageType(), f32, 1.0, zx,
      xQuant.getStorageTypeMin(), xQuant.getStorageTypeMax());
  Value stored = quant::StorageCastOp::create(
      b, loc, xType.clone(xQuant.getStorageType()), x.value);
  Value relabeled =
      quant::StorageCastOp::create(b, loc, xType.clone(unitType), stored);
  Value xf = quant::DequantizeCastOp::create(b, loc, xType.clone(f32),
                                             relabeled);

  int64_t wRank = node.getInput(1).getShape().size();
  if (isConv ? wRank != 4 : wRank < 2)
    return node.emitError() << "the weight must be "
                            << (isConv ? "4-D (OIHW)" : "at least 2-D")
                            << ", got "
                            << formatShape(node.getInput(1).getShape());
  FailureOr<SymmetricWeight> w =
      isConv ? getSymmetricWeight(node, /*channelAxis=*/0, /*reduceAxis=*/1,
                                  {1, 3, std::nullopt})
             : getSymmetricWeight(node, /*channelAxis=*/wRank - 1,
                                  /*reduceAxis=*/wRank - 2,
                                  {1, 3, std::nullopt});
  if (failed(w))
    return failure();
  FailureOr<Value> product;
  if (isConv) {
    if (failed(checkPiecesGroup(node, *w)))
      return failure();
    product = createConv(node, repeatInput(node, xf, w->copies, /*axis=*/1),
                         w->value, Value());
  } else {
    product = createMatMul(
        node, repeatInput(node, xf, w->copies, /*axis=*/xType.getRank() - 1),
        w->value);
  }
  if (failed(product))
    return failure();
  // The exact int32 sum, at scale 1 * 1.
  auto accType = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, IntegerType::get(ctx, 32), f32, 1.0, 0,
      std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
  auto productType = cast<RankedTensorType>(product->getType());
  Value acc = quant::QuantizeCastOp::create(
      b, loc, productType.clone(accType), *product);
  return node.setResult(0, acc, onnx::TensorProto::INT32);
}

LogicalResult onnx_import::importCastOfIntegerProduct(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({"to"})))
    return failure();
  FailureOr<int64_t> to = node.getIntAttr("to", 0);
  if (failed(to))
    return failure();
  ImportedValue &x = node.getInput(0);
  auto [xType, xQuant] = getPerTensorQuantized(x);
  // The int32 product of a ConvInteger / MatMulInteger has scale 1 and zero
  // point 0: its dequantization is the exact conversion to float.
  if (*to != onnx::TensorProto::FLOAT || x.constant || !xQuant ||
      x.onnxType != onnx::TensorProto::INT32 || xQuant.getScale() != 1.0 ||
      xQuant.getZeroPoint() != 0)
    return node.emitError()
           << "not supported: " << getUnsupportedOpReason("Cast") << "; got "
           << "Cast(to=" << getOnnxTypeName(*to) << ") of input '"
           << node.getInputName(0) << "'";
  Value result = quant::DequantizeCastOp::create(
      node.getBuilder(), node.getLoc(),
      xType.clone(node.getBuilder().getF32Type()), x.value);
  return node.setResult(0, result, onnx::TensorProto::FLOAT);
}
