//===- BundleHeader.cpp - The generated API shared by all backends -------===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The model boundary, the arena layout of the entry points and the NAME.h
// writer shared by the C (EmitCBundle) and object (EmitObject) backends.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Target/C/BundleHeader.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace mlir;
using namespace mlir::quantopt;

int64_t BundleInterface::Tensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape)
    count *= dim;
  return count;
}

//===----------------------------------------------------------------------===//
// getBundleInterface
//===----------------------------------------------------------------------===//

/// Reads one boundary tensor type; `what` names it in diagnostics.
static FailureOr<BundleInterface::Tensor>
readBoundaryTensor(Operation *func, Type type, const Twine &what) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || !tensorType.hasStaticShape())
    return func->emitError() << what << " has type " << type
                             << "; the C bundle needs a statically shaped "
                                "tensor";
  if (isa<quant::UniformQuantizedPerAxisType>(tensorType.getElementType()))
    return func->emitError() << what << " is quantized per axis (" << type
                             << "); the C bundle supports per-tensor "
                                "quantization of inputs and outputs only";
  if (tensorType.getElementType().isF32()) {
    BundleInterface::Tensor tensor;
    llvm::append_range(tensor.shape, tensorType.getShape());
    tensor.isFloat = true;
    return tensor;
  }
  auto quantType =
      dyn_cast<quant::UniformQuantizedType>(tensorType.getElementType());
  if (!quantType)
    return func->emitError() << what << " has type " << type
                             << "; the C bundle needs a tensor of "
                                "!quant.uniform<i8:f32, scale:zero_point> "
                                "or of f32";
  if (!quantType.isSigned() || quantType.getStorageTypeIntegralWidth() != 8)
    return func->emitError()
           << what << " has "
           << (quantType.isSigned() ? "signed " : "unsigned ")
           << quantType.getStorageTypeIntegralWidth()
           << "-bit storage; the C bundle needs signed 8-bit storage";
  double scale = quantType.getScale();
  if (!std::isfinite(scale) || scale <= 0.0 ||
      !std::isfinite(static_cast<float>(scale)) ||
      static_cast<float>(scale) <= 0.0f)
    return func->emitError() << what << " has scale " << scale
                             << ", which is not a positive finite float";
  BundleInterface::Tensor tensor;
  llvm::append_range(tensor.shape, tensorType.getShape());
  tensor.scale = scale;
  tensor.zeroPoint = quantType.getZeroPoint();
  tensor.storageMin = quantType.getStorageTypeMin();
  tensor.storageMax = quantType.getStorageTypeMax();
  if (tensor.zeroPoint < tensor.storageMin ||
      tensor.zeroPoint > tensor.storageMax)
    return func->emitError() << what << " has zero point " << tensor.zeroPoint
                             << " outside its storage range";
  return tensor;
}

FailureOr<BundleInterface> mlir::quantopt::getBundleInterface(Operation *op) {
  auto func = dyn_cast_or_null<FunctionOpInterface>(op);
  if (!func)
    return op ? op->emitError() << "the C bundle needs a function" : failure();
  BundleInterface iface;
  for (auto [index, type] : llvm::enumerate(func.getArgumentTypes())) {
    auto tensor = readBoundaryTensor(op, type, "input #" + Twine(index));
    if (failed(tensor))
      return failure();
    iface.inputs.push_back(std::move(*tensor));
  }
  for (auto [index, type] : llvm::enumerate(func.getResultTypes())) {
    auto tensor = readBoundaryTensor(op, type, "output #" + Twine(index));
    if (failed(tensor))
      return failure();
    iface.outputs.push_back(std::move(*tensor));
  }
  if (iface.inputs.empty() || iface.outputs.empty())
    return op->emitError() << "the C bundle needs at least one input and one "
                              "output, got "
                           << iface.inputs.size() << " and "
                           << iface.outputs.size();
  return iface;
}

//===----------------------------------------------------------------------===//
// Names, literals and the arena layout
//===----------------------------------------------------------------------===//

std::string mlir::quantopt::formatCFloatLiteral(double value, bool isFloat) {
  char buffer[48];
  for (int precision = isFloat ? 6 : 15; precision <= (isFloat ? 9 : 17);
       ++precision) {
    std::snprintf(buffer, sizeof(buffer), "%.*g", precision, value);
    bool exact = isFloat
                     ? std::strtof(buffer, nullptr) == static_cast<float>(value)
                     : std::strtod(buffer, nullptr) == value;
    if (exact)
      break;
  }
  std::string text = buffer;
  if (text.find_first_of(".e") == std::string::npos)
    text += ".0";
  return isFloat ? text + "f" : text;
}

/// A float literal for a scale (stored as double, used as float in C).
static std::string formatFloat(double value) {
  return formatCFloatLiteral(static_cast<float>(value), /*isFloat=*/true);
}

bool mlir::quantopt::isValidBundleName(StringRef name) {
  if (name.empty() || llvm::isDigit(name.front()))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

SmallVector<BundleTensorName> mlir::quantopt::getBundleTensorNames(
    StringRef name, const BundleInterface &iface, bool inputs) {
  const auto &tensors = inputs ? iface.inputs : iface.outputs;
  SmallVector<BundleTensorName> result;
  for (auto [index, tensor] : llvm::enumerate(tensors)) {
    std::string macro = (name + (inputs ? "_INPUT" : "_OUTPUT")).str();
    if (!iface.isSingle())
      macro += std::to_string(index);
    result.push_back({macro, &tensor});
  }
  return result;
}

SmallVector<int64_t>
mlir::quantopt::getBundleStagingOffsets(const BundleInterface &iface,
                                        int64_t kernelArenaSize) {
  int64_t offset = kernelArenaSize;
  SmallVector<int64_t> offsets;
  for (const auto &tensor : llvm::concat<const BundleInterface::Tensor>(
           iface.inputs, iface.outputs)) {
    offsets.push_back(offset);
    if (!tensor.isFloat)
      offset += llvm::alignTo(tensor.getNumElements(), kBundleArenaAlign);
  }
  return offsets;
}

int64_t mlir::quantopt::getBundleArenaSize(const BundleInterface &iface,
                                           int64_t kernelArenaSize) {
  int64_t arenaSize = kernelArenaSize;
  for (const auto &tensor :
       llvm::concat<const BundleInterface::Tensor>(iface.inputs, iface.outputs))
    arenaSize += llvm::alignTo(tensor.getNumElements(), kBundleArenaAlign);
  return arenaSize;
}

//===----------------------------------------------------------------------===//
// The header
//===----------------------------------------------------------------------===//

static std::string formatShape(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleave(shape, os, "x");
  return text;
}

void mlir::quantopt::writeBundleHeader(raw_ostream &os, StringRef name,
                                       const BundleInterface &iface,
                                       int64_t arenaSize) {
  bool single = iface.isSingle();
  std::string guard = ("QUANTOPT_BUNDLE_" + name + "_H").str();
  os << "/* Model \"" << name
     << "\": API generated by QuantOpt (quant-opt --emit=c). "
     << "C99; see docs/GeneratedAPI.md. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  if (!single)
    os << "#define " << name << "_NUM_INPUTS " << iface.inputs.size() << "\n"
       << "#define " << name << "_NUM_OUTPUTS " << iface.outputs.size()
       << "\n\n";
  auto writeTensor = [&](const BundleTensorName &t, StringRef kind) {
    const BundleInterface::Tensor &tensor = *t.tensor;
    if (tensor.isFloat) {
      os << "/* " << kind << ": float tensor " << formatShape(tensor.shape)
         << " (batch included, ONNX layout); the model's "
         << (kind == "Input" ? "first" : "last")
         << " layer runs in float. */\n"
         << "#define " << t.macro << "_SIZE " << tensor.getNumElements()
         << "\n";
      return;
    }
    os << "/* " << kind << ": int8 tensor " << formatShape(tensor.shape)
       << " (batch included, ONNX layout), real = scale * (q - zero_point), "
       << "q in [" << tensor.storageMin << ", " << tensor.storageMax
       << "]. */\n"
       << "#define " << t.macro << "_SIZE " << tensor.getNumElements() << "\n"
       << "#define " << t.macro << "_SCALE " << formatFloat(tensor.scale)
       << "\n"
       << "#define " << t.macro << "_ZERO_POINT "
       << (tensor.zeroPoint < 0 ? "(" + std::to_string(tensor.zeroPoint) + ")"
                                : std::to_string(tensor.zeroPoint))
       << "\n";
  };
  for (const BundleTensorName &t :
       getBundleTensorNames(name, iface, /*inputs=*/true))
    writeTensor(t, "Input");
  for (const BundleTensorName &t :
       getBundleTensorNames(name, iface, /*inputs=*/false))
    writeTensor(t, "Output");
  os << "/* Bytes of scratch memory the caller provides to either entry "
        "point. */\n"
     << "#define " << name << "_ARENA_SIZE " << arenaSize << "\n"
     << "/* Required alignment of the arena, in bytes. */\n"
     << "#define " << name << "_ARENA_ALIGN " << kBundleArenaAlign << "\n\n";

  std::string floatIn =
      single ? "const float *input"
             : ("const float *const input[" + name + "_NUM_INPUTS]").str();
  std::string floatOut =
      single ? "float *output"
             : ("float *const output[" + name + "_NUM_OUTPUTS]").str();
  std::string int8In =
      single ? "const int8_t *input"
             : ("const int8_t *const input[" + name + "_NUM_INPUTS]").str();
  std::string int8Out =
      single ? "int8_t *output"
             : ("int8_t *const output[" + name + "_NUM_OUTPUTS]").str();

  if (iface.hasFloatBoundary()) {
    os << "/* The model takes or returns float tensors: " << name
       << "_run is the API and\n"
       << " * " << name << "_run_int8 only returns 3. */\n"
       << "#define " << name << "_RUN_INT8_AVAILABLE 0\n\n"
       << "/* Runs the model on float data: int8 inputs are quantized (round "
          "half to even,\n"
       << " * saturating, as ONNX QuantizeLinear), float inputs are read as "
          "they are;\n"
       << " * int8 outputs are dequantized. `arena` is " << name
       << "_ARENA_SIZE bytes aligned to\n"
       << " * " << name << "_ARENA_ALIGN; its contents need not be "
          "initialized and are clobbered.\n"
       << " * Returns 0 on success, 1 if a pointer is NULL, 2 if the arena is "
          "misaligned.\n"
       << " * Reentrant; no allocation, no global state. */\n"
       << "int " << name << "_run(" << floatIn << ", " << floatOut
       << ", void *arena);\n\n"
       << "/* Not available for this model (a float input or output): "
          "returns 3. */\n"
       << "int " << name << "_run_int8(" << int8In << ", " << int8Out
       << ", void *arena);\n\n";
  } else {
    os << "/* Runs the model on float data: quantizes the input (round half to "
          "even,\n"
       << " * saturating, as ONNX QuantizeLinear), runs " << name
       << "_run_int8 and dequantizes\n"
       << " * the output. `arena` is " << name << "_ARENA_SIZE bytes aligned to "
       << name << "_ARENA_ALIGN; its\n"
       << " * contents need not be initialized and are clobbered. Returns 0 on "
          "success,\n"
       << " * 1 if a pointer is NULL, 2 if the arena is misaligned. Reentrant; "
          "no\n"
       << " * allocation, no global state. */\n"
       << "int " << name << "_run(" << floatIn << ", " << floatOut
       << ", void *arena);\n\n"
       << "/* Runs the model on int8 data, quantized as the _SCALE and "
          "_ZERO_POINT macros\n"
       << " * above say. Same arena and return codes as " << name
       << "_run; input, output\n"
       << " * and arena must not overlap. */\n"
       << "int " << name << "_run_int8(" << int8In << ", " << int8Out
       << ", void *arena);\n\n";
  }
  os << "#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
}

Operation *mlir::quantopt::findUnconvertedOp(Operation *module,
                                             Dialect *dialect) {
  Operation *culprit = nullptr;
  module->walk([&](Operation *op) {
    if (op == module || op->getDialect() == dialect)
      return WalkResult::advance();
    if (!culprit || isa<UnrealizedConversionCastOp>(culprit))
      culprit = op;
    return isa<UnrealizedConversionCastOp>(op) ? WalkResult::advance()
                                               : WalkResult::interrupt();
  });
  return culprit;
}

void mlir::quantopt::renameSymbolUniquely(Operation *op, Operation *module,
                                          const std::string &newName,
                                          llvm::StringSet<> &used) {
  std::string unique = newName;
  for (unsigned suffix = 1; used.contains(unique); ++suffix)
    unique = newName + "_" + std::to_string(suffix);
  used.insert(unique);
  auto attr = StringAttr::get(module->getContext(), unique);
  if (failed(SymbolTable::replaceAllSymbolUses(op, attr, module)))
    return;
  SymbolTable::setSymbolName(op, attr);
}
