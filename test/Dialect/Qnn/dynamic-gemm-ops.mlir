// RUN: quant-opt %s --split-input-file | quant-opt --split-input-file | FileCheck %s
// RUN: quant-opt %s --split-input-file --mlir-print-op-generic | quant-opt --split-input-file | FileCheck %s

/// qnn.dynamic_gemm round-trips with and without its bias.
// CHECK-LABEL: func.func @dynamic_gemm
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<2x3xf32>, %[[W:[^:]+]]: tensor<4x3x!quant.uniform{{.*}}>, %[[B:[^:]+]]: tensor<4xf32>
//       CHECK:   %[[Y:.+]] = qnn.dynamic_gemm %[[X]], %[[W]], %[[B]] {transB = true}
//       CHECK:   qnn.dynamic_gemm %[[X]], %{{.+}} : (tensor<2x3xf32>, tensor<3x4x!quant.uniform<i8<-127:127>:f32, 5.000000e-01>>) -> tensor<2x4xf32>
!wt = !quant.uniform<i8<-127:127>:f32:0, {0.5, 0.25, 0.125, 1.0}>
!w = !quant.uniform<i8<-127:127>:f32, 0.5>
func.func @dynamic_gemm(%x: tensor<2x3xf32>, %wt: tensor<4x3x!wt>, %b: tensor<4xf32>, %w: tensor<3x4x!w>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %y = qnn.dynamic_gemm %x, %wt, %b {transB = true} : (tensor<2x3xf32>, tensor<4x3x!wt>, tensor<4xf32>) -> tensor<2x4xf32>
  %z = qnn.dynamic_gemm %x, %w : (tensor<2x3xf32>, tensor<3x4x!w>) -> tensor<2x4xf32>
  return %y, %z : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

/// Weight zero points (an imported ONNX Runtime MatMulInteger), per tensor
/// and per column.
// CHECK-LABEL: func.func @dynamic_gemm_weight_zero_point
//       CHECK:   qnn.dynamic_gemm %{{.+}}, %{{.+}} : (tensor<2x3xf32>, tensor<3x2x!quant.uniform<i8:f32:1, {5.000000e-01:-3,2.500000e-01:7}>>) -> tensor<2x2xf32>
//       CHECK:   qnn.dynamic_gemm %{{.+}}, %{{.+}} : (tensor<2x3xf32>, tensor<3x2x!quant.uniform<i8:f32, 5.000000e-01:-128>>) -> tensor<2x2xf32>
!wa = !quant.uniform<i8:f32:1, {0.5:-3, 0.25:7}>
!wt = !quant.uniform<i8:f32, 0.5:-128>
func.func @dynamic_gemm_weight_zero_point(%x: tensor<2x3xf32>, %wa: tensor<3x2x!wa>, %wt: tensor<3x2x!wt>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %y = qnn.dynamic_gemm %x, %wa : (tensor<2x3xf32>, tensor<3x2x!wa>) -> tensor<2x2xf32>
  %z = qnn.dynamic_gemm %x, %wt : (tensor<2x3xf32>, tensor<3x2x!wt>) -> tensor<2x2xf32>
  return %y, %z : tensor<2x2xf32>, tensor<2x2xf32>
}
