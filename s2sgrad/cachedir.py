"""Where compiled artefacts live between processes (Triton kernel modules, numba modules):
$S2SGRAD_CACHE (or ~/.cache/s2sgrad) per kind of artefact, created on first use; a temporary
directory for the process when that cannot be created or written (the cache then lasts one
process: never an error for the user)."""
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
