// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s

/// The integer lowering's only float: conversions at the function boundary
/// that the int8 API cannot carry (lower-to-linalg-int8.mlir checks that
/// nothing else is float, and the errors for other float inputs and results).

// Conversions the int8 API cannot carry stay at the boundary and are
// lowered: a float input quantized per axis, an int32 result dequantized.
!qx = !quant.uniform<i8:f32:1, {0.5:3, 0.25:-1}>
!qacc = !quant.uniform<i32:f32, 2.0>
// CHECK-LABEL: func.func @boundary_casts
//  CHECK-SAME:   (%[[X:.+]]: tensor<1x2xf32>, %[[A:.+]]: tensor<1x2xi32>) -> (tensor<1x2xi8>, tensor<1x2xf32>)
//       CHECK:   %[[Q:.+]] = linalg.generic {{.+}} ins(%[[X]], %{{.+}}, %{{.+}} : tensor<1x2xf32>, tensor<2xf32>, tensor<2xi32>)
//       CHECK:     arith.divf
//       CHECK:   %[[D:.+]] = linalg.generic {{.+}} ins(%[[A]] : tensor<1x2xi32>)
//       CHECK:     arith.sitofp
//       CHECK:   return %[[Q]], %[[D]]
func.func @boundary_casts(%x: tensor<1x2xf32>, %a: tensor<1x2x!qacc>) -> (tensor<1x2x!qx>, tensor<1x2xf32>) {
  %q = quant.qcast %x : tensor<1x2xf32> to tensor<1x2x!qx>
  %d = quant.dcast %a : tensor<1x2x!qacc> to tensor<1x2xf32>
  return %q, %d : tensor<1x2x!qx>, tensor<1x2xf32>
}

