//===- QuantOptMain.cpp - The quant-opt driver --------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// quant-opt is mlir-opt with the QuantOpt dialects and passes, plus the
// compiler driver: an .onnx input is imported first, and --emit=c / --emit=obj
// run the whole pipeline and write NAME.c or NAME.o, and NAME.h.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Tools/QuantOptMain.h"
#include "quantopt/InitAll.h"
#include "quantopt/Pipelines/Pipelines.h"
#include "quantopt/Target/C/EmitCBundle.h"
#include "quantopt/Target/ONNX/ImportONNX.h"
#include "quantopt/Target/Object/EmitObject.h"
#include "quantopt/Dialect/Qnn/IR/QnnDialect.h"
#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Target/TargetMachine.h"

using namespace mlir;
using namespace mlir::quantopt;
namespace cl = llvm::cl;

static cl::OptionCategory driverCategory("QuantOpt compiler driver options");

static cl::opt<std::string> emitKind(
    "emit",
    cl::desc("What to write: mlir (the input after the passes given, "
             "default), int8 (the integer qnn graph), c (NAME.c + NAME.h), "
             "obj (NAME.o + NAME.h)"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<std::string> targetTriple(
    "target",
    cl::desc("Target triple of --emit=obj: aarch64-linux-gnu or "
             "x86_64-linux-gnu (ELF aarch64/x86_64 triples; default: the "
             "host)"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<std::string> targetCpu(
    "target-cpu",
    cl::desc("LLVM CPU of --emit=obj, e.g. cortex-a76, skylake-avx512, or "
             "native (the host CPU and its features); default: generic "
             "(aarch64), x86-64 (x86_64)"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<std::string> targetFeatures(
    "target-features",
    cl::desc("LLVM features of --emit=obj, e.g. +neon,-dotprod or +avx2; "
             "replaces the default (+neon,+dotprod on aarch64 without "
             "--target-cpu, none on x86_64)"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<bool>
    noDotProd("no-dotprod",
              cl::desc("--emit=obj for aarch64 without the dot-product "
                       "extension (appends -dotprod to the features)"),
              cl::init(false), cl::cat(driverCategory));
static cl::opt<std::string>
    calibrationData("calibration-data",
                    cl::desc("float32 .npy calibration samples, [N, <input "
                             "shape without batch>] or [N, <input shape>]; "
                             "a model with several inputs takes one file "
                             "per input, comma-separated, in input order"),
                    cl::init(""), cl::cat(driverCategory));
static cl::opt<int64_t> calibrationSamples(
    "calibration-samples",
    cl::desc("Use at most this many calibration samples (0: all)"),
    cl::init(0), cl::cat(driverCategory));
static cl::opt<std::string>
    calibrationMethod("calibration-method",
                      cl::desc("Range estimator: minmax (default) | "
                               "percentile | entropy (KL divergence, as "
                               "TensorRT) | mse (least expected squared "
                               "error)"),
                      cl::init("minmax"), cl::cat(driverCategory));
static cl::opt<double> calibrationPercentile(
    "calibration-percentile",
    cl::desc("With --calibration-method=percentile: the central percent of "
             "each activation's values kept (default 99.99)"),
    cl::init(99.99), cl::cat(driverCategory));
static cl::opt<std::string> weightGranularity(
    "weight-granularity",
    cl::desc("per-channel (default) | per-tensor weight scales"),
    cl::init("per-channel"), cl::cat(driverCategory));
static cl::opt<std::string> activationScheme(
    "activation-scheme",
    cl::desc("asymmetric (default: zero point from the range) | symmetric "
             "(zero point 0, scale max|x| / 127)"),
    cl::init("asymmetric"), cl::cat(driverCategory));
static cl::opt<std::string> keepFloat(
    "keep-float",
    cl::desc("Comma-separated ONNX node names and/or op types (Conv, Gemm, "
             "MatMul) whose weights stay float (the op is marked "
             "qnn.keep_float; activations stay int8)"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<std::string> int16Layers(
    "int16-layers",
    cl::desc("Comma-separated ONNX node names and/or op types (Conv, Gemm, "
             "MatMul, MaxPool, Flatten, Reshape, Transpose, Relu, Clip) whose "
             "output activations are int16 (16x8: symmetric int16 "
             "activations, int8 weights, int32 accumulator); consumers "
             "without a 16-bit form and the model outputs read them "
             "requantized to their calibrated int8 type"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<double> mixedPrecisionSqnr(
    "mixed-precision-sqnr",
    cl::desc("Keep the layers with the worst own quantization error in "
             "float, one at a time, until the output SQNR vs float on the "
             "calibration samples reaches DB (0: off)"),
    cl::init(0.0), cl::cat(driverCategory));
static cl::opt<double> mixedPrecisionAccuracy(
    "mixed-precision-accuracy",
    cl::desc("Keep the layers with the worst own quantization error in "
             "float, one at a time, until the simulated top-1 accuracy on "
             "the calibration samples is at most POINTS percentage points "
             "below float: against --calibration-labels, or without them as "
             "agreement with the float model's top-1 (-1: off)"),
    cl::init(-1.0), cl::cat(driverCategory));
static cl::opt<std::string> calibrationLabels(
    "calibration-labels",
    cl::desc("Integer .npy class labels of the calibration samples ([N], "
             "e.g. calib_labels.npy from python/fashion_mnist.py), for "
             "--mixed-precision-accuracy"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<int64_t> mixedPrecisionMaxFloat(
    "mixed-precision-max-float",
    cl::desc("With --mixed-precision-sqnr or --mixed-precision-accuracy: "
             "keep at most N layers in float "
             "(default: all)"),
    cl::init(-1), cl::cat(driverCategory));
static cl::opt<std::string> layerReport(
    "layer-report",
    cl::desc("Write the per-layer report (scales, zero points, weight and "
             "bias bytes, simulated SQNR and cosine vs float) to FILE.json, "
             "or print it as a table to stderr with -"),
    cl::init(""), cl::cat(driverCategory));
static cl::opt<int64_t> layerReportSamples(
    "layer-report-samples",
    cl::desc("Calibration samples simulated for --layer-report, "
             "--mixed-precision-sqnr and --mixed-precision-accuracy "
             "(default 100)"),
    cl::init(100), cl::cat(driverCategory));
static cl::opt<std::string>
    roundingMode("rounding",
                 cl::desc("Requantize rounding: single (default) | double"),
                 cl::init("single"), cl::cat(driverCategory));
static cl::opt<std::string>
    bundleName("name",
               cl::desc("Symbol prefix of the generated C API (default: the "
                        "output file stem)"),
               cl::init(""), cl::cat(driverCategory));
static cl::opt<int64_t>
    batchSize("batch-size",
              cl::desc("Value bound to a symbolic ONNX batch dimension"),
              cl::init(1), cl::cat(driverCategory));
static cl::opt<bool> quiet("quiet", cl::desc("Do not print the summary"),
                           cl::init(false), cl::cat(driverCategory));
static cl::opt<std::string> quantization(
    "quantization",
    cl::desc("static (default): calibrated or QDQ int8 activations | "
             "dynamic: int8 Gemm/MatMul weights, their inputs quantized at "
             "run time, every other layer in float (no calibration data)"),
    cl::init("static"), cl::cat(driverCategory));
static cl::opt<bool> requireInt8(
    "require-int8",
    cl::desc("Fail if any layer would run in float (by default float "
             "layers are allowed and listed in a note)"),
    cl::init(false), cl::cat(driverCategory));
static cl::opt<bool> listOnnxOps(
    "list-onnx-ops",
    cl::desc("Print the ONNX op types the importer supports, one per line "
             "with the oldest default opset accepted, and exit"),
    cl::init(false), cl::cat(driverCategory));

/// Parses or imports `inputFilename` into a module.
static OwningOpRef<ModuleOp> loadInput(StringRef inputFilename,
                                       MLIRContext &context,
                                       llvm::SourceMgr &sourceMgr) {
  std::string error;
  auto file = openInputFile(inputFilename, &error);
  if (!file) {
    llvm::errs() << "quant-opt: " << error << "\n";
    return nullptr;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  if (inputFilename.ends_with(".onnx")) {
    ImportONNXOptions options;
    options.batchSize = batchSize;
    return importONNX(sourceMgr, &context, options);
  }
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

/// Opens an output file; reports the error and returns null on failure.
static std::unique_ptr<llvm::ToolOutputFile> openOutput(StringRef path) {
  std::string error;
  auto output = openOutputFile(path, &error);
  if (!output)
    llvm::errs() << "quant-opt: " << error << "\n";
  return output;
}

static bool isValidChoice(StringRef value, ArrayRef<StringRef> choices,
                          StringRef flag) {
  if (llvm::is_contained(choices, value))
    return true;
  llvm::errs() << "quant-opt: --" << flag << "=" << value
               << " is not one of: ";
  llvm::interleaveComma(choices, llvm::errs());
  llvm::errs() << "\n";
  return false;
}

/// Runs the int8 pipeline on `module`.
static LogicalResult runInt8Pipeline(ModuleOp module) {
  PassManager pm(module->getContext());
  Int8PipelineOptions options;
  options.calibrationData = calibrationData;
  options.calibrationSamples = calibrationSamples;
  options.calibrationMethod = calibrationMethod;
  options.calibrationPercentile = calibrationPercentile;
  options.weightGranularity = weightGranularity;
  options.rounding = roundingMode;
  options.activationScheme = activationScheme;
  options.keepFloat = keepFloat;
  options.int16Layers = int16Layers;
  options.mixedPrecisionSqnr = mixedPrecisionSqnr;
  options.mixedPrecisionMaxFloat = mixedPrecisionMaxFloat;
  options.mixedPrecisionAccuracy = mixedPrecisionAccuracy;
  options.calibrationLabels = calibrationLabels;
  options.layerReport = layerReport;
  options.layerReportSamples = layerReportSamples;
  options.quiet = quiet;
  if (quantization == "dynamic")
    buildDynamicPipeline(pm, options);
  else
    buildInt8Pipeline(pm, options);
  return pm.run(module);
}

/// "node (qnn.op)" for the float-layer note: the ONNX node name of the op's
/// location, else the location.
static std::string describeLayer(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    if (!fused.getLocations().empty())
      loc = fused.getLocations().front();
  if (auto name = dyn_cast<NameLoc>(loc))
    os << name.getName().getValue();
  else if (auto file = dyn_cast<FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn();
  else
    os << loc;
  os << " (" << op->getName().getStringRef() << ")";
  return text;
}

/// After the graph pipeline: the layers that run in float (qnn ops on f32;
/// qnn.dynamic_gemm counts, its output is float). With --require-int8 each
/// is an error, else one note lists them (unless --quiet).
static LogicalResult reportFloatLayers(ModuleOp module) {
  SmallVector<Operation *> floatOps;
  bool floatBoundary = false;
  module.walk([&](Operation *op) {
    if (auto func = dyn_cast<func::FuncOp>(op)) {
      auto isF32 = [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return shaped && shaped.getElementType().isF32();
      };
      if (func.isExternal())
        return;
      // A float input only quantized, or a float output only dequantized
      // (an int32 or per-axis tensor the int8 API cannot carry), converts
      // at the boundary; a float boundary value that anything else uses is
      // a float layer's.
      for (BlockArgument arg : func.getArguments())
        floatBoundary |=
            isF32(arg.getType()) &&
            (arg.use_empty() ||
             !llvm::all_of(arg.getUsers(),
                           llvm::IsaPred<quant::QuantizeCastOp>));
      func.walk([&](func::ReturnOp ret) {
        for (Value v : ret.getOperands())
          floatBoundary |= isF32(v.getType()) &&
                           !v.getDefiningOp<quant::DequantizeCastOp>();
      });
      return;
    }
    if (!isa_and_nonnull<qnn::QnnDialect>(op->getDialect()))
      return;
    auto isF32 = [](Type t) {
      auto shaped = dyn_cast<ShapedType>(t);
      return shaped && shaped.getElementType().isF32();
    };
    if (llvm::any_of(op->getResultTypes(), isF32))
      floatOps.push_back(op);
  });
  if (floatOps.empty() && !floatBoundary)
    return success();
  if (requireInt8) {
    for (Operation *op : floatOps)
      op->emitError() << "layer " << describeLayer(op)
                      << " runs in float, but --require-int8 was given";
    if (floatOps.empty())
      module.emitError() << "the model's input or output is float, but "
                            "--require-int8 was given";
    return failure();
  }
  if (!quiet && !floatOps.empty()) {
    // Dynamically quantized products are int8 inside, float outside.
    auto dynamic = llvm::to_vector(llvm::make_filter_range(
        floatOps, [](Operation *op) {
          return isa<qnn::DynamicGemmOp, qnn::DynamicConvOp>(op);
        }));
    auto quantizers = llvm::to_vector(llvm::make_filter_range(
        floatOps, llvm::IsaPred<qnn::DynamicQuantizeOp>));
    auto plain = llvm::to_vector(llvm::make_filter_range(
        floatOps, [](Operation *op) {
          return !isa<qnn::DynamicGemmOp, qnn::DynamicConvOp,
                      qnn::DynamicQuantizeOp>(op);
        }));
    auto list = [](ArrayRef<Operation *> ops) {
      llvm::interleaveComma(ops, llvm::errs(), [](Operation *op) {
        llvm::errs() << describeLayer(op);
      });
    };
    llvm::errs() << "quant-opt: note: " << plain.size()
                 << (plain.size() == 1 ? " layer runs" : " layers run")
                 << " in float";
    if (!plain.empty()) {
      llvm::errs() << ": ";
      list(plain);
    }
    if (!dynamic.empty()) {
      llvm::errs() << "; " << dynamic.size()
                   << (dynamic.size() == 1 ? " product runs" : " products run")
                   << " in int8 with the input quantized at run time: ";
      list(dynamic);
    }
    if (!quantizers.empty()) {
      llvm::errs() << "; " << quantizers.size()
                   << (quantizers.size() == 1 ? " tensor is" : " tensors are")
                   << " quantized with a scale computed at run time: ";
      list(quantizers);
    }
    llvm::errs() << " (--require-int8 rejects float layers)\n";
  }
  return success();
}

/// The bundle name: --name, else the output file's stem, made a C
/// identifier.
static std::string getBundleName(StringRef outputFilename) {
  std::string name = bundleName;
  if (name.empty())
    name = llvm::sys::path::stem(outputFilename).str();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  if (name.empty() || llvm::isDigit(name.front()))
    name = "m_" + name;
  return name;
}

/// The compiler-driver path: --emit=int8, --emit=c or --emit=obj.
static int runDriver(StringRef inputFilename, StringRef outputFilename,
                     DialectRegistry &registry) {
  if (!isValidChoice(emitKind, {"mlir", "int8", "c", "obj"}, "emit") ||
      !isValidChoice(weightGranularity, {"per-channel", "per-tensor"},
                     "weight-granularity") ||
      !isValidChoice(roundingMode, {"single", "double"}, "rounding") ||
      !isValidChoice(calibrationMethod,
                     {"minmax", "percentile", "entropy", "mse"},
                     "calibration-method") ||
      !isValidChoice(activationScheme, {"asymmetric", "symmetric"},
                     "activation-scheme") ||
      !isValidChoice(quantization, {"static", "dynamic"}, "quantization"))
    return 1;
  if (quantization == "dynamic" && calibrationData.getNumOccurrences()) {
    llvm::errs() << "quant-opt: --quantization=dynamic takes no "
                    "--calibration-data (inputs are quantized at run time)\n";
    return 1;
  }
  if (quantization == "dynamic" &&
      (mixedPrecisionAccuracy.getNumOccurrences() ||
       mixedPrecisionSqnr.getNumOccurrences() ||
       calibrationLabels.getNumOccurrences())) {
    llvm::errs() << "quant-opt: --mixed-precision-sqnr, "
                    "--mixed-precision-accuracy and --calibration-labels need "
                    "--quantization=static (they simulate calibrated int8 "
                    "layers)\n";
    return 1;
  }
  if (quantization == "dynamic" && int16Layers.getNumOccurrences()) {
    llvm::errs() << "quant-opt: --int16-layers needs --quantization=static "
                    "(calibrated int16 activations)\n";
    return 1;
  }
  bool isObject = emitKind == "obj";
  StringRef extension = isObject ? ".o" : ".c";
  if ((emitKind == "c" || isObject) &&
      (outputFilename == "-" ||
       !StringRef(outputFilename).ends_with(extension))) {
    llvm::errs() << "quant-opt: --emit=" << emitKind << " needs -o DIR/NAME"
                 << extension << " (NAME.h is written beside it)\n";
    return 1;
  }
  if (!isObject && (targetTriple.getNumOccurrences() ||
                    targetCpu.getNumOccurrences() ||
                    targetFeatures.getNumOccurrences() ||
                    noDotProd.getNumOccurrences())) {
    llvm::errs() << "quant-opt: --target, --target-cpu, --target-features "
                    "and --no-dotprod apply to --emit=obj only\n";
    return 1;
  }
  // Check the target before the model: a typo fails fast.
  std::unique_ptr<llvm::TargetMachine> targetMachine;
  if (isObject) {
    ObjectTargetOptions target;
    target.triple = targetTriple;
    target.cpu = targetCpu;
    if (targetFeatures.getNumOccurrences())
      target.features = targetFeatures;
    target.noDotProd = noDotProd;
    std::string error;
    targetMachine = createObjectTargetMachine(target, error);
    if (!targetMachine) {
      llvm::errs() << "quant-opt: " << error << "\n";
      return 1;
    }
  }
  if (batchSize < 1) {
    llvm::errs() << "quant-opt: --batch-size must be at least 1\n";
    return 1;
  }

  MLIRContext context(registry);
  // Diagnostics name the op and its ONNX node; dumping the whole op (a
  // function with its weights) would bury the message.
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = loadInput(inputFilename, context, sourceMgr);
  if (!module)
    return 1;

  if (failed(runInt8Pipeline(*module)))
    return 1;
  if (failed(reportFloatLayers(*module)))
    return 1;
  if (emitKind == "int8") {
    auto output = openOutput(outputFilename);
    if (!output)
      return 1;
    module->print(output->os());
    output->keep();
    return 0;
  }

  // --emit=c or --emit=obj
  auto funcs = llvm::to_vector(module->getOps<func::FuncOp>());
  if (funcs.size() != 1) {
    llvm::errs() << "quant-opt: expected one function in the model, found "
                 << funcs.size() << "\n";
    return 1;
  }
  FailureOr<BundleInterface> iface = getBundleInterface(funcs.front());
  if (failed(iface))
    return 1;
  std::string kernelName = funcs.front().getSymName().str();

  PassManager pm(&context);
  buildLowerToBuffersPipeline(pm, /*allowFloat=*/!requireInt8);
  if (!isObject)
    buildEmitCPipeline(pm);
  if (failed(pm.run(*module)))
    return 1;

  std::string name = getBundleName(outputFilename);
  SmallString<256> headerPath(outputFilename);
  llvm::sys::path::replace_extension(headerPath, ".h");
  auto mainFile = openOutput(outputFilename);
  auto hFile = mainFile ? openOutput(headerPath) : nullptr;
  if (!mainFile || !hFile)
    return 1;
  LogicalResult emitted =
      isObject ? emitObjectBundle(*module, kernelName, *iface, name,
                                  *targetMachine, mainFile->os(), hFile->os())
               : emitCBundle(*module, kernelName, *iface, name,
                             mainFile->os(), hFile->os(),
                             llvm::sys::path::filename(headerPath));
  if (failed(emitted))
    return 1;
  mainFile->keep();
  hFile->keep();
  if (!quiet)
    llvm::errs() << "quant-opt: wrote " << outputFilename << " and "
                 << headerPath << "\n";
  return 0;
}

int mlir::quantopt::quantOptMain(int argc, char **argv) {
  llvm::InitLLVM y(argc, argv);
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllPasses();

  // `--help` lists the compiler driver's options only: the linked LLVM
  // and MLIR libraries register several hundred more (backend flags, every
  // pass), which `--help-all` still shows.
  constexpr StringLiteral overview =
      "QuantOpt: ONNX to integer-only C compiler and MLIR optimizer driver\n\n"
      "  quant-opt model.onnx -o model.mlir               import only\n"
      "  quant-opt model.onnx --emit=c -o out/NAME.c      NAME.c + NAME.h\n"
      "  quant-opt model.onnx --emit=obj --target=aarch64-linux-gnu -o "
      "out/NAME.o\n"
      "                                                   NAME.o + NAME.h "
      "(also x86_64-linux-gnu)\n"
      "  quant-opt input.mlir --qnn-fold-qdq ...          run passes\n";
  bool helpAll = false, help = false;
  for (int i = 1; i < argc; ++i) {
    StringRef arg = argv[i];
    if (arg == "--help-all" || arg == "-help-all") {
      argv[i] = const_cast<char *>("--help");
      helpAll = true;
    }
    help |= arg == "--help" || arg == "-help";
  }
  if (help && !helpAll) {
    cl::HideUnrelatedOptions(driverCategory);
    cl::ParseCommandLineOptions(
        argc, argv,
        (overview +
         "\n  -o FILE   output (default: stdout; --emit=c/obj: DIR/NAME.c or "
         "DIR/NAME.o)\n"
         "  --help-all   also every MLIR pass and pass-manager option and "
         "the LLVM options\n")
            .str());
    return 0;
  }

  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, overview, registry);

  if (listOnnxOps) {
    for (const SupportedONNXOp &op : getSupportedONNXOps())
      llvm::outs() << op.opType << " " << op.minOpset << "\n";
    return 0;
  }
  bool isOnnx = StringRef(inputFilename).ends_with(".onnx");
  if (!emitKind.empty() && emitKind != "mlir")
    return runDriver(inputFilename, outputFilename, registry);
  if (!isOnnx)
    return asMainReturnCode(
        MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  // An ONNX input with mlir-opt flags: import, then hand the module (with
  // its node locations) to the regular mlir-opt processing.
  MLIRContext context(registry);
  // Diagnostics name the op and its ONNX node; dumping the whole op (a
  // function with its weights) would bury the message.
  context.printOpOnDiagnostic(false);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = loadInput(inputFilename, context, sourceMgr);
  if (!module)
    return 1;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os, OpPrintingFlags().enableDebugInfo());
  auto output = openOutput(outputFilename);
  if (!output)
    return 1;
  auto config = MlirOptMainConfig::createFromCLOptions();
  if (failed(MlirOptMain(output->os(),
                         llvm::MemoryBuffer::getMemBufferCopy(text,
                                                              inputFilename),
                         registry, config)))
    return 1;
  output->keep();
  return 0;
}
