//===- Passes.td - QuantOpt backend passes -----------------*- tablegen -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_TRANSFORMS_PASSES_TD
#define QUANTOPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FuseRequantizePass : Pass<"quantopt-fuse-requantize", "func::FuncOp"> {
  let summary = "Compute int32 accumulators one output plane at a time, "
                "fused with their requantize";
  let description = [{
    `lower-to-linalg-int8` lowers every int8 Conv, Gemm, MatMul and
    AveragePool to a reduction `linalg.generic` that computes the whole
    int32 accumulator tensor (its init a `linalg.fill` or a broadcast of the
    bias), then an elementwise `linalg.generic` that requantizes it to i8.
    After bufferization the accumulator is a buffer four times the size of
    the int8 result and dominates the arena.

    This pass (on tensors, before bufferization) tiles each such requantize
    with size 1 over its first `leading-dims` loops (at most rank - 1: batch
    and output channel of an NCHW result, the rows of a Gemm) with
    `scf.for`, and fuses into the loop, with
    `scf::tileConsumerAndFuseProducersUsingSCF`, exactly the reduction that
    produces its input and that reduction's init. The padded input, the
    weights and every other producer stay where they are, computed once.
    The accumulator is then one plane per iteration:

    ```mlir
    %init = linalg.generic ... ins(%bias : tensor<16xi32>)
        outs(%e : tensor<1x16x28x28xi32>)              // bias broadcast
    %acc = linalg.generic {iterator_types = [parallel, parallel, reduction,
        ...]} ins(%padded, %w ...) outs(%init : tensor<1x16x28x28xi32>)
    %q = linalg.generic ... ins(%acc : tensor<1x16x28x28xi32>, ...)
        outs(%o : tensor<1x16x28x28xi8>)                // requantize
    // ->
    %q = scf.for %n = ... iter_args(%a = %o) {
      %r = scf.for %f = %c0 to %c16 step %c1 iter_args(%b = %a) {
        %init_t = linalg.generic ... outs(%e_t : tensor<1x1x28x28xi32>)
        %acc_t = linalg.generic ... outs(%init_t : tensor<1x1x28x28xi32>)
        %q_t = linalg.generic ... ins(%acc_t ...) outs(... tensor<1x1x28x28xi8>)
        %i = tensor.insert_slice %q_t into %b[%n, %f, 0, 0] [1, 1, 28, 28] ...
        scf.yield %i
      }
      scf.yield %r
    }
    ```

    The reshapes and slices the lowering puts between an accumulator and
    its requantize (grouped convolutions, the wide-row convolution's
    strided view that drops W_p - OW columns per row) are moved above the
    accumulator by slice bubbling, so that the producer can be fused.
    After bufferization the tile is one allocation inside the loop, which
    `buffer-loop-hoisting` moves out and `quantopt-plan-arena` places like
    any other buffer: the arena holds one int32 plane per fused layer
    instead of the whole tensor. Each accumulator element still sums the
    same terms in the same order and is requantized by the same
    arithmetic, so the outputs are bit-identical; the loops inside a tile
    keep their order (reductions outside the output row), so
    `quantopt-promote-accumulators` and `quantopt-tile-accumulators` still
    apply.

    A requantize qualifies when it is an all-parallel generic with static
    shapes, one result of an integer type narrower than 32 bits and an i32
    first input read with the identity map, produced (through single-use
    reshapes and slices) by a linalg op with a reduction loop and one i32
    result used only there. A layer whose tiled loops have a single
    iteration (a Gemm with one row) is left alone, as is one whose
    accumulator cannot be fused.
  }];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::tensor::TensorDialect"];
  let options = [
    Option<"leadingDims", "leading-dims", "int64_t", /*default=*/"2",
           "leading parallel loops of the requantize tiled with size 1 (at "
           "most rank - 1); 0 disables the pass">,
  ];
}

def PlanArenaPass : Pass<"quantopt-plan-arena", "func::FuncOp"> {
  let summary = "Place every temporary buffer in one caller-owned arena";
  let description = [{
    Static memory planning after bufferization (and after
    `buffer-results-to-out-params`). Every static, identity-layout
    `memref.alloc` or `memref.alloca` at the top level of the (single-block)
    function body gets a byte offset in one arena and becomes a new trailing
    function argument of the same type, in allocation order, carrying the
    argument attribute `quantopt.arena_offset`; the function gets
    `quantopt.arena_size` (bytes, a multiple of `alignment`), and for the
    memory report `quantopt.arena_live_bound` (the most buffer bytes live at
    one op, which no plan can undercut) and `quantopt.buffer_bytes` (all
    buffers without reuse). The C and object
    backends pass `arena + offset` for each such argument, so generated code
    never allocates. `memref.dealloc` ops are erased.

    Planning: the live range of a buffer is the index of its allocation in
    the top-level op order up to the index of the last top-level op that uses
    it or a view of it (subview, collapse/expand_shape, cast, any
    `ViewLikeOpInterface` op; a use nested in a region counts as a use by its
    top-level ancestor). Buffers are placed largest first, each into the
    smallest free gap (best fit) among the already placed buffers whose live
    ranges overlap its own, otherwise after the highest of them. Offsets are
    multiples of `alignment` and of the element size; an allocation's own
    `alignment` attribute (bufferization's 64) is not honoured beyond the
    option, because the arena base is only guaranteed `alignment`. Ranges
    are inclusive, so an op's inputs and outputs never share bytes. A
    buffer whose bytes are never accessed (only a shape is taken from it, as
    from the window operand of `linalg.pooling_*`) gets size 0 at offset 0.

    Two clean-ups make the result valid input for convert-to-emitc:
    * `memref.copy %v, %out`, where `%v` is an allocation or a reshape/cast
      of one, `%out` is a function argument used only by this copy and the
      copy is the last use of the allocation: the allocation is replaced by a
      reshape of `%out` and the copy disappears, so the model writes its
      output in place (upstream `hoist-static-allocs` only covers an
      allocation returned without a reshape).
    * Any other `memref.copy` that reads or writes a view (a subview from
      `tensor.pad` / `tensor.insert_slice`, a reshape of an argument)
      becomes `linalg.copy`, because EmitC lowers `memref.copy` to a
      `memcpy` of whole, contiguous buffers and cannot convert the view.

    After placement, a `memref.collapse_shape` / `memref.expand_shape` of a
    planned buffer becomes one more argument at the same offset with the
    reshaped type: the same bytes seen with another shape. Generated loops
    then index the reshaped buffer directly; folding the reshape into its
    users instead would put divisions and remainders into the innermost
    loops (measured: half of the seed CNN's instructions).

    Nested `memref.alloca` ops are left alone (they are scoped, per-iteration
    scratch); top-level ones are planned like allocs so that no activation
    lands on a small embedded stack. Errors, naming the op: an allocation
    with a dynamic shape, a non-identity layout or an element type of unknown
    size; a `memref.alloc` inside a region (loop, branch); an allocation in a
    multi-block function; a buffer returned by the function. The function
    must not be called from inside the module (its signature changes).

    ```mlir
    func.func @main(%in: memref<4xi8>, %out: memref<4xi8>) {
      %a = memref.alloc() : memref<4xi32>
      linalg.generic {indexing_maps = [affine_map<(i) -> (i)>,
                                       affine_map<(i) -> (i)>],
                      iterator_types = ["parallel"]}
          ins(%in : memref<4xi8>) outs(%a : memref<4xi32>) {
      ^bb0(%x: i8, %y: i32):
        %e = arith.extsi %x : i8 to i32
        linalg.yield %e : i32
      }
      linalg.generic {indexing_maps = [affine_map<(i) -> (i)>,
                                       affine_map<(i) -> (i)>],
                      iterator_types = ["parallel"]}
          ins(%a : memref<4xi32>) outs(%out : memref<4xi8>) {
      ^bb0(%x: i32, %y: i8):
        %t = arith.trunci %x : i32 to i8
        linalg.yield %t : i8
      }
      return
    }
    // -> func.func @main(%in: memref<4xi8>, %out: memref<4xi8>,
    //        %arg2: memref<4xi32> {quantopt.arena_offset = 0 : i64})
    //        attributes {quantopt.arena_size = 16 : i64}
    //    with %a replaced by %arg2 and the alloc gone.
    ```
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::memref::MemRefDialect"];
  let options = [
    Option<"alignment", "alignment", "int64_t", /*default=*/"16",
           "byte alignment (a power of two) of every buffer in the arena">,
  ];
}

def PromoteAccumulatorsPass
    : Pass<"quantopt-promote-accumulators", "func::FuncOp"> {
  let summary = "Keep a loop's reduction accumulator in a register";
  let description = [{
    After `convert-linalg-to-loops`, a reduction such as a matrix product
    reads and writes its output element in every iteration of the innermost
    (reduction) loop:

    ```mlir
    scf.for %k = %c0 to %c64 step %c1 {
      %a = memref.load %x[%k] : memref<64xi8>
      %w = memref.load %weights[%n, %k] : memref<10x64xi8>
      %acc = memref.load %out[%n] : memref<10xi32>
      ...
      memref.store %sum, %out[%n] : memref<10xi32>
    }
    ```

    Every buffer of the planned kernel lives in one arena, so LLVM (and a
    C compiler) cannot prove that `%out[%n]` is not also read through `%x`
    and must keep the accumulator in memory: one load and one store per
    multiply-add, and no vectorized reduction (no `sdot` on aarch64, no
    `pmaddwd` on x86-64). This pass proves it instead and rewrites the loop
    to carry the element in an `iter_args` value: one load before the loop,
    one store after it.

    A loop qualifies for a memref element `%m[%i...]` when `%m` and the
    indices are defined outside the loop, the loop body stores to it exactly
    once at its top level, every read of it in the loop is a `memref.load`
    with the same indices at the top level before that store, and every
    other memory access in the loop (nested loops included) provably touches
    other bytes. Accesses are traced through view-like ops to their root
    buffer; two roots are disjoint when they are different function
    arguments of which at most one is a planned arena buffer (the generated
    API requires inputs, outputs and the arena not to overlap), two planned
    buffers whose byte ranges (`quantopt.arena_offset` plus the static
    size) do not intersect, a constant `memref.global` (never written) and
    anything else, two different globals or two different allocations. An
    op with memory effects the pass does not model (a call, a copy) keeps
    the loop as it is. Loops are visited innermost first, so the element
    moves out of a whole nest of reduction loops (the window of a pooling
    op) until a loop whose induction variable indexes it.

    The rewrite changes which instructions touch memory, never the values:
    the same integer operations run in the same order.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect"];
}

def TileAccumulatorsPass : Pass<"quantopt-tile-accumulators", "func::FuncOp"> {
  let summary = "Keep a tile of an accumulation row in registers across its "
                "reduction loops";
  let description = [{
    The wide-row convolutions and pools are lowered with their reductions
    (input channel, kernel row, kernel column) outside the row of output
    positions, so that the innermost loop walks contiguous memory:

    ```mlir
    scf.for %c ... { scf.for %kh ... { scf.for %kw ... {
      scf.for %p = %c0 to %c840 step %c1 {
        %x = memref.load %in[%c0, %c, <p + kh * W + kw>] : memref<1x8x930xi8>
        %a = memref.load %acc[%c0, %f, %p] : memref<1x16x840xi32>
        ... %s = arith.addi %a, %prod : i32
        memref.store %s, %acc[%c0, %f, %p] : memref<1x16x840xi32>
    } } } }
    ```

    Each multiply-add then loads and stores its accumulator. This pass
    strip-mines the row into tiles of `tile` positions and moves the tile
    loop outside the reduction loops, as vectors: each tile's accumulators
    are one `vector.load`, carried as an `iter_args` vector through the
    reduction loops, and one `vector.store`; the input row becomes a
    contiguous `vector.load`, values that do not depend on the position
    (the weight) a `vector.broadcast`, and every other op the same op on
    vectors:

    ```mlir
    scf.for %pt = %c0 to %c832 step %c32 {
      %init = vector.load %acc[%c0, %f, %pt] : memref<1x16x840xi32>, vector<32xi32>
      %r = scf.for %c ... iter_args(%a = %init) -> (vector<32xi32>) {
        ... %x = vector.load %in[%c0, %c, %i] : memref<1x8x930xi8>, vector<32xi8>
        ... %s = arith.addi %a2, %prod : vector<32xi32>
      }
      vector.store %r, %acc[%c0, %f, %pt] : memref<1x16x840xi32>, vector<32xi32>
    }
    ```

    LLVM keeps the accumulators in registers: the default 64 lanes are
    eight of the sixteen AVX2 registers or sixteen of the 32 NEON ones
    (measured on x86-64 AVX2: 64 lanes beat 32 by 7% on the two-conv CNN
    and tie on the others; 16 lanes lose 5-17%). After the whole tiles, one
    tile each of `tile / 2`, `tile / 4`, ... lanes down to 8 covers what
    fits of the rest (a row of 63 is 32 + 16 + 8 lanes), and the last
    positions keep the original loop nest. Each position still sums its
    terms in the original order (only different positions interleave), and
    no multiply-add is contracted, so the results are bit-identical to the
    C backend's, float layers included.

    A nest qualifies when its innermost loop has constant bounds, step 1
    and at least 8 iterations (or `tile`, if smaller); stores only
    `M[i..., p]` with `p` its induction variable and `M`, `i...` defined
    outside the nest; reads `M` only at that element, before the store;
    loads other buffers disjoint from `M` (the rule of
    `quantopt-promote-accumulators`) either independently of `p` or at
    `[j..., p + c]` (contiguous in the last dimension, identity layout);
    and otherwise computes with elementwise ops, using `p` only in such
    `p + c` indices. The reduction loops are the loops perfectly nested
    around it (each holding only the next loop), without iter_args, whose
    induction variables do not index `M`; without any the nest is left
    alone (there is nothing to keep in registers).

    The object backend runs this pass at the start of `quantopt-to-llvm`
    (`convert-vector-to-llvm` lowers the vector ops). The C backend does
    not: EmitC has no vectors, and a C version with a local tile array ran
    slower than the plain loops under GCC, which keeps the array in memory.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
  let options = [
    Option<"tile", "tile", "int64_t", /*default=*/"64",
           "positions per register tile (at least 2)">,
  ];
}

def ScalarBuffersTo1DPass : Pass<"quantopt-scalar-buffers-to-1d",
                                  "func::FuncOp"> {
  let summary = "Rank-0 buffer arguments become one-element 1-D buffers";
  let description = [{
    EmitC has no spelling for a rank-0 `memref` (a scalar graph output, as
    the scale and zero point of ONNX `DynamicQuantizeLinear`, or an arena
    view of one). Every `memref<T>` argument of the function becomes
    `memref<1xT>` and its `memref.load` / `memref.store` (no indices) read
    or write element 0; the bytes and the calling convention are the same.
    Any other use of such an argument is an error naming it. The C backend
    runs this pass before `convert-to-emitc`.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::memref::MemRefDialect"];
}

#endif // QUANTOPT_TRANSFORMS_PASSES_TD
