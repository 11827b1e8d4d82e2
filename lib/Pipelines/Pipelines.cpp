//===- Pipelines.cpp - QuantOpt pass pipelines --------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The pipelines from an imported graph to the EmitC and LLVM dialects.
// Upstream steps are spelled as textual pipelines so that
// `--dump-pass-pipeline` shows exactly what runs.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Pipelines/Pipelines.h"
#include "quantopt/Conversion/Passes.h"
#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;
using namespace mlir::quantopt;

/// Appends a textual pipeline; the strings are fixed, so a parse failure is a
/// programming error.
static void addTextualPipeline(OpPassManager &pm, StringRef pipeline) {
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    llvm::report_fatal_error("invalid built-in pipeline");
}

void mlir::quantopt::buildInt8Pipeline(OpPassManager &pm,
                                       const Int8PipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(qnn::createFoldBatchNormPass());
  pm.addNestedPass<func::FuncOp>(qnn::createFoldBiasAddPass());
  qnn::CalibratePassOptions calib;
  calib.dataFile = options.calibrationData;
  calib.samples = options.calibrationSamples;
  calib.method = options.calibrationMethod;
  calib.percentile = options.calibrationPercentile;
  calib.weightGranularity = options.weightGranularity;
  calib.activationScheme = options.activationScheme;
  calib.keepFloat = options.keepFloat;
  calib.int16Layers = options.int16Layers;
  calib.mixedPrecisionSqnr = options.mixedPrecisionSqnr;
  calib.mixedPrecisionMaxFloat = options.mixedPrecisionMaxFloat;
  calib.mixedPrecisionAccuracy = options.mixedPrecisionAccuracy;
  calib.labelsFile = options.calibrationLabels;
  calib.layerReport = options.layerReport;
  calib.layerReportSamples = options.layerReportSamples;
  calib.quiet = options.quiet;
  pm.addNestedPass<func::FuncOp>(qnn::createCalibratePass(calib));
  qnn::FoldQDQPassOptions fold;
  fold.rounding = options.rounding;
  pm.addNestedPass<func::FuncOp>(qnn::createFoldQDQPass(fold));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(qnn::createComputeScalesPass());
  pm.addNestedPass<func::FuncOp>(qnn::createFusePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::quantopt::buildDynamicPipeline(OpPassManager &pm,
                                          const Int8PipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(qnn::createFoldBatchNormPass());
  pm.addNestedPass<func::FuncOp>(qnn::createFoldBiasAddPass());
  qnn::DynamicQuantizePassOptions dynamic;
  dynamic.weightGranularity = options.weightGranularity;
  pm.addNestedPass<func::FuncOp>(qnn::createDynamicQuantizePass(dynamic));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::quantopt::buildLowerToBuffersPipeline(OpPassManager &pm) {
  buildLowerToBuffersPipeline(pm, /*allowFloat=*/false);
}

void mlir::quantopt::buildLowerToBuffersPipeline(OpPassManager &pm,
                                                 bool allowFloat) {
  LowerToLinalgInt8PassOptions lowering;
  lowering.allowFloat = allowFloat;
  pm.addPass(createLowerToLinalgInt8Pass(lowering));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Each int32 accumulator is computed one output plane at a time, right
  // before its requantize; buffer-loop-hoisting below moves the plane's
  // buffer out of the loop, where the arena planner places it.
  pm.addNestedPass<func::FuncOp>(createFuseRequantizePass());
  pm.addPass(createCanonicalizerPass());
  addTextualPipeline(
      pm, "eliminate-empty-tensors,"
          "one-shot-bufferize{bufferize-function-boundaries=1 buffer-alignment=0 "
          "function-boundary-type-conversion=identity-layout-map},"
          "buffer-results-to-out-params{modify-public-functions=1 "
          "hoist-static-allocs=1},cse,canonicalize,"
          "func.func(buffer-loop-hoisting)");
  pm.addNestedPass<func::FuncOp>(createPlanArenaPass());
  addTextualPipeline(pm, "func.func(convert-linalg-to-loops,"
                         "quantopt-promote-accumulators),fold-memref-alias-ops,"
                         "lower-affine,"
                         "canonicalize,cse");
}

void mlir::quantopt::buildEmitCPipeline(OpPassManager &pm) {
  addTextualPipeline(pm, "func.func(quantopt-scalar-buffers-to-1d),"
                         "arith-expand,convert-to-emitc,canonicalize");
}

void mlir::quantopt::buildLLVMPipeline(OpPassManager &pm) {
  // quantopt-tile-accumulators: accumulation rows as vectors carried in
  // registers across their reduction loops (vector ops, so objects only;
  // convert-vector-to-llvm lowers them). arith-expand: floordivsi/ceildivsi
  // (flatten index math) have no direct LLVM lowering. expand-strided-metadata: any view left by
  // fold-memref-alias-ops. A memref.copy of whole contiguous buffers becomes
  // llvm.intr.memcpy; the planner leaves no other kind (rewriteViewCopies).
  addTextualPipeline(
      pm, "func.func(quantopt-tile-accumulators),"
          "arith-expand,convert-scf-to-cf,expand-strided-metadata,"
          "lower-affine,convert-vector-to-llvm,finalize-memref-to-llvm,"
          "convert-arith-to-llvm,"
          "convert-cf-to-llvm,"
          "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1},"
          "convert-ub-to-llvm,reconcile-unrealized-casts,canonicalize,cse");
}

void mlir::quantopt::registerPipelines() {
  PassPipelineRegistration<Int8PipelineOptions>(
      "qnn-int8-pipeline",
      "Float or QDQ qnn graph to the integer qnn graph (calibrate, fold QDQ, "
      "compute scales, fuse)",
      buildInt8Pipeline);
  PassPipelineRegistration<Int8PipelineOptions>(
      "qnn-dynamic-pipeline",
      "Float qnn graph to dynamic quantization (int8 Gemm/MatMul weights, "
      "inputs quantized at run time, every other op in float)",
      buildDynamicPipeline);
  PassPipelineRegistration<>(
      "quantopt-lower-to-buffers",
      "Integer qnn graph to loops on memrefs in a planned arena",
      [](OpPassManager &pm) { buildLowerToBuffersPipeline(pm); });
  PassPipelineRegistration<>("quantopt-to-emitc",
                             "Loops on memrefs to the EmitC dialect",
                             buildEmitCPipeline);
  PassPipelineRegistration<>(
      "quantopt-to-llvm",
      "Loops on memrefs to the LLVM dialect (bare-pointer memref arguments)",
      buildLLVMPipeline);
}
