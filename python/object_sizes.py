"""Code and constant-data bytes of an object file, from binutils' `size -A`."""

import subprocess


def section_sizes(obj):
    """Returns (code bytes, constant data bytes): .text*, and .rodata*/.data*."""
    proc = subprocess.run(["size", "-A", obj], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"size -A {obj} failed: {proc.stderr.strip()}")
    code = data = 0
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            if parts[0].startswith(".text"):
                code += int(parts[1])
            elif parts[0].startswith((".rodata", ".data")):
                data += int(parts[1])
    return code, data
