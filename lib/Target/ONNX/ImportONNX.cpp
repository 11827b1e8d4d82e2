//===- ImportONNX.cpp - Import ONNX models into the qnn dialect -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The core of the ONNX importer: parses the ModelProto, checks the opsets,
// turns graph inputs into the arguments of `func.func @main`, walks the
// (topologically sorted) nodes through the op table of ImportOps.cpp and
// returns the graph outputs. All shapes are computed here, never read from
// value_info; a declared graph output shape is checked against them.
//
// Constants (initializers, Constant nodes) are kept as attributes and only
// materialized as `arith.constant` where an op consumes them as a value, so
// scales, zero points and Reshape shapes that the importer folds into types
// and attributes leave no dead constants behind.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Target/ONNX/ImportONNX.h"
#include "Importer.h"
#include "quantopt/Dialect/Qnn/IR/QnnDialect.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::onnx_import;

/// The name of the argument/result attribute holding the ONNX value name.
static constexpr StringLiteral kOnnxNameAttr = "qnn.onnx_name";
/// The oldest default-domain opset a model may import; which op versions
/// are supported is checked per node (ImportOpset.cpp).
static constexpr int64_t kMinOpset = 1;

//===----------------------------------------------------------------------===//
// ImportedValue
//===----------------------------------------------------------------------===//

RankedTensorType ImportedValue::getType() const {
  if (dynamic)
    return dynamic->type;
  if (value)
    return cast<RankedTensorType>(value.getType());
  return cast<RankedTensorType>(constant.getType());
}

ArrayRef<int64_t> ImportedValue::getShape() const {
  return getType().getShape();
}

//===----------------------------------------------------------------------===//
// NodeImporter
//===----------------------------------------------------------------------===//

NodeImporter::NodeImporter(GraphImporter &graph, const onnx::NodeProto &node,
                           StringRef name, Location loc)
    : graph(graph), node(node), name(name.str()), loc(loc) {}

InFlightDiagnostic NodeImporter::emitError() {
  return mlir::emitError(loc)
         << "node '" << name << "' (" << node.op_type() << "): ";
}

LogicalResult NodeImporter::checkArity(unsigned minInputs, unsigned maxInputs,
                                       unsigned minOutputs,
                                       unsigned maxOutputs) {
  auto plural = [](unsigned n, StringRef what) {
    return std::to_string(n) + " " + what.str() + (n == 1 ? "" : "s");
  };
  auto range = [&](unsigned lo, unsigned hi, StringRef what) {
    if (lo == hi)
      return plural(lo, what);
    return std::to_string(lo) + " to " + plural(hi, what);
  };
  unsigned numInputs = node.input_size();
  if (numInputs < minInputs || numInputs > maxInputs)
    return emitError() << "expects " << range(minInputs, maxInputs, "input")
                       << ", got " << numInputs;
  unsigned numOutputs = node.output_size();
  if (numOutputs < minOutputs || numOutputs > maxOutputs)
    return emitError() << "expects " << range(minOutputs, maxOutputs, "output")
                       << ", got " << numOutputs;
  for (unsigned i = 0; i < minInputs; ++i)
    if (!hasInput(i))
      return emitError() << "input " << i << " is required";
  for (unsigned i = 0; i < numInputs; ++i)
    if (hasInput(i) && !graph.lookup(node.input(i)))
      return emitError() << "input '" << node.input(i)
                         << "' is not defined (the graph must be "
                            "topologically sorted)";
  if (minOutputs > 0 && !hasOutput(0))
    return emitError() << "output 0 has no name";
  return success();
}

LogicalResult NodeImporter::checkAttributes(ArrayRef<StringRef> known) {
  attributes.clear();
  for (const onnx::AttributeProto &attr : node.attribute()) {
    if (!llvm::is_contained(known, attr.name()))
      return emitError() << "unsupported attribute '" << attr.name() << "'";
    if (!attributes.try_emplace(attr.name(), &attr).second)
      return emitError() << "duplicate attribute '" << attr.name() << "'";
  }
  return success();
}

bool NodeImporter::hasInput(unsigned i) {
  return i < unsigned(node.input_size()) && !node.input(i).empty();
}

bool NodeImporter::hasOutput(unsigned i) {
  return i < unsigned(node.output_size()) && !node.output(i).empty();
}

ImportedValue &NodeImporter::getInput(unsigned i) {
  ImportedValue *value = graph.lookup(node.input(i));
  assert(value && "input not checked by checkArity");
  return *value;
}

FailureOr<Value> NodeImporter::getValue(unsigned i) {
  return graph.materialize(getInput(i), [&] {
    return emitError() << "input '" << node.input(i) << "' ";
  });
}

FailureOr<Value> NodeImporter::getFloatValue(unsigned i) {
  FailureOr<Value> value = getValue(i);
  if (failed(value))
    return failure();
  Type element = cast<ShapedType>(value->getType()).getElementType();
  if (isa<quant::QuantizedType>(element))
    return emitError() << "input '" << node.input(i)
                       << "' is an integer (quantized) tensor, "
                       << value->getType() << "; " << node.op_type()
                       << " computes on float values here (in a QDQ model, "
                          "between DequantizeLinear and QuantizeLinear), "
                          "not on the integers themselves";
  if (!element.isF32())
    return emitError() << "input '" << node.input(i)
                       << "' must be a float32 tensor, got "
                       << value->getType();
  return value;
}

FailureOr<Value> NodeImporter::getFloatOrQuantValue(unsigned i) {
  FailureOr<Value> value = getValue(i);
  if (failed(value))
    return failure();
  Type elementType = cast<ShapedType>(value->getType()).getElementType();
  if (!elementType.isF32() && !isa<quant::QuantizedType>(elementType))
    return emitError() << "input '" << node.input(i)
                       << "' must be a float32 or quantized tensor, got "
                       << value->getType();
  return value;
}

FailureOr<DenseElementsAttr> NodeImporter::getConstant(unsigned i) {
  ImportedValue &value = getInput(i);
  if (!value.constant)
    return emitError() << "input '" << node.input(i)
                       << "' must be a constant (an initializer or the "
                          "output of a Constant node)";
  return value.constant;
}

const onnx::AttributeProto *NodeImporter::getAttribute(StringRef name) {
  return attributes.lookup(name);
}

LogicalResult NodeImporter::checkAttrType(const onnx::AttributeProto &attr,
                                          int expected, bool present) {
  if (attr.type() == expected ||
      (attr.type() == onnx::AttributeProto::UNDEFINED && present))
    return success();
  return emitError()
         << "attribute '" << attr.name() << "' must be of type "
         << onnx::AttributeProto_AttributeType_Name(
                static_cast<onnx::AttributeProto_AttributeType>(expected))
         << ", got "
         << (onnx::AttributeProto_AttributeType_IsValid(attr.type())
                 ? onnx::AttributeProto_AttributeType_Name(
                       static_cast<onnx::AttributeProto_AttributeType>(
                           attr.type()))
                 : std::to_string(attr.type()));
}

FailureOr<int64_t> NodeImporter::getIntAttr(StringRef name,
                                            int64_t defaultValue) {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr)
    return defaultValue;
  if (failed(checkAttrType(*attr, onnx::AttributeProto::INT, attr->has_i())))
    return failure();
  return attr->i();
}

FailureOr<float> NodeImporter::getFloatAttr(StringRef name,
                                            float defaultValue) {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr)
    return defaultValue;
  if (failed(checkAttrType(*attr, onnx::AttributeProto::FLOAT, attr->has_f())))
    return failure();
  return attr->f();
}

FailureOr<std::string> NodeImporter::getStringAttr(StringRef name,
                                                   StringRef defaultValue) {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr)
    return defaultValue.str();
  if (failed(checkAttrType(*attr, onnx::AttributeProto::STRING, attr->has_s())))
    return failure();
  return attr->s();
}

FailureOr<std::optional<SmallVector<int64_t>>>
NodeImporter::getIntsAttr(StringRef name) {
  const onnx::AttributeProto *attr = getAttribute(name);
  if (!attr)
    return std::optional<SmallVector<int64_t>>();
  if (failed(checkAttrType(*attr, onnx::AttributeProto::INTS,
                           attr->ints_size() > 0)))
    return failure();
  return std::optional<SmallVector<int64_t>>(
      SmallVector<int64_t>(attr->ints().begin(), attr->ints().end()));
}

LogicalResult NodeImporter::setResult(unsigned i, Value value,
                                      int32_t onnxType) {
  ImportedValue imported;
  imported.value = value;
  imported.onnxType = onnxType;
  return setResult(i, imported);
}

LogicalResult NodeImporter::setResult(unsigned i, const ImportedValue &value) {
  if (!hasOutput(i))
    return success();
  // Every value the importer defines has between 1 and kMaxNumElements
  // elements, so no later shape product can overflow.
  ArrayRef<int64_t> shape = value.getShape();
  if (failed(getNumElements(shape)) || llvm::is_contained(shape, 0))
    return emitError() << "result shape " << formatShape(shape)
                       << " is empty or too large";
  if (failed(graph.define(node.output(i), value)))
    return emitError() << "output '" << node.output(i)
                       << "' is already defined";
  return success();
}

//===----------------------------------------------------------------------===//
// GraphImporter
//===----------------------------------------------------------------------===//

GraphImporter::GraphImporter(MLIRContext *context, StringRef filename,
                             const ImportONNXOptions &options)
    : context(context), filename(filename.str()), options(options),
      builder(context),
      fileLoc(FileLineColLoc::get(context, filename, /*line=*/0,
                                  /*column=*/0)) {}

ImportedValue *GraphImporter::lookup(StringRef name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

LogicalResult GraphImporter::define(StringRef name,
                                    const ImportedValue &value) {
  return success(values.try_emplace(name, value).second);
}

FailureOr<Value>
GraphImporter::materialize(ImportedValue &value,
                           llvm::function_ref<InFlightDiagnostic()> emitError) {
  if (value.value)
    return value.value;
  if (value.dynamic)
    return emitError() << "is " << describeDynamicPart(*value.dynamic);
  if (value.constant.getNumElements() == 0)
    return emitError() << "is empty, which is not supported";
  Type elementType = value.constant.getElementType();
  if (!elementType.isSignlessInteger() && !elementType.isF32())
    return emitError() << "has element type " << getOnnxTypeName(value.onnxType)
                       << ", which is only supported as the input or zero "
                          "point of DequantizeLinear";
  value.value = arith::ConstantOp::create(builder, Location(value.loc),
                                          cast<TypedAttr>(value.constant));
  return value.value;
}

LogicalResult GraphImporter::checkOpsets(const onnx::ModelProto &model) {
  bool found = false;
  for (const onnx::OperatorSetIdProto &opset : model.opset_import()) {
    if (!opset.domain().empty() && opset.domain() != "ai.onnx")
      continue; // Checked per node: a node in another domain is an error.
    found = true;
    opsetVersion = std::max<int64_t>(opsetVersion, opset.version());
  }
  if (!found)
    return emitError(fileLoc) << "ONNX model '" << filename
                              << "' does not import the default opset "
                                 "(ai.onnx)";
  if (opsetVersion < kMinOpset)
    return emitError(fileLoc)
           << "ONNX model '" << filename << "': opset " << opsetVersion
           << " is not a valid default opset (" << kMinOpset << " or later)";
  return success();
}

LogicalResult GraphImporter::importInitializers(const onnx::GraphProto &graph) {
  if (graph.sparse_initializer_size() > 0)
    return emitError(fileLoc) << "sparse initializer '"
                              << graph.sparse_initializer(0).values().name()
                              << "' is not supported";
  for (const onnx::TensorProto &tensor : graph.initializer()) {
    auto emitTensorError = [&] {
      return emitError(fileLoc) << "initializer '" << tensor.name() << "' ";
    };
    if (tensor.name().empty())
      return emitError(fileLoc) << "an initializer has no name";
    FailureOr<DenseElementsAttr> attr =
        decodeTensor(tensor, context, emitTensorError);
    if (failed(attr))
      return failure();
    ImportedValue value;
    value.onnxType = tensor.data_type();
    value.constant = *attr;
    value.loc = NameLoc::get(StringAttr::get(context, tensor.name()), fileLoc);
    if (failed(define(tensor.name(), value)))
      return emitTensorError() << "is defined twice";
  }
  return success();
}

FailureOr<RankedTensorType>
GraphImporter::importInputType(const onnx::ValueInfoProto &info) {
  auto emitInputError = [&] {
    return emitError(fileLoc) << "input '" << info.name() << "': ";
  };
  if (!info.has_type() || !info.type().has_tensor_type())
    return emitInputError() << "only tensor inputs are supported";
  const onnx::TypeProto::Tensor &tensorType = info.type().tensor_type();
  if (tensorType.elem_type() != onnx::TensorProto::FLOAT)
    return emitInputError()
           << "element type " << getOnnxTypeName(tensorType.elem_type())
           << " is not supported (only FLOAT inputs)";
  if (!tensorType.has_shape())
    return emitInputError() << "the input has no shape (its rank is unknown)";
  SmallVector<int64_t> shape;
  for (auto [axis, dim] : llvm::enumerate(tensorType.shape().dim())) {
    if (dim.has_dim_value() && dim.dim_value() > 0) {
      if (dim.dim_value() > kMaxDimSize)
        return emitInputError() << "dimension " << dim.dim_value() << " (axis "
                                << axis << ") is too large";
      shape.push_back(dim.dim_value());
      continue;
    }
    if (dim.has_dim_value() && dim.dim_value() == 0)
      return emitInputError()
             << "zero-sized dimension (axis " << axis << ") is not supported";
    // A symbolic, missing or negative dimension: only the batch can be bound.
    if (axis == 0) {
      shape.push_back(options.batchSize);
      continue;
    }
    std::string symbol =
        dim.has_dim_param() && !dim.dim_param().empty() ? dim.dim_param() : "?";
    return emitInputError() << "dynamic dimension '" << symbol << "' (axis "
                            << axis << ") cannot be resolved";
  }
  if (failed(getNumElements(shape)))
    return emitInputError()
           << "shape " << formatShape(shape) << " is too large";
  return RankedTensorType::get(shape, builder.getF32Type());
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  Location loc = NameLoc::get(StringAttr::get(context, name), fileLoc);
  NodeImporter importer(*this, node, name, loc);
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return importer.emitError()
           << "domain '" << node.domain() << "' is not supported";
  // A node reading a part of ONNX Runtime's dynamic quantization pattern is
  // the pattern's next step or an error.
  for (const std::string &input : node.input())
    if (ImportedValue *value = lookup(input); value && value->dynamic)
      return failure(failed(checkOpVersion(importer, opsetVersion)) ||
                     failed(importDynamicPartReader(importer)));
  const llvm::StringMap<OpImporterFn> &table = getOpImporters();
  auto it = table.find(node.op_type());
  // Cast is not in the table (not a supported op in general): only the
  // Cast(to=FLOAT) of an integer product.
  if (node.op_type() == "Cast")
    return failure(failed(checkOpVersion(importer, opsetVersion)) ||
                   failed(importCastOfIntegerProduct(importer)));
  if (it == table.end()) {
    StringRef reason = getUnsupportedOpReason(node.op_type());
    if (!reason.empty())
      return importer.emitError() << "not supported: " << reason;
    return importer.emitError() << "unsupported op type";
  }
  if (failed(checkOpVersion(importer, opsetVersion)) ||
      failed(it->second(importer)))
    return failure();
  for (unsigned i = 0, e = node.output_size(); i < e; ++i)
    if (importer.hasOutput(i) && !lookup(node.output(i)) &&
        isUsed(node.output(i)))
      return importer.emitError()
             << "output '" << node.output(i) << "' is not supported";
  return success();
}

LogicalResult GraphImporter::checkOutputType(const onnx::ValueInfoProto &info,
                                             RankedTensorType type,
                                             int32_t onnxType) {
  auto emitOutputError = [&] {
    return emitError(fileLoc) << "output '" << info.name() << "': ";
  };
  // A quantized output (UINT8 / INT8: a QuantizeLinear's or a
  // DynamicQuantizeLinear's; BOOL: Dropout's mask as 0 / 1) is returned as
  // int8 with its scale.
  bool quantized = isa<quant::UniformQuantizedType>(type.getElementType()) &&
                   (onnxType == onnx::TensorProto::UINT8 ||
                    onnxType == onnx::TensorProto::INT8 ||
                    onnxType == onnx::TensorProto::BOOL);
  if (!type.getElementType().isF32() && !quantized)
    return emitOutputError() << "the computed type " << type
                             << " is not float32 or a per-tensor UINT8 / "
                                "INT8 quantization (the outputs the "
                                "generated API returns; BOOL only as "
                                "Dropout's mask)";
  if (!info.has_type())
    return success();
  if (!info.type().has_tensor_type())
    return emitOutputError() << "only tensor outputs are supported";
  const onnx::TypeProto::Tensor &tensorType = info.type().tensor_type();
  // MaxPool's INT64 Indices are returned as exact floats.
  int32_t computed = quantized ? onnxType
                     : onnxType == onnx::TensorProto::INT64
                         ? onnxType
                         : int32_t(onnx::TensorProto::FLOAT);
  if (tensorType.elem_type() != computed)
    return emitOutputError()
           << "element type " << getOnnxTypeName(tensorType.elem_type())
           << " differs from the computed " << getOnnxTypeName(computed);
  if (!tensorType.has_shape())
    return success();
  SmallVector<int64_t> declared;
  for (const auto &dim : tensorType.shape().dim())
    declared.push_back(dim.has_dim_value() && dim.dim_value() > 0
                           ? dim.dim_value()
                           : ShapedType::kDynamic);
  auto matches = [&] {
    if (declared.size() != size_t(type.getRank()))
      return false;
    for (auto [d, c] : llvm::zip(declared, type.getShape()))
      if (d != ShapedType::kDynamic && d != c)
        return false;
    return true;
  };
  if (!matches()) {
    std::string text = "[";
    llvm::raw_string_ostream os(text);
    llvm::interleaveComma(declared, os, [&](int64_t d) {
      if (d == ShapedType::kDynamic)
        os << "?";
      else
        os << d;
    });
    os << "]";
    return emitOutputError()
           << "the computed shape " << formatShape(type.getShape())
           << " differs from the declared shape " << text;
  }
  return success();
}

OwningOpRef<ModuleOp>
GraphImporter::importModel(const onnx::ModelProto &model) {
  if (options.batchSize < 1 || options.batchSize > kMaxDimSize) {
    emitError(fileLoc) << "batch size " << options.batchSize
                       << " is out of range";
    return nullptr;
  }
  if (!model.has_graph()) {
    emitError(fileLoc) << "'" << filename
                       << "' is not an ONNX model: it has no graph";
    return nullptr;
  }
  if (failed(checkOpsets(model)))
    return nullptr;
  const onnx::GraphProto &graph = model.graph();
  if (graph.node_size() == 0 || graph.output_size() == 0) {
    emitError(fileLoc) << "ONNX model '" << filename << "' has an empty graph";
    return nullptr;
  }
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &input : node.input())
      usedNames.insert(input);
  for (const onnx::ValueInfoProto &output : graph.output())
    usedNames.insert(output.name());

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  builder.setInsertionPointToEnd(module->getBody());
  if (failed(importInitializers(graph)))
    return nullptr;

  // Graph inputs that are not initializers become the function arguments.
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (lookup(input.name()))
      continue;
    if (input.name().empty()) {
      emitError(fileLoc) << "a graph input has no name";
      return nullptr;
    }
    FailureOr<RankedTensorType> type = importInputType(input);
    if (failed(type))
      return nullptr;
    argTypes.push_back(*type);
    args.push_back(&input);
  }
  auto func = func::FuncOp::create(builder, fileLoc, "main",
                                   builder.getFunctionType(argTypes, {}));
  Block *entry = builder.createBlock(&func.getBody());
  for (auto [i, info] : llvm::enumerate(args)) {
    Location loc =
        NameLoc::get(StringAttr::get(context, info->name()), fileLoc);
    ImportedValue value;
    value.value = entry->addArgument(argTypes[i], loc);
    value.onnxType = onnx::TensorProto::FLOAT;
    if (failed(define(info->name(), value))) {
      emitError(fileLoc) << "input '" << info->name() << "' is defined twice";
      return nullptr;
    }
    func.setArgAttr(i, kOnnxNameAttr, builder.getStringAttr(info->name()));
  }

  for (auto [index, node] : llvm::enumerate(graph.node()))
    if (failed(importNode(node, index)))
      return nullptr;

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  llvm::StringMap<qnn::DynamicQuantizeOp> dynamicQuantizeOps;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    ImportedValue *value = lookup(output.name());
    if (!value) {
      emitError(fileLoc) << "output '" << output.name()
                         << "' is not computed by the graph";
      return nullptr;
    }
    // DynamicQuantizeLinear's own outputs: computed by qnn.dynamic_quantize.
    if (const DynamicPart *part = value->dynamic.get();
        part && llvm::is_contained({DynamicPart::Kind::Data,
                                    DynamicPart::Kind::Scale,
                                    DynamicPart::Kind::ZeroPoint},
                                   part->kind)) {
      qnn::DynamicQuantizeOp &op = dynamicQuantizeOps[part->source];
      if (!op) {
        MLIRContext *ctx = context;
        auto raw = quant::UniformQuantizedType::get(
            quant::QuantizationFlags::Signed, IntegerType::get(ctx, 8),
            Float32Type::get(ctx), 1.0, -128, -128, 127);
        auto xType = cast<RankedTensorType>(part->input.getType());
        op = qnn::DynamicQuantizeOp::create(
            builder,
            NameLoc::get(StringAttr::get(context, part->source), fileLoc),
            xType.clone(raw), RankedTensorType::get({}, Float32Type::get(ctx)),
            RankedTensorType::get({}, raw), part->input);
      }
      unsigned index = part->kind == DynamicPart::Kind::Data    ? 0
                       : part->kind == DynamicPart::Kind::Scale ? 1
                                                                : 2;
      ImportedValue materialized;
      materialized.value = op->getResult(index);
      materialized.onnxType =
          index == 1 ? onnx::TensorProto::FLOAT : onnx::TensorProto::UINT8;
      *value = materialized;
    }
    if (const DynamicPart *part = value->dynamic.get()) {
      emitError(NameLoc::get(StringAttr::get(context, part->nodeName),
                             fileLoc))
          << "node '" << part->nodeName << "' (" << part->opType
          << "): not supported: its output '" << output.name()
          << "' is a graph output; that output is "
          << describeDynamicOutput(*part);
      return nullptr;
    }
    FailureOr<Value> result = materialize(*value, [&] {
      return emitError(fileLoc) << "output '" << output.name() << "' ";
    });
    if (failed(result))
      return nullptr;
    auto type = cast<RankedTensorType>(result->getType());
    if (failed(checkOutputType(output, type, value->onnxType)))
      return nullptr;
    results.push_back(*result);
    resultTypes.push_back(type);
  }
  func::ReturnOp::create(builder, fileLoc, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, kOnnxNameAttr, builder.getStringAttr(output.name()));

  // A verifier failure here is an importer bug, but report it rather than
  // hand invalid IR to the passes.
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// Entry point
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp>
mlir::quantopt::importONNX(llvm::SourceMgr &sourceMgr, MLIRContext *context,
                           const ImportONNXOptions &options) {
  context->loadDialect<arith::ArithDialect, func::FuncDialect,
                       quant::QuantDialect, qnn::QnnDialect>();
  if (sourceMgr.getNumBuffers() == 0) {
    emitError(UnknownLoc::get(context), "no ONNX input buffer");
    return nullptr;
  }
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef filename = buffer->getBufferIdentifier();
  Location fileLoc = FileLineColLoc::get(context, filename, 0, 0);
  StringRef bytes = buffer->getBuffer();
  if (bytes.size() > size_t(std::numeric_limits<int>::max())) {
    emitError(fileLoc) << "'" << filename << "' is too large (2 GiB at most)";
    return nullptr;
  }
  onnx::ModelProto model;
  if (bytes.empty() || !model.ParseFromArray(bytes.data(), bytes.size())) {
    emitError(fileLoc) << "failed to parse '" << filename
                       << "' as an ONNX model (not a protobuf ModelProto, "
                          "or truncated)";
    return nullptr;
  }
  GraphImporter importer(context, filename, options);
  return importer.importModel(model);
}
