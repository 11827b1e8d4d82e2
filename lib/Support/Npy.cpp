//===- Npy.cpp - Read .npy arrays -------------------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
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

namespace {
/// A parsed .npy file: its element type text (e.g. '<f4'), shape, element
/// count and the raw data bytes (checked to be all present).
struct RawNpy {
  StringRef descr;
  llvm::SmallVector<int64_t> shape;
  int64_t count = 0;
  StringRef data;
};
} // namespace

/// The element size of the dtypes the readers accept (0: none of them).
static size_t getElementBytes(StringRef descr) {
  return llvm::StringSwitch<size_t>(descr)
      .Cases({"'<f4'", "'=f4'", "'<i4'", "'=i4'", "'<u4'", "'=u4'"}, 4)
      .Cases({"'<i8'", "'=i8'", "'<u8'", "'=u8'"}, 8)
      .Cases({"'<i2'", "'=i2'", "'<u2'", "'=u2'"}, 2)
      .Cases({"'|i1'", "'|u1'"}, 1)
      .Default(0);
}

/// Parses the header and locates the data; `expected` describes the dtypes
/// the caller accepts, for the error message.
static llvm::Expected<RawNpy>
parseNpy(StringRef contents, StringRef name,
         llvm::function_ref<bool(StringRef)> accept, StringRef expected) {
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

  RawNpy raw;
  StringRef descrText = findHeaderValue(header, "descr");
  raw.descr = descrText.take_until([](char c) { return c == ','; }).rtrim();
  if (!accept(raw.descr))
    return npyError(name, "dtype must be " + expected + ", got " + raw.descr);
  if (!findHeaderValue(header, "fortran_order").starts_with("False"))
    return npyError(name, "Fortran-ordered arrays are not supported");
  StringRef shapeText = findHeaderValue(header, "shape");
  if (!shapeText.consume_front("("))
    return npyError(name, "missing shape in header");
  shapeText = shapeText.take_until([](char c) { return c == ')'; });

  size_t elementBytes = getElementBytes(raw.descr);
  // Bound the element count so that `count * elementBytes` cannot wrap
  // around and slip past the truncation check below.
  const int64_t maxCount =
      std::numeric_limits<int64_t>::max() / static_cast<int64_t>(elementBytes);
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
    raw.shape.push_back(dim);
    count *= dim;
  }
  size_t dataOffset = offset + headerLen;
  size_t bytes = size_t(count) * elementBytes;
  if (contents.size() - dataOffset < bytes)
    return npyError(name, "truncated data: expected " + llvm::Twine(bytes) +
                              " bytes, found " +
                              llvm::Twine(contents.size() - dataOffset));
  raw.count = count;
  raw.data = contents.substr(dataOffset, bytes);
  return raw;
}

llvm::Expected<NpyArray> mlir::quantopt::parseNpyFloat32(StringRef contents,
                                                         StringRef name) {
  llvm::Expected<RawNpy> raw = parseNpy(
      contents, name,
      [](StringRef descr) { return descr == "'<f4'" || descr == "'=f4'"; },
      "little-endian float32 ('<f4')");
  if (!raw)
    return raw.takeError();
  NpyArray array;
  array.shape = raw->shape;
  array.data.resize(raw->count);
  if (!raw->data.empty()) // memcpy's pointers must be valid even for 0 bytes.
    std::memcpy(array.data.data(), raw->data.data(), raw->data.size());
  return array;
}

llvm::Expected<NpyIntArray> mlir::quantopt::parseNpyInt(StringRef contents,
                                                        StringRef name) {
  llvm::Expected<RawNpy> raw = parseNpy(
      contents, name,
      [](StringRef descr) {
        return !descr.contains('f') && getElementBytes(descr) != 0;
      },
      "a little-endian integer type (int8 .. int64, uint8 .. uint64)");
  if (!raw)
    return raw.takeError();
  NpyIntArray array;
  array.shape = raw->shape;
  array.data.reserve(raw->count);
  size_t bytes = getElementBytes(raw->descr);
  bool isSigned = raw->descr.contains('i');
  for (int64_t i = 0; i < raw->count; ++i) {
    uint64_t bits = 0;
    for (size_t b = 0; b < bytes; ++b)
      bits |= uint64_t(uint8_t(raw->data[i * bytes + b])) << (8 * b);
    if (isSigned && bytes < 8 && (bits >> (8 * bytes - 1)) & 1)
      bits |= ~uint64_t(0) << (8 * bytes); // sign-extend
    if (!isSigned && bytes == 8 && bits > uint64_t(INT64_MAX))
      return npyError(name, "value " + llvm::Twine(bits) + " at index " +
                                llvm::Twine(i) + " does not fit int64");
    array.data.push_back(static_cast<int64_t>(bits));
  }
  return array;
}

llvm::Expected<NpyIntArray> mlir::quantopt::readNpyInt(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  return parseNpyInt((*buffer)->getBuffer(), path);
}

llvm::Expected<NpyArray> mlir::quantopt::readNpyFloat32(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  return parseNpyFloat32((*buffer)->getBuffer(), path);
}
