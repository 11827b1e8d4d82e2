//===- LayerReport.cpp - Per-layer quantization report ------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "LayerReport.h"

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

void ErrorStats::add(const std::vector<float> &f, const std::vector<float> &q) {
  for (size_t i = 0, e = std::min(f.size(), q.size()); i < e; ++i) {
    double a = f[i], b = q[i];
    signal += a * a;
    noise += (a - b) * (a - b);
    dot += a * b;
    simSq += b * b;
  }
}

double ErrorStats::sqnrDb() const {
  if (noise == 0)
    return std::numeric_limits<double>::infinity();
  if (signal == 0)
    return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

double ErrorStats::cosine() const {
  if (signal == 0 && simSq == 0)
    return 1.0;
  if (signal == 0 || simSq == 0)
    return 0.0;
  return dot / std::sqrt(signal * simSq);
}

std::string qnn::getOnnxOpType(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::string>(op)
      .Case<ConvOp>([](auto) { return "Conv"; })
      .Case<GemmOp>([](auto) { return "Gemm"; })
      .Case<MatMulOp>([](auto) { return "MatMul"; })
      .Case<AddOp>([](auto) { return "Add"; })
      .Case<BatchNormOp>([](auto) { return "BatchNormalization"; })
      .Case<ConcatOp>([](auto) { return "Concat"; })
      .Case<ReluOp>([](auto) { return "Relu"; })
      .Case<ClipOp>([](auto) { return "Clip"; })
      .Case<MaxPoolOp>([](auto) { return "MaxPool"; })
      .Case<AvgPoolOp>([](auto) { return "AveragePool"; })
      .Case<FlattenOp>([](auto) { return "Flatten"; })
      .Case<ReshapeOp>([](auto) { return "Reshape"; })
      .Case<MulOp>([](auto) { return "Mul"; })
      .Case<TransposeOp>([](auto) { return "Transpose"; })
      .Case<SoftmaxOp>([](auto) { return "Softmax"; })
      .Case<UnaryOp>([](UnaryOp op) { return op.getFunction().str(); })
      .Default([](Operation *op) {
        return op->getName().stripDialect().str();
      });
}

std::vector<std::string> qnn::getOnnxNodeNames(Operation *op) {
  std::vector<std::string> names;
  op->getLoc()->walk([&](Location loc) {
    if (auto name = dyn_cast<NameLoc>(loc))
      names.push_back(name.getName().str());
    return WalkResult::advance();
  });
  return names;
}

std::string qnn::getOnnxNodeName(Operation *op) {
  std::vector<std::string> names = getOnnxNodeNames(op);
  return names.empty() ? "" : names.front();
}

/// The per-tensor parameters `v` is dequantized with, if any.
static std::optional<ActivationParams> getDequantizedParams(Value v) {
  auto dcast = v.getDefiningOp<quant::DequantizeCastOp>();
  if (!dcast)
    return std::nullopt;
  auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
      getQuantElementType(dcast.getInput().getType()));
  if (!type)
    return std::nullopt;
  return ActivationParams{type.getScale(), type.getZeroPoint()};
}

/// The quantize-cast that quantizes `v`, if any.
static quant::QuantizeCastOp getQuantizingUser(Value v) {
  for (Operation *user : v.getUsers())
    if (auto qcast = dyn_cast<quant::QuantizeCastOp>(user))
      return qcast;
  return nullptr;
}

static int64_t getNumElements(Value v) {
  return cast<ShapedType>(v.getType()).getNumElements();
}

std::vector<LayerRow> qnn::collectLayerRows(func::FuncOp func) {
  std::vector<LayerRow> rows;
  for (Operation &op : func.getBody().front()) {
    if (!isa<QnnDialect>(op.getDialect()) || op.getNumResults() != 1)
      continue;
    bool isProduct = isa<ConvOp, GemmOp, MatMulOp>(op);
    if (isa<ReluOp, ClipOp>(op)) {
      Operation *producer = op.getOperand(0).getDefiningOp();
      if (isa_and_nonnull<ConvOp, GemmOp, MatMulOp>(producer) &&
          producer->hasOneUse())
        continue;
    }
    LayerRow row;
    row.op = &op;
    row.name = getOnnxNodeName(&op);
    row.opType = getOnnxOpType(&op);
    row.keepFloat = op.hasAttr("qnn.keep_float");
    Operation *outputOwner = &op;
    if (isProduct && op.hasOneUse() &&
        isa<ReluOp, ClipOp>(*op.getUsers().begin())) {
      outputOwner = *op.getUsers().begin();
      row.activation = getOnnxOpType(outputOwner);
    }
    // A MatMul's rhs is a weight when it is a constant (behind its
    // dcast / scast), else a second activation (attention's Q x K^T).
    bool hasWeight = isProduct;
    if (isa<MatMulOp>(op)) {
      Value rhs = op.getOperand(1);
      if (auto dcast = rhs.getDefiningOp<quant::DequantizeCastOp>())
        rhs = dcast.getInput();
      if (auto scast = rhs.getDefiningOp<quant::StorageCastOp>())
        rhs = scast.getInput();
      hasWeight = matchPattern(rhs, m_Constant());
    }
    // Activation operands: all of them, or those of a product that are not
    // its weight.
    unsigned numActivations =
        isProduct ? (hasWeight ? 1 : 2) : op.getNumOperands();
    for (unsigned i = 0; i < numActivations; ++i)
      if (auto p = getDequantizedParams(op.getOperand(i)))
        row.inputs.push_back(*p);
    if (auto qcast = getQuantizingUser(outputOwner->getResult(0))) {
      auto type = dyn_cast<quant::UniformQuantizedType>(
          getQuantElementType(qcast.getResult().getType()));
      if (type) {
        row.output = ActivationParams{type.getScale(), type.getZeroPoint()};
        row.outputPoint = outputOwner->getResult(0);
        row.outputQuantType = qcast.getResult().getType();
      }
    }
    if (hasWeight) {
      Value w = op.getOperand(1);
      row.weightElements = getNumElements(w);
      if (auto dcast = w.getDefiningOp<quant::DequantizeCastOp>()) {
        if (auto type = getQuantElementType(dcast.getInput().getType())) {
          row.weightIsInt8 = type.getStorageTypeIntegralWidth() == 8;
          for (double s : getScales(type))
            row.weightScales.push_back(s);
        }
      }
      if (op.getNumOperands() > 2 && op.getOperand(2))
        row.biasElements = getNumElements(op.getOperand(2));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

/// A JSON number, or null for +-inf / NaN (JSON has no infinities).
static llvm::json::Value finiteOrNull(double x) {
  if (std::isfinite(x))
    return x;
  return nullptr;
}

static int64_t weightBytes(const LayerRow &row) {
  return row.weightElements * (row.weightIsInt8 ? 1 : 4);
}

void qnn::writeLayerReportJson(llvm::raw_ostream &os,
                               const std::vector<LayerRow> &rows,
                               const ReportSummary &summary) {
  llvm::json::OStream j(os, 2);
  j.object([&] {
    j.attribute("samples", summary.samples);
    if (summary.output)
      j.attributeObject("final_output", [&] {
        j.attribute("sqnr_db", finiteOrNull(summary.output->sqnrDb()));
        j.attribute("cosine", summary.output->cosine());
      });
    if (summary.mixedPrecision)
      j.attributeObject("mixed_precision", [&] {
        if (const auto &acc = summary.accuracy) {
          j.attribute("metric", acc->labelled ? "top1_accuracy"
                                              : "top1_agreement_with_float");
          j.attribute("budget_points", acc->budgetPoints);
          j.attribute("float_percent", acc->floatPercent);
          j.attribute("all_int8_percent", acc->allInt8Percent);
          j.attribute("reached_percent", acc->reachedPercent);
        } else {
          j.attribute("target_sqnr_db", summary.targetSqnrDb);
        }
        j.attribute("reached_sqnr_db",
                    summary.output ? finiteOrNull(summary.output->sqnrDb())
                                   : llvm::json::Value(nullptr));
        j.attributeArray("float_layers", [&] {
          for (const std::string &name : summary.floatLayers)
            j.value(name);
        });
      });
    j.attributeArray("layers", [&] {
      for (const LayerRow &row : rows)
        j.object([&] {
          j.attribute("name", row.name);
          j.attribute("op", row.opType);
          if (!row.activation.empty())
            j.attribute("activation", row.activation);
          j.attribute("keep_float", row.keepFloat);
          j.attributeArray("inputs", [&] {
            for (const ActivationParams &p : row.inputs)
              j.object([&] {
                j.attribute("scale", p.scale);
                j.attribute("zero_point", p.zeroPoint);
              });
          });
          if (row.output)
            j.attributeObject("output", [&] {
              j.attribute("scale", row.output->scale);
              j.attribute("zero_point", row.output->zeroPoint);
            });
          if (row.weightElements) {
            j.attributeObject("weight", [&] {
              j.attribute("dtype", row.weightIsInt8 ? "int8" : "float32");
              j.attribute("bytes", weightBytes(row));
              j.attribute("channels",
                          static_cast<int64_t>(row.weightScales.size()));
              if (!row.weightScales.empty()) {
                j.attribute("scale_min", *std::min_element(
                                             row.weightScales.begin(),
                                             row.weightScales.end()));
                j.attribute("scale_max", *std::max_element(
                                             row.weightScales.begin(),
                                             row.weightScales.end()));
              }
            });
            j.attribute("bias_bytes", row.biasElements * 4);
          }
          if (row.error) {
            j.attribute("sqnr_db", finiteOrNull(row.error->sqnrDb()));
            j.attribute("cosine", row.error->cosine());
          }
          if (row.ownError)
            j.attribute("own_sqnr_db", finiteOrNull(row.ownError->sqnrDb()));
        });
    });
  });
  os << "\n";
}

static std::string formatParams(const std::optional<ActivationParams> &p) {
  if (!p)
    return "-";
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.4g", p->scale) << ":"
                              << p->zeroPoint;
  return s;
}

static std::string formatDb(double db) {
  if (std::isinf(db))
    return db > 0 ? "inf" : "-inf";
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format("%.2f", db);
  return s;
}

void qnn::printLayerReportTable(llvm::raw_ostream &os,
                                const std::vector<LayerRow> &rows,
                                const ReportSummary &summary) {
  os << "layer report";
  if (summary.samples)
    os << " (" << summary.samples << " samples simulated)";
  os << "\n";
  int nameWidth = 24;
  for (const LayerRow &row : rows)
    nameWidth = std::max(nameWidth, static_cast<int>(row.name.size()));
  os << llvm::format("%-*s %-16s %-16s %-16s %-21s %9s %7s %9s %8s\n",
                     nameWidth, "layer", "op", "input s:zp", "output s:zp",
                     "weight scales", "w bytes", "b bytes", "SQNR dB",
                     "cosine");
  for (const LayerRow &row : rows) {
    std::string op = row.opType;
    if (!row.activation.empty())
      op += "+" + row.activation;
    if (row.keepFloat)
      op += " (f32)";
    std::string weights = "-";
    if (!row.weightScales.empty()) {
      weights.clear();
      llvm::raw_string_ostream(weights) << llvm::format(
          "%.3g..%.3g",
          *std::min_element(row.weightScales.begin(), row.weightScales.end()),
          *std::max_element(row.weightScales.begin(), row.weightScales.end()));
    } else if (row.weightElements) {
      weights = "float";
    }
    std::optional<ActivationParams> in;
    if (!row.inputs.empty())
      in = row.inputs.front();
    std::string wBytes = row.weightElements
                             ? std::to_string(weightBytes(row))
                             : std::string("-");
    std::string bBytes = row.weightElements
                             ? std::to_string(row.biasElements * 4)
                             : std::string("-");
    std::string sqnr = row.error ? formatDb(row.error->sqnrDb()) : "-";
    std::string cosine = "-";
    if (row.error) {
      cosine.clear();
      llvm::raw_string_ostream(cosine)
          << llvm::format("%.5f", row.error->cosine());
    }
    os << llvm::format("%-*s %-16s %-16s %-16s %-21s %9s %7s %9s %8s\n",
                       nameWidth, row.name.c_str(), op.c_str(), formatParams(in).c_str(),
                       formatParams(row.output).c_str(), weights.c_str(),
                       wBytes.c_str(), bBytes.c_str(), sqnr.c_str(),
                       cosine.c_str());
  }
  if (summary.output)
    os << "final output: SQNR " << formatDb(summary.output->sqnrDb())
       << " dB, cosine " << llvm::format("%.5f", summary.output->cosine())
       << "\n";
  if (summary.mixedPrecision) {
    if (const auto &acc = summary.accuracy)
      os << llvm::format("mixed precision (top-1 %s %.2f%%, float %.2f%%, "
                         "budget %.2f points): float layers: ",
                         acc->labelled ? "accuracy" : "agreement",
                         acc->reachedPercent, acc->floatPercent,
                         acc->budgetPoints);
    else
      os << "mixed precision (target " << summary.targetSqnrDb
         << " dB): float layers: ";
    if (summary.floatLayers.empty())
      os << "none";
    llvm::interleaveComma(summary.floatLayers, os);
    os << "\n";
  }
}
