//===- ImportOps.cpp - ONNX op importers ------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The op table of the ONNX importer: one function per supported ONNX op type
// (default domain; ImportOpset.cpp says from which opset). Each validates
// its arity, attribute types and values and operand ranks before building
// anything, computes the static result shape with the qnn shape rules and
// creates the qnn op at the node location. QuantizeLinear/DequantizeLinear
// live in ImportQDQ.cpp, QLinearConv/QLinearMatMul in ImportQLinear.cpp.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Reads the `ints` attribute `name` of a 2-D window op: `size` values, each
/// in [minValue, kMaxDimSize]; `defaultValue` repeated when absent.
static FailureOr<SmallVector<int64_t>>
getWindowAttr(NodeImporter &node, StringRef name, size_t size,
              int64_t defaultValue, int64_t minValue) {
  auto attr = node.getIntsAttr(name);
  if (failed(attr))
    return failure();
  if (!*attr)
    return SmallVector<int64_t>(size, defaultValue);
  SmallVector<int64_t> values = std::move(**attr);
  if (values.size() != size || llvm::any_of(values, [&](int64_t v) {
        return v < minValue || v > kMaxDimSize;
      }))
    return node.emitError()
           << "attribute '" << name << "' = " << formatShape(values)
           << " is not supported (expects " << size << " values >= " << minValue
           << ")";
  return values;
}

/// Resolves `auto_pad` and `pads` of Conv/MaxPool into the static
/// `[begin..., end...]` pads for the spatial input dims `inputHW` (2-D:
/// `[top, left, bottom, right]`).
static FailureOr<SmallVector<int64_t>>
resolvePads(NodeImporter &node, ArrayRef<int64_t> inputHW,
            ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
            ArrayRef<int64_t> dilations) {
  FailureOr<std::string> autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (failed(autoPad))
    return failure();
  size_t rank = inputHW.size();
  if (*autoPad == "NOTSET")
    return getWindowAttr(node, "pads", 2 * rank, 0, 0);
  if (node.getAttribute("pads"))
    return node.emitError() << "attribute 'pads' cannot be combined with "
                               "auto_pad '"
                            << *autoPad << "'";
  SmallVector<int64_t> pads(2 * rank, 0);
  if (*autoPad == "VALID")
    return pads;
  if (*autoPad != "SAME_UPPER" && *autoPad != "SAME_LOWER")
    return node.emitError()
           << "attribute 'auto_pad' = '" << *autoPad << "' is not supported";
  for (size_t i = 0; i < rank; ++i) {
    int64_t out = (inputHW[i] + strides[i] - 1) / strides[i];
    int64_t extent = dilations[i] * (kernel[i] - 1) + 1;
    int64_t total =
        std::max<int64_t>(0, (out - 1) * strides[i] + extent - inputHW[i]);
    int64_t small = total / 2, large = total - small;
    bool upper = *autoPad == "SAME_UPPER";
    pads[i] = upper ? small : large;
    pads[i + rank] = upper ? large : small;
  }
  return pads;
}

/// Reads the scalar float32 constant of input `i` (Clip min/max).
static FailureOr<FloatAttr> getScalarFloat(NodeImporter &node, unsigned i) {
  FailureOr<DenseElementsAttr> attr = node.getConstant(i);
  if (failed(attr))
    return failure();
  if (!attr->getElementType().isF32() || attr->getNumElements() != 1 ||
      attr->getType().getRank() > 1)
    return node.emitError()
           << "input '" << node.getInputName(i)
           << "' must be a float32 scalar, got " << attr->getType();
  float value = *attr->getValues<float>().begin();
  if (std::isnan(value))
    return node.emitError() << "input '" << node.getInputName(i) << "' is NaN";
  return node.getBuilder().getF32FloatAttr(value);
}

/// Reads a 0/1 flag attribute (Gemm transA/transB,
/// AveragePool count_include_pad).
static FailureOr<bool> getFlagAttr(NodeImporter &node, StringRef name) {
  FailureOr<int64_t> value = node.getIntAttr(name, 0);
  if (failed(value))
    return failure();
  if (*value != 0 && *value != 1)
    return node.emitError() << "attribute '" << name << "' = " << *value
                            << " is not supported (0 or 1)";
  return *value == 1;
}

static RankedTensorType getType(Value value) {
  return cast<RankedTensorType>(value.getType());
}

//===----------------------------------------------------------------------===//
// Conv and pooling
//===----------------------------------------------------------------------===//

FailureOr<Value> onnx_import::createConv(NodeImporter &node, Value input,
                                         Value filter, Value bias) {
  RankedTensorType inType = getType(input), wType = getType(filter);
  if (inType.getRank() != 4)
    return node.emitError() << "only 2-D convolution is supported (a 4-D "
                               "NCHW input), got "
                            << inType;
  if (wType.getRank() != 4)
    return node.emitError() << "the filter must be 4-D (OIHW), got " << wType;
  ArrayRef<int64_t> inShape = inType.getShape(), wShape = wType.getShape();
  ArrayRef<int64_t> kernel = wShape.drop_front(2);

  auto kernelShape = node.getIntsAttr("kernel_shape");
  if (failed(kernelShape))
    return failure();
  if (*kernelShape && ArrayRef<int64_t>(**kernelShape) != kernel)
    return node.emitError()
           << "attribute 'kernel_shape' = " << formatShape(**kernelShape)
           << " does not match the filter shape " << formatShape(wShape);
  auto strides = getWindowAttr(node, "strides", 2, 1, 1);
  if (failed(strides))
    return failure();
  auto dilations = getWindowAttr(node, "dilations", 2, 1, 1);
  if (failed(dilations))
    return failure();
  FailureOr<int64_t> group = node.getIntAttr("group", 1);
  if (failed(group))
    return failure();
  if (*group < 1 || *group > inShape[1] || inShape[1] != wShape[1] * *group ||
      wShape[0] % *group != 0)
    return node.emitError()
           << "attribute 'group' = " << *group << " does not match "
           << inShape[1] << " input channels and the filter shape "
           << formatShape(wShape);
  auto pads =
      resolvePads(node, inShape.drop_front(2), kernel, *strides, *dilations);
  if (failed(pads))
    return failure();

  if (bias) {
    RankedTensorType bType = getType(bias);
    if (bType.getRank() != 1 || bType.getDimSize(0) != wShape[0])
      return node.emitError() << "the bias must be 1-D with " << wShape[0]
                              << " values, got " << bType;
  }

  std::string reason;
  auto shape = qnn::inferConvShape(inShape, wShape, *strides, *pads, *dilations,
                                   *group, reason);
  if (failed(shape))
    return node.emitError() << reason;
  OpBuilder &b = node.getBuilder();
  auto conv = qnn::ConvOp::create(
      b, node.getLoc(), RankedTensorType::get(*shape, b.getF32Type()), input,
      filter, bias, b.getDenseI64ArrayAttr(*strides),
      b.getDenseI64ArrayAttr(*pads), b.getDenseI64ArrayAttr(*dilations),
      b.getI64IntegerAttr(*group));
  return conv.getResult();
}

static LogicalResult importConv(NodeImporter &node) {
  if (failed(node.checkArity(2, 3)) ||
      failed(node.checkAttributes({"auto_pad", "dilations", "group",
                                   "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  FailureOr<Value> filter = node.getFloatValue(1);
  if (failed(filter))
    return failure();
  Value bias;
  if (node.hasInput(2)) {
    FailureOr<Value> b = node.getFloatValue(2);
    if (failed(b))
      return failure();
    bias = *b;
  }
  FailureOr<Value> conv = createConv(node, *input, *filter, bias);
  if (failed(conv))
    return failure();
  return node.setResult(0, *conv, onnx::TensorProto::FLOAT);
}

/// The window of a MaxPool / AveragePool, as a 2-D pool on an NCHW view of
/// the input: a 1-D pool (a 3-D NCL input) has H = 1, kernel, stride and
/// dilation 1 along H and no H padding. `ceilExtra` is the padding ceil_mode
/// adds after the last row and column (the `pads` end values include it).
struct PoolWindow {
  SmallVector<int64_t> kernel, strides, pads, dilations, shape;
  SmallVector<int64_t> ceilExtra = {0, 0};
  /// The NCHW view of the input (the input's own shape when 2-D).
  SmallVector<int64_t> inputShape;
  bool oneD = false;
};

/// Reads and checks the window attributes shared by MaxPool and AveragePool
/// (`kind` names the pooling in messages): a 1-D `kernel_shape` on a 3-D
/// NCL input or a 2-D one on a 4-D NCHW input, strides, (auto_)pads,
/// dilations (1 unless `allowDilations`) and ceil_mode. ceil_mode = 1 rounds
/// the output size up, the last window starting inside the input or its
/// begin padding (as ONNX Runtime): it is the floor-mode pool with extra end
/// padding, which never wins a max and is not counted by an average.
static FailureOr<PoolWindow> importPoolWindow(NodeImporter &node,
                                              RankedTensorType inType,
                                              StringRef kind,
                                              bool allowDilations) {
  auto kernelShape = node.getIntsAttr("kernel_shape");
  if (failed(kernelShape))
    return failure();
  if (!*kernelShape)
    return node.emitError() << "attribute 'kernel_shape' is required";
  size_t rank = (*kernelShape)->size();
  if (!((rank == 2 && inType.getRank() == 4) ||
        (rank == 1 && inType.getRank() == 3)))
    return node.emitError()
           << "only 1-D, 2-D and 3-D " << kind
           << " pooling is supported (a 3-D NCL, 4-D NCHW or 5-D NCDHW "
              "input), got "
              "kernel_shape = "
           << formatShape(**kernelShape) << " and input " << inType;
  PoolWindow window;
  window.oneD = rank == 1;
  window.inputShape.assign(inType.getShape().begin(), inType.getShape().end());
  // A 1-D value v becomes {1, v}; 1-D pads {b, e} become {0, b, 0, e}.
  auto as2D = [&](SmallVector<int64_t> values, int64_t fill) {
    if (window.oneD)
      values.insert(values.begin(), fill);
    return values;
  };
  if (window.oneD)
    window.inputShape.insert(window.inputShape.begin() + 2, 1);
  auto kernel = getWindowAttr(node, "kernel_shape", rank, 1, 1);
  if (failed(kernel))
    return failure();
  window.kernel = as2D(*kernel, 1);
  FailureOr<int64_t> ceilMode = node.getIntAttr("ceil_mode", 0);
  if (failed(ceilMode))
    return failure();
  if (*ceilMode != 0 && *ceilMode != 1)
    return node.emitError() << "attribute 'ceil_mode' = " << *ceilMode
                            << " is not supported (0 or 1)";
  auto dilations = getWindowAttr(node, "dilations", rank, 1, 1);
  if (failed(dilations))
    return failure();
  if (!allowDilations &&
      llvm::any_of(*dilations, [](int64_t d) { return d != 1; }))
    return node.emitError()
           << "attribute 'dilations' = " << formatShape(*dilations)
           << " is not supported (only 1)";
  window.dilations = as2D(*dilations, 1);
  auto strides = getWindowAttr(node, "strides", rank, 1, 1);
  if (failed(strides))
    return failure();
  window.strides = as2D(*strides, 1);
  ArrayRef<int64_t> inputHW =
      ArrayRef<int64_t>(window.inputShape).drop_front(2);
  FailureOr<std::string> autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (failed(autoPad))
    return failure();
  if (window.oneD && *autoPad == "NOTSET") {
    auto pads = getWindowAttr(node, "pads", 2, 0, 0);
    if (failed(pads))
      return failure();
    window.pads = {0, (*pads)[0], 0, (*pads)[1]};
  } else {
    // auto_pad on a 1-D pool pads only along L (H has kernel and stride 1).
    auto pads = resolvePads(node, inputHW, window.kernel, window.strides,
                            window.dilations);
    if (failed(pads))
      return failure();
    window.pads = *pads;
  }
  if (*ceilMode == 1) {
    for (int i = 0; i < 2; ++i) {
      int64_t extent = window.dilations[i] * (window.kernel[i] - 1) + 1;
      int64_t padded = inputHW[i] + window.pads[i] + window.pads[i + 2];
      if (padded < extent)
        continue; // inferPoolShape reports it
      int64_t out =
          (padded - extent + window.strides[i] - 1) / window.strides[i] + 1;
      if ((out - 1) * window.strides[i] >= inputHW[i] + window.pads[i])
        --out;
      window.ceilExtra[i] =
          std::max<int64_t>(0, (out - 1) * window.strides[i] + extent - padded);
      window.pads[i + 2] += window.ceilExtra[i];
    }
  }
  std::string reason;
  auto shape =
      qnn::inferPoolShape(window.inputShape, window.kernel, window.strides,
                          window.pads, reason, window.dilations);
  if (failed(shape))
    return node.emitError() << reason;
  window.shape = *shape;
  return window;
}

/// A 3-D MaxPool / AveragePool on an NCDHW input as two 2-D pools: first
/// over (H, W) on the [N, C * D, H, W] view, then over D on the
/// [N, C, D, OH * OW] view of that result (kernel kd x 1). Both max and
/// average are separable over a box window: the max of maxes, and the mean
/// of means, since the window size (counting padding or not) is the
/// product of the per-axis sizes.
struct PoolWindow3D {
  PoolWindow hw, depth;
  /// The result [N, C, OD, OH, OW].
  SmallVector<int64_t> shape;
};

static FailureOr<PoolWindow3D> importPoolWindow3D(NodeImporter &node,
                                                  RankedTensorType inType,
                                                  bool allowDilations) {
  ArrayRef<int64_t> in = inType.getShape();
  auto kernelAttr = node.getIntsAttr("kernel_shape");
  if (failed(kernelAttr))
    return failure();
  if (!*kernelAttr)
    return node.emitError() << "attribute 'kernel_shape' is required";
  auto kernel = getWindowAttr(node, "kernel_shape", 3, 1, 1);
  auto strides = getWindowAttr(node, "strides", 3, 1, 1);
  auto dilations = getWindowAttr(node, "dilations", 3, 1, 1);
  FailureOr<int64_t> ceilMode = node.getIntAttr("ceil_mode", 0);
  if (failed(kernel) || failed(strides) || failed(dilations) ||
      failed(ceilMode))
    return failure();
  if (*ceilMode != 0 && *ceilMode != 1)
    return node.emitError() << "attribute 'ceil_mode' = " << *ceilMode
                            << " is not supported (0 or 1)";
  if (!allowDilations &&
      llvm::any_of(*dilations, [](int64_t d) { return d != 1; }))
    return node.emitError()
           << "attribute 'dilations' = " << formatShape(*dilations)
           << " is not supported (only 1)";
  ArrayRef<int64_t> spatial = in.drop_front(2);
  auto pads = resolvePads(node, spatial, *kernel, *strides, *dilations);
  if (failed(pads))
    return failure();
  // ceil_mode: extra end padding per axis, as for 1-D and 2-D.
  SmallVector<int64_t> ceilExtra(3, 0);
  if (*ceilMode == 1)
    for (int i = 0; i < 3; ++i) {
      int64_t extent = (*dilations)[i] * ((*kernel)[i] - 1) + 1;
      int64_t padded = spatial[i] + (*pads)[i] + (*pads)[i + 3];
      if (padded < extent)
        continue;
      int64_t out =
          (padded - extent + (*strides)[i] - 1) / (*strides)[i] + 1;
      if ((out - 1) * (*strides)[i] >= spatial[i] + (*pads)[i])
        --out;
      ceilExtra[i] = std::max<int64_t>(
          0, (out - 1) * (*strides)[i] + extent - padded);
      (*pads)[i + 3] += ceilExtra[i];
    }
  PoolWindow3D window;
  PoolWindow &hw = window.hw, &depth = window.depth;
  hw.kernel = {(*kernel)[1], (*kernel)[2]};
  hw.strides = {(*strides)[1], (*strides)[2]};
  hw.dilations = {(*dilations)[1], (*dilations)[2]};
  hw.pads = {(*pads)[1], (*pads)[2], (*pads)[4], (*pads)[5]};
  hw.ceilExtra = {ceilExtra[1], ceilExtra[2]};
  hw.inputShape = {in[0], in[1] * in[2], in[3], in[4]};
  std::string reason;
  auto hwShape = qnn::inferPoolShape(hw.inputShape, hw.kernel, hw.strides,
                                     hw.pads, reason, hw.dilations);
  if (failed(hwShape))
    return node.emitError() << reason;
  hw.shape = *hwShape;
  int64_t oh = hw.shape[2], ow = hw.shape[3];
  depth.kernel = {(*kernel)[0], 1};
  depth.strides = {(*strides)[0], 1};
  depth.dilations = {(*dilations)[0], 1};
  depth.pads = {(*pads)[0], 0, (*pads)[3], 0};
  depth.ceilExtra = {ceilExtra[0], 0};
  depth.inputShape = {in[0], in[1], in[2], oh * ow};
  auto dShape = qnn::inferPoolShape(depth.inputShape, depth.kernel,
                                    depth.strides, depth.pads, reason,
                                    depth.dilations);
  if (failed(dShape))
    return node.emitError() << reason;
  depth.shape = *dShape;
  window.shape = {in[0], in[1], depth.shape[2], oh, ow};
  return window;
}

/// Builds a 3-D pool as its two 2-D pools; `makePool` creates one 2-D pool
/// of `window` on the NCHW value `input`.
static Value build3DPool(
    NodeImporter &node, Value input, const PoolWindow3D &window,
    function_ref<Value(Value, const PoolWindow &)> makePool) {
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  Type element = cast<RankedTensorType>(input.getType()).getElementType();
  auto reshape = [&](Value v, ArrayRef<int64_t> shape) {
    return qnn::ReshapeOp::create(b, loc, RankedTensorType::get(shape, element),
                                  v)
        .getResult();
  };
  Value hw = makePool(reshape(input, window.hw.inputShape), window.hw);
  // In a QDQ model the input's quantization also holds the intermediate
  // (a max or a mean of input values stays within its range), so both
  // pools fold into integer pools.
  if (auto dcast = input.getDefiningOp<quant::DequantizeCastOp>();
      dcast && isa<FloatType>(element)) {
    auto quantType = dyn_cast<quant::UniformQuantizedType>(
        cast<RankedTensorType>(dcast.getInput().getType()).getElementType());
    if (quantType) {
      auto hwType = cast<RankedTensorType>(hw.getType());
      Value q = quant::QuantizeCastOp::create(b, loc, hwType.clone(quantType),
                                              hw);
      hw = quant::DequantizeCastOp::create(b, loc, hwType, q);
    }
  }
  Value depth =
      makePool(reshape(hw, window.depth.inputShape), window.depth);
  return reshape(depth, window.shape);
}

/// A 3-D AveragePool whose (H, W) windows all have kh * kw cells, as one
/// grouped convolution on the [N, C * D, H, W] view: group c reads the D
/// slices of channel c, and output channel c * OD + od weights slice d by
/// 1 / (n_d(od) * kh * kw) when d is in the depth window of od (n_d the
/// window's depth count: kd, or its cells inside the input without
/// count_include_pad), 0 otherwise. The result [N, C * OD, OH, OW] is the
/// average itself, quantized once like a 2-D average pool's. In a QDQ model
/// the weights are int8 127 with per-channel scales 1 / (127 * count), so
/// the integer product is 127 * sum and the requantize divides once.
static Value build3DAverageConv(NodeImporter &node, Value input,
                                const PoolWindow3D &window,
                                bool countIncludePad) {
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  auto inType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> in = inType.getShape();
  int64_t n = in[0], c = in[1], d = in[2];
  const PoolWindow &hw = window.hw, &depth = window.depth;
  int64_t od = depth.shape[2], oh = hw.shape[2], ow = hw.shape[3];
  int64_t kd = depth.kernel[0], sd = depth.strides[0], pd = depth.pads[0];
  int64_t kh = hw.kernel[0], kw = hw.kernel[1];
  // counts[o]: the divisor of output depth o.
  SmallVector<int64_t> counts(od);
  for (int64_t o = 0; o < od; ++o) {
    int64_t first = o * sd - pd, inside = 0;
    for (int64_t i = 0; i < kd; ++i)
      inside += first + i >= 0 && first + i < d;
    counts[o] = (countIncludePad ? kd : inside) * kh * kw;
  }
  auto inWindow = [&](int64_t o, int64_t slice) {
    int64_t first = o * sd - pd;
    return slice >= first && slice < first + kd;
  };
  Value x = qnn::ReshapeOp::create(
      b, loc, RankedTensorType::get({n, c * d, in[3], in[4]},
                                    inType.getElementType()),
      input);
  SmallVector<int64_t> wShape = {c * od, d, kh, kw};
  auto f32 = b.getF32Type();
  Value filter;
  auto dcast = input.getDefiningOp<quant::DequantizeCastOp>();
  if (dcast && isa<quant::UniformQuantizedType>(
                   getElementTypeOrSelf(dcast.getInput().getType()))) {
    SmallVector<int8_t> values;
    SmallVector<double> scales;
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t o = 0; o < od; ++o) {
        scales.push_back(1.0 / (127.0 * counts[o]));
        for (int64_t slice = 0; slice < d; ++slice)
          values.append(kh * kw, inWindow(o, slice) ? 127 : 0);
      }
    auto quantType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, b.getI8Type(), f32, scales,
        SmallVector<int64_t>(scales.size(), 0), /*quantizedDimension=*/0,
        -127, 127);
    Value stored = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(wShape, b.getI8Type()),
                               ArrayRef(values)));
    Value quantized = quant::StorageCastOp::create(
        b, loc, RankedTensorType::get(wShape, quantType), stored);
    filter = quant::DequantizeCastOp::create(
        b, loc, RankedTensorType::get(wShape, f32), quantized);
  } else {
    SmallVector<float> values;
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t o = 0; o < od; ++o)
        for (int64_t slice = 0; slice < d; ++slice)
          values.append(kh * kw, inWindow(o, slice)
                                     ? 1.0f / static_cast<float>(counts[o])
                                     : 0.0f);
    filter = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get(wShape, f32),
                               ArrayRef(values)));
  }
  Value conv = qnn::ConvOp::create(
      b, loc, RankedTensorType::get({n, c * od, oh, ow}, f32), x, filter,
      /*bias=*/Value(), b.getDenseI64ArrayAttr(hw.strides),
      b.getDenseI64ArrayAttr(hw.pads), b.getDenseI64ArrayAttr({1, 1}),
      b.getI64IntegerAttr(c));
  return qnn::ReshapeOp::create(
      b, loc, RankedTensorType::get(window.shape, f32), conv);
}

/// The input of a pool as its NCHW view: a 3-D NCL input is reshaped to
/// [N, C, 1, L].
static Value getPoolInput(NodeImporter &node, Value input,
                          const PoolWindow &window) {
  if (!window.oneD)
    return input;
  OpBuilder &b = node.getBuilder();
  return qnn::ReshapeOp::create(
      b, node.getLoc(),
      RankedTensorType::get(window.inputShape, getType(input).getElementType()),
      input);
}

/// The result of a pool in the input's layout: [N, C, 1, L'] back to
/// [N, C, L'] for a 1-D pool.
static Value getPoolResult(NodeImporter &node, Value result,
                           const PoolWindow &window) {
  if (!window.oneD)
    return result;
  OpBuilder &b = node.getBuilder();
  ArrayRef<int64_t> s = window.shape;
  return qnn::ReshapeOp::create(
      b, node.getLoc(),
      RankedTensorType::get({s[0], s[1], s[3]},
                            getType(result).getElementType()),
      result);
}

static LogicalResult importMaxPool(NodeImporter &node) {
  if (failed(node.checkArity(1, 1, 1, 2)) ||
      failed(node.checkAttributes({"auto_pad", "ceil_mode", "dilations",
                                   "kernel_shape", "pads", "storage_order",
                                   "strides"})))
    return failure();
  bool indices =
      node.hasOutput(1) && node.getGraph().isUsed(node.getOutputName(1));
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  FailureOr<int64_t> storageOrder = node.getIntAttr("storage_order", 0);
  if (failed(storageOrder))
    return failure();
  if (*storageOrder != 0 && *storageOrder != 1)
    return node.emitError() << "attribute 'storage_order' = " << *storageOrder
                            << " is not supported (0 or 1)";
  OpBuilder &b = node.getBuilder();
  auto makeMaxPool = [&](Value x, const PoolWindow &w) -> Value {
    bool dilated = llvm::any_of(w.dilations, [](int64_t d) { return d != 1; });
    return qnn::MaxPoolOp::create(
        b, node.getLoc(),
        RankedTensorType::get(w.shape, getType(x).getElementType()), x,
        b.getDenseI64ArrayAttr(w.kernel), b.getDenseI64ArrayAttr(w.strides),
        b.getDenseI64ArrayAttr(w.pads),
        dilated ? b.getDenseI64ArrayAttr(w.dilations) : nullptr);
  };
  if (inType.getRank() == 5) {
    if (indices)
      return node.emitError()
             << "the Indices output is supported for 1-D and 2-D pooling "
                "only";
    FailureOr<PoolWindow3D> window3D =
        importPoolWindow3D(node, inType, /*allowDilations=*/true);
    if (failed(window3D))
      return failure();
    return node.setResult(0, build3DPool(node, *input, *window3D, makeMaxPool),
                          node.getInput(0).onnxType);
  }
  FailureOr<PoolWindow> window =
      importPoolWindow(node, inType, "max", /*allowDilations=*/true);
  if (failed(window))
    return failure();
  Value poolInput = getPoolInput(node, *input, *window);
  Value pool = makeMaxPool(poolInput, *window);
  if (indices) {
    // The flat index of each maximum (an index into [N, C, 1, L] is one
    // into [N, C, L]), as the exact int32 of scale 1, returned as float.
    if (getType(poolInput).getNumElements() > (int64_t(1) << 24))
      return node.emitError()
             << "the Indices output needs an input of at most 2^24 elements "
                "(its indices are returned as exact floats)";
    auto indexType = quant::UniformQuantizedType::get(
        quant::QuantizationFlags::Signed, b.getI32Type(), b.getF32Type(), 1.0,
        0, std::numeric_limits<int32_t>::min(),
        std::numeric_limits<int32_t>::max());
    bool dilated =
        llvm::any_of(window->dilations, [](int64_t d) { return d != 1; });
    Value index = qnn::MaxPoolIndicesOp::create(
        b, node.getLoc(), RankedTensorType::get(window->shape, indexType),
        poolInput, b.getDenseI64ArrayAttr(window->kernel),
        b.getDenseI64ArrayAttr(window->strides),
        b.getDenseI64ArrayAttr(window->pads),
        dilated ? b.getDenseI64ArrayAttr(window->dilations) : nullptr,
        b.getBoolAttr(*storageOrder == 1));
    Value asFloat = quant::DequantizeCastOp::create(
        b, node.getLoc(), RankedTensorType::get(window->shape, b.getF32Type()),
        index);
    if (failed(node.setResult(1, getPoolResult(node, asFloat, *window),
                              onnx::TensorProto::INT64)))
      return failure();
  }
  return node.setResult(0, getPoolResult(node, pool, *window),
                        node.getInput(0).onnxType);
}

/// AveragePool: 1-D or 2-D windows, either count_include_pad, ceil_mode 0 or
/// 1 (with count_include_pad only where ceil_mode adds no window cells).
static LogicalResult importAveragePool(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) ||
      failed(node.checkAttributes({"auto_pad", "ceil_mode", "count_include_pad",
                                   "dilations", "kernel_shape", "pads",
                                   "strides"})))
    return failure();
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  FailureOr<bool> countIncludePad = getFlagAttr(node, "count_include_pad");
  if (failed(countIncludePad))
    return failure();
  OpBuilder &b = node.getBuilder();
  auto makeAvgPool = [&](Value x, const PoolWindow &w) -> Value {
    return qnn::AvgPoolOp::create(
        b, node.getLoc(), RankedTensorType::get(w.shape, b.getF32Type()), x,
        b.getDenseI64ArrayAttr(w.kernel), b.getDenseI64ArrayAttr(w.strides),
        b.getDenseI64ArrayAttr(w.pads), b.getBoolAttr(*countIncludePad),
        qnn::RoundingModeAttr::get(b.getContext(), qnn::RoundingMode::Single),
        /*multiplier=*/nullptr, /*shift=*/nullptr);
  };
  if (inType.getRank() == 5) {
    FailureOr<PoolWindow3D> window3D =
        importPoolWindow3D(node, inType, /*allowDilations=*/false);
    if (failed(window3D))
      return failure();
    for (const PoolWindow *w : {&window3D->hw, &window3D->depth})
      if (*countIncludePad &&
          llvm::any_of(w->ceilExtra, [](int64_t e) { return e != 0; }))
        return node.emitError()
               << "ceil_mode = 1 with count_include_pad = 1 is not supported "
                  "when the last window extends past the padding";
    // Every (H, W) window of one size: one convolution, exact; else two
    // pools, rounded in between.
    const PoolWindow &hw = window3D->hw;
    if (*countIncludePad || llvm::all_of(hw.pads, [](int64_t p) {
          return p == 0;
        }))
      return node.setResult(
          0, build3DAverageConv(node, *input, *window3D, *countIncludePad),
          onnx::TensorProto::FLOAT);
    return node.setResult(0, build3DPool(node, *input, *window3D, makeAvgPool),
                          onnx::TensorProto::FLOAT);
  }
  FailureOr<PoolWindow> window =
      importPoolWindow(node, inType, "average", /*allowDilations=*/false);
  if (failed(window))
    return failure();
  // ONNX Runtime counts the explicit padding but not the cells ceil_mode
  // adds past it; qnn.avg_pool counts the whole window or only the input.
  if (*countIncludePad &&
      llvm::any_of(window->ceilExtra, [](int64_t e) { return e != 0; }))
    return node.emitError()
           << "ceil_mode = 1 with count_include_pad = 1 is not supported "
              "when the last window extends past the padding (by "
           << formatShape(window->oneD
                              ? ArrayRef(window->ceilExtra).drop_front()
                              : ArrayRef(window->ceilExtra))
           << ")";
  Value pool = makeAvgPool(getPoolInput(node, *input, *window), *window);
  return node.setResult(0, getPoolResult(node, pool, *window),
                        onnx::TensorProto::FLOAT);
}

/// GlobalAveragePool: an average pool whose window is the whole image.
static LogicalResult importGlobalAveragePool(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({})))
    return failure();
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  if (inType.getRank() != 4)
    return node.emitError() << "only 2-D global average pooling is supported "
                               "(a 4-D NCHW input), got "
                            << inType;
  ArrayRef<int64_t> shape = inType.getShape();
  OpBuilder &b = node.getBuilder();
  auto pool = qnn::AvgPoolOp::create(
      b, node.getLoc(),
      RankedTensorType::get({shape[0], shape[1], 1, 1}, b.getF32Type()), *input,
      b.getDenseI64ArrayAttr({shape[2], shape[3]}),
      b.getDenseI64ArrayAttr({1, 1}), b.getDenseI64ArrayAttr({0, 0, 0, 0}),
      b.getBoolAttr(false),
      qnn::RoundingModeAttr::get(b.getContext(), qnn::RoundingMode::Single),
      /*multiplier=*/nullptr, /*shift=*/nullptr);
  return node.setResult(0, pool, onnx::TensorProto::FLOAT);
}

//===----------------------------------------------------------------------===//
// BatchNormalization, Concat
//===----------------------------------------------------------------------===//

/// BatchNormalization in inference mode (running statistics); momentum is
/// ignored, training mode and the running-statistics outputs are errors.
static LogicalResult importBatchNormalization(NodeImporter &node) {
  if (failed(node.checkArity(5, 5, 1, 3)) ||
      failed(node.checkAttributes({"epsilon", "momentum", "training_mode"})))
    return failure();
  FailureOr<float> epsilon = node.getFloatAttr("epsilon", 1e-5f);
  if (failed(epsilon) || failed(node.getFloatAttr("momentum", 0.9f)))
    return failure();
  if (!(*epsilon >= 0.0f) || std::isinf(*epsilon))
    return node.emitError() << "attribute 'epsilon' = " << *epsilon
                            << " is not supported (finite, >= 0)";
  FailureOr<int64_t> training = node.getIntAttr("training_mode", 0);
  if (failed(training))
    return failure();
  if (*training != 0)
    return node.emitError() << "attribute 'training_mode' = " << *training
                            << " is not supported (inference only)";
  for (unsigned i = 1; i < 3; ++i)
    if (node.hasOutput(i) && node.getGraph().isUsed(node.getOutputName(i)))
      return node.emitError() << "output '" << node.getOutputName(i)
                              << "' (running statistics) is not supported";
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  if (inType.getRank() < 2)
    return node.emitError()
           << "expects an input of rank >= 2 (N, C, ...), got " << inType;
  int64_t channels = inType.getDimSize(1);
  SmallVector<Value> params;
  for (unsigned i = 1; i < 5; ++i) {
    FailureOr<Value> param = node.getFloatValue(i);
    if (failed(param))
      return failure();
    RankedTensorType type = getType(*param);
    if (type.getRank() != 1 || type.getDimSize(0) != channels)
      return node.emitError()
             << "input '" << node.getInputName(i) << "' must be 1-D with "
             << channels << " values, got " << type;
    params.push_back(*param);
  }
  OpBuilder &b = node.getBuilder();
  auto bn = qnn::BatchNormOp::create(b, node.getLoc(), inType, *input,
                                     params[0], params[1], params[2], params[3],
                                     b.getF32FloatAttr(*epsilon));
  return node.setResult(0, bn, onnx::TensorProto::FLOAT);
}

static LogicalResult importConcat(NodeImporter &node) {
  if (failed(node.checkArity(1, std::numeric_limits<unsigned>::max())) ||
      failed(node.checkAttributes({"axis"})))
    return failure();
  if (!node.getAttribute("axis"))
    return node.emitError() << "attribute 'axis' is required";
  SmallVector<Value> inputs;
  SmallVector<SmallVector<int64_t>> shapes;
  for (unsigned i = 0, e = node.getNumInputs(); i < e; ++i) {
    if (!node.hasInput(i))
      return node.emitError() << "input " << i << " has no name";
    FailureOr<Value> input = node.getFloatValue(i);
    if (failed(input))
      return failure();
    inputs.push_back(*input);
    shapes.emplace_back(getType(*input).getShape());
  }
  int64_t rank = shapes.front().size();
  FailureOr<int64_t> axis = node.getIntAttr("axis", 0);
  if (failed(axis))
    return failure();
  if (*axis < -rank || *axis >= rank)
    return node.emitError() << "attribute 'axis' = " << *axis
                            << " is out of range for rank " << rank;
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  std::string reason;
  auto shape = qnn::inferConcatShape(shapes, normalized, reason);
  if (failed(shape))
    return node.emitError() << reason;
  OpBuilder &b = node.getBuilder();
  auto concat = qnn::ConcatOp::create(
      b, node.getLoc(), RankedTensorType::get(*shape, b.getF32Type()), inputs,
      b.getI64IntegerAttr(normalized));
  return node.setResult(0, concat, onnx::TensorProto::FLOAT);
}

//===----------------------------------------------------------------------===//
// Gemm, MatMul, Add
//===----------------------------------------------------------------------===//

/// `attr` (f32) times `factor` in float32, reshaped to `shape` (`attr` has
/// one element, splat, or as many as `shape`).
static DenseElementsAttr scaleConstant(DenseElementsAttr attr, float factor,
                                       ArrayRef<int64_t> shape) {
  SmallVector<float> values;
  for (float v : attr.getValues<float>())
    values.push_back(v * factor);
  auto type = RankedTensorType::get(shape, Float32Type::get(attr.getContext()));
  if (values.size() == 1)
    return DenseElementsAttr::get(type, values.front());
  return DenseElementsAttr::get(type, ArrayRef<float>(values));
}

/// `beta * C` broadcast to the 2-D `shape` (C has rank <= 2).
static DenseElementsAttr broadcastScaledConstant(DenseElementsAttr attr,
                                                 float factor,
                                                 ArrayRef<int64_t> shape) {
  SmallVector<float> c(attr.getValues<float>());
  ArrayRef<int64_t> cShape = attr.getType().getShape();
  // The stride of C along each result dimension (0 where it broadcasts).
  int64_t rowStride = 0, colStride = 0;
  if (cShape.size() == 2) {
    colStride = cShape[1] == 1 ? 0 : 1;
    rowStride = cShape[0] == 1 ? 0 : cShape[1];
  } else if (cShape.size() == 1) {
    colStride = cShape[0] == 1 ? 0 : 1;
  }
  SmallVector<float> values;
  for (int64_t m = 0; m < shape[0]; ++m)
    for (int64_t n = 0; n < shape[1]; ++n)
      values.push_back(c[m * rowStride + n * colStride] * factor);
  auto type = RankedTensorType::get(shape, Float32Type::get(attr.getContext()));
  return DenseElementsAttr::get(type, ArrayRef<float>(values));
}

/// Gemm. The integer gemm computes `A * B + bias` (alpha = beta = 1) with
/// one bias value per output column or per output element, so the importer
/// folds `alpha` into a constant B and `beta` into a constant C: a C that
/// is the same for every row (shape [], [1], [N] or [1, N]) becomes a [N]
/// constant, any other constant C the [M, N] matrix. Both
/// products are the float32 products ONNX computes, up to the order of the
/// alpha multiplication (alpha * (A B) versus A (alpha B)).
static LogicalResult importGemm(NodeImporter &node) {
  if (failed(node.checkArity(2, 3)) ||
      failed(node.checkAttributes({"alpha", "beta", "transA", "transB"})))
    return failure();
  FailureOr<float> alpha = node.getFloatAttr("alpha", 1.0f);
  FailureOr<float> beta = node.getFloatAttr("beta", 1.0f);
  if (failed(alpha) || failed(beta))
    return failure();
  FailureOr<bool> transA = getFlagAttr(node, "transA");
  FailureOr<bool> transB = getFlagAttr(node, "transB");
  if (failed(transA) || failed(transB))
    return failure();
  FailureOr<Value> a = node.getFloatValue(0);
  if (failed(a))
    return failure();
  OpBuilder &b = node.getBuilder();
  // transA: an explicit Transpose of A, which the int8 path moves as data
  // (it keeps A's quantization), so the product itself is never transposed
  // on its left side.
  if (*transA) {
    RankedTensorType aType = getType(*a);
    if (aType.getRank() != 2)
      return node.emitError() << "input '" << node.getInputName(0)
                              << "' must be 2-D, got " << aType;
    a = qnn::TransposeOp::create(
            b, node.getLoc(),
            aType.clone(SmallVector<int64_t>{aType.getDimSize(1),
                                             aType.getDimSize(0)}),
            *a, b.getDenseI64ArrayAttr({1, 0}))
            .getResult();
    transA = false;
  }
  auto isF32Constant = [&](unsigned i) {
    DenseElementsAttr attr = node.getInput(i).constant;
    return attr && attr.getElementType().isF32();
  };
  FailureOr<Value> bValue;
  if (*alpha != 1.0f && isF32Constant(1)) {
    DenseElementsAttr attr = node.getInput(1).constant;
    bValue = arith::ConstantOp::create(
                 b, node.getLoc(),
                 scaleConstant(attr, *alpha, attr.getType().getShape()))
                 .getResult();
    alpha = 1.0f;
  } else {
    bValue = node.getFloatValue(1);
  }
  if (failed(bValue))
    return failure();
  std::string reason;
  auto shape =
      qnn::inferGemmShape(getType(*a).getShape(), getType(*bValue).getShape(),
                          *transA, *transB, reason);
  if (failed(shape))
    return node.emitError() << reason;
  Value c;
  if (node.hasInput(2)) {
    ArrayRef<int64_t> cShape = node.getInput(2).getShape();
    auto bcast = qnn::inferBroadcastShape(*shape, cShape, reason);
    if (failed(bcast) || *bcast != *shape)
      return node.emitError() << "input '" << node.getInputName(2)
                              << "' of shape " << formatShape(cShape)
                              << " does not broadcast to the result shape "
                              << formatShape(*shape);
    int64_t n = shape->back();
    bool rowInvariant =
        cShape.empty() ||
        (llvm::all_of(cShape.drop_back(), [](int64_t d) { return d == 1; }) &&
         (cShape.back() == 1 || cShape.back() == n));
    if (rowInvariant && isF32Constant(2) &&
        (*beta != 1.0f || cShape != ArrayRef<int64_t>(n))) {
      c = arith::ConstantOp::create(
          b, node.getLoc(),
          scaleConstant(node.getInput(2).constant, *beta, {n}));
      beta = 1.0f;
    } else if (!rowInvariant && isF32Constant(2) &&
               (*beta != 1.0f || cShape != ArrayRef<int64_t>(*shape))) {
      c = arith::ConstantOp::create(
          b, node.getLoc(),
          broadcastScaledConstant(node.getInput(2).constant, *beta, *shape));
      beta = 1.0f;
    } else {
      FailureOr<Value> cValue = node.getFloatValue(2);
      if (failed(cValue))
        return failure();
      c = *cValue;
    }
  }
  auto gemm = qnn::GemmOp::create(
      b, node.getLoc(), RankedTensorType::get(*shape, b.getF32Type()), *a,
      *bValue, c, b.getF32FloatAttr(*alpha), b.getF32FloatAttr(*beta),
      b.getBoolAttr(*transA), b.getBoolAttr(*transB));
  return node.setResult(0, gemm, onnx::TensorProto::FLOAT);
}

FailureOr<Value> onnx_import::createMatMul(NodeImporter &node, Value lhs,
                                           Value rhs) {
  RankedTensorType lhsType = getType(lhs), rhsType = getType(rhs);
  // numpy matmul promotes a 1-D operand to a matrix and drops that
  // dimension from the result; only operands of rank >= 2 are supported.
  if (lhsType.getRank() < 2 || rhsType.getRank() < 2)
    return node.emitError() << "1-D MatMul operands are not supported (rank "
                               ">= 2), got "
                            << lhsType << " and " << rhsType;
  std::string reason;
  auto shape =
      qnn::inferMatMulShape(lhsType.getShape(), rhsType.getShape(), reason);
  if (failed(shape))
    return node.emitError() << reason;
  OpBuilder &b = node.getBuilder();
  auto matmul = qnn::MatMulOp::create(
      b, node.getLoc(), RankedTensorType::get(*shape, b.getF32Type()), lhs,
      rhs);
  return matmul.getResult();
}

static LogicalResult importMatMul(NodeImporter &node) {
  if (failed(node.checkArity(2, 2)) || failed(node.checkAttributes({})))
    return failure();
  FailureOr<Value> lhs = node.getFloatValue(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = node.getFloatValue(1);
  if (failed(rhs))
    return failure();
  FailureOr<Value> matmul = createMatMul(node, *lhs, *rhs);
  if (failed(matmul))
    return failure();
  return node.setResult(0, *matmul, onnx::TensorProto::FLOAT);
}

/// Whether input `i` of `node` is a computed tensor of raw 8-bit integers
/// (scale 1, the ONNX type's zero point: a UINT8 or INT8 graph input fed
/// through QuantizeLinear with scale 1 and zero point 0).
static bool isRawInteger(NodeImporter &node, unsigned i) {
  ImportedValue &v = node.getInput(i);
  if (v.constant || !v.value || v.dynamic)
    return false;
  auto type = dyn_cast<quant::UniformQuantizedType>(
      getElementTypeOrSelf(v.value.getType()));
  int64_t zp = v.onnxType == onnx::TensorProto::UINT8 ? -128 : 0;
  return type && type.getStorageTypeIntegralWidth() == 8 &&
         type.getScale() == 1.0 && type.getZeroPoint() == zp &&
         (v.onnxType == onnx::TensorProto::UINT8 ||
          v.onnxType == onnx::TensorProto::INT8);
}

/// Add and Mul: two float operands with numpy broadcasting, or two raw
/// integer tensors of one ONNX type (`kind`: ONNX's wrapping integer
/// arithmetic).
template <typename OpTy>
static LogicalResult importBroadcastBinary(NodeImporter &node,
                                           StringRef kind) {
  if (failed(node.checkArity(2, 2)) || failed(node.checkAttributes({})))
    return failure();
  if (isRawInteger(node, 0) && isRawInteger(node, 1) &&
      node.getInput(0).onnxType == node.getInput(1).onnxType) {
    Value a = node.getInput(0).value, c = node.getInput(1).value;
    std::string reason;
    auto shape = qnn::inferBroadcastShape(getType(a).getShape(),
                                          getType(c).getShape(), reason);
    if (failed(shape))
      return node.emitError() << reason;
    OpBuilder &b = node.getBuilder();
    auto op = qnn::IntegerBinaryOp::create(
        b, node.getLoc(),
        RankedTensorType::get(*shape, getType(a).getElementType()), a, c,
        b.getStringAttr(kind));
    return node.setResult(0, op, node.getInput(0).onnxType);
  }
  FailureOr<Value> lhs = node.getFloatValue(0);
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs = node.getFloatValue(1);
  if (failed(rhs))
    return failure();
  std::string reason;
  auto shape = qnn::inferBroadcastShape(getType(*lhs).getShape(),
                                        getType(*rhs).getShape(), reason);
  if (failed(shape))
    return node.emitError() << reason;
  OpBuilder &b = node.getBuilder();
  auto op = OpTy::create(b, node.getLoc(),
                         RankedTensorType::get(*shape, b.getF32Type()), *lhs,
                         *rhs);
  return node.setResult(0, op, onnx::TensorProto::FLOAT);
}

static LogicalResult importAdd(NodeImporter &node) {
  return importBroadcastBinary<qnn::AddOp>(node, "add");
}

//===----------------------------------------------------------------------===//
// Relu, Clip
//===----------------------------------------------------------------------===//

static LogicalResult importRelu(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  auto relu = qnn::ReluOp::create(node.getBuilder(), node.getLoc(),
                                  input->getType(), *input);
  return node.setResult(0, relu, node.getInput(0).onnxType);
}

/// Clip-6 (opsets 6 to 10): the bounds are the float attributes `min` and
/// `max`, defaulting to the float32 range (no bound).
static LogicalResult importClipAttributes(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) ||
      failed(node.checkAttributes({"max", "min"})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  FloatAttr bounds[2];
  StringRef names[2] = {"min", "max"};
  for (unsigned i = 0; i < 2; ++i) {
    if (!node.getAttribute(names[i]))
      continue;
    FailureOr<float> bound = node.getFloatAttr(names[i], 0.0f);
    if (failed(bound))
      return failure();
    if (std::isnan(*bound))
      return node.emitError() << "attribute '" << names[i] << "' is NaN";
    bounds[i] = node.getBuilder().getF32FloatAttr(*bound);
  }
  auto clip =
      qnn::ClipOp::create(node.getBuilder(), node.getLoc(), input->getType(),
                          *input, bounds[0], bounds[1]);
  return node.setResult(0, clip, node.getInput(0).onnxType);
}

static LogicalResult importClip(NodeImporter &node) {
  if (node.getGraph().getOpsetVersion() < 11)
    return importClipAttributes(node);
  if (failed(node.checkArity(1, 3)) || failed(node.checkAttributes({})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  FloatAttr bounds[2];
  int32_t inputType = node.getInput(0).onnxType;
  auto quantType =
      dyn_cast<quant::UniformQuantizedType>(getType(*input).getElementType());
  for (unsigned i = 1; i < 3; ++i) {
    if (!node.hasInput(i))
      continue;
    // Clip of a UINT8/INT8 tensor has bounds of its type, which clamp the
    // stored integers: the real bound is scale * (bound - zero_point).
    ImportedValue &boundValue = node.getInput(i);
    if (quantType && boundValue.constant && boundValue.onnxType == inputType &&
        boundValue.constant.getNumElements() == 1 &&
        boundValue.constant.getType().getRank() <= 1) {
      APInt raw = *boundValue.constant.getValues<APInt>().begin();
      int64_t stored = inputType == onnx::TensorProto::UINT8
                           ? int64_t(raw.getZExtValue()) - 128
                           : raw.getSExtValue();
      double real =
          quantType.getScale() * double(stored - quantType.getZeroPoint());
      bounds[i - 1] = node.getBuilder().getF32FloatAttr(real);
      continue;
    }
    FailureOr<FloatAttr> bound = getScalarFloat(node, i);
    if (failed(bound))
      return failure();
    bounds[i - 1] = *bound;
  }
  auto clip =
      qnn::ClipOp::create(node.getBuilder(), node.getLoc(), input->getType(),
                          *input, bounds[0], bounds[1]);
  return node.setResult(0, clip, inputType);
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

static LogicalResult importFlatten(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({"axis"})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  int64_t rank = inType.getRank();
  FailureOr<int64_t> axis = node.getIntAttr("axis", 1);
  if (failed(axis))
    return failure();
  if (*axis < -rank || *axis > rank)
    return node.emitError() << "attribute 'axis' = " << *axis
                            << " is out of range for rank " << rank;
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  std::string reason;
  auto shape = qnn::inferFlattenShape(inType.getShape(), normalized, reason);
  if (failed(shape))
    return node.emitError() << reason;
  OpBuilder &b = node.getBuilder();
  auto flatten = qnn::FlattenOp::create(
      b, node.getLoc(), RankedTensorType::get(*shape, inType.getElementType()),
      *input, b.getI64IntegerAttr(normalized));
  return node.setResult(0, flatten, node.getInput(0).onnxType);
}

static LogicalResult importReshape(NodeImporter &node) {
  if (failed(node.checkArity(2, 2)) ||
      failed(node.checkAttributes({"allowzero"})))
    return failure();
  FailureOr<int64_t> allowZero = node.getIntAttr("allowzero", 0);
  if (failed(allowZero))
    return failure();
  if (*allowZero != 0)
    return node.emitError() << "attribute 'allowzero' = " << *allowZero
                            << " is not supported (only 0)";
  FailureOr<DenseElementsAttr> shapeAttr = node.getConstant(1);
  if (failed(shapeAttr))
    return failure();
  if (!shapeAttr->getElementType().isInteger(64) ||
      shapeAttr->getType().getRank() != 1)
    return node.emitError()
           << "input '" << node.getInputName(1)
           << "' must be a 1-D int64 tensor, got " << shapeAttr->getType();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  ArrayRef<int64_t> inShape = inType.getShape();

  SmallVector<int64_t> requested(shapeAttr->getValues<int64_t>());
  SmallVector<int64_t> shape;
  int64_t inferredAxis = -1;
  for (auto [i, value] : llvm::enumerate(requested)) {
    int64_t dim = value;
    if (dim == 0) {
      if (i >= inShape.size())
        return node.emitError()
               << "shape " << formatShape(requested) << " copies dimension "
               << i << " (0), which the input " << inType << " does not have";
      dim = inShape[i];
    } else if (dim == -1) {
      if (inferredAxis >= 0)
        return node.emitError()
               << "shape " << formatShape(requested) << " has more than one -1";
      inferredAxis = i;
      dim = 1;
    } else if (dim < -1 || dim > kMaxDimSize) {
      return node.emitError() << "shape " << formatShape(requested)
                              << " has the invalid value " << dim;
    }
    shape.push_back(dim);
  }
  int64_t inCount = inType.getNumElements();
  FailureOr<int64_t> known = getNumElements(shape);
  if (failed(known))
    return node.emitError()
           << "shape " << formatShape(requested) << " is too large";
  if (inferredAxis >= 0) {
    if (*known == 0 || inCount % *known != 0)
      return node.emitError()
             << "cannot reshape " << inType << " to " << formatShape(requested)
             << ": the -1 dimension cannot be inferred";
    shape[inferredAxis] = inCount / *known;
  } else if (*known != inCount) {
    return node.emitError()
           << "cannot reshape " << inType << " (" << inCount << " elements) to "
           << formatShape(requested) << " (" << *known << " elements)";
  }
  auto reshape = qnn::ReshapeOp::create(
      node.getBuilder(), node.getLoc(),
      RankedTensorType::get(shape, inType.getElementType()), *input);
  return node.setResult(0, reshape, node.getInput(0).onnxType);
}

//===----------------------------------------------------------------------===//
// Pointwise functions, Mul, Softmax
//===----------------------------------------------------------------------===//

/// LeakyRelu, Sigmoid, HardSigmoid, HardSwish, Tanh: one qnn.unary named
/// `function`, with the node's float attributes `attrs` (name, default)
/// stored as alpha and beta.
static LogicalResult
importUnary(NodeImporter &node, StringRef function,
            ArrayRef<std::pair<StringRef, float>> attrs = {}) {
  SmallVector<StringRef> known;
  for (auto &[name, value] : attrs)
    known.push_back(name);
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes(known)))
    return failure();
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  float values[2] = {0.0f, 0.0f};
  for (auto [i, attr] : llvm::enumerate(attrs)) {
    FailureOr<float> v = node.getFloatAttr(attr.first, attr.second);
    if (failed(v))
      return failure();
    if (!std::isfinite(*v))
      return node.emitError() << "attribute '" << attr.first << "' = " << *v
                              << " is not finite";
    values[i] = *v;
  }
  OpBuilder &b = node.getBuilder();
  auto op = qnn::UnaryOp::create(b, node.getLoc(), input->getType(), *input,
                                 b.getStringAttr(function),
                                 b.getF32FloatAttr(values[0]),
                                 b.getF32FloatAttr(values[1]));
  return node.setResult(0, op, onnx::TensorProto::FLOAT);
}

static LogicalResult importLeakyRelu(NodeImporter &node) {
  return importUnary(node, "leaky_relu", {{"alpha", 0.01f}});
}
static LogicalResult importSigmoid(NodeImporter &node) {
  return importUnary(node, "sigmoid");
}
static LogicalResult importHardSigmoid(NodeImporter &node) {
  return importUnary(node, "hard_sigmoid", {{"alpha", 0.2f}, {"beta", 0.5f}});
}
static LogicalResult importHardSwish(NodeImporter &node) {
  return importUnary(node, "hard_swish");
}
static LogicalResult importTanh(NodeImporter &node) {
  return importUnary(node, "tanh");
}

static LogicalResult importMul(NodeImporter &node) {
  return importBroadcastBinary<qnn::MulOp>(node, "mul");
}

/// Softmax along one axis (opset 13 semantics, default -1; the opset table
/// rejects older opsets, which coerce the input to 2-D at the axis).
static LogicalResult importSoftmax(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({"axis"})))
    return failure();
  FailureOr<Value> input = node.getFloatValue(0);
  if (failed(input))
    return failure();
  int64_t rank = getType(*input).getRank();
  FailureOr<int64_t> axis = node.getIntAttr("axis", -1);
  if (failed(axis))
    return failure();
  if (rank < 1 || *axis < -rank || *axis >= rank)
    return node.emitError() << "attribute 'axis' = " << *axis
                            << " is out of range for rank " << rank;
  int64_t normalized = *axis < 0 ? *axis + rank : *axis;
  OpBuilder &b = node.getBuilder();
  auto softmax =
      qnn::SoftmaxOp::create(b, node.getLoc(), input->getType(), *input,
                             b.getI64IntegerAttr(normalized));
  return node.setResult(0, softmax, onnx::TensorProto::FLOAT);
}

//===----------------------------------------------------------------------===//
// Transpose, Squeeze, Unsqueeze
//===----------------------------------------------------------------------===//

static LogicalResult importTranspose(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({"perm"})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  int64_t rank = inType.getRank();
  auto permAttr = node.getIntsAttr("perm");
  if (failed(permAttr))
    return failure();
  SmallVector<int64_t> perm;
  if (*permAttr)
    perm = std::move(**permAttr);
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<bool> seen(rank, false);
  bool valid = static_cast<int64_t>(perm.size()) == rank;
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= rank || seen[p]) {
      valid = false;
      break;
    }
    seen[p] = true;
  }
  if (!valid)
    return node.emitError() << "attribute 'perm' = " << formatShape(perm)
                            << " is not a permutation of the " << rank
                            << " dimensions of the input";
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inType.getDimSize(p));
  OpBuilder &b = node.getBuilder();
  auto transpose = qnn::TransposeOp::create(
      b, node.getLoc(), RankedTensorType::get(shape, inType.getElementType()),
      *input, b.getDenseI64ArrayAttr(perm));
  return node.setResult(0, transpose, node.getInput(0).onnxType);
}

/// The axes of Squeeze/Unsqueeze: the int64 constant input 1 (opset 13) or
/// the `axes` attribute (earlier opsets), normalized for `rank`, sorted and
/// checked for duplicates. Empty when neither is given.
static FailureOr<SmallVector<int64_t>> getAxes(NodeImporter &node,
                                               int64_t rank) {
  SmallVector<int64_t> axes;
  auto attr = node.getIntsAttr("axes");
  if (failed(attr))
    return failure();
  if (*attr && node.hasInput(1))
    return node.emitError()
           << "axes given both as an attribute and as an input";
  if (*attr) {
    axes = std::move(**attr);
  } else if (node.hasInput(1)) {
    FailureOr<DenseElementsAttr> c = node.getConstant(1);
    if (failed(c))
      return failure();
    if (!c->getElementType().isInteger(64) || c->getType().getRank() != 1)
      return node.emitError()
             << "input '" << node.getInputName(1)
             << "' (axes) must be a 1-D int64 tensor, got " << c->getType();
    axes.assign(c->getValues<int64_t>().begin(), c->getValues<int64_t>().end());
  }
  for (int64_t &a : axes) {
    if (a < -rank || a >= rank)
      return node.emitError() << "axis " << a << " is out of range for rank "
                              << rank;
    if (a < 0)
      a += rank;
  }
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    return node.emitError() << "axes " << formatShape(axes)
                            << " repeat an axis";
  return axes;
}

/// Squeeze and Unsqueeze only change the static shape: both become a
/// qnn.reshape, which keeps a quantized input's type.
static LogicalResult importSqueeze(NodeImporter &node) {
  if (failed(node.checkArity(1, 2)) || failed(node.checkAttributes({"axes"})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  FailureOr<SmallVector<int64_t>> axes = getAxes(node, inType.getRank());
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  for (auto [i, dim] : llvm::enumerate(inType.getShape())) {
    bool listed = llvm::is_contained(*axes, static_cast<int64_t>(i));
    if (listed && dim != 1)
      return node.emitError() << "cannot squeeze axis " << i << " of size "
                              << dim << " (input " << inType << ")";
    if (listed || (axes->empty() && dim == 1))
      continue;
    shape.push_back(dim);
  }
  auto reshape = qnn::ReshapeOp::create(
      node.getBuilder(), node.getLoc(),
      RankedTensorType::get(shape, inType.getElementType()), *input);
  return node.setResult(0, reshape, node.getInput(0).onnxType);
}

static LogicalResult importUnsqueeze(NodeImporter &node) {
  if (failed(node.checkArity(1, 2)) || failed(node.checkAttributes({"axes"})))
    return failure();
  FailureOr<Value> input = node.getFloatOrQuantValue(0);
  if (failed(input))
    return failure();
  RankedTensorType inType = getType(*input);
  if (!node.hasInput(1) && !node.getAttribute("axes"))
    return node.emitError() << "axes are required";
  int64_t outRank = inType.getRank();
  if (node.getAttribute("axes")) {
    auto attr = node.getIntsAttr("axes");
    if (failed(attr))
      return failure();
    outRank += (*attr) ? (*attr)->size() : 0;
  } else {
    FailureOr<DenseElementsAttr> c = node.getConstant(1);
    if (failed(c))
      return failure();
    outRank += c->getNumElements();
  }
  FailureOr<SmallVector<int64_t>> axes = getAxes(node, outRank);
  if (failed(axes))
    return failure();
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> in = inType.getShape();
  for (int64_t i = 0, j = 0; i < outRank; ++i)
    shape.push_back(llvm::is_contained(*axes, i) ? 1 : in[j++]);
  auto reshape = qnn::ReshapeOp::create(
      node.getBuilder(), node.getLoc(),
      RankedTensorType::get(shape, inType.getElementType()), *input);
  return node.setResult(0, reshape, node.getInput(0).onnxType);
}

//===----------------------------------------------------------------------===//
// Identity, Dropout, Constant
//===----------------------------------------------------------------------===//

static LogicalResult importIdentity(NodeImporter &node) {
  if (failed(node.checkArity(1, 1)) || failed(node.checkAttributes({})))
    return failure();
  return node.setResult(0, node.getInput(0));
}

/// Dropout in inference mode is the identity on its data input; the ratio
/// is ignored, and training mode or a consumed mask output is an error.
/// Before opset 12 the ratio is an attribute (Dropout-7, Dropout-10).
static LogicalResult importDropout(NodeImporter &node) {
  bool ratioAttr = node.getGraph().getOpsetVersion() < 12;
  if (failed(node.checkArity(1, ratioAttr ? 1 : 3, 1, 2)) ||
      failed(node.checkAttributes(ratioAttr ? ArrayRef<StringRef>{"ratio"}
                                            : ArrayRef<StringRef>{"seed"})))
    return failure();
  if (node.hasInput(2)) {
    FailureOr<DenseElementsAttr> mode = node.getConstant(2);
    if (failed(mode))
      return failure();
    if (!mode->getElementType().isInteger(1))
      return node.emitError() << "input '" << node.getInputName(2)
                              << "' (training_mode) must be a BOOL constant";
    // Training mode drops a random fraction `ratio` of the values; with
    // ratio 0 it drops none and is the identity, as in inference.
    if (llvm::any_of(mode->getValues<bool>(), [](bool b) { return b; })) {
      bool zeroRatio = false;
      if (node.hasInput(1)) {
        FailureOr<DenseElementsAttr> ratio = node.getConstant(1);
        if (failed(ratio))
          return failure();
        zeroRatio = ratio->getElementType().isF32() &&
                    llvm::all_of(ratio->getValues<float>(),
                                 [](float r) { return r == 0.0f; });
      }
      if (!zeroRatio)
        return node.emitError()
               << "input '" << node.getInputName(2)
               << "' (training_mode) is true with a ratio other than 0: the "
                  "output drops random values (training only); only "
                  "inference, or a ratio of 0, is supported";
    }
  }
  if (failed(node.setResult(0, node.getInput(0))))
    return failure();
  if (!node.hasOutput(1) || !node.getGraph().isUsed(node.getOutputName(1)))
    return success();
  // The mask keeps every value: a BOOL tensor of true, returned as int8
  // 0 / 1 (scale 1, zero point 0).
  OpBuilder &b = node.getBuilder();
  Location loc = node.getLoc();
  auto shape = node.getInput(0).getShape();
  auto i8 = b.getI8Type();
  auto maskType = quant::UniformQuantizedType::get(
      quant::QuantizationFlags::Signed, i8, b.getF32Type(), 1.0, 0, -128, 127);
  Value ones = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(RankedTensorType::get(shape, i8),
                                     static_cast<int8_t>(1)));
  Value mask = quant::StorageCastOp::create(
      b, loc, RankedTensorType::get(shape, maskType), ones);
  return node.setResult(1, mask, onnx::TensorProto::BOOL);
}

static LogicalResult importConstant(NodeImporter &node) {
  if (failed(node.checkArity(0, 0)) ||
      failed(node.checkAttributes({"value", "value_float", "value_floats",
                                   "value_int", "value_ints", "sparse_value",
                                   "value_string", "value_strings"})))
    return failure();
  if (node.getNumAttributes() != 1)
    return node.emitError() << "expects exactly one value attribute";
  const onnx::AttributeProto &attr = node.getAttributeAt(0);
  Builder b(node.getContext());
  ImportedValue value;
  value.loc = node.getLoc();
  StringRef name = attr.name();
  if (name == "value") {
    if (failed(node.checkAttrType(attr, onnx::AttributeProto::TENSOR,
                                  attr.has_t())))
      return failure();
    FailureOr<DenseElementsAttr> tensor =
        decodeTensor(attr.t(), node.getContext(),
                     [&] { return node.emitError() << "attribute 'value' "; });
    if (failed(tensor))
      return failure();
    value.constant = *tensor;
    value.onnxType = attr.t().data_type();
  } else if (name == "value_float") {
    FailureOr<float> f = node.getFloatAttr(name, 0.0f);
    if (failed(f))
      return failure();
    value.constant = DenseElementsAttr::get(
        RankedTensorType::get({}, b.getF32Type()), ArrayRef<float>(*f));
    value.onnxType = onnx::TensorProto::FLOAT;
  } else if (name == "value_floats") {
    if (failed(node.checkAttrType(attr, onnx::AttributeProto::FLOATS,
                                  attr.floats_size() > 0)))
      return failure();
    SmallVector<float> floats(attr.floats().begin(), attr.floats().end());
    value.constant = DenseElementsAttr::get(
        RankedTensorType::get({int64_t(floats.size())}, b.getF32Type()),
        ArrayRef<float>(floats));
    value.onnxType = onnx::TensorProto::FLOAT;
  } else if (name == "value_int") {
    FailureOr<int64_t> i = node.getIntAttr(name, 0);
    if (failed(i))
      return failure();
    value.constant = DenseElementsAttr::get(
        RankedTensorType::get({}, b.getI64Type()), ArrayRef<int64_t>(*i));
    value.onnxType = onnx::TensorProto::INT64;
  } else if (name == "value_ints") {
    auto ints = node.getIntsAttr(name);
    if (failed(ints))
      return failure();
    value.constant = DenseElementsAttr::get(
        RankedTensorType::get({int64_t((*ints)->size())}, b.getI64Type()),
        ArrayRef<int64_t>(**ints));
    value.onnxType = onnx::TensorProto::INT64;
  } else {
    return node.emitError() << "attribute '" << name << "' is not supported";
  }
  return node.setResult(0, value);
}

//===----------------------------------------------------------------------===//
// Op table
//===----------------------------------------------------------------------===//

const llvm::StringMap<OpImporterFn> &onnx_import::getOpImporters() {
  static const llvm::StringMap<OpImporterFn> table = {
      {"Add", importAdd},
      {"AveragePool", importAveragePool},
      {"BatchNormalization", importBatchNormalization},
      {"Clip", importClip},
      {"Concat", importConcat},
      {"Constant", importConstant},
      {"Conv", importConv},
      {"ConvInteger", importConvInteger},
      {"DequantizeLinear", importDequantizeLinear},
      {"Dropout", importDropout},
      {"DynamicQuantizeLinear", importDynamicQuantizeLinear},
      {"Flatten", importFlatten},
      {"Gemm", importGemm},
      {"GlobalAveragePool", importGlobalAveragePool},
      {"Identity", importIdentity},
      {"MatMul", importMatMul},
      {"MatMulInteger", importMatMulInteger},
      {"MaxPool", importMaxPool},
      {"QLinearConv", importQLinearConv},
      {"QLinearMatMul", importQLinearMatMul},
      {"QuantizeLinear", importQuantizeLinear},
      {"Relu", importRelu},
      {"Reshape", importReshape},
      {"HardSigmoid", importHardSigmoid},
      {"HardSwish", importHardSwish},
      {"LeakyRelu", importLeakyRelu},
      {"Mul", importMul},
      {"Sigmoid", importSigmoid},
      {"Softmax", importSoftmax},
      {"Squeeze", importSqueeze},
      {"Tanh", importTanh},
      {"Transpose", importTranspose},
      {"Unsqueeze", importUnsqueeze},
  };
  return table;
}
