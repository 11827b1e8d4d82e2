//===- Calibrate.cpp - Quantize a float graph from data -----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Runs the float graph on calibration samples, records activation ranges
// (min/max, then a histogram for the percentile, entropy and mse methods)
// and rewrites the graph into QDQ form with int8 activations and weights.
// It can keep chosen layers' weights in float (by name, or automatically to
// reach an output SQNR) and write a per-layer report from a simulation of
// the QDQ graph against the float graph.
//
//===----------------------------------------------------------------------===//

#include "Histogram.h"
#include "Int16.h"
#include "Interpreter.h"
#include "LayerReport.h"
#include "WeightQuantization.h"

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/Npy.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

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

struct MinMax {
  float min = std::numeric_limits<float>::infinity();
  float max = -std::numeric_limits<float>::infinity();
};

using Buffer = std::vector<float>;

/// The operand index of the weight of a product op, or -1. A MatMul whose
/// right operand is computed (attention's Q x K^T) has no weight: both
/// operands are activations, quantized as such.
static int getWeightOperandIndex(Operation *op) {
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return matchPattern(matmul.getRhs(), m_Constant()) ? 1 : -1;
  return isa<ConvOp, GemmOp>(op) ? 1 : -1;
}

/// The output-channel axis of a weight operand of `op`.
static int32_t getWeightAxis(Operation *op) {
  if (auto gemm = dyn_cast<GemmOp>(op))
    return gemm.getTransB() ? 0 : 1;
  if (auto matmul = dyn_cast<MatMulOp>(op))
    return matmul.getRhs().getType().getRank() - 1;
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
/// symmetric quantization of it (dequantized for the QDQ form).
static LogicalResult quantizeWeight(OpOperand &operand, bool perChannel) {
  Operation *user = operand.getOwner();
  OpBuilder builder(user);
  Value weight = buildInt8Weight(builder, operand.get(), getWeightAxis(user),
                                 perChannel);
  if (!weight)
    return user->emitOpError("expects a constant weight to quantize");
  auto dcast = quant::DequantizeCastOp::create(
      builder, operand.get().getLoc(), operand.get().getType(), weight);
  operand.set(dcast.getResult());
  return success();
}

/// Conv, Gemm and MatMul: the layers whose weights are quantized.
static bool isWeightLayer(Operation *op) {
  return isa<ConvOp, GemmOp, MatMulOp>(op);
}

/// A weight layer that has a weight (not a MatMul of two activations): the
/// layers --keep-float and mixed precision choose from.
static bool hasWeight(Operation *op) {
  return isWeightLayer(op) && getWeightOperandIndex(op) >= 0;
}

/// The value quantized at the output of `op`: its result, or that of the
/// Relu / Clip that is its only user (quantized as one fused op).
static Value getOutputPoint(Operation *op) {
  Value result = op->getResult(0);
  if (isWeightLayer(op) && result.hasOneUse() &&
      isa<ReluOp, ClipOp>(*result.getUsers().begin()))
    return result.getUsers().begin()->getResult(0);
  return result;
}

/// A tensor to compare between the float graph (`ref`) and the simulated
/// QDQ graph (`sim`). With `quantType`, the simulated buffer is fake
/// quantized with it first (the quantized value of a QDQ point).
struct ComparePoint {
  Value ref;
  Value sim;
  Type quantType;
};

/// A QDQ-form copy of a float function, detached from the IR.
struct QDQClone {
  func::FuncOp func;
  IRMapping mapping; ///< float function -> clone
  QDQClone() = default;
  QDQClone(const QDQClone &) = delete;
  ~QDQClone() {
    if (func)
      func->erase();
  }
};

struct CalibratePass : public qnn::impl::CalibratePassBase<CalibratePass> {
  using Base::Base;

  void runOnOperation() override;

  /// Reads the samples, one file per function input (`dataFile` is a
  /// comma-separated list), and checks them against the input shapes.
  LogicalResult loadSamples(func::FuncOp func, int64_t &samplesPerRun);

  /// Reads and checks the samples of input `index` from `file`.
  FailureOr<NpyArray> loadInputSamples(func::FuncOp func, unsigned index,
                                       StringRef file,
                                       int64_t &samplesPerRun);

  /// The inputs of the `r`-th run, one buffer per function input.
  std::vector<Buffer> getInputs(int64_t r) const {
    std::vector<Buffer> inputs;
    for (auto [samples, size] : llvm::zip(data, inputSizes))
      inputs.emplace_back(samples.data.begin() + r * size,
                          samples.data.begin() + (r + 1) * size);
    return inputs;
  }

  /// Validates the options; emits an error and fails on a bad one.
  LogicalResult checkOptions(func::FuncOp func);

  /// Resolves the comma-separated ONNX node names and/or op types of
  /// `list` (the value of `option`) into the ops of `func` that satisfy
  /// `isCandidate` (`kinds` names them in the error).
  LogicalResult resolveLayers(func::FuncOp func, StringRef list,
                              StringRef option, StringRef kinds,
                              llvm::function_ref<bool(Operation *)> isCandidate,
                              llvm::SetVector<Operation *> &chosen);

  /// Resolves --keep-float into weight layers of `func`.
  LogicalResult resolveKeepFloat(func::FuncOp func,
                                 llvm::SetVector<Operation *> &keep);

  /// Resolves --int16-layers into the ops whose output is int16.
  LogicalResult resolveInt16Layers(func::FuncOp func,
                                   const llvm::SetVector<Operation *> &keep,
                                   llvm::SetVector<Operation *> &wide);

  /// Runs the interpreter over the first `runs` inputs and calls `observe`
  /// for every value; `what` names the pass in the progress display, which
  /// counts `perRun` samples per run.
  LogicalResult observeSamples(FloatInterpreter &interpreter, int64_t runs,
                               int64_t perRun, StringRef what,
                               FloatInterpreter::Observer observe);

  /// Rewrites `func` into QDQ form: the weights of the layers not in `keep`
  /// become int8, those in `keep` get `qnn.keep_float`, and every value of
  /// `toQuantize` gets a qcast + dcast.
  LogicalResult rewriteToQDQ(
      func::FuncOp func,
      ArrayRef<std::pair<Value, quant::UniformQuantizedType>> toQuantize,
      const llvm::SetVector<Operation *> &keep,
      const llvm::DenseMap<Value, quant::UniformQuantizedType> &narrow);

  /// A QDQ-form clone of `func`, or failure.
  LogicalResult buildClone(
      func::FuncOp func,
      ArrayRef<std::pair<Value, quant::UniformQuantizedType>> toQuantize,
      const llvm::SetVector<Operation *> &keep, QDQClone &clone);

  /// Runs the float `func` and the QDQ `sim` on the simulation samples and
  /// accumulates the error at every point. With `pin`, each QDQ point of
  /// `sim` (a point with a quantType) is fed the float value, so the error
  /// of a layer is its own, not the accumulated error of its inputs.
  /// `onPair`, if given, also sees each run's pair of buffers of every
  /// point without a quantized type (a function result).
  LogicalResult simulate(
      FloatInterpreter &floatInterpreter, func::FuncOp sim,
      ArrayRef<ComparePoint> points, bool pin,
      std::vector<ErrorStats> &stats,
      llvm::function_ref<void(int64_t run, size_t point, const Buffer &ref,
                              const Buffer &sim)>
          onPair = nullptr);

  /// Top-1 accuracy (percent) of the first result of `sim` on the
  /// simulated samples: against `labels`, or without labels agreement with
  /// the float function's top-1. `floatAccuracy` gets the float
  /// function's own (100 without labels).
  FailureOr<double> measureTop1(FloatInterpreter &floatInterpreter,
                                func::FuncOp func, func::FuncOp sim,
                                double &floatAccuracy);

  /// Reads `labelsFile` and checks it against the samples and the first
  /// result's [batch, classes] shape.
  LogicalResult loadLabels(func::FuncOp func, int64_t perRun);

  /// The points comparing the function results.
  static SmallVector<ComparePoint> getOutputPoints(func::FuncOp func,
                                                   func::FuncOp sim);

  /// Writes the report rows to --layer-report.
  LogicalResult writeReport(func::FuncOp func,
                            const std::vector<LayerRow> &rows,
                            const ReportSummary &summary);

  /// The int8 type each int16 activation (a value of the float function)
  /// is read through by the ops without a 16-bit form: its int8
  /// calibration.
  llvm::DenseMap<Value, quant::UniformQuantizedType> narrowTypes;

  /// The samples of each function input, and the elements of one run of it.
  std::vector<NpyArray> data;
  std::vector<int64_t> inputSizes;
  int64_t simRuns = 0;
  /// Samples per run, and the calibration labels (empty without).
  int64_t perRunSamples = 1;
  std::vector<int64_t> labels;
};

LogicalResult CalibratePass::loadSamples(func::FuncOp func,
                                        int64_t &samplesPerRun) {
  SmallVector<StringRef> files;
  StringRef(dataFile).split(files, ',');
  if (files.size() != func.getNumArguments())
    return func.emitError()
           << "calibration data: " << files.size() << " file"
           << (files.size() == 1 ? "" : "s") << " given for a model with "
           << func.getNumArguments()
           << " inputs (one .npy per input, comma-separated, in input order)";
  data.clear();
  inputSizes.clear();
  for (auto [index, file] : llvm::enumerate(files)) {
    int64_t perRun = 1;
    FailureOr<NpyArray> samples = loadInputSamples(func, index, file, perRun);
    if (failed(samples))
      return failure();
    if (index > 0 && (perRun != samplesPerRun ||
                      samples->shape.front() != data.front().shape.front()))
      return func.emitError()
             << "calibration data " << file << " holds "
             << samples->shape.front() << " samples of " << perRun
             << " per run, but " << files.front() << " holds "
             << data.front().shape.front() << " of " << samplesPerRun
             << " (every input needs the same samples)";
    samplesPerRun = perRun;
    inputSizes.push_back(
        cast<RankedTensorType>(func.getArgumentTypes()[index])
            .getNumElements());
    data.push_back(std::move(*samples));
  }
  return success();
}

FailureOr<NpyArray> CalibratePass::loadInputSamples(func::FuncOp func,
                                                    unsigned index,
                                                    StringRef dataFile,
                                                    int64_t &samplesPerRun) {
  auto inputType = cast<RankedTensorType>(func.getArgumentTypes()[index]);
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
                     << " for input " << index << " "
                     << formatShape(inShape);
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

LogicalResult CalibratePass::checkOptions(func::FuncOp func) {
  if (!llvm::is_contained({"minmax", "percentile", "entropy", "mse"},
                          StringRef(method)))
    return func.emitError() << "unknown calibration method '" << method
                            << "' (supported: minmax, percentile, entropy, "
                               "mse)";
  if (weightGranularity != "per-channel" && weightGranularity != "per-tensor")
    return func.emitError() << "unknown weight granularity '"
                            << weightGranularity
                            << "' (per-channel or per-tensor)";
  if (activationScheme != "asymmetric" && activationScheme != "symmetric")
    return func.emitError() << "unknown activation scheme '"
                            << activationScheme
                            << "' (asymmetric or symmetric)";
  if (method == "percentile" && !(percentile > 50.0 && percentile <= 100.0))
    return func.emitError()
           << "calibration percentile must be in (50, 100], got "
           << percentile;
  if (layerReportSamples < 1)
    return func.emitError() << "layer-report-samples must be at least 1, got "
                            << layerReportSamples;
  if (!std::isfinite(mixedPrecisionSqnr) || mixedPrecisionSqnr < 0)
    return func.emitError() << "mixed-precision-sqnr must be a finite number "
                               "of dB >= 0 (0: off), got "
                            << mixedPrecisionSqnr;
  if (mixedPrecisionAccuracy != -1.0 &&
      !(mixedPrecisionAccuracy >= 0 && mixedPrecisionAccuracy <= 100))
    return func.emitError() << "mixed-precision-accuracy must be a number of "
                               "percentage points in [0, 100] (-1: off), got "
                            << llvm::formatv("{0}",
                                             mixedPrecisionAccuracy.getValue())
                                   .str();
  if (mixedPrecisionAccuracy >= 0 && mixedPrecisionSqnr > 0)
    return func.emitError() << "mixed-precision-sqnr and "
                               "mixed-precision-accuracy are two budgets for "
                               "the same choice; give one";
  if (!labelsFile.empty() && mixedPrecisionAccuracy < 0)
    return func.emitError() << "calibration labels are used by "
                               "mixed-precision-accuracy only";
  if (mixedPrecisionMaxFloat < -1)
    return func.emitError() << "mixed-precision-max-float must be -1 (all) "
                               "or a count, got "
                            << mixedPrecisionMaxFloat;
  return success();
}

LogicalResult CalibratePass::resolveLayers(
    func::FuncOp func, StringRef list, StringRef option, StringRef kinds,
    llvm::function_ref<bool(Operation *)> isCandidate,
    llvm::SetVector<Operation *> &chosen) {
  SmallVector<Operation *> layers;
  func.walk([&](Operation *op) {
    if (isCandidate(op))
      layers.push_back(op);
  });
  SmallVector<StringRef> names;
  list.split(names, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef name : names) {
    name = name.trim();
    if (name.empty())
      continue;
    bool found = false;
    for (Operation *op : layers)
      if (llvm::is_contained(getOnnxNodeNames(op), name) ||
          getOnnxOpType(op) == name) {
        chosen.insert(op);
        found = true;
      }
    if (found)
      continue;
    InFlightDiagnostic diag = func.emitError()
                              << option << ": no " << kinds
                              << " layer is named or typed '" << name
                              << "'; valid: ";
    SmallVector<std::string> valid;
    for (Operation *op : layers)
      if (!llvm::is_contained(valid, getOnnxNodeName(op)))
        valid.push_back(getOnnxNodeName(op));
    for (Operation *op : layers)
      if (!llvm::is_contained(valid, getOnnxOpType(op)))
        valid.push_back(getOnnxOpType(op));
    llvm::interleaveComma(valid, diag);
    if (valid.empty())
      diag << "(none: the model has no such layer)";
    return failure();
  }
  return success();
}

LogicalResult
CalibratePass::resolveKeepFloat(func::FuncOp func,
                                llvm::SetVector<Operation *> &keep) {
  return resolveLayers(func, StringRef(keepFloat), "keep-float",
                       "Conv, Gemm or MatMul", hasWeight, keep);
}

/// The ops whose output activations can be int16 (16x8): products, and the
/// ops that keep or clamp their input's values.
static bool isInt16Candidate(Operation *op) {
  return isa<ConvOp, GemmOp, MatMulOp, MaxPoolOp, FlattenOp, ReshapeOp,
             TransposeOp, ReluOp, ClipOp>(op);
}

LogicalResult
CalibratePass::resolveInt16Layers(func::FuncOp func,
                                  const llvm::SetVector<Operation *> &keep,
                                  llvm::SetVector<Operation *> &wide) {
  if (failed(resolveLayers(func, StringRef(int16Layers), "int16-layers",
                           "Conv, Gemm, MatMul, MaxPool, Flatten, Reshape, "
                           "Transpose, Relu or Clip",
                           isInt16Candidate, wide)))
    return failure();
  for (Operation *op : wide)
    if (keep.contains(op))
      return func.emitError()
             << "layer '" << getOnnxNodeName(op)
             << "' is chosen by both keep-float and int16-layers";
  return success();
}

LogicalResult
CalibratePass::observeSamples(FloatInterpreter &interpreter, int64_t runs,
                              int64_t perRun, StringRef what,
                              FloatInterpreter::Observer observe) {
  bool showProgress = runs >= 500 && llvm::errs().is_displayed();
  for (int64_t r = 0; r < runs; ++r) {
    if (failed(interpreter.run(getInputs(r), observe)))
      return failure();
    if (showProgress && (r + 1) % std::max<int64_t>(runs / 20, 1) == 0)
      llvm::errs() << llvm::format("\r%s: %lld/%lld samples",
                                   what.str().c_str(),
                                   (long long)((r + 1) * perRun),
                                   (long long)(runs * perRun));
  }
  if (showProgress)
    llvm::errs() << "\n";
  return success();
}

LogicalResult CalibratePass::rewriteToQDQ(
    func::FuncOp func,
    ArrayRef<std::pair<Value, quant::UniformQuantizedType>> toQuantize,
    const llvm::SetVector<Operation *> &keep,
    const llvm::DenseMap<Value, quant::UniformQuantizedType> &narrow) {
  // Weights first (they read the float constants), then activations.
  bool perChannel = weightGranularity == "per-channel";
  SmallVector<OpOperand *> weights;
  func.walk([&](Operation *op) {
    int idx = getWeightOperandIndex(op);
    if (idx < 0)
      return;
    if (keep.contains(op))
      op->setAttr("qnn.keep_float", UnitAttr::get(op->getContext()));
    else
      weights.push_back(&op->getOpOperand(idx));
  });
  for (OpOperand *operand : weights)
    if (failed(quantizeWeight(*operand, perChannel)))
      return failure();
  OpBuilder builder(func.getContext());
  for (auto [value, type] : toQuantize)
    insertQDQ(builder, value, type);
  // Ops without a 16-bit form read int16 values through int8 (and so does
  // the simulation of the report and of mixed precision).
  // So does the input of a product whose int32 accumulator could overflow
  // on int16 (a deep Gemm after an int16 conv): the chosen layer's output
  // stays int16 for its other users.
  narrowInt16Uses(
      func, [&](Value v) { return narrow.lookup(v); },
      /*narrowOverflowingProducts=*/true);
  return success();
}

LogicalResult CalibratePass::buildClone(
    func::FuncOp func,
    ArrayRef<std::pair<Value, quant::UniformQuantizedType>> toQuantize,
    const llvm::SetVector<Operation *> &keep, QDQClone &clone) {
  clone.func = func.clone(clone.mapping);
  SmallVector<std::pair<Value, quant::UniformQuantizedType>> mapped;
  for (auto [value, type] : toQuantize)
    mapped.push_back({clone.mapping.lookup(value), type});
  llvm::SetVector<Operation *> mappedKeep;
  for (Operation *op : keep)
    mappedKeep.insert(clone.mapping.lookup(op));
  llvm::DenseMap<Value, quant::UniformQuantizedType> mappedNarrow;
  for (auto &[value, type] : narrowTypes)
    mappedNarrow[clone.mapping.lookup(value)] = type;
  return rewriteToQDQ(clone.func, mapped, mappedKeep, mappedNarrow);
}

SmallVector<ComparePoint> CalibratePass::getOutputPoints(func::FuncOp func,
                                                         func::FuncOp sim) {
  SmallVector<ComparePoint> points;
  Operation *ref = func.getBody().front().getTerminator();
  Operation *simRet = sim.getBody().front().getTerminator();
  for (auto [r, s] : llvm::zip(ref->getOperands(), simRet->getOperands()))
    points.push_back({r, s, Type()});
  return points;
}

LogicalResult CalibratePass::simulate(
    FloatInterpreter &floatInterpreter, func::FuncOp sim,
    ArrayRef<ComparePoint> points, bool pin, std::vector<ErrorStats> &stats,
    llvm::function_ref<void(int64_t, size_t, const Buffer &, const Buffer &)>
        onPair) {
  FloatInterpreter simInterpreter(sim);
  llvm::DenseMap<Value, SmallVector<size_t>> byRef, bySim;
  for (auto [i, p] : llvm::enumerate(points)) {
    byRef[p.ref].push_back(i);
    bySim[p.sim].push_back(i);
  }
  stats.assign(points.size(), ErrorStats());
  std::vector<Buffer> reference(points.size());
  llvm::DenseMap<Value, Buffer> overrides;
  if (pin)
    simInterpreter.setOverrides(&overrides);
  for (int64_t r = 0; r < simRuns; ++r) {
    std::vector<Buffer> inputs = getInputs(r);
    auto observeRef = [&](Value v, const Buffer &values) {
      auto it = byRef.find(v);
      if (it != byRef.end())
        for (size_t i : it->second)
          reference[i] = values;
    };
    if (failed(floatInterpreter.run(inputs, observeRef)))
      return failure();
    if (pin) {
      overrides.clear();
      for (auto [i, p] : llvm::enumerate(points))
        if (p.quantType)
          overrides[p.sim] = reference[i];
    }
    auto observeSim = [&](Value v, const Buffer &values) {
      auto it = bySim.find(v);
      if (it == bySim.end())
        return;
      for (size_t i : it->second) {
        if (!points[i].quantType) {
          stats[i].add(reference[i], values);
          if (onPair)
            onPair(r, i, reference[i], values);
          continue;
        }
        Type type = points[i].quantType;
        stats[i].add(reference[i],
                     FloatInterpreter::dequantize(
                         FloatInterpreter::quantize(values, type), type));
      }
    };
    if (failed(simInterpreter.run(inputs, observeSim)))
      return failure();
  }
  return success();
}

/// Index of the largest of `n` scores at `first` (the first on ties, as
/// numpy.argmax).
static int64_t argmax(const float *first, int64_t n) {
  int64_t best = 0;
  for (int64_t i = 1; i < n; ++i)
    if (first[i] > first[best])
      best = i;
  return best;
}

LogicalResult CalibratePass::loadLabels(func::FuncOp func, int64_t perRun) {
  auto type = cast<RankedTensorType>(
      func.getBody().front().getTerminator()->getOperand(0).getType());
  bool classifier =
      type.hasStaticShape() &&
      ((type.getRank() == 2 && type.getDimSize(0) == perRun) ||
       (type.getRank() == 1 && perRun == 1));
  if (!classifier || type.getNumElements() / perRun < 2)
    return func.emitError()
           << "mixed-precision-accuracy needs a classifier: the first output "
              "must be [batch, classes] scores with batch "
           << perRun << " and at least 2 classes, got " << type;
  if (labelsFile.empty()) {
    labels.clear();
    return success();
  }
  llvm::Expected<NpyIntArray> read = readNpyInt(labelsFile);
  if (!read)
    return func.emitError() << "calibration labels: "
                            << llvm::toString(read.takeError());
  int64_t samples = data.front().shape.front();
  if (read->shape.size() != 1 || read->shape.front() != samples)
    return func.emitError()
           << "calibration labels " << labelsFile << " must be one label per "
           << "calibration sample, shape [" << samples << "], got ["
           << llvm::make_range(read->shape.begin(), read->shape.end())
           << "]";
  int64_t classes = type.getNumElements() / perRun;
  for (auto [i, label] : llvm::enumerate(read->data))
    if (label < 0 || label >= classes)
      return func.emitError()
             << "calibration labels " << labelsFile << ": label " << label
             << " of sample " << i << " is not a class of the " << classes
             << "-way output";
  labels = std::move(read->data);
  return success();
}

FailureOr<double> CalibratePass::measureTop1(FloatInterpreter &floatInterpreter,
                                             func::FuncOp func,
                                             func::FuncOp sim,
                                             double &floatAccuracy) {
  int64_t floatCorrect = 0, simCorrect = 0, total = 0;
  std::vector<ErrorStats> stats;
  auto count = [&](int64_t run, size_t point, const Buffer &ref,
                   const Buffer &values) {
    if (point != 0)
      return;
    int64_t classes = static_cast<int64_t>(ref.size()) / perRunSamples;
    for (int64_t b = 0; b < perRunSamples; ++b) {
      int64_t expected = argmax(ref.data() + b * classes, classes);
      int64_t got = argmax(values.data() + b * classes, classes);
      if (!labels.empty()) {
        int64_t label = labels[run * perRunSamples + b];
        floatCorrect += expected == label;
        simCorrect += got == label;
      } else {
        floatCorrect += 1;
        simCorrect += got == expected;
      }
      ++total;
    }
  };
  if (failed(simulate(floatInterpreter, sim, getOutputPoints(func, sim),
                      /*pin=*/false, stats, count)))
    return failure();
  floatAccuracy = 100.0 * floatCorrect / std::max<int64_t>(total, 1);
  return 100.0 * simCorrect / std::max<int64_t>(total, 1);
}

LogicalResult CalibratePass::writeReport(func::FuncOp func,
                                         const std::vector<LayerRow> &rows,
                                         const ReportSummary &summary) {
  if (layerReport == "-") {
    printLayerReportTable(llvm::errs(), rows, summary);
    return success();
  }
  std::error_code ec;
  llvm::raw_fd_ostream os(layerReport, ec, llvm::sys::fs::OF_Text);
  if (ec)
    return func.emitError() << "layer report " << layerReport
                            << ": cannot write: " << ec.message();
  writeLayerReportJson(os, rows, summary);
  return success();
}

void CalibratePass::runOnOperation() {
  func::FuncOp func = getOperation();
  if (func.isExternal())
    return;
  // A QDQ model carries its own quantization parameters.
  bool hasQuant = false, hasFloatQnn = false;
  func.walk([&](Operation *op) {
    // (MaxPool's Indices are an exact int32 converted to float: not a
    // quantization parameter of the model.)
    auto indices = [](Operation *op) {
      auto dcast = dyn_cast<quant::DequantizeCastOp>(op);
      return dcast && dcast.getInput().getDefiningOp<MaxPoolIndicesOp>();
    };
    if (isa<quant::QuantDialect>(op->getDialect()) && !indices(op))
      hasQuant = true;
    // qnn.dynamic_quantize's float scale is computed at run time.
    if (isa<QnnDialect>(op->getDialect()) && !isa<DynamicQuantizeOp>(op))
      hasFloatQnn |= llvm::any_of(op->getResultTypes(), [](Type t) {
        return cast<ShapedType>(t).getElementType().isF32();
      });
  });
  if (hasQuant) {
    // Its report has the parameters and sizes only: there is no float
    // model to compare with.
    if (!layerReport.empty() &&
        failed(writeReport(func, collectLayerRows(func), ReportSummary())))
      return signalPassFailure();
    return;
  }
  if (!hasFloatQnn)
    return;

  if (dataFile.empty()) {
    func.emitError() << "float model: calibration data is needed to quantize "
                        "it (quant-opt --calibration-data=FILE.npy, pass "
                        "option data=FILE.npy), or give a QDQ model";
    return signalPassFailure();
  }
  if (failed(checkOptions(func)))
    return signalPassFailure();
  llvm::SetVector<Operation *> keep;
  if (failed(resolveKeepFloat(func, keep)))
    return signalPassFailure();
  llvm::SetVector<Operation *> wide;
  narrowTypes.clear();
  if (failed(resolveInt16Layers(func, keep, wide)))
    return signalPassFailure();
  if (failed(FloatInterpreter::verifySupported(func)))
    return signalPassFailure();
  int64_t perRun = 1;
  if (failed(loadSamples(func, perRun)))
    return signalPassFailure();
  perRunSamples = perRun;
  if (mixedPrecisionAccuracy >= 0 && failed(loadLabels(func, perRun)))
    return signalPassFailure();

  // Record ranges.
  int64_t available = data.front().shape.front();
  int64_t used = samples > 0 ? std::min<int64_t>(samples, available)
                             : available;
  int64_t runs = used / perRun;
  if (runs == 0) {
    func.emitError() << "calibration uses " << used
                     << " samples, fewer than the " << perRun
                     << " one run of the model takes";
    return signalPassFailure();
  }
  simRuns = std::clamp<int64_t>(layerReportSamples / perRun, 1, runs);
  llvm::DenseMap<Value, MinMax> minMax;
  FloatInterpreter interpreter(func);
  if (failed(observeSamples(interpreter, runs, perRun, "calibrating",
                            [&](Value v, const Buffer &values) {
                              MinMax &range = minMax[v];
                              for (float x : values) {
                                range.min = std::min(range.min, x);
                                range.max = std::max(range.max, x);
                              }
                            })))
    return signalPassFailure();
  // Second pass of the histogram methods: one histogram per value over the
  // range the first pass found, then each method's range chooser.
  bool symmetric = activationScheme == "symmetric";
  llvm::DenseMap<Value, Range> ranges;
  for (auto &[value, mm] : minMax)
    ranges[value] = {mm.min, mm.max};
  if (method != "minmax") {
    llvm::DenseMap<Value, Histogram> histograms;
    for (auto &[value, mm] : minMax)
      histograms.try_emplace(value, mm.min, mm.max);
    if (failed(observeSamples(interpreter, runs, perRun,
                              "calibrating (histograms)",
                              [&](Value v, const Buffer &values) {
                                histograms.find(v)->second.add(values);
                              })))
      return signalPassFailure();
    for (auto &[value, hist] : histograms) {
      MinMax mm = minMax[value];
      if (method == "percentile")
        ranges[value] = choosePercentileRange(hist, percentile, mm.min, mm.max);
      else if (method == "entropy")
        ranges[value] = chooseEntropyRange(hist, symmetric, mm.min, mm.max);
      else
        ranges[value] = chooseMseRange(hist, symmetric, mm.min, mm.max);
    }
  }

  // Parameters of each activation; shape ops and max pooling keep their
  // input's parameters, and a product followed only by an activation is
  // quantized after the activation.
  llvm::DenseMap<Value, quant::UniformQuantizedType> params;
  auto paramsFor = [&](Value v) {
    Range r = ranges.lookup(v);
    AffineParams p = chooseActivationParams(r.first, r.second, symmetric);
    return getInt8Type(&getContext(), p.scale, p.zeroPoint);
  };
  // 16x8: the output point of an --int16-layers op is symmetric int16 over
  // the whole observed range (16 bits need no clipping).
  llvm::DenseSet<Value> wideOutputs;
  for (Operation *op : wide)
    wideOutputs.insert(getOutputPoint(op));
  auto int16ParamsFor = [&](Value v) {
    MinMax mm = minMax.lookup(v);
    float absMax = std::max(std::fabs(mm.min), std::fabs(mm.max));
    if (!std::isfinite(absMax))
      absMax = 0.0f;
    return getInt16Type(&getContext(), chooseSymmetricScale(absMax, 32767));
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
    // Only float results are quantized (not MaxPool's int32 Indices).
    if (!cast<ShapedType>(result.getType()).getElementType().isF32())
      continue;
    if (isa<ConvOp, GemmOp, MatMulOp>(op) && result.hasOneUse() &&
        isa<ReluOp, ClipOp>(*result.getUsers().begin()))
      continue;
    quant::UniformQuantizedType type;
    if (wideOutputs.contains(result)) {
      type = int16ParamsFor(result);
      narrowTypes[result] = paramsFor(result);
    }
    else if (isa<MaxPoolOp, FlattenOp, ReshapeOp, TransposeOp>(op) &&
             params.count(op.getOperand(0))) {
      type = params[op.getOperand(0)];
      if (auto it = narrowTypes.find(op.getOperand(0));
          it != narrowTypes.end())
        narrowTypes[result] = it->second;
    }
    else if (isa<SoftmaxOp>(op))
      // Probabilities in [0, 1): ONNX Runtime's QLinearSoftmax output type.
      type = getInt8Type(&getContext(), 1.0 / 256, -128);
    else
      type = paramsFor(result);
    params[result] = type;
    toQuantize.push_back({result, type});
  }

  // The error of each weight layer on its own: the QDQ graph with every QDQ
  // point fed the float value.
  auto layerPoints = [&](const QDQClone &clone,
                         ArrayRef<Operation *> layers) {
    SmallVector<ComparePoint> points;
    for (Operation *op : layers) {
      Value point = getOutputPoint(op);
      Value simPoint = clone.mapping.lookup(point);
      points.push_back(
          {point, simPoint,
           cast<RankedTensorType>(point.getType()).clone(params[point])});
    }
    return points;
  };
  SmallVector<Operation *> weightLayers;
  for (Operation &op : func.getBody().front())
    if (hasWeight(&op))
      weightLayers.push_back(&op);

  ReportSummary summary;
  bool byAccuracy = mixedPrecisionAccuracy >= 0;
  bool mixed = mixedPrecisionSqnr > 0 || byAccuracy;
  if (mixed) {
    QDQClone all;
    if (failed(buildClone(func, toQuantize, keep, all)))
      return signalPassFailure();
    SmallVector<Operation *> candidates;
    // An int16 layer keeps its int8 weights.
    for (Operation *op : weightLayers)
      if (!keep.contains(op) && !wide.contains(op))
        candidates.push_back(op);
    std::vector<ErrorStats> own;
    if (failed(simulate(interpreter, all.func, layerPoints(all, candidates),
                        /*pin=*/true, own)))
      return signalPassFailure();
    // Worst (lowest own SQNR) first; ties keep graph order.
    SmallVector<size_t> order(candidates.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    llvm::sort(order, [&](size_t a, size_t b) {
      double sa = own[a].sqnrDb(), sb = own[b].sqnrDb();
      return sa < sb || (sa == sb && a < b);
    });
    auto outputSqnr = [&](const QDQClone &clone,
                          ErrorStats &total) -> LogicalResult {
      std::vector<ErrorStats> stats;
      if (failed(simulate(interpreter, clone.func,
                          getOutputPoints(func, clone.func), false, stats)))
        return failure();
      total = ErrorStats();
      for (const ErrorStats &s : stats) {
        total.signal += s.signal;
        total.noise += s.noise;
        total.dot += s.dot;
        total.simSq += s.simSq;
      }
      return success();
    };
    // The budget's measure of a clone: output SQNR (dB), or top-1 accuracy
    // (percent); higher is better either way.
    double floatAccuracy = 100;
    auto measure = [&](const QDQClone &clone) -> FailureOr<double> {
      if (byAccuracy)
        return measureTop1(interpreter, func, clone.func, floatAccuracy);
      ErrorStats total;
      if (failed(outputSqnr(clone, total)))
        return failure();
      return total.sqnrDb();
    };
    // A small tolerance: accuracies are ratios of counts.
    auto met = [&](double value) {
      return byAccuracy ? floatAccuracy - value <= mixedPrecisionAccuracy + 1e-9
                        : value >= mixedPrecisionSqnr;
    };
    FailureOr<double> reached = measure(all);
    if (failed(reached))
      return signalPassFailure();
    double allInt8 = *reached;
    int64_t cap = mixedPrecisionMaxFloat < 0
                      ? static_cast<int64_t>(order.size())
                      : mixedPrecisionMaxFloat;
    SmallVector<Operation *> chosen;
    // The measure after each prefix of `chosen`: a float layer does not
    // always help (its activations stay int8), so if the budget is never
    // met the best prefix (the shortest among equals) is kept.
    SmallVector<double> afterPrefix = {*reached};
    for (size_t i = 0; i < order.size() && !met(*reached) &&
                       static_cast<int64_t>(chosen.size()) < cap;
         ++i) {
      Operation *op = candidates[order[i]];
      keep.insert(op);
      chosen.push_back(op);
      QDQClone step;
      if (failed(buildClone(func, toQuantize, keep, step)))
        return signalPassFailure();
      reached = measure(step);
      if (failed(reached))
        return signalPassFailure();
      afterPrefix.push_back(*reached);
    }
    if (!met(*reached)) {
      size_t best = 0;
      for (size_t n = 1; n < afterPrefix.size(); ++n)
        if (afterPrefix[n] > afterPrefix[best])
          best = n;
      for (Operation *op : ArrayRef(chosen).drop_front(best))
        keep.remove(op);
      chosen.resize(best);
      reached = afterPrefix[best];
    }
    summary.mixedPrecision = true;
    if (byAccuracy) {
      summary.accuracy = ReportSummary::Accuracy{
          mixedPrecisionAccuracy, !labels.empty(), floatAccuracy, allInt8,
          *reached};
    } else {
      summary.targetSqnrDb = mixedPrecisionSqnr;
    }
    for (Operation *op : keep)
      summary.floatLayers.push_back(getOnnxNodeName(op));
    if (!quiet) {
      llvm::errs() << "mixed precision: " << chosen.size()
                   << " layer(s) kept in float";
      if (!chosen.empty()) {
        llvm::errs() << " (";
        llvm::interleaveComma(chosen, llvm::errs(), [](Operation *op) {
          llvm::errs() << getOnnxNodeName(op);
        });
        llvm::errs() << ")";
      }
      if (byAccuracy)
        llvm::errs() << llvm::format(
            ": top-1 %s %.2f%% on %lld calibration samples (float %.2f%%, "
            "all int8 %.2f%%, budget %.2f points)%s\n",
            labels.empty() ? "agreement with float" : "accuracy", *reached,
            (long long)(simRuns * perRunSamples), floatAccuracy, allInt8,
            mixedPrecisionAccuracy.getValue(),
            met(*reached) ? "" : ", budget not met");
      else
        llvm::errs() << llvm::format(
            ": output SQNR %.2f dB (all int8: %.2f dB, target %.2f dB)%s\n",
            *reached, allInt8, mixedPrecisionSqnr.getValue(),
            met(*reached) ? "" : ", target not reached");
    }
  }

  if (!layerReport.empty()) {
    QDQClone clone;
    if (failed(buildClone(func, toQuantize, keep, clone)))
      return signalPassFailure();
    std::vector<LayerRow> rows = collectLayerRows(clone.func);
    // Rows are ops of the clone; compare their output points with the
    // float function's values.
    llvm::DenseMap<Value, Value> toFloat;
    for (Operation &op : func.getBody().front())
      for (Value v : op.getResults())
        toFloat[clone.mapping.lookup(v)] = v;
    SmallVector<ComparePoint> points;
    SmallVector<size_t> rowOfPoint;
    for (auto [i, row] : llvm::enumerate(rows))
      if (row.outputPoint && toFloat.count(row.outputPoint)) {
        points.push_back(
            {toFloat[row.outputPoint], row.outputPoint, row.outputQuantType});
        rowOfPoint.push_back(i);
      }
    std::vector<ErrorStats> accumulated, own, outputs;
    if (failed(simulate(interpreter, clone.func, points, false, accumulated)) ||
        failed(simulate(interpreter, clone.func, points, true, own)) ||
        failed(simulate(interpreter, clone.func,
                        getOutputPoints(func, clone.func), false, outputs)))
      return signalPassFailure();
    for (auto [i, row] : llvm::enumerate(rowOfPoint)) {
      rows[row].error = accumulated[i];
      rows[row].ownError = own[i];
    }
    ErrorStats total;
    for (const ErrorStats &s : outputs) {
      total.signal += s.signal;
      total.noise += s.noise;
      total.dot += s.dot;
      total.simSq += s.simSq;
    }
    summary.output = total;
    summary.samples = simRuns * perRun;
    if (failed(writeReport(func, rows, summary)))
      return signalPassFailure();
  }

  if (failed(rewriteToQDQ(func, toQuantize, keep, narrowTypes)))
    return signalPassFailure();
}

} // namespace
