// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-promote-accumulators))" \
// RUN:   | FileCheck %s

memref.global "private" constant @weights : memref<10x64xi8> = dense<1>

/// A matrix-vector product as convert-linalg-to-loops leaves it: the output
/// element moves into iter_args (one load before the k loop, one store
/// after); the input is a planned buffer whose bytes [0, 64) do not meet
/// the output's [64, 104), the weights a constant global.
// CHECK-LABEL: func.func @product
//       CHECK:   scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step
//       CHECK:     %[[INIT:.*]] = memref.load %[[OUT:.*]][%[[N]]] : memref<10xi32>
//       CHECK:     %[[SUM:.*]] = scf.for %{{.*}} = {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (i32) {
//   CHECK-NOT:       memref.store
//       CHECK:       %[[NEXT:.*]] = arith.addi %[[ACC]], %{{.*}} : i32
//       CHECK:       scf.yield %[[NEXT]] : i32
//       CHECK:     }
//       CHECK:     memref.store %[[SUM]], %[[OUT]][%[[N]]] : memref<10xi32>
func.func @product(%x: memref<64xi8> {quantopt.arena_offset = 0 : i64},
                   %out: memref<10xi32> {quantopt.arena_offset = 64 : i64}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c64 = arith.constant 64 : index
  %w = memref.get_global @weights : memref<10x64xi8>
  scf.for %n = %c0 to %c10 step %c1 {
    scf.for %k = %c0 to %c64 step %c1 {
      %a = memref.load %x[%k] : memref<64xi8>
      %b = memref.load %w[%n, %k] : memref<10x64xi8>
      %acc = memref.load %out[%n] : memref<10xi32>
      %a32 = arith.extsi %a : i8 to i32
      %b32 = arith.extsi %b : i8 to i32
      %p = arith.muli %a32, %b32 : i32
      %s = arith.addi %acc, %p : i32
      memref.store %s, %out[%n] : memref<10xi32>
    }
  }
  return
}

// -----

/// A pooling window: the element leaves both window loops (kw, then kh),
/// and stops at the loop whose induction variable indexes it. Model input
/// and output (no arena offset) never overlap each other.
// CHECK-LABEL: func.func @window
//       CHECK:   scf.for %[[O:.*]] = %{{.*}} to %{{.*}} step
//       CHECK:     %[[INIT:.*]] = memref.load %{{.*}}[%[[O]]] : memref<4xi8>
//       CHECK:     %[[R:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[INIT]]) -> (i8) {
//       CHECK:       %[[IN:.*]] = scf.for {{.*}} iter_args(%[[B:.*]] = %[[A]]) -> (i8) {
//       CHECK:         arith.maxsi %{{.*}}, %[[B]]
//       CHECK:       scf.yield %[[IN]] : i8
//       CHECK:     memref.store %[[R]], %{{.*}}[%[[O]]] : memref<4xi8>
func.func @window(%in: memref<16xi8>, %out: memref<4xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  scf.for %o = %c0 to %c4 step %c1 {
    scf.for %kh = %c0 to %c2 step %c1 {
      scf.for %kw = %c0 to %c2 step %c1 {
        %r = arith.muli %o, %c4 : index
        %r1 = arith.addi %r, %kh : index
        %i = arith.addi %r1, %kw : index
        %x = memref.load %in[%i] : memref<16xi8>
        %m = memref.load %out[%o] : memref<4xi8>
        %y = arith.maxsi %x, %m : i8
        memref.store %y, %out[%o] : memref<4xi8>
      }
    }
  }
  return
}

// -----

/// negative_overlapping_buffers: the planned input [0, 64) and output
/// [32, 72) share bytes, so the accumulator may be read through %x: the
/// loop keeps its load and store.
// CHECK-LABEL: func.func @negative_overlapping_buffers
//   CHECK-NOT:   iter_args
//       CHECK:   memref.store
//   CHECK-NOT:   iter_args
func.func @negative_overlapping_buffers(
    %x: memref<64xi8> {quantopt.arena_offset = 0 : i64},
    %out: memref<10xi32> {quantopt.arena_offset = 32 : i64}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c64 = arith.constant 64 : index
  scf.for %n = %c0 to %c10 step %c1 {
    scf.for %k = %c0 to %c64 step %c1 {
      %a = memref.load %x[%k] : memref<64xi8>
      %acc = memref.load %out[%n] : memref<10xi32>
      %a32 = arith.extsi %a : i8 to i32
      %s = arith.addi %acc, %a32 : i32
      memref.store %s, %out[%n] : memref<10xi32>
    }
  }
  return
}

// -----

/// negative_same_buffer_read: the loop also reads another element of the
/// buffer it accumulates into, which may be the accumulator.
// CHECK-LABEL: func.func @negative_same_buffer_read
//   CHECK-NOT:   iter_args
func.func @negative_same_buffer_read(%out: memref<10xi32>, %j: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %k = %c0 to %c10 step %c1 {
    %other = memref.load %out[%k] : memref<10xi32>
    %acc = memref.load %out[%j] : memref<10xi32>
    %s = arith.addi %acc, %other : i32
    memref.store %s, %out[%j] : memref<10xi32>
  }
  return
}

// -----

/// negative_index_varies: the stored element moves with the loop.
// CHECK-LABEL: func.func @negative_index_varies
//   CHECK-NOT:   iter_args
func.func @negative_index_varies(%in: memref<10xi32>, %out: memref<10xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %k = %c0 to %c10 step %c1 {
    %a = memref.load %in[%k] : memref<10xi32>
    %acc = memref.load %out[%k] : memref<10xi32>
    %s = arith.addi %acc, %a : i32
    memref.store %s, %out[%k] : memref<10xi32>
  }
  return
}

// -----

/// negative_unknown_effect: a copy may write the accumulator's bytes; the
/// pass does not model it and leaves the loop alone.
// CHECK-LABEL: func.func @negative_unknown_effect
//   CHECK-NOT:   iter_args
func.func @negative_unknown_effect(%in: memref<10xi32>, %out: memref<10xi32>,
                                   %j: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  scf.for %k = %c0 to %c10 step %c1 {
    memref.copy %in, %out : memref<10xi32> to memref<10xi32>
    %acc = memref.load %out[%j] : memref<10xi32>
    %s = arith.addi %acc, %acc : i32
    memref.store %s, %out[%j] : memref<10xi32>
  }
  return
}

// -----

/// negative_load_after_store: the element is read again after the store in
/// the same iteration; the loop is left as it is.
// CHECK-LABEL: func.func @negative_load_after_store
//   CHECK-NOT:   iter_args
func.func @negative_load_after_store(%out: memref<10xi32>, %j: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c10 = arith.constant 10 : index
  %c5 = arith.constant 5 : i32
  scf.for %k = %c0 to %c10 step %c1 {
    %acc = memref.load %out[%j] : memref<10xi32>
    %s = arith.addi %acc, %c5 : i32
    memref.store %s, %out[%j] : memref<10xi32>
    %again = memref.load %out[%j] : memref<10xi32>
    %t = arith.addi %again, %c5 : i32
    memref.store %t, %out[%j] : memref<10xi32>
  }
  return
}
