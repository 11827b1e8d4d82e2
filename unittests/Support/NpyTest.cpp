//===- NpyTest.cpp - Tests for the .npy reader ----------------------------===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Parses .npy byte strings built in memory. The layout (NumPy's
// doc/neps/nep-0001-npy-format.rst, numpy/lib/format.py) is:
//
//   offset 0   6 bytes  magic "\x93NUMPY"
//   offset 6   1 byte   major version (1, 2 or 3)
//   offset 7   1 byte   minor version (0)
//   offset 8   2 bytes  HEADER_LEN, little-endian uint16 (version 1.0), or
//              4 bytes  HEADER_LEN, little-endian uint32 (versions 2.0, 3.0)
//   then HEADER_LEN bytes: a Python dict literal, e.g.
//              {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//            padded with spaces and ended by '\n' so that the data starts
//            at a multiple of 64 bytes (np.save since NumPy 1.14)
//   then the raw array data in C order (little-endian float32 for '<f4').
//
//===----------------------------------------------------------------------===//

#include "quantopt/Support/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir::quantopt;
using llvm::StringRef;

/// The exact bytes of
///   np.save(f, np.array([[1, -2, 0.5], [1.5, 3.25, 0]], dtype=np.float32))
/// with NumPy 1.24: version 1.0, HEADER_LEN 0x76 = 118 (59 characters of
/// dict, 58 spaces, '\n'), data at offset 128. Checked byte for byte against
/// numpy's output when this test was written.
static const char kNumpy2x3[] =
    "\x93NUMPY\x01\x00\x76\x00"
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
    "                             "
    "                             "
    "\n"
    "\x00\x00\x80\x3f"
    "\x00\x00\x00\xc0"
    "\x00\x00\x00\x3f"
    "\x00\x00\xc0\x3f"
    "\x00\x00\x50\x40"
    "\x00\x00\x00\x00";

/// The literal above without its terminating NUL.
static StringRef numpy2x3() {
  return StringRef(kNumpy2x3, sizeof(kNumpy2x3) - 1);
}

/// Builds a .npy file of format `major`.0 the way np.save does: the header
/// dict `dict` is padded with spaces and a final '\n' to a 64-byte boundary.
static std::string makeNpy(int major, StringRef dict, StringRef data) {
  size_t prefix = major == 1 ? 10 : 12;
  size_t headerLen = dict.size() + 1;
  headerLen += (64 - (prefix + headerLen) % 64) % 64;
  std::string bytes = "\x93NUMPY";
  bytes += char(major);
  bytes += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    bytes += char((headerLen >> (8 * i)) & 0xff);
  bytes += dict.str();
  bytes.append(headerLen - dict.size() - 1, ' ');
  bytes += '\n';
  bytes += data.str();
  return bytes;
}

/// Little-endian float32 bytes of {1, -2, 0.5, 1.5, 3.25, 0}.
static StringRef sixFloats() { return numpy2x3().drop_front(128); }

static std::string dict(StringRef descr, StringRef fortran, StringRef shape) {
  return ("{'descr': '" + descr + "', 'fortran_order': " + fortran +
          ", 'shape': " + shape + ", }")
      .str();
}

/// Returns the error message of a failed parse ("" if it succeeded).
static std::string parseError(StringRef contents,
                              StringRef name = "calib.npy") {
  llvm::Expected<NpyArray> array = parseNpyFloat32(contents, name);
  if (array)
    return "";
  return llvm::toString(array.takeError());
}

//===----------------------------------------------------------------------===//
// Valid files.
//===----------------------------------------------------------------------===//

TEST(Npy, NumpyWrittenV1) {
  ASSERT_EQ(numpy2x3().size(), 152u);
  // The helper reproduces numpy's padding exactly.
  EXPECT_EQ(makeNpy(1, dict("<f4", "False", "(2, 3)"), sixFloats()),
            numpy2x3().str());
  llvm::Expected<NpyArray> array = parseNpyFloat32(numpy2x3(), "a.npy");
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->shape, (llvm::SmallVector<int64_t>{2, 3}));
  EXPECT_EQ(array->data, (std::vector<float>{1, -2, 0.5, 1.5, 3.25, 0}));
}

TEST(Npy, OneDimensional) {
  std::string bytes =
      makeNpy(1, dict("<f4", "False", "(3,)"), sixFloats().take_front(12));
  ASSERT_EQ(bytes.size(), 140u); // as np.save writes it
  llvm::Expected<NpyArray> array = parseNpyFloat32(bytes, "v.npy");
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->shape, (llvm::SmallVector<int64_t>{3}));
  EXPECT_EQ(array->data, (std::vector<float>{1, -2, 0.5}));
}

TEST(Npy, Scalar) {
  // np.save(f, np.float32(1.5)): shape () holds one element.
  std::string bytes =
      makeNpy(1, dict("<f4", "False", "()"), StringRef("\x00\x00\xc0\x3f", 4));
  ASSERT_EQ(bytes.size(), 132u);
  llvm::Expected<NpyArray> array = parseNpyFloat32(bytes, "s.npy");
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_TRUE(array->shape.empty());
  EXPECT_EQ(array->data, (std::vector<float>{1.5f}));
}

TEST(Npy, EmptyArray) {
  std::string bytes = makeNpy(1, dict("<f4", "False", "(2, 0)"), "");
  llvm::Expected<NpyArray> array = parseNpyFloat32(bytes, "e.npy");
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->shape, (llvm::SmallVector<int64_t>{2, 0}));
  EXPECT_TRUE(array->data.empty());
}

TEST(Npy, Version2And3) {
  // np.lib.format.write_array(f, a, version=(2, 0)): 4-byte HEADER_LEN 0x74.
  std::string v2 = makeNpy(2, dict("<f4", "False", "(2, 3)"), sixFloats());
  ASSERT_EQ(StringRef(v2).take_front(12),
            StringRef("\x93NUMPY\x02\x00\x74\x00\x00\x00", 12));
  for (const std::string &bytes :
       {v2, makeNpy(3, dict("<f4", "False", "(2, 3)"), sixFloats())}) {
    llvm::Expected<NpyArray> array = parseNpyFloat32(bytes, "v2.npy");
    ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
    EXPECT_EQ(array->shape, (llvm::SmallVector<int64_t>{2, 3}));
    EXPECT_EQ(array->data, (std::vector<float>{1, -2, 0.5, 1.5, 3.25, 0}));
  }
}

TEST(Npy, ReadFromFile) {
  llvm::SmallString<128> path;
  int fd;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("npytest", "npy", fd, path));
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << numpy2x3();
  }
  llvm::Expected<NpyArray> array = readNpyFloat32(path);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->data.size(), 6u);
}

//===----------------------------------------------------------------------===//
// Errors: each names the file and the reason.
//===----------------------------------------------------------------------===//

TEST(Npy, WrongMagic) {
  std::string bytes = numpy2x3().str();
  bytes[5] = 'Z';
  EXPECT_EQ(parseError(bytes), "calib.npy: not a .npy file (bad magic)");
  EXPECT_EQ(parseError("\x93NUMPY"), "calib.npy: not a .npy file (bad magic)");
  EXPECT_EQ(parseError(""), "calib.npy: not a .npy file (bad magic)");
}

TEST(Npy, WrongDtype) {
  // np.save(f, np.array([1.0])): float64.
  std::string bytes = makeNpy(1, dict("<f8", "False", "(1,)"),
                              StringRef("\0\0\0\0\0\0\xf0\x3f", 8));
  EXPECT_EQ(parseError(bytes, "d.npy"),
            "d.npy: dtype must be little-endian float32 ('<f4'), got '<f8'");
  // Big-endian float32 is refused too.
  EXPECT_EQ(parseError(makeNpy(1, dict(">f4", "False", "(1,)"),
                               StringRef("\x3f\x80\0\0", 4)),
                       "b.npy"),
            "b.npy: dtype must be little-endian float32 ('<f4'), got '>f4'");
}

TEST(Npy, FortranOrder) {
  std::string bytes = makeNpy(1, dict("<f4", "True", "(2, 3)"), sixFloats());
  EXPECT_EQ(parseError(bytes, "f.npy"),
            "f.npy: Fortran-ordered arrays are not supported");
}

TEST(Npy, TruncatedData) {
  StringRef bytes = numpy2x3().drop_back(4);
  EXPECT_EQ(parseError(bytes, "t.npy"),
            "t.npy: truncated data: expected 24 bytes, found 20");
}

TEST(Npy, TruncatedHeader) {
  EXPECT_EQ(parseError(numpy2x3().take_front(100), "h.npy"),
            "h.npy: truncated header");
  EXPECT_EQ(parseError(StringRef("\x93NUMPY\x02\x00\x74\x00", 10), "h2.npy"),
            "h2.npy: truncated header");
}

TEST(Npy, UnsupportedVersion) {
  std::string bytes = numpy2x3().str();
  bytes[6] = 4;
  EXPECT_EQ(parseError(bytes), "calib.npy: unsupported .npy version 4");
}

TEST(Npy, BadShape) {
  EXPECT_EQ(parseError(makeNpy(1, dict("<f4", "False", "(2, x)"), "")),
            "calib.npy: bad shape entry 'x'");
  EXPECT_EQ(parseError(makeNpy(1, dict("<f4", "False", "(-1,)"), "")),
            "calib.npy: bad shape entry '-1'");
  EXPECT_EQ(
      parseError(makeNpy(1, "{'descr': '<f4', 'fortran_order': False}", "")),
      "calib.npy: missing shape in header");
  // 2^62 floats would be 2^64 bytes: rejected before any size arithmetic
  // can wrap around.
  EXPECT_EQ(
      parseError(makeNpy(1, dict("<f4", "False", "(4611686018427387904,)"),
                         sixFloats())),
      "calib.npy: shape (4611686018427387904,) is too large");
  EXPECT_EQ(parseError(makeNpy(1, dict("<f4", "False", "(65536, 65536)"),
                               sixFloats())),
            "calib.npy: truncated data: expected 17179869184 bytes, found 24");
}

TEST(Npy, MissingFile) {
  std::string message =
      llvm::toString(readNpyFloat32("/nonexistent/calib.npy").takeError());
  EXPECT_EQ(StringRef(message).take_until([](char c) { return c == ':'; }),
            "/nonexistent/calib.npy");
  EXPECT_NE(message.find("cannot read"), std::string::npos) << message;
}

//===----------------------------------------------------------------------===//
// Integer arrays (labels).
//===----------------------------------------------------------------------===//

/// Returns the error message of a failed integer parse ("" if it succeeded).
static std::string parseIntError(StringRef contents, StringRef name) {
  llvm::Expected<NpyIntArray> array = parseNpyInt(contents, name);
  if (array)
    return "";
  return llvm::toString(array.takeError());
}

TEST(NpyInt, Int64Labels) {
  // np.save(f, np.array([9, 0, -3], dtype=np.int64)): what fashion_mnist.py
  // writes for labels.
  std::string data("\x09\0\0\0\0\0\0\0"
                   "\0\0\0\0\0\0\0\0"
                   "\xfd\xff\xff\xff\xff\xff\xff\xff",
                   24);
  llvm::Expected<NpyIntArray> array =
      parseNpyInt(makeNpy(1, dict("<i8", "False", "(3,)"), data), "l.npy");
  ASSERT_TRUE(bool(array)) << llvm::toString(array.takeError());
  EXPECT_EQ(array->shape, (llvm::SmallVector<int64_t>{3}));
  EXPECT_EQ(array->data, (std::vector<int64_t>{9, 0, -3}));
}

TEST(NpyInt, NarrowTypesSignAndZeroExtend) {
  StringRef one("\xff\x7f", 2);
  llvm::Expected<NpyIntArray> u8 =
      parseNpyInt(makeNpy(1, dict("|u1", "False", "(2,)"), one), "u.npy");
  ASSERT_TRUE(bool(u8)) << llvm::toString(u8.takeError());
  EXPECT_EQ(u8->data, (std::vector<int64_t>{255, 127}));
  llvm::Expected<NpyIntArray> i8 =
      parseNpyInt(makeNpy(1, dict("|i1", "False", "(2,)"), one), "i.npy");
  ASSERT_TRUE(bool(i8)) << llvm::toString(i8.takeError());
  EXPECT_EQ(i8->data, (std::vector<int64_t>{-1, 127}));
  // int32 -2, 70000.
  StringRef i32("\xfe\xff\xff\xff\x70\x11\x01\x00", 8);
  llvm::Expected<NpyIntArray> wide =
      parseNpyInt(makeNpy(1, dict("<i4", "False", "(2,)"), i32), "w.npy");
  ASSERT_TRUE(bool(wide)) << llvm::toString(wide.takeError());
  EXPECT_EQ(wide->data, (std::vector<int64_t>{-2, 70000}));
}

TEST(NpyInt, Errors) {
  // Float labels are refused, and so is a float32 reader given labels.
  EXPECT_EQ(parseIntError(makeNpy(1, dict("<f4", "False", "(6,)"), sixFloats()),
                          "f.npy"),
            "f.npy: dtype must be a little-endian integer type (int8 .. int64, "
            "uint8 .. uint64), got '<f4'");
  EXPECT_EQ(parseIntError(makeNpy(1, dict(">i8", "False", "(1,)"),
                                  StringRef("\0\0\0\0\0\0\0\1", 8)),
                          "b.npy"),
            "b.npy: dtype must be a little-endian integer type (int8 .. int64, "
            "uint8 .. uint64), got '>i8'");
  EXPECT_EQ(parseIntError(makeNpy(1, dict("<i8", "False", "(2,)"),
                                  StringRef("\1\0\0\0\0\0\0\0", 8)),
                          "t.npy"),
            "t.npy: truncated data: expected 16 bytes, found 8");
  EXPECT_EQ(parseIntError(makeNpy(1, dict("<u8", "False", "(1,)"),
                                  StringRef("\0\0\0\0\0\0\0\x80", 8)),
                          "u.npy"),
            "u.npy: value 9223372036854775808 at index 0 does not fit int64");
  llvm::Expected<NpyIntArray> missing = readNpyInt("/nonexistent/l.npy");
  ASSERT_FALSE(bool(missing));
  EXPECT_NE(llvm::toString(missing.takeError())
                .find("/nonexistent/l.npy: cannot read"),
            std::string::npos);
}
