//===- Pipelines.h - QuantOpt pass pipelines ----------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_PIPELINES_PIPELINES_H
#define QUANTOPT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::quantopt {

/// Options of the graph-level int8 pipeline.
struct Int8PipelineOptions : public PassPipelineOptions<Int8PipelineOptions> {
  Option<std::string> calibrationData{
      *this, "calibration-data",
      llvm::cl::desc("float32 .npy calibration samples (float models)")};
  Option<int64_t> calibrationSamples{
      *this, "calibration-samples",
      llvm::cl::desc("use at most this many samples (0: all)"),
      llvm::cl::init(0)};
  Option<std::string> calibrationMethod{
      *this, "calibration-method",
      llvm::cl::desc("range estimator: minmax | percentile | entropy | mse"),
      llvm::cl::init("minmax")};
  Option<double> calibrationPercentile{
      *this, "calibration-percentile",
      llvm::cl::desc("percentile method: central percent of values kept"),
      llvm::cl::init(99.99)};
  Option<std::string> weightGranularity{
      *this, "weight-granularity",
      llvm::cl::desc("per-channel | per-tensor"), llvm::cl::init("per-channel")};
  Option<std::string> activationScheme{
      *this, "activation-scheme",
      llvm::cl::desc("asymmetric | symmetric activations"),
      llvm::cl::init("asymmetric")};
  Option<std::string> keepFloat{
      *this, "keep-float",
      llvm::cl::desc("comma-separated ONNX node names / op types whose "
                     "weights stay float")};
  Option<std::string> int16Layers{
      *this, "int16-layers",
      llvm::cl::desc("comma-separated ONNX node names / op types whose "
                     "output activations are int16 (16x8)")};
  Option<double> mixedPrecisionSqnr{
      *this, "mixed-precision-sqnr",
      llvm::cl::desc("keep layers in float until the output SQNR (dB) "
                     "reaches this (0: off)"),
      llvm::cl::init(0.0)};
  Option<double> mixedPrecisionAccuracy{
      *this, "mixed-precision-accuracy",
      llvm::cl::desc("keep layers in float until the simulated top-1 "
                     "accuracy is within this many points of float (-1: off)"),
      llvm::cl::init(-1.0)};
  Option<std::string> calibrationLabels{
      *this, "calibration-labels",
      llvm::cl::desc("integer .npy labels of the calibration samples")};
  Option<int64_t> mixedPrecisionMaxFloat{
      *this, "mixed-precision-max-float",
      llvm::cl::desc("at most this many layers chosen (-1: all)"),
      llvm::cl::init(-1)};
  Option<std::string> layerReport{
      *this, "layer-report",
      llvm::cl::desc("per-layer report: FILE.json, or - for stderr")};
  Option<int64_t> layerReportSamples{
      *this, "layer-report-samples",
      llvm::cl::desc("samples simulated for the report and mixed precision"),
      llvm::cl::init(100)};
  Option<bool> quiet{*this, "quiet",
                     llvm::cl::desc("print no mixed-precision summary"),
                     llvm::cl::init(false)};
  Option<std::string> rounding{*this, "rounding",
                               llvm::cl::desc("requantize rounding: single | "
                                              "double"),
                               llvm::cl::init("single")};
};

/// Float or QDQ graph -> integer qnn graph: calibrate (float models only),
/// fold QDQ, compute scales, fuse, canonicalize.
void buildInt8Pipeline(OpPassManager &pm, const Int8PipelineOptions &options);

/// Integer qnn graph -> loops on memrefs in a planned arena.
void buildLowerToBuffersPipeline(OpPassManager &pm);

/// The dynamic quantization strategy (--quantization=dynamic): fold batch
/// norms, then qnn-dynamic-quantize (uses `weightGranularity` only).
void buildDynamicPipeline(OpPassManager &pm,
                          const Int8PipelineOptions &options);

/// buildLowerToBuffersPipeline, with float layers lowered too when
/// `allowFloat` (qnn-lower-to-linalg-int8{allow-float}).
void buildLowerToBuffersPipeline(OpPassManager &pm, bool allowFloat);

/// Loops on memrefs -> EmitC dialect.
void buildEmitCPipeline(OpPassManager &pm);

/// Loops on memrefs -> LLVM dialect: memref, scf, arith, cf and func lowered
/// to LLVM; statically shaped memref arguments become bare pointers
/// (`use-bare-ptr-memref-call-conv`), so `func.func @f(memref<4xi8>)` is
/// `void f(int8_t *)`. Ops already in the LLVM dialect are left alone, so it
/// can run again after more func/scf/arith code has been added.
void buildLLVMPipeline(OpPassManager &pm);

/// Registers `qnn-int8-pipeline`, `quantopt-lower-to-buffers`,
/// `quantopt-to-emitc` and `quantopt-to-llvm`.
void registerPipelines();

} // namespace mlir::quantopt

#endif // QUANTOPT_PIPELINES_PIPELINES_H
