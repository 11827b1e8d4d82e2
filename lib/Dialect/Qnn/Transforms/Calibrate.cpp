//===- Calibrate.cpp - Quantize a float graph from data -----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Runs the float graph on calibration samples, records activation ranges and
// rewrites the graph into QDQ form with int8 activations and weights.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/Npy.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"

#include <cmath>
#include <limits>

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_CALIBRATEPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

struct Range {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
};

/// The operand index of the weight of a product op, or -1.
static int getWeightOperandIndex(Operation *op) {
  return isa<ConvOp, GemmOp, MatMulOp>(op) ? 1 : -1;
}

/// The output-channel axis of a weight operand of `op`.
static int32_t getWeightAxis(Operation *op) {
  if (auto gemm = dyn_cast<GemmOp>(op))
    return gemm.getTransB() ? 0 : 1;
  if (isa<MatMulOp>(op))
    return 1;
  return 0;
}

/// Inserts `qcast` + `dcast` with `type` after `value`; every other user
/// of `value` then reads the dequantized value.
static void insertQDQ(OpBuilder &builder, Value value,
                      quant::UniformQuantizedType type) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  builder.setInsertionPointAfterValue(value);
  Location loc = value.getLoc();
  auto qcast = quant::QuantizeCastOp::create(
      builder, loc, tensorType.clone(type), value);
  auto dcast = quant::DequantizeCastOp::create(builder, loc, tensorType,
                                               qcast.getResult());
  value.replaceAllUsesExcept(dcast.getResult(), qcast);
}

/// Replaces the use `operand` of a float weight constant by an int8
/// symmetric quantization of it.
static LogicalResult quantizeWeight(OpOperand &operand, bool perChannel) {
  Operation *user = operand.getOwner();
  DenseElementsAttr values;
  if (!matchPattern(operand.get(), m_Constant(&values)))
    return user->emitOpError("expects a constant weight to quantize");
  auto type = cast<RankedTensorType>(operand.get().getType());
  SmallVector<float> w;
  for (APFloat v : values.getValues<APFloat>())
    w.push_back(v.convertToFloat());
  int32_t axis = getWeightAxis(user);
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = perChannel ? shape[axis] : 1;
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  auto channelOf = [&](int64_t i) {
    return perChannel ? (i / inner) % shape[axis] : 0;
  };
  SmallVector<float> absMax(channels, 0.0f);
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    absMax[channelOf(i)] = std::max(absMax[channelOf(i)], std::fabs(w[i]));
  SmallVector<double> scales;
  for (float m : absMax)
    scales.push_back(chooseSymmetricScale(m, 127));
  SmallVector<int8_t> q;
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    q.push_back(quantizeValue(w[i], scales[channelOf(i)], 0, -127, 127));

  MLIRContext *ctx = user->getContext();
  auto i8 = IntegerType::get(ctx, 8);
  auto f32 = Float32Type::get(ctx);
  quant::QuantizedType qType;
  if (perChannel)
    qType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i8, f32, scales,
        SmallVector<int64_t>(channels, 0), axis, -127, 127);
  else
    qType = quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed,
                                             i8, f32, scales.front(), 0, -127,
                                             127);
  OpBuilder builder(user);
  Location loc = operand.get().getLoc();
  auto storage = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(type.clone(i8), ArrayRef(q)));
  auto scast = quant::StorageCastOp::create(builder, loc, type.clone(qType),
                                            storage.getResult());
  auto dcast = quant::DequantizeCastOp::create(builder, loc, type,
                                               scast.getResult());
  operand.set(dcast.getResult());
  return success();
}

struct CalibratePass : public qnn::impl::CalibratePassBase<CalibratePass> {
  using Base::Base;

  void runOnOperation() override;

  /// Second pass of the percentile method: a histogram of every value over
  /// its min/max range, then the range is narrowed to the central
  /// `percentile` percent of the observed values (half of the rest cut from
  /// each tail), to the nearest bin edge.
  LogicalResult narrowToPercentile(FloatInterpreter &interpreter,
                                   const NpyArray &data, int64_t runs,
                                   int64_t inputSize,
                                   llvm::DenseMap<Value, Range> &ranges);

  /// Reads the samples and checks them against the input shape.
  FailureOr<NpyArray> loadSamples(func::FuncOp func,
                                  int64_t &samplesPerRun);
};

FailureOr<NpyArray> CalibratePass::loadSamples(func::FuncOp func,
                                               int64_t &samplesPerRun) {
  auto inputType = cast<RankedTensorType>(func.getArgumentTypes().front());
  ArrayRef<int64_t> inShape = inputType.getShape();
  llvm::Expected<NpyArray> data = readNpyFloat32(dataFile);
  if (!data) {
    func.emitError() << "calibration data: " << llvm::toString(data.takeError());
    return failure();
  }
  ArrayRef<int64_t> dShape = data->shape;
  // [N, <input shape without batch>]: one batch item per sample.
  // [N, <input shape>]: one whole input per sample.
  bool perItem = dShape.size() == inShape.size() &&
                 dShape.drop_front() == inShape.drop_front();
  bool perInput =
      dShape.size() == inShape.size() + 1 && dShape.drop_front() == inShape;
  if (!perItem && !perInput) {
    func.emitError() << "calibration data " << dataFile << " has shape "
                     << formatShape(dShape) << ", expected [N, "
                     << formatShape(inShape.drop_front()).substr(1)
                     << " or [N, " << formatShape(inShape).substr(1)
                     << " for input " << formatShape(inShape);
    return failure();
  }
  samplesPerRun = perItem ? inShape.front() : 1;
  if (dShape.front() < samplesPerRun) {
    func.emitError() << "calibration data " << dataFile << " holds "
                     << dShape.front() << " samples, at least "
                     << samplesPerRun << " needed";
    return failure();
  }
  for (size_t i = 0; i < data->data.size(); ++i)
    if (!std::isfinite(data->data[i])) {
      func.emitError() << "calibration data " << dataFile
                       << " has a non-finite value at flat index " << i;
      return failure();
    }
  return std::move(*data);
}

LogicalResult CalibratePass::narrowToPercentile(
    FloatInterpreter &interpreter, const NpyArray &data, int64_t runs,
    int64_t inputSize, llvm::DenseMap<Value, Range> &ranges) {
  constexpr int64_t kBins = 2048;
  llvm::DenseMap<Value, std::vector<int64_t>> histograms;
  for (int64_t r = 0; r < runs; ++r) {
    std::vector<float> input(data.data.begin() + r * inputSize,
                             data.data.begin() + (r + 1) * inputSize);
    auto observe = [&](Value v, const std::vector<float> &values) {
      Range range = ranges.lookup(v);
      std::vector<int64_t> &hist = histograms[v];
      hist.resize(kBins, 0);
      float width = (range.max - range.min) / kBins;
      for (float x : values) {
        int64_t bin = width > 0 ? static_cast<int64_t>((x - range.min) / width)
                                : 0;
        ++hist[std::clamp<int64_t>(bin, 0, kBins - 1)];
      }
    };
    if (failed(interpreter.run({input}, observe)))
      return failure();
  }
  for (auto &[value, hist] : histograms) {
    Range &range = ranges[value];
    int64_t total = 0;
    for (int64_t c : hist)
      total += c;
    double tail = total * (100.0 - percentile) / 200.0;
    float width = (range.max - range.min) / kBins;
    int64_t lo = 0, hi = kBins - 1;
    for (double seen = 0; lo < kBins - 1 && seen + hist[lo] <= tail; ++lo)
      seen += hist[lo];
    for (double seen = 0; hi > lo && seen + hist[hi] <= tail; --hi)
      seen += hist[hi];
    float newMin = range.min + lo * width;
    float newMax = range.min + (hi + 1) * width;
    range.min = std::max(range.min, newMin);
    range.max = std::min(range.max, newMax);
  }
  return success();
}

void CalibratePass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  // A QDQ model carries its own quantization parameters.
  bool hasQuant = false, hasFloatQnn = false;
  func.walk([&](Operation *op) {
    if (isa<quant::QuantDialect>(op->getDialect()))
      hasQuant = true;
    if (isa<QnnDialect>(op->getDialect()))
      hasFloatQnn |= llvm::any_of(op->getResultTypes(), [](Type t) {
        return cast<ShapedType>(t).getElementType().isF32();
      });
  });
  if (hasQuant || !hasFloatQnn)
    return;

  if (dataFile.empty()) {
    func.emitError() << "float model: calibration data is needed to quantize "
                        "it (quant-opt --calibration-data=FILE.npy, pass "
                        "option data=FILE.npy), or give a QDQ model";
    return signalPassFailure();
  }
  if (method != "minmax" && method != "percentile") {
    func.emitError() << "unknown calibration method '" << method
                     << "' (supported: minmax, percentile)";
    return signalPassFailure();
  }
  if (weightGranularity != "per-channel" && weightGranularity != "per-tensor") {
    func.emitError() << "unknown weight granularity '" << weightGranularity
                     << "' (per-channel or per-tensor)";
    return signalPassFailure();
  }
  if (func.getNumArguments() != 1) {
    func.emitError() << "calibration supports models with one input, this "
                        "one has "
                     << func.getNumArguments();
    return signalPassFailure();
  }
  if (method == "percentile" && !(percentile > 50.0 && percentile <= 100.0)) {
    func.emitError() << "calibration percentile must be in (50, 100], got "
                     << percentile;
    return signalPassFailure();
  }
  if (failed(FloatInterpreter::verifySupported(func)))
    return signalPassFailure();
  int64_t perRun = 1;
  FailureOr<NpyArray> data = loadSamples(func, perRun);
  if (failed(data))
    return signalPassFailure();

  // Record ranges.
  int64_t available = data->shape.front();
  int64_t used = samples > 0 ? std::min<int64_t>(samples, available)
                             : available;
  int64_t runs = used / perRun;
  int64_t inputSize =
      cast<RankedTensorType>(func.getArgumentTypes().front()).getNumElements();
  llvm::DenseMap<Value, Range> ranges;
  FloatInterpreter interpreter(func);
  bool showProgress = runs >= 500 && llvm::errs().is_displayed();
  for (int64_t r = 0; r < runs; ++r) {
    std::vector<float> input(data->data.begin() + r * inputSize,
                             data->data.begin() + (r + 1) * inputSize);
    auto observe = [&](Value v, const std::vector<float> &values) {
      Range &range = ranges[v];
      for (float x : values) {
        range.min = std::min(range.min, x);
        range.max = std::max(range.max, x);
      }
    };
    if (failed(interpreter.run({input}, observe)))
      return signalPassFailure();
    if (showProgress && (r + 1) % std::max<int64_t>(runs / 20, 1) == 0)
      llvm::errs() << llvm::format("\rcalibrating: %lld/%lld samples",
                                   (long long)((r + 1) * perRun),
                                   (long long)(runs * perRun));
  }
  if (showProgress)
    llvm::errs() << "\n";
  if (method == "percentile" &&
      failed(narrowToPercentile(interpreter, *data, runs, inputSize, ranges)))
    return signalPassFailure();

  // Parameters of each activation; shape ops and max pooling keep their
  // input's parameters, and a product followed only by an activation is
  // quantized after the activation.
  llvm::DenseMap<Value, quant::UniformQuantizedType> params;
  auto paramsFor = [&](Value v) {
    Range r = ranges.lookup(v);
    AffineParams p = chooseAsymmetricParams(r.min, r.max, -128, 127);
    return getInt8Type(&getContext(), p.scale, p.zeroPoint);
  };
  SmallVector<std::pair<Value, quant::UniformQuantizedType>> toQuantize;
  for (BlockArgument arg : func.getArguments()) {
    params[arg] = paramsFor(arg);
    toQuantize.push_back({arg, params[arg]});
  }
  for (Operation &op : func.getBody().front()) {
    if (op.getNumResults() != 1 || !isa<QnnDialect>(op.getDialect()))
      continue;
    Value result = op.getResult(0);
    if (isa<ConvOp, GemmOp, MatMulOp>(op) && result.hasOneUse() &&
        isa<ReluOp, ClipOp>(*result.getUsers().begin()))
      continue;
    quant::UniformQuantizedType type;
    if (isa<MaxPoolOp, FlattenOp, ReshapeOp, TransposeOp>(op) &&
        params.count(op.getOperand(0)))
      type = params[op.getOperand(0)];
    else if (isa<SoftmaxOp>(op))
      // Probabilities in [0, 1): ONNX Runtime's QLinearSoftmax output type.
      type = getInt8Type(&getContext(), 1.0 / 256, -128);
    else
      type = paramsFor(result);
    params[result] = type;
    toQuantize.push_back({result, type});
  }

  // Weights first (they read the float constants), then activations.
  bool perChannel = weightGranularity == "per-channel";
  SmallVector<OpOperand *> weights;
  func.walk([&](Operation *op) {
    int idx = getWeightOperandIndex(op);
    if (idx >= 0)
      weights.push_back(&op->getOpOperand(idx));
  });
  for (OpOperand *operand : weights)
    if (failed(quantizeWeight(*operand, perChannel)))
      return signalPassFailure();
  OpBuilder builder(&getContext());
  for (auto [value, type] : toQuantize)
    insertQDQ(builder, value, type);
}

} // namespace
