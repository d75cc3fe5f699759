"""Finding a function's source text and mapping positions back to the user's file."""
from __future__ import annotations

import inspect
import textwrap
import types
from dataclasses import dataclass

from ..errors import SourceUnavailableError
from ..ir import Loc


@dataclass(frozen=True)
class SourceInfo:
    text: str        # dedented source of the function (decorators included)
    file: str        # path of the file it came from
    first_line: int  # 1-based line of text's first line in that file
    indent: int      # columns removed by dedent
    lines: tuple     # the dedented lines, for error carets

    def loc(self, line: int, col: int) -> Loc:
        """Loc for a 1-based line / 0-based column of the dedented text."""
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return Loc(self.file, self.first_line + line - 1, col + self.indent, " " * self.indent + raw)


def own_code(fn):
    """What inspect reads fn's source from: a function's own code object, never the function a
    decorator's functools.wraps names in __wrapped__ (inspect would follow it, and the wrapper's
    work -- `scale * fn(*args)` -- would be left out of the derivative)."""
    return fn.__code__ if isinstance(fn, types.FunctionType) else fn


def get_source(fn) -> SourceInfo:
    name = getattr(fn, "__qualname__", repr(fn))
    try:
        lines, first = inspect.getsourcelines(own_code(fn))
        file = inspect.getsourcefile(own_code(fn)) or inspect.getfile(own_code(fn))
    except (OSError, TypeError) as e:
        raise SourceUnavailableError(
            f"cannot read the source of {name}: {e}. s2sgrad compiles from source, so the function "
            "must be defined in a file (a module, a test, a notebook cell), not typed at the REPL or "
            "created by exec/eval/lambda") from None
    raw = "".join(lines)
    if getattr(fn, "__name__", None) == "<lambda>" and not _parses(textwrap.dedent(raw)):
        # a lambda inside a bracket over several lines (ACTS = {"relu": lambda x: ...,\n ...}): inspect
        # gives its line alone, which does not parse; the whole file does (frontend/lower._lambda_def
        # finds the lambda by its line)
        lines, first = inspect.findsource(own_code(fn))[0], 1
        raw = "".join(lines)
    text = textwrap.dedent(raw)
    first_src = next((l for l in lines if l.strip()), "")
    first_ded = next((l for l in text.splitlines() if l.strip()), "")
    indent = len(first_src) - len(first_src.lstrip()) - (len(first_ded) - len(first_ded.lstrip()))
    return SourceInfo(text, file, max(first, 1), indent, tuple(text.splitlines()))


def _parses(text) -> bool:
    try:
        compile(text, "<source>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True
