"""The `s2sgrad` command: show, emit and check generated gradients.

    s2sgrad show  path/to/file.py:function [--wrt a,b] [--variant grad|vjp|jvp|hvp] [--args "np.ones(3), 2.0"]
    s2sgrad emit  path/to/file.py [more.py ...] [-o generated/]
    s2sgrad check path/to/file.py:function [--wrt a,b] [--directions 5] [--args ...] [--cotangent ...]
    s2sgrad --version

Shapes: a module may define `S2SGRAD_EXAMPLES = {"function": (args...) or a callable returning
them}`, or `--args` gives them (a Python expression evaluated in the module's namespace); the
command then specialises the generated code on those arguments' shapes and dtypes (as a first call
would).  Without examples it shows the generic code, which checks shapes at run time.

`check` runs on exactly those example inputs (they are the points where the user knows the
function is defined) and fails on a non-finite value, gradient or finite difference, on a value
that differs from the plain function's, and on a gradient that differs from central finite
differences (testing.check_grads).
A function with a non-scalar output is checked through a cotangent: `--cotangent EXPR` (evaluated
like `--args`; a scalar is spread to the output's shape), or a random normal one (`--seed`).

Importing: the file is imported as a module named `s2sgrad_cli_<stem>`, so code under
`if __name__ == "__main__":` does not run; other top-level code does, and the command says so on
stderr (naming the lines) before importing a file that has statements beyond definitions.

User mistakes end with a one-line message and exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import ast
import importlib.util
import os
import re
import sys

import numpy as np

from .api import Differentiated, differentiate
from .cachedir import write_atomically
from .errors import S2SGradError


class CLIError(Exception):
    pass


# top-level statements that only define things: importing a module made of these runs nothing else
_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign,
                ast.AnnAssign, ast.Pass)


def _is_main_guard(node):
    return (isinstance(node, ast.If) and isinstance(node.test, ast.Compare)
            and isinstance(node.test.left, ast.Name) and node.test.left.id == "__name__")


def script_lines(text):
    """Line numbers of top-level statements that do more than define (calls, loops, prints) and are
    not under an `if __name__ == "__main__":` guard: what importing the file runs besides definitions.
    Assignments count as definitions unless their value calls something other than numpy or a
    lambda (`X = np.ones(3)` defines; `losses = train()` runs the training)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return []
    out = []
    for i, node in enumerate(tree.body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if _is_main_guard(node) or _sys_path(node):
            continue
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            if all(_numpy_call(c) for c in _calls_run_now(node.value)):
                continue
            out.append(node.lineno)
        elif not isinstance(node, _DEFINITIONS):
            out.append(node.lineno)
    return out


def _calls_run_now(node):
    """The calls an expression makes when evaluated (not those inside a lambda's body)."""
    if isinstance(node, ast.Lambda):
        return []
    out = [node] if isinstance(node, ast.Call) else []
    for child in ast.iter_child_nodes(node):
        out += _calls_run_now(child)
    return out


def _sys_path(node):
    """`sys.path.insert(...)`: the usual set-up line of an example script, not script code."""
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func).startswith("sys.path."))


def _numpy_call(call):
    f = call.func
    while isinstance(f, ast.Attribute):
        f = f.value
    return isinstance(f, ast.Name) and f.id in ("np", "numpy", "dict", "tuple", "list", "float", "int")


def _load_module(path):
    if not os.path.isfile(path):
        raise CLIError(f"no such file: {path}")
    path = os.path.abspath(path)
    with open(path, encoding="utf-8") as fh:
        runs = script_lines(fh.read())
    if runs:
        shown = ", ".join(map(str, runs[:8])) + (", ..." if len(runs) > 8 else "")
        print(f"s2sgrad: note: importing {path} runs its top-level code, including the statements at "
              f"line{'s' if len(runs) > 1 else ''} {shown} (not under `if __name__ == \"__main__\":`, which "
              f"the command never runs)", file=sys.stderr)
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


def _eval(module, expr, option):
    scope = {"np": np, **vars(module)}
    try:
        return eval(expr, scope)  # the user's own expression, on the user's own command line
    except Exception as e:
        raise CLIError(f"{option} {expr!r} failed: {type(e).__name__}: {e}") from None


def _example_args(module, name, expr=None):
    if expr is not None:
        args = _eval(module, expr, "--args")
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
    # auto: colour on a terminal, never when piped or when NO_COLOR is set (no-color.org)
    use = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
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
    helpers = sorted(n for n in NAMESPACE if n != "np" and (
        f"{n}(" in body if callable(NAMESPACE[n]) else re.search(rf"\b{n}\b", body)))
    head = "import numpy as np\n"
    if helpers:
        head += f"from s2sgrad.runtime import {', '.join(helpers)}\n"
    return head + "\n\n" + body


def cmd_show(args):
    path, name = _split_target(args.target)
    module = _load_module(path)
    f = _differentiated(module, name, args.wrt)
    if args.variant in ("jvp", "hvp"):
        return _show_forward(f, module, name, args)
    try:
        c = _compiled(f, module, name, args.args)
    except S2SGradError as e:
        if args.args is None and _example_args(module, name) is None:
            raise CLIError(f"{e}\n(this is the generic variant, argument shapes unknown; with --args \"...\" the "
                           "code is generated for those arguments, which may compile)") from None
        raise
    src = {"grad": c.grad_source, "vjp": c.seeded_source}.get(args.variant, c.value_and_grad_source)
    sys.stdout.write(_highlight(src, args.color))
    return 0


def _show_forward(f, module, name, args):
    """`show --variant jvp` (the tangent code) or `--variant hvp` (the Hessian-vector product's
    code: the tangent code differentiated again); both need example arguments."""
    from . import higher
    example = _example_args(module, name, args.args)
    if example is None:
        raise CLIError(f"--variant {args.variant} needs example arguments: --args \"...\" or S2SGRAD_EXAMPLES")
    if args.variant == "jvp":
        src = higher.jvp_source(f, *example)
    else:
        src = higher.hvp_source(f, *example, wrt=f.wrt[0] if isinstance(f.wrt[0], str) else 0)
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
        write_atomically(out, module_source(_compiled(f, module, n)))
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
    cotangent = None
    if args.cotangent is not None:
        cotangent = _eval(module, args.cotangent, "--cotangent")
    try:
        worst = check_grads(f, example, directions=args.directions, rtol=args.rtol, seed=args.seed,
                            grad_seed=cotangent)
    except AssertionError as e:
        print(f"FAILED: {e}")
        return 1
    out = np.shape(f.__wrapped_py__(*example))
    through = ""
    if out != ():
        through = (f" through the cotangent {args.cotangent}" if cotangent is not None else
                   f" through a random normal cotangent of shape {out} (--seed {args.seed}; --cotangent to choose one)")
    from .testing import LAST_FORWARD_CHECK
    forward = LAST_FORWARD_CHECK["result"]
    fwd = ("; forward mode (jvp) agrees with them along the same directions" if forward == "agrees" else
           f"; forward mode {forward}" if forward else "")
    print(f"ok: {name} wrt {', '.join(f.wrt)} at the example inputs{through}: value equals the function's, every "
          f"value and gradient is finite, gradients match central finite differences along "
          f"{args.directions} random directions (largest relative error {worst:.2e}){fwd}")
    return 0


def build_parser():
    from . import __version__
    p = argparse.ArgumentParser(prog="s2sgrad", description="Show, emit and check generated gradients. The file "
                                "is imported as a module (code under `if __name__ == \"__main__\":` does not run).")
    p.add_argument("--version", action="version", version=f"s2sgrad {__version__}",
                   help="print the version and exit")
    sub = p.add_subparsers(dest="command", required=True, metavar="{show,emit,check}",
                           help="what to do (`s2sgrad COMMAND -h` lists its options)")
    target = "path/to/file.py:function"
    args_help = ("example arguments, a Python expression evaluated in the module's namespace with np bound, "
                 "such as \"np.ones((3, 2)), 0.5\" (default: the module's S2SGRAD_EXAMPLES[function])")
    wrt_help = "comma-separated parameter names to differentiate with respect to (default: the decorator's)"
    s = sub.add_parser("show", help="print the generated gradient source of a function",
                       description="Print the generated gradient source of a function, specialised on example "
                                   "arguments (--args or S2SGRAD_EXAMPLES); without either, the generic variant, "
                                   "whose header says so.")
    s.add_argument("target", help=target)
    s.add_argument("--wrt", help=wrt_help)
    s.add_argument("--variant", choices=("value_and_grad", "grad", "vjp", "jvp", "hvp"), default="value_and_grad",
                   help="value_and_grad (default), grad (no value), vjp (takes the seed grad_out), jvp (forward "
                        "mode: the tangent code), hvp (the Hessian-vector product w.r.t. the first wrt argument: "
                        "the tangent code differentiated again)")
    s.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="syntax colours: auto (default: on a terminal, when pygments is installed and NO_COLOR is "
                        "not set), always, never")
    s.add_argument("--args", help=args_help + "; without either, the generic code")
    s.set_defaults(run=cmd_show)
    e = sub.add_parser("emit", help="write the generated sources of every @differentiate'd function in files",
                       description="Write <stem>_<function>.py for every @differentiate'd function of each file: "
                                   "runnable Python, specialised on S2SGRAD_EXAMPLES when the module gives them.")
    e.add_argument("paths", nargs="+", metavar="path", help="Python files to read")
    e.add_argument("-o", "--output", default="generated", help="output folder (default: generated/)")
    e.set_defaults(run=cmd_emit)
    c = sub.add_parser("check", help="check a value and gradient against the function and finite differences "
                                     "at the example inputs",
                       description="Check the value and every generated gradient variant against the plain "
                                   "function and central finite differences (float64) at the example inputs; "
                                   "exit status 1 on a mismatch or a NaN/inf.")
    c.add_argument("target", help=target)
    c.add_argument("--wrt", help=wrt_help)
    c.add_argument("--directions", type=int, default=5, help="random directions to compare along (default 5)")
    c.add_argument("--rtol", type=float, default=1e-6,
                   help="relative tolerance against finite differences (default 1e-6)")
    c.add_argument("--seed", "--random-seed", dest="seed", type=int, default=0,
                   help="random seed of the directions and of the random cotangent (default 0)")
    c.add_argument("--cotangent", metavar="EXPR",
                   help="for a non-scalar output: the cotangent (the vector of the vector-Jacobian product), "
                        "an expression like --args; a scalar is spread to the output's shape (default: random normal)")
    c.add_argument("--args", help=args_help)
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
