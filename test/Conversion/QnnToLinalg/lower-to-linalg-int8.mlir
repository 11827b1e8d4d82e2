// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s
// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(qnn-lower-to-linalg-int8)" | FileCheck %s --check-prefix=NOFLOAT

// The integer path creates no float op and no float type anywhere.
// NOFLOAT-NOT: {{arith\.[a-z]+f |sitofp|uitofp|fptosi|fptoui|bf16|f16|f32|f64}}

/// Conv with input zero point 3, per-channel filter and i32 bias: the input
/// is padded with the zero point (a real 0), and the accumulator starts from
/// bias[c] - zp_x * sum(w[c]), broadcast along the channel dimension:
///   c0: 5 - 3 * (1 + 2 + ... + 9) = 5 - 3 * 45 = -130
///   c1: -7 - 3 * (9 * -1) = -7 + 27 = 20
/// Stride 1: the "wide row" form. The padded input (6 wide, plus one more
/// bottom row for the last window: 7x6) is one flat row per channel of 42;
/// the accumulator has OH * W_p = 4 * 6 = 24 positions, position p reading
/// input p + kh * 6 + kw; the result is the 4x4 slice of the 4x6 rows.
// CHECK-DAG: #[[$BCAST:.+]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[$ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$CONV_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d5 + d3 * 6 + d4)>
// CHECK-DAG: #[[$CONV_W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d2, d3, d4)>
// CHECK-DAG: #[[$CONV_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d5)>
// CHECK-LABEL: func.func @conv_zero_point_pad_and_bias_correction
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<1x1x4x4xi8>) -> tensor<1x2x4x4xi32>
//   CHECK-DAG:   %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}1, 2, 3], [4, 5, 6], [7, 8, 9]]], {{.*}}> : tensor<2x1x3x3xi8>
//   CHECK-DAG:   %[[ZP:.+]] = arith.constant 3 : i8
//       CHECK:   %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 1]
//       CHECK:     tensor.yield %[[ZP]] : i8
//       CHECK:   } : tensor<1x1x4x4xi8> to tensor<1x1x7x6xi8>
//       CHECK:   %[[FLAT:.+]] = tensor.collapse_shape %[[PAD]] {{\[}}[0], [1], [2, 3]] : tensor<1x1x7x6xi8> into tensor<1x1x42xi8>
//       CHECK:   %[[INIT:.+]] = arith.constant dense<[-130, 20]> : tensor<2xi32>
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<1x2x24xi32>
//       CHECK:   %[[ACC0:.+]] = linalg.generic {indexing_maps = [#[[$BCAST]], #[[$ID3]]], iterator_types = ["parallel", "parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[INIT]] : tensor<2xi32>) outs(%[[E]] : tensor<1x2x24xi32>)
//       CHECK:   %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[$CONV_IN]], #[[$CONV_W]], #[[$CONV_OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]}
//  CHECK-SAME:     ins(%[[FLAT]], %[[W]] : tensor<1x1x42xi8>, tensor<2x1x3x3xi8>) outs(%[[ACC0]] : tensor<1x2x24xi32>)
//       CHECK:   ^bb0(%[[A:.+]]: i8, %[[B:.+]]: i8, %[[O:.+]]: i32):
//       CHECK:     %[[A32:.+]] = arith.extsi %[[A]] : i8 to i32
//       CHECK:     %[[B32:.+]] = arith.extsi %[[B]] : i8 to i32
//       CHECK:     %[[P:.+]] = arith.muli %[[A32]], %[[B32]] : i32
//       CHECK:     %[[S:.+]] = arith.addi %[[O]], %[[P]] : i32
//       CHECK:     linalg.yield %[[S]] : i32
//       CHECK:   %[[ROWS:.+]] = tensor.expand_shape %[[ACC]] {{\[}}[0], [1], [2, 3]] output_shape [1, 2, 4, 6] : tensor<1x2x24xi32> into tensor<1x2x4x6xi32>
//       CHECK:   %[[R:.+]] = tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [1, 2, 4, 4] [1, 1, 1, 1] : tensor<1x2x4x6xi32> to tensor<1x2x4x4xi32>
//       CHECK:   return %[[R]] : tensor<1x2x4x4xi32>
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125}>
!qacc = !quant.uniform<i32:f32:1, {0.125, 0.0625}>
func.func @conv_zero_point_pad_and_bias_correction(%x: tensor<1x1x4x4x!qx>) -> tensor<1x2x4x4x!qacc> {
  %wi = arith.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[-1, -1, -1], [-1, -1, -1], [-1, -1, -1]]]]> : tensor<2x1x3x3xi8>
  %w = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %b = arith.constant dense<[5, -7]> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x4x4x!qacc>
  return %acc : tensor<1x2x4x4x!qacc>
}

// -----

/// Strides and dilations appear in the input map; zero padding and a zero
/// input zero point need no tensor.pad and no correction: the init is a copy
/// of the bias (the original constant stays above it).
// CHECK-DAG: #[[$CONV_SD:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d5 * 2 + d3 * 2, d6 * 3 + d4)>
// CHECK-LABEL: func.func @conv_strides_dilations_no_pad
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x1x7x7xi8>, %[[W:[^:]+]]: tensor<2x1x2x2xi8>)
//   CHECK-NOT:   tensor.pad
//       CHECK:   arith.constant dense<[7, 8]> : tensor<2xi32>
//  CHECK-NEXT:   %[[INIT:.+]] = arith.constant dense<[7, 8]> : tensor<2xi32>
//  CHECK-NEXT:   tensor.empty
//  CHECK-NEXT:   %[[ACC0:.+]] = linalg.generic {{.*}} ins(%[[INIT]] : tensor<2xi32>)
//   CHECK-NOT:   tensor.pad
//       CHECK:   linalg.generic {indexing_maps = [#[[$CONV_SD]], {{.*}} ins(%[[X]], %[[W]] : {{.*}} outs(%[[ACC0]] :
!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @conv_strides_dilations_no_pad(%x: tensor<1x1x7x7x!qx>, %w: tensor<2x1x2x2x!qw>) -> tensor<1x2x3x2x!qacc> {
  %b = arith.constant dense<[7, 8]> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 2, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 3>} : (tensor<1x1x7x7x!qx>, tensor<2x1x2x2x!qw>, tensor<2xi32>) -> tensor<1x2x3x2x!qacc>
  return %acc : tensor<1x2x3x2x!qacc>
}

// -----

/// Stride 2 (depthwise, constant filter): the four phases of the padded
/// input. Pads 1 on a 5x5 input give 7x7, one more zero-point row and
/// column make it even (8x8); phase (a, b) of channel c is input channel
/// 4c + 2a + b of [1, 8, 4, 4], read at (2i + a, 2j + b). The 3x3 filter
/// becomes 2x2 per phase, w'[2a + b][t][u] = w[2t + a][2u + b] (0 past the
/// kernel): for w = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], phase (0, 0) takes
/// the corners and centre-row ends [[1, 3], [7, 9]], (0, 1) [[2, 0], [8, 0]],
/// (1, 0) [[4, 6], [0, 0]], (1, 1) [[5, 0], [0, 0]]. The stride-1 wide-row
/// conv of that (group 2, 4 channels each) has OH = 3 rows of W_p = 4
/// positions; the correction is -3 * sum(w): -3 * 45 = -135, -3 * 126 = -378.
// CHECK-DAG: #[[$PHASE:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func.func @conv_stride2_phases
//       CHECK:   %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
//       CHECK:   } : tensor<1x2x5x5xi8> to tensor<1x2x8x8xi8>
//       CHECK:   %[[SPLIT:.+]] = linalg.generic {indexing_maps = [#[[$PHASE]], {{.+}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PAD]] : tensor<1x2x8x8xi8>) outs(%{{.+}} : tensor<1x2x2x2x4x4xi8>)
//       CHECK:   %[[PH:.+]] = tensor.collapse_shape %[[SPLIT]] {{\[}}[0], [1, 2, 3], [4], [5]] : tensor<1x2x2x2x4x4xi8> into tensor<1x8x4x4xi8>
//       CHECK:   %[[W:.+]] = arith.constant dense<{{\[\[\[\[}}1, 3], [7, 9]], {{\[\[}}2, 0], [8, 0]], {{\[\[}}4, 6], [0, 0]], {{\[\[}}5, 0], [0, 0]]], {{\[\[\[}}10, 12], [16, 18]], {{\[\[}}11, 0], [17, 0]], {{\[\[}}13, 15], [0, 0]], {{\[\[}}14, 0], [0, 0]]]]> : tensor<2x4x2x2xi8>
//       CHECK:   tensor.pad %[[PH]] low[0, 0, 0, 0] high[0, 0, 1, 0]
//       CHECK:   arith.constant dense<[-135, -378]> : tensor<2xi32>
//       CHECK:   linalg.generic {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x8x20xi8>, tensor<2x1x4x2x2xi8>) outs(%{{.+}} : tensor<1x2x1x12xi32>)
//       CHECK:   tensor.extract_slice %{{.+}}[0, 0, 0, 0] [1, 2, 3, 3] [1, 1, 1, 1] : tensor<1x2x3x4xi32> to tensor<1x2x3x3xi32>
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @conv_stride2_phases(%x: tensor<1x2x5x5x!qx>) -> tensor<1x2x3x3x!qacc> {
  %wi = arith.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[10, 11, 12], [13, 14, 15], [16, 17, 18]]]]> : tensor<2x1x3x3xi8>
  %w = quant.scast %wi : tensor<2x1x3x3xi8> to tensor<2x1x3x3x!qw>
  %b = arith.constant dense<0> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5x!qx>, tensor<2x1x3x3x!qw>, tensor<2xi32>) -> tensor<1x2x3x3x!qacc>
  return %acc : tensor<1x2x3x3x!qacc>
}

// -----

/// MaxPool's Indices: one generic over (n, c, oh, ow, kh, kw) carrying the
/// running maximum (from INT32_MIN) and its flat index; the padded input's
/// -128 cells are excluded by the bounds check on (h, w), so padding never
/// wins, and a strictly greater element replaces the maximum (the first
/// wins a tie). Index ((n * 2 + c) * 3 + h) * 3 + w.
// CHECK-LABEL: func.func @max_pool_indices
//       CHECK:   %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:   %[[MIN:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<1x2x2x2xi32>)
//       CHECK:   %[[ZERO:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<1x2x2x2xi32>)
//       CHECK:   %[[R:.+]]:2 = linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[PAD]], %{{.+}} : tensor<1x2x5x5xi8>, tensor<2x2xi8>) outs(%[[MIN]], %[[ZERO]] : tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>)
//       CHECK:     linalg.index 4
//       CHECK:     arith.cmpi sgt
//       CHECK:     arith.select
//       CHECK:   return %[[R]]#1 : tensor<1x2x2x2xi32>
!q = !quant.uniform<i8:f32, 0.1>
!idx = !quant.uniform<i32:f32, 1.0>
func.func @max_pool_indices(%x: tensor<1x2x3x3x!q>) -> tensor<1x2x2x2x!idx> {
  %i = qnn.max_pool_indices %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x3x3x!q>) -> tensor<1x2x2x2x!idx>
  return %i : tensor<1x2x2x2x!idx>
}

// -----

/// ONNX's wrapping UINT8 Add: the integers (q + 128) summed in i32,
/// truncated to 8 bits, the top bit flipped back to the u - 128 storage.
// CHECK-LABEL: func.func @integer_add_uint8
//       CHECK:   linalg.generic
//       CHECK:     %[[ZP:.+]] = arith.constant -128 : i32
//       CHECK:     arith.subi %{{.+}}, %[[ZP]] : i32
//       CHECK:     %[[S:.+]] = arith.addi %{{.+}}, %{{.+}} : i32
//       CHECK:     %[[T:.+]] = arith.trunci %[[S]] : i32 to i8
//       CHECK:     %[[F:.+]] = arith.xori %[[T]], %{{.+}} : i8
//       CHECK:     linalg.yield %[[F]] : i8
!u8 = !quant.uniform<i8:f32, 1.0:-128>
func.func @integer_add_uint8(%a: tensor<4x!u8>, %b: tensor<4x!u8>) -> tensor<4x!u8> {
  %s = qnn.integer_binary %a, %b {kind = "add"} : (tensor<4x!u8>, tensor<4x!u8>) -> tensor<4x!u8>
  return %s : tensor<4x!u8>
}

// -----

/// A 1x1 stride-2 convolution reads one phase only: it keeps the row loops
/// (the input map strides by 2), no phase split.
// CHECK-DAG: #[[$S2:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d5 * 2 + d3, d6 * 2 + d4)>
// CHECK-LABEL: func.func @negative_conv_stride2_1x1
//   CHECK-NOT:   tensor<1x2x2x2x
//       CHECK:   linalg.generic {indexing_maps = [#[[$S2]],
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @negative_conv_stride2_1x1(%x: tensor<1x2x5x5x!qx>) -> tensor<1x2x3x3x!qacc> {
  %wi = arith.constant dense<[[[[1]], [[2]]], [[[3]], [[4]]]]> : tensor<2x2x1x1xi8>
  %w = quant.scast %wi : tensor<2x2x1x1xi8> to tensor<2x2x1x1x!qw>
  %b = arith.constant dense<0> : tensor<2xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5x!qx>, tensor<2x2x1x1x!qw>, tensor<2xi32>) -> tensor<1x2x3x3x!qacc>
  return %acc : tensor<1x2x3x3x!qacc>
}

// -----

/// Per-channel requantize, single rounding: i64 tables indexed by the
/// channel hold M, the rounding term 2^(30 - shift) and the shift amount
/// 31 - shift, so the body is (x * M + round) >> total, plus the output zero
/// point, the clamp [clamp_min = -5, 127], and a truncation to i8.
/// Shifts -10 and -9: round = 2^40 = 1099511627776 and 2^39 = 549755813888,
/// total = 41 and 40.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @requantize_per_channel_single
//  CHECK-SAME:     %[[ACC:[^:]+]]: tensor<1x2x4x4xi32>) -> tensor<1x2x4x4xi8>
//   CHECK-DAG:   %[[E:.+]] = tensor.empty() : tensor<1x2x4x4xi8>
//   CHECK-DAG:   %[[MS:.+]] = arith.constant dense<1535222353> : tensor<2xi32>
//   CHECK-DAG:   %[[RS:.+]] = arith.constant dense<[1099511627776, 549755813888]> : tensor<2xi64>
//   CHECK-DAG:   %[[TS:.+]] = arith.constant dense<[41, 40]> : tensor<2xi64>
//       CHECK:   %[[R:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[ACC]], %[[MS]], %[[RS]], %[[TS]] : tensor<1x2x4x4xi32>, tensor<2xi32>, tensor<2xi64>, tensor<2xi64>) outs(%[[E]] : tensor<1x2x4x4xi8>)
//       CHECK:   ^bb0(%[[IN:.+]]: i32, %[[M32:.+]]: i32, %[[RND:.+]]: i64, %[[TOTAL:.+]]: i64, %{{.+}}: i8):
//       CHECK:     %[[X:.+]] = arith.extsi %[[IN]] : i32 to i64
//       CHECK:     %[[M:.+]] = arith.extsi %[[M32]] : i32 to i64
//       CHECK:     %[[PROD:.+]] = arith.muli %[[X]], %[[M]] : i64
//       CHECK:     %[[SUM:.+]] = arith.addi %[[PROD]], %[[RND]] : i64
//       CHECK:     %[[SHR:.+]] = arith.shrsi %[[SUM]], %[[TOTAL]] : i64
//       CHECK:     %[[ZP:.+]] = arith.constant -5 : i64
//       CHECK:     %[[Y:.+]] = arith.addi %[[SHR]], %[[ZP]] : i64
//       CHECK:     %[[LO:.+]] = arith.constant -5 : i64
//       CHECK:     %[[MAX:.+]] = arith.maxsi %[[Y]], %[[LO]] : i64
//       CHECK:     %[[HI:.+]] = arith.constant 127 : i64
//       CHECK:     %[[MIN:.+]] = arith.minsi %[[MAX]], %[[HI]] : i64
//       CHECK:     %[[T:.+]] = arith.trunci %[[MIN]] : i64 to i8
//       CHECK:     linalg.yield %[[T]] : i8
//       CHECK:   return %[[R]]
!qacc = !quant.uniform<i32:f32:1, {1.640625e-05, 3.28125e-05}>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @requantize_per_channel_single(%acc: tensor<1x2x4x4x!qacc>) -> tensor<1x2x4x4x!qo> {
  %y = qnn.requantize %acc {clamp_min = -5 : i64, multiplier = array<i32: 1535222353, 1535222353>, shift = array<i32: -10, -9>} : tensor<1x2x4x4x!qacc> to tensor<1x2x4x4x!qo>
  return %y : tensor<1x2x4x4x!qo>
}

// -----

/// Per-tensor requantize of an int8 tensor: the input zero point (7) is
/// subtracted first; M = 2^30 and shift 2 give the constants round =
/// 2^(30 - 2) = 268435456 and total = 31 - 2 = 29 in the body.
// CHECK-LABEL: func.func @requantize_int8_per_tensor_input_zero_point
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%{{.+}} : tensor<4xi8>) outs(%{{.+}} : tensor<4xi8>)
//       CHECK:     %[[X:.+]] = arith.extsi %{{.+}} : i8 to i64
//       CHECK:     %[[ZPIN:.+]] = arith.constant 7 : i64
//       CHECK:     %[[XC:.+]] = arith.subi %[[X]], %[[ZPIN]] : i64
//       CHECK:     %[[M:.+]] = arith.constant 1073741824 : i64
//       CHECK:     %[[PROD:.+]] = arith.muli %[[XC]], %[[M]] : i64
//       CHECK:     %[[RND:.+]] = arith.constant 268435456 : i64
//       CHECK:     %[[SUM:.+]] = arith.addi %[[PROD]], %[[RND]] : i64
//       CHECK:     %[[TOTAL:.+]] = arith.constant 29 : i64
//       CHECK:     arith.shrsi %[[SUM]], %[[TOTAL]] : i64
//       CHECK:     arith.constant -3 : i64
//       CHECK:     arith.constant -128 : i64
//       CHECK:     arith.maxsi
//       CHECK:     arith.constant 127 : i64
//       CHECK:     arith.minsi
//       CHECK:     arith.trunci %{{.+}} : i64 to i8
!qa = !quant.uniform<i8:f32, 0.5:7>
!qb = !quant.uniform<i8:f32, 0.25:-3>
func.func @requantize_int8_per_tensor_input_zero_point(%x: tensor<4x!qa>) -> tensor<4x!qb> {
  %y = qnn.requantize %x {multiplier = array<i32: 1073741824>, shift = array<i32: 2>} : tensor<4x!qa> to tensor<4x!qb>
  return %y : tensor<4x!qb>
}

// -----

/// Double rounding: gemmlowp's SaturatingRoundingDoublingHighMul of
/// (x << max(shift, 0)) wrapped to 32 bits, with the nudge 2^30 or
/// 1 - 2^30 and a truncating division by 2^31, then RoundingDivideByPOT by
/// max(-shift, 0) with mask, remainder and threshold.
// CHECK-LABEL: func.func @requantize_double_rounding
//       CHECK:     %[[X:.+]] = arith.extsi %{{.+}} : i32 to i64
//   CHECK-DAG:     %[[M:.+]] = arith.constant 1535222353 : i64
//   CHECK-DAG:     %[[SH:.+]] = arith.constant -10 : i64
//   CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : i64
//   CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : i64
//       CHECK:     %[[LEFT:.+]] = arith.maxsi %[[SH]], %[[C0]] : i64
//       CHECK:     %[[NEG:.+]] = arith.subi %[[C0]], %[[SH]] : i64
//       CHECK:     %[[RIGHT:.+]] = arith.maxsi %[[NEG]], %[[C0]] : i64
//       CHECK:     %[[SHL:.+]] = arith.shli %[[X]], %[[LEFT]] : i64
//       CHECK:     %[[T32:.+]] = arith.trunci %[[SHL]] : i64 to i32
//       CHECK:     %[[X32:.+]] = arith.extsi %[[T32]] : i32 to i64
//       CHECK:     %[[AB:.+]] = arith.muli %[[X32]], %[[M]] : i64
//   CHECK-DAG:     %[[POS:.+]] = arith.constant 1073741824 : i64
//   CHECK-DAG:     %[[NEGN:.+]] = arith.constant -1073741823 : i64
//       CHECK:     %[[ISNEG:.+]] = arith.cmpi slt, %[[AB]], %[[C0]] : i64
//       CHECK:     %[[NUDGE:.+]] = arith.select %[[ISNEG]], %[[NEGN]], %[[POS]] : i64
//       CHECK:     %[[ABN:.+]] = arith.addi %[[AB]], %[[NUDGE]] : i64
//       CHECK:     %[[P31:.+]] = arith.constant 2147483648 : i64
//       CHECK:     %[[HIGH:.+]] = arith.divsi %[[ABN]], %[[P31]] : i64
//       CHECK:     %[[P:.+]] = arith.shli %[[C1]], %[[RIGHT]] : i64
//       CHECK:     %[[MASK:.+]] = arith.subi %[[P]], %[[C1]] : i64
//       CHECK:     %[[REM:.+]] = arith.andi %[[HIGH]], %[[MASK]] : i64
//       CHECK:     %[[HNEG:.+]] = arith.cmpi slt, %[[HIGH]], %[[C0]] : i64
//       CHECK:     %[[HALF:.+]] = arith.shrsi %[[MASK]], %[[C1]] : i64
//       CHECK:     %[[HNEG64:.+]] = arith.extui %[[HNEG]] : i1 to i64
//       CHECK:     %[[THR:.+]] = arith.addi %[[HALF]], %[[HNEG64]] : i64
//       CHECK:     %[[UP:.+]] = arith.cmpi sgt, %[[REM]], %[[THR]] : i64
//       CHECK:     %[[UP64:.+]] = arith.extui %[[UP]] : i1 to i64
//       CHECK:     %[[Q:.+]] = arith.shrsi %[[HIGH]], %[[RIGHT]] : i64
//       CHECK:     %[[QR:.+]] = arith.addi %[[Q]], %[[UP64]] : i64
//       CHECK:     %[[ZP:.+]] = arith.constant -5 : i64
//       CHECK:     arith.addi %[[QR]], %[[ZP]] : i64
//       CHECK:     arith.maxsi
//       CHECK:     arith.minsi
//       CHECK:     arith.trunci %{{.+}} : i64 to i8
!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @requantize_double_rounding(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  %y = qnn.requantize %acc {multiplier = array<i32: 1535222353>, rounding = #qnn.rounding<double>, shift = array<i32: -10>} : tensor<1x4x!qacc> to tensor<1x4x!qo>
  return %y : tensor<1x4x!qo>
}

// -----

/// Gemm with transB: B is indexed [n, k]. a's zero point is -2, so
/// init[n] = c[n] + 2 * sum_k b[n, k]:
///   n0: 1 + 2 * 4 = 9;  n1: 2 + 2 * 6 = 14;  n2: 3 + 2 * (-10) = -17
// CHECK-DAG: #[[$GA:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$GB_T:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$GC:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @gemm_trans_b
//  CHECK-SAME:     %[[A:[^:]+]]: tensor<2x4xi8>) -> tensor<2x3xi32>
//   CHECK-DAG:   %[[B:.+]] = arith.constant dense<{{\[\[}}1, 1, 1, 1], [0, 1, 2, 3], [-4, -3, -2, -1]]> : tensor<3x4xi8>
//   CHECK-DAG:   %[[INIT:.+]] = arith.constant dense<[9, 14, -17]> : tensor<3xi32>
//       CHECK:   %[[ACC0:.+]] = linalg.generic {{.*}} ins(%[[INIT]] : tensor<3xi32>) outs(%{{.+}} : tensor<2x3xi32>)
//       CHECK:   %[[ACC:.+]] = linalg.generic {indexing_maps = [#[[$GA]], #[[$GB_T]], #[[$GC]]], iterator_types = ["parallel", "parallel", "reduction"]}
//  CHECK-SAME:     ins(%[[A]], %[[B]] : tensor<2x4xi8>, tensor<3x4xi8>) outs(%[[ACC0]] : tensor<2x3xi32>)
//       CHECK:     arith.extsi
//       CHECK:     arith.extsi
//       CHECK:     arith.muli
//       CHECK:     arith.addi
//       CHECK:   return %[[ACC]]
!qa = !quant.uniform<i8:f32, 0.5:-2>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @gemm_trans_b(%a: tensor<2x4x!qa>) -> tensor<2x3x!qacc> {
  %wi = arith.constant dense<[[1, 1, 1, 1], [0, 1, 2, 3], [-4, -3, -2, -1]]> : tensor<3x4xi8>
  %w = quant.scast %wi : tensor<3x4xi8> to tensor<3x4x!qw>
  %c = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
  %g = qnn.gemm %a, %w, %c {transB = true} : (tensor<2x4x!qa>, tensor<3x4x!qw>, tensor<3xi32>) -> tensor<2x3x!qacc>
  return %g : tensor<2x3x!qacc>
}

// -----

/// MatMul: the constant B [k, n] is stored transposed, [n, k], so the
/// k loop reads it contiguously; no bias, input zero point 4, so
/// init[n] = -4 * sum_k b[k, n]:  n0: -4 * (1 + 3 + 5) = -36;
/// n1: -4 * (2 + 4 + 6) = -48.
// CHECK-DAG: #[[$MA:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$MB:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MC:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul_zero_point_correction
//   CHECK-DAG:   arith.constant dense<[-36, -48]> : tensor<2xi32>
//   CHECK-DAG:   %[[BT:.+]] = arith.constant dense<{{\[\[}}1, 3, 5], [2, 4, 6]]> : tensor<2x3xi8>
//       CHECK:   linalg.generic {indexing_maps = [#[[$MA]], #[[$MB]], #[[$MC]]], iterator_types = ["parallel", "parallel", "reduction"]}
//  CHECK-SAME:     ins(%{{.+}}, %[[BT]] : tensor<2x3xi8>, tensor<2x3xi8>) outs(%{{.+}} : tensor<2x2xi32>)
!qa = !quant.uniform<i8:f32, 0.5:4>
!qw = !quant.uniform<i8<-127:127>:f32:1, {0.25, 0.5}>
!qacc = !quant.uniform<i32:f32:1, {0.125, 0.25}>
func.func @matmul_zero_point_correction(%a: tensor<2x3x!qa>) -> tensor<2x2x!qacc> {
  %wi = arith.constant dense<[[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi8>
  %w = quant.scast %wi : tensor<3x2xi8> to tensor<3x2x!qw>
  %m = qnn.matmul %a, %w : (tensor<2x3x!qa>, tensor<3x2x!qw>) -> tensor<2x2x!qacc>
  return %m : tensor<2x2x!qacc>
}

// -----

/// Batched MatMul: the lhs batch of 1 broadcasts (index 0 in its map), the
/// reduction k is the innermost loop, and the zero-point term -zp_a *
/// sum_k w[b, k, n] is a [batch, N] table broadcast over the rows:
/// zp_a = 4, column sums {9, 12} and {2, 2} give [[-36, -48], [-8, -8]].
// CHECK-DAG: #[[$BA:.+]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-DAG: #[[$BB:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[$BC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[$BT:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$BI:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batched_matmul_zero_point_correction
//   CHECK-DAG:   %[[T:.+]] = arith.constant dense<{{\[}}[-36, -48], [-8, -8]]> : tensor<2x2xi32>
//       CHECK:   %[[INIT:.+]] = linalg.generic {indexing_maps = [#[[$BT]], #[[$BI]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[T]] : tensor<2x2xi32>)
//       CHECK:   linalg.generic {indexing_maps = [#[[$BA]], #[[$BB]], #[[$BC]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<1x2x3xi8>, tensor<2x3x2xi8>) outs(%[[INIT]] : tensor<2x2x2xi32>)
!qa = !quant.uniform<i8:f32, 0.5:4>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @batched_matmul_zero_point_correction(%a: tensor<1x2x3x!qa>) -> tensor<2x2x2x!qacc> {
  %wi = arith.constant dense<[[[1, 2], [3, 4], [5, 6]], [[1, 0], [0, 1], [1, 1]]]> : tensor<2x3x2xi8>
  %w = quant.scast %wi : tensor<2x3x2xi8> to tensor<2x3x2x!qw>
  %m = qnn.matmul %a, %w : (tensor<1x2x3x!qa>, tensor<2x3x2x!qw>) -> tensor<2x2x2x!qacc>
  return %m : tensor<2x2x2x!qacc>
}

// -----

/// With a zero lhs zero point the batched accumulator starts from 0 and the
/// rhs need not be constant.
// CHECK-LABEL: func.func @batched_matmul_symmetric
//       CHECK:   %[[Z:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<2x2x2xi32>)
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<2x2x3xi8>, tensor<2x3x2xi8>) outs(%[[Z]] : tensor<2x2x2xi32>)
!qa = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @batched_matmul_symmetric(%a: tensor<2x2x3x!qa>, %w: tensor<2x3x2x!qw>) -> tensor<2x2x2x!qacc> {
  %m = qnn.matmul %a, %w : (tensor<2x2x3x!qa>, tensor<2x3x2x!qw>) -> tensor<2x2x2x!qacc>
  return %m : tensor<2x2x2x!qacc>
}

// -----

/// Both operands activations (attention's Q x K^T): the rhs is computed
/// and has a zero point, so each product is (a - zp_a) * (b - zp_b) and
/// the accumulator starts from 0.
// CHECK-LABEL: func.func @matmul_activation_rhs
//       CHECK:   %[[Z:.+]] = linalg.fill ins(%{{.+}} : i32) outs(%{{.+}} : tensor<2x2xi32>)
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<2x3xi8>, tensor<3x2xi8>) outs(%[[Z]] : tensor<2x2xi32>)
//       CHECK:     %[[A:.+]] = arith.extsi %{{.+}} : i8 to i32
//       CHECK:     %[[CA:.+]] = arith.subi %[[A]], %{{.+}} : i32
//       CHECK:     %[[B:.+]] = arith.extsi %{{.+}} : i8 to i32
//       CHECK:     %[[CB:.+]] = arith.subi %[[B]], %{{.+}} : i32
//       CHECK:     %[[P:.+]] = arith.muli %[[CA]], %[[CB]] : i32
//       CHECK:     arith.addi %{{.+}}, %[[P]] : i32
!qa = !quant.uniform<i8:f32, 0.5:4>
!qb = !quant.uniform<i8:f32, 0.25:-7>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @matmul_activation_rhs(%a: tensor<2x3x!qa>, %b: tensor<3x2x!qb>) -> tensor<2x2x!qacc> {
  %m = qnn.matmul %a, %b : (tensor<2x3x!qa>, tensor<3x2x!qb>) -> tensor<2x2x!qacc>
  return %m : tensor<2x2x!qacc>
}

// -----

/// A gemm's [M, N] i32 bias is the accumulator init minus the zero-point
/// term of its column: zp_a = 4, column sums (transB rows) {3, 6}:
///   [[10, 20], [30, 40]] - 4 * [3, 6] = [[-2, -4], [18, 16]].
// CHECK-LABEL: func.func @gemm_matrix_bias
//       CHECK:   %[[INIT:.+]] = arith.constant dense<{{\[}}[-2, -4], [18, 16]]> : tensor<2x2xi32>
//       CHECK:   linalg.generic {{.*}} ins(%{{.+}}, %{{.+}} : tensor<2x3xi8>, tensor<2x3xi8>) outs(%[[INIT]] : tensor<2x2xi32>)
!qa = !quant.uniform<i8:f32, 0.5:4>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @gemm_matrix_bias(%a: tensor<2x3x!qa>) -> tensor<2x2x!qacc> {
  %wi = arith.constant dense<[[1, 1, 1], [1, 2, 3]]> : tensor<2x3xi8>
  %w = quant.scast %wi : tensor<2x3xi8> to tensor<2x3x!qw>
  %c = arith.constant dense<[[10, 20], [30, 40]]> : tensor<2x2xi32>
  %g = qnn.gemm %a, %w, %c {transB = true} : (tensor<2x3x!qa>, tensor<2x3x!qw>, tensor<2x2xi32>) -> tensor<2x2x!qacc>
  return %g : tensor<2x2x!qacc>
}

// -----

/// A dilated max pool reads input oh * s + kh * d in its map.
// CHECK-DAG: #[[$DIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4 * 2, d3 * 2 + d5 * 3)>
// CHECK-LABEL: func.func @max_pool_dilated
//       CHECK:   linalg.generic {indexing_maps = [#[[$DIN]],
//  CHECK-SAME:     outs(%{{.+}} : tensor<1x1x3x2xi8>)
!q = !quant.uniform<i8:f32, 0.5:-3>
func.func @max_pool_dilated(%x: tensor<1x1x5x7x!q>) -> tensor<1x1x3x2x!q> {
  %0 = qnn.max_pool %x {dilations = array<i64: 2, 3>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 2>} : (tensor<1x1x5x7x!q>) -> tensor<1x1x3x2x!q>
  return %0 : tensor<1x1x3x2x!q>
}

// -----

/// Max pooling pads with -128 (the storage minimum never wins) and starts
/// from a -128 fill; the window is a kernel-shaped tensor in the maps.
// CHECK-DAG: #[[$PIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$PWIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$POUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool_pad_lowest
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<1x2x4x4xi8>) -> tensor<1x2x2x2xi8>
//       CHECK:   %[[LOW:.+]] = arith.constant -128 : i8
//       CHECK:   %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:     tensor.yield %[[LOW]] : i8
//       CHECK:   } : tensor<1x2x4x4xi8> to tensor<1x2x6x6xi8>
//       CHECK:   %[[WIN:.+]] = tensor.empty() : tensor<3x3xi8>
//       CHECK:   %[[LOW2:.+]] = arith.constant -128 : i8
//       CHECK:   %[[FILL:.+]] = linalg.fill ins(%[[LOW2]] : i8) outs(%{{.+}} : tensor<1x2x2x2xi8>)
//       CHECK:   %[[P:.+]] = linalg.generic {indexing_maps = [#[[$PIN]], #[[$PWIN]], #[[$POUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
//  CHECK-SAME:     ins(%[[PAD]], %[[WIN]] : tensor<1x2x6x6xi8>, tensor<3x3xi8>) outs(%[[FILL]] : tensor<1x2x2x2xi8>)
//       CHECK:   ^bb0(%[[IN:.+]]: i8, %{{.+}}: i8, %[[OUT:.+]]: i8):
//       CHECK:     %[[M:.+]] = arith.maxsi %[[IN]], %[[OUT]] : i8
//       CHECK:     linalg.yield %[[M]] : i8
//       CHECK:   return %[[P]]
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @max_pool_pad_lowest(%x: tensor<1x2x4x4x!q>) -> tensor<1x2x2x2x!q> {
  %p = qnn.max_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4x!q>) -> tensor<1x2x2x2x!q>
  return %p : tensor<1x2x2x2x!q>
}

// -----

/// Flatten is a collapse to 1-D and an expand to the 2-D result.
// CHECK-LABEL: func.func @flatten_collapse_shape
//  CHECK-SAME:     %[[X:[^:]+]]: tensor<1x2x2x2xi8>) -> tensor<1x8xi8>
//       CHECK:   %[[C:.+]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2, 3]] : tensor<1x2x2x2xi8> into tensor<8xi8>
//       CHECK:   %[[E:.+]] = tensor.expand_shape %[[C]] {{\[\[}}0, 1]] output_shape [1, 8] : tensor<8xi8> into tensor<1x8xi8>
//       CHECK:   return %[[E]]
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @flatten_collapse_shape(%x: tensor<1x2x2x2x!q>) -> tensor<1x8x!q> {
  %f = qnn.flatten %x {axis = 1 : i64} : (tensor<1x2x2x2x!q>) -> tensor<1x8x!q>
  return %f : tensor<1x8x!q>
}

// -----

/// Relu clamps at the zero point (-5) in i8.
// CHECK-LABEL: func.func @relu_clamp_at_zero_point
//       CHECK:   linalg.generic
//       CHECK:     %[[LO:.+]] = arith.constant -5 : i8
//       CHECK:     %[[MAX:.+]] = arith.maxsi %{{.+}}, %[[LO]] : i8
//       CHECK:     %[[HI:.+]] = arith.constant 127 : i8
//       CHECK:     arith.minsi %[[MAX]], %[[HI]] : i8
!q = !quant.uniform<i8:f32, 0.0235:-5>
func.func @relu_clamp_at_zero_point(%x: tensor<4x!q>) -> tensor<4x!q> {
  %r = qnn.relu %x : tensor<4x!q>
  return %r : tensor<4x!q>
}

// -----

/// Clip(0, 6) with scale 0.047, zero point -20: the bounds in storage units
/// are round(0 / 0.047) - 20 = -20 and round(6 / 0.047) - 20 =
/// round(127.6596) - 20 = 108.
// CHECK-LABEL: func.func @clip_clamp_storage_bounds
//       CHECK:     arith.constant -20 : i8
//       CHECK:     arith.maxsi
//       CHECK:     arith.constant 108 : i8
//       CHECK:     arith.minsi
!q = !quant.uniform<i8:f32, 0.047:-20>
func.func @clip_clamp_storage_bounds(%x: tensor<4x!q>) -> tensor<4x!q> {
  %c = qnn.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<4x!q>
  return %c : tensor<4x!q>
}

// -----

/// conv_relu_pool: conv (input zero point 1, so init = 0 - 1 * 2 = -2 for the
/// single 1x1 weight 2, no bias), requantize with the carried double-rounding
/// multiplier, output zero point 3 and clamp [-5, 127], then max pooling
/// padded with -128. The 1x1 stride-1 conv is a wide-row conv over the
/// flat 16 positions whose result is read through a 4x4 slice.
// CHECK-LABEL: func.func @conv_relu_pool
//       CHECK:   arith.constant dense<-2> : tensor<1xi32>
//       CHECK:   %[[WIDE:.+]] = linalg.generic {{.*}}"reduction", "reduction", "reduction", "parallel"]
//       CHECK:   %[[ROWS:.+]] = tensor.expand_shape %[[WIDE]]
//       CHECK:   %[[ACC:.+]] = tensor.extract_slice %[[ROWS]]
//       CHECK:   %[[Q:.+]] = linalg.generic {{.*}} ins(%[[ACC]] : tensor<1x1x4x4xi32>) outs(%{{.+}} : tensor<1x1x4x4xi8>)
//       CHECK:     arith.constant 1073741824 : i64
//       CHECK:     arith.constant -3 : i64
//       CHECK:     arith.divsi
//       CHECK:     arith.constant 3 : i64
//       CHECK:     arith.constant -5 : i64
//       CHECK:     arith.maxsi
//       CHECK:     arith.constant 127 : i64
//       CHECK:     arith.minsi
//       CHECK:   %[[LOW:.+]] = arith.constant -128 : i8
//       CHECK:   %[[PAD:.+]] = tensor.pad %[[Q]] low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:     tensor.yield %[[LOW]] : i8
//       CHECK:   linalg.fill
//       CHECK:   %[[P:.+]] = linalg.generic {{.*}} ins(%[[PAD]], %{{.+}} : tensor<1x1x6x6xi8>, tensor<3x3xi8>) outs(%{{.+}} : tensor<1x1x2x2xi8>)
//       CHECK:     arith.maxsi
//       CHECK:   return %[[P]]
!qx = !quant.uniform<i8:f32, 0.5:1>
!qw = !quant.uniform<i8<-127:127>:f32, 0.125>
!qo = !quant.uniform<i8:f32, 1.0:3>
func.func @conv_relu_pool(%x: tensor<1x1x4x4x!qx>) -> tensor<1x1x2x2x!qo> {
  %wi = arith.constant dense<2> : tensor<1x1x1x1xi8>
  %w = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!qw>
  %b = arith.constant dense<0> : tensor<1xi32>
  %p = qnn.conv_relu_pool %x, %w, %b {clamp_max = 127 : i64, clamp_min = -5 : i64, conv_dilations = array<i64: 1, 1>, conv_pads = array<i64: 0, 0, 0, 0>, conv_strides = array<i64: 1, 1>, multiplier = array<i32: 1073741824>, pool_kernel = array<i64: 3, 3>, pool_pads = array<i64: 1, 1, 1, 1>, pool_strides = array<i64: 2, 2>, rounding = #qnn.rounding<double>, shift = array<i32: -3>} : (tensor<1x1x4x4x!qx>, tensor<1x1x1x1x!qw>, tensor<1xi32>) -> tensor<1x1x2x2x!qo>
  return %p : tensor<1x1x2x2x!qo>
}

// -----

/// TFLite ADD with s_a = 0.5, s_b = 0.25, s_out = 1.0: twice_max = 1.0,
///   m_a = 0.5 -> (2^30, 0), m_b = 0.25 -> (2^30, -1),
///   m_out = 1.0 / (2^20 * 1.0) = 2^-20 -> frexp (0.5, -19) -> (2^30, -19);
/// each input is (q - zp) << 20 first.
// CHECK-LABEL: func.func @add_tflite
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<4xi8>, tensor<4xi8>) outs(%{{.+}} : tensor<4xi8>)
//       CHECK:     arith.constant 0 : i64
//       CHECK:     arith.constant 20 : i64
//       CHECK:     arith.shli
//       CHECK:     arith.constant 1073741824 : i64
//       CHECK:     arith.constant 0 : i64
//       CHECK:     arith.constant 3 : i64
//       CHECK:     arith.constant 20 : i64
//       CHECK:     arith.shli
//       CHECK:     arith.constant 1073741824 : i64
//       CHECK:     arith.constant -1 : i64
//       CHECK:     arith.constant 1073741824 : i64
//       CHECK:     arith.constant -19 : i64
//       CHECK:     arith.constant -2 : i64
//       CHECK:     arith.trunci %{{.+}} : i64 to i8
!qa = !quant.uniform<i8:f32, 0.5>
!qb = !quant.uniform<i8:f32, 0.25:3>
!qo = !quant.uniform<i8:f32, 1.0:-2>
func.func @add_tflite(%a: tensor<4x!qa>, %b: tensor<4x!qb>) -> tensor<4x!qo> {
  %s = qnn.add %a, %b : (tensor<4x!qa>, tensor<4x!qb>) -> tensor<4x!qo>
  return %s : tensor<4x!qo>
}

// -----

/// A QDQ pair around a float op that qnn-fold-qdq could not fold: the
/// diagnostic names the float op, not the casts around it.
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @float_op_left(%x: tensor<4x!q>) -> tensor<4x!q> {
  %d = quant.dcast %x : tensor<4x!q> to tensor<4xf32>
  // expected-error@+1 {{'arith.negf' op is still in float after quantization; the int8 lowering needs every op quantized}}
  %n = arith.negf %d : tensor<4xf32>
  %q = quant.qcast %n : tensor<4xf32> to tensor<4x!q>
  return %q : tensor<4x!q>
}

// -----

!q = !quant.uniform<i8:f32, 0.5:3>
// expected-error@+1 {{function input is float after quantization and used by other ops than quant.qcast; the int8 lowering needs a quantized boundary}}
func.func @float_function_input(%x: tensor<4xf32>, %y: tensor<4x!q>) -> tensor<4x!q> {
  return %y : tensor<4x!q>
}

// -----

// A float result that is not a dcast (here a float constant).
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @float_result_not_dcast(%x: tensor<4x!q>) -> tensor<4xf32> {
  %c = arith.constant dense<1.0> : tensor<4xf32>
  // expected-error@+1 {{function result is float after quantization and not a quant.dcast of an integer value}}
  return %c : tensor<4xf32>
}

// -----

// expected-error@+1 {{function result is float after quantization (a float graph output after an integer op is not supported yet)}}
func.func private @float_function_result(tensor<4xi8>) -> tensor<4xf32>

// -----

!qacc = !quant.uniform<i32:f32, 1.640625e-05>
!qo = !quant.uniform<i8:f32, 0.0235:-5>
func.func @requantize_without_multipliers(%acc: tensor<1x4x!qacc>) -> tensor<1x4x!qo> {
  // expected-error@+2 {{'qnn.requantize' op has no fixed-point multipliers; run qnn-compute-scales first}}
  // expected-error@+1 {{failed to legalize operation 'qnn.requantize'}}
  %y = qnn.requantize %acc : tensor<1x4x!qacc> to tensor<1x4x!qo>
  return %y : tensor<1x4x!qo>
}

// -----

/// A grouped conv takes the same zero-point correction: it needs a
/// constant filter when the input zero point is non-zero.
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @grouped_conv_non_constant_filter(%x: tensor<1x2x4x4x!qx>, %w: tensor<2x1x3x3x!qw>) -> tensor<1x2x2x2x!qacc> {
  // expected-error@+2 {{'qnn.conv' op needs a constant filter when the input zero point is non-zero}}
  // expected-error@+1 {{failed to legalize operation 'qnn.conv'}}
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4x!qx>, tensor<2x1x3x3x!qw>) -> tensor<1x2x2x2x!qacc>
  return %acc : tensor<1x2x2x2x!qacc>
}

// -----

/// The zero-point correction needs the filter values at compile time.
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @non_constant_filter_with_zero_point(%x: tensor<1x1x4x4x!qx>, %w: tensor<1x1x3x3x!qw>) -> tensor<1x1x2x2x!qacc> {
  // expected-error@+2 {{'qnn.conv' op needs a constant filter when the input zero point is non-zero}}
  // expected-error@+1 {{failed to legalize operation 'qnn.conv'}}
  %acc = qnn.conv %x, %w {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x3x3x!qw>) -> tensor<1x1x2x2x!qacc>
  return %acc : tensor<1x1x2x2x!qacc>
}

// -----

!qx = !quant.uniform<i8:f32, 0.5>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @non_constant_bias(%x: tensor<1x1x4x4x!qx>, %w: tensor<1x1x3x3x!qw>, %b: tensor<1xi32>) -> tensor<1x1x2x2x!qacc> {
  // expected-error@+2 {{'qnn.conv' op expects a constant bias}}
  // expected-error@+1 {{failed to legalize operation 'qnn.conv'}}
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x3x3x!qw>, tensor<1xi32>) -> tensor<1x1x2x2x!qacc>
  return %acc : tensor<1x1x2x2x!qacc>
}

// -----

/// bias - zp_x * sum(w) = 2147483000 - (-128) * 127 = 2147499256 > 2^31 - 1.
!qx = !quant.uniform<i8:f32, 0.5:-128>
!qw = !quant.uniform<i8<-127:127>:f32, 0.25>
!qacc = !quant.uniform<i32:f32, 0.125>
func.func @bias_correction_overflow(%x: tensor<1x1x4x4x!qx>) -> tensor<1x1x4x4x!qacc> {
  %wi = arith.constant dense<127> : tensor<1x1x1x1xi8>
  %w = quant.scast %wi : tensor<1x1x1x1xi8> to tensor<1x1x1x1x!qw>
  %b = arith.constant dense<2147483000> : tensor<1xi32>
  // expected-error@+2 {{'qnn.conv' op bias with zero-point correction overflows int32}}
  // expected-error@+1 {{failed to legalize operation 'qnn.conv'}}
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x4x4x!qx>, tensor<1x1x1x1x!qw>, tensor<1xi32>) -> tensor<1x1x4x4x!qacc>
  return %acc : tensor<1x1x4x4x!qacc>
}

// -----

/// Depthwise conv with channel multiplier 2 (group 2, 4 output channels,
/// filter [4, 1, 2, 2]), stride 1: the wide-row form with a group
/// dimension. The filter is viewed as [G = 2, F/G = 2, C/G = 1, 2, 2], the
/// input (one more bottom row: 4x3) as flat rows of 12, the accumulator as
/// [1, 2, 2, OH * W_p = 6]; the input channel is g * (C/G) + c = d1 + d3 and
/// position p reads p + kh * 3 + kw. Loops (n, g, f, c, kh, kw, p). Input
/// zero point 3, so the init is bias[c] - 3 * sum(w[c]):
///   c0: 10 - 3 * (1 + 2 + 3 + 4) = -20    c1: 20 - 3 * (-1 + 1) = 20
///   c2: 30 - 3 * 20 = -30                 c3: 40 - 3 * (-2) = 46
// CHECK-DAG: #[[$G_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d3, d6 + d4 * 3 + d5)>
// CHECK-DAG: #[[$G_W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[$G_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d6)>
// CHECK-LABEL: func.func @depthwise_conv_multiplier_2
//  CHECK-SAME:     (%[[X:[^:]+]]: tensor<1x2x3x3xi8>) -> tensor<1x4x2x2xi32>
//       CHECK:   %[[W:.+]] = arith.constant dense<{{.*}}> : tensor<4x1x2x2xi8>
//       CHECK:   %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 0]
//       CHECK:   %[[FLAT:.+]] = tensor.collapse_shape %[[PAD]] {{\[\[}}0], [1], [2, 3]] : tensor<1x2x4x3xi8> into tensor<1x2x12xi8>
//       CHECK:   %[[INIT:.+]] = arith.constant dense<[-20, 20, -30, 46]> : tensor<4xi32>
//       CHECK:   %[[ACC0:.+]] = linalg.generic {{.*}} ins(%[[INIT]] : tensor<4xi32>) outs(%{{.+}} : tensor<1x4x6xi32>)
//       CHECK:   %[[GW:.+]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 2, 1, 2, 2] : tensor<4x1x2x2xi8> into tensor<2x2x1x2x2xi8>
//       CHECK:   %[[GACC0:.+]] = tensor.expand_shape %[[ACC0]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 2, 6] : tensor<1x4x6xi32> into tensor<1x2x2x6xi32>
//       CHECK:   %[[GACC:.+]] = linalg.generic {indexing_maps = [#[[$G_IN]], #[[$G_W]], #[[$G_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]}
//  CHECK-SAME:     ins(%[[FLAT]], %[[GW]] : tensor<1x2x12xi8>, tensor<2x2x1x2x2xi8>) outs(%[[GACC0]] : tensor<1x2x2x6xi32>)
//       CHECK:     arith.muli
//       CHECK:     arith.addi
//       CHECK:   %[[WIDE:.+]] = tensor.collapse_shape %[[GACC]] {{\[\[}}0], [1, 2], [3]] : tensor<1x2x2x6xi32> into tensor<1x4x6xi32>
//       CHECK:   %[[ROWS:.+]] = tensor.expand_shape %[[WIDE]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 4, 2, 3] : tensor<1x4x6xi32> into tensor<1x4x2x3xi32>
//       CHECK:   %[[ACC:.+]] = tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [1, 4, 2, 2] [1, 1, 1, 1] : tensor<1x4x2x3xi32> to tensor<1x4x2x2xi32>
//       CHECK:   return %[[ACC]]
!qx = !quant.uniform<i8:f32, 0.5:3>
!qw = !quant.uniform<i8<-127:127>:f32:0, {0.25, 0.125, 0.25, 0.125}>
!qacc = !quant.uniform<i32:f32:1, {0.125, 0.0625, 0.125, 0.0625}>
func.func @depthwise_conv_multiplier_2(%x: tensor<1x2x3x3x!qx>) -> tensor<1x4x2x2x!qacc> {
  %wi = arith.constant dense<[[[[1, 2], [3, 4]]], [[[-1, 0], [0, 1]]], [[[5, 5], [5, 5]]], [[[0, 0], [0, -2]]]]> : tensor<4x1x2x2xi8>
  %w = quant.scast %wi : tensor<4x1x2x2xi8> to tensor<4x1x2x2x!qw>
  %b = arith.constant dense<[10, 20, 30, 40]> : tensor<4xi32>
  %acc = qnn.conv %x, %w, %b {dilations = array<i64: 1, 1>, group = 2 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!qx>, tensor<4x1x2x2x!qw>, tensor<4xi32>) -> tensor<1x4x2x2x!qacc>
  return %acc : tensor<1x4x2x2x!qacc>
}

// -----

/// Average pooling 3x3, stride 1, padding 1 on 4x4, count_include_pad unset:
/// the input is padded with its zero point (-3), so padding adds
/// q - zp = 0, and the i32 sum starts at -9 * zp = 27. The window sizes are
/// 4 (corners), 6 (edges) and 9 (inside); their multipliers
/// m = 0.5 / (n * 0.25) = 2 / n are QuantizeMultiplier(0.5) = (2^30, 0),
/// (1/3) = (1431655765, -1), (2/9) = (1908874354, -2), laid out as [4, 4]
/// tables over the output positions. Single rounding per element:
/// (x * M + 2^(30 - shift)) >> (31 - shift), + 7, clamp, truncate.
// CHECK-DAG: #[[$P_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4, d3 + d5)>
// CHECK-DAG: #[[$P_WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d2, d3)>
// CHECK-DAG: #[[$P_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d4, d5)>
// CHECK-DAG: #[[$P_ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$P_POS:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @avg_pool_window_sizes
//       CHECK:   %[[ZP:.+]] = arith.constant -3 : i8
//       CHECK:   %[[PAD:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 1, 1]
//       CHECK:     tensor.yield %[[ZP]] : i8
//       CHECK:   %[[C27:.+]] = arith.constant 27 : i32
//       CHECK:   %[[INIT:.+]] = linalg.fill ins(%[[C27]] : i32) outs(%{{.+}} : tensor<1x1x4x4xi32>)
//       CHECK:   %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$P_IN]], #[[$P_WIN]], #[[$P_OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[PAD]], %{{.+}} : tensor<1x1x6x6xi8>, tensor<3x3xi8>) outs(%[[INIT]] : tensor<1x1x4x4xi32>)
//       CHECK:     %[[E:.+]] = arith.extsi %{{.+}} : i8 to i32
//       CHECK:     arith.addi %{{.+}}, %[[E]] : i32
//       CHECK:   %[[MT:.+]] = arith.constant dense<{{\[\[}}1073741824, 1431655765, 1431655765, 1073741824], [1431655765, 1908874354, 1908874354, 1431655765], [1431655765, 1908874354, 1908874354, 1431655765], [1073741824, 1431655765, 1431655765, 1073741824]]> : tensor<4x4xi64>
//       CHECK:   %[[ST:.+]] = arith.constant dense<{{\[\[}}0, -1, -1, 0], [-1, -2, -2, -1], [-1, -2, -2, -1], [0, -1, -1, 0]]> : tensor<4x4xi64>
//       CHECK:   linalg.generic {indexing_maps = [#[[$P_ID]], #[[$P_POS]], #[[$P_POS]], #[[$P_ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[SUM]], %[[MT]], %[[ST]] : tensor<1x1x4x4xi32>, tensor<4x4xi64>, tensor<4x4xi64>) outs(%{{.+}} : tensor<1x1x4x4xi8>)
//       CHECK:   ^bb0(%[[S:.+]]: i32, %[[M:.+]]: i64, %[[SH:.+]]: i64, %{{.+}}: i8):
//       CHECK:     %[[X:.+]] = arith.extsi %[[S]] : i32 to i64
//       CHECK:     %[[TOTAL:.+]] = arith.subi %{{.+}}, %[[SH]] : i64
//       CHECK:     %[[P:.+]] = arith.muli %[[X]], %[[M]] : i64
//       CHECK:     arith.shrsi %{{.+}}, %[[TOTAL]] : i64
//       CHECK:     arith.constant 7 : i64
//       CHECK:     arith.trunci %{{.+}} : i64 to i8
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
func.func @avg_pool_window_sizes(%x: tensor<1x1x4x4x!qa>) -> tensor<1x1x4x4x!qb> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>, multiplier = array<i32: 1073741824, 1431655765, 1908874354>, shift = array<i32: 0, -1, -2>} : (tensor<1x1x4x4x!qa>) -> tensor<1x1x4x4x!qb>
  return %p : tensor<1x1x4x4x!qb>
}

// -----

/// Global average pooling (one window size, 9): no padding, no tables; the
/// multiplier and shift are constants of the requantize body, here with
/// double rounding (gemmlowp's high multiply and rounding divide).
// CHECK-LABEL: func.func @global_avg_pool_double
//   CHECK-NOT:   tensor.pad
//       CHECK:   arith.constant 27 : i32
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%{{.+}}, %{{.+}} : tensor<1x2x3x3xi8>, tensor<3x3xi8>) outs(%{{.+}} : tensor<1x2x1x1xi32>)
//       CHECK:   linalg.generic
//  CHECK-SAME:     ins(%{{.+}} : tensor<1x2x1x1xi32>) outs(%{{.+}} : tensor<1x2x1x1xi8>)
//       CHECK:     arith.constant 1908874354 : i64
//       CHECK:     arith.constant -2 : i64
//       CHECK:     arith.divsi
!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
func.func @global_avg_pool_double(%x: tensor<1x2x3x3x!qa>) -> tensor<1x2x1x1x!qb> {
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>, rounding = #qnn.rounding<double>, multiplier = array<i32: 1908874354>, shift = array<i32: -2>} : (tensor<1x2x3x3x!qa>) -> tensor<1x2x1x1x!qb>
  return %p : tensor<1x2x1x1x!qb>
}

// -----

!qa = !quant.uniform<i8:f32, 0.5:-3>
!qb = !quant.uniform<i8:f32, 0.25:7>
func.func @avg_pool_without_multipliers(%x: tensor<1x2x3x3x!qa>) -> tensor<1x2x1x1x!qb> {
  // expected-error@+2 {{'qnn.avg_pool' op has no fixed-point multipliers; run qnn-compute-scales first}}
  // expected-error@+1 {{failed to legalize operation 'qnn.avg_pool'}}
  %p = qnn.avg_pool %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x3x3x!qa>) -> tensor<1x2x1x1x!qb>
  return %p : tensor<1x2x1x1x!qb>
}

// -----

/// Concat of three inputs along axis 1 (sizes 2, 1, 3 at offsets 0, 2, 3):
/// one generic over the result; each input is read at the axis index
/// clamped into it, and selects pick input 0 below 2, input 1 below 3,
/// else input 2. No strided copy is left for bufferization.
// CHECK-LABEL: func.func @concat_three
//  CHECK-SAME:     (%[[A:[^:]+]]: tensor<1x2x2xi8>, %[[B:[^:]+]]: tensor<1x1x2xi8>, %[[C:[^:]+]]: tensor<1x3x2xi8>) -> tensor<1x6x2xi8>
//       CHECK:   %[[E:.+]] = tensor.empty() : tensor<1x6x2xi8>
//       CHECK:   %[[R:.+]] = linalg.generic {{.*}} outs(%[[E]] : tensor<1x6x2xi8>)
//       CHECK:     %[[I0:.+]] = linalg.index 0 : index
//       CHECK:     %[[I1:.+]] = linalg.index 1 : index
//       CHECK:     %[[I2:.+]] = linalg.index 2 : index
//       CHECK:     %[[XC:.+]] = tensor.extract %[[C]][%[[I0]], %{{.+}}, %[[I2]]] : tensor<1x3x2xi8>
//       CHECK:     %[[LT3:.+]] = arith.cmpi slt, %[[I1]], %{{.+}} : index
//       CHECK:     %[[XB:.+]] = tensor.extract %[[B]][%[[I0]], %{{.+}}, %[[I2]]] : tensor<1x1x2xi8>
//       CHECK:     %[[S1:.+]] = arith.select %[[LT3]], %[[XB]], %[[XC]] : i8
//       CHECK:     %[[LT2:.+]] = arith.cmpi slt, %[[I1]], %{{.+}} : index
//       CHECK:     %[[XA:.+]] = tensor.extract %[[A]][%[[I0]], %{{.+}}, %[[I2]]] : tensor<1x2x2xi8>
//       CHECK:     %[[S0:.+]] = arith.select %[[LT2]], %[[XA]], %[[S1]] : i8
//       CHECK:     linalg.yield %[[S0]] : i8
//       CHECK:   return %[[R]]
!q = !quant.uniform<i8:f32, 0.25:1>
func.func @concat_three(%a: tensor<1x2x2x!q>, %b: tensor<1x1x2x!q>, %c: tensor<1x3x2x!q>) -> tensor<1x6x2x!q> {
  %r = qnn.concat %a, %b, %c {axis = 1 : i64} : (tensor<1x2x2x!q>, tensor<1x1x2x!q>, tensor<1x3x2x!q>) -> tensor<1x6x2x!q>
  return %r : tensor<1x6x2x!q>
}

// -----

/// A batch norm that qnn-fold-batchnorm could not fold stays in float and is
/// reported by name (not its f32 constants or the casts around it).
!q = !quant.uniform<i8:f32, 0.5:3>
func.func @batch_norm_left_in_float(%x: tensor<1x2x!q>) -> tensor<1x2x!q> {
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %d = quant.dcast %x : tensor<1x2x!q> to tensor<1x2xf32>
  // expected-error@+1 {{'qnn.batch_norm' op is still in float after quantization; the int8 lowering needs every op quantized}}
  %b = qnn.batch_norm %d, %p, %p, %p, %p : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %q = quant.qcast %b : tensor<1x2xf32> to tensor<1x2x!q>
  return %q : tensor<1x2x!q>
}
