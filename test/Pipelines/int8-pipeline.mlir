// Smoke test of the registered qnn-int8-pipeline: fold BatchNorm, calibrate
// (float models), fold QDQ, canonicalize, compute scales, fuse, canonicalize,
// CSE.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %PYTHON %S/../Dialect/Qnn/Inputs/make_calibration_data.py %t
// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(qnn-int8-pipeline{calibration-data=%t/samples.npy calibration-samples=2})" > %t/int8.mlir
// RUN: FileCheck %s < %t/int8.mlir
// RUN: FileCheck %s --check-prefix=INT8 < %t/int8.mlir
// RUN: quant-opt %s --split-input-file --pass-pipeline="builtin.module(qnn-int8-pipeline{calibration-data=%t/samples.npy calibration-samples=2 rounding=double})" | FileCheck %s --check-prefix=DOUBLE
//
// The result lowers to int8 linalg with no float and no qnn/quant op left.
// RUN: quant-opt %t/int8.mlir --split-input-file --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" > %t/lowered.mlir
// RUN: FileCheck %s --check-prefix=LOWER < %t/lowered.mlir
// RUN: FileCheck %s --check-prefix=NOFLOAT < %t/lowered.mlir

// Anywhere in the integer graph: no QDQ cast and no float tensor (dead f32
// biases are gone after canonicalization).
// INT8-NOT: {{quant\.qcast|quant\.dcast|tensor<[0-9x]*xf32>}}

// NOFLOAT-NOT: {{f16|f32|f64|arith\.[a-z]+f |sitofp|fptosi|quant\.|qnn\.}}

/// A float model calibrated on samples s0, s1 of
/// Dialect/Qnn/Inputs/make_calibration_data.py (see calibrate.mlir for the
/// ranges): input (0.03125, -96), relu/pool/flatten (0.0625, -128), gemm
/// output (0.125, 0); per-channel weight scales
/// conv {2/127, 0.5/127}, gemm {1/127, 4/127, 1/127}.
/// Computed in Python, independently of the passes:
///   conv bias: 2 / (0.03125 * 2/127) = 4064.00002 -> 4064,
///              1 / (0.03125 * 0.5/127) = 8128.00003 -> 8128
///   conv m[c] = 0.03125 * s_w[c] / 0.0625: 0.0078740157 = 0.50394 * 2^-6,
///     0.0019685039 = 0.50394 * 2^-8 -> M = 1082196480, shifts -6, -8
///   gemm m[c] = 0.0625 * s_w[c] / 0.125: shifts -7, -5, -7, M = 1082196480
/// conv -> requantize -> relu -> max_pool becomes one conv_relu_pool; the
/// relu clamp is the zero point -128; the boundary is quantized.
// CHECK-LABEL: func.func @float_model
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>) -> tensor<1x3x!quant.uniform<i8:f32, 1.250000e-01>>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[4064, 8128]> : tensor<2xi32>
//   CHECK-DAG:   %[[W:.+]] = quant.scast %{{.+}} : tensor<2x1x1x1xi8>
//       CHECK:   %[[P:.+]] = qnn.conv_relu_pool %[[X]], %[[W]], %[[B]]
//  CHECK-SAME:     clamp_max = 127 : i64, clamp_min = -128 : i64
//  CHECK-SAME:     multiplier = array<i32: 1082196480, 1082196480>
//  CHECK-SAME:     rounding = #qnn.rounding<single>, shift = array<i32: -6, -8>
//  CHECK-SAME:     -> tensor<1x2x1x1x!quant.uniform<i8:f32, 6.250000e-02:-128>>
//       CHECK:   %[[F:.+]] = qnn.flatten %[[P]]
//       CHECK:   %[[G:.+]] = qnn.gemm %[[F]], %{{.+}} {transB = true}
//       CHECK:   %[[R:.+]] = qnn.requantize %[[G]] {multiplier = array<i32: 1082196480, 1082196480, 1082196480>, shift = array<i32: -7, -5, -7>}
//       CHECK:   return %[[R]]
// DOUBLE-LABEL: func.func @float_model
//       DOUBLE:   qnn.conv_relu_pool {{.*}}rounding = #qnn.rounding<double>
//       DOUBLE:   qnn.requantize {{.*}}rounding = #qnn.rounding<double>
// LOWER-LABEL: func.func @float_model
//  LOWER-SAME:     tensor<1x1x2x2xi8>) -> tensor<1x3xi8>
func.func @float_model(%x: tensor<1x1x2x2xf32>) -> tensor<1x3xf32> {
  %w = arith.constant dense<[[[[2.0]]], [[[-0.5]]]]> : tensor<2x1x1x1xf32>
  %b = arith.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %c = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %r = qnn.relu %c : tensor<1x2x2x2xf32>
  %p = qnn.max_pool %r {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x2x2xf32>) -> tensor<1x2x1x1xf32>
  %f = qnn.flatten %p {axis = 1 : i64} : (tensor<1x2x1x1xf32>) -> tensor<1x2xf32>
  %gw = arith.constant dense<[[1.0, 0.0], [0.0, 4.0], [-1.0, 0.0]]> : tensor<3x2xf32>
  %g = qnn.gemm %f, %gw {transB = true} : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  return %g : tensor<1x3xf32>
}

// -----

/// A QDQ model needs no calibration data (calibrate leaves it alone even
/// when given some). Seed scales of ARCHITECTURE.md §4: bias
/// 0.5 / 1.640625e-05 -> 30476, -0.25 / 3.28125e-05 -> -7619; multipliers
/// (1535222353, -10) and (1535222353, -9); the relu is the clamp at the
/// output zero point -5.
// CHECK-LABEL: func.func @qdq_model
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x4x4x!quant.uniform<i8:f32, 7.812500e-03:-128>>) -> tensor<1x2x2x2x!quant.uniform<i8:f32, 2.350000e-02:-5>>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[30476, -7619]> : tensor<2xi32>
//       CHECK:   %[[P:.+]] = qnn.conv_relu_pool %[[X]], %{{.+}}, %[[B]]
//  CHECK-SAME:     clamp_max = 127 : i64, clamp_min = -5 : i64
//  CHECK-SAME:     multiplier = array<i32: 1535222353, 1535222353>
//  CHECK-SAME:     shift = array<i32: -10, -9>
//       CHECK:   return %[[P]]
// DOUBLE-LABEL: func.func @qdq_model
//       DOUBLE:   qnn.conv_relu_pool {{.*}}rounding = #qnn.rounding<double>
// LOWER-LABEL: func.func @qdq_model
//  LOWER-SAME:     tensor<1x1x4x4xi8>) -> tensor<1x2x2x2xi8>
!qx = !quant.uniform<i8:f32, 0.0078125:-128>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.0021, 0.0042}>
!qb = !quant.uniform<i8:f32, 0.0235:-5>
func.func @qdq_model(%in: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %xq = quant.qcast %in : tensor<1x1x4x4xf32> to tensor<1x1x4x4x!qx>
  %x = quant.dcast %xq : tensor<1x1x4x4x!qx> to tensor<1x1x4x4xf32>
  %wi = arith.constant dense<1> : tensor<2x1x3x3xi8>
  %wq = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %w = quant.dcast %wq : tensor<2x1x3x3x!qw> to tensor<2x1x3x3xf32>
  %b = arith.constant dense<[0.5, -0.25]> : tensor<2xf32>
  %c = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = qnn.relu %c : tensor<1x2x4x4xf32>
  %rq = quant.qcast %r : tensor<1x2x4x4xf32> to tensor<1x2x4x4x!qb>
  %rd = quant.dcast %rq : tensor<1x2x4x4x!qb> to tensor<1x2x4x4xf32>
  %p = qnn.max_pool %rd {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %pq = quant.qcast %p : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!qb>
  %pd = quant.dcast %pq : tensor<1x2x2x2x!qb> to tensor<1x2x2x2xf32>
  return %pd : tensor<1x2x2x2xf32>
}

// -----

/// The first pass folds the BatchNorm (scale 2, bias 1, mean 0, variance 1,
/// epsilon 0) into the 1x1 conv (w = 1, no bias): w' = 2, b' = 1, before
/// calibration, so the weight is quantized from the folded value. On s0, s1
/// ReLU6 (Clip(0, 6)) of 2x + 1 spans [0, 6] and the global average pool
/// [0, 3.25] (means 3.25 and 2.5). Computed in Python:
///   s_w = float32(2) / 127 = 0.015748031437397003, w_q = 127
///   bias 1 / (0.03125 * s_w) = 2032.0000076 -> 2032
///   s_clip = float32(6) / 255 = 0.0235294122, zp -128;
///   conv m = 0.03125 * s_w / s_clip = 0.0209153538 -> (1437292172, -5)
///   s_gap = float32(3.25) / 255 = 0.0127450982, zp -128;
///   pool m = s_clip / (4 * s_gap) = 0.4615384643 -> (1982292610, -1)
/// The clip is the requantize's clamp; 6 maps to 127, the top of the range.
// CHECK-LABEL: func.func @float_model_batchnorm_relu6_gap
//   CHECK-NOT:   qnn.batch_norm
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<2032> : tensor<1xi32>
//   CHECK-DAG:   %[[WI:.+]] = arith.constant dense<127> : tensor<1x1x1x1xi8>
//       CHECK:   %[[C:.+]] = qnn.conv %{{.+}}, %{{.+}}, %[[B]]
//       CHECK:   %[[R:.+]] = qnn.requantize %[[C]] {clamp_max = 127 : i64, clamp_min = -128 : i64, multiplier = array<i32: 1437292172>, shift = array<i32: -5>}
//  CHECK-SAME:     to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.02352941222[0-9]*}}:-128>>
//       CHECK:   %[[P:.+]] = qnn.avg_pool %[[R]] {kernel_shape = array<i64: 2, 2>, multiplier = array<i32: 1982292610>, pads = array<i64: 0, 0, 0, 0>, shift = array<i32: -1>, strides = array<i64: 1, 1>}
//  CHECK-SAME:     -> tensor<1x1x1x1x!quant.uniform<i8:f32, {{0.01274509821[0-9]*}}:-128>>
//       CHECK:   return %[[P]]
// LOWER-LABEL: func.func @float_model_batchnorm_relu6_gap
func.func @float_model_batchnorm_relu6_gap(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %scale = arith.constant dense<2.0> : tensor<1xf32>
  %bias = arith.constant dense<1.0> : tensor<1xf32>
  %mean = arith.constant dense<0.0> : tensor<1xf32>
  %var = arith.constant dense<1.0> : tensor<1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %n = qnn.batch_norm %c, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %r = qnn.clip %n {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x1x2x2xf32>
  %p = qnn.avg_pool %r {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  return %p : tensor<1x1x1x1xf32>
}
