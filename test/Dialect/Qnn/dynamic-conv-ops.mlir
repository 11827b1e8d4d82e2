// RUN: quant-opt %s | quant-opt | FileCheck %s
// RUN: quant-opt %s --mlir-print-op-generic | quant-opt | FileCheck %s

/// qnn.dynamic_conv round-trips with a per-tensor filter (with a zero
/// point) and a per-channel one.
// CHECK-LABEL: func.func @dynamic_conv
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<1x4x5x5xf32>
//       CHECK:   qnn.dynamic_conv %[[X]], %{{.+}} {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<2x2x3x3x!quant.uniform<i8:f32, 5.000000e-01:-3>>) -> tensor<1x2x3x3xf32>
//       CHECK:   qnn.dynamic_conv %[[X]], %{{.+}} {{.+}} : (tensor<1x4x5x5xf32>, tensor<2x4x1x1x!quant.uniform<i8:f32:0, {5.000000e-01,2.500000e-01}>>) -> tensor<1x2x5x5xf32>
!w = !quant.uniform<i8:f32, 0.5:-3>
!wc = !quant.uniform<i8:f32:0, {0.5, 0.25}>
func.func @dynamic_conv(%x: tensor<1x4x5x5xf32>, %w: tensor<2x2x3x3x!w>, %wc: tensor<2x4x1x1x!wc>) -> (tensor<1x2x3x3xf32>, tensor<1x2x5x5xf32>) {
  %y = qnn.dynamic_conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<2x2x3x3x!w>) -> tensor<1x2x3x3xf32>
  %z = qnn.dynamic_conv %x, %wc {dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x4x5x5xf32>, tensor<2x4x1x1x!wc>) -> tensor<1x2x5x5xf32>
  return %y, %z : tensor<1x2x3x3xf32>, tensor<1x2x5x5xf32>
}
