//===- Interpreter.h - Reference evaluation of float qnn graphs ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// A small reference interpreter for the float form of the qnn dialect, used
// by calibration to observe every activation on sample inputs. It also runs
// the QDQ form (quant.qcast / quant.dcast / quant.scast), which simulates the
// int8 program in float ("fake quantization").
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INTERPRETER_H
#define QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <vector>

namespace mlir::quantopt::qnn {

/// Evaluates a float qnn function on concrete inputs.
class FloatInterpreter {
public:
  using Observer =
      llvm::function_ref<void(Value value, const std::vector<float> &data)>;

  /// Checks that every op of `func` can be evaluated; emits an error naming
  /// the first op that cannot.
  static LogicalResult verifySupported(func::FuncOp func);

  explicit FloatInterpreter(func::FuncOp func) : func(func) {}

  /// Runs the function on `inputs` (one buffer per argument, row-major) and
  /// calls `observe` for every argument and op result.
  LogicalResult run(ArrayRef<std::vector<float>> inputs, Observer observe);

  /// Values whose computed buffer is replaced, after `observe` has seen it,
  /// by the given one in later runs (null: none). Used to feed each layer of
  /// a QDQ graph the float graph's values.
  void setOverrides(const llvm::DenseMap<Value, std::vector<float>> *map) {
    overrides = map;
  }

  /// ONNX QuantizeLinear of `data` (a tensor of `type`'s shape) into the
  /// quantized element type of `type` (per tensor or per axis): round half
  /// to even, saturate. The integers are returned as floats.
  static std::vector<float> quantize(const std::vector<float> &data,
                                     Type type);

  /// ONNX DequantizeLinear: `scale * (q - zero_point)`, per tensor or per
  /// axis, of integers stored as floats; `type` is the quantized tensor type.
  static std::vector<float> dequantize(const std::vector<float> &data,
                                       Type type);

private:
  func::FuncOp func;
  const llvm::DenseMap<Value, std::vector<float>> *overrides = nullptr;
  /// Constants are decoded once.
  llvm::DenseMap<Value, std::vector<float>> constants;
};

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INTERPRETER_H
