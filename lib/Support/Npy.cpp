//===- Npy.cpp - Read float32 .npy arrays -------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cstring>
#include <limits>

using namespace mlir::quantopt;
using llvm::StringRef;

static llvm::Error npyError(StringRef name, const llvm::Twine &reason) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + reason);
}

/// Returns the value text of `'key':` in the header dictionary.
static StringRef findHeaderValue(StringRef header, StringRef key) {
  std::string quoted = ("'" + key + "'").str();
  size_t pos = header.find(quoted);
  if (pos == StringRef::npos)
    return {};
  StringRef rest = header.drop_front(pos + quoted.size()).ltrim();
  if (!rest.consume_front(":"))
    return {};
  return rest.ltrim();
}

llvm::Expected<NpyArray> mlir::quantopt::parseNpyFloat32(StringRef contents,
                                                         StringRef name) {
  if (!contents.starts_with("\x93NUMPY") || contents.size() < 10)
    return npyError(name, "not a .npy file (bad magic)");
  uint8_t major = contents[6];
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = uint8_t(contents[8]) | (uint8_t(contents[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (contents.size() < 12)
      return npyError(name, "truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= size_t(uint8_t(contents[8 + i])) << (8 * i);
    offset = 12;
  } else {
    // Twine(uint8_t) would print the byte as a character.
    return npyError(name,
                    "unsupported .npy version " + llvm::Twine(unsigned(major)));
  }
  if (contents.size() < offset + headerLen)
    return npyError(name, "truncated header");
  StringRef header = contents.substr(offset, headerLen);

  StringRef descr = findHeaderValue(header, "descr");
  if (!descr.starts_with("'<f4'") && !descr.starts_with("'=f4'"))
    return npyError(name, "dtype must be little-endian float32 ('<f4'), got " +
                              descr.take_until([](char c) { return c == ','; }));
  if (!findHeaderValue(header, "fortran_order").starts_with("False"))
    return npyError(name, "Fortran-ordered arrays are not supported");
  StringRef shapeText = findHeaderValue(header, "shape");
  if (!shapeText.consume_front("("))
    return npyError(name, "missing shape in header");
  shapeText = shapeText.take_until([](char c) { return c == ')'; });

  NpyArray array;
  // Bound the element count so that `count * sizeof(float)` cannot wrap
  // around and slip past the truncation check below.
  const int64_t maxCount = std::numeric_limits<int64_t>::max() / sizeof(float);
  int64_t count = 1;
  llvm::SmallVector<StringRef> parts;
  shapeText.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t dim;
    if (part.getAsInteger(10, dim) || dim < 0)
      return npyError(name, "bad shape entry '" + part + "'");
    if (dim != 0 && count > maxCount / dim)
      return npyError(name, "shape (" + shapeText.trim() + ") is too large");
    array.shape.push_back(dim);
    count *= dim;
  }
  size_t dataOffset = offset + headerLen;
  size_t bytes = size_t(count) * sizeof(float);
  if (contents.size() - dataOffset < bytes)
    return npyError(name, "truncated data: expected " + llvm::Twine(bytes) +
                              " bytes, found " +
                              llvm::Twine(contents.size() - dataOffset));
  array.data.resize(count);
  if (bytes != 0) // memcpy's pointers must be valid even for 0 bytes.
    std::memcpy(array.data.data(), contents.data() + dataOffset, bytes);
  return array;
}

llvm::Expected<NpyArray> mlir::quantopt::readNpyFloat32(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  return parseNpyFloat32((*buffer)->getBuffer(), path);
}
