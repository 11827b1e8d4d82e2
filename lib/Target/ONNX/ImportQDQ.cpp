//===- ImportQDQ.cpp - Import QuantizeLinear/DequantizeLinear ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Imports the QDQ form of quantized ONNX models into upstream quant casts:
//
//   QuantizeLinear(x, s, zp)        -> quant.qcast x to tensor<..x!q>
//   DequantizeLinear(q, s, zp)      -> quant.dcast q to tensor<..xf32>
//   DequantizeLinear(W, s, zp), W an initializer
//        -> arith.constant (storage ints), quant.scast to !q, quant.dcast
//
// `!q` is `!quant.uniform<i8:f32, S:ZP>` per tensor or
// `!quant.uniform<i8:f32:AXIS, {S0:ZP0, ...}>` per axis, with the storage
// range [-128, 127]; int32 tensors (biases) use i32 storage with the full
// int32 range. Scales are float32 in ONNX and are stored as the double of
// that float, so later passes see the exact ONNX value.
//
// The storage type is always signed: a uint8 tensor (zero point of type
// uint8, the default of QuantizeLinear) is re-centered to int8 by
// subtracting 128 from every stored value and from the zero point. Since
// real = s * (q - zp) = s * ((q - 128) - (zp - 128)) and [0, 255] maps onto
// [-128, 127], this is exact, saturation included.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

#include <cmath>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

namespace {

/// The quantization parameters of one QuantizeLinear or DequantizeLinear
/// node, moved to the signed storage domain.
struct QuantParams {
  /// One scale per tensor, or one per slice along `axis`.
  SmallVector<double> scales;
  /// The zero points in storage units (uint8 values already minus 128).
  SmallVector<int64_t> zeroPoints;
  /// The ONNX type of the quantized tensor: INT8, UINT8 or INT32.
  int32_t onnxType = onnx::TensorProto::UINT8;
  /// The quantized dimension, or -1 per tensor.
  int64_t axis = -1;
};

} // namespace

static bool isQuantStorageType(int32_t onnxType) {
  return onnxType == onnx::TensorProto::INT8 ||
         onnxType == onnx::TensorProto::UINT8 ||
         onnxType == onnx::TensorProto::INT32;
}

/// Reads the scale (input `scaleIndex`), the optional zero point (input
/// `zpIndex`, else zero of `defaultType`) of a node quantizing a tensor of
/// `shape`, and the quantized axis: `fixedAxis` if >= 0, else the `axis`
/// attribute (default 1), which needs opset 13 (QuantizeLinear-10 and
/// DequantizeLinear-10 are per tensor only).
static FailureOr<QuantParams>
readQuantParams(NodeImporter &node, ArrayRef<int64_t> shape,
                int32_t defaultType, unsigned scaleIndex = 1,
                unsigned zpIndex = 2, int64_t fixedAxis = -1) {
  QuantParams params;
  FailureOr<DenseElementsAttr> scale = node.getConstant(scaleIndex);
  if (failed(scale))
    return failure();
  if (!scale->getElementType().isF32() || scale->getType().getRank() > 1 ||
      scale->getNumElements() == 0)
    return node.emitError() << "input '" << node.getInputName(scaleIndex)
                            << "' (scale) must be a float32 scalar or 1-D "
                               "tensor, got "
                            << scale->getType();
  for (float s : scale->getValues<float>()) {
    if (!std::isfinite(s) || s <= 0.0f)
      return node.emitError()
             << "scale " << s << " is not a positive finite float32";
    params.scales.push_back(static_cast<double>(s));
  }
  int64_t numScales = params.scales.size();

  params.onnxType = defaultType;
  if (node.hasInput(zpIndex)) {
    FailureOr<DenseElementsAttr> zp = node.getConstant(zpIndex);
    if (failed(zp))
      return failure();
    params.onnxType = node.getInput(zpIndex).onnxType;
    if (!isQuantStorageType(params.onnxType))
      return node.emitError()
             << "zero point type " << getOnnxTypeName(params.onnxType)
             << " is not supported (INT8, UINT8 or INT32)";
    if (zp->getNumElements() != numScales || zp->getType().getRank() > 1)
      return node.emitError()
             << "the zero point " << zp->getType()
             << " does not match the scale " << scale->getType();
    switch (params.onnxType) {
    case onnx::TensorProto::INT8:
      for (int8_t z : zp->getValues<int8_t>())
        params.zeroPoints.push_back(z);
      break;
    case onnx::TensorProto::UINT8:
      for (uint8_t z : zp->getValues<uint8_t>())
        params.zeroPoints.push_back(int64_t(z) - 128);
      break;
    default:
      for (int32_t z : zp->getValues<int32_t>())
        params.zeroPoints.push_back(z);
      break;
    }
  } else {
    int64_t zero = params.onnxType == onnx::TensorProto::UINT8 ? -128 : 0;
    params.zeroPoints.assign(numScales, zero);
  }

  FailureOr<int64_t> axis = fixedAxis;
  if (fixedAxis < 0) {
    int64_t opset = node.getGraph().getOpsetVersion();
    if (opset < 13 && (node.getAttribute("axis") || numScales > 1))
      return node.emitError()
             << "per-axis quantization needs opset 13 (opset " << opset
             << " has no 'axis' attribute: the scale must be a scalar)";
    axis = node.getIntAttr("axis", 1);
    if (failed(axis))
      return failure();
  }
  if (numScales == 1)
    return params; // Per tensor (a scalar, or a 1-D tensor of one value).
  int64_t rank = shape.size();
  if (*axis < -rank || *axis >= rank)
    return node.emitError() << "attribute 'axis' = " << *axis
                            << " is out of range for rank " << rank;
  params.axis = *axis < 0 ? *axis + rank : *axis;
  if (shape[params.axis] != numScales)
    return node.emitError()
           << "the scale has " << numScales << " values but axis "
           << params.axis << " of the input has " << shape[params.axis];
  return params;
}

/// Builds the `!quant.uniform` type of `params` (signed storage: i8 in
/// [-128, 127], or i32 over its full range for INT32).
static quant::QuantizedType getQuantType(NodeImporter &node,
                                         const QuantParams &params) {
  MLIRContext *context = node.getContext();
  bool is32 = params.onnxType == onnx::TensorProto::INT32;
  unsigned width = is32 ? 32 : 8;
  auto storageType = IntegerType::get(context, width);
  int64_t storageMin =
      quant::QuantizedType::getDefaultMinimumForInteger(true, width);
  int64_t storageMax =
      quant::QuantizedType::getDefaultMaximumForInteger(true, width);
  Type expressedType = Float32Type::get(context);
  auto emitError = [&] { return node.emitError(); };
  if (params.axis < 0)
    return quant::UniformQuantizedType::getChecked(
        emitError, quant::QuantizationFlags::Signed, storageType, expressedType,
        params.scales.front(), params.zeroPoints.front(), storageMin,
        storageMax);
  return quant::UniformQuantizedPerAxisType::getChecked(
      emitError, quant::QuantizationFlags::Signed, storageType, expressedType,
      params.scales, params.zeroPoints, params.axis, storageMin, storageMax);
}

/// Checks the `block_size` attribute (opset 21): only 0 (no blocking).
static LogicalResult checkBlockSize(NodeImporter &node) {
  FailureOr<int64_t> blockSize = node.getIntAttr("block_size", 0);
  if (failed(blockSize))
    return failure();
  if (*blockSize != 0)
    return node.emitError() << "attribute 'block_size' = " << *blockSize
                            << " is not supported (only 0)";
  return success();
}

LogicalResult onnx_import::importQuantizeLinear(NodeImporter &node) {
  if (failed(node.checkArity(2, 3)) ||
      failed(node.checkAttributes(
          {"axis", "block_size", "output_dtype", "saturate"})) ||
      failed(checkBlockSize(node)))
    return failure();
  // `saturate` only affects float8 outputs; integer outputs always saturate.
  if (failed(node.getIntAttr("saturate", 1)))
    return failure();
  FailureOr<int64_t> outputType = node.getIntAttr("output_dtype", 0);
  if (failed(outputType))
    return failure();
  if (*outputType != 0 && *outputType != onnx::TensorProto::INT8 &&
      *outputType != onnx::TensorProto::UINT8)
    return node.emitError()
           << "attribute 'output_dtype' = " << getOnnxTypeName(*outputType)
           << " is not supported (INT8 or UINT8)";

  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  auto inType = cast<RankedTensorType>(input->getType());
  int32_t defaultType =
      *outputType != 0 ? *outputType : onnx::TensorProto::UINT8;
  FailureOr<QuantParams> params =
      readQuantParams(node, inType.getShape(), defaultType);
  if (failed(params))
    return failure();
  if (params->onnxType == onnx::TensorProto::INT32)
    return node.emitError() << "zero point type INT32 is not supported "
                               "(INT8 or UINT8)";
  if (*outputType != 0 && *outputType != params->onnxType)
    return node.emitError()
           << "attribute 'output_dtype' = " << getOnnxTypeName(*outputType)
           << " does not match the zero point type "
           << getOnnxTypeName(params->onnxType);
  quant::QuantizedType quantType = getQuantType(node, *params);
  if (!quantType)
    return failure();
  auto qcast = quant::QuantizeCastOp::create(
      node.getBuilder(), node.getLoc(),
      RankedTensorType::get(inType.getShape(), quantType), *input);
  return node.setResult(0, qcast, params->onnxType);
}

/// Converts the integer constant `data` of ONNX type `onnxType` to the
/// signless storage form (uint8 re-centered to int8).
static DenseElementsAttr getStorageConstant(DenseElementsAttr data,
                                            int32_t onnxType) {
  if (onnxType != onnx::TensorProto::UINT8)
    return data;
  SmallVector<int8_t> values;
  values.reserve(data.getNumElements());
  for (uint8_t v : data.getValues<uint8_t>())
    values.push_back(static_cast<int8_t>(int(v) - 128));
  auto type = RankedTensorType::get(data.getType().getShape(),
                                    IntegerType::get(data.getContext(), 8));
  return DenseElementsAttr::get(type, ArrayRef<int8_t>(values));
}

LogicalResult onnx_import::importDequantizeLinear(NodeImporter &node) {
  if (failed(node.checkArity(2, 3)) ||
      failed(node.checkAttributes({"axis", "block_size"})) ||
      failed(checkBlockSize(node)))
    return failure();
  FailureOr<Value> result = dequantizeInput(node, 0, 1, 2, /*axis=*/-1);
  if (failed(result))
    return failure();
  return node.setResult(0, *result, onnx::TensorProto::FLOAT);
}

FailureOr<Value> onnx_import::dequantizeInput(NodeImporter &node,
                                              unsigned dataIndex,
                                              unsigned scaleIndex,
                                              unsigned zpIndex, int64_t axis) {
  ImportedValue &input = node.getInput(dataIndex);
  ArrayRef<int64_t> shape = input.getShape();
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();

  Value quantized;
  if (input.constant) {
    if (!isQuantStorageType(input.onnxType))
      return node.emitError() << "input '" << node.getInputName(dataIndex)
                              << "' must be an INT8, UINT8 or INT32 "
                                 "constant, got "
                              << getOnnxTypeName(input.onnxType);
    FailureOr<QuantParams> params =
        readQuantParams(node, shape, input.onnxType, scaleIndex, zpIndex, axis);
    if (failed(params))
      return failure();
    if (params->onnxType != input.onnxType)
      return node.emitError()
             << "zero point type " << getOnnxTypeName(params->onnxType)
             << " does not match the input type "
             << getOnnxTypeName(input.onnxType);
    quant::QuantizedType quantType = getQuantType(node, *params);
    if (!quantType)
      return failure();
    DenseElementsAttr storage =
        getStorageConstant(input.constant, input.onnxType);
    Value stored = arith::ConstantOp::create(b, loc, storage);
    quantized = quant::StorageCastOp::create(
        b, loc, RankedTensorType::get(shape, quantType), stored);
  } else {
    auto inType = cast<RankedTensorType>(input.value.getType());
    auto inQuant = dyn_cast<quant::QuantizedType>(inType.getElementType());
    if (!inQuant)
      return node.emitError() << "input '" << node.getInputName(dataIndex)
                              << "' must be a constant or a quantized value "
                                 "(the output of QuantizeLinear), got "
                              << inType;
    FailureOr<QuantParams> params =
        readQuantParams(node, shape, input.onnxType, scaleIndex, zpIndex, axis);
    if (failed(params))
      return failure();
    if (params->onnxType != input.onnxType)
      return node.emitError()
             << "zero point type " << getOnnxTypeName(params->onnxType)
             << " does not match the input type "
             << getOnnxTypeName(input.onnxType);
    quant::QuantizedType quantType = getQuantType(node, *params);
    if (!quantType)
      return failure();
    quantized = input.value;
    if (quantType != inQuant) {
      // The node dequantizes with other parameters than the producer used:
      // reinterpret the stored integers with the node's parameters.
      auto storageType = RankedTensorType::get(shape, inQuant.getStorageType());
      Value stored =
          quant::StorageCastOp::create(b, loc, storageType, quantized);
      quantized = quant::StorageCastOp::create(
          b, loc, RankedTensorType::get(shape, quantType), stored);
    }
  }
  auto dcast = quant::DequantizeCastOp::create(
      b, loc, RankedTensorType::get(shape, b.getF32Type()), quantized);
  return dcast.getResult();
}

FailureOr<std::pair<Value, int32_t>>
onnx_import::quantizeValue(NodeImporter &node, Value value, unsigned scaleIndex,
                           unsigned zpIndex) {
  auto type = cast<RankedTensorType>(value.getType());
  FailureOr<QuantParams> params =
      readQuantParams(node, type.getShape(), onnx::TensorProto::UINT8,
                      scaleIndex, zpIndex, /*fixedAxis=*/0);
  if (failed(params))
    return failure();
  if (params->axis >= 0 || params->onnxType == onnx::TensorProto::INT32)
    return node.emitError()
           << "the output scale and zero point must be a per-tensor INT8 or "
              "UINT8 quantization";
  quant::QuantizedType quantType = getQuantType(node, *params);
  if (!quantType)
    return failure();
  Value qcast = quant::QuantizeCastOp::create(
      node.getBuilder(), node.getLoc(),
      RankedTensorType::get(type.getShape(), quantType), value);
  return std::make_pair(qcast, params->onnxType);
}
