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
// Weights are constants quantized per tensor or per output channel (Conv
// axis 0, MatMul axis 1), INT8 with zero point 0 or UINT8 with zero point
// 128 (re-centered to int8 with zero point 0): the integer path multiplies
// symmetric weights only, so another weight zero point is an error. The
// INT32 bias has scale sx * sw[c] and zero point 0, as ONNX specifies.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

/// Checks that the weight (input `wIndex`) is a constant whose zero points
/// (input `zpIndex`) are symmetric: 0 for INT8, 128 for UINT8.
static LogicalResult checkSymmetricWeight(NodeImporter &node, unsigned wIndex,
                                          unsigned zpIndex) {
  ImportedValue &w = node.getInput(wIndex);
  if (!w.constant)
    return node.emitError() << "input '" << node.getInputName(wIndex)
                            << "' (the weight) must be a constant "
                               "(initializer)";
  if (!node.hasInput(zpIndex))
    return success(); // The scale's type check comes with dequantizeInput.
  FailureOr<DenseElementsAttr> zp = node.getConstant(zpIndex);
  if (failed(zp))
    return failure();
  int32_t type = node.getInput(zpIndex).onnxType;
  int64_t symmetric = type == onnx::TensorProto::UINT8 ? 128 : 0;
  SmallVector<int64_t> values;
  if (type == onnx::TensorProto::UINT8)
    for (uint8_t z : zp->getValues<uint8_t>())
      values.push_back(z);
  else if (type == onnx::TensorProto::INT8)
    for (int8_t z : zp->getValues<int8_t>())
      values.push_back(z);
  else
    return node.emitError()
           << "weight zero point type " << getOnnxTypeName(type)
           << " is not supported (INT8 or UINT8)";
  for (int64_t z : values)
    if (z != symmetric)
      return node.emitError()
             << "weight zero point " << z << " is not supported: the "
             << "integer path needs symmetric weights (zero point " << symmetric
             << " for " << getOnnxTypeName(type) << ")";
  return success();
}

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
  for (float s : attr->getValues<float>())
    scales.push_back(s);
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
      failed(checkSymmetricWeight(node, 3, 5)) ||
      failed(checkPerTensor(node, 1)))
    return failure();
  ArrayRef<int64_t> wShape = node.getInput(3).getShape();
  if (wShape.size() != 4)
    return node.emitError()
           << "the filter must be 4-D (OIHW), got " << formatShape(wShape);
  FailureOr<Value> x = dequantizeInput(node, 0, 1, 2, /*axis=*/-1);
  if (failed(x))
    return failure();
  FailureOr<Value> w = dequantizeInput(node, 3, 4, 5, /*axis=*/0);
  if (failed(w))
    return failure();
  Value bias;
  if (node.hasInput(8)) {
    FailureOr<Value> b = dequantizeBias(node, 8, wShape[0]);
    if (failed(b))
      return failure();
    bias = *b;
  }
  FailureOr<Value> conv = createConv(node, *x, *w, bias);
  if (failed(conv))
    return failure();
  return setQuantizedResult(node, *conv);
}

LogicalResult onnx_import::importQLinearMatMul(NodeImporter &node) {
  if (failed(node.checkArity(8, 8)) || failed(node.checkAttributes({})) ||
      failed(checkSymmetricWeight(node, 3, 5)) ||
      failed(checkPerTensor(node, 1)))
    return failure();
  ArrayRef<int64_t> bShape = node.getInput(3).getShape();
  if (bShape.size() != 2)
    return node.emitError() << "only 2-D QLinearMatMul is supported, got a "
                               "weight of shape "
                            << formatShape(bShape);
  FailureOr<Value> a = dequantizeInput(node, 0, 1, 2, /*axis=*/-1);
  if (failed(a))
    return failure();
  FailureOr<Value> b = dequantizeInput(node, 3, 4, 5, /*axis=*/1);
  if (failed(b))
    return failure();
  FailureOr<Value> matmul = createMatMul(node, *a, *b);
  if (failed(matmul))
    return failure();
  return setQuantizedResult(node, *matmul);
}
