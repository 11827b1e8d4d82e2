// RUN: quant-opt %s --split-input-file | quant-opt --split-input-file | FileCheck %s
// RUN: quant-opt %s --split-input-file --mlir-print-op-generic | quant-opt --split-input-file | FileCheck %s

/// The float forms of the pointwise functions, mul, transpose and softmax
/// round-trip.
// CHECK-LABEL: func.func @float_forms
//       CHECK:   qnn.unary %{{.+}} {alpha = 1.000000e-01 : f32, function = "leaky_relu"} : tensor<1x4x2x2xf32>
//       CHECK:   qnn.unary %{{.+}} {function = "sigmoid"} : tensor<1x4x2x2xf32>
//       CHECK:   qnn.unary %{{.+}} {alpha = 2.000000e-01 : f32, beta = 5.000000e-01 : f32, function = "hard_sigmoid"}
//       CHECK:   qnn.unary %{{.+}} {function = "hard_swish"}
//       CHECK:   qnn.unary %{{.+}} {function = "tanh"}
//       CHECK:   qnn.mul %{{.+}}, %{{.+}} : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
//       CHECK:   qnn.transpose %{{.+}} {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x4xf32>
//       CHECK:   qnn.softmax %{{.+}} {axis = 3 : i64} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
func.func @float_forms(%x: tensor<1x4x2x2xf32>, %s: tensor<1x4x1x1xf32>) -> tensor<1x2x2x4xf32> {
  %0 = qnn.unary %x {function = "leaky_relu", alpha = 0.1 : f32} : tensor<1x4x2x2xf32>
  %1 = qnn.unary %0 {function = "sigmoid"} : tensor<1x4x2x2xf32>
  %2 = qnn.unary %1 {function = "hard_sigmoid", alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<1x4x2x2xf32>
  %3 = qnn.unary %2 {function = "hard_swish"} : tensor<1x4x2x2xf32>
  %4 = qnn.unary %3 {function = "tanh"} : tensor<1x4x2x2xf32>
  %5 = qnn.mul %4, %s : (tensor<1x4x2x2xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %6 = qnn.transpose %5 {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x4xf32>
  %7 = qnn.softmax %6 {axis = 3 : i64} : (tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %7 : tensor<1x2x2x4xf32>
}

// -----

/// The integer forms: a 256-entry lookup table, the exact int32 product at
/// scale s_a * s_b, a transpose keeping the type, softmax to 1/256, -128.
// CHECK-LABEL: func.func @integer_forms
//       CHECK:   qnn.lut %{{.+}} {table = array<i8: -128, -127,
//       CHECK:   qnn.mul %{{.+}}, %{{.+}} : (tensor<1x4x2x2x!quant.uniform<i8:f32, 5.000000e-01:-3>>, tensor<1x4x1x1x!quant.uniform<i8:f32, 2.500000e-01>>) -> tensor<1x4x2x2x!quant.uniform<i32:f32, 1.250000e-01>>
//       CHECK:   qnn.transpose %{{.+}} {perm = array<i64: 1, 0>}
//       CHECK:   qnn.softmax %{{.+}} {axis = 1 : i64} : (tensor<2x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<2x3x!quant.uniform<i8:f32, 3.906250e-03:-128>>
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25>
!qp = !quant.uniform<i32:f32, 0.125>
!qs = !quant.uniform<i8:f32, 0.00390625:-128>
func.func @integer_forms(%x: tensor<1x4x2x2x!qa>, %s: tensor<1x4x1x1x!qb>, %m: tensor<3x2x!qa>) -> (tensor<1x4x2x2x!qa>, tensor<1x4x2x2x!qp>, tensor<2x3x!qs>) {
  %0 = qnn.lut %x {table = array<i8: -128, -127, -126, -125, -124, -123, -122, -121, -120, -119, -118, -117, -116, -115, -114, -113, -112, -111, -110, -109, -108, -107, -106, -105, -104, -103, -102, -101, -100, -99, -98, -97, -96, -95, -94, -93, -92, -91, -90, -89, -88, -87, -86, -85, -84, -83, -82, -81, -80, -79, -78, -77, -76, -75, -74, -73, -72, -71, -70, -69, -68, -67, -66, -65, -64, -63, -62, -61, -60, -59, -58, -57, -56, -55, -54, -53, -52, -51, -50, -49, -48, -47, -46, -45, -44, -43, -42, -41, -40, -39, -38, -37, -36, -35, -34, -33, -32, -31, -30, -29, -28, -27, -26, -25, -24, -23, -22, -21, -20, -19, -18, -17, -16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127>} : (tensor<1x4x2x2x!qa>) -> tensor<1x4x2x2x!qa>
  %1 = qnn.mul %x, %s : (tensor<1x4x2x2x!qa>, tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qp>
  %2 = qnn.transpose %m {perm = array<i64: 1, 0>} : (tensor<3x2x!qa>) -> tensor<2x3x!qa>
  %3 = qnn.softmax %2 {axis = 1 : i64} : (tensor<2x3x!qa>) -> tensor<2x3x!qs>
  return %0, %1, %3 : tensor<1x4x2x2x!qa>, tensor<1x4x2x2x!qp>, tensor<2x3x!qs>
}
