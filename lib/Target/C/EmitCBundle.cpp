//===- EmitCBundle.cpp - Emit a model as a C source/header pair -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Writes NAME.h (sizes, quantization parameters, entry points) and NAME.c
// (the kernel translated by upstream `translateToCpp`, made static and
// NAME-prefixed, plus the `NAME_run_int8` / `NAME_run` wrappers that carve
// the planned buffers out of the caller's arena and (de)quantize floats
// without libm). docs/GeneratedAPI.md is the user-facing contract.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Target/C/EmitCBundle.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Target/Cpp/CppEmitter.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>

using namespace mlir;
using namespace mlir::quantopt;

/// Argument attribute set by quantopt-plan-arena on arena buffers.
static constexpr StringLiteral kArenaOffsetAttr = kArenaOffsetAttrName;
/// Function attribute set by quantopt-plan-arena (dropped by upstream
/// func-to-emitc in LLVM 22, so it is only a lower bound here).
static constexpr StringLiteral kArenaSizeAttr = kArenaSizeAttrName;
/// Alignment the generated API promises for the arena (NAME_ARENA_ALIGN).
static constexpr int64_t kArenaAlign = kBundleArenaAlign;

//===----------------------------------------------------------------------===//
// C types and literals
//===----------------------------------------------------------------------===//

namespace {

/// The C spelling and byte size of a scalar type as `translateToCpp` prints
/// it.
struct CScalar {
  std::string name;
  int64_t bytes;
};

/// One kernel parameter that lives in the arena.
struct ArenaParam {
  int64_t offset;
  std::string pointerType;
};

} // namespace

static std::optional<CScalar> getCScalar(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type)) {
    unsigned width = intType.getWidth();
    if (width == 1)
      return CScalar{"bool", 1};
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return std::nullopt;
    std::string prefix = intType.isUnsigned() ? "uint" : "int";
    return CScalar{prefix + std::to_string(width) + "_t", width / 8};
  }
  if (type.isF32())
    return CScalar{"float", 4};
  if (type.isF64())
    return CScalar{"double", 8};
  // Counted at their widest (64-bit hosts); the planner does the same.
  if (isa<IndexType, emitc::SizeTType>(type))
    return CScalar{"size_t", 8};
  if (isa<emitc::PtrDiffTType>(type))
    return CScalar{"ptrdiff_t", 8};
  return std::nullopt;
}

/// The C type a kernel array parameter decays to: `T *` for rank 1,
/// `T (*)[d1]...[dn]` otherwise.
static std::string getDecayedPointerType(emitc::ArrayType type,
                                         const CScalar &scalar) {
  std::string result = scalar.name;
  if (type.getRank() == 1)
    return result + " *";
  result += " (*)";
  for (int64_t dim : type.getShape().drop_front())
    result += "[" + std::to_string(dim) + "]";
  return result;
}

//===----------------------------------------------------------------------===//
// Kernel checks and symbol renaming
//===----------------------------------------------------------------------===//

/// Checks the kernel's signature against the interface and collects the
/// arena parameters.
static LogicalResult checkKernel(emitc::FuncOp kernel,
                                 const BundleInterface &iface,
                                 SmallVectorImpl<std::string> &ioTypes,
                                 SmallVectorImpl<ArenaParam> &arena,
                                 int64_t &arenaSize) {
  if (kernel.isExternal())
    return kernel.emitError()
           << "kernel '" << kernel.getSymName() << "' has no body";
  if (kernel.getFunctionType().getNumResults() != 0)
    return kernel.emitError()
           << "kernel '" << kernel.getSymName()
           << "' returns a value; the C bundle needs outputs as out-params "
              "(buffer-results-to-out-params{modify-public-functions=1})";
  size_t numIO = iface.inputs.size() + iface.outputs.size();
  ArrayRef<Type> argTypes = kernel.getArgumentTypes();
  llvm::BitVector unusedArena(argTypes.size());
  arenaSize = 0;
  for (auto [index, type] : llvm::enumerate(argTypes)) {
    auto arrayType = dyn_cast<emitc::ArrayType>(type);
    std::optional<CScalar> scalar =
        arrayType ? getCScalar(arrayType.getElementType()) : std::nullopt;
    if (!scalar)
      return kernel.emitError()
             << "kernel argument #" << index << " has type " << type
             << "; expected an array of integers or floats";
    auto offset = kernel.getArgAttrOfType<IntegerAttr>(index, kArenaOffsetAttr);
    if (index < numIO) {
      const BundleInterface::Tensor &tensor =
          index < iface.inputs.size()
              ? iface.inputs[index]
              : iface.outputs[index - iface.inputs.size()];
      bool elementOk = tensor.isFloat
                           ? arrayType.getElementType().isF32()
                           : arrayType.getElementType().isSignlessInteger(8);
      if (offset || !elementOk ||
          arrayType.getNumElements() != tensor.getNumElements())
        return kernel.emitError()
               << "kernel argument #" << index << " has type " << type
               << "; expected the model's "
               << (index < iface.inputs.size() ? "input" : "output") << " as "
               << tensor.getNumElements()
               << (tensor.isFloat ? " f32" : " i8") << " elements";
      ioTypes.push_back(getDecayedPointerType(arrayType, *scalar));
      continue;
    }
    if (!offset || offset.getInt() < 0)
      return kernel.emitError()
             << "kernel argument #" << index << " is neither an input, an "
             << "output nor an arena buffer with '" << kArenaOffsetAttr
             << "' (run quantopt-plan-arena after "
                "buffer-results-to-out-params)";
    // A buffer only a shape was taken from (a pooling window) is unused
    // after lowering to loops: drop the parameter, or -Wextra complains.
    if (kernel.getArgument(index).use_empty()) {
      unusedArena.set(index);
      continue;
    }
    arena.push_back(
        {offset.getInt(), getDecayedPointerType(arrayType, *scalar)});
    arenaSize =
        std::max(arenaSize,
                 offset.getInt() + arrayType.getNumElements() * scalar->bytes);
  }
  if (argTypes.size() < numIO)
    return kernel.emitError()
           << "kernel has " << argTypes.size() << " arguments; expected "
           << numIO << " inputs and outputs first";
  if (failed(kernel.eraseArguments(unusedArena)))
    return kernel.emitError() << "could not drop unused arena parameters";
  // An input or output the kernel never touches stays in the signature;
  // `(void)v;` keeps -Wunused-parameter quiet.
  OpBuilder builder = OpBuilder::atBlockBegin(&kernel.getBody().front());
  for (BlockArgument arg : kernel.getArguments().take_front(numIO))
    if (arg.use_empty())
      emitc::VerbatimOp::create(builder, kernel.getLoc(), "(void){};",
                                ValueRange{arg});
  if (auto size = kernel->getAttrOfType<IntegerAttr>(kArenaSizeAttr))
    arenaSize = std::max(arenaSize, size.getInt());
  arenaSize = llvm::alignTo(arenaSize, kArenaAlign);

  // The wrapper passes `const` input memory: the kernel must not store to it.
  for (BlockArgument input :
       kernel.getArguments().take_front(iface.inputs.size())) {
    for (Operation *user : input.getUsers()) {
      auto subscript = dyn_cast<emitc::SubscriptOp>(user);
      if (!subscript)
        continue;
      for (Operation *lvalueUser : subscript->getUsers())
        if (auto assign = dyn_cast<emitc::AssignOp>(lvalueUser);
            assign && assign.getVar() == subscript.getResult())
          return assign.emitError()
                 << "the kernel writes its input #" << input.getArgNumber()
                 << "; mark the input `bufferization.writable = false` "
                    "before bufferization";
    }
  }

  // Generated code must not allocate.
  WalkResult walk = kernel.walk([](emitc::CallOpaqueOp call) {
    static constexpr StringLiteral kHeapFunctions[] = {
        "malloc", "calloc", "realloc", "aligned_alloc", "free"};
    if (llvm::is_contained(kHeapFunctions, call.getCallee())) {
      call.emitError() << "the kernel calls '" << call.getCallee()
                       << "'; every buffer must be planned in the arena "
                          "(quantopt-plan-arena)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// Prints one initializer element as a C literal; INT_MIN-style values are
/// spelled so that no literal overflows its type under -pedantic.
static std::optional<std::string> formatElement(Attribute attr) {
  if (auto intAttr = dyn_cast<IntegerAttr>(attr)) {
    auto intType = dyn_cast<IntegerType>(intAttr.getType());
    if (!intType)
      return std::nullopt;
    if (intType.getWidth() == 1)
      return std::string(intAttr.getValue().isZero() ? "false" : "true");
    if (intType.isUnsigned())
      return std::to_string(intAttr.getValue().getZExtValue()) + "u";
    APInt value = intAttr.getValue();
    if (value.isMinSignedValue() && value.getBitWidth() >= 32) {
      std::string max = std::to_string(value.getBitWidth() == 64
                                           ? INT64_MAX
                                           : static_cast<int64_t>(INT32_MAX));
      return "(-" + max + " - 1)";
    }
    return std::to_string(value.getSExtValue());
  }
  if (auto floatAttr = dyn_cast<FloatAttr>(attr)) {
    double value = floatAttr.getValueAsDouble();
    bool isFloat = floatAttr.getType().isF32();
    if (!std::isfinite(value) || (!isFloat && !floatAttr.getType().isF64()))
      return std::nullopt;
    return formatCFloatLiteral(value, isFloat);
  }
  return std::nullopt;
}

/// upstream prints a multi-dimensional array initializer as one flat brace
/// list, which `-Wall` (-Wmissing-braces) rejects in C. Each initialized
/// array global is therefore declared by the translator (initializer
/// dropped) and defined right after it by an `emitc.verbatim` with one brace
/// level per dimension, a row of the innermost dimension per line.
static void rewriteGlobalInitializers(ModuleOp module) {
  for (auto global : llvm::to_vector(module.getOps<emitc::GlobalOp>())) {
    auto arrayType = dyn_cast<emitc::ArrayType>(global.getType());
    auto init =
        dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
    std::optional<CScalar> scalar =
        arrayType ? getCScalar(arrayType.getElementType()) : std::nullopt;
    if (!arrayType || !init || !scalar || arrayType.getNumElements() == 0)
      continue;
    SmallVector<std::string> elements;
    for (Attribute element : init.getValues<Attribute>()) {
      std::optional<std::string> text = formatElement(element);
      if (!text)
        break;
      elements.push_back(std::move(*text));
    }
    if (static_cast<int64_t>(elements.size()) != arrayType.getNumElements())
      continue;

    std::string text;
    llvm::raw_string_ostream os(text);
    if (global.getStaticSpecifier())
      os << "static ";
    if (global.getConstSpecifier())
      os << "const ";
    os << scalar->name << " " << global.getSymName();
    for (int64_t dim : arrayType.getShape())
      os << "[" << dim << "]";
    os << " = ";
    ArrayRef<int64_t> shape = arrayType.getShape();
    int64_t rowLength = shape.back();
    size_t next = 0;
    // Recursive over dimensions; rows of the innermost dimension are
    // wrapped at about 80 columns.
    std::function<void(unsigned)> print = [&](unsigned dim) {
      os << "{";
      if (dim + 1 == shape.size()) {
        unsigned column = 0;
        for (int64_t i = 0; i < rowLength; ++i, ++next) {
          if (i != 0) {
            os << ",";
            if (column > 72) {
              os << "\n    ";
              column = 0;
            } else {
              os << " ";
            }
          }
          os << elements[next];
          column += elements[next].size() + 2;
        }
        os << "}";
        return;
      }
      for (int64_t i = 0; i < shape[dim]; ++i) {
        if (i != 0)
          os << (dim + 2 == shape.size() ? ",\n  " : ",\n ");
        print(dim + 1);
      }
      os << "}";
    };
    print(0);
    os << ";";
    OpBuilder builder(module.getContext());
    builder.setInsertionPointAfter(global);
    emitc::VerbatimOp::create(builder, global.getLoc(),
                              builder.getStringAttr(text));
    global.removeInitialValueAttr();
  }
}

/// Every op must be in the EmitC dialect, or translateToCpp fails with an
/// obscure message about `builtin.unrealized_conversion_cast`. Names the op
/// that was not converted (e.g. a memref.collapse_shape that
/// fold-memref-alias-ops should have removed).
static LogicalResult checkFullyConverted(ModuleOp module) {
  Operation *culprit = findUnconvertedOp(
      module, module.getContext()->getLoadedDialect<emitc::EmitCDialect>());
  if (!culprit)
    return success();
  return culprit->emitError()
         << "'" << culprit->getName()
         << "' was not converted to the EmitC dialect; see "
            "docs/GeneratedAPI.md for the pipeline the C bundle expects";
}

/// Gives every symbol of `module` internal linkage and a NAME-prefixed name
/// so that several models link into one program; the kernel becomes
/// `NAME_kernel` (the model function is called `main` before lowering).
static void renameSymbols(ModuleOp module, emitc::FuncOp kernel,
                          StringRef name) {
  llvm::StringSet<> used;
  auto rename = [&](Operation *op, const std::string &newName) {
    renameSymbolUniquely(op, module, newName, used);
  };
  rename(kernel, (name + "_kernel").str());
  kernel.setSpecifiersAttr(ArrayAttr::get(
      module.getContext(), {StringAttr::get(module.getContext(), "static")}));
  for (Operation &op : llvm::make_early_inc_range(module.getOps())) {
    if (&op == kernel.getOperation())
      continue;
    if (auto func = dyn_cast<emitc::FuncOp>(op)) {
      if (func.isExternal())
        continue; // A declaration of a C library function keeps its name.
      func.setSpecifiersAttr(
          ArrayAttr::get(module.getContext(),
                         {StringAttr::get(module.getContext(), "static")}));
    } else if (auto global = dyn_cast<emitc::GlobalOp>(op)) {
      if (global.getExternSpecifier())
        continue;
      global.setStaticSpecifier(true);
    } else {
      continue;
    }
    StringRef old = SymbolTable::getSymbolName(&op).getValue();
    rename(&op, (name + "_" + old.ltrim('_')).str());
  }
}

//===----------------------------------------------------------------------===//
// Writers
//===----------------------------------------------------------------------===//

/// The ONNX QuantizeLinear helper of the entry points: integer-only
/// rounding, no libm.
static void writeQuantizeHelper(raw_ostream &os, StringRef name) {
  os << "/* ONNX QuantizeLinear: saturate(round_half_even(x / scale) + "
        "zero_point). */\n"
     << "static int8_t " << name
     << "_quantize(float x, float scale, int32_t zero_point, int32_t qmin,\n"
     << "    int32_t qmax) {\n"
     << "  float v = x / scale;\n"
     << "  float lo = (float)(qmin - zero_point);\n"
     << "  float hi = (float)(qmax - zero_point);\n"
     << "  float frac;\n"
     << "  int32_t t;\n"
     << "  if (v != v)\n    v = 0.0f; /* NaN */\n"
     << "  if (v < lo)\n    v = lo;\n"
     << "  if (v > hi)\n    v = hi;\n"
     << "  t = (int32_t)v; /* toward zero; exact, |v| <= 255 */\n"
     << "  frac = v - (float)t;\n"
     << "  if (frac > 0.5f || (frac == 0.5f && (t & 1) != 0))\n    ++t;\n"
     << "  else if (frac < -0.5f || (frac == -0.5f && (t & 1) != 0))\n"
     << "    --t;\n"
     << "  return (int8_t)(t + zero_point);\n}\n\n";
}

/// The entry points of a model with a float input or output: NAME_run_int8
/// returns 3; NAME_run quantizes the int8 inputs into staging copies,
/// passes float tensors as they are, calls the kernel and dequantizes the
/// int8 outputs.
static void writeFloatBoundaryEntryPoints(raw_ostream &os, StringRef name,
                                          const BundleInterface &iface,
                                          ArrayRef<std::string> ioTypes,
                                          ArrayRef<ArenaParam> arena,
                                          ArrayRef<int64_t> stagingOffsets) {
  bool single = iface.isSingle();
  auto inputs = getBundleTensorNames(name, iface, /*inputs=*/true);
  auto outputs = getBundleTensorNames(name, iface, /*inputs=*/false);
  std::string inArrays =
      single ? "" : ("[" + name + "_NUM_INPUTS]").str();
  std::string outArrays =
      single ? "" : ("[" + name + "_NUM_OUTPUTS]").str();
  os << "int " << name << "_run_int8("
     << (single ? "const int8_t *input, int8_t *output"
                : "const int8_t *const input" + inArrays +
                      ", int8_t *const output" + outArrays)
     << ", void *arena) {\n"
     << "  (void)input;\n  (void)output;\n  (void)arena;\n"
     << "  return 3; /* float input or output: use " << name
     << "_run */\n}\n\n";
  auto isInt8 = [](const BundleTensorName &t) { return !t.tensor->isFloat; };
  bool anyInt8 =
      llvm::any_of(inputs, isInt8) || llvm::any_of(outputs, isInt8);
  if (llvm::any_of(inputs, isInt8))
    writeQuantizeHelper(os, name);
  os << "int " << name << "_run("
     << (single ? "const float *input, float *output"
                : "const float *const input" + inArrays +
                      ", float *const output" + outArrays)
     << ", void *arena) {\n";
  size_t numTensors = inputs.size() + outputs.size();
  if (anyInt8)
    os << "  int8_t *q[" << numTensors << "];\n  size_t i;\n";
  os << "  if (input == NULL || output == NULL || arena == NULL)\n"
     << "    return 1;\n";
  if (!single) {
    if (!anyInt8)
      os << "  size_t i;\n";
    os << "  for (i = 0; i < " << name << "_NUM_INPUTS; ++i)\n"
       << "    if (input[i] == NULL)\n      return 1;\n"
       << "  for (i = 0; i < " << name << "_NUM_OUTPUTS; ++i)\n"
       << "    if (output[i] == NULL)\n      return 1;\n";
  }
  os << "  if ((uintptr_t)arena % " << name << "_ARENA_ALIGN != 0)\n"
     << "    return 2;\n";
  auto pointer = [&](bool isInput, size_t index) {
    std::string base = isInput ? "input" : "output";
    return single ? base : base + "[" + std::to_string(index) + "]";
  };
  for (auto [index, t] : llvm::enumerate(inputs)) {
    if (t.tensor->isFloat)
      continue;
    os << "  q[" << index << "] = (int8_t *)arena + " << stagingOffsets[index]
       << ";\n"
       << "  for (i = 0; i < " << t.macro << "_SIZE; ++i)\n"
       << "    q[" << index << "][i] = " << name << "_quantize("
       << pointer(true, index) << "[i], " << t.macro << "_SCALE,\n"
       << "        " << t.macro << "_ZERO_POINT, " << t.tensor->storageMin
       << ", " << t.tensor->storageMax << ");\n";
  }
  for (auto [index, t] : llvm::enumerate(outputs))
    if (!t.tensor->isFloat)
      os << "  q[" << inputs.size() + index << "] = (int8_t *)arena + "
         << stagingOffsets[inputs.size() + index] << ";\n";
  os << "  " << name << "_kernel(";
  SmallVector<std::string> args;
  for (auto [index, type] : llvm::enumerate(ioTypes)) {
    bool isInput = index < iface.inputs.size();
    size_t local = isInput ? index : index - iface.inputs.size();
    const BundleInterface::Tensor &tensor =
        isInput ? iface.inputs[local] : iface.outputs[local];
    std::string value = tensor.isFloat ? pointer(isInput, local)
                                       : "q[" + std::to_string(index) + "]";
    args.push_back("(" + type + ")" + value);
  }
  for (const ArenaParam &param : arena)
    args.push_back("(" + param.pointerType + ")((char *)arena + " +
                   std::to_string(param.offset) + ")");
  llvm::interleave(args, os, ",\n      ");
  os << ");\n";
  for (auto [index, t] : llvm::enumerate(outputs)) {
    if (t.tensor->isFloat)
      continue;
    os << "  for (i = 0; i < " << t.macro << "_SIZE; ++i)\n"
       << "    " << pointer(false, index) << "[i] = (float)((int32_t)q["
       << inputs.size() + index << "][i] - " << t.macro << "_ZERO_POINT) *\n"
       << "        " << t.macro << "_SCALE;\n";
  }
  os << "  return 0;\n}\n";
}

static void writeSource(raw_ostream &os, StringRef name, StringRef header,
                        const BundleInterface &iface, StringRef kernelCode,
                        ArrayRef<std::string> ioTypes,
                        ArrayRef<ArenaParam> arena, int64_t kernelArenaSize,
                        bool floatKernel) {
  bool single = iface.inputs.size() == 1 && iface.outputs.size() == 1;
  auto inputs = getBundleTensorNames(name, iface, /*inputs=*/true);
  auto outputs = getBundleTensorNames(name, iface, /*inputs=*/false);

  os << "/* Model \"" << name
     << "\": generated by QuantOpt (quant-opt --emit=c). "
     << "C99, no heap, no libm. */\n";
  // Float layers: a multiply and an add must stay two rounded operations
  // (an FMA would change the last bit between compilers and targets). GCC
  // ignores the pragma; -std=c99 (or -ffp-contract=off) does the same
  // there, see docs/GeneratedAPI.md.
  if (floatKernel)
    os << "#ifdef __clang__\n#pragma STDC FP_CONTRACT OFF\n#endif\n";
  os << "#include \"" << header << "\"\n\n"
     << "#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>\n"
     << "#include <string.h>\n\n"
     << "/*===------------------------------------------------------------===*/"
        "\n/* The int8 kernel (translated from the EmitC dialect). */\n"
     << "/*===------------------------------------------------------------===*/"
        "\n\n"
     << kernelCode << "\n"
     << "/*===------------------------------------------------------------===*/"
        "\n/* Entry points. */\n"
     << "/*===------------------------------------------------------------===*/"
        "\n\n";

  // The int8 copies NAME_run stages, placed after the kernel's buffers.
  SmallVector<int64_t> stagingOffsets =
      getBundleStagingOffsets(iface, kernelArenaSize);
  if (iface.hasFloatBoundary()) {
    writeFloatBoundaryEntryPoints(os, name, iface, ioTypes, arena,
                                  stagingOffsets);
    return;
  }

  // NAME_run_int8.
  os << "int " << name << "_run_int8("
     << (single
             ? "const int8_t *input, int8_t *output"
             : ("const int8_t *const input[" + name +
                "_NUM_INPUTS], int8_t *const output[" + name + "_NUM_OUTPUTS]")
                   .str())
     << ", void *arena) {\n";
  if (single) {
    os << "  if (input == NULL || output == NULL || arena == NULL)\n"
       << "    return 1;\n";
  } else {
    os << "  size_t i;\n"
       << "  if (input == NULL || output == NULL || arena == NULL)\n"
       << "    return 1;\n"
       << "  for (i = 0; i < " << name << "_NUM_INPUTS; ++i)\n"
       << "    if (input[i] == NULL)\n      return 1;\n"
       << "  for (i = 0; i < " << name << "_NUM_OUTPUTS; ++i)\n"
       << "    if (output[i] == NULL)\n      return 1;\n";
  }
  os << "  if ((uintptr_t)arena % " << name << "_ARENA_ALIGN != 0)\n"
     << "    return 2;\n"
     << "  " << name << "_kernel(";
  SmallVector<std::string> args;
  for (auto [index, type] : llvm::enumerate(ioTypes)) {
    bool isInput = index < iface.inputs.size();
    std::string value =
        isInput
            ? (single ? std::string("input")
                      : "input[" + std::to_string(index) + "]")
            : (single ? std::string("output")
                      : "output[" +
                            std::to_string(index - iface.inputs.size()) + "]");
    args.push_back("(" + type + ")" + value);
  }
  for (const ArenaParam &param : arena)
    args.push_back("(" + param.pointerType + ")((char *)arena + " +
                   std::to_string(param.offset) + ")");
  llvm::interleave(args, os, ",\n      ");
  os << ");\n  return 0;\n}\n\n";

  // The float <-> int8 helper: integer-only rounding, no libm.
  writeQuantizeHelper(os, name);

  // NAME_run.
  os << "int " << name << "_run("
     << (single
             ? "const float *input, float *output"
             : ("const float *const input[" + name +
                "_NUM_INPUTS], float *const output[" + name + "_NUM_OUTPUTS]")
                   .str())
     << ", void *arena) {\n";
  size_t numTensors = inputs.size() + outputs.size();
  os << "  int8_t *q[" << numTensors << "];\n"
     << "  size_t i;\n"
     << "  int status;\n"
     << "  if (input == NULL || output == NULL || arena == NULL)\n"
     << "    return 1;\n";
  if (!single) {
    os << "  for (i = 0; i < " << name << "_NUM_INPUTS; ++i)\n"
       << "    if (input[i] == NULL)\n      return 1;\n"
       << "  for (i = 0; i < " << name << "_NUM_OUTPUTS; ++i)\n"
       << "    if (output[i] == NULL)\n      return 1;\n";
  }
  os << "  if ((uintptr_t)arena % " << name << "_ARENA_ALIGN != 0)\n"
     << "    return 2;\n";
  for (auto [index, stagingOffset] : llvm::enumerate(stagingOffsets))
    os << "  q[" << index << "] = (int8_t *)arena + " << stagingOffset << ";\n";
  for (auto [index, t] : llvm::enumerate(inputs)) {
    std::string src = single ? "input" : "input[" + std::to_string(index) + "]";
    os << "  for (i = 0; i < " << t.macro << "_SIZE; ++i)\n"
       << "    q[" << index << "][i] = " << name << "_quantize(" << src
       << "[i], " << t.macro << "_SCALE,\n"
       << "        " << t.macro << "_ZERO_POINT, " << t.tensor->storageMin
       << ", " << t.tensor->storageMax << ");\n";
  }
  if (single) {
    os << "  status = " << name << "_run_int8(q[0], q[1], arena);\n";
  } else {
    os << "  {\n    const int8_t *qin[" << inputs.size() << "];\n"
       << "    int8_t *qout[" << outputs.size() << "];\n";
    for (size_t i = 0; i < inputs.size(); ++i)
      os << "    qin[" << i << "] = q[" << i << "];\n";
    for (size_t i = 0; i < outputs.size(); ++i)
      os << "    qout[" << i << "] = q[" << inputs.size() + i << "];\n";
    os << "    status = " << name << "_run_int8(qin, qout, arena);\n  }\n";
  }
  os << "  if (status != 0)\n    return status;\n";
  for (auto [index, t] : llvm::enumerate(outputs)) {
    std::string dst =
        single ? "output" : "output[" + std::to_string(index) + "]";
    os << "  for (i = 0; i < " << t.macro << "_SIZE; ++i)\n"
       << "    " << dst << "[i] = (float)((int32_t)q[" << inputs.size() + index
       << "][i] - " << t.macro << "_ZERO_POINT) *\n"
       << "        " << t.macro << "_SCALE;\n";
  }
  os << "  return 0;\n}\n";
}

//===----------------------------------------------------------------------===//
// emitCBundle
//===----------------------------------------------------------------------===//

LogicalResult mlir::quantopt::emitCBundle(ModuleOp emitcModule,
                                          StringRef kernelName,
                                          const BundleInterface &iface,
                                          StringRef name, raw_ostream &cOut,
                                          raw_ostream &hOut,
                                          StringRef headerFileName) {
  if (!isValidBundleName(name))
    return emitcModule.emitError()
           << "bundle name '" << name << "' is not a C identifier";
  if (iface.inputs.empty() || iface.outputs.empty())
    return emitcModule.emitError()
           << "the bundle interface needs at least one input and one output";

  OwningOpRef<ModuleOp> module(emitcModule.clone());
  auto kernel = module->lookupSymbol<emitc::FuncOp>(kernelName);
  if (!kernel) {
    Operation *other = module->lookupSymbol(kernelName);
    return (other ? other->emitError() : module->emitError())
           << "expected the kernel '" << kernelName
           << "' as an emitc.func (run the quantopt-to-emitc pipeline)";
  }

  if (failed(checkFullyConverted(*module)))
    return failure();

  SmallVector<std::string> ioTypes;
  SmallVector<ArenaParam> arena;
  int64_t kernelArenaSize = 0;
  if (failed(checkKernel(kernel, iface, ioTypes, arena, kernelArenaSize)))
    return failure();

  renameSymbols(*module, kernel, name);
  rewriteGlobalInitializers(*module);
  std::string kernelCode;
  llvm::raw_string_ostream kernelOs(kernelCode);
  if (failed(emitc::translateToCpp(*module, kernelOs)))
    return failure();

  writeBundleHeader(hOut, name, iface,
                    getBundleArenaSize(iface, kernelArenaSize));
  std::string header =
      headerFileName.empty() ? (name + ".h").str() : headerFileName.str();
  // Whether the kernel computes in float (a float layer or a dequantize).
  bool floatKernel = false;
  kernel.walk([&](Operation *op) {
    if (llvm::any_of(op->getResultTypes(),
                     [](Type t) { return isa<FloatType>(t); }))
      floatKernel = true;
  });
  writeSource(cOut, name, header, iface, kernelCode, ioTypes, arena,
              kernelArenaSize, floatKernel);
  return success();
}
