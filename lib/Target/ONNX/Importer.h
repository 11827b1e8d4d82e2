//===- Importer.h - ONNX importer internals ---------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Private interface between the graph walk (ImportONNX.cpp), the tensor
// decoder (ImportTensor.cpp) and the per-op importers (ImportOps.cpp,
// ImportQDQ.cpp). Nothing outside lib/Target/ONNX includes this header; it is
// the only place besides those files that sees the ONNX protobuf classes.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_TARGET_ONNX_IMPORTER_H
#define QUANTOPT_LIB_TARGET_ONNX_IMPORTER_H

#include "quantopt/Target/ONNX/ImportONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <onnx/onnx_pb.h>

#include <memory>

namespace mlir::quantopt::onnx_import {

/// The largest dimension the importer accepts; keeps all shape arithmetic
/// far from int64_t overflow.
constexpr int64_t kMaxDimSize = int64_t(1) << 31;
/// The largest element count of any tensor the importer accepts.
constexpr int64_t kMaxNumElements = int64_t(1) << 40;

/// The ONNX spelling of an element type (`FLOAT`, `UINT8`, ...).
std::string getOnnxTypeName(int32_t onnxType);

/// Formats `shape` as `[a, b, c]`.
std::string formatShape(ArrayRef<int64_t> shape);

/// The element count of `shape`, or failure when a dimension is negative or
/// the count exceeds kMaxNumElements.
FailureOr<int64_t> getNumElements(ArrayRef<int64_t> shape);

/// Decodes an ONNX tensor (initializer or Constant value) into a dense
/// attribute. Element types: FLOAT -> f32, INT8 -> i8, UINT8 -> ui8,
/// INT32 -> i32, INT64 -> i64, BOOL -> i1. Both `raw_data` (little endian)
/// and the typed `*_data` fields are read; external data, a size mismatch or
/// another element type is reported through `emitError`.
FailureOr<DenseElementsAttr>
decodeTensor(const onnx::TensorProto &tensor, MLIRContext *context,
             llvm::function_ref<InFlightDiagnostic()> emitError);

/// A value of ONNX Runtime's dynamic quantization pattern
/// (ImportDynamic.cpp): an output of DynamicQuantizeLinear, MatMulInteger,
/// its Cast and the scale Mul, which the importer records instead of
/// materializing and combines into one qnn.dynamic_gemm at the final Mul.
struct DynamicPart {
  enum class Kind {
    Data,         ///< DynamicQuantizeLinear's uint8 output.
    Scale,        ///< Its run-time scale.
    ZeroPoint,    ///< Its run-time zero point.
    Product,      ///< MatMulInteger's / ConvInteger's int32 output.
    FloatProduct, ///< The product cast to FLOAT.
    ScaleProduct, ///< Mul(run-time scale, constant weight scale).
  };
  Kind kind = Kind::Data;
  /// The ONNX type the value would have, for shapes.
  RankedTensorType type;
  /// The node that defined the value and its op type, for diagnostics.
  std::string nodeName, opType;
  /// Product and later: the MatMulInteger / ConvInteger node.
  std::string productNode;
  /// The DynamicQuantizeLinear node and its f32 input.
  std::string source;
  Value input;
  /// Product: the weight ([K, N], or OIHW for a Conv) as i8 (UINT8
  /// re-centred by -128) and its zero points (one, or one per column /
  /// output channel) in the same units.
  DenseElementsAttr weight;
  SmallVector<int64_t> weightZeroPoints;
  /// A ConvInteger product: its attributes (the weight is then OIHW and the
  /// zero points one or one per output channel).
  bool isConv = false;
  SmallVector<int64_t> strides, pads, dilations;
  int64_t group = 1;
  /// ScaleProduct: the constant weight scales (one, or one per column).
  SmallVector<double> weightScales;
};

/// One named ONNX value known to the importer.
struct ImportedValue {
  /// The SSA value; null for a constant that has not been materialized yet.
  Value value;
  /// The ONNX element type (onnx::TensorProto::DataType). For a quantized
  /// value this is the ONNX type (UINT8 or INT8) of the tensor it stands for,
  /// although its storage is always i8.
  int32_t onnxType = 0;
  /// The contents of an initializer or Constant output, else null.
  DenseElementsAttr constant;
  /// The location a constant is materialized at.
  LocationAttr loc;
  /// Set (and value, constant null) for a part of the dynamic quantization
  /// pattern.
  std::shared_ptr<const DynamicPart> dynamic;

  /// The static shape of the value.
  ArrayRef<int64_t> getShape() const;
  /// The MLIR tensor type of the value.
  RankedTensorType getType() const;
};

class NodeImporter;

/// Imports one op type; returns failure after emitting a diagnostic.
using OpImporterFn = LogicalResult (*)(NodeImporter &node);

/// The op table: ONNX op type (default domain) -> importer.
const llvm::StringMap<OpImporterFn> &getOpImporters();

/// Importers of QuantizeLinear and DequantizeLinear (ImportQDQ.cpp).
LogicalResult importQuantizeLinear(NodeImporter &node);
LogicalResult importDequantizeLinear(NodeImporter &node);

/// Importers of QLinearConv and QLinearMatMul (ImportQLinear.cpp).
LogicalResult importQLinearConv(NodeImporter &node);
LogicalResult importQLinearMatMul(NodeImporter &node);

/// ConvInteger / MatMulInteger whose input is quantized statically (by a
/// QuantizeLinear): the exact int32 product of QLinear form at scale 1
/// (ImportQLinear.cpp).
LogicalResult importIntegerProduct(NodeImporter &node);
/// Cast(to=FLOAT) of such a product: its exact float value.
LogicalResult importCastOfIntegerProduct(NodeImporter &node);

/// Importers of ONNX Runtime's dynamic quantization pattern
/// (ImportDynamic.cpp).
LogicalResult importDynamicQuantizeLinear(NodeImporter &node);
LogicalResult importMatMulInteger(NodeImporter &node);
LogicalResult importConvInteger(NodeImporter &node);
/// Imports a node that reads a DynamicPart: the next step of the pattern,
/// or an error naming the node that produced the part.
LogicalResult importDynamicPartReader(NodeImporter &node);
/// "the <kind> of node 'N' (Op), which is supported only as ...".
std::string describeDynamicPart(const DynamicPart &part);
/// "its <kind>, supported only as ..." for a part that is a graph output.
std::string describeDynamicOutput(const DynamicPart &part);

/// Dequantizes input `dataIndex` of `node` (a constant of INT8/UINT8/INT32
/// or a quantized value) with the scale of input `scaleIndex` and the
/// optional zero point of input `zpIndex`, per tensor or along `axis` (-1:
/// per tensor only), as DequantizeLinear does; returns the f32 value.
FailureOr<Value> dequantizeInput(NodeImporter &node, unsigned dataIndex,
                                 unsigned scaleIndex, unsigned zpIndex,
                                 int64_t axis);
/// Quantizes the f32 `value` with the scale of input `scaleIndex` and the
/// zero point of input `zpIndex` of `node` (per tensor), as QuantizeLinear
/// does; returns the quantized value and its ONNX type.
FailureOr<std::pair<Value, int32_t>> quantizeValue(NodeImporter &node,
                                                   Value value,
                                                   unsigned scaleIndex,
                                                   unsigned zpIndex);

/// Builds the float qnn.conv of a Conv-like node (attributes auto_pad,
/// dilations, group, kernel_shape, pads, strides); `bias` may be null.
FailureOr<Value> createConv(NodeImporter &node, Value input, Value filter,
                            Value bias);
/// Builds the float 2-D qnn.matmul of a MatMul-like node.
FailureOr<Value> createMatMul(NodeImporter &node, Value lhs, Value rhs);

/// The opset an op not in the version table of ImportOpset.cpp needs.
constexpr int64_t kDefaultMinOpset = 13;
/// Checks that the version of `node`'s op in the default opset `opset` has
/// the semantics the importer implements (ImportOpset.cpp).
LogicalResult checkOpVersion(NodeImporter &node, int64_t opset);
/// Why a known ONNX op without an importer cannot be supported, or "".
StringRef getUnsupportedOpReason(StringRef opType);

/// Walks an ONNX graph in order and builds `func.func @main`.
class GraphImporter {
public:
  GraphImporter(MLIRContext *context, StringRef filename,
                const ImportONNXOptions &options);

  /// Imports `model`; returns null after emitting a diagnostic.
  OwningOpRef<ModuleOp> importModel(const onnx::ModelProto &model);

  MLIRContext *getContext() { return context; }
  OpBuilder &getBuilder() { return builder; }
  /// `filename:0:0`, the location of everything not tied to a node.
  Location getFileLoc() { return fileLoc; }
  /// The default-domain opset version of the model.
  int64_t getOpsetVersion() const { return opsetVersion; }

  /// The value named `name`, or null if it is not defined (yet).
  ImportedValue *lookup(StringRef name);
  /// Whether some node or a graph output reads `name`.
  bool isUsed(StringRef name) const { return usedNames.contains(name); }
  /// Defines `name`; fails if it is already defined.
  LogicalResult define(StringRef name, const ImportedValue &value);
  /// The SSA value of `value`, creating an `arith.constant` at the current
  /// insertion point for a constant seen for the first time. Fails (and
  /// emits with `emitError`) for constants without an MLIR constant form.
  FailureOr<Value>
  materialize(ImportedValue &value,
              llvm::function_ref<InFlightDiagnostic()> emitError);

private:
  LogicalResult checkOpsets(const onnx::ModelProto &model);
  LogicalResult importInitializers(const onnx::GraphProto &graph);
  FailureOr<RankedTensorType> importInputType(const onnx::ValueInfoProto &info);
  LogicalResult importNode(const onnx::NodeProto &node, int index);
  LogicalResult checkOutputType(const onnx::ValueInfoProto &info,
                                RankedTensorType type, int32_t onnxType);

  MLIRContext *context;
  std::string filename;
  const ImportONNXOptions &options;
  OpBuilder builder;
  Location fileLoc;
  int64_t opsetVersion = 0;
  llvm::StringMap<ImportedValue> values;
  llvm::StringSet<> usedNames;
};

/// The view of one ONNX node that op importers work with: arity and
/// attribute validation, typed attribute getters, operand access and result
/// definition. Every diagnostic starts with `node '<name>' (<OpType>): `.
class NodeImporter {
public:
  NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
               StringRef name, Location loc);

  /// Starts an error on the node location with the node prefix.
  InFlightDiagnostic emitError();

  Location getLoc() { return loc; }
  /// The node name (or `<OpType>_<index>` for an unnamed node).
  StringRef getName() { return name; }
  OpBuilder &getBuilder() { return graph.getBuilder(); }
  MLIRContext *getContext() { return graph.getContext(); }
  StringRef getOpType() { return node.op_type(); }
  GraphImporter &getGraph() { return graph; }

  //===--------------------------------------------------------------------===//
  // Structure
  //===--------------------------------------------------------------------===//

  /// Checks the number of inputs and outputs (trailing empty names count) and
  /// that every present input is defined.
  LogicalResult checkArity(unsigned minInputs, unsigned maxInputs,
                           unsigned minOutputs = 1, unsigned maxOutputs = 1);
  /// Fails on an attribute not in `known` or on a duplicate attribute.
  LogicalResult checkAttributes(ArrayRef<StringRef> known);

  unsigned getNumInputs() { return node.input_size(); }
  unsigned getNumOutputs() { return node.output_size(); }
  /// Whether input `i` is given (present with a non-empty name).
  bool hasInput(unsigned i);
  /// Whether output `i` is given (present with a non-empty name).
  bool hasOutput(unsigned i);
  /// The ONNX name of input `i` / output `i`.
  StringRef getInputName(unsigned i) { return node.input(i); }
  StringRef getOutputName(unsigned i) { return node.output(i); }

  //===--------------------------------------------------------------------===//
  // Operands
  //===--------------------------------------------------------------------===//

  /// Input `i`, which must be given and defined (see checkArity).
  ImportedValue &getInput(unsigned i);
  /// The SSA value of input `i` (materializing a constant).
  FailureOr<Value> getValue(unsigned i);
  /// Input `i` as an f32 tensor value; fails on any other element type.
  FailureOr<Value> getFloatValue(unsigned i);
  /// Input `i` as an f32 or quantized tensor value (for ops that keep the
  /// element type: Relu, MaxPool, Flatten, ...).
  FailureOr<Value> getFloatOrQuantValue(unsigned i);
  /// The contents of input `i`, which must be a constant.
  FailureOr<DenseElementsAttr> getConstant(unsigned i);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  unsigned getNumAttributes() { return node.attribute_size(); }
  /// The `i`-th attribute in the order of the model.
  const onnx::AttributeProto &getAttributeAt(unsigned i) {
    return node.attribute(i);
  }
  /// The attribute `name`, or null when absent (after checkAttributes).
  const onnx::AttributeProto *getAttribute(StringRef name);
  FailureOr<int64_t> getIntAttr(StringRef name, int64_t defaultValue);
  FailureOr<float> getFloatAttr(StringRef name, float defaultValue);
  FailureOr<std::string> getStringAttr(StringRef name, StringRef defaultValue);
  /// The `ints` attribute `name`; `std::nullopt` when absent.
  FailureOr<std::optional<SmallVector<int64_t>>> getIntsAttr(StringRef name);
  /// Checks that `attr` has type `expected` (an onnx::AttributeProto type);
  /// an UNDEFINED type (old exporters) passes when `present` is true.
  LogicalResult checkAttrType(const onnx::AttributeProto &attr, int expected,
                              bool present);

  //===--------------------------------------------------------------------===//
  // Results
  //===--------------------------------------------------------------------===//

  /// Defines output `i` as `value` (skipped for an absent optional output).
  LogicalResult setResult(unsigned i, Value value, int32_t onnxType);
  /// Defines output `i` as `value`, which may be an unmaterialized constant.
  LogicalResult setResult(unsigned i, const ImportedValue &value);

private:
  GraphImporter &graph;
  const onnx::NodeProto &node;
  std::string name;
  Location loc;
  llvm::StringMap<const onnx::AttributeProto *> attributes;
};

} // namespace mlir::quantopt::onnx_import

#endif // QUANTOPT_LIB_TARGET_ONNX_IMPORTER_H
