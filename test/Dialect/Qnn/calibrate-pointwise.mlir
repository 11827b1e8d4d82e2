// qnn-calibrate on the pointwise functions, mul, transpose, reshape and
// softmax: the reference interpreter evaluates them on two samples
// ([-2, -1, 0, 1] and [0.5, 2, -0.5, 3]), ranges become int8 parameters,
// transpose and reshape keep their input's parameters and softmax gets
// ONNX Runtime's fixed output type (1/256, -128).
//
// Golden parameters, computed with numpy in float32, independently of the
// pass (scale = float32((max - min) / 255) over the range widened to 0,
// zero point = round(-128 - min / scale)):
//   input                 [-2, 3]               0.019607843831181526, -26
//   sigmoid               [0, 0.95257413]       0.0037355849053710699, -128
//   x * sigmoid(x)        [-0.2689414, 2.8577223] 0.012261426076292992, -106
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON -c "import numpy as np; np.save('%t/samples.npy', np.array([[-2, -1, 0, 1], [0.5, 2, -0.5, 3]], np.float32))"
// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/samples.npy}))" | FileCheck %s

// CHECK-LABEL: func.func @silu_transpose_softmax
//       CHECK:   quant.qcast %{{.+}} : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.019607843831181526:-26>>
//       CHECK:   %[[S:.+]] = qnn.unary %{{.+}} {function = "sigmoid"}
//       CHECK:   quant.qcast %[[S]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.0037355849053710{{[0-9]*}}:-128>>
//       CHECK:   %[[M:.+]] = qnn.mul
//       CHECK:   quant.qcast %[[M]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.012261426076292992:-106>>
//       CHECK:   %[[T:.+]] = qnn.transpose
//       CHECK:   quant.qcast %[[T]] : tensor<4x1xf32> to tensor<4x1x!quant.uniform<i8:f32, 0.012261426076292992:-106>>
//       CHECK:   %[[R:.+]] = qnn.reshape
//       CHECK:   quant.qcast %[[R]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.012261426076292992:-106>>
//       CHECK:   %[[Y:.+]] = qnn.softmax
//       CHECK:   quant.qcast %[[Y]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 3.906250e-03:-128>>
func.func @silu_transpose_softmax(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = qnn.unary %x {function = "sigmoid"} : tensor<1x4xf32>
  %m = qnn.mul %x, %s : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %t = qnn.transpose %m {perm = array<i64: 1, 0>} : (tensor<1x4xf32>) -> tensor<4x1xf32>
  %r = qnn.reshape %t : (tensor<4x1xf32>) -> tensor<1x4xf32>
  %y = qnn.softmax %r {axis = 1 : i64} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

/// LeakyRelu (alpha 0.5) and tanh: the interpreter evaluates them, so their
/// ranges are [-1, 3] -> 0.015686275437474251, -64 and
/// [tanh(-1), tanh(3)] = [-0.7615942, 0.9950548] -> 0.006888819..., -17 (the
/// float32 tanh of libm and of numpy may differ in the last place).
// CHECK-LABEL: func.func @negative_inputs
//       CHECK:   %[[L:.+]] = qnn.unary %{{.+}} {alpha = 5.000000e-01 : f32, function = "leaky_relu"}
//       CHECK:   quant.qcast %[[L]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.015686275437474251:-64>>
//       CHECK:   %[[T:.+]] = qnn.unary %{{.+}} {function = "tanh"}
//       CHECK:   quant.qcast %[[T]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 0.006888819{{[0-9]+}}:-17>>
func.func @negative_inputs(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %l = qnn.unary %x {function = "leaky_relu", alpha = 0.5 : f32} : tensor<1x4xf32>
  %t = qnn.unary %l {function = "tanh"} : tensor<1x4xf32>
  return %t : tensor<1x4xf32>
}
