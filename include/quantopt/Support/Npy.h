//===- Npy.h - Read float32 .npy arrays ---------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A reader for NumPy .npy files (format 1.0-3.0, C order, little-endian
// float32), used for calibration data.
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

/// Reads `path`; the error names the file and the reason (wrong magic,
/// unsupported dtype or order, truncated data).
llvm::Expected<NpyArray> readNpyFloat32(llvm::StringRef path);

/// Parses an in-memory .npy file; `name` is used in error messages.
llvm::Expected<NpyArray> parseNpyFloat32(llvm::StringRef contents,
                                         llvm::StringRef name);

} // namespace mlir::quantopt

#endif // QUANTOPT_SUPPORT_NPY_H
