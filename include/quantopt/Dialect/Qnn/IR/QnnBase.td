//===- QnnBase.td - qnn dialect definition -----------------*- tablegen -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The qnn dialect: neural-network graph ops with ONNX semantics on tensors
// whose element type is f32 or an upstream !quant.uniform type.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_DIALECT_QNN_IR_QNNBASE_TD
#define QUANTOPT_DIALECT_QNN_IR_QNNBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Dialect/Quant/IR/QuantBase.td"

def Qnn_Dialect : Dialect {
  let name = "qnn";
  let cppNamespace = "::mlir::quantopt::qnn";
  let summary = "Quantized neural-network graph ops with ONNX semantics";
  let description = [{
    The `qnn` dialect holds the graph of an imported ONNX model. Every op works
    on ranked, statically shaped tensors whose element type is either `f32`
    (a float model, or the float ops between `quant.dcast` and `quant.qcast`
    in a QDQ model) or an upstream `!quant.uniform` type (the integer form).
    In the integer form every change of scale is an explicit
    `qnn.requantize`, whose rounding mode is an attribute.
  }];
  let dependentDialects = ["::mlir::quant::QuantDialect"];
  let useDefaultAttributePrinterParser = 1;
}

def Qnn_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of the fixed-point requantize multiply", [
      I32EnumAttrCase<"Single", 0, "single">,
      I32EnumAttrCase<"Double", 1, "double">
    ]> {
  let genSpecializedAttr = 0;
  let cppNamespace = "::mlir::quantopt::qnn";
}

def Qnn_RoundingModeAttr : EnumAttr<Qnn_Dialect, Qnn_RoundingMode, "rounding"> {
  let assemblyFormat = "`<` $value `>`";
}

class Qnn_Op<string mnemonic, list<Trait> traits = []>
    : Op<Qnn_Dialect, mnemonic, traits>;

/// A tensor of f32 or of a quantized type (storage i8 or i32).
def Qnn_Tensor : RankedTensorOf<[F32, quant_QuantizedType]>;
def Qnn_BiasTensor : RankedTensorOf<[F32, I32]>;

#endif // QUANTOPT_DIALECT_QNN_IR_QNNBASE_TD
