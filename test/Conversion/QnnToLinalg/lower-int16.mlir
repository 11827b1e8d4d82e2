// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s
// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s --check-prefix=NOFLOAT

// 16x8 lowering: int16 activations are i16 tensors, sign-extended to i32
// for the products (the accumulator stays i32: qnn-fold-qdq checks the
// bound), requantized in i64 and clamped to [-32767, 32767] (or the relu
// range [0, 32767]) before the truncation to i16. No float anywhere.
// NOFLOAT-NOT: {{arith\.[a-z]+f |sitofp|uitofp|fptosi|fptoui|bf16|f16|f32|f64}}

/// Gemm with an int16 input: i16 x i8 -> i32 multiply-accumulate; the
/// requantize to int16 clamps to the relu range [0, 32767] and truncates
/// to i16; max pool pads with the lowest int16 value, -32767.
// CHECK-LABEL: func.func @gemm_int16
//  CHECK-SAME:     %[[A:.+]]: tensor<1x4xi16>
//       CHECK:   linalg.generic
//       CHECK:     arith.extsi %{{.+}} : i16 to i32
//       CHECK:     arith.extsi %{{.+}} : i8 to i32
//       CHECK:     arith.muli
//       CHECK:     arith.addi
//       CHECK:   } -> tensor<1x2xi32>
//       CHECK:   linalg.generic
//       CHECK:     arith.extsi %{{.+}} : i32 to i64
//       CHECK:     arith.constant 0 : i64
//       CHECK:     arith.constant 32767 : i64
//       CHECK:     arith.trunci %{{.+}} : i64 to i16
//       CHECK:   } -> tensor<1x2xi16>
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!qw = !quant.uniform<i8<-127:127>:f32, 0.015625>
!acc = !quant.uniform<i32:f32, 1.52587890625E-5>
!qo = !quant.uniform<i16<-32767:32767>:f32, 0.25>
func.func @gemm_int16(%a: tensor<1x4x!q16>) -> tensor<1x2x!qo> {
  %wi = arith.constant dense<[[1, 2, 3, 4], [-1, -2, -3, -4]]> : tensor<2x4xi8>
  %w = quant.scast %wi : tensor<2x4xi8> to tensor<2x4x!qw>
  %b = arith.constant dense<[7, -7]> : tensor<2xi32>
  %acc = qnn.gemm %a, %w, %b {transB = true} : (tensor<1x4x!q16>, tensor<2x4x!qw>, tensor<2xi32>) -> tensor<1x2x!acc>
  %y = qnn.requantize %acc {clamp_min = 0 : i64, multiplier = array<i32: 1073741824>, shift = array<i32: -13>} : tensor<1x2x!acc> to tensor<1x2x!qo>
  return %y : tensor<1x2x!qo>
}

// -----

/// Max pool on int16 pads with -32767; requantize int16 -> int8.
// CHECK-LABEL: func.func @pool_requantize_int16
//       CHECK:   arith.constant -32767 : i16
//       CHECK:   tensor.pad
//       CHECK:   arith.maxsi %{{.+}} : i16
//       CHECK:   } -> tensor<1x1x2x2xi16>
//       CHECK:   arith.extsi %{{.+}} : i16 to i64
//       CHECK:   arith.constant -128 : i64
//       CHECK:   arith.constant 127 : i64
//       CHECK:   arith.trunci %{{.+}} : i64 to i8
//       CHECK:   } -> tensor<1x1x2x2xi8>
!q16 = !quant.uniform<i16<-32767:32767>:f32, 0.0009765625>
!q8 = !quant.uniform<i8:f32, 0.25:0>
func.func @pool_requantize_int16(%x: tensor<1x1x4x4x!q16>) -> tensor<1x1x2x2x!q8> {
  %p = qnn.max_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4x!q16>) -> tensor<1x1x2x2x!q16>
  %y = qnn.requantize %p {multiplier = array<i32: 1073741824>, shift = array<i32: -7>} : tensor<1x1x2x2x!q16> to tensor<1x1x2x2x!q8>
  return %y : tensor<1x1x2x2x!q8>
}
