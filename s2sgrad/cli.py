"""The `s2sgrad` command: show, emit and check generated gradients.

    s2sgrad show  path/to/file.py:function [--wrt a,b] [--variant grad|vjp] [--args "np.ones(3), 2.0"]
    s2sgrad emit  path/to/file.py [more.py ...] [-o generated/]
    s2sgrad check path/to/file.py:function [--wrt a,b] [--directions 5] [--args ...]

Shapes: a module may define `S2SGRAD_EXAMPLES = {"function": (args...) or a callable returning
them}`, or `--args` gives them (a Python expression evaluated in the module's namespace); the
command then specialises the generated code on those arguments' shapes and dtypes (as a first call
would).  Without examples it shows the generic code, which checks shapes at run time.

`check` runs on exactly those example inputs (they are the points where the user knows the
function is defined) and fails on a non-finite value, gradient or finite difference, on a value
that differs from the plain function's, and on a gradient that differs from central finite
differences (testing.check_grads).
User mistakes end with a one-line message and exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import sys

import numpy as np

from .api import Differentiated, differentiate
from .errors import S2SGradError


class CLIError(Exception):
    pass


def _load_module(path):
    if not os.path.isfile(path):
        raise CLIError(f"no such file: {path}")
    path = os.path.abspath(path)
    name = "s2sgrad_cli_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, os.path.dirname(path))
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except S2SGradError:
        raise
    except Exception as e:  # the user's module failed to import: say where, briefly
        raise CLIError(f"importing {path} failed: {type(e).__name__}: {e}") from None
    return module


def _split_target(target):
    if ":" not in target:
        raise CLIError(f"expected path/to/file.py:function, got {target!r}")
    path, _, name = target.rpartition(":")
    return path, name


def _differentiated(module, name, wrt):
    obj = getattr(module, name, None)
    if obj is None:
        raise CLIError(f"{module.__file__} has no function named {name!r}")
    wrt_t = tuple(w.strip() for w in wrt.split(",")) if wrt else None
    if isinstance(obj, Differentiated):
        if wrt_t is None or wrt_t == obj.wrt:
            return obj
        return differentiate(obj.__wrapped_py__, wrt=wrt_t)
    if callable(obj):
        return differentiate(obj, wrt=wrt_t)
    raise CLIError(f"{name!r} in {module.__file__} is not a function")


def _example_args(module, name, expr=None):
    if expr is not None:
        scope = {"np": np, **vars(module)}
        try:
            args = eval(expr, scope)  # the user's own expression, on the user's own command line
        except Exception as e:
            raise CLIError(f"--args {expr!r} failed: {type(e).__name__}: {e}") from None
        return args if isinstance(args, tuple) else (args,)
    examples = getattr(module, "S2SGRAD_EXAMPLES", {}) or {}
    args = examples.get(name)
    if callable(args):
        args = args()
    return tuple(args) if args is not None else None


def _compiled(f, module, name, expr=None):
    args = _example_args(module, name, expr)
    return f.compiled_for(*args) if args is not None else f._generic()


def _highlight(src, color):
    use = color == "always" or (color == "auto" and sys.stdout.isatty())
    if not use:
        return src
    try:
        from pygments import highlight
        from pygments.formatters import TerminalFormatter
        from pygments.lexers import PythonLexer
    except ImportError:
        return src
    return highlight(src, PythonLexer(), TerminalFormatter())


def module_source(compiled):
    """A generated file: imports, then the value_and_grad and grad functions (runnable as is)."""
    parts = []
    for src in (compiled.value_and_grad_source, compiled.grad_source):
        if compiled.guard:
            lines = src.split("\n")
            at = next(i for i, l in enumerate(lines) if l.startswith("def ")) + 1
            lines.insert(at, "    " + compiled.guard)
            src = "\n".join(lines)
        parts.append(src)
    body = "\n\n".join(parts)
    from .runtime import NAMESPACE
    helpers = sorted(n for n in NAMESPACE if n != "np" and f"{n}(" in body)
    head = "import numpy as np\n"
    if helpers:
        head += f"from s2sgrad.runtime import {', '.join(helpers)}\n"
    return head + "\n\n" + body


def cmd_show(args):
    path, name = _split_target(args.target)
    module = _load_module(path)
    f = _differentiated(module, name, args.wrt)
    c = _compiled(f, module, name, args.args)
    src = {"grad": c.grad_source, "vjp": c.seeded_source}.get(args.variant, c.value_and_grad_source)
    sys.stdout.write(_highlight(src, args.color))
    return 0


def cmd_emit(args):
    written = 0
    for path in args.paths:
        written += _emit_file(path, args.output)
    if not written:
        raise CLIError(f"no @differentiate'd functions in {', '.join(args.paths)}")
    return 0


def _emit_file(path, output):
    module = _load_module(path)
    found = [(n, v) for n, v in vars(module).items() if isinstance(v, Differentiated)]
    os.makedirs(output, exist_ok=True)
    stem = os.path.splitext(os.path.basename(path))[0]
    for n, f in found:
        out = os.path.join(output, f"{stem}_{n}.py")
        text = module_source(_compiled(f, module, n))
        tmp = out + ".tmp"
        with open(tmp, "w") as fh:
            fh.write(text)
        os.replace(tmp, out)
        print(f"wrote {out}")
    return len(found)


def cmd_check(args):
    from .testing import check_grads
    path, name = _split_target(args.target)
    module = _load_module(path)
    f = _differentiated(module, name, args.wrt)
    example = _example_args(module, name, args.args)
    if example is None:
        raise CLIError(f"no example inputs for {name}: define S2SGRAD_EXAMPLES = {{{name!r}: (args...)}} "
                       f"in {path} or pass --args, so the check knows where to evaluate")
    try:
        worst = check_grads(f, example, directions=args.directions, rtol=args.rtol, seed=args.seed)
    except AssertionError as e:
        print(f"FAILED: {e}")
        return 1
    print(f"ok: {name} wrt {', '.join(f.wrt)} at the example inputs: value equals the function's, every "
          f"value and gradient is finite, gradients match central finite differences along "
          f"{args.directions} random directions (largest relative error {worst:.2e})")
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="s2sgrad", description="Show, emit and check generated gradients.")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("show", help="print the generated gradient source of a function")
    s.add_argument("target", help="path/to/file.py:function")
    s.add_argument("--wrt", help="comma-separated parameter names (default: the decorator's)")
    s.add_argument("--variant", choices=("value_and_grad", "grad", "vjp"), default="value_and_grad",
                   help="value_and_grad (default), grad (no value), vjp (takes the seed grad_out)")
    s.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    s.add_argument("--args", help="example arguments, a Python expression such as \"np.ones((3, 2)), 0.5\" "
                                  "(default: the module's S2SGRAD_EXAMPLES; without either, the generic code)")
    s.set_defaults(run=cmd_show)
    e = sub.add_parser("emit", help="write the generated sources of every @differentiate'd function in a file")
    e.add_argument("paths", nargs="+", metavar="path")
    e.add_argument("-o", "--output", default="generated", help="output folder (default: generated/)")
    e.set_defaults(run=cmd_emit)
    c = sub.add_parser("check", help="check a value and gradient against the function and finite differences "
                                     "at the example inputs")
    c.add_argument("target", help="path/to/file.py:function")
    c.add_argument("--wrt", help="comma-separated parameter names (default: the decorator's)")
    c.add_argument("--directions", type=int, default=5)
    c.add_argument("--rtol", type=float, default=1e-6)
    c.add_argument("--seed", type=int, default=0, help="random seed of the directions (and output seed)")
    c.add_argument("--args", help="example arguments (default: the module's S2SGRAD_EXAMPLES)")
    c.set_defaults(run=cmd_check)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (CLIError, S2SGradError) as e:
        print(f"s2sgrad: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
