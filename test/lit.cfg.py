# -*- Python -*-
"""lit configuration of the QuantOpt regression and integration tests."""

import os
import shutil
import subprocess

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "QuantOpt"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "Unit"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantopt_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

config.substitutions.append(("%PYTHON", "/usr/bin/python3"))
config.substitutions.append(("%quantopt_src", config.quantopt_src_root))
config.substitutions.append(("%host_cc", config.host_cc))
# Objects are inspected with LLVM 22's binutils; the unsuffixed llvm-* on
# PATH may be another LLVM, so they are substituted by full path
# (%llvm_nm, %llvm_objdump, %llvm_readelf).
for tool in ["llvm-nm", "llvm-objdump", "llvm-readelf"]:
    path = os.path.join(config.llvm_tools_dir, tool)
    if not os.path.exists(path):
        lit_config.fatal("%s not found in %s" % (tool, config.llvm_tools_dir))
    config.substitutions.insert(0, ("%" + tool.replace("-", "_"), path))

# Every tool a RUN line names comes from the build or LLVM 22, never from an
# unsuffixed LLVM elsewhere on PATH.
tools = [
    ToolSubst("quant-opt", unresolved="fatal"),
    ToolSubst("mlir-opt", unresolved="fatal"),
    ToolSubst("mlir-translate", unresolved="fatal"),
]
llvm_config.add_tool_substitutions(
    tools, [config.quantopt_tools_dir, config.llvm_tools_dir])

if config.integration_tests:
    config.available_features.add("integration")
if shutil.which("qemu-aarch64") and shutil.which("aarch64-linux-gnu-gcc"):
    config.available_features.add("qemu-aarch64")
if os.path.isdir("/usr/share/datasets/fashion-mnist"):
    config.available_features.add("fashion-mnist")
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-testdata")
if subprocess.run(["/usr/bin/python3", "-c", "import torch"],
                  capture_output=True).returncode == 0:
    config.available_features.add("torch")
node_modules = os.path.join(config.quantopt_src_root, "ort", "node_modules",
                            "onnxruntime-node")
if shutil.which("node") and os.path.isdir(node_modules):
    config.available_features.add("onnxruntime")
