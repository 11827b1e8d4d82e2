//===- EmitObject.h - Emit a model as an object file and header -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Turns a module lowered to loops on memrefs (one kernel function taking its
// inputs, outputs and planned arena buffers) into an ELF relocatable object
// for aarch64 or x86-64, plus the NAME.h of the C backend: the kernel and the
// NAME_run / NAME_run_int8 entry points are built in MLIR, lowered through
// the LLVM dialect and compiled by LLVM's TargetMachine. No C compiler runs.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_OBJECT_EMITOBJECT_H
#define QUANTOPT_TARGET_OBJECT_EMITOBJECT_H

#include "quantopt/Target/C/BundleHeader.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <optional>
#include <string>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir::quantopt {

/// The machine an object is compiled for.
struct ObjectTargetOptions {
  /// Target triple; only aarch64 and x86_64 ELF targets are supported. Empty:
  /// the host's default triple.
  std::string triple;
  /// LLVM CPU name; "native" is the host CPU (with its features) and is only
  /// valid when the target is the host's architecture. Empty: "generic" on
  /// aarch64, "x86-64" on x86_64.
  std::string cpu;
  /// Comma-separated LLVM features ("+neon,-dotprod") replacing the default:
  /// "+neon,+dotprod" on aarch64 when no CPU is given, else none.
  std::optional<std::string> features;
  /// aarch64 only: append "-dotprod" to the features.
  bool noDotProd = false;
};

/// Checks `options` and creates the TargetMachine (PIC, -O3). Returns null
/// and sets `error` to a one-line reason if the triple, CPU or a feature is
/// unknown or not supported.
std::unique_ptr<llvm::TargetMachine>
createObjectTargetMachine(const ObjectTargetOptions &options,
                          std::string &error);

/// Writes NAME.o (to `objOut`) and NAME.h (to `hOut`; byte-identical to the
/// C backend's header for the same model) for `module`, a module on memrefs
/// as `quantopt-lower-to-buffers` leaves it, whose `func.func @kernelName` is
/// the model: inputs, then outputs, then the arena buffers carrying
/// `quantopt.arena_offset`. The module is not modified. `name` must be a C
/// identifier. Only NAME_run and NAME_run_int8 are global symbols and the only
/// possible undefined symbols are memcpy and memset; this is checked on the
/// emitted object. Emits errors on the module's ops and returns failure if
/// the kernel does not match `iface` or cannot be compiled.
LogicalResult emitObjectBundle(ModuleOp module, StringRef kernelName,
                               const BundleInterface &iface, StringRef name,
                               llvm::TargetMachine &targetMachine,
                               raw_ostream &objOut, raw_ostream &hOut);

} // namespace mlir::quantopt

#endif // QUANTOPT_TARGET_OBJECT_EMITOBJECT_H
