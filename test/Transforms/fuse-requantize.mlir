// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-fuse-requantize))" \
// RUN:   | FileCheck %s
// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-fuse-requantize{leading-dims=1}))" \
// RUN:   | FileCheck %s --check-prefix=BATCH
// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-fuse-requantize{leading-dims=0}))" \
// RUN:   | FileCheck %s --check-prefix=OFF
// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-fuse-requantize),canonicalize,one-shot-bufferize{bufferize-function-boundaries=1 function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{modify-public-functions=1 hoist-static-allocs=1},cse,canonicalize,func.func(buffer-loop-hoisting,quantopt-plan-arena))" \
// RUN:   | FileCheck %s --check-prefix=ARENA
// RUN: quant-opt %S/Inputs/fuse-requantize-invalid.mlir --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-fuse-requantize{leading-dims=-1}))" \
// RUN:   --verify-diagnostics

#bias = affine_map<(n, f, p) -> (f)>
#id3 = affine_map<(n, f, p) -> (n, f, p)>
#in = affine_map<(n, f, c, kh, kw, p) -> (n, c, p + kh * 4 + kw)>
#w = affine_map<(n, f, c, kh, kw, p) -> (f, c, kh, kw)>
#acc = affine_map<(n, f, c, kh, kw, p) -> (n, f, p)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#ch4 = affine_map<(n, f, h, w) -> (f)>

/// A wide-row convolution as lower-to-linalg-int8 emits it: the bias
/// broadcast, the reduction over 3 rows of W_p = 4 positions, a view that
/// drops the last column of each row, and the requantize. The requantize is
/// tiled over the 3 output channels; the broadcast and the reduction move
/// into the loop on one 1x1x12 plane, the view follows them, and the input
/// and the weights stay outside (sliced, never recomputed).
// CHECK-LABEL: func.func @wide_row_conv
//  CHECK-SAME:     %[[X:[^:]*]]: tensor<1x2x24xi8>
//   CHECK-NOT:   tensor<1x3x12xi32>
//       CHECK:   %[[OUT:.*]] = tensor.empty() : tensor<1x3x3x3xi8>
//       CHECK:   scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[A:.*]] = %[[OUT]])
//       CHECK:     scf.for %[[F:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[B:.*]] = %[[A]])
//       CHECK:       %[[XS:.*]] = tensor.extract_slice %[[X]][%[[N]], 0, 0] [1, 2, 17]
//       CHECK:       %[[BIAS:.*]] = tensor.extract_slice %{{.*}}[%[[F]]] [1] [1] : tensor<3xi32> to tensor<1xi32>
//       CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x1x12xi32>
//       CHECK:       %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<1xi32>) outs(%[[E]] : tensor<1x1x12xi32>)
//       CHECK:       %[[ACC:.*]] = linalg.generic {{.*}}"reduction"{{.*}} ins(%[[XS]], %{{.*}} : tensor<1x2x17xi8>, tensor<1x2x2x2xi8>) outs(%[[INIT]] : tensor<1x1x12xi32>)
//       CHECK:       %[[ROWS:.*]] = tensor.expand_shape %[[ACC]] {{\[}}[0], [1], [2, 3]] output_shape [1, 1, 3, 4]
//       CHECK:       %[[VALID:.*]] = tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [1, 1, 3, 3] [1, 1, 1, 1]
//       CHECK:       %[[OS:.*]] = tensor.extract_slice %[[B]][%[[N]], %[[F]], 0, 0] [1, 1, 3, 3]
//       CHECK:       %[[Q:.*]] = linalg.generic {{.*}} ins(%[[VALID]], %{{.*}} : tensor<1x1x3x3xi32>, tensor<1xi32>) outs(%[[OS]] : tensor<1x1x3x3xi8>)
//       CHECK:       tensor.insert_slice %[[Q]] into %[[B]][%[[N]], %[[F]], 0, 0] [1, 1, 3, 3]
// After bufferization the tile is one allocation in the loop, which
// buffer-loop-hoisting moves out and the planner places: 12 i32 = 48 bytes
// for the plane (and its 1x1x3x4 row view at the same offset) instead of
// 3 x 12 i32 = 144 bytes for the whole accumulator. The output is written
// in place through a subview, without a copy.
// ARENA-LABEL: func.func @wide_row_conv
//  ARENA-SAME:     memref<1x1x12xi32> {quantopt.arena_offset = 0 : i64}
//  ARENA-SAME:     memref<1x1x3x4xi32> {quantopt.arena_offset = 0 : i64}
//  ARENA-SAME:     quantopt.arena_size = 48 : i64
//   ARENA-NOT:   memref.alloc
//       ARENA:   scf.for
//   ARENA-NOT:   memref.alloc
//   ARENA-NOT:   copy
//       ARENA:   return
// OFF-LABEL: func.func @wide_row_conv
//   OFF-NOT:   scf.for
func.func @wide_row_conv(%x: tensor<1x2x24xi8>) -> tensor<1x3x3x3xi8> {
  %bias = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
  %w = arith.constant dense<[[[[1, 2], [3, 4]], [[5, 6], [7, 8]]],
                             [[[-1, -2], [-3, -4]], [[-5, -6], [-7, -8]]],
                             [[[9, 0], [0, 9]], [[1, 1], [1, 1]]]]> : tensor<3x2x2x2xi8>
  %m = arith.constant dense<[1073741824, 1073741824, 1610612736]> : tensor<3xi32>
  %e = tensor.empty() : tensor<1x3x12xi32>
  %init = linalg.generic {indexing_maps = [#bias, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias : tensor<3xi32>) outs(%e : tensor<1x3x12xi32>) {
  ^bb0(%b: i32, %o: i32):
    linalg.yield %b : i32
  } -> tensor<1x3x12xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #acc], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]}
      ins(%x, %w : tensor<1x2x24xi8>, tensor<3x2x2x2xi8>) outs(%init : tensor<1x3x12xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x3x12xi32>
  %rows = tensor.expand_shape %acc [[0], [1], [2, 3]] output_shape [1, 3, 3, 4] : tensor<1x3x12xi32> into tensor<1x3x3x4xi32>
  %valid = tensor.extract_slice %rows[0, 0, 0, 0] [1, 3, 3, 3] [1, 1, 1, 1] : tensor<1x3x3x4xi32> to tensor<1x3x3x3xi32>
  %oe = tensor.empty() : tensor<1x3x3x3xi8>
  %q = linalg.generic {indexing_maps = [#id4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%valid, %m : tensor<1x3x3x3xi32>, tensor<3xi32>) outs(%oe : tensor<1x3x3x3xi8>) {
  ^bb0(%a: i32, %mm: i32, %o: i8):
    %0 = arith.extsi %a : i32 to i64
    %1 = arith.extsi %mm : i32 to i64
    %2 = arith.muli %0, %1 : i64
    %c = arith.constant 31 : i64
    %3 = arith.shrsi %2, %c : i64
    %4 = arith.trunci %3 : i64 to i8
    linalg.yield %4 : i8
  } -> tensor<1x3x3x3xi8>
  return %q : tensor<1x3x3x3xi8>
}

// -----

#win = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, oh * 2 + kh, ow * 2 + kw)>
#wk = affine_map<(n, c, kh, kw, oh, ow) -> (kh, kw)>
#wo = affine_map<(n, c, kh, kw, oh, ow) -> (n, c, oh, ow)>
#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>

/// A 3x3, stride-2 average pool with padding and a batch of 2: the sum
/// starts from a linalg.fill and reads a tensor.pad. Both loops (batch,
/// channel) are tiled; the fill and the sum move in, the pad stays
/// outside, computed once. With leading-dims=1 only the batch is tiled: the accumulator is
/// one 1x4x2x2 image per iteration.
// CHECK-LABEL: func.func @padded_avgpool
//       CHECK:   %[[PAD:.*]] = tensor.pad
//       CHECK:   scf.for %[[N:[^ ]*]] =
//       CHECK:     scf.for %[[C:[^ ]*]] =
//   CHECK-NOT:       tensor.pad
//       CHECK:       %[[PS:.*]] = tensor.extract_slice %[[PAD]][%[[N]], %[[C]], 0, 0] [1, 1, 5, 5]
//       CHECK:       %[[E:.*]] = tensor.empty() : tensor<1x1x2x2xi32>
//       CHECK:       %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%[[E]] : tensor<1x1x2x2xi32>)
//       CHECK:       %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[PS]], %{{.*}} : tensor<1x1x5x5xi8>, tensor<3x3xi8>) outs(%[[FILL]] : tensor<1x1x2x2xi32>)
//       CHECK:       linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x1x2x2xi32>)
// BATCH-LABEL: func.func @padded_avgpool
//       BATCH:   scf.for
//   BATCH-NOT:   scf.for
//       BATCH:     linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x4x2x2xi32>)
func.func @padded_avgpool(%x: tensor<2x4x4x4xi8>) -> tensor<2x4x2x2xi8> {
  %zp = arith.constant 3 : i8
  %pad = tensor.pad %x low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zp : i8
  } : tensor<2x4x4x4xi8> to tensor<2x4x5x5xi8>
  %c0 = arith.constant -27 : i32
  %e = tensor.empty() : tensor<2x4x2x2xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<2x4x2x2xi32>) -> tensor<2x4x2x2xi32>
  %window = tensor.empty() : tensor<3x3xi8>
  %sum = linalg.generic {indexing_maps = [#win, #wk, #wo], iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel", "parallel"]}
      ins(%pad, %window : tensor<2x4x5x5xi8>, tensor<3x3xi8>) outs(%init : tensor<2x4x2x2xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.addi %o, %0 : i32
    linalg.yield %1 : i32
  } -> tensor<2x4x2x2xi32>
  %oe = tensor.empty() : tensor<2x4x2x2xi8>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<2x4x2x2xi32>) outs(%oe : tensor<2x4x2x2xi8>) {
  ^bb0(%a: i32, %o: i8):
    %c2 = arith.constant 2 : i32
    %0 = arith.shrsi %a, %c2 : i32
    %1 = arith.trunci %0 : i32 to i8
    linalg.yield %1 : i8
  } -> tensor<2x4x2x2xi8>
  return %q : tensor<2x4x2x2xi8>
}

// -----

#in = affine_map<(n, g, f, c, oh, ow) -> (n, g * 2 + c, oh, ow)>
#w = affine_map<(n, g, f, c, oh, ow) -> (g, f, c)>
#acc = affine_map<(n, g, f, c, oh, ow) -> (n, g, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>

/// A grouped 1x1 convolution (2 groups of 2 filters) computes its
/// accumulator with a group dimension and collapses it to NCHW for the
/// requantize. Output channel %f is element (%f floordiv 2, %f mod 2) of
/// the (group, filter) pair: the slice moves above the collapse and the
/// grouped reduction is fused on one 1x1x1x3x3 plane.
// CHECK-LABEL: func.func @grouped_conv
//   CHECK-NOT:   tensor<1x2x2x3x3xi32>
//       CHECK:   scf.for
//       CHECK:     scf.for %[[F:[^ ]*]] =
//       CHECK:       %[[GF:.*]]:2 = affine.delinearize_index %[[F]] into (2, 2)
//       CHECK:       %[[FILL:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x1x1x3x3xi32>)
//       CHECK:       %[[ACC:.*]] = linalg.generic {{.*}} outs(%[[FILL]] : tensor<1x1x1x3x3xi32>)
//       CHECK:       %[[PLANE:.*]] = tensor.collapse_shape %[[ACC]] {{\[}}[0], [1, 2], [3], [4]]
//       CHECK:       linalg.generic {{.*}} ins(%[[PLANE]] : tensor<1x1x3x3xi32>)
func.func @grouped_conv(%x: tensor<1x4x3x3xi8>, %w: tensor<2x2x2xi8>) -> tensor<1x4x3x3xi8> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x2x2x3x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x2x2x3x3xi32>) -> tensor<1x2x2x3x3xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #acc], iterator_types = ["parallel", "parallel", "parallel", "reduction", "parallel", "parallel"]}
      ins(%x, %w : tensor<1x4x3x3xi8>, tensor<2x2x2xi8>) outs(%init : tensor<1x2x2x3x3xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x2x2x3x3xi32>
  %flat = tensor.collapse_shape %acc [[0], [1, 2], [3], [4]] : tensor<1x2x2x3x3xi32> into tensor<1x4x3x3xi32>
  %oe = tensor.empty() : tensor<1x4x3x3xi8>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%flat : tensor<1x4x3x3xi32>) outs(%oe : tensor<1x4x3x3xi8>) {
  ^bb0(%a: i32, %o: i8):
    %0 = arith.trunci %a : i32 to i8
    linalg.yield %0 : i8
  } -> tensor<1x4x3x3xi8>
  return %q : tensor<1x4x3x3xi8>
}

// -----

#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(m, n) -> (m, n)>

/// A Gemm of one row: the only row tile is the whole accumulator, so
/// nothing is tiled.
// CHECK-LABEL: func.func @negative_single_row_gemm
//   CHECK-NOT:   scf.for
//       CHECK:   linalg.generic {{.*}} outs(%{{.*}} : tensor<1x10xi32>)
func.func @negative_single_row_gemm(%x: tensor<1x8xi8>, %w: tensor<10x8xi8>) -> tensor<1x10xi8> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x10xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x10xi32>) -> tensor<1x10xi32>
  %acc = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x8xi8>, tensor<10x8xi8>) outs(%init : tensor<1x10xi32>) {
  ^bb0(%p: i8, %q: i8, %o: i32):
    %0 = arith.extsi %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x10xi32>
  %oe = tensor.empty() : tensor<1x10xi8>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<1x10xi32>) outs(%oe : tensor<1x10xi8>) {
  ^bb0(%p: i32, %o: i8):
    %0 = arith.trunci %p : i32 to i8
    linalg.yield %0 : i8
  } -> tensor<1x10xi8>
  return %r : tensor<1x10xi8>
}

// -----

#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
#id2 = affine_map<(m, n) -> (m, n)>

/// A Gemm of four rows (a batch of 4): one row of the accumulator per
/// iteration.
// CHECK-LABEL: func.func @gemm_rows
//       CHECK:   scf.for
//       CHECK:     linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<1x10xi32>)
//       CHECK:     linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x8xi8>, tensor<10x8xi8>) outs(%{{.*}} : tensor<1x10xi32>)
func.func @gemm_rows(%x: tensor<4x8xi8>, %w: tensor<10x8xi8>) -> tensor<4x10xi8> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x10xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<4x10xi32>) -> tensor<4x10xi32>
  %acc = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x8xi8>, tensor<10x8xi8>) outs(%init : tensor<4x10xi32>) {
  ^bb0(%p: i8, %q: i8, %o: i32):
    %0 = arith.extsi %p : i8 to i32
    %1 = arith.extsi %q : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<4x10xi32>
  %oe = tensor.empty() : tensor<4x10xi8>
  %r = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%acc : tensor<4x10xi32>) outs(%oe : tensor<4x10xi8>) {
  ^bb0(%p: i32, %o: i8):
    %0 = arith.trunci %p : i32 to i8
    linalg.yield %0 : i8
  } -> tensor<4x10xi8>
  return %r : tensor<4x10xi8>
}

// -----

#id4 = affine_map<(n, c, h, w) -> (n, c, h, w)>

/// The i32 input comes from an elementwise op (the residual Add's sum),
/// not from a reduction: there is no accumulator to shrink.
// CHECK-LABEL: func.func @negative_elementwise_producer
//   CHECK-NOT:   scf.for
func.func @negative_elementwise_producer(%x: tensor<1x4x3x3xi8>, %y: tensor<1x4x3x3xi8>) -> tensor<1x4x3x3xi8> {
  %e = tensor.empty() : tensor<1x4x3x3xi32>
  %sum = linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %y : tensor<1x4x3x3xi8>, tensor<1x4x3x3xi8>) outs(%e : tensor<1x4x3x3xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.addi %0, %1 : i32
    linalg.yield %2 : i32
  } -> tensor<1x4x3x3xi32>
  %oe = tensor.empty() : tensor<1x4x3x3xi8>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%sum : tensor<1x4x3x3xi32>) outs(%oe : tensor<1x4x3x3xi8>) {
  ^bb0(%a: i32, %o: i8):
    %0 = arith.trunci %a : i32 to i8
    linalg.yield %0 : i8
  } -> tensor<1x4x3x3xi8>
  return %q : tensor<1x4x3x3xi8>
}

// -----

#in = affine_map<(n, f, c, h, w) -> (n, c, h, w)>
#w = affine_map<(n, f, c, h, w) -> (f, c)>
#acc = affine_map<(n, f, c, h, w) -> (n, f, h, w)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>

/// The accumulator is also a result of the function: fusing would compute
/// it twice, so the layer is left alone.
// CHECK-LABEL: func.func @negative_accumulator_used_twice
//   CHECK-NOT:   scf.for
func.func @negative_accumulator_used_twice(%x: tensor<1x2x3x3xi8>, %w: tensor<4x2xi8>) -> (tensor<1x4x3x3xi8>, tensor<1x4x3x3xi32>) {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x3x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x4x3x3xi32>) -> tensor<1x4x3x3xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #acc], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]}
      ins(%x, %w : tensor<1x2x3x3xi8>, tensor<4x2xi8>) outs(%init : tensor<1x4x3x3xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x4x3x3xi32>
  %oe = tensor.empty() : tensor<1x4x3x3xi8>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x3x3xi32>) outs(%oe : tensor<1x4x3x3xi8>) {
  ^bb0(%a: i32, %o: i8):
    %0 = arith.trunci %a : i32 to i8
    linalg.yield %0 : i8
  } -> tensor<1x4x3x3xi8>
  return %q, %acc : tensor<1x4x3x3xi8>, tensor<1x4x3x3xi32>
}

// -----

#in = affine_map<(n, f, c, h, w) -> (n, c, h, w)>
#w = affine_map<(n, f, c, h, w) -> (f, c)>
#acc = affine_map<(n, f, c, h, w) -> (n, f, h, w)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>

/// An i32 result that the model leaves in float (logits after the last
/// layer) is not a requantize: the float conversion keeps the whole
/// accumulator.
// CHECK-LABEL: func.func @negative_float_epilogue
//   CHECK-NOT:   scf.for
func.func @negative_float_epilogue(%x: tensor<1x2x3x3xi8>, %w: tensor<4x2xi8>) -> tensor<1x4x3x3xf32> {
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x3x3xi32>
  %init = linalg.fill ins(%c0 : i32) outs(%e : tensor<1x4x3x3xi32>) -> tensor<1x4x3x3xi32>
  %acc = linalg.generic {indexing_maps = [#in, #w, #acc], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]}
      ins(%x, %w : tensor<1x2x3x3xi8>, tensor<4x2xi8>) outs(%init : tensor<1x4x3x3xi32>) {
  ^bb0(%a: i8, %b: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.extsi %b : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %o, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<1x4x3x3xi32>
  %oe = tensor.empty() : tensor<1x4x3x3xf32>
  %q = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%acc : tensor<1x4x3x3xi32>) outs(%oe : tensor<1x4x3x3xf32>) {
  ^bb0(%a: i32, %o: f32):
    %0 = arith.sitofp %a : i32 to f32
    linalg.yield %0 : f32
  } -> tensor<1x4x3x3xf32>
  return %q : tensor<1x4x3x3xf32>
}
