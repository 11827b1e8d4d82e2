//===- BundleHeader.h - The API shared by all backends ----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// What every backend (C source, LLVM objects) shares about a bundle: the
// model boundary read before lowering, the arena layout of the entry points
// and the NAME.h writer. One writer, so the C and object backends emit the
// same header byte for byte. docs/GeneratedAPI.md is the contract.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TARGET_C_BUNDLEHEADER_H
#define QUANTOPT_TARGET_C_BUNDLEHEADER_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringSet.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir::quantopt {

/// Alignment the generated API promises for the arena (NAME_ARENA_ALIGN);
/// the staging copies of NAME_run are rounded up to it too.
inline constexpr int64_t kBundleArenaAlign = 16;

/// Argument attribute set by quantopt-plan-arena on arena buffers.
inline constexpr llvm::StringLiteral kArenaOffsetAttrName =
    "quantopt.arena_offset";
/// Function attribute set by quantopt-plan-arena.
inline constexpr llvm::StringLiteral kArenaSizeAttrName = "quantopt.arena_size";

/// What the entry points need to know about the model's boundary; recorded
/// before lowering, while the quantized types are still visible.
struct BundleInterface {
  /// One per-tensor quantized int8 input or output (batch included), or a
  /// float one (`isFloat`: the model's first or last layer runs in float).
  struct Tensor {
    SmallVector<int64_t> shape;
    bool isFloat = false;
    double scale = 1.0;
    int64_t zeroPoint = 0;
    int64_t storageMin = -128, storageMax = 127;

    /// Number of elements (product of `shape`).
    int64_t getNumElements() const;
  };
  /// In function-argument order, resp. function-result order. The kernel
  /// takes the inputs, then the outputs (out-params), then arena buffers.
  SmallVector<Tensor, 1> inputs, outputs;

  /// Whether the API takes single pointers (one input and one output) rather
  /// than arrays of pointers.
  bool isSingle() const { return inputs.size() == 1 && outputs.size() == 1; }

  /// Whether an input or output is float: NAME_run then passes it to the
  /// kernel as is, and NAME_run_int8 only returns 3 (docs/GeneratedAPI.md).
  bool hasFloatBoundary() const {
    return llvm::any_of(inputs, [](const Tensor &t) { return t.isFloat; }) ||
           llvm::any_of(outputs, [](const Tensor &t) { return t.isFloat; });
  }
};

/// Reads the boundary of `func` (a FunctionOpInterface op whose arguments and
/// results are statically shaped tensors of per-tensor
/// `!quant.uniform<i8:f32, ...>` or of f32). Emits an error on `func`
/// otherwise.
FailureOr<BundleInterface> getBundleInterface(Operation *func);

/// The macro prefix of one boundary tensor ("NAME_INPUT" for the single
/// input, else "NAME_INPUT0", ...) and the tensor.
struct BundleTensorName {
  std::string macro;
  const BundleInterface::Tensor *tensor;
};

/// The macro prefixes of the inputs (`inputs`) or of the outputs.
SmallVector<BundleTensorName>
getBundleTensorNames(StringRef name, const BundleInterface &iface, bool inputs);

/// Byte offsets in the arena of the int8 copies NAME_run stages, inputs then
/// outputs, placed after the kernel's `kernelArenaSize` bytes (a multiple of
/// kBundleArenaAlign), each rounded up to kBundleArenaAlign; a float tensor
/// is not staged and takes no bytes.
SmallVector<int64_t> getBundleStagingOffsets(const BundleInterface &iface,
                                             int64_t kernelArenaSize);

/// NAME_ARENA_SIZE: the kernel's bytes plus the staging copies.
int64_t getBundleArenaSize(const BundleInterface &iface,
                           int64_t kernelArenaSize);

/// Whether `name` is a C identifier, as the bundle name must be.
bool isValidBundleName(StringRef name);

/// The shortest decimal that reads back as `value` in the type (float when
/// `isFloat`, else double), with a C suffix: 0.05 -> "0.05f".
std::string formatCFloatLiteral(double value, bool isFloat);

/// Writes NAME.h for the bundle `name` with `arenaSize` bytes of arena
/// (getBundleArenaSize).
/// Renames the symbol `op` of `module` (and all its uses) to `newName`, or
/// `newName_1`, `newName_2`, ... when that is in `used`; records the name.
void renameSymbolUniquely(Operation *op, Operation *module,
                          const std::string &newName,
                          llvm::StringSet<> &used);

/// After a lowering to `dialect`, the first op of `module` left in another
/// dialect: the unrealized casts around it are only seams, so the real
/// culprit is named in preference to them. Null when everything converted.
Operation *findUnconvertedOp(Operation *module, Dialect *dialect);

void writeBundleHeader(raw_ostream &os, StringRef name,
                       const BundleInterface &iface, int64_t arenaSize);

} // namespace mlir::quantopt

#endif // QUANTOPT_TARGET_C_BUNDLEHEADER_H
