"""Compile generated kernels for a real GPU target without a GPU.

The interpreter accepts things a GPU compiler refuses (dots with K < 16, blocks that are not powers
of two, `**` on tensors); compiling every kernel a run launched, for `GPUTarget("cuda", 90, 32)`,
catches them on a machine with no GPU.  The interpreter patches `triton.language` in its process,
so the compilation runs in a fresh Python process (`python -m s2sgrad.triton.gpucheck`).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile


def _const(v):
    if isinstance(v, int):
        return v
    return f"tl.{getattr(v, 'name', str(v)).replace('fp64', 'float64').replace('fp32', 'float32')}"


def compile_logged(module_text, launches, arch=90):
    """Compile each logged (kernel, argument types, constexprs) from `module_text` for sm_<arch>.
    Returns {kernel name: bytes of PTX}; raises RuntimeError with the compiler's message."""
    with tempfile.TemporaryDirectory(prefix="s2sgrad_gpucheck_") as d:
        mod = os.path.join(d, "kernels_under_test.py")
        with open(mod, "w") as fh:
            fh.write(module_text)
        log = [{"kernel": getattr(k, "__name__", None) or k.fn.__name__, "types": t,
                "consts": {n: _const(v) for n, v in c.items()}} for k, t, c in launches]
        spec = os.path.join(d, "launches.json")
        with open(spec, "w") as fh:
            json.dump(log, fh)
        env = dict(os.environ)
        env.pop("TRITON_INTERPRET", None)
        proc = subprocess.run([sys.executable, "-m", "s2sgrad.triton.gpucheck", mod, spec, str(arch)],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"GPU compilation failed:\n{proc.stderr[-4000:]}")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def _main(mod_path, log_path, arch):
    import importlib.util

    import triton
    import triton.language as tl
    from triton.backends.compiler import GPUTarget
    from triton.compiler import ASTSource
    spec = importlib.util.spec_from_file_location("kernels_under_test", mod_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = {}
    for entry in json.load(open(log_path)):
        fn = getattr(module, entry["kernel"])
        consts = {k: (eval(v, {"tl": tl}) if isinstance(v, str) else v) for k, v in entry["consts"].items()}
        params = [p for p in fn.arg_names if p not in consts]
        signature = dict(zip(params, entry["types"]))
        signature.update({k: "constexpr" for k in consts})
        compiled = triton.compile(ASTSource(fn=fn, signature=signature, constexprs=consts),
                                  target=GPUTarget("cuda", arch, 32))
        out[entry["kernel"]] = len(compiled.asm["ptx"])
    print(json.dumps(out))


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
