// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-tile-accumulators{tile=32}))" \
// RUN:   | FileCheck %s
// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-tile-accumulators))" \
// RUN:   | FileCheck %s --check-prefix=DEFAULT
// RUN: quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-tile-accumulators{tile=16}))" \
// RUN:   | FileCheck %s --check-prefix=TILE16
// RUN: not quant-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(quantopt-tile-accumulators{tile=1}))" \
// RUN:   2>&1 | FileCheck %s --check-prefix=BADTILE

// BADTILE: tile must be at least 2, got 1

memref.global "private" constant @weights : memref<4x3xi8> = dense<1>

/// A wide-row convolution as the object backend sees it: reductions (c,
/// k) outside the row of 90 positions. Two 32-lane tiles in a loop, one
/// 16-lane and one 8-lane tile, then the last 2 positions in the original
/// nest; each tile's accumulator is a vector carried through both reduction
/// loops, the input a contiguous vector load, the weight a broadcast.
// CHECK-LABEL: func.func @wide_row
//       CHECK:   scf.for %[[F:.*]] = %{{.*}} to %{{.*}} step
//       CHECK:     %[[C0:.*]] = arith.constant 0 : index
//       CHECK:     %[[C64:.*]] = arith.constant 64 : index
//       CHECK:     %[[C32:.*]] = arith.constant 32 : index
//       CHECK:     scf.for %[[PT:.*]] = %[[C0]] to %[[C64]] step %[[C32]] {
//       CHECK:       %[[INIT:.*]] = vector.load %[[ACC:.*]][%[[F]], %[[PT]]] : memref<4x90xi32>, vector<32xi32>
//       CHECK:       %[[R:.*]] = scf.for %[[C:.*]] = {{.*}} iter_args(%[[A1:.*]] = %[[INIT]]) -> (vector<32xi32>) {
//       CHECK:         %[[R2:.*]] = scf.for %[[K:.*]] = {{.*}} iter_args(%[[A2:.*]] = %[[A1]]) -> (vector<32xi32>) {
//       CHECK:           %[[I:.*]] = arith.addi %[[K]], %[[PT]] : index
//       CHECK:           %[[X:.*]] = vector.load %{{.*}}[%[[C]], %[[I]]] : memref<2x100xi8>, vector<32xi8>
//       CHECK:           %[[W:.*]] = memref.load %{{.*}}[%[[F]], %[[K]]] : memref<4x3xi8>
//       CHECK:           %[[XW:.*]] = arith.extsi %[[X]] : vector<32xi8> to vector<32xi32>
//       CHECK:           %[[WW:.*]] = arith.extsi %[[W]] : i8 to i32
//       CHECK:           %[[WB:.*]] = vector.broadcast %[[WW]] : i32 to vector<32xi32>
//       CHECK:           %[[P:.*]] = arith.muli %[[XW]], %[[WB]] : vector<32xi32>
//       CHECK:           %[[S:.*]] = arith.addi %[[A2]], %[[P]] : vector<32xi32>
//       CHECK:           scf.yield %[[S]] : vector<32xi32>
//       CHECK:         scf.yield %[[R2]] : vector<32xi32>
//       CHECK:       vector.store %[[R]], %[[ACC]][%[[F]], %[[PT]]] : memref<4x90xi32>, vector<32xi32>
//       CHECK:     %[[C64B:.*]] = arith.constant 64 : index
//       CHECK:     vector.load %[[ACC]][%[[F]], %[[C64B]]] : memref<4x90xi32>, vector<16xi32>
//       CHECK:     vector.load {{.*}} : memref<2x100xi8>, vector<16xi8>
//       CHECK:     vector.store {{.*}} : memref<4x90xi32>, vector<16xi32>
//       CHECK:     %[[C80:.*]] = arith.constant 80 : index
//       CHECK:     vector.load %[[ACC]][%[[F]], %[[C80]]] : memref<4x90xi32>, vector<8xi32>
//       CHECK:     vector.store {{.*}} : memref<4x90xi32>, vector<8xi32>
//       CHECK:     scf.for %{{.*}} = {{.*}} {
//       CHECK:       scf.for %{{.*}} = {{.*}} {
//       CHECK:         %[[C88:.*]] = arith.constant 88 : index
//       CHECK:         scf.for %{{.*}} = %[[C88]] to %{{.*}} step
//       CHECK:           memref.load %[[ACC]]
//       CHECK:           memref.store {{.*}}, %[[ACC]]

/// The default, 64 lanes: one 64-lane tile (no loop), then 16 and 8.
// DEFAULT-LABEL: func.func @wide_row
//       DEFAULT:   vector.load {{.*}} : memref<4x90xi32>, vector<64xi32>
//       DEFAULT:   vector.load {{.*}} : memref<4x90xi32>, vector<16xi32>
//       DEFAULT:   vector.load {{.*}} : memref<4x90xi32>, vector<8xi32>

/// With tile=16: five 16-lane tiles in a loop and one 8-lane tile.
// TILE16-LABEL: func.func @wide_row
//       TILE16:   %[[C80:.*]] = arith.constant 80 : index
//       TILE16:   %[[C16:.*]] = arith.constant 16 : index
//       TILE16:   scf.for %{{.*}} = %{{.*}} to %[[C80]] step %[[C16]] {
//       TILE16:     vector.load {{.*}} vector<16xi32>
//       TILE16:   vector.load {{.*}} vector<8xi32>
//   TILE16-NOT:   vector<32xi32>
func.func @wide_row(%x: memref<2x100xi8> {quantopt.arena_offset = 0 : i64},
                    %acc: memref<4x90xi32> {quantopt.arena_offset = 208 : i64}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c90 = arith.constant 90 : index
  %w = memref.get_global @weights : memref<4x3xi8>
  scf.for %f = %c0 to %c4 step %c1 {
    scf.for %c = %c0 to %c2 step %c1 {
      scf.for %k = %c0 to %c3 step %c1 {
        scf.for %p = %c0 to %c90 step %c1 {
          %i = arith.addi %k, %p : index
          %xv = memref.load %x[%c, %i] : memref<2x100xi8>
          %wv = memref.load %w[%f, %k] : memref<4x3xi8>
          %a = memref.load %acc[%f, %p] : memref<4x90xi32>
          %x32 = arith.extsi %xv : i8 to i32
          %w32 = arith.extsi %wv : i8 to i32
          %prod = arith.muli %x32, %w32 : i32
          %s = arith.addi %a, %prod : i32
          memref.store %s, %acc[%f, %p] : memref<4x90xi32>
        }
      }
    }
  }
  return
}

// -----

/// A row of 24 (a small feature map): one 16-lane and one 8-lane tile.
// CHECK-LABEL: func.func @short_row
//       CHECK:   vector.load {{.*}} : memref<24xi32>, vector<16xi32>
//       CHECK:   vector.load {{.*}} : memref<24xi32>, vector<8xi32>
//       CHECK:   return
func.func @short_row(%x: memref<3x24xi32>, %acc: memref<24xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c24 = arith.constant 24 : index
  scf.for %c = %c0 to %c3 step %c1 {
    scf.for %p = %c0 to %c24 step %c1 {
      %xv = memref.load %x[%c, %p] : memref<3x24xi32>
      %a = memref.load %acc[%p] : memref<24xi32>
      %s = arith.addi %a, %xv : i32
      memref.store %s, %acc[%p] : memref<24xi32>
    }
  }
  return
}

// -----

/// negative_no_reduction_loop: the loop around the row indexes the
/// accumulator, so there is nothing to keep in registers.
// CHECK-LABEL: func.func @negative_no_reduction_loop
//   CHECK-NOT:   vector.
func.func @negative_no_reduction_loop(%x: memref<4x64xi32>, %acc: memref<4x64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.for %f = %c0 to %c4 step %c1 {
    scf.for %p = %c0 to %c64 step %c1 {
      %xv = memref.load %x[%f, %p] : memref<4x64xi32>
      %a = memref.load %acc[%f, %p] : memref<4x64xi32>
      %s = arith.addi %a, %xv : i32
      memref.store %s, %acc[%f, %p] : memref<4x64xi32>
    }
  }
  return
}

// -----

/// negative_strided_input: the input index is 2 * p (a strided conv's
/// row), not p + c: no contiguous vector load.
// CHECK-LABEL: func.func @negative_strided_input
//   CHECK-NOT:   vector.
func.func @negative_strided_input(%x: memref<3x200xi8>, %acc: memref<64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  scf.for %c = %c0 to %c3 step %c1 {
    scf.for %p = %c0 to %c64 step %c1 {
      %i = arith.muli %p, %c2 : index
      %xv = memref.load %x[%c, %i] : memref<3x200xi8>
      %a = memref.load %acc[%p] : memref<64xi32>
      %x32 = arith.extsi %xv : i8 to i32
      %s = arith.addi %a, %x32 : i32
      memref.store %s, %acc[%p] : memref<64xi32>
    }
  }
  return
}

// -----

/// negative_aliasing_input: input and accumulator share arena bytes.
// CHECK-LABEL: func.func @negative_aliasing_input
//   CHECK-NOT:   vector.
func.func @negative_aliasing_input(
    %x: memref<3x64xi32> {quantopt.arena_offset = 0 : i64},
    %acc: memref<64xi32> {quantopt.arena_offset = 128 : i64}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  scf.for %c = %c0 to %c3 step %c1 {
    scf.for %p = %c0 to %c64 step %c1 {
      %xv = memref.load %x[%c, %p] : memref<3x64xi32>
      %a = memref.load %acc[%p] : memref<64xi32>
      %s = arith.addi %a, %xv : i32
      memref.store %s, %acc[%p] : memref<64xi32>
    }
  }
  return
}

// -----

/// negative_position_as_data: the row uses its position as a value, which
/// would need a different value per lane.
// CHECK-LABEL: func.func @negative_position_as_data
//   CHECK-NOT:   vector.
func.func @negative_position_as_data(%acc: memref<64xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  scf.for %c = %c0 to %c3 step %c1 {
    scf.for %p = %c0 to %c64 step %c1 {
      %v = arith.index_cast %p : index to i32
      %a = memref.load %acc[%p] : memref<64xi32>
      %s = arith.addi %a, %v : i32
      memref.store %s, %acc[%p] : memref<64xi32>
    }
  }
  return
}

// -----

/// negative_short_row: fewer positions than the smallest tile (8).
// CHECK-LABEL: func.func @negative_short_row
//   CHECK-NOT:   vector.
func.func @negative_short_row(%x: memref<3x7xi32>, %acc: memref<7xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c7 = arith.constant 7 : index
  scf.for %c = %c0 to %c3 step %c1 {
    scf.for %p = %c0 to %c7 step %c1 {
      %xv = memref.load %x[%c, %p] : memref<3x7xi32>
      %a = memref.load %acc[%p] : memref<7xi32>
      %s = arith.addi %a, %xv : i32
      memref.store %s, %acc[%p] : memref<7xi32>
    }
  }
  return
}
