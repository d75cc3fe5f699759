import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

# Triton kernels run in Triton's interpreter when there is no GPU; it must be chosen before
# anything imports triton.  With a CUDA device the same tests run on the GPU.
if "TRITON_INTERPRET" not in os.environ:
    try:
        import torch
        _cuda = torch.cuda.is_available()
    except ImportError:
        _cuda = False
    if not _cuda:
        os.environ["TRITON_INTERPRET"] = "1"


import pytest  # noqa: E402


@pytest.fixture
def disk_cache(tmp_path, monkeypatch):
    """$S2SGRAD_CACHE set to an empty directory for the test (s2sgrad's and numba's disk caches)."""
    monkeypatch.setenv("S2SGRAD_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"
