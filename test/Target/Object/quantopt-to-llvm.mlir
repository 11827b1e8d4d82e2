// RUN: quant-opt %S/../C/Inputs/tiny_cnn.mlir --quantopt-lower-to-buffers \
// RUN:   --quantopt-to-llvm | FileCheck %s

/// Smoke test of the quantopt-to-llvm pipeline the object backend runs: the
/// kernel on memrefs becomes one llvm.func taking bare pointers (inputs,
/// outputs, arena buffers), the weights LLVM globals, and nothing else is
/// left.
// CHECK-DAG:  llvm.mlir.global private constant @__constant_4x1x3x3xi8
// CHECK-LABEL: llvm.func @main
//  CHECK-SAME:   %{{.+}}: !llvm.ptr
//  CHECK-SAME:   quantopt.arena_offset
//   CHECK-NOT:   memref.
//   CHECK-NOT:   scf.
//   CHECK-NOT:   arith.
//   CHECK-NOT:   builtin.unrealized_conversion_cast
//       CHECK:   llvm.return
