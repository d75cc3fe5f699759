"""Frontend: Python source -> s2sgrad IR (source lookup, libcst parsing, fence, name resolution)."""
from .lower import parse_function

__all__ = ["parse_function"]
