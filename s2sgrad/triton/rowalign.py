"""Rows kernels addressed from each row's 16-byte boundary (runtime.ROWS["align"]).

A row of odd width (a GPT-2 vocabulary: 50257 columns) starts 4 bytes past a boundary in one row,
8 in the next: a tile addressed from the row's column 0 can only be read and written 4 bytes at a
time.  Here each row's whole column blocks start at its first boundary instead: `head` columns (0
to ALIGN - 1, per row) go with the tail into one partial loop, and the whole blocks address every
array as a row offset that is a multiple of ALIGN plus a block-aligned run of columns, which
tl.multiple_of tells the compiler: 16-byte loads and stores.

What this guarantees: every column of every row is visited exactly once (the partial loop maps its
index c to column c below head and to c + WB from there, WB the whole blocks' columns, the same for
every row); the promise to the compiler is true whenever the host's ALIGN is (runtime.rows_align:
each addressed array contiguous along its rows, row strides congruent modulo ALIGN), and an (M, 1)
operand, one address a row, is addressed as before and promised nothing.  Rows that all start on a
boundary (HEADS False) keep the plain loops: whole blocks from column 0, one partial block.

What it costs: the partial block's stores are scalar (its columns are not one run) while the lanes
it computes with have the whole blocks' 4-wide layout, so Triton converts them through shared
memory (with barriers) in that loop, once a row.  Blocks started at the boundary before each row
instead (tried: the first and last blocks masked, every block one run) had the same conversion in
both masked blocks and one masked block more a row: 4% more instructions at N = 50257.
"""
from __future__ import annotations

import re


def aligned_rows(aligned):
    """The lines before a row block's loops in the aligned form (aligned_loops): head, the columns
    before each row's first ALIGN-element boundary, WB, the columns of the whole blocks from there,
    and each addressed array's row offset there, which the host's choice of ALIGN (runtime.rows_align)
    makes a multiple of ALIGN.  ALIGN 1 (no hint) when the layouts do not allow one; HEADS False
    when every row starts on a boundary already (no head: whole blocks from column 0)."""
    ref = "{}_{}0".format(*aligned[0])
    lines = ["# whole blocks from each row's first 16-byte boundary (runtime.rows_align): vector loads",
             "if HEADS:",
             f"    head = (ALIGN - rows * {ref} % ALIGN) % ALIGN",
             "    WB = (N - ALIGN + 1) // BN * BN",
             "else:",
             "    head = 0",
             "    WB = N // BN * BN"]
    return lines + [f"{n}_{k}row = rows * {n}_{k}0 + head * {n}_{k}1" for n, k in aligned]


_ROW_ADDRESS = re.compile(r"rows \* (\w+)_([so])0 \+ cols \* \1_(?:\2)1")


def aligned_loops(loop, aligned, backwards, partial_first, one_a_row=()):
    """rowloop._column_loops from each row's boundary (aligned_rows): the whole blocks address every
    array as its row offset (a multiple of ALIGN) plus a block-aligned run of columns, which the
    compiler turns into vector loads and stores; one partial loop takes the head columns and the
    tail past the whole blocks, N - WB columns in all."""
    for line in loop:
        for m in _ROW_ADDRESS.finditer(line):
            if m.group(1, 2) not in aligned and m.group(1) not in one_a_row:
                aligned.append(m.group(1, 2))
    body = ["    " + line for line in loop[2:]]

    def address(m):  # (the hint on the tile of offsets: on the (BM, 1) row offsets, which a one-row
        # block folds to a scalar, it failed an assertion in Triton 3.9's axis analysis)
        if m.group(1) in one_a_row:
            return m.group(0)
        return "tl.multiple_of({0}_{1}row + ar * {0}_{1}1, (1, ALIGN))".format(*m.group(1, 2))
    whole_body = ["    " + _ROW_ADDRESS.sub(address, line) for line in loop[2:]]
    # (without heads the partial columns are one run, c + WB, as in rowloop's plain loops: no
    # select, and stores in the lanes' layout)
    partial = ["for c0 in range(0, N - WB, BN):  # the head columns and the tail past the whole blocks",
               "    " + loop[0].replace("cols =", "c =", 1), "    if HEADS:", "        cols = tl.where(c < head, c, c + WB)",
               "    else:", "        cols = c + WB", "    mask = row_ok & (c < N - WB)"] + body
    if backwards:
        whole = ["for i in range(0, WB // BN):  # whole column blocks, last first", "    c0 = (WB // BN - 1 - i) * BN"]
    else:
        whole = ["for c0 in range(0, WB, BN):  # whole column blocks"]
    whole += ["    " + loop[0].replace("cols =", "ar =", 1), "    cols = head + ar", "    mask = row_ok"] + whole_body
    return partial + whole if partial_first or backwards else whole + partial
