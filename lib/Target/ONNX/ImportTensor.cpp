//===- ImportTensor.cpp - Decode ONNX TensorProto contents ------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Turns the contents of an ONNX TensorProto (initializers, Constant values)
// into a DenseElementsAttr. Both encodings are read: `raw_data`, which ONNX
// defines as little endian, and the typed `float_data` / `int32_data` /
// `int64_data` fields. Sizes and value ranges are checked, never trusted.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "llvm/ADT/bit.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

std::string onnx_import::getOnnxTypeName(int32_t onnxType) {
  if (!onnx::TensorProto_DataType_IsValid(onnxType))
    return "<invalid " + std::to_string(onnxType) + ">";
  return onnx::TensorProto_DataType_Name(
      static_cast<onnx::TensorProto_DataType>(onnxType));
}

std::string onnx_import::formatShape(ArrayRef<int64_t> shape) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(shape, os);
  os << "]";
  return s;
}

FailureOr<int64_t> onnx_import::getNumElements(ArrayRef<int64_t> shape) {
  int64_t count = 1;
  for (int64_t dim : shape) {
    if (dim < 0 || dim > kMaxDimSize)
      return failure();
    if (llvm::MulOverflow(count, dim, count) || count > kMaxNumElements)
      return failure();
  }
  return count;
}

namespace {

/// Reads `numElements` little-endian values of type `T` (stored as `Bits`)
/// from `raw`.
template <typename T, typename Bits>
SmallVector<T> readRaw(StringRef raw, int64_t numElements) {
  SmallVector<T> result;
  result.reserve(numElements);
  const char *p = raw.data();
  for (int64_t i = 0; i < numElements; ++i, p += sizeof(Bits)) {
    Bits bits = llvm::support::endian::read<Bits, llvm::endianness::little>(p);
    result.push_back(llvm::bit_cast<T>(bits));
  }
  return result;
}

/// Decodes one tensor; `emitError` starts a diagnostic naming the tensor.
class TensorDecoder {
public:
  TensorDecoder(const onnx::TensorProto &tensor, MLIRContext *context,
                llvm::function_ref<InFlightDiagnostic()> emitError)
      : tensor(tensor), context(context), emitError(emitError) {}

  FailureOr<DenseElementsAttr> decode();

private:
  /// Checks that the encoding in use holds `numElements` values of
  /// `elementBytes` bytes (raw) or `typedSize` values (typed field).
  LogicalResult checkSize(int64_t elementBytes, int64_t typedSize);

  /// Reads an integer type stored in `int32_data` and range checks it.
  template <typename T>
  FailureOr<DenseElementsAttr> decodeSmallInt(Type elementType);

  const onnx::TensorProto &tensor;
  MLIRContext *context;
  llvm::function_ref<InFlightDiagnostic()> emitError;
  SmallVector<int64_t> shape;
  int64_t numElements = 0;
  RankedTensorType type;
};

} // namespace

LogicalResult TensorDecoder::checkSize(int64_t elementBytes,
                                       int64_t typedSize) {
  if (tensor.has_raw_data()) {
    int64_t bytes = tensor.raw_data().size();
    if (bytes != numElements * elementBytes)
      return emitError() << "holds " << bytes << " bytes of raw data but its "
                         << "shape " << formatShape(shape) << " needs "
                         << numElements * elementBytes;
    return success();
  }
  if (typedSize != numElements)
    return emitError() << "holds " << typedSize << " values but its shape "
                       << formatShape(shape) << " needs " << numElements;
  return success();
}

template <typename T>
FailureOr<DenseElementsAttr> TensorDecoder::decodeSmallInt(Type elementType) {
  if (failed(checkSize(sizeof(T), tensor.int32_data_size())))
    return failure();
  SmallVector<T> data;
  data.reserve(numElements);
  if (tensor.has_raw_data()) {
    data = readRaw<T, std::make_unsigned_t<T>>(tensor.raw_data(), numElements);
  } else {
    for (int32_t v : tensor.int32_data()) {
      if (v < std::numeric_limits<T>::min() ||
          v > std::numeric_limits<T>::max())
        return emitError() << "value " << v << " is out of range for "
                           << getOnnxTypeName(tensor.data_type());
      data.push_back(static_cast<T>(v));
    }
  }
  return DenseElementsAttr::get(RankedTensorType::get(shape, elementType),
                                ArrayRef<T>(data));
}

FailureOr<DenseElementsAttr> TensorDecoder::decode() {
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL ||
      tensor.external_data_size() > 0)
    return emitError() << "uses external data, which is not supported; "
                          "save the model with its weights inside";
  if (tensor.has_segment())
    return emitError() << "is segmented, which is not supported";
  shape.assign(tensor.dims().begin(), tensor.dims().end());
  FailureOr<int64_t> count = getNumElements(shape);
  if (failed(count))
    return emitError() << "has an invalid or too large shape "
                       << formatShape(shape);
  numElements = *count;

  Builder b(context);
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT: {
    if (failed(checkSize(4, tensor.float_data_size())))
      return failure();
    SmallVector<float> data;
    if (tensor.has_raw_data())
      data = readRaw<float, uint32_t>(tensor.raw_data(), numElements);
    else
      data.assign(tensor.float_data().begin(), tensor.float_data().end());
    return DenseElementsAttr::get(RankedTensorType::get(shape, b.getF32Type()),
                                  ArrayRef<float>(data));
  }
  case onnx::TensorProto::INT8:
    return decodeSmallInt<int8_t>(b.getIntegerType(8));
  case onnx::TensorProto::UINT8:
    return decodeSmallInt<uint8_t>(b.getIntegerType(8, /*isSigned=*/false));
  case onnx::TensorProto::INT32: {
    if (failed(checkSize(4, tensor.int32_data_size())))
      return failure();
    SmallVector<int32_t> data;
    if (tensor.has_raw_data())
      data = readRaw<int32_t, uint32_t>(tensor.raw_data(), numElements);
    else
      data.assign(tensor.int32_data().begin(), tensor.int32_data().end());
    return DenseElementsAttr::get(RankedTensorType::get(shape, b.getI32Type()),
                                  ArrayRef<int32_t>(data));
  }
  case onnx::TensorProto::INT64: {
    if (failed(checkSize(8, tensor.int64_data_size())))
      return failure();
    SmallVector<int64_t> data;
    if (tensor.has_raw_data())
      data = readRaw<int64_t, uint64_t>(tensor.raw_data(), numElements);
    else
      data.assign(tensor.int64_data().begin(), tensor.int64_data().end());
    return DenseElementsAttr::get(RankedTensorType::get(shape, b.getI64Type()),
                                  ArrayRef<int64_t>(data));
  }
  case onnx::TensorProto::BOOL: {
    if (failed(checkSize(1, tensor.int32_data_size())))
      return failure();
    SmallVector<bool> data;
    if (tensor.has_raw_data())
      for (char c : tensor.raw_data())
        data.push_back(c != 0);
    else
      for (int32_t v : tensor.int32_data())
        data.push_back(v != 0);
    return DenseElementsAttr::get(RankedTensorType::get(shape, b.getI1Type()),
                                  ArrayRef<bool>(data));
  }
  default:
    return emitError() << "has element type "
                       << getOnnxTypeName(tensor.data_type())
                       << ", which is not supported (FLOAT, INT8, UINT8, "
                          "INT32, INT64 or BOOL)";
  }
}

FailureOr<DenseElementsAttr>
onnx_import::decodeTensor(const onnx::TensorProto &tensor, MLIRContext *context,
                          llvm::function_ref<InFlightDiagnostic()> emitError) {
  return TensorDecoder(tensor, context, emitError).decode();
}
