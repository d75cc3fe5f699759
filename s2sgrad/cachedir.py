"""Where compiled artefacts live between processes (Triton kernel modules, numba modules):
$S2SGRAD_CACHE (or ~/.cache/s2sgrad) per kind of artefact, created on first use; a temporary
directory for the process when that cannot be created or written (the cache then lasts one
process: never an error for the user).  Files there are written whole or not at all
(`write_atomically`), and a file named by a digest of its text is checked against it (`holds`)."""
from __future__ import annotations

import os
import tempfile

_FALLBACK: dict = {}


def cache_dir(kind: str, env_is_the_directory: bool = False) -> str:
    """The directory for `kind`; with `env_is_the_directory`, $S2SGRAD_CACHE itself (not a
    subdirectory of it) when it is set -- how the Triton backend has always read it."""
    env = os.environ.get("S2SGRAD_CACHE")
    if env:
        d = env if env_is_the_directory else os.path.join(env, kind)
    else:
        d = os.path.join(os.path.expanduser("~"), ".cache", "s2sgrad", kind)
    try:
        os.makedirs(d, exist_ok=True)
        if os.access(d, os.W_OK):
            return d
    except OSError:
        pass
    if kind not in _FALLBACK:
        _FALLBACK[kind] = tempfile.mkdtemp(prefix=f"s2sgrad_{kind}_")
    return _FALLBACK[kind]


def write_atomically(path: str, text: str) -> None:
    """`text` written to `path` through a temporary file beside it and a rename: a reader (another
    process) sees the old file or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def holds(path: str, text: str) -> bool:
    """Whether the file at `path` exists and its content is exactly `text`."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read() == text
    except (OSError, UnicodeDecodeError):
        return False
