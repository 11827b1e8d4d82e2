//===- ScalarBuffersTo1D.cpp - Rank-0 buffers as memref<1xT> ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Rewrites rank-0 memref function arguments as one-element 1-D memrefs for
// convert-to-emitc (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "quantopt/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::quantopt {
#define GEN_PASS_DEF_SCALARBUFFERSTO1DPASS
#include "quantopt/Transforms/Passes.h.inc"
} // namespace mlir::quantopt

using namespace mlir;
using namespace mlir::quantopt;

namespace {

struct ScalarBuffersTo1DPass
    : public quantopt::impl::ScalarBuffersTo1DPassBase<ScalarBuffersTo1DPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &entry = func.getBody().front();
    bool changed = false;
    for (BlockArgument arg : entry.getArguments()) {
      auto type = dyn_cast<MemRefType>(arg.getType());
      if (!type || type.getRank() != 0)
        continue;
      for (Operation *user : arg.getUsers()) {
        bool scalarAccess =
            (isa<memref::LoadOp>(user) ||
             (isa<memref::StoreOp>(user) &&
              cast<memref::StoreOp>(user).getMemRef() == arg));
        if (!scalarAccess) {
          user->emitError() << "rank-0 buffer argument #" << arg.getArgNumber()
                            << " is used by an op other than memref.load / "
                               "memref.store";
          return signalPassFailure();
        }
      }
      arg.setType(MemRefType::get({1}, type.getElementType(), AffineMap(),
                                  type.getMemorySpace()));
      for (Operation *user : llvm::to_vector(arg.getUsers())) {
        OpBuilder b(user);
        Value zero = arith::ConstantIndexOp::create(b, user->getLoc(), 0);
        if (auto load = dyn_cast<memref::LoadOp>(user))
          load.getIndicesMutable().assign(zero);
        else
          cast<memref::StoreOp>(user).getIndicesMutable().assign(zero);
      }
      changed = true;
    }
    if (changed)
      func.setType(FunctionType::get(&getContext(), entry.getArgumentTypes(),
                                     func.getResultTypes()));
  }
};

} // namespace
