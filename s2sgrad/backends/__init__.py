"""Compiled backends that consume the compiler's output (compiler.Compiled and each variant's IR):
`numba/` (compiled CPU code).  The Triton backend lives in s2sgrad/triton/."""
