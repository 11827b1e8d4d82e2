//===- ImportDynamic.cpp - Import ONNX Runtime dynamic quantization -------===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// ONNX Runtime's dynamic quantization (onnxruntime.quantization.
// quantize_dynamic) rewrites a float MatMul as
//
//   x_q, x_s, x_zp = DynamicQuantizeLinear(x)
//   acc = MatMulInteger(x_q, W, x_zp, W_zp)      (W, W_zp constant)
//   y = Mul(Cast(acc, to=FLOAT), Mul(x_s, W_s))  (W_s constant)
//
// and a Conv the same way with ConvInteger (the bias then follows as an
// Add of the reshaped bias, imported as such).
//
// None of these nodes has a meaning on its own in the generated program
// (uint8 tensors with a run-time scale, int32 tensors without one), so the
// importer does not materialize their outputs: it records them as parts of
// the pattern (DynamicPart) and builds one qnn.dynamic_gemm (or
// qnn.dynamic_conv) at the final Mul. A part read by any other node, or
// returned by the graph, is an error naming the node that produced it.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

/// The supported form, quoted in every diagnostic of this file.
static constexpr StringLiteral kPattern =
    "supported only as ONNX Runtime's dynamic quantization of a MatMul or "
    "Conv: DynamicQuantizeLinear(x) -> MatMulInteger / ConvInteger(x_q, W, "
    "x_zero_point, W_zero_point) with a constant W -> Cast(to=FLOAT) -> Mul "
    "by Mul(x_scale, constant W scale)";

static StringRef describeKind(DynamicPart::Kind kind) {
  switch (kind) {
  case DynamicPart::Kind::Data:
    return "quantized data";
  case DynamicPart::Kind::Scale:
    return "run-time scale";
  case DynamicPart::Kind::ZeroPoint:
    return "run-time zero point";
  case DynamicPart::Kind::Product:
    return "int32 product";
  case DynamicPart::Kind::FloatProduct:
    return "unscaled float product";
  case DynamicPart::Kind::ScaleProduct:
    return "scale product";
  }
  llvm_unreachable("unknown DynamicPart kind");
}

std::string onnx_import::describeDynamicOutput(const DynamicPart &part) {
  return ("its " + describeKind(part.kind) + ", " + kPattern).str();
}

std::string onnx_import::describeDynamicPart(const DynamicPart &part) {
  return ("the " + describeKind(part.kind) + " of node '" + part.nodeName +
          "' (" + part.opType + "), which is " + kPattern)
      .str();
}

/// The part input `i` of `node` stands for, or null.
static const DynamicPart *getPart(NodeImporter &node, unsigned i) {
  if (!node.hasInput(i))
    return nullptr;
  return node.getInput(i).dynamic.get();
}

/// Defines output `i` of `node` as `part`.
static LogicalResult setPart(NodeImporter &node, unsigned i, DynamicPart part) {
  part.nodeName = node.getName().str();
  part.opType = node.getOpType().str();
  ImportedValue value;
  value.dynamic = std::make_shared<const DynamicPart>(std::move(part));
  return node.setResult(i, value);
}

//===----------------------------------------------------------------------===//
// DynamicQuantizeLinear
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importDynamicQuantizeLinear(NodeImporter &node) {
  if (failed(node.checkArity(1, 1, 1, 3)) || failed(node.checkAttributes({})))
    return failure();
  FailureOr<Value> x = node.getFloatValue(0);
  if (failed(x))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  MLIRContext *ctx = node.getContext();
  auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  DynamicPart part;
  part.input = *x;
  part.source = node.getName().str();
  part.kind = DynamicPart::Kind::Data;
  part.type = xType.clone(u8);
  if (failed(setPart(node, 0, part)))
    return failure();
  part.kind = DynamicPart::Kind::Scale;
  part.type = RankedTensorType::get({}, Float32Type::get(ctx));
  if (failed(setPart(node, 1, part)))
    return failure();
  part.kind = DynamicPart::Kind::ZeroPoint;
  part.type = RankedTensorType::get({}, u8);
  return setPart(node, 2, part);
}

//===----------------------------------------------------------------------===//
// MatMulInteger
//===----------------------------------------------------------------------===//

/// The signed value of element `v` of an ONNX INT8 / UINT8 tensor, re-centred
/// to int8 (-128) when UINT8.
static int64_t toInt8(const APInt &v, int32_t onnxType) {
  if (onnxType == onnx::TensorProto::UINT8)
    return static_cast<int64_t>(v.getZExtValue()) - 128;
  return v.getSExtValue();
}

/// Checks that input 0 of `node` (a part of the pattern) is a
/// DynamicQuantizeLinear's data and input 2 the zero point of the same
/// node; returns the data part.
static FailureOr<const DynamicPart *> getQuantizedInput(NodeImporter &node) {
  const DynamicPart *data = getPart(node, 0);
  if (data->kind != DynamicPart::Kind::Data)
    return node.emitError()
           << "not supported: input '" << node.getInputName(0) << "' is "
           << describeDynamicPart(*data) << "; " << node.getOpType()
           << " reads a DynamicQuantizeLinear's quantized data (or a "
              "QuantizeLinear's output)";
  const DynamicPart *zp = getPart(node, 2);
  if (!zp || zp->kind != DynamicPart::Kind::ZeroPoint ||
      zp->source != data->source)
    return node.emitError()
           << "not supported: input 2 (the input's zero point) must be the "
              "zero point output of DynamicQuantizeLinear node '"
           << data->source << "', whose quantized data is input '"
           << node.getInputName(0) << "'; " << node.getOpType() << " is "
           << kPattern;
  return data;
}

/// Reads the constant INT8 / UINT8 weight (input 1) of `rank` dimensions and
/// its optional zero point (input 3: one value or `channels` values, with
/// `channels` the size of dimension `channelDim`) into `part`.
static LogicalResult readWeight(NodeImporter &node, int64_t rank,
                                int64_t channelDim, DynamicPart &part) {
  ImportedValue &w = node.getInput(1);
  if (w.dynamic || !w.constant ||
      (w.onnxType != onnx::TensorProto::INT8 &&
       w.onnxType != onnx::TensorProto::UINT8))
    return node.emitError() << "not supported: input '" << node.getInputName(1)
                            << "' (the weight) must be an INT8 or UINT8 "
                               "constant (initializer)";
  ArrayRef<int64_t> wShape = w.constant.getType().getShape();
  if (int64_t(wShape.size()) != rank)
    return node.emitError()
           << "not supported: the weight has shape " << formatShape(wShape)
           << "; expects " << rank << " dimensions";
  int64_t channels = wShape[channelDim];
  SmallVector<int64_t> wZp(1,
                           w.onnxType == onnx::TensorProto::UINT8 ? -128 : 0);
  if (node.hasInput(3)) {
    ImportedValue &z = node.getInput(3);
    int64_t n = z.constant ? z.constant.getNumElements() : 0;
    if (z.dynamic || !z.constant || z.onnxType != w.onnxType ||
        z.constant.getType().getRank() > 1 || (n != 1 && n != channels))
      return node.emitError()
             << "input '" << node.getInputName(3)
             << "' (the weight zero point) must be a constant of the "
                "weight's type with 1 or "
             << channels << " values";
    wZp.clear();
    for (const APInt &v : z.constant.getValues<APInt>())
      wZp.push_back(toInt8(v, z.onnxType));
  }
  SmallVector<int8_t> weight;
  for (const APInt &v : w.constant.getValues<APInt>())
    weight.push_back(static_cast<int8_t>(toInt8(v, w.onnxType)));
  auto i8 = IntegerType::get(node.getContext(), 8);
  part.weight = DenseElementsAttr::get(RankedTensorType::get(wShape, i8),
                                       ArrayRef(weight));
  part.weightZeroPoints = std::move(wZp);
  return success();
}

LogicalResult onnx_import::importMatMulInteger(NodeImporter &node) {
  if (failed(node.checkArity(2, 4)) || failed(node.checkAttributes({})))
    return failure();
  // A statically quantized input: the integer product itself.
  if (!getPart(node, 0))
    return importIntegerProduct(node);
  FailureOr<const DynamicPart *> data = getQuantizedInput(node);
  if (failed(data))
    return failure();
  ArrayRef<int64_t> xShape = (*data)->type.getShape();
  if (xShape.size() != 2)
    return node.emitError()
           << "not supported: input '" << node.getInputName(0) << "' has shape "
           << formatShape(xShape) << "; only a 2-D [M, K] input is supported";
  DynamicPart part = **data;
  if (failed(readWeight(node, 2, 1, part)))
    return failure();
  ArrayRef<int64_t> wShape = part.weight.getType().getShape();
  if (wShape[0] != xShape[1])
    return node.emitError()
           << "the weight shape " << formatShape(wShape)
           << " does not match the input shape " << formatShape(xShape)
           << " (expects [" << xShape[1] << ", N])";
  part.kind = DynamicPart::Kind::Product;
  part.productNode = node.getName().str();
  part.type = RankedTensorType::get({xShape[0], wShape[1]},
                                    IntegerType::get(node.getContext(), 32));
  return setPart(node, 0, part);
}

//===----------------------------------------------------------------------===//
// ConvInteger
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importConvInteger(NodeImporter &node) {
  if (failed(node.checkArity(2, 4)) ||
      failed(node.checkAttributes({"auto_pad", "dilations", "group",
                                   "kernel_shape", "pads", "strides"})))
    return failure();
  // A statically quantized input: the integer product itself.
  if (!getPart(node, 0))
    return importIntegerProduct(node);
  FailureOr<const DynamicPart *> data = getQuantizedInput(node);
  if (failed(data))
    return failure();
  DynamicPart part = **data;
  if (failed(readWeight(node, 4, 0, part)))
    return failure();
  // The attributes are Conv's: createConv checks them and infers the shape
  // on a float stand-in filter, which is then dropped.
  OpBuilder &b = node.getBuilder();
  auto f32 = b.getF32Type();
  auto standIn = arith::ConstantOp::create(
      b, node.getLoc(),
      DenseElementsAttr::get(
          RankedTensorType::get(part.weight.getType().getShape(), f32), 0.0f));
  FailureOr<Value> conv = createConv(node, part.input, standIn, Value());
  if (failed(conv)) {
    standIn->erase();
    return failure();
  }
  auto convOp = conv->getDefiningOp<qnn::ConvOp>();
  part.kind = DynamicPart::Kind::Product;
  part.productNode = node.getName().str();
  part.isConv = true;
  part.strides = llvm::to_vector(convOp.getStrides());
  part.pads = llvm::to_vector(convOp.getPads());
  part.dilations = llvm::to_vector(convOp.getDilations());
  part.group = static_cast<int64_t>(convOp.getGroup());
  part.type = RankedTensorType::get(
      cast<RankedTensorType>(convOp.getResult().getType()).getShape(),
      IntegerType::get(node.getContext(), 32));
  convOp->erase();
  standIn->erase();
  return setPart(node, 0, part);
}

//===----------------------------------------------------------------------===//
// Cast, Mul and every other reader of a part
//===----------------------------------------------------------------------===//

/// Cast(to=FLOAT) of the int32 product: the unscaled float product.
static LogicalResult importCastOfPart(NodeImporter &node,
                                      const DynamicPart &part) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({"to"})))
    return failure();
  FailureOr<int64_t> to = node.getIntAttr("to", 0);
  if (failed(to))
    return failure();
  if (part.kind != DynamicPart::Kind::Product ||
      *to != onnx::TensorProto::FLOAT)
    return node.emitError() << "not supported: input '" << node.getInputName(0)
                            << "' is " << describeDynamicPart(part)
                            << "; got Cast(to=" << getOnnxTypeName(*to)
                            << ") of its " << describeKind(part.kind);
  DynamicPart result = part;
  result.kind = DynamicPart::Kind::FloatProduct;
  result.type = RankedTensorType::get(part.type.getShape(),
                                      Float32Type::get(node.getContext()));
  return setPart(node, 0, result);
}

/// The f32 scales of a constant Mul operand, or failure.
static FailureOr<SmallVector<double>> getWeightScales(NodeImporter &node,
                                                      unsigned i) {
  ImportedValue &s = node.getInput(i);
  if (s.dynamic || !s.constant || !s.constant.getElementType().isF32())
    return node.emitError()
           << "not supported: input '" << node.getInputName(i)
           << "' must be the constant float32 weight scale; the run-time "
              "scale is "
           << kPattern;
  SmallVector<double> scales;
  for (float v : s.constant.getValues<float>()) {
    if (!std::isfinite(v) || v <= 0.0f)
      return node.emitError()
             << "input '" << node.getInputName(i) << "': weight scale " << v
             << " is not a positive finite float32";
    scales.push_back(v);
  }
  return scales;
}

/// Mul(x_scale, W_scale): the scale product, kept as a part.
static LogicalResult importScaleProduct(NodeImporter &node,
                                        const DynamicPart &scale,
                                        unsigned constIndex) {
  FailureOr<SmallVector<double>> scales = getWeightScales(node, constIndex);
  if (failed(scales))
    return failure();
  ArrayRef<int64_t> shape = node.getInput(constIndex).getShape();
  DynamicPart result = scale;
  result.kind = DynamicPart::Kind::ScaleProduct;
  result.weightScales = std::move(*scales);
  result.type =
      RankedTensorType::get(shape, Float32Type::get(node.getContext()));
  return setPart(node, 0, result);
}

/// Mul(Cast(acc), Mul(x_scale, W_scale)): the qnn.dynamic_gemm or
/// qnn.dynamic_conv.
static LogicalResult importScaledProduct(NodeImporter &node,
                                         const DynamicPart &product,
                                         const DynamicPart &scale) {
  if (product.source != scale.source)
    return node.emitError()
           << "not supported: the product quantizes its input with "
              "DynamicQuantizeLinear node '"
           << product.source << "', but the scale comes from node '"
           << scale.source << "'";
  ArrayRef<int64_t> shape = product.type.getShape();
  int64_t cols = shape[1];
  // The scale product broadcasts along the output columns / channels (axis
  // 1 of the product) only: one value, or [N] / [1, N] for a MatMul,
  // [F, 1, 1] / [1, F, 1, 1] for a Conv.
  ArrayRef<int64_t> sShape = scale.type.getShape();
  int64_t rank = shape.size(), sRank = sShape.size();
  bool alongChannels = sRank <= rank;
  for (int64_t i = 0; alongChannels && i < sRank; ++i)
    alongChannels =
        sShape[i] == 1 || (i + rank - sRank == 1 && sShape[i] == cols);
  if (!alongChannels)
    return node.emitError()
           << "not supported: the weight scale has shape "
           << formatShape(sShape) << "; expects one scale or one per "
           << (product.isConv ? "output channel" : "column") << " (" << cols
           << ") along axis 1 of the product " << formatShape(shape);
  SmallVector<double> scales(scale.weightScales);
  SmallVector<int64_t> zps(product.weightZeroPoints);
  bool perTensor = scales.size() == 1 && zps.size() == 1;
  if (!perTensor) {
    if (scales.size() == 1)
      scales.assign(cols, scales[0]);
    if (zps.size() == 1)
      zps.assign(cols, zps[0]);
  }
  MLIRContext *ctx = node.getContext();
  auto i8 = IntegerType::get(ctx, 8);
  auto f32 = Float32Type::get(ctx);
  auto emitError = [&] { return node.emitError(); };
  quant::QuantizedType wType;
  if (perTensor)
    wType = quant::UniformQuantizedType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i8, f32, scales[0], zps[0],
        -128, 127);
  else
    wType = quant::UniformQuantizedPerAxisType::getChecked(
        emitError, quant::QuantizationFlags::Signed, i8, f32, scales, zps,
        /*quantizedDimension=*/product.isConv ? 0 : 1, -128, 127);
  if (!wType)
    return failure();
  OpBuilder &b = node.getBuilder();
  // Named after the MatMulInteger (the layer), then the final Mul.
  Location loc = node.getLoc();
  if (auto name = dyn_cast<NameLoc>(loc))
    loc = FusedLoc::get(ctx,
                        {NameLoc::get(StringAttr::get(ctx, product.productNode),
                                      name.getChildLoc()),
                         loc});
  Value stored = arith::ConstantOp::create(b, loc, product.weight);
  Value weight = quant::StorageCastOp::create(
      b, loc, product.weight.getType().clone(wType), stored);
  auto resultType = RankedTensorType::get(shape, f32);
  if (product.isConv)
    return node.setResult(
        0,
        qnn::DynamicConvOp::create(b, loc, resultType, product.input, weight,
                                   b.getDenseI64ArrayAttr(product.strides),
                                   b.getDenseI64ArrayAttr(product.pads),
                                   b.getDenseI64ArrayAttr(product.dilations),
                                   b.getI64IntegerAttr(product.group)),
        onnx::TensorProto::FLOAT);
  auto op =
      qnn::DynamicGemmOp::create(b, loc, resultType, product.input, weight,
                                 /*bias=*/Value(), b.getBoolAttr(false));
  return node.setResult(0, op, onnx::TensorProto::FLOAT);
}

LogicalResult onnx_import::importDynamicPartReader(NodeImporter &node) {
  StringRef opType = node.getOpType();
  if (opType == "MatMulInteger")
    return importMatMulInteger(node);
  if (opType == "ConvInteger")
    return importConvInteger(node);
  unsigned numInputs = node.getNumInputs();
  if (opType == "Cast" && numInputs == 1)
    if (const DynamicPart *part = getPart(node, 0))
      return importCastOfPart(node, *part);
  if (opType == "Mul" && numInputs == 2) {
    if (failed(node.checkArity(2, 2)) || failed(node.checkAttributes({})))
      return failure();
    for (unsigned i = 0; i < 2; ++i) {
      const DynamicPart *a = getPart(node, i), *b = getPart(node, 1 - i);
      if (a && a->kind == DynamicPart::Kind::Scale && !b)
        return importScaleProduct(node, *a, 1 - i);
      if (a && a->kind == DynamicPart::Kind::FloatProduct && b &&
          b->kind == DynamicPart::Kind::ScaleProduct)
        return importScaledProduct(node, *a, *b);
    }
  }
  // Name the first part read out of place.
  for (unsigned i = 0; i < numInputs; ++i)
    if (const DynamicPart *part = getPart(node, i))
      return node.emitError()
             << "not supported: input '" << node.getInputName(i) << "' is "
             << describeDynamicPart(*part);
  llvm_unreachable("importDynamicPartReader called without a part input");
}
