// Calibration data is generated at test time (Inputs/make_calibration_data.py)
// and the error cases need their own pass options, so this file is split
// with split-file: positive and negative cases in calibrate.mlir, one file
// per diagnostic.
//
// RUN: rm -rf %t && split-file %s %t
// RUN: %PYTHON %S/Inputs/make_calibration_data.py %t/data
//
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy samples=2}))" | FileCheck %t/calibrate.mlir
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy samples=2 weight-granularity=per-tensor}))" | FileCheck %t/calibrate.mlir --check-prefix=PT
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy}))" | FileCheck %t/calibrate.mlir --check-prefix=ALL
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples-whole-input.npy}))" | FileCheck %t/calibrate.mlir --check-prefix=WHOLE
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/percentile.npy method=percentile percentile=99.8}))" | FileCheck %t/calibrate.mlir --check-prefix=PCT
// RUN: quant-opt %t/calibrate.mlir --split-input-file --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/percentile.npy}))" | FileCheck %t/calibrate.mlir --check-prefix=PCT-MINMAX
// RUN: quant-opt %t/bad-percentile.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy method=percentile percentile=20}))"
//
// RUN: quant-opt %t/missing-data-file.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/does-not-exist.npy}))"
// RUN: quant-opt %t/wrong-shape.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/wrong-shape.npy}))"
// RUN: quant-opt %t/non-finite.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/non-finite.npy}))"
// RUN: quant-opt %t/unknown-method.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy method=kl}))"
// RUN: quant-opt %t/unknown-granularity.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy weight-granularity=per-row}))"
// RUN: quant-opt %t/float-model-without-data.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate))"
// RUN: quant-opt %t/two-inputs.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy}))"
// RUN: quant-opt %t/too-few-samples.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/one-sample.npy}))"
// RUN: quant-opt %t/samples-below-batch.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy samples=1}))"
// RUN: quant-opt %t/unsupported-op.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy}))"
// RUN: quant-opt %t/non-constant-weight.mlir --verify-diagnostics --pass-pipeline="builtin.module(func.func(qnn-calibrate{data=%t/data/samples.npy}))"

// Golden values are computed by hand (dyadic values) or with numpy in
// float32, independently of the pass, from docs/IntegerSemantics.md:
//   activations: min = min(min, 0), max = max(max, 0),
//     scale = float32(max - min) / 255, zp = round_half_even(-128 - min / scale)
//   weights: scale = float32(max|w|) / 127 per output channel (or tensor),
//     q = round_half_even(float32(w) / scale), zero point 0, range [-127, 127]
// The samples (Inputs/make_calibration_data.py), one 1x1x2x2 input each:
//   s0 = [-1, 0.5, 6.96875, 2], s1 = [0, 1, 3, -0.5], s2 = [20, -9, 0, 0]

//--- calibrate.mlir

/// samples=2 uses s0 and s1 only:
///   input: [-1, 6.96875], scale 7.96875 / 255 = 0.03125, zp -128 + 32 = -96
/// conv 1x1, w = {2, -0.5}, b = {2, 1}: ch0 = 2x + 2 in [0, 15.9375],
/// ch1 = -0.5x + 1 in [-2.484375, 1.5]. The conv's only user is the relu, so
/// the conv gets no QDQ of its own; the relu output [0, 15.9375] gives
///   scale 15.9375 / 255 = 0.0625, zp -128.
/// max_pool and flatten reuse the relu's type. Pooled (p0, p1) per sample:
/// s0 (15.9375, 1.5), s1 (8, 1.25); gemm rows {1, 0}, {0, 4}, {-1, 0}:
///   s0 [15.9375, 6, -15.9375], s1 [8, 5, -8]  ->  [-15.9375, 15.9375],
///   scale 31.875 / 255 = 0.125, zp = round_half_even(-128 + 127.5) =
///   round_half_even(-0.5) = 0 (printed without a zero point).
/// Per-channel weights: conv (axis 0) max|w| = {2, 0.5}: scales 2/127 =
/// 0.015748031437397003, 0.5/127 = 0.0039370078593492508, values {127, -127};
/// gemm with transB (axis 0) rows: scales 1/127 = 0.0078740157186985016,
/// 4/127 = 0.031496062874794006, 1/127; values [[127, 0], [0, 127], [-127, 0]].
/// The f32 bias stays for qnn-compute-scales.
// CHECK-LABEL: func.func @conv_relu_pool_flatten_gemm
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x2x2xf32>) -> tensor<1x3xf32>
//       CHECK:   %[[XQ:.+]] = quant.qcast %[[X]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>
//       CHECK:   %[[XD:.+]] = quant.dcast %[[XQ]] : tensor<1x1x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>> to tensor<1x1x2x2xf32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
//   CHECK-DAG:   %[[WI:.+]] = arith.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-127]]]]> : tensor<2x1x1x1xi8>
//       CHECK:   %[[WQ:.+]] = quant.scast %[[WI]] : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32:0, {{[{]}}{{0.01574803143739700[0-9]*}},{{0.003937007859349250[0-9]*}}}>>
//       CHECK:   %[[WD:.+]] = quant.dcast %[[WQ]]
//       CHECK:   %[[C:.+]] = qnn.conv %[[XD]], %[[WD]], %[[B]]
//   CHECK-NOT:   quant.qcast %[[C]]
//       CHECK:   %[[R:.+]] = qnn.relu %[[C]] : tensor<1x2x2x2xf32>
//       CHECK:   %[[RQ:.+]] = quant.qcast %[[R]] : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!quant.uniform<i8:f32, 6.250000e-02:-128>>
//       CHECK:   %[[RD:.+]] = quant.dcast %[[RQ]]
//       CHECK:   %[[P:.+]] = qnn.max_pool %[[RD]]
//       CHECK:   %[[PQ:.+]] = quant.qcast %[[P]] : tensor<1x2x1x1xf32> to tensor<1x2x1x1x!quant.uniform<i8:f32, 6.250000e-02:-128>>
//       CHECK:   %[[PD:.+]] = quant.dcast %[[PQ]]
//       CHECK:   %[[F:.+]] = qnn.flatten %[[PD]]
//       CHECK:   %[[FQ:.+]] = quant.qcast %[[F]] : tensor<1x2xf32> to tensor<1x2x!quant.uniform<i8:f32, 6.250000e-02:-128>>
//       CHECK:   %[[FD:.+]] = quant.dcast %[[FQ]]
//       CHECK:   %[[GI:.+]] = arith.constant dense<{{\[\[}}127, 0], [0, 127], [-127, 0]]> : tensor<3x2xi8>
//       CHECK:   %[[GQ:.+]] = quant.scast %[[GI]] : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8<-127:127>:f32:0, {{[{]}}{{0.007874015718698501[0-9]*}},{{0.03149606287479400[0-9]*}},{{0.007874015718698501[0-9]*}}}>>
//       CHECK:   %[[GD:.+]] = quant.dcast %[[GQ]]
//       CHECK:   %[[G:.+]] = qnn.gemm %[[FD]], %[[GD]] {transB = true}
//       CHECK:   %[[GQO:.+]] = quant.qcast %[[G]] : tensor<1x3xf32> to tensor<1x3x!quant.uniform<i8:f32, 1.250000e-01>>
//       CHECK:   %[[GDO:.+]] = quant.dcast %[[GQO]]
//       CHECK:   return %[[GDO]] : tensor<1x3xf32>

/// weight-granularity=per-tensor: one scale per weight tensor.
///   conv: 2/127, values {round(2 / (2/127)), round(-0.5 / (2/127))} =
///     {127, round(-31.75)} = {127, -32}
///   gemm: 4/127 = 0.031496062874794006, values round(w / (4/127)):
///     [[round(31.75), 0], [0, 127], [-32, 0]] = [[32, 0], [0, 127], [-32, 0]]
// PT-LABEL: func.func @conv_relu_pool_flatten_gemm
//       PT:   %[[WI:.+]] = arith.constant dense<{{\[\[\[\[}}127]]], {{\[\[\[}}-32]]]]> : tensor<2x1x1x1xi8>
//       PT:   quant.scast %[[WI]] : tensor<2x1x1x1xi8> to tensor<2x1x1x1x!quant.uniform<i8<-127:127>:f32, {{0.01574803143739700[0-9]*}}>>
//       PT:   %[[GI:.+]] = arith.constant dense<{{\[\[}}32, 0], [0, 127], [-32, 0]]> : tensor<3x2xi8>
//       PT:   quant.scast %[[GI]] : tensor<3x2xi8> to tensor<3x2x!quant.uniform<i8<-127:127>:f32, {{0.03149606287479400[0-9]*}}>>

/// All three samples: the outlier s2 widens the input range to [-9, 20]:
///   scale = float32(29) / 255 = 0.11372549086809158,
///   zp = round_half_even(-128 + 9 / 0.11372549086809158) =
///        round_half_even(-48.86) = -49
// ALL-LABEL: func.func @conv_relu_pool_flatten_gemm
//       ALL:   quant.qcast %{{.+}} : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.1137254908680915[0-9]*}}:-49>>

/// The [N, <whole input shape>] layout holding s0 and s1 gives the same
/// input range as samples=2.
// WHOLE-LABEL: func.func @conv_relu_pool_flatten_gemm
//       WHOLE:   quant.qcast %{{.+}} : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>

/// method=percentile percentile=99.8 on 999 values spread over [0, 1] plus
/// an outlier at 100 (1000 input values): 0.1% of the values, one value, may
/// go from each tail. The histogram has 2048 bins over [0, 100], width
/// 100 / 2048 = 0.048828125; the outlier's bin goes, then the empty bins,
/// down to bin 20 (1.0 / 0.048828125 = 20.48), so the range is
/// [0, 21 * 0.048828125] = [0, 1.025390625]: scale = float32(1.025390625) /
/// 255 = 0.004021139, zp -128. min/max on the same data keeps the outlier:
/// scale 100 / 255 = 0.39215686.
// PCT-LABEL: func.func @conv_relu_pool_flatten_gemm
//       PCT:   quant.qcast %{{.+}} : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.00402113[0-9]*}}:-128>>
// PCT-MINMAX-LABEL: func.func @conv_relu_pool_flatten_gemm
//       PCT-MINMAX:   quant.qcast %{{.+}} : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.3921568[0-9]*}}:-128>>
func.func @conv_relu_pool_flatten_gemm(%x: tensor<1x1x2x2xf32>) -> tensor<1x3xf32> {
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

/// Gemm without transB: the weight's output channels are its columns
/// (axis 1). Per column, in float32:
///   col 0: max 1.27 -> scale 0.0099999997764825821;
///          0.5 -> 50, -1.27 -> -127, 0.254 -> round(25.4) = 25, 1 -> 100
///   col 1: max 0.25 -> scale 0.0019685039296746254;
///          -0.25 -> -127, 0.1 -> round(50.8) = 51, 0 -> 0, 0.2 -> round(101.6) = 102
///   col 2: max 3 -> scale 0.023622047156095505;
///          3 -> 127, -1.5 -> round(-63.5000x) = -64, 0.75 -> round(31.75) = 32,
///          -0.1 -> round(-4.23) = -4
/// The flatten of the input reuses the input's type (0.03125, -96). The gemm
/// output over s0, s1 is [[2.63506, 0.7, 1.27656], [-1.008, 0, 0.8]]:
///   scale = (2.6350627 + 1.0079999) / 255 = 0.014286519959568977,
///   zp = round_half_even(-128 + 1.0079999 / 0.0142865) = round(-57.44) = -57
// CHECK-LABEL: func.func @gemm_weight_axis_1
//       CHECK:   %[[F:.+]] = qnn.flatten
//       CHECK:   quant.qcast %[[F]] : tensor<1x4xf32> to tensor<1x4x!quant.uniform<i8:f32, 3.125000e-02:-96>>
//       CHECK:   %[[WI:.+]] = arith.constant dense<{{\[\[}}50, -127, 127], [-127, 51, -64], [25, 0, 32], [100, 102, -4]]> : tensor<4x3xi8>
//       CHECK:   quant.scast %[[WI]] : tensor<4x3xi8> to tensor<4x3x!quant.uniform<i8<-127:127>:f32:1, {{[{]}}{{0.00999999977648258[0-9]*}},{{0.00196850392967462[0-9]*}},{{0.02362204715609550[0-9]*}}}>>
//       CHECK:   %[[G:.+]] = qnn.gemm
//       CHECK:   quant.qcast %[[G]] : tensor<1x3xf32> to tensor<1x3x!quant.uniform<i8:f32, {{0.0142865199[0-9]*}}:-57>>

/// Per tensor: max|w| = 3, scale 3/127 = 0.023622047156095505, values
/// round(w / scale): [[round(21.17), round(-10.58), 127],
/// [round(-53.76), round(4.23), round(-63.5000x)], [round(10.75), 0, round(31.75)],
/// [round(42.33), round(8.47), round(-4.23)]]
///   = [[21, -11, 127], [-54, 4, -64], [11, 0, 32], [42, 8, -4]]
// PT-LABEL: func.func @gemm_weight_axis_1
//       PT:   arith.constant dense<{{\[\[}}21, -11, 127], [-54, 4, -64], [11, 0, 32], [42, 8, -4]]> : tensor<4x3xi8>
//       PT:   tensor<4x3x!quant.uniform<i8<-127:127>:f32, {{0.02362204715609550[0-9]*}}>>
func.func @gemm_weight_axis_1(%x: tensor<1x1x2x2xf32>) -> tensor<1x3xf32> {
  %f = qnn.flatten %x {axis = 1 : i64} : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32>
  %w = arith.constant dense<[[0.5, -0.25, 3.0], [-1.27, 0.1, -1.5], [0.254, 0.0, 0.75], [1.0, 0.2, -0.1]]> : tensor<4x3xf32>
  %g = qnn.gemm %f, %w : (tensor<1x4xf32>, tensor<4x3xf32>) -> tensor<1x3xf32>
  return %g : tensor<1x3xf32>
}

// -----

/// Batched MatMul: the rhs [2, 2, 2] broadcasts against the input's
/// [1, 1] batch; its output channels are its last axis (the columns, shared
/// by both batch matrices). In float32:
///   col 0 {1, -2, 0.5, 4}: scale 4/127 = 0.031496062874794006;
///     1 -> round(31.75) = 32, -2 -> -63.5 (ties to even) -64, 0.5 -> 16, 4 -> 127
///   col 1 {0.5, 0.25, -1, 0}: scale 1/127 = 0.0078740157186985016;
///     0.5 -> 63.5 (ties to even) 64, 0.25 -> round(31.75) = 32, -1 -> -127, 0
// CHECK-LABEL: func.func @batched_matmul_weight_last_axis
//       CHECK:   %[[WI:.+]] = arith.constant dense<{{\[\[\[}}32, 64], [-64, 32]], {{\[\[}}16, -127], [127, 0]]]> : tensor<2x2x2xi8>
//       CHECK:   quant.scast %[[WI]] : tensor<2x2x2xi8> to tensor<2x2x2x!quant.uniform<i8<-127:127>:f32:2, {{[{]}}{{0.03149606287479400[0-9]*}},{{0.00787401571869850[0-9]*}}}>>
//       CHECK:   %[[M:.+]] = qnn.matmul
//       CHECK:   quant.qcast %[[M]] : tensor<1x2x2x2xf32>
func.func @batched_matmul_weight_last_axis(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = arith.constant dense<[[[1.0, 0.5], [-2.0, 0.25]], [[0.5, -1.0], [4.0, 0.0]]]> : tensor<2x2x2xf32>
  %m = qnn.matmul %x, %w : (tensor<1x1x2x2xf32>, tensor<2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %m : tensor<1x2x2x2xf32>
}

// -----

/// A MatMul whose rhs is computed (relu of the input) has no weight: the
/// rhs is an activation with its own QDQ point and nothing is quantized as a
/// weight. samples=2: relu(x) over s0, s1 spans [0, 6.96875]:
///   scale 6.96875 / 255 = 0.027328431..., zp -128.
// CHECK-LABEL: func.func @matmul_activation_rhs
//   CHECK-NOT:   quant.scast
//       CHECK:   %[[R:.+]] = qnn.relu
//       CHECK:   %[[RQ:.+]] = quant.qcast %[[R]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.02732843[0-9]*}}:-128>>
//       CHECK:   %[[RD:.+]] = quant.dcast %[[RQ]]
//       CHECK:   qnn.matmul %{{.+}}, %[[RD]]
//   CHECK-NOT:   quant.scast
func.func @matmul_activation_rhs(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  %m = qnn.matmul %x, %r : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %m : tensor<1x1x2x2xf32>
}

// -----

/// The conv result has a second user (the function result), so it gets its
/// own QDQ: with w = 1, b = 0 its range is the input's, [-1, 6.96875]
/// (0.03125, -96). The relu output [0, 6.96875] gets
/// scale 6.96875 / 255 = 0.027328431606292725, zp -128.
// CHECK-LABEL: func.func @conv_with_two_users_quantized_separately
//       CHECK:   %[[C:.+]] = qnn.conv
//       CHECK:   %[[CQ:.+]] = quant.qcast %[[C]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>
//       CHECK:   %[[CD:.+]] = quant.dcast %[[CQ]]
//       CHECK:   %[[R:.+]] = qnn.relu %[[CD]]
//       CHECK:   %[[RQ:.+]] = quant.qcast %[[R]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.02732843160629272[0-9]*}}:-128>>
//       CHECK:   %[[RD:.+]] = quant.dcast %[[RQ]]
//       CHECK:   return %[[RD]], %[[CD]]
func.func @conv_with_two_users_quantized_separately(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %r = qnn.relu %c : tensor<1x1x2x2xf32>
  return %r, %c : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

/// ReLU6 as Clip(0, 6) after a conv calibrates like a Relu: the conv gets no
/// QDQ of its own and the clip output takes the range [0, 6] (the conv,
/// 2x over s0 and s1, spans [-2, 13.9375]):
///   scale = float32(6) / 255 = 0.0235294122, zp = -128.
// CHECK-LABEL: func.func @conv_relu6
//       CHECK:   %[[C:.+]] = qnn.conv
//  CHECK-NEXT:   %[[R:.+]] = qnn.clip %[[C]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32}
//  CHECK-NEXT:   %[[RQ:.+]] = quant.qcast %[[R]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, {{0.02352941222[0-9]*}}:-128>>
//  CHECK-NEXT:   %[[RD:.+]] = quant.dcast %[[RQ]]
//  CHECK-NEXT:   return %[[RD]]
func.func @conv_relu6(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<2.0> : tensor<1x1x1x1xf32>
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %r = qnn.clip %c {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

// -----

/// Global average pooling gets its own range (not its input's): the means
/// of s0 and s1 are 8.46875 / 4 = 2.1171875 and 3.5 / 4 = 0.875, so the
/// range [0, 2.1171875] gives scale 2.1171875 / 255 = 0.00830269605, zp -128.
/// A concat of the input and its relu along the channel axis gets its own
/// QDQ too: its range is the union [-1, 6.96875], so (0.03125, -96), equal
/// to the input's here.
// CHECK-LABEL: func.func @avg_pool_concat_own_ranges
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x2x2xf32>)
//       CHECK:   %[[XD:.+]] = quant.dcast
//       CHECK:   %[[P:.+]] = qnn.avg_pool %[[XD]]
//  CHECK-NEXT:   quant.qcast %[[P]] : tensor<1x1x1x1xf32> to tensor<1x1x1x1x!quant.uniform<i8:f32, {{0.008302696[0-9]*}}:-128>>
//       CHECK:   %[[C:.+]] = qnn.concat %[[XD]], %{{.+}} {axis = 1 : i64}
//  CHECK-NEXT:   quant.qcast %[[C]] : tensor<1x2x2x2xf32> to tensor<1x2x2x2x!quant.uniform<i8:f32, 3.125000e-02:-96>>
func.func @avg_pool_concat_own_ranges(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>) {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  %c = qnn.concat %x, %r {axis = 1 : i64} : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %p, %c : tensor<1x1x1x1xf32>, tensor<1x2x2x2xf32>
}

// -----

/// A batch norm that could not be folded (here on the input) is evaluated
/// by the interpreter and quantized like any activation: with scale 1,
/// bias 0, mean 0, variance 4 and epsilon 0 it halves the input, so
/// [-0.5, 3.484375] gives scale 3.984375 / 255 = 0.015625, zp -96.
// CHECK-LABEL: func.func @unfolded_batch_norm
//       CHECK:   %[[B:.+]] = qnn.batch_norm
//  CHECK-NEXT:   quant.qcast %[[B]] : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, 1.562500e-02:-96>>
func.func @unfolded_batch_norm(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %one = arith.constant dense<1.0> : tensor<1xf32>
  %zero = arith.constant dense<0.0> : tensor<1xf32>
  %var = arith.constant dense<4.0> : tensor<1xf32>
  %b = qnn.batch_norm %x, %one, %zero, %zero, %var {epsilon = 0.0 : f32} : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %b : tensor<1x1x2x2xf32>
}

// -----

/// A QDQ model carries its own parameters: left alone.
// CHECK-LABEL: func.func @negative_already_qdq
//  CHECK-NEXT:   quant.qcast %{{.+}} : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!quant.uniform<i8:f32, 5.000000e-01:3>>
//  CHECK-NEXT:   quant.dcast
//  CHECK-NEXT:   qnn.relu
//  CHECK-NEXT:   return
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @negative_already_qdq(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %q = quant.qcast %x : tensor<1x1x2x2xf32> to tensor<1x1x2x2x!q>
  %d = quant.dcast %q : tensor<1x1x2x2x!q> to tensor<1x1x2x2xf32>
  %r = qnn.relu %d : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

// -----

/// No float qnn op: nothing to calibrate.
// CHECK-LABEL: func.func @negative_no_float_qnn_op
//  CHECK-NEXT:   return
func.func @negative_no_float_qnn_op(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  return %x : tensor<1x1x2x2xf32>
}

//--- missing-data-file.mlir
// expected-error@+1 {{does-not-exist.npy: cannot read: No such file or directory}}
func.func @missing_data_file(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- wrong-shape.mlir
// expected-error@+1 {{has shape [3, 4], expected [N, 1, 2, 2] or [N, 1, 1, 2, 2] for input 0 [1, 1, 2, 2]}}
func.func @wrong_shape(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- non-finite.mlir
// The NaN is at flat index 5 (an infinity follows at 9).
// expected-error@+1 {{has a non-finite value at flat index 5}}
func.func @non_finite(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- unknown-method.mlir
// expected-error@+1 {{unknown calibration method 'kl' (supported: minmax, percentile, entropy, mse)}}
func.func @unknown_method(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- unknown-granularity.mlir
// expected-error@+1 {{unknown weight granularity 'per-row' (per-channel or per-tensor)}}
func.func @unknown_granularity(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- float-model-without-data.mlir
// expected-error@+1 {{float model: calibration data is needed to quantize it}}
func.func @float_model_without_data(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- two-inputs.mlir
// One .npy is given for two inputs (calibrate-multi-input.mlir calibrates two).
// expected-error@+1 {{calibration data: 1 file given for a model with 2 inputs}}
func.func @two_inputs(%x: tensor<1x1x2x2xf32>, %y: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %s = qnn.add %x, %y : (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %s : tensor<1x1x2x2xf32>
}

//--- too-few-samples.mlir
// A batch-2 input needs two [1, 2, 2] samples per run; the file has one.
// expected-error@+1 {{holds 1 samples, at least 2 needed}}
func.func @too_few_samples(%x: tensor<2x1x2x2xf32>) -> tensor<2x1x2x2xf32> {
  %r = qnn.relu %x : tensor<2x1x2x2xf32>
  return %r : tensor<2x1x2x2xf32>
}

//--- samples-below-batch.mlir
// samples=1 of a batch-2 input: not one whole run.
// expected-error@+1 {{calibration uses 1 samples, fewer than the 2 one run of the model takes}}
func.func @samples_below_batch(%x: tensor<2x1x2x2xf32>) -> tensor<2x1x2x2xf32> {
  %r = qnn.relu %x : tensor<2x1x2x2xf32>
  return %r : tensor<2x1x2x2xf32>
}

//--- unsupported-op.mlir
func.func @unsupported_op(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error@+1 {{'arith.negf' op cannot be evaluated for calibration (float qnn ops and f32 constants only)}}
  %n = arith.negf %x : tensor<1x1x2x2xf32>
  %r = qnn.relu %n : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

//--- non-constant-weight.mlir
func.func @non_constant_weight(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w0 = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %w = qnn.relu %w0 : tensor<1x1x1x1xf32>
  // expected-error@+1 {{'qnn.conv' op expects a constant weight to quantize}}
  %c = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  return %c : tensor<1x1x2x2xf32>
}

//--- bad-percentile.mlir

// expected-error@+1 {{calibration percentile must be in (50, 100], got 2.000000e+01}}
func.func @bad_percentile(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %r = qnn.relu %x : tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}
