//===- Npy.h - Read .npy arrays ---------------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Readers for NumPy .npy files (format 1.0-3.0, C order, little-endian):
// float32 for calibration data, integers for labels.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_NPY_H
#define QUANTOPT_SUPPORT_NPY_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir::quantopt {

/// A float32 array read from a .npy file.
struct NpyArray {
  llvm::SmallVector<int64_t> shape;
  std::vector<float> data;
};

/// An integer array read from a .npy file (labels), widened to int64.
struct NpyIntArray {
  llvm::SmallVector<int64_t> shape;
  std::vector<int64_t> data;
};

/// Reads `path`; the error names the file and the reason (wrong magic,
/// unsupported dtype or order, truncated data).
llvm::Expected<NpyArray> readNpyFloat32(llvm::StringRef path);

/// Parses an in-memory .npy file; `name` is used in error messages.
llvm::Expected<NpyArray> parseNpyFloat32(llvm::StringRef contents,
                                         llvm::StringRef name);

/// Reads `path` holding any little-endian integer dtype (int8 .. int64,
/// uint8 .. uint64), e.g. class labels; the error names the file and the
/// reason.
llvm::Expected<NpyIntArray> readNpyInt(llvm::StringRef path);

/// Parses an in-memory integer .npy file; `name` is used in error messages.
llvm::Expected<NpyIntArray> parseNpyInt(llvm::StringRef contents,
                                        llvm::StringRef name);

} // namespace mlir::quantopt

#endif // QUANTOPT_SUPPORT_NPY_H
