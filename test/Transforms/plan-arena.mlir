// RUN: quant-opt %s --split-input-file --verify-diagnostics \
// RUN:   --allow-unregistered-dialect \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-plan-arena))" \
// RUN:   | FileCheck %s
// RUN: quant-opt %s --split-input-file --verify-diagnostics \
// RUN:   --allow-unregistered-dialect \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-plan-arena{alignment=64}))" \
// RUN:   | FileCheck %s --check-prefix=ALIGN64
// RUN: quant-opt %s --split-input-file --verify-diagnostics \
// RUN:   --allow-unregistered-dialect \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-plan-arena{alignment=1}))" \
// RUN:   | FileCheck %s --check-prefix=ALIGN1
// RUN: not quant-opt %s --split-input-file --allow-unregistered-dialect \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-plan-arena{alignment=3}))" \
// RUN:   2>&1 | FileCheck %s --check-prefix=BADALIGN

// BADALIGN: alignment must be a power of two, got 3

/// %a (64 B) dies (last use through a subview) before %c (64 B) is
/// allocated, so %c takes %a's bytes; %b (32 B) is live with both and goes
/// above them. Arguments follow the allocation order; the arena size is
/// rounded up to the alignment. The report attributes: at most 96 bytes
/// (%a + %b, then %b + %c) are live at once, 160 bytes without reuse.
// CHECK-LABEL: func.func @reuse_dead_buffer
//  CHECK-SAME:     %[[IN:[^:]+]]: memref<16xi32>, %[[OUT:[^:]+]]: memref<16xi32>,
//  CHECK-SAME:     %[[A:[^:]+]]: memref<16xi32> {quantopt.arena_offset = 0 : i64},
//  CHECK-SAME:     %[[B:[^:]+]]: memref<8xi32> {quantopt.arena_offset = 64 : i64},
//  CHECK-SAME:     %[[C:[^:]+]]: memref<16xi32> {quantopt.arena_offset = 0 : i64})
//  CHECK-SAME:     quantopt.arena_live_bound = 96 : i64, quantopt.arena_size = 96 : i64, quantopt.buffer_bytes = 160 : i64
//   CHECK-NOT:   memref.alloc
//       CHECK:   linalg.copy ins(%[[IN]] : memref<16xi32>) outs(%[[A]] : memref<16xi32>)
//   CHECK-NOT:   memref.dealloc
//       CHECK:   linalg.copy ins(%[[C]] : memref<16xi32>) outs(%[[OUT]] : memref<16xi32>)

// ALIGN64-LABEL: func.func @reuse_dead_buffer
//  ALIGN64-SAME:     {quantopt.arena_offset = 0 : i64}
//  ALIGN64-SAME:     {quantopt.arena_offset = 64 : i64}
//  ALIGN64-SAME:     {quantopt.arena_offset = 0 : i64}
//  ALIGN64-SAME:     quantopt.arena_size = 128 : i64
func.func @reuse_dead_buffer(%in: memref<16xi32>, %out: memref<16xi32>) {
  %a = memref.alloc() : memref<16xi32>
  linalg.copy ins(%in : memref<16xi32>) outs(%a : memref<16xi32>)
  %b = memref.alloc() : memref<8xi32>
  %sa = memref.subview %a[0] [8] [1] : memref<16xi32> to memref<8xi32, strided<[1]>>
  linalg.copy ins(%sa : memref<8xi32, strided<[1]>>) outs(%b : memref<8xi32>)
  memref.dealloc %a : memref<16xi32>
  %c = memref.alloc() : memref<16xi32>
  %sc = memref.subview %c[8] [8] [1] : memref<16xi32> to memref<8xi32, strided<[1], offset: 8>>
  linalg.copy ins(%b : memref<8xi32>) outs(%sc : memref<8xi32, strided<[1], offset: 8>>)
  linalg.copy ins(%c : memref<16xi32>) outs(%out : memref<16xi32>)
  return
}

// -----

/// A reshape of %a is read after %b is allocated: the view keeps %a live,
/// so %b cannot reuse its bytes.
// CHECK-LABEL: func.func @view_extends_live_range
//  CHECK-SAME:     memref<2x8xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     memref<16xi8> {quantopt.arena_offset = 16 : i64}
//  CHECK-SAME:     quantopt.arena_size = 32 : i64
func.func @view_extends_live_range(%in: memref<2x8xi8>, %out: memref<16xi8>) {
  %a = memref.alloc() : memref<2x8xi8>
  linalg.copy ins(%in : memref<2x8xi8>) outs(%a : memref<2x8xi8>)
  %flat = memref.collapse_shape %a [[0, 1]] : memref<2x8xi8> into memref<16xi8>
  %b = memref.alloc() : memref<16xi8>
  linalg.copy ins(%flat : memref<16xi8>) outs(%b : memref<16xi8>)
  linalg.copy ins(%b : memref<16xi8>) outs(%out : memref<16xi8>)
  return
}

// -----

/// A reshape of a planned buffer becomes one more argument at the buffer's
/// offset (the same bytes with another shape), so no index arithmetic of
/// the reshape is left for the generated loops.
// CHECK-LABEL: func.func @reshape_of_buffer_aliases_its_offset
//  CHECK-SAME:     memref<1x2x4xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     %[[FLAT:[^:]+]]: memref<1x8xi8> {quantopt.arena_offset = 0 : i64}
//   CHECK-NOT:   memref.collapse_shape
//       CHECK:   linalg.copy ins(%[[FLAT]] : memref<1x8xi8>)
func.func @reshape_of_buffer_aliases_its_offset(%in: memref<1x2x4xi8>, %out: memref<1x8xi8>) {
  %a = memref.alloc() : memref<1x2x4xi8>
  linalg.copy ins(%in : memref<1x2x4xi8>) outs(%a : memref<1x2x4xi8>)
  %flat = memref.collapse_shape %a [[0], [1, 2]] : memref<1x2x4xi8> into memref<1x8xi8>
  linalg.copy ins(%flat : memref<1x8xi8>) outs(%out : memref<1x8xi8>)
  return
}

// -----

/// Best fit: when %x (16 B) is placed, the buffers live with it leave two
/// gaps, [128, 224) where the dead %t1 was and [288, 320) where the dead %t2
/// was; %x takes the smaller one (first fit would take 128). Placement order
/// is by size: %l1, %t1, %l2, then %t2 before %l3 (same size, earlier).
// CHECK-LABEL: func.func @best_fit_smallest_gap
//  CHECK-SAME:     memref<128xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     memref<96xi8> {quantopt.arena_offset = 128 : i64}
//  CHECK-SAME:     memref<64xi8> {quantopt.arena_offset = 224 : i64}
//  CHECK-SAME:     memref<32xi8> {quantopt.arena_offset = 288 : i64}
//  CHECK-SAME:     memref<32xi8> {quantopt.arena_offset = 320 : i64}
//  CHECK-SAME:     memref<16xi8> {quantopt.arena_offset = 288 : i64}
//  CHECK-SAME:     quantopt.arena_size = 352 : i64
func.func @best_fit_smallest_gap() {
  %l1 = memref.alloc() : memref<128xi8>
  %t1 = memref.alloc() : memref<96xi8>
  %l2 = memref.alloc() : memref<64xi8>
  %t2 = memref.alloc() : memref<32xi8>
  %l3 = memref.alloc() : memref<32xi8>
  "test.use"(%l1, %t1, %l2, %t2, %l3) : (memref<128xi8>, memref<96xi8>, memref<64xi8>, memref<32xi8>, memref<32xi8>) -> ()
  %x = memref.alloc() : memref<16xi8>
  "test.use"(%l1, %l2, %l3, %x) : (memref<128xi8>, memref<64xi8>, memref<32xi8>, memref<16xi8>) -> ()
  return
}

// -----

/// memref.alloca at the top level is planned like memref.alloc; inside a
/// loop it is per-iteration scratch and stays. With alignment 1, the i32
/// buffer placed after 9 bytes still starts on a 4-byte boundary.
// CHECK-LABEL: func.func @alloca_top_level_planned
//  CHECK-SAME:     %{{.+}}: memref<9xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     %{{.+}}: memref<2xi32> {quantopt.arena_offset = 16 : i64}
//  CHECK-SAME:     quantopt.arena_size = 32 : i64
//       CHECK:   scf.for
//       CHECK:     memref.alloca() : memref<4xi8>

// ALIGN1-LABEL: func.func @alloca_top_level_planned
//  ALIGN1-SAME:     %{{.+}}: memref<9xi8> {quantopt.arena_offset = 0 : i64}
//  ALIGN1-SAME:     %{{.+}}: memref<2xi32> {quantopt.arena_offset = 12 : i64}
//  ALIGN1-SAME:     quantopt.arena_size = 20 : i64
func.func @alloca_top_level_planned(%n: index) {
  %a = memref.alloca() : memref<9xi8>
  %b = memref.alloca() : memref<2xi32>
  "test.use"(%a, %b) : (memref<9xi8>, memref<2xi32>) -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %s = memref.alloca() : memref<4xi8>
    "test.use"(%s) : (memref<4xi8>) -> ()
  }
  return
}

// -----

/// The window operand of a pooling op only provides a shape: its buffer
/// takes no arena bytes (offset 0, size 0) while the pooled output does.
// CHECK-LABEL: func.func @shape_only_buffer_takes_no_space
//  CHECK-SAME:     %{{.+}}: memref<2x2xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     %{{.+}}: memref<1x1x2x2xi8> {quantopt.arena_offset = 0 : i64}
//  CHECK-SAME:     quantopt.arena_size = 16 : i64
func.func @shape_only_buffer_takes_no_space(%in: memref<1x1x4x4xi8>, %out: memref<1x1x2x2xi8>) {
  %window = memref.alloc() : memref<2x2xi8>
  %pooled = memref.alloc() : memref<1x1x2x2xi8>
  linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
      ins(%in, %window : memref<1x1x4x4xi8>, memref<2x2xi8>) outs(%pooled : memref<1x1x2x2xi8>)
  linalg.copy ins(%pooled : memref<1x1x2x2xi8>) outs(%out : memref<1x1x2x2xi8>)
  return
}

// -----

/// The result is a reshape of an alloc copied into the out-param (what
/// buffer-results-to-out-params leaves when the returned value is a view):
/// the alloc becomes a view of the out-param and the copy disappears.
// CHECK-LABEL: func.func @forward_output_through_reshape
//  CHECK-SAME:     %[[IN:[^:]+]]: memref<4xi8>, %[[OUT:[^:]+]]: memref<1x4xi8>)
//  CHECK-SAME:     quantopt.arena_size = 0 : i64
//   CHECK-NOT:   memref.alloc
//       CHECK:   %[[V:.+]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1]] : memref<1x4xi8> into memref<4xi8>
//       CHECK:   linalg.copy ins(%[[IN]] : memref<4xi8>) outs(%[[V]] : memref<4xi8>)
//   CHECK-NOT:   memref.copy
//   CHECK-NOT:   memref.expand_shape
//       CHECK:   return
func.func @forward_output_through_reshape(%in: memref<4xi8>, %out: memref<1x4xi8>) {
  %a = memref.alloc() : memref<4xi8>
  linalg.copy ins(%in : memref<4xi8>) outs(%a : memref<4xi8>)
  %e = memref.expand_shape %a [[0, 1]] output_shape [1, 4] : memref<4xi8> into memref<1x4xi8>
  memref.copy %e, %out : memref<1x4xi8> to memref<1x4xi8>
  return
}

// -----

/// Same shapes as the out-param: the alloc is replaced by it directly.
// CHECK-LABEL: func.func @forward_output_same_type
//  CHECK-SAME:     %[[IN:[^:]+]]: memref<2x3xi8>, %[[OUT:[^:]+]]: memref<2x3xi8>)
//  CHECK-SAME:     quantopt.arena_size = 0 : i64
//       CHECK:   linalg.copy ins(%[[IN]] : memref<2x3xi8>) outs(%[[OUT]] : memref<2x3xi8>)
//  CHECK-NEXT:   return
func.func @forward_output_same_type(%in: memref<2x3xi8>, %out: memref<2x3xi8>) {
  %a = memref.alloc() : memref<2x3xi8>
  linalg.copy ins(%in : memref<2x3xi8>) outs(%a : memref<2x3xi8>)
  memref.copy %a, %out : memref<2x3xi8> to memref<2x3xi8>
  return
}

// -----

/// The alloc is written after the copy, so writing the out-param early
/// would change the result: the copy stays and the alloc is planned.
// CHECK-LABEL: func.func @negative_forward_output_used_after_copy
//  CHECK-SAME:     memref<4xi8> {quantopt.arena_offset = 0 : i64}
//       CHECK:   memref.copy
func.func @negative_forward_output_used_after_copy(%in: memref<4xi8>, %out: memref<4xi8>) {
  %a = memref.alloc() : memref<4xi8>
  linalg.copy ins(%in : memref<4xi8>) outs(%a : memref<4xi8>)
  memref.copy %a, %out : memref<4xi8> to memref<4xi8>
  linalg.copy ins(%in : memref<4xi8>) outs(%a : memref<4xi8>)
  return
}

// -----

/// The out-param is also read by another op: not forwarded.
// CHECK-LABEL: func.func @negative_forward_output_param_used_twice
//       CHECK:   memref.copy
func.func @negative_forward_output_param_used_twice(%in: memref<4xi8>, %out: memref<4xi8>) {
  %a = memref.alloc() : memref<4xi8>
  linalg.copy ins(%out : memref<4xi8>) outs(%a : memref<4xi8>)
  memref.copy %a, %out : memref<4xi8> to memref<4xi8>
  return
}

// -----

/// A copy into a subview (tensor.pad after bufferization) becomes
/// linalg.copy, which convert-linalg-to-loops lowers; EmitC would turn
/// memref.copy into a memcpy of the wrong bytes.
// CHECK-LABEL: func.func @strided_copy_to_linalg
//       CHECK:   %[[SV:.+]] = memref.subview
//       CHECK:   linalg.copy ins(%{{.+}} : memref<2x2xi32>) outs(%[[SV]] : memref<2x2xi32, strided<[4, 1], offset: 5>>)
//   CHECK-NOT:   memref.copy
func.func @strided_copy_to_linalg(%in: memref<2x2xi32>, %out: memref<4x4xi32>) {
  %sv = memref.subview %out[1, 1] [2, 2] [1, 1] : memref<4x4xi32> to memref<2x2xi32, strided<[4, 1], offset: 5>>
  memref.copy %in, %sv : memref<2x2xi32> to memref<2x2xi32, strided<[4, 1], offset: 5>>
  return
}

// -----

/// A copy from a reshape of an argument (a model that only flattens) also
/// becomes linalg.copy: the reshape would otherwise survive to EmitC.
// CHECK-LABEL: func.func @reshape_copy_to_linalg
//       CHECK:   %[[V:.+]] = memref.collapse_shape
//       CHECK:   linalg.copy ins(%[[V]] : memref<8xi8>) outs(%{{.+}} : memref<8xi8>)
//   CHECK-NOT:   memref.copy
func.func @reshape_copy_to_linalg(%in: memref<2x4xi8>, %out: memref<8xi8>) {
  %v = memref.collapse_shape %in [[0, 1]] : memref<2x4xi8> into memref<8xi8>
  memref.copy %v, %out : memref<8xi8> to memref<8xi8>
  return
}

// -----

/// A contiguous copy between arguments is a plain memcpy in C: kept.
// CHECK-LABEL: func.func @negative_contiguous_copy_kept
//  CHECK-SAME:     quantopt.arena_size = 0 : i64
//       CHECK:   memref.copy
func.func @negative_contiguous_copy_kept(%in: memref<8xi8>, %out: memref<8xi8>) {
  memref.copy %in, %out : memref<8xi8> to memref<8xi8>
  return
}

// -----

/// Declarations have nothing to plan.
// CHECK-LABEL: func.func private @negative_declaration(memref<4xi8>)
//   CHECK-NOT:   quantopt.arena_size
func.func private @negative_declaration(memref<4xi8>)

// -----

func.func @dynamic_alloc(%n: index) {
  // expected-error @below {{has a dynamic shape 'memref<?xi8>'; the arena planner needs static sizes}}
  %a = memref.alloc(%n) : memref<?xi8>
  "test.use"(%a) : (memref<?xi8>) -> ()
  return
}

// -----

func.func @alloc_in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @below {{is not at the top level of the function body}}
    %a = memref.alloc() : memref<4xi8>
    "test.use"(%a) : (memref<4xi8>) -> ()
  }
  return
}

// -----

func.func @returned_alloc() -> memref<4xi8> {
  // expected-error @below {{is returned by the function; run buffer-results-to-out-params{modify-public-functions=1}}}
  %a = memref.alloc() : memref<4xi8>
  %v = memref.cast %a : memref<4xi8> to memref<4xi8>
  return %v : memref<4xi8>
}

// -----

func.func @strided_alloc() {
  // expected-error @below {{has a non-identity layout}}
  %a = memref.alloc() : memref<4xi8, strided<[2]>>
  "test.use"(%a) : (memref<4xi8, strided<[2]>>) -> ()
  return
}

// -----

func.func @multi_block(%c: i1) {
  // expected-error @below {{is in a function with several blocks}}
  %a = memref.alloc() : memref<4xi8>
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  "test.use"(%a) : (memref<4xi8>) -> ()
  return
^bb2:
  return
}
