//===- EmitObject.cpp - Emit a model as an object and header ----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The object backend: the kernel on memrefs is lowered to the LLVM dialect
// (quantopt-to-llvm), the NAME_run / NAME_run_int8 entry points are built
// next to it in func/scf/arith plus LLVM pointer ops and lowered the same
// way, then the module is translated to LLVM IR, optimized at -O3 for the
// TargetMachine and emitted as an ELF object. The header comes from the
// writer the C backend uses. docs/GeneratedAPI.md is the contract.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Target/Object/EmitObject.h"
#include "quantopt/Pipelines/Pipelines.h"
#include "quantopt/Target/C/BundleHeader.h"
#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

// The two targets QuantOpt emits objects for; libLLVM exports these entry
// points (llvm/Support/TargetSelect.h declares all of them, but initializing
// every target would only cost start-up time).
extern "C" {
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64Target();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmPrinter();
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
}

using namespace mlir;
using namespace mlir::quantopt;

/// The only undefined symbols an object may have: LLVM lowers copies and
/// fills (llvm.memcpy / llvm.memset, also formed from loops) to them.
static constexpr StringLiteral kAllowedExternals[] = {"memcpy", "memset"};

//===----------------------------------------------------------------------===//
// The target machine
//===----------------------------------------------------------------------===//

static void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
  });
}

/// Checks every "+name" / "-name" of `features` against the subtarget's
/// feature table.
static bool checkFeatures(const llvm::MCSubtargetInfo &subtarget,
                          StringRef features, StringRef arch,
                          std::string &error) {
  SmallVector<StringRef> list;
  features.split(list, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef feature : list) {
    feature = feature.trim();
    if (!feature.consume_front("+") && !feature.consume_front("-")) {
      error = ("target feature '" + feature +
               "' must start with '+' or '-' (e.g. +dotprod)")
                  .str();
      return false;
    }
    bool known = llvm::any_of(
        subtarget.getAllProcessorFeatures(),
        [&](const llvm::SubtargetFeatureKV &kv) { return feature == kv.Key; });
    if (!known) {
      error = ("unknown target feature '" + feature + "' for " + arch +
               " (llc-22 -mtriple=" + arch + " -mattr=help lists them)")
                  .str();
      return false;
    }
  }
  return true;
}

std::unique_ptr<llvm::TargetMachine>
mlir::quantopt::createObjectTargetMachine(const ObjectTargetOptions &options,
                                          std::string &error) {
  initializeTargets();
  std::string tripleName = options.triple.empty()
                               ? llvm::sys::getDefaultTargetTriple()
                               : options.triple;
  llvm::Triple triple(llvm::Triple::normalize(tripleName));
  bool isAArch64 = triple.getArch() == llvm::Triple::aarch64;
  bool isX86 = triple.getArch() == llvm::Triple::x86_64;
  if (!isAArch64 && !isX86) {
    error = "unsupported target '" + tripleName +
            "': objects are emitted for aarch64 and x86_64 only (e.g. "
            "--target=aarch64-linux-gnu or --target=x86_64-linux-gnu)";
    return nullptr;
  }
  if (!triple.isOSBinFormatELF()) {
    error = "unsupported target '" + tripleName +
            "': only ELF objects are supported (e.g. aarch64-linux-gnu, "
            "x86_64-linux-gnu, aarch64-none-elf)";
    return nullptr;
  }
  std::string lookupError;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, lookupError);
  if (!target) {
    error = "unsupported target '" + tripleName + "': " + lookupError;
    return nullptr;
  }
  StringRef arch = isAArch64 ? "aarch64" : "x86_64";

  std::string cpu = options.cpu;
  std::string features;
  if (cpu == "native") {
    llvm::Triple host(llvm::sys::getProcessTriple());
    if (host.getArch() != triple.getArch()) {
      error = ("--target-cpu=native describes the host (" + host.getArchName() +
               "), not " + arch)
                  .str();
      return nullptr;
    }
    cpu = llvm::sys::getHostCPUName().str();
    SmallVector<std::string> hostFeatures;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      hostFeatures.push_back((feature.second ? "+" : "-") +
                             feature.first().str());
    llvm::sort(hostFeatures);
    features = llvm::join(hostFeatures, ",");
  }
  if (cpu.empty())
    cpu = isAArch64 ? "generic" : "x86-64";

  if (options.features) {
    if (!features.empty() && !options.features->empty())
      features += ",";
    features += *options.features;
  } else if (isAArch64 && options.cpu.empty()) {
    features = "+neon,+dotprod";
  }
  if (options.noDotProd) {
    if (!isAArch64) {
      error = "--no-dotprod applies to aarch64 targets only";
      return nullptr;
    }
    features += features.empty() ? "-dotprod" : ",-dotprod";
  }

  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "", ""));
  if (!subtarget) {
    error = "cannot create a subtarget for '" + tripleName + "'";
    return nullptr;
  }
  if (!subtarget->isCPUStringValid(cpu)) {
    error = ("unknown target CPU '" + cpu + "' for " + arch +
             " (llc-22 -mtriple=" + arch + " -mcpu=help lists them)")
                .str();
    return nullptr;
  }
  // Host features come from LLVM's own table; only the user's are checked.
  if (options.features &&
      !checkFeatures(*subtarget, *options.features, arch, error))
    return nullptr;

  llvm::TargetOptions targetOptions;
  // Float layers: never fuse a multiply and an add into an FMA, so float
  // results are the same on every target and equal to the C backend's
  // (docs/GeneratedAPI.md).
  targetOptions.AllowFPOpFusion = llvm::FPOpFusion::Strict;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, targetOptions, llvm::Reloc::PIC_,
      llvm::CodeModel::Small, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    error = "cannot create a target machine for '" + tripleName + "'";
  return machine;
}

//===----------------------------------------------------------------------===//
// The kernel on memrefs
//===----------------------------------------------------------------------===//

namespace {
/// What the entry points need to know about the kernel.
struct KernelLayout {
  /// Byte offset in the arena of each kernel argument after the inputs and
  /// outputs.
  SmallVector<int64_t> arenaOffsets;
  /// Bytes of the arena the kernel uses, rounded up to kBundleArenaAlign.
  int64_t arenaSize = 0;
};
} // namespace


/// Checks the kernel's signature against the interface, that it never
/// writes its inputs and never allocates, and reads the arena layout. The
/// kernel's arena size counts the buffers the kernel uses exactly as the C
/// backend does, so both backends write the same NAME_ARENA_SIZE.
static LogicalResult checkKernel(ModuleOp module, func::FuncOp kernel,
                                 const BundleInterface &iface,
                                 KernelLayout &layout) {
  if (kernel.isExternal())
    return kernel.emitError()
           << "kernel '" << kernel.getSymName() << "' has no body";
  if (kernel.getNumResults() != 0)
    return kernel.emitError()
           << "kernel '" << kernel.getSymName()
           << "' returns a value; the object bundle needs outputs as "
              "out-params (buffer-results-to-out-params{"
              "modify-public-functions=1})";
  size_t numIO = iface.inputs.size() + iface.outputs.size();
  if (kernel.getNumArguments() < numIO)
    return kernel.emitError()
           << "kernel has " << kernel.getNumArguments()
           << " arguments; expected " << numIO << " inputs and outputs first";
  int64_t arenaSize = 0;
  for (auto [index, type] : llvm::enumerate(kernel.getArgumentTypes())) {
    auto memrefType = dyn_cast<MemRefType>(type);
    int64_t elementBytes =
        memrefType ? getArenaElementBytes(memrefType.getElementType()) : 0;
    if (!memrefType || !memrefType.hasStaticShape() ||
        !memrefType.getLayout().isIdentity() || elementBytes == 0)
      return kernel.emitError()
             << "kernel argument #" << index << " has type " << type
             << "; expected a statically shaped memref of integers or "
                "floats with the identity layout (run "
                "quantopt-lower-to-buffers)";
    auto offset = kernel.getArgAttrOfType<IntegerAttr>(
        static_cast<unsigned>(index), kArenaOffsetAttrName);
    if (index < numIO) {
      bool isInput = index < iface.inputs.size();
      const BundleInterface::Tensor &tensor =
          isInput ? iface.inputs[index]
                  : iface.outputs[index - iface.inputs.size()];
      bool elementOk = tensor.isFloat
                           ? memrefType.getElementType().isF32()
                           : memrefType.getElementType().isSignlessInteger(8);
      if (offset || !elementOk ||
          memrefType.getNumElements() != tensor.getNumElements())
        return kernel.emitError()
               << "kernel argument #" << index << " has type " << type
               << "; expected the model's " << (isInput ? "input" : "output")
               << " as " << tensor.getNumElements()
               << (tensor.isFloat ? " f32" : " i8") << " elements";
      continue;
    }
    if (!offset || offset.getInt() < 0)
      return kernel.emitError()
             << "kernel argument #" << index << " is neither an input, an "
             << "output nor an arena buffer with '" << kArenaOffsetAttrName
             << "' (run quantopt-plan-arena after "
                "buffer-results-to-out-params)";
    layout.arenaOffsets.push_back(offset.getInt());
    // A buffer only a shape was taken from (a pooling window) is unused
    // after lowering to loops and takes no space.
    if (!kernel.getArgument(index).use_empty())
      arenaSize =
          std::max(arenaSize, offset.getInt() +
                                  memrefType.getNumElements() * elementBytes);
  }
  layout.arenaSize = llvm::alignTo(arenaSize, kBundleArenaAlign);

  // The entry points pass `const` input memory: the kernel must not write
  // it, through the argument or a view of it.
  for (BlockArgument input :
       kernel.getArguments().take_front(iface.inputs.size())) {
    SmallVector<Value> worklist = {input};
    while (!worklist.empty()) {
      Value value = worklist.pop_back_val();
      for (Operation *user : value.getUsers()) {
        if (auto view = dyn_cast<ViewLikeOpInterface>(user);
            view && view.getViewSource() == value) {
          llvm::append_range(worklist, user->getResults());
          continue;
        }
        auto effects = dyn_cast<MemoryEffectOpInterface>(user);
        if (!effects || effects.getEffectOnValue<MemoryEffects::Write>(value))
          return user->emitError()
                 << "the kernel may write its input #" << input.getArgNumber()
                 << "; mark the input `bufferization.writable = false` "
                    "before bufferization";
      }
    }
  }

  // Generated code must not allocate; stack scratch inside loops is fine.
  WalkResult walk = module.walk([](Operation *op) {
    StringRef callee;
    if (auto call = dyn_cast<func::CallOp>(op))
      callee = call.getCallee();
    if (isa<memref::AllocOp, memref::ReallocOp>(op) ||
        llvm::is_contained(
            {"malloc", "calloc", "realloc", "aligned_alloc", "free"}, callee)) {
      op->emitError() << "'" << op->getName()
                      << "' allocates; every buffer must be planned in the "
                         "arena (quantopt-plan-arena)";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// Gives every symbol but the entry points a NAME-prefixed name (the kernel
/// becomes NAME_kernel: the model function is called `main` in the IR) and
/// private visibility; they get internal linkage after lowering.
static void renameSymbols(ModuleOp module, func::FuncOp kernel,
                          StringRef name) {
  llvm::StringSet<> used = {(name + "_run").str(), (name + "_run_int8").str()};
  auto rename = [&](Operation *op, const std::string &newName) {
    renameSymbolUniquely(op, module, newName, used);
  };
  rename(kernel, (name + "_kernel").str());
  kernel.setPrivate();
  for (Operation &op : llvm::make_early_inc_range(module.getOps())) {
    if (&op == kernel.getOperation())
      continue;
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      if (func.isExternal())
        continue; // A library function keeps its name (checked later).
      func.setPrivate();
    } else if (auto global = dyn_cast<memref::GlobalOp>(op)) {
      global.setPrivate();
    } else {
      continue;
    }
    StringRef old = SymbolTable::getSymbolName(&op).getValue();
    rename(&op, (name + "_" + old.ltrim('_')).str());
  }
}

//===----------------------------------------------------------------------===//
// The entry points
//===----------------------------------------------------------------------===//

namespace {
/// Builds NAME_run_int8 and NAME_run next to the lowered kernel, in func,
/// scf and arith with LLVM pointer ops, with the semantics of the C
/// backend's wrappers (EmitCBundle.cpp, writeSource).
class EntryPointBuilder {
public:
  EntryPointBuilder(ModuleOp module, LLVM::LLVMFuncOp kernel,
                    const BundleInterface &iface, const KernelLayout &layout,
                    StringRef name)
      : module(module), kernel(kernel), iface(iface), layout(layout),
        name(name), builder(module.getContext()), loc(kernel.getLoc()) {
    MLIRContext *context = module.getContext();
    ptrType = LLVM::LLVMPointerType::get(context);
    i1 = builder.getI1Type();
    i8 = builder.getI8Type();
    i32 = builder.getI32Type();
    i64 = builder.getI64Type();
    f32 = builder.getF32Type();
  }

  /// Appends `int NAME_run_int8(...)` (`isFloat` false) or `int NAME_run`.
  void build(bool isFloat);

private:
  Value constI32(int64_t value) {
    return arith::ConstantIntOp::create(builder, loc, i32, value);
  }
  Value constI64(int64_t value) {
    return arith::ConstantIntOp::create(builder, loc, i64, value);
  }
  Value constF32(float value) {
    return arith::ConstantFloatOp::create(builder, loc, cast<FloatType>(f32),
                                          APFloat(value));
  }
  Value isNull(Value pointer) {
    Value null = LLVM::ZeroOp::create(builder, loc, ptrType);
    return LLVM::ICmpOp::create(builder, loc, LLVM::ICmpPredicate::eq, pointer,
                                null);
  }
  Value anyOf(ArrayRef<Value> conditions) {
    Value result = conditions.front();
    for (Value condition : conditions.drop_front())
      result = arith::OrIOp::create(builder, loc, result, condition);
    return result;
  }
  /// `&((elementType *)base)[index]`.
  Value elementPointer(Value base, Type elementType, Value index) {
    return LLVM::GEPOp::create(builder, loc, ptrType, elementType, base,
                               ValueRange{index});
  }
  /// `(char *)base + offset`.
  Value bytePointer(Value base, int64_t offset) {
    if (offset == 0)
      return base;
    return elementPointer(base, i8, constI64(offset));
  }
  /// The tensor pointers of an entry point argument: the pointer itself for
  /// the single-tensor API, else the elements of the pointer array.
  SmallVector<Value> getTensorPointers(Value argument, size_t count) {
    if (iface.isSingle())
      return {argument};
    SmallVector<Value> pointers;
    for (size_t i = 0; i < count; ++i)
      pointers.push_back(
          LLVM::LoadOp::create(builder, loc, ptrType,
                               elementPointer(argument, ptrType, constI64(i))));
    return pointers;
  }
  /// `scf.if cond -> i32 { yield code } else { <else> }`; leaves the
  /// insertion point at the start of the else block and returns the if.
  scf::IfOp buildEarlyReturn(Value condition, int64_t code) {
    auto ifOp = scf::IfOp::create(builder, loc, TypeRange{i32}, condition,
                                  /*withElseRegion=*/true);
    builder.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(builder, loc, constI32(code));
    builder.setInsertionPointToStart(ifOp.elseBlock());
    return ifOp;
  }
  /// `for (i = 0; i < count; ++i) body(i)`, i of type i64.
  void buildLoop(int64_t count, function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(builder, loc, constI64(0), constI64(count),
                                   constI64(1));
    OpBuilder::InsertionGuard guard(builder);
    builder.setInsertionPoint(loop.getBody()->getTerminator());
    body(loop.getInductionVar());
  }
  /// ONNX QuantizeLinear of one float, as the C backend's NAME_quantize:
  /// saturate(round_half_even(x / scale) + zero_point) in float32 with
  /// integer rounding, NaN -> zero point.
  Value quantize(Value x, const BundleInterface::Tensor &tensor);
  /// DequantizeLinear: (float)((int32_t)q - zero_point) * scale.
  Value dequantize(Value q, const BundleInterface::Tensor &tensor);
  /// Calls the kernel on the given tensors and the planned arena buffers.
  void callKernel(ArrayRef<Value> inputs, ArrayRef<Value> outputs, Value arena);

  ModuleOp module;
  LLVM::LLVMFuncOp kernel;
  const BundleInterface &iface;
  const KernelLayout &layout;
  StringRef name;
  OpBuilder builder;
  Location loc;
  Type ptrType, i1, i8, i32, i64, f32;
};
} // namespace

Value EntryPointBuilder::quantize(Value x,
                                  const BundleInterface::Tensor &tensor) {
  auto zeroPoint = static_cast<int32_t>(tensor.zeroPoint);
  auto cmp = [&](arith::CmpFPredicate predicate, Value a, Value b) {
    return arith::CmpFOp::create(builder, loc, predicate, a, b);
  };
  auto select = [&](Value condition, Value a, Value b) {
    return arith::SelectOp::create(builder, loc, condition, a, b);
  };
  Value scale = constF32(static_cast<float>(tensor.scale));
  Value lo = constF32(static_cast<float>(tensor.storageMin - zeroPoint));
  Value hi = constF32(static_cast<float>(tensor.storageMax - zeroPoint));
  Value v = arith::DivFOp::create(builder, loc, x, scale);
  // if (v != v) v = 0; if (v < lo) v = lo; if (v > hi) v = hi;
  v = select(cmp(arith::CmpFPredicate::UNE, v, v), constF32(0.0f), v);
  v = select(cmp(arith::CmpFPredicate::OLT, v, lo), lo, v);
  v = select(cmp(arith::CmpFPredicate::OGT, v, hi), hi, v);
  // t = (int32_t)v (toward zero, exact: |v| <= 255); frac = v - (float)t.
  Value t = arith::FPToSIOp::create(builder, loc, i32, v);
  Value frac = arith::SubFOp::create(
      builder, loc, v, arith::SIToFPOp::create(builder, loc, f32, t));
  Value odd = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(builder, loc, t, constI32(1)), constI32(0));
  Value half = constF32(0.5f), minusHalf = constF32(-0.5f);
  Value up = arith::OrIOp::create(
      builder, loc, cmp(arith::CmpFPredicate::OGT, frac, half),
      arith::AndIOp::create(builder, loc,
                            cmp(arith::CmpFPredicate::OEQ, frac, half), odd));
  Value down = arith::OrIOp::create(
      builder, loc, cmp(arith::CmpFPredicate::OLT, frac, minusHalf),
      arith::AndIOp::create(
          builder, loc, cmp(arith::CmpFPredicate::OEQ, frac, minusHalf), odd));
  Value rounded = select(
      up, arith::AddIOp::create(builder, loc, t, constI32(1)),
      select(down, arith::SubIOp::create(builder, loc, t, constI32(1)), t));
  Value shifted =
      arith::AddIOp::create(builder, loc, rounded, constI32(zeroPoint));
  return arith::TruncIOp::create(builder, loc, i8, shifted);
}

Value EntryPointBuilder::dequantize(Value q,
                                    const BundleInterface::Tensor &tensor) {
  Value wide = arith::ExtSIOp::create(builder, loc, i32, q);
  Value centered = arith::SubIOp::create(
      builder, loc, wide, constI32(static_cast<int32_t>(tensor.zeroPoint)));
  Value real = arith::SIToFPOp::create(builder, loc, f32, centered);
  return arith::MulFOp::create(builder, loc, real,
                               constF32(static_cast<float>(tensor.scale)));
}

void EntryPointBuilder::callKernel(ArrayRef<Value> inputs,
                                   ArrayRef<Value> outputs, Value arena) {
  SmallVector<Value> args(inputs);
  llvm::append_range(args, outputs);
  for (int64_t offset : layout.arenaOffsets)
    args.push_back(bytePointer(arena, offset));
  LLVM::CallOp::create(builder, loc, kernel, args);
}

void EntryPointBuilder::build(bool isFloat) {
  MLIRContext *context = module.getContext();
  builder.setInsertionPointToEnd(module.getBody());
  std::string symbol = (name + (isFloat ? "_run" : "_run_int8")).str();
  auto func = func::FuncOp::create(
      builder, loc, symbol,
      FunctionType::get(context, {ptrType, ptrType, ptrType}, {i32}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  Value input = func.getArgument(0), output = func.getArgument(1),
        arena = func.getArgument(2);
  if (!isFloat && iface.hasFloatBoundary()) {
    // A float input or output: NAME_run_int8 is not available (as in C).
    func::ReturnOp::create(builder, loc, constI32(3));
    return;
  }

  // 1: a NULL pointer (an argument, then an element of the arrays).
  scf::IfOp outer = buildEarlyReturn(
      anyOf({isNull(input), isNull(output), isNull(arena)}), 1);
  SmallVector<Value> inputs = getTensorPointers(input, iface.inputs.size());
  SmallVector<Value> outputs = getTensorPointers(output, iface.outputs.size());
  scf::IfOp elements;
  if (!iface.isSingle()) {
    SmallVector<Value> nulls;
    for (Value pointer : llvm::concat<Value>(inputs, outputs))
      nulls.push_back(isNull(pointer));
    elements = buildEarlyReturn(anyOf(nulls), 1);
  }
  // 2: a misaligned arena.
  Value address = LLVM::PtrToIntOp::create(builder, loc, i64, arena);
  Value misaligned = arith::CmpIOp::create(
      builder, loc, arith::CmpIPredicate::ne,
      arith::AndIOp::create(builder, loc, address,
                            constI64(kBundleArenaAlign - 1)),
      constI64(0));
  scf::IfOp aligned = buildEarlyReturn(misaligned, 2);

  if (!isFloat) {
    callKernel(inputs, outputs, arena);
  } else {
    // Quantize into the staging copies after the kernel's buffers, run,
    // dequantize.
    SmallVector<int64_t> staging =
        getBundleStagingOffsets(iface, layout.arenaSize);
    SmallVector<Value> stagedInputs, stagedOutputs;
    // Float tensors (a float first or last layer) are passed as they are.
    for (auto [index, tensor] : llvm::enumerate(iface.inputs)) {
      if (tensor.isFloat) {
        stagedInputs.push_back(inputs[index]);
        continue;
      }
      Value stage = bytePointer(arena, staging[index]);
      stagedInputs.push_back(stage);
      Value source = inputs[index];
      const BundleInterface::Tensor &t = tensor;
      buildLoop(tensor.getNumElements(), [&](Value i) {
        Value x = LLVM::LoadOp::create(builder, loc, f32,
                                       elementPointer(source, f32, i));
        LLVM::StoreOp::create(builder, loc, quantize(x, t),
                              elementPointer(stage, i8, i));
      });
    }
    for (size_t index = 0; index < iface.outputs.size(); ++index)
      stagedOutputs.push_back(
          iface.outputs[index].isFloat
              ? outputs[index]
              : bytePointer(arena, staging[iface.inputs.size() + index]));
    callKernel(stagedInputs, stagedOutputs, arena);
    for (auto [index, tensor] : llvm::enumerate(iface.outputs)) {
      if (tensor.isFloat)
        continue;
      Value stage = stagedOutputs[index], target = outputs[index];
      const BundleInterface::Tensor &t = tensor;
      buildLoop(tensor.getNumElements(), [&](Value i) {
        Value q = LLVM::LoadOp::create(builder, loc, i8,
                                       elementPointer(stage, i8, i));
        LLVM::StoreOp::create(builder, loc, dequantize(q, t),
                              elementPointer(target, f32, i));
      });
    }
  }
  scf::YieldOp::create(builder, loc, constI32(0));

  // Close the nested ifs from the inside out: each else block yields the
  // result of the if nested in it.
  if (elements) {
    builder.setInsertionPointToEnd(elements.elseBlock());
    scf::YieldOp::create(builder, loc, aligned.getResult(0));
  }
  builder.setInsertionPointToEnd(outer.elseBlock());
  scf::YieldOp::create(builder, loc,
                       (elements ? elements : aligned).getResult(0));
  builder.setInsertionPointToEnd(entry);
  func::ReturnOp::create(builder, loc, outer.getResult(0));
}

//===----------------------------------------------------------------------===//
// LLVM IR, optimization and code generation
//===----------------------------------------------------------------------===//

/// Every op must be in the LLVM dialect before translation; names the first
/// one that is not (casts are only the seams around it).
static LogicalResult checkFullyLowered(ModuleOp module) {
  Operation *culprit = findUnconvertedOp(
      module, module.getContext()->getLoadedDialect<LLVM::LLVMDialect>());
  if (!culprit)
    return success();
  return culprit->emitError()
         << "'" << culprit->getName()
         << "' was not lowered to the LLVM dialect (quantopt-to-llvm); see "
            "docs/GeneratedAPI.md for the pipeline the object bundle expects";
}

/// Runs LLVM's -O3 module pipeline for the target (vectorizers included).
static void optimize(llvm::Module &module, llvm::TargetMachine &machine) {
  llvm::LoopAnalysisManager loopAnalyses;
  llvm::FunctionAnalysisManager functionAnalyses;
  llvm::CGSCCAnalysisManager cgsccAnalyses;
  llvm::ModuleAnalysisManager moduleAnalyses;
  // As clang -O3: PipelineTuningOptions leaves the SLP vectorizer off by
  // default, and the register tiles of quantopt-tile-accumulators need it
  // (their fully unrolled rows become vectors only through SLP).
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  tuning.LoopInterleaving = true;
  tuning.LoopUnrolling = true;
  llvm::PassBuilder passBuilder(&machine, tuning);
  passBuilder.registerModuleAnalyses(moduleAnalyses);
  passBuilder.registerCGSCCAnalyses(cgsccAnalyses);
  passBuilder.registerFunctionAnalyses(functionAnalyses);
  passBuilder.registerLoopAnalyses(loopAnalyses);
  passBuilder.crossRegisterProxies(loopAnalyses, functionAnalyses,
                                   cgsccAnalyses, moduleAnalyses);
  llvm::ModulePassManager passes =
      passBuilder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
  passes.run(module, moduleAnalyses);
}

/// Checks the object's symbol table: only the entry points are global
/// definitions, and nothing but memcpy/memset is undefined.
static LogicalResult checkObjectSymbols(ModuleOp module, StringRef object,
                                        StringRef name) {
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, name));
  if (!file)
    return module.emitError() << "cannot read back the emitted object: "
                              << llvm::toString(file.takeError());
  std::string run = (name + "_run").str(), runInt8 = (name + "_run_int8").str();
  for (const llvm::object::SymbolRef &symbol : (*file)->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    llvm::Expected<StringRef> symbolName = symbol.getName();
    if (!flags || !symbolName) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(symbolName.takeError());
      return module.emitError() << "cannot read the emitted object's symbols";
    }
    if (*flags & llvm::object::SymbolRef::SF_FormatSpecific ||
        symbolName->empty())
      continue;
    if (*flags & llvm::object::SymbolRef::SF_Undefined) {
      if (!llvm::is_contained(kAllowedExternals, *symbolName))
        return module.emitError()
               << "the object needs the external symbol '" << *symbolName
               << "'; only memcpy and memset may be undefined";
      continue;
    }
    if ((*flags & llvm::object::SymbolRef::SF_Global) && *symbolName != run &&
        *symbolName != runInt8)
      return module.emitError()
             << "the object defines the global symbol '" << *symbolName
             << "'; only " << run << " and " << runInt8 << " may be global";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// emitObjectBundle
//===----------------------------------------------------------------------===//

LogicalResult
mlir::quantopt::emitObjectBundle(ModuleOp bufferModule, StringRef kernelName,
                                 const BundleInterface &iface, StringRef name,
                                 llvm::TargetMachine &targetMachine,
                                 raw_ostream &objOut, raw_ostream &hOut) {
  if (!isValidBundleName(name))
    return bufferModule.emitError()
           << "bundle name '" << name << "' is not a C identifier";
  if (iface.inputs.empty() || iface.outputs.empty())
    return bufferModule.emitError()
           << "the bundle interface needs at least one input and one output";

  OwningOpRef<ModuleOp> module(bufferModule.clone());
  MLIRContext *context = module->getContext();
  auto kernelFunc = module->lookupSymbol<func::FuncOp>(kernelName);
  if (!kernelFunc) {
    Operation *other = module->lookupSymbol(kernelName);
    return (other ? other->emitError() : module->emitError())
           << "expected the kernel '" << kernelName
           << "' as a func.func on memrefs (run quantopt-lower-to-buffers)";
  }
  KernelLayout layout;
  if (failed(checkKernel(*module, kernelFunc, iface, layout)))
    return failure();

  // The planner's attributes (offsets, arena statistics) and the
  // importer's names and provenance mean nothing to LLVM IR.
  renameSymbols(*module, kernelFunc, name);
  for (unsigned i = 0, e = kernelFunc.getNumArguments(); i < e; ++i)
    kernelFunc.setArgAttrs(i, ArrayRef<NamedAttribute>{});
  kernelFunc->setDiscardableAttrs(DictionaryAttr::get(context));
  for (NamedAttribute attr :
       llvm::to_vector(module->getOperation()->getDiscardableAttrs()))
    if (!attr.getName().getValue().starts_with("llvm.") &&
        !attr.getName().getValue().starts_with("dlti."))
      module->getOperation()->removeDiscardableAttr(attr.getName());
  std::string kernelSymbol = kernelFunc.getSymName().str();

  // The kernel to the LLVM dialect.
  context->getOrLoadDialect<LLVM::LLVMDialect>();
  context->getOrLoadDialect<scf::SCFDialect>();
  context->getOrLoadDialect<arith::ArithDialect>();
  {
    PassManager pm(context);
    buildLLVMPipeline(pm);
    if (failed(pm.run(*module)))
      return failure();
  }
  auto kernel = module->lookupSymbol<LLVM::LLVMFuncOp>(kernelSymbol);
  if (!kernel)
    return module->emitError() << "the kernel '" << kernelSymbol
                               << "' was not lowered to llvm.func";
  // Inputs, outputs and the arena do not overlap (docs/GeneratedAPI.md); the
  // arena buffers may (the planner reuses dead bytes). One copy of the
  // kernel serves both entry points.
  Builder attrBuilder(context);
  for (size_t i = 0, e = iface.inputs.size() + iface.outputs.size(); i < e;
       ++i) {
    auto index = static_cast<unsigned>(i);
    kernel.setArgAttr(index, LLVM::LLVMDialect::getNoAliasAttrName(),
                      attrBuilder.getUnitAttr());
    if (i < iface.inputs.size())
      kernel.setArgAttr(index, LLVM::LLVMDialect::getReadonlyAttrName(),
                        attrBuilder.getUnitAttr());
  }
  kernel.setNoInlineAttr(attrBuilder.getUnitAttr());

  // The entry points, lowered the same way.
  EntryPointBuilder entryPoints(*module, kernel, iface, layout, name);
  entryPoints.build(/*isFloat=*/false);
  entryPoints.build(/*isFloat=*/true);
  {
    PassManager pm(context);
    buildLLVMPipeline(pm);
    if (failed(pm.run(*module)))
      return failure();
  }
  if (failed(checkFullyLowered(*module)))
    return failure();

  // Linkage: everything but the entry points is internal; the only
  // declarations allowed are the C library's memcpy and memset.
  std::string run = (name + "_run").str(), runInt8 = (name + "_run_int8").str();
  for (auto func : module->getOps<LLVM::LLVMFuncOp>()) {
    if (func.isExternal()) {
      if (!llvm::is_contained(kAllowedExternals, func.getSymName()))
        return func.emitError()
               << "the kernel calls '" << func.getSymName()
               << "'; the object may only call memcpy and memset";
      continue;
    }
    if (func.getSymName() != run && func.getSymName() != runInt8)
      func.setLinkage(LLVM::Linkage::Internal);
  }
  for (auto global : module->getOps<LLVM::GlobalOp>())
    global.setLinkage(LLVM::Linkage::Internal);

  // Translate, optimize for the target, emit.
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, name);
  if (!llvmModule)
    return module->emitError() << "translation to LLVM IR failed";
  llvmModule->setTargetTriple(targetMachine.getTargetTriple());
  llvmModule->setDataLayout(targetMachine.createDataLayout());
  llvmModule->setPICLevel(llvm::PICLevel::BigPIC);
  optimize(*llvmModule, targetMachine);

  SmallString<0> object;
  {
    llvm::raw_svector_ostream objectStream(object);
    llvm::legacy::PassManager codegen;
    if (targetMachine.addPassesToEmitFile(codegen, objectStream, nullptr,
                                          llvm::CodeGenFileType::ObjectFile))
      return module->emitError()
             << "the target machine cannot emit object files";
    codegen.run(*llvmModule);
  }
  if (failed(checkObjectSymbols(*module, object, name)))
    return failure();

  writeBundleHeader(hOut, name, iface,
                    getBundleArenaSize(iface, layout.arenaSize));
  objOut << object;
  return success();
}
