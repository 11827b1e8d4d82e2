//===- LayerReport.h - Per-layer quantization report --------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The rows of the per-layer report (parameters, bytes and simulated error of
// every layer of a QDQ-form function) and its JSON and table writers.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_LAYERREPORT_H
#define QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_LAYERREPORT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::quantopt::qnn {

/// Error of a simulated tensor `q` against its float reference `f`, summed
/// over all elements of all samples.
struct ErrorStats {
  double signal = 0; ///< sum f^2
  double noise = 0;  ///< sum (f - q)^2
  double dot = 0;    ///< sum f q
  double simSq = 0;  ///< sum q^2

  void add(const std::vector<float> &f, const std::vector<float> &q);
  /// 10 log10(signal / noise); +inf without noise.
  double sqnrDb() const;
  /// <f, q> / (|f| |q|); 1 when both are zero.
  double cosine() const;
};

/// Quantization parameters of one activation.
struct ActivationParams {
  double scale;
  int64_t zeroPoint;
};

/// One layer of the report.
struct LayerRow {
  Operation *op = nullptr;
  std::string name;       ///< ONNX node name (from the op's location)
  std::string opType;     ///< ONNX op type
  std::string activation; ///< fused Relu / Clip, or empty
  bool keepFloat = false;
  std::vector<ActivationParams> inputs;
  std::optional<ActivationParams> output;
  /// The value quantized at the layer's output (the op's result, or its
  /// fused activation's), or null.
  Value outputPoint;
  Type outputQuantType; ///< the tensor type of that quantization
  int64_t weightElements = 0;
  bool weightIsInt8 = false;
  std::vector<double> weightScales;
  int64_t biasElements = 0;
  std::optional<ErrorStats> error;    ///< simulated vs float graph
  std::optional<ErrorStats> ownError; ///< same, fed the float inputs
};

/// Whole-model facts of the report.
struct ReportSummary {
  int64_t samples = 0;
  std::optional<ErrorStats> output;
  bool mixedPrecision = false;
  double targetSqnrDb = 0;
  /// Mixed precision by an accuracy budget (percent and points).
  struct Accuracy {
    double budgetPoints;
    bool labelled; ///< against labels, or agreement with float
    double floatPercent;
    double allInt8Percent;
    double reachedPercent;
  };
  std::optional<Accuracy> accuracy;
  std::vector<std::string> floatLayers;
};

/// The ONNX op type of a qnn op.
std::string getOnnxOpType(Operation *op);

/// The ONNX node names in an op's location: one NameLoc, or several in a
/// FusedLoc (a Conv with the BatchNormalization folded into it).
std::vector<std::string> getOnnxNodeNames(Operation *op);

/// The first of getOnnxNodeNames (the op's own node), or "".
std::string getOnnxNodeName(Operation *op);

/// The rows of a function in QDQ form: every qnn op, a Relu / Clip after a
/// Conv / Gemm / MatMul folded into that op's row.
std::vector<LayerRow> collectLayerRows(func::FuncOp func);

/// Writes the report as JSON.
void writeLayerReportJson(llvm::raw_ostream &os,
                          const std::vector<LayerRow> &rows,
                          const ReportSummary &summary);

/// Prints the report as a table.
void printLayerReportTable(llvm::raw_ostream &os,
                           const std::vector<LayerRow> &rows,
                           const ReportSummary &summary);

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_LAYERREPORT_H
