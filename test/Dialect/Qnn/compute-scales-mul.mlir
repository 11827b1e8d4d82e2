// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(qnn-compute-scales))" | FileCheck %s

/// The requantize after an integer mul gets the multiplier of
/// s_a * s_b / s_y = 0.5 * 0.25 / 0.1 = 1.25 = 0.625 * 2^1: by hand,
/// M = round(0.625 * 2^31) = 1342177280 and shift 1.
// CHECK-LABEL: func.func @mul_requantize
//       CHECK:   qnn.requantize %{{.+}} {multiplier = array<i32: 1342177280>, shift = array<i32: 1>}
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
!qp = !quant.uniform<i32:f32, 0.125>
!qy = !quant.uniform<i8:f32, 0.1:5>
func.func @mul_requantize(%a: tensor<1x4x2x2x!qa>, %b: tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qy> {
  %p = qnn.mul %a, %b : (tensor<1x4x2x2x!qa>, tensor<1x4x1x1x!qb>) -> tensor<1x4x2x2x!qp>
  %y = qnn.requantize %p : tensor<1x4x2x2x!qp> to tensor<1x4x2x2x!qy>
  return %y : tensor<1x4x2x2x!qy>
}

// -----

/// A softmax followed by a requantize to float32(1/255) =
/// 0.0039215688593685627: m = 2^-8 / that = 0.9960936910920316 (Python,
/// double), math.frexp gives (m, 0), M = floor(m * 2^31 + 0.5) =
/// 2139094913, shift 0.
// CHECK-LABEL: func.func @softmax_requantize
//       CHECK:   qnn.softmax
//       CHECK:   qnn.requantize %{{.+}} {multiplier = array<i32: 2139094913>, shift = array<i32: 0>}
!q = !quant.uniform<i8:f32, 0.1:4>
!p = !quant.uniform<i8:f32, 0.00390625:-128>
!r = !quant.uniform<i8:f32, 0.003921568859368563:-128>
func.func @softmax_requantize(%x: tensor<2x10x!q>) -> tensor<2x10x!r> {
  %s = qnn.softmax %x {axis = 1 : i64} : (tensor<2x10x!q>) -> tensor<2x10x!p>
  %y = qnn.requantize %s : tensor<2x10x!p> to tensor<2x10x!r>
  return %y : tensor<2x10x!r>
}
