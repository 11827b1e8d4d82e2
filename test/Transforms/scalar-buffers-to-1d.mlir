// RUN: quant-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(quantopt-scalar-buffers-to-1d))" | FileCheck %s

/// Rank-0 buffer arguments (a scalar output, an arena view of one) become
/// memref<1xT>, accessed at element 0.
// CHECK-LABEL: func.func @scalars
//  CHECK-SAME:   (%[[OUT:.+]]: memref<1xf32>, %[[TMP:.+]]: memref<1xf32>, %[[V:.+]]: memref<4xi8>)
//       CHECK:   %[[C0:.+]] = arith.constant 0 : index
//       CHECK:   %[[X:.+]] = memref.load %[[TMP]][%[[C0]]] : memref<1xf32>
//       CHECK:   memref.store %[[X]], %[[OUT]][%{{.+}}] : memref<1xf32>
//       CHECK:   memref.load %[[V]]
func.func @scalars(%out: memref<f32>, %tmp: memref<f32>, %v: memref<4xi8>) -> i8 {
  %x = memref.load %tmp[] : memref<f32>
  memref.store %x, %out[] : memref<f32>
  %c1 = arith.constant 1 : index
  %e = memref.load %v[%c1] : memref<4xi8>
  return %e : i8
}

// -----

/// Any other use of a rank-0 argument is an error.
func.func @negative_copy(%out: memref<f32>, %in: memref<f32>) {
  // expected-error@+1 {{rank-0 buffer argument #0 is used by an op other than memref.load / memref.store}}
  memref.copy %in, %out : memref<f32> to memref<f32>
  return
}
