//===- Interpreter.cpp - Reference evaluation of float qnn graphs -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt::qnn;

using Buffer = std::vector<float>;

static ArrayRef<int64_t> shapeOf(Value v) {
  return cast<ShapedType>(v.getType()).getShape();
}

LogicalResult FloatInterpreter::verifySupported(func::FuncOp func) {
  WalkResult result = func.walk([](Operation *op) {
    if (isa<func::FuncOp, func::ReturnOp>(op))
      return WalkResult::advance();
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      auto type = dyn_cast<RankedTensorType>(constant.getType());
      if (type && type.getElementType().isF32())
        return WalkResult::advance();
      // Integer constants are the storage of quantized weights (QDQ form).
      if (type && type.getElementType().isSignlessInteger())
        return WalkResult::advance();
    }
    if (isa<quant::QuantizeCastOp, quant::DequantizeCastOp,
            quant::StorageCastOp>(op))
      return WalkResult::advance();
    // MaxPool's Indices: an exact integer that no calibrated layer reads;
    // evaluated as the max pool's argmax.
    if (isa<MaxPoolIndicesOp>(op))
      return WalkResult::advance();
    if (isa<ConvOp, GemmOp, MatMulOp, AddOp, ReluOp, ClipOp, MaxPoolOp,
            AvgPoolOp, BatchNormOp, ConcatOp, FlattenOp, ReshapeOp, UnaryOp,
            MulOp, TransposeOp, SoftmaxOp>(op)) {
      bool allF32 = llvm::all_of(op->getOperandTypes(), [](Type t) {
        return cast<ShapedType>(t).getElementType().isF32();
      });
      if (allF32)
        return WalkResult::advance();
    }
    op->emitOpError("cannot be evaluated for calibration (float qnn ops "
                    "and f32 constants only)");
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

/// y = conv(x, w) + b, NCHW / OIHW, with groups.
static Buffer evalConv(ConvOp op, const Buffer &x, const Buffer &w,
                       const Buffer *b) {
  auto xs = shapeOf(op.getInput()), ws = shapeOf(op.getFilter()),
       ys = shapeOf(op.getResult());
  int64_t n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
  int64_t f = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
  int64_t oh = ys[2], ow = ys[3];
  auto strides = op.getStrides(), pads = op.getPads(),
       dil = op.getDilations();
  int64_t groups = op.getGroup(), fg = f / groups;
  Buffer y(n * f * oh * ow);
  for (int64_t in = 0; in < n; ++in)
    for (int64_t of = 0; of < f; ++of) {
      int64_t g = of / fg;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          float acc = b ? (*b)[of] : 0.0f;
          for (int64_t ic = 0; ic < cg; ++ic)
            for (int64_t ky = 0; ky < kh; ++ky) {
              int64_t iy = oy * strides[0] - pads[0] + ky * dil[0];
              if (iy < 0 || iy >= h)
                continue;
              for (int64_t kx = 0; kx < kw; ++kx) {
                int64_t ix = ox * strides[1] - pads[1] + kx * dil[1];
                if (ix < 0 || ix >= wd)
                  continue;
                acc += x[((in * c + g * cg + ic) * h + iy) * wd + ix] *
                       w[((of * cg + ic) * kh + ky) * kw + kx];
              }
            }
          y[((in * f + of) * oh + oy) * ow + ox] = acc;
        }
    }
  return y;
}

/// numpy matmul: [..., M, K] x [..., K, N] with broadcast batch dimensions.
static Buffer evalMatMul(MatMulOp op, const Buffer &a, const Buffer &b) {
  auto as = shapeOf(op.getLhs()), bs = shapeOf(op.getRhs()),
       ys = shapeOf(op.getResult());
  int64_t rank = ys.size(), batchRank = rank - 2;
  int64_t m = ys[rank - 2], n = ys[rank - 1], k = as.back();
  int64_t batches = 1;
  for (int64_t d = 0; d < batchRank; ++d)
    batches *= ys[d];
  // The matrix index of an operand for a result batch index: its batch
  // dimensions are right-aligned with the result's; size 1 broadcasts.
  auto matrixIndex = [&](ArrayRef<int64_t> shape, int64_t batch) {
    int64_t operandBatch = shape.size() - 2, index = 0, stride = 1;
    for (int64_t d = batchRank - 1; d >= 0; --d) {
      int64_t i = batch % ys[d];
      batch /= ys[d];
      int64_t od = d - (batchRank - operandBatch);
      if (od < 0)
        continue;
      index += (shape[od] == 1 ? 0 : i) * stride;
      stride *= shape[od];
    }
    return index;
  };
  Buffer y(batches * m * n);
  for (int64_t batch = 0; batch < batches; ++batch) {
    const float *pa = a.data() + matrixIndex(as, batch) * m * k;
    const float *pb = b.data() + matrixIndex(bs, batch) * k * n;
    float *py = y.data() + batch * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float acc = 0.0f;
        for (int64_t l = 0; l < k; ++l)
          acc += pa[i * k + l] * pb[l * n + j];
        py[i * n + j] = acc;
      }
  }
  return y;
}

static Buffer evalMaxPool(MaxPoolOp op, const Buffer &x) {
  auto xs = shapeOf(op.getInput()), ys = shapeOf(op.getResult());
  auto k = op.getKernelShape(), s = op.getStrides(), p = op.getPads();
  SmallVector<int64_t> d = op.getDilationsOrOnes();
  Buffer y(ys[0] * ys[1] * ys[2] * ys[3]);
  for (int64_t nc = 0; nc < xs[0] * xs[1]; ++nc)
    for (int64_t oy = 0; oy < ys[2]; ++oy)
      for (int64_t ox = 0; ox < ys[3]; ++ox) {
        float m = -std::numeric_limits<float>::infinity();
        for (int64_t ky = 0; ky < k[0]; ++ky) {
          int64_t iy = oy * s[0] - p[0] + ky * d[0];
          if (iy < 0 || iy >= xs[2])
            continue;
          for (int64_t kx = 0; kx < k[1]; ++kx) {
            int64_t ix = ox * s[1] - p[1] + kx * d[1];
            if (ix >= 0 && ix < xs[3])
              m = std::max(m, x[(nc * xs[2] + iy) * xs[3] + ix]);
          }
        }
        y[(nc * ys[2] + oy) * ys[3] + ox] = m;
      }
  return y;
}

/// Average pooling: the window sum divided by the op's divisor.
static Buffer evalAvgPool(AvgPoolOp op, const Buffer &x) {
  auto xs = shapeOf(op.getInput()), ys = shapeOf(op.getResult());
  auto k = op.getKernelShape(), s = op.getStrides(), p = op.getPads();
  SmallVector<int64_t> divisors = op.getDivisors();
  Buffer y(ys[0] * ys[1] * ys[2] * ys[3]);
  for (int64_t nc = 0; nc < xs[0] * xs[1]; ++nc)
    for (int64_t oy = 0; oy < ys[2]; ++oy)
      for (int64_t ox = 0; ox < ys[3]; ++ox) {
        float sum = 0.0f;
        for (int64_t ky = 0; ky < k[0]; ++ky) {
          int64_t iy = oy * s[0] - p[0] + ky;
          if (iy < 0 || iy >= xs[2])
            continue;
          for (int64_t kx = 0; kx < k[1]; ++kx) {
            int64_t ix = ox * s[1] - p[1] + kx;
            if (ix >= 0 && ix < xs[3])
              sum += x[(nc * xs[2] + iy) * xs[3] + ix];
          }
        }
        y[(nc * ys[2] + oy) * ys[3] + ox] =
            sum / static_cast<float>(divisors[oy * ys[3] + ox]);
      }
  return y;
}

/// (x - mean) * scale / sqrt(var + eps) + bias along dimension 1.
static Buffer evalBatchNorm(BatchNormOp op, const Buffer &x,
                            const Buffer &scale, const Buffer &bias,
                            const Buffer &mean, const Buffer &var) {
  auto xs = shapeOf(op.getInput());
  int64_t channels = xs[1], inner = 1;
  for (size_t d = 2; d < xs.size(); ++d)
    inner *= xs[d];
  float eps = op.getEpsilon().convertToFloat();
  Buffer y(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    int64_t c = (i / inner) % channels;
    y[i] = (x[i] - mean[c]) * (scale[c] / std::sqrt(var[c] + eps)) + bias[c];
  }
  return y;
}

/// Concatenation along the op's axis.
static Buffer evalConcat(ConcatOp op, ArrayRef<const Buffer *> inputs) {
  auto ys = shapeOf(op.getResult());
  int64_t axis = static_cast<int64_t>(op.getAxis());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= ys[d];
  for (int64_t d = axis + 1, e = ys.size(); d < e; ++d)
    inner *= ys[d];
  Buffer y;
  y.reserve(outer * ys[axis] * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (auto [value, buffer] : llvm::zip(op.getInputs(), inputs)) {
      int64_t chunk = shapeOf(value)[axis] * inner;
      y.insert(y.end(), buffer->begin() + o * chunk,
               buffer->begin() + (o + 1) * chunk);
    }
  return y;
}

/// y = alpha * op(a) op(b) + beta * c, c broadcast to [M, N].
static Buffer evalGemm(Value aVal, Value bVal, Value cVal, const Buffer &a,
                       const Buffer &b, const Buffer *c, bool transA,
                       bool transB, float alpha, float beta) {
  auto as = shapeOf(aVal), bs = shapeOf(bVal);
  int64_t m = transA ? as[1] : as[0], k = transA ? as[0] : as[1];
  int64_t n = transB ? bs[0] : bs[1];
  Buffer y(m * n);
  SmallVector<int64_t> cs;
  if (c)
    cs.assign(shapeOf(cVal).begin(), shapeOf(cVal).end());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float acc = 0.0f;
      for (int64_t l = 0; l < k; ++l)
        acc += a[transA ? l * m + i : i * k + l] *
               b[transB ? j * k + l : l * n + j];
      acc *= alpha;
      if (c) {
        // Broadcast of a rank <= 2 tensor to [M, N].
        int64_t ci = 0;
        if (cs.size() == 2)
          ci = (cs[0] == 1 ? 0 : i) * cs[1] + (cs[1] == 1 ? 0 : j);
        else if (cs.size() == 1)
          ci = cs[0] == 1 ? 0 : j;
        acc += beta * (*c)[ci];
      }
      y[i * n + j] = acc;
    }
  return y;
}

/// Steps the row-major multi-index `idx` to the next element of `shape`.
static void advanceIndex(MutableArrayRef<int64_t> idx, ArrayRef<int64_t> shape) {
  for (int64_t d = static_cast<int64_t>(idx.size()) - 1; d >= 0; --d) {
    if (++idx[d] < shape[d])
      return;
    idx[d] = 0;
  }
}

/// `fn(a, b)` elementwise with numpy broadcasting, for Add and Mul.
template <typename OpTy, typename Fn>
static Buffer evalBroadcast(OpTy op, const Buffer &a, const Buffer &b, Fn fn) {
  auto ys = shapeOf(op.getResult());
  auto as = shapeOf(op.getLhs()), bs = shapeOf(op.getRhs());
  int64_t rank = ys.size();
  int64_t total = 1;
  for (int64_t d : ys)
    total *= d;
  // Strides of each operand in the result's index space (0 = broadcast).
  auto strides = [&](ArrayRef<int64_t> s) {
    SmallVector<int64_t> st(rank, 0);
    int64_t stride = 1;
    for (int64_t i = s.size() - 1; i >= 0; --i) {
      int64_t r = i + rank - s.size();
      st[r] = s[i] == 1 ? 0 : stride;
      stride *= s[i];
    }
    return st;
  };
  auto sa = strides(as), sb = strides(bs);
  Buffer y(total);
  SmallVector<int64_t> idx(rank, 0);
  for (int64_t e = 0; e < total; ++e) {
    int64_t ia = 0, ib = 0;
    for (int64_t d = 0; d < rank; ++d) {
      ia += idx[d] * sa[d];
      ib += idx[d] * sb[d];
    }
    y[e] = fn(a[ia], b[ib]);
    advanceIndex(idx, ys);
  }
  return y;
}

/// result[i_0, ..., i_r] = input[j] with j[perm[k]] = i_k.
static Buffer evalTranspose(TransposeOp op, const Buffer &x) {
  auto xs = shapeOf(op.getInput()), ys = shapeOf(op.getResult());
  ArrayRef<int64_t> perm = op.getPerm();
  int64_t rank = xs.size();
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * xs[d + 1];
  Buffer y(x.size());
  SmallVector<int64_t> idx(rank, 0);
  for (size_t e = 0; e < x.size(); ++e) {
    int64_t src = 0;
    for (int64_t k = 0; k < rank; ++k)
      src += idx[k] * inStrides[perm[k]];
    y[e] = x[src];
    advanceIndex(idx, ys);
  }
  return y;
}

/// Softmax along `axis`: each row is the `axis` extent at one (outer,
/// inner) position, with stride `inner`.
static Buffer evalSoftmax(SoftmaxOp op, const Buffer &x) {
  ArrayRef<int64_t> shape = shapeOf(op.getInput());
  int64_t axis = static_cast<int64_t>(op.getAxis());
  int64_t row = shape[axis], inner = 1;
  for (int64_t d = axis + 1, e = shape.size(); d < e; ++d)
    inner *= shape[d];
  int64_t outer = x.size() / (row * inner);
  Buffer y(x.size());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t in = 0; in < inner; ++in) {
      int64_t base = o * row * inner + in;
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < row; ++i)
        m = std::max(m, x[base + i * inner]);
      float sum = 0.0f;
      for (int64_t i = 0; i < row; ++i)
        sum += (y[base + i * inner] = std::exp(x[base + i * inner] - m));
      for (int64_t i = 0; i < row; ++i)
        y[base + i * inner] /= sum;
    }
  return y;
}

/// Calls `fn(i, scale, zeroPoint)` for every element index of a tensor of
/// quantized type `type`, with the parameters of its channel.
template <typename Fn>
static void forEachQuantParam(Type type, int64_t size, Fn fn) {
  auto shaped = cast<ShapedType>(type);
  quant::QuantizedType element = getQuantElementType(type);
  if (auto axis = dyn_cast<quant::UniformQuantizedPerAxisType>(element)) {
    ArrayRef<int64_t> shape = shaped.getShape();
    int32_t dim = axis.getQuantizedDimension();
    int64_t inner = 1;
    for (int64_t d = dim + 1, e = shape.size(); d < e; ++d)
      inner *= shape[d];
    ArrayRef<double> scales = axis.getScales();
    ArrayRef<int64_t> zeroPoints = axis.getZeroPoints();
    for (int64_t i = 0; i < size; ++i) {
      int64_t c = (i / inner) % shape[dim];
      fn(i, scales[c], zeroPoints[c]);
    }
    return;
  }
  auto uniform = cast<quant::UniformQuantizedType>(element);
  for (int64_t i = 0; i < size; ++i)
    fn(i, uniform.getScale(), uniform.getZeroPoint());
}

Buffer FloatInterpreter::quantize(const Buffer &data, Type type) {
  quant::QuantizedType element = getQuantElementType(type);
  int64_t qmin = element.getStorageTypeMin(), qmax = element.getStorageTypeMax();
  Buffer q(data.size());
  forEachQuantParam(type, data.size(), [&](int64_t i, double s, int64_t zp) {
    q[i] = static_cast<float>(
        mlir::quantopt::quantizeValue(data[i], static_cast<float>(s), zp,
                                      qmin, qmax));
  });
  return q;
}

Buffer FloatInterpreter::dequantize(const Buffer &data, Type type) {
  Buffer y(data.size());
  forEachQuantParam(type, data.size(), [&](int64_t i, double s, int64_t zp) {
    y[i] = static_cast<float>(s) * (data[i] - static_cast<float>(zp));
  });
  return y;
}

LogicalResult FloatInterpreter::run(ArrayRef<Buffer> inputs,
                                    Observer observe) {
  llvm::DenseMap<Value, Buffer> env;
  Block &entry = func.getBody().front();
  for (auto [arg, input] : llvm::zip(entry.getArguments(), inputs)) {
    env[arg] = input;
    observe(arg, input);
  }
  auto get = [&](Value v) -> const Buffer & {
    auto it = env.find(v);
    if (it != env.end())
      return it->second;
    return constants[v];
  };
  for (Operation &op : entry) {
    if (auto constant = dyn_cast<arith::ConstantOp>(op)) {
      if (!constants.count(constant)) {
        auto attr = cast<DenseElementsAttr>(constant.getValue());
        Buffer data;
        if (attr.getElementType().isSignlessInteger())
          for (APInt v : attr.getValues<APInt>())
            data.push_back(static_cast<float>(v.getSExtValue()));
        else
          for (APFloat v : attr.getValues<APFloat>())
            data.push_back(v.convertToFloat());
        constants[constant] = std::move(data);
      }
      continue;
    }
    if (isa<func::ReturnOp>(op))
      break;
    Buffer y =
        llvm::TypeSwitch<Operation *, Buffer>(&op)
            .Case<ConvOp>([&](ConvOp conv) {
              return evalConv(conv, get(conv.getInput()),
                              get(conv.getFilter()),
                              conv.getBias() ? &get(conv.getBias()) : nullptr);
            })
            .Case<GemmOp>([&](GemmOp g) {
              return evalGemm(g.getA(), g.getB(), g.getC(), get(g.getA()),
                              get(g.getB()), g.getC() ? &get(g.getC()) : nullptr,
                              g.getTransA(), g.getTransB(),
                              g.getAlpha().convertToFloat(),
                              g.getBeta().convertToFloat());
            })
            .Case<MatMulOp>([&](MatMulOp mm) {
              return evalMatMul(mm, get(mm.getLhs()), get(mm.getRhs()));
            })
            .Case<AddOp>([&](AddOp add) {
              return evalBroadcast(add, get(add.getLhs()), get(add.getRhs()),
                                   std::plus<float>());
            })
            .Case<ReluOp>([&](ReluOp relu) {
              Buffer y = get(relu.getInput());
              for (float &v : y)
                v = std::max(v, 0.0f);
              return y;
            })
            .Case<ClipOp>([&](ClipOp clip) {
              Buffer y = get(clip.getInput());
              float lo = clip.getMin() ? clip.getMin()->convertToFloat()
                                       : -std::numeric_limits<float>::max();
              float hi = clip.getMax() ? clip.getMax()->convertToFloat()
                                       : std::numeric_limits<float>::max();
              for (float &v : y)
                v = std::min(std::max(v, lo), hi);
              return y;
            })
            .Case<MaxPoolOp>([&](MaxPoolOp pool) {
              return evalMaxPool(pool, get(pool.getInput()));
            })
            .Case<AvgPoolOp>([&](AvgPoolOp pool) {
              return evalAvgPool(pool, get(pool.getInput()));
            })
            .Case<BatchNormOp>([&](BatchNormOp bn) {
              return evalBatchNorm(bn, get(bn.getInput()), get(bn.getScale()),
                                   get(bn.getBias()), get(bn.getMean()),
                                   get(bn.getVariance()));
            })
            .Case<ConcatOp>([&](ConcatOp concat) {
              SmallVector<const Buffer *> inputs;
              for (Value v : concat.getInputs())
                inputs.push_back(&get(v));
              return evalConcat(concat, inputs);
            })
            .Case<UnaryOp>([&](UnaryOp unary) {
              Buffer y = get(unary.getInput());
              for (float &v : y)
                v = unary.evaluate(v);
              return y;
            })
            .Case<MulOp>([&](MulOp mul) {
              return evalBroadcast(mul, get(mul.getLhs()), get(mul.getRhs()),
                                   std::multiplies<float>());
            })
            .Case<TransposeOp>([&](TransposeOp t) {
              return evalTranspose(t, get(t.getInput()));
            })
            .Case<SoftmaxOp>([&](SoftmaxOp sm) {
              return evalSoftmax(sm, get(sm.getInput()));
            })
            .Case<FlattenOp, ReshapeOp>(
                [&](Operation *shapeOp) { return get(shapeOp->getOperand(0)); })
            .Case<quant::QuantizeCastOp>([&](quant::QuantizeCastOp q) {
              return quantize(get(q.getInput()), q.getResult().getType());
            })
            .Case<quant::DequantizeCastOp>([&](quant::DequantizeCastOp d) {
              return dequantize(get(d.getInput()), d.getInput().getType());
            })
            .Case<quant::StorageCastOp>(
                [&](quant::StorageCastOp s) { return get(s.getInput()); })
            .Default([](Operation *) { return Buffer(); });
    if (op.getNumResults() != 1)
      return op.emitOpError("cannot be evaluated for calibration");
    observe(op.getResult(0), y);
    if (overrides)
      if (auto it = overrides->find(op.getResult(0)); it != overrides->end())
        y = it->second;
    env[op.getResult(0)] = std::move(y);
  }
  return success();
}
