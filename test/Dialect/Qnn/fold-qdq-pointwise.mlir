// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-qdq))" | FileCheck %s
// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-fold-qdq{rounding=double}))" | FileCheck %s --check-prefix=DOUBLE

// qnn-fold-qdq on the pointwise functions (qnn.lut), mul, transpose and
// softmax. The expected tables were computed with numpy in float32,
// independently of the compiler:
//   q_in = -128..127, r = float32(q_in - zp_in) * float32(s_in),
//   table = clip(rint(f(r) / float32(s_out)) + zp_out, -128, 127).

/// Sigmoid, input scale 0.0625, output 1/256 and -128.
// CHECK-LABEL: func.func @sigmoid_to_lut
//  CHECK-SAME:     %[[X:.+]]: tensor<1x8x!quant.uniform<i8:f32, 6.250000e-02>>
//       CHECK:   %[[Y:.+]] = qnn.lut %[[X]] {table = array<i8: -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -128, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -127, -126, -126, -126, -126, -126, -126, -126, -126, -126, -125, -125, -125, -125, -125, -124, -124, -124, -124, -123, -123, -123, -122, -122, -122, -121, -121, -120, -120, -120, -119, -118, -118, -117, -117, -116, -115, -114, -113, -113, -112, -111, -110, -109, -107, -106, -105, -104, -102, -101, -99, -97, -96, -94, -92, -90, -88, -86, -84, -81, -79, -76, -74, -71, -68, -65, -62, -59, -56, -53, -49, -46, -42, -39, -35, -31, -28, -24, -20, -16, -12, -8, -4, 0, 4, 8, 12, 16, 20, 24, 28, 31, 35, 39, 42, 46, 49, 53, 56, 59, 62, 65, 68, 71, 74, 76, 79, 81, 84, 86, 88, 90, 92, 94, 96, 97, 99, 101, 102, 104, 105, 106, 107, 109, 110, 111, 112, 113, 113, 114, 115, 116, 117, 117, 118, 118, 119, 120, 120, 120, 121, 121, 122, 122, 122, 123, 123, 123, 124, 124, 124, 124, 125, 125, 125, 125, 125, 126, 126, 126, 126, 126, 126, 126, 126, 126, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127>}
//  CHECK-SAME:     -> tensor<1x8x!quant.uniform<i8:f32, 3.906250e-03:-128>>
//   CHECK-NOT:   qnn.unary
//       CHECK:   return %[[Y]]
!qi = !quant.uniform<i8:f32, 0.0625>
!qo = !quant.uniform<i8:f32, 0.00390625:-128>
func.func @sigmoid_to_lut(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %q = quant.qcast %x : tensor<1x8xf32> to tensor<1x8x!qi>
  %d = quant.dcast %q : tensor<1x8x!qi> to tensor<1x8xf32>
  %y = qnn.unary %d {function = "sigmoid"} : tensor<1x8xf32>
  %qy = quant.qcast %y : tensor<1x8xf32> to tensor<1x8x!qo>
  %dy = quant.dcast %qy : tensor<1x8x!qo> to tensor<1x8xf32>
  return %dy : tensor<1x8xf32>
}

// -----

/// HardSwish, input 0.05 / -10, output 0.04 / -100.
// CHECK-LABEL: func.func @hard_swish_to_lut
//       CHECK:   qnn.lut %{{.+}} {table = array<i8: -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -100, -101, -101, -102, -102, -103, -103, -104, -104, -105, -105, -106, -106, -106, -107, -107, -107, -108, -108, -108, -108, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -109, -108, -108, -108, -108, -107, -107, -107, -106, -106, -106, -105, -105, -104, -104, -103, -103, -102, -102, -101, -101, -100, -99, -99, -98, -97, -97, -96, -95, -94, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -74, -73, -72, -71, -69, -68, -67, -65, -64, -63, -61, -60, -58, -57, -55, -54, -52, -51, -49, -48, -46, -44, -43, -41, -39, -38, -36, -34, -32, -31, -29, -27, -25, -24, -22, -21, -20, -19, -18, -16, -15, -14, -12, -11, -10, -9, -8, -6, -5, -4, -2, -1, 0, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 14, 15, 16, 18, 19, 20, 21, 23, 24, 25, 26, 28, 29, 30, 31, 33, 34, 35, 36, 38, 39, 40, 41, 43, 44, 45, 46, 48, 49, 50, 51, 52, 54, 55, 56, 58, 59, 60, 61, 62, 64, 65, 66, 68, 69, 70, 71>}
!qi = !quant.uniform<i8:f32, 0.05:-10>
!qo = !quant.uniform<i8:f32, 0.04:-100>
func.func @hard_swish_to_lut(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %q = quant.qcast %x : tensor<1x8xf32> to tensor<1x8x!qi>
  %d = quant.dcast %q : tensor<1x8x!qi> to tensor<1x8xf32>
  %y = qnn.unary %d {function = "hard_swish"} : tensor<1x8xf32>
  %qy = quant.qcast %y : tensor<1x8xf32> to tensor<1x8x!qo>
  %dy = quant.dcast %qy : tensor<1x8x!qo> to tensor<1x8xf32>
  return %dy : tensor<1x8xf32>
}

// -----

/// LeakyRelu alpha 0.5 at scale 1: negative inputs halve, ties to even
/// (-127 * 0.5 = -63.5 -> -64, -125 * 0.5 = -62.5 -> -62).
// CHECK-LABEL: func.func @leaky_relu_to_lut
//       CHECK:   qnn.lut %{{.+}} {table = array<i8: -64, -64, -63, -62, -62, -62, -61,
//  CHECK-SAME:     -2, -2, -1, 0, 0, 1, 2, 3,
//  CHECK-SAME:     125, 126, 127>}
!q = !quant.uniform<i8:f32, 1.0>
func.func @leaky_relu_to_lut(%x: tensor<4x!q>) -> tensor<4x!q> {
  %d = quant.dcast %x : tensor<4x!q> to tensor<4xf32>
  %y = qnn.unary %d {function = "leaky_relu", alpha = 0.5 : f32} : tensor<4xf32>
  %qy = quant.qcast %y : tensor<4xf32> to tensor<4x!q>
  return %qy : tensor<4x!q>
}

// -----

/// A unary op whose result has another (float) user stays in QDQ form.
// CHECK-LABEL: func.func @negative_unary_two_uses
//       CHECK:   qnn.unary
//   CHECK-NOT:   qnn.lut
!q = !quant.uniform<i8:f32, 1.0>
func.func @negative_unary_two_uses(%x: tensor<4x!q>) -> (tensor<4x!q>, tensor<4xf32>) {
  %d = quant.dcast %x : tensor<4x!q> to tensor<4xf32>
  %y = qnn.unary %d {function = "tanh"} : tensor<4xf32>
  %qy = quant.qcast %y : tensor<4xf32> to tensor<4x!q>
  return %qy, %y : tensor<4x!q>, tensor<4xf32>
}

// -----

/// Mul with broadcasting: the exact int32 product at s_a * s_b = 0.125,
/// then a requantize to the output type in the pass's rounding mode.
// CHECK-LABEL: func.func @mul_broadcast
//  CHECK-SAME:     %[[A:[^:]+]]: tensor<1x4x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
//  CHECK-SAME:     %[[B:[^:]+]]: tensor<1x4x1x1x!quant.uniform<i8:f32, 2.500000e-01:7>>
//       CHECK:   %[[P:.+]] = qnn.mul %[[A]], %[[B]] : {{.+}} -> tensor<1x4x2x2x!quant.uniform<i32:f32, 1.250000e-01>>
//       CHECK:   %[[Y:.+]] = qnn.requantize %[[P]] : tensor<1x4x2x2x!quant.uniform<i32:f32, 1.250000e-01>> to tensor<1x4x2x2x!quant.uniform<i8:f32, 1.000000e-01:5>>
//       CHECK:   return %[[Y]]
// DOUBLE-LABEL: func.func @mul_broadcast
//       DOUBLE:   qnn.requantize %{{.+}} {rounding = #qnn.rounding<double>}
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
!qy = !quant.uniform<i8:f32, 0.1:5>
func.func @mul_broadcast(%a: tensor<1x4x2x2x!qa>, %b: tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qy> {
  %da = quant.dcast %a : tensor<1x4x2x2x!qa> to tensor<1x4x2x2xf32>
  %db = quant.dcast %b : tensor<1x4x1x1x!qb> to tensor<1x4x1x1xf32>
  %m = qnn.mul %da, %db : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %q = quant.qcast %m : tensor<1x4x2x2xf32> to tensor<1x4x2x2x!qy>
  return %q : tensor<1x4x2x2x!qy>
}

// -----

/// A float operand that is not dequantized (a float constant) leaves the
/// mul in float; the int8 lowering then reports it.
// CHECK-LABEL: func.func @negative_mul_float_operand
//       CHECK:   qnn.mul %{{.+}}, %{{.+}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
//       CHECK:   quant.qcast
!q = !quant.uniform<i8:f32, 0.5>
func.func @negative_mul_float_operand(%a: tensor<4x!q>) -> tensor<4x!q> {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %da = quant.dcast %a : tensor<4x!q> to tensor<4xf32>
  %m = qnn.mul %da, %c : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %q = quant.qcast %m : tensor<4xf32> to tensor<4x!q>
  return %q : tensor<4x!q>
}

// -----

/// Transpose keeps its input's type; a different output type is one
/// requantize after it.
// CHECK-LABEL: func.func @transpose_keeps_type
//       CHECK:   %[[T:.+]] = qnn.transpose %{{.+}} {perm = array<i64: 1, 0>} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<3x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>
//   CHECK-NOT:   qnn.requantize
//       CHECK:   return %[[T]]
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @transpose_keeps_type(%x: tensor<2x3x!q>) -> tensor<3x2x!q> {
  %d = quant.dcast %x : tensor<2x3x!q> to tensor<2x3xf32>
  %t = qnn.transpose %d {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %q = quant.qcast %t : tensor<3x2xf32> to tensor<3x2x!q>
  return %q : tensor<3x2x!q>
}

// -----

// CHECK-LABEL: func.func @transpose_then_requantize
//       CHECK:   %[[T:.+]] = qnn.transpose
//       CHECK:   %[[R:.+]] = qnn.requantize %[[T]] : tensor<3x2x!quant.uniform<i8:f32, 5.000000e-01:-3>> to tensor<3x2x!quant.uniform<i8:f32, 2.500000e-01>>
//       CHECK:   return %[[R]]
!q = !quant.uniform<i8:f32, 0.5:-3>
!r = !quant.uniform<i8:f32, 0.25>
func.func @transpose_then_requantize(%x: tensor<2x3x!q>) -> tensor<3x2x!r> {
  %d = quant.dcast %x : tensor<2x3x!q> to tensor<2x3xf32>
  %t = qnn.transpose %d {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %q = quant.qcast %t : tensor<3x2xf32> to tensor<3x2x!r>
  return %q : tensor<3x2x!r>
}

// -----

/// Softmax to ONNX Runtime's output type (1/256, -128): one integer op.
// CHECK-LABEL: func.func @softmax_to_integer
//       CHECK:   %[[S:.+]] = qnn.softmax %{{.+}} {axis = 1 : i64} : (tensor<2x10x!quant.uniform<i8:f32, 1.000000e-01:4>>) -> tensor<2x10x!quant.uniform<i8:f32, 3.906250e-03:-128>>
//   CHECK-NOT:   qnn.requantize
//       CHECK:   return %[[S]]
!q = !quant.uniform<i8:f32, 0.1:4>
!p = !quant.uniform<i8:f32, 0.00390625:-128>
func.func @softmax_to_integer(%x: tensor<2x10x!q>) -> tensor<2x10x!p> {
  %d = quant.dcast %x : tensor<2x10x!q> to tensor<2x10xf32>
  %s = qnn.softmax %d {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %q = quant.qcast %s : tensor<2x10xf32> to tensor<2x10x!p>
  return %q : tensor<2x10x!p>
}

// -----

/// Any other output type: the integer softmax, then a requantize.
// CHECK-LABEL: func.func @softmax_other_output_type
//       CHECK:   %[[S:.+]] = qnn.softmax %{{.+}} -> tensor<2x10x!quant.uniform<i8:f32, 3.906250e-03:-128>>
//       CHECK:   %[[R:.+]] = qnn.requantize %[[S]] : {{.+}} to tensor<2x10x!quant.uniform<i8:f32, 0.0039215688593685627:-128>>
//       CHECK:   return %[[R]]
!q = !quant.uniform<i8:f32, 0.1:4>
!p = !quant.uniform<i8:f32, 0.0039215688593685627:-128>
func.func @softmax_other_output_type(%x: tensor<2x10x!q>) -> tensor<2x10x!p> {
  %d = quant.dcast %x : tensor<2x10x!q> to tensor<2x10xf32>
  %s = qnn.softmax %d {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %q = quant.qcast %s : tensor<2x10xf32> to tensor<2x10x!p>
  return %q : tensor<2x10x!p>
}
