//===- ImportOpset.cpp - Per-op ONNX opset versions -------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Which version of each op the importer accepts. A node of a model whose
// default opset is V has the semantics of the newest version of its op that
// is <= V. The importer implements the semantics of the current versions;
// an older version is accepted only where its semantics are the ones
// implemented (checked against the ONNX operator changelog), and rejected
// with the reason otherwise. Ops not listed here need opset 13.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

namespace {

/// The oldest opset of one op and why older ones are rejected.
struct OpVersion {
  StringLiteral opType;
  int64_t minOpset;
  StringLiteral olderDiffers;
};

} // namespace

/// The version table. Older versions that only added element types, or
/// attributes whose absence means the default the importer implements, are
/// accepted; the importer's attribute checks still reject an attribute the
/// old version had and the new one does not.
static constexpr OpVersion kOpVersions[] = {
    {"Add", 7,
     "before opset 7 Add broadcasts only with the 'broadcast' attribute, "
     "along 'axis' (not numpy broadcasting)"},
    {"AveragePool", 1, ""},
    {"BatchNormalization", 9,
     "before opset 9 BatchNormalization has the 'spatial' (and before "
     "opset 7 'is_test') attributes"},
    {"Clip", 6, "Clip-1 has the legacy 'consumed_inputs' attribute"},
    {"Concat", 4,
     "before opset 4 the 'axis' attribute is optional (default "
     "1)"},
    {"Constant", 1, ""},
    {"Conv", 1, ""},
    {"DequantizeLinear", 10, ""},
    {"DynamicQuantizeLinear", 11, ""},
    {"ConvInteger", 10, ""},
    {"MatMulInteger", 10, ""},
    {"Cast", 6, "Cast-1 gives 'to' as a string"},
    {"Dropout", 7,
     "before opset 7 Dropout has the 'is_test' attribute and its output "
     "depends on it"},
    {"Flatten", 1, ""},
    {"Gemm", 7,
     "before opset 7 Gemm broadcasts C only with the 'broadcast' attribute"},
    {"GlobalAveragePool", 1, ""},
    {"HardSigmoid", 6,
     "HardSigmoid-1 has the legacy 'consumed_inputs' attribute"},
    {"HardSwish", 14, ""},
    {"Identity", 1, ""},
    {"LeakyRelu", 6, "LeakyRelu-1 has the legacy 'consumed_inputs' attribute"},
    {"MatMul", 1, ""},
    {"MaxPool", 1, ""},
    {"Mul", 7,
     "before opset 7 Mul broadcasts only with the 'broadcast' attribute, "
     "along 'axis' (not numpy broadcasting)"},
    {"QLinearConv", 10, ""},
    {"QLinearMatMul", 10, ""},
    {"QuantizeLinear", 10, ""},
    {"Relu", 6, "Relu-1 has the legacy 'consumed_inputs' attribute"},
    {"Reshape", 5, "before opset 5 the shape is an attribute, not an input"},
    {"Sigmoid", 6, "Sigmoid-1 has the legacy 'consumed_inputs' attribute"},
    {"Softmax", 13,
     "before opset 13 Softmax coerces its input to 2-D at 'axis' (default "
     "1) and normalizes over all the trailing dimensions, not one axis"},
    // Before opset 13 the axes are an attribute; the importer reads both.
    {"Squeeze", 1, ""},
    {"Tanh", 6, "Tanh-1 has the legacy 'consumed_inputs' attribute"},
    {"Transpose", 1, ""},
    {"Unsqueeze", 1, ""},
};

/// The oldest opset `opType` is accepted in.
static int64_t getMinOpset(StringRef opType) {
  for (const OpVersion &entry : kOpVersions)
    if (entry.opType == opType)
      return entry.minOpset;
  return kDefaultMinOpset;
}

std::vector<SupportedONNXOp> mlir::quantopt::getSupportedONNXOps() {
  std::vector<SupportedONNXOp> ops;
  for (const auto &entry : getOpImporters())
    ops.push_back({entry.getKey().str(), getMinOpset(entry.getKey())});
  llvm::sort(ops, [](const SupportedONNXOp &a, const SupportedONNXOp &b) {
    return a.opType < b.opType;
  });
  return ops;
}

LogicalResult onnx_import::checkOpVersion(NodeImporter &node, int64_t opset) {
  StringRef opType = node.getOpType();
  int64_t minOpset = kDefaultMinOpset;
  StringRef reason = "the importer implements this op's opset 13 semantics "
                     "and has not been checked against older versions";
  for (const OpVersion &entry : kOpVersions) {
    if (entry.opType != opType)
      continue;
    minOpset = entry.minOpset;
    reason = entry.olderDiffers;
    break;
  }
  if (opset >= minOpset)
    return success();
  InFlightDiagnostic diag = node.emitError()
                            << "opset " << opset << " is not supported for "
                            << opType << " (" << minOpset << " or later)";
  if (!reason.empty())
    diag << ": " << reason;
  return diag;
}

StringRef onnx_import::getUnsupportedOpReason(StringRef opType) {
  return llvm::StringSwitch<StringRef>(opType)
      .Case("Cast", "it is supported only as the Cast(to=FLOAT) of a "
                    "MatMulInteger or ConvInteger (in ONNX Runtime's "
                    "dynamic quantization pattern, or of a QuantizeLinear's "
                    "output)")
      .Default("");
}
