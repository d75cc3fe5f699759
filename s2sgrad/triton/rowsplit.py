"""Split rows (runtime.ROWS["split"]): a row too wide for one program's registers is held by K
programs, one block of BN columns each, which exchange their parts of the row reductions, so that
the row is read from memory once instead of once per phase.

A softmax or cross-entropy over a row of 50257 floats needs the row's max and sum before any
output: a program walking the row in blocks (rowloop.py) reads it twice, 2.47 GB a step at
4096 x 50257 where 1.65 GB (one read, one write) is the least.  Here each program loads its block
once and keeps it in registers (`X_held`); after a phase's loop it reduces its lanes to one value
per reduction -- its part: a max (NaN kept), a sum relative to its own max, a count of ties with
its max, a plain sum -- stores the parts to a scratch buffer, and waits until the row's K programs
have stored theirs.  It then loads the K parts as if they were lanes and finishes them with the
same lines as a single program's lanes (rowloop._row_values): numpy's special rows (NaN anywhere,
a row of -inf) come out as they do there, and a block of -inf in a finite row adds nothing.

What this guarantees:
- every program of a row is resident while it waits: the grid is G groups of K programs that walk
  the rows g, g + G, ..., with G * K at most the programs the GPU holds at once
  (splitgrid.split_capacity, a bound from the launch's warps and register cap), so no program waits
  on one not yet started; and the launch is a cooperative grid where Triton has it
  (splitgrid.cooperative_launch), which the driver refuses to start if it cannot hold it all;
- the parts are published with a release (after a block barrier: every thread's stores first) and
  read after an acquire at GPU scope, through L2 (`.cg`), as a grid barrier does it; a count a row
  and round, zeroed by the host before each launch;
- per-row results (row outputs, whole sums of row results) are written by the row's first program
  only (`row_lead`), tiles by the program that holds their block;
- under the interpreter, which runs one program at a time (a wait would never end), the kernel is
  launched once per exchange round and once more (XCHG = 1, 2, ...): launch r stops each row after
  round r's parts are stored, and the last one reads them all and waits for nothing.  The GPU runs
  XCHG = 0, one launch: the same lines plus the waits.
"""
from __future__ import annotations

import re

_LOAD = re.compile(r"(\w+) = (tl\.load\(\w+_ptr \+ .*)")


def split_arrays(staged):
    """The arrays loaded by more than one phase's loop: what holding a block in registers saves."""
    from .rowloop import phase_reads
    reads = phase_reads(staged)
    return {n for p, r in enumerate(reads) for n in r if any(n in q for q in reads[p + 1:])}


def split_body(ks, ph, staged, exchanges, early, tail, wide):
    """The lines of a split rows kernel's body (module docstring): `staged` and `exchanges` are
    rowloop.rows_body's phases ((lines before the loop, its body, lines after)) and each phase's
    (reductions accumulated in its loop, their lanes); `early` the picks' loads; `tail` the lines
    after every phase (row results, partial sums, label flags).  The row's lines are written twice,
    as the branches of one `if` a program takes for all its phases: for a block inside the row
    (every program's but the last, as a rule), with no column mask -- a compare and a select an
    element and an accumulator fewer: about 39 SASS instructions an element against 56 at 4096 x 50257
    on sm_90 -- and for the last, masked block."""
    rounds = [p for p, (reds, _) in enumerate(exchanges) if reds]
    slots = {s.target: i for i, s in enumerate(s for p in rounds for s in exchanges[p][0])}
    ks.split_shape = (max(len(slots), 1), max(len(rounds), 1))
    top = ["pid = tl.cast(rb, tl.int64)" if wide else "pid = rb", "pid_lin = pid * K + j",
           "rows = pid + tl.arange(0, 1)[:, None]", "row_ok = tl.full((1, 1), 1, tl.int1)",
           "row_lead = row_ok & (j == 0)  # a row's results are written by its first program",
           "c0 = j * BN  # this program's block of the row"] + ks.label_loads() + early
    for n in ks.passes:  # every array is read once
        ks.passes[n] = 1
    whole = _row_lines(ks, ph, staged, exchanges, rounds, slots, tail, True)
    edge = _row_lines(ks, ph, staged, exchanges, rounds, slots, tail, False)
    rest = top + ["if c0 + BN <= N:  # a block inside the row: no column mask"] + ["    " + line for line in whole]
    rest += ["else:  # the row's last block, cut by its end"] + ["    " + line for line in edge]
    return (["K = tl.cdiv(N, BN)  # programs a row (rowsplit.py)", "j = tl.program_id(0) % K"] + ks.scalar_lines()
            + ["for rb in range(tl.program_id(0) // K, M, tl.num_programs(0) // K):"]
            + ["    " + line for line in rest])


def _row_lines(ks, ph, staged, exchanges, rounds, slots, tail, whole):
    """One row's phases (whole: the block inside the row, its column mask dropped), each round's
    exchange, and the tail; what follows round r is under `if XCHG != r + 1` (a constexpr: the
    interpreter's launch r + 1 ends there)."""
    S, R = ks.split_shape
    held = {}  # a load line -> the variable holding what it read
    segments, body = [], []  # the lines before each round's end of an interpreter launch; after the last
    for p, (pre, loop, post) in enumerate(staged):
        body += pre
        for line in loop or []:
            if whole and line == "mask = row_ok & (cols < N)":
                continue
            if whole:  # (the name mask, not a keyword `mask=` nor another name ending in it)
                line = re.sub(r"(?<![\w.])mask(?![\w=])", "row_ok", line)
            m = _LOAD.fullmatch(line)
            if m and line in held:
                body.append(f"{m.group(1)} = {held[line]}  # loaded by an earlier phase: still in registers")
                continue
            body.append(line)
            if m:
                held[line] = f"{m.group(1)}_held"
                body.append(f"{m.group(1)}_held = {m.group(1)}")
        if p in rounds:
            stored, loads = _exchange(rounds.index(p), *exchanges[p], ph, slots, S, R)
            segments.append(body + stored)
            body = loads
        body += post
    rest = body + tail
    for r in reversed(range(len(segments))):  # each later part under its launch's guard (constexpr)
        rest = segments[r] + [f"if XCHG != {r + 1}:  # (the interpreter's launch {r + 1} ends here; the next "
                              "reads every program's part)"] + ["    " + line for line in rest]
    return rest


def _exchange(r, reds, lanes, ph, slots, S, R):
    """Round r: (this program's part of each reduction of `reds` (from its lanes), stored, and the
    wait for the row's other programs; the lines loading their parts in place of the lanes, padded
    with what adds nothing: -inf for a max, 0 for a sum or count)."""
    from .rowloop import _is_max
    out = [f"# round {r}: each program's part of {', '.join(s.target for s in reds)}, exchanged with the "
           "row's other programs"]
    maxima = [s.target for s in reds if _is_max(s)]
    for t in maxima:
        out += [f"{t}_part = tl.max({lanes[t]}, axis=1, keep_dims=True)",
                f"{t}_part = tl.where(tl.max(({lanes[t]} != {lanes[t]}).to(tl.int32), axis=1, keep_dims=True) > 0, "
                f"float('nan'), {t}_part)"]
    for s in reds:
        t, m = s.target, ph.online.get(s.target)
        if t in maxima:
            continue
        if m is None:
            out.append(f"{t}_part = tl.sum({lanes[t]}, axis=1, keep_dims=True)")
        elif ph.online_kind[t] == "count":  # ties with this program's max
            out.append(f"{t}_part = tl.sum(tl.where({lanes[m]} == {m}_part, {lanes[t]}, 0.0), axis=1, "
                       "keep_dims=True)")
        else:  # each lane's sum rescaled to this program's max (a block of -inf: 0, at max -inf)
            out.append(f"{t}_part = tl.sum({lanes[t]} * tl.exp({lanes[m]} - tl.where({m}_part == float('-inf'), "
                       f"0.0, {m}_part)), axis=1, keep_dims=True)")
    for s in reds:
        out.append(f"tl.store(xchg_ptr + (rows * {S} + {slots[s.target]}) * KP + j, {s.target}_part)")
    out += ["if XCHG == 0:  # wait until the row's K programs have stored their parts",
            "    tl.debug_barrier()",
            f"    tl.atomic_add(counts_ptr + pid * {R} + {r}, 1, sem='release', scope='gpu')",
            f"    while tl.atomic_add(counts_ptr + pid * {R} + {r}, 0, sem='acquire', scope='gpu') < K:",
            "        pass",
            "    tl.debug_barrier()"]
    loads = ["kk = tl.arange(0, KP)[None, :]"]
    for s in reds:
        pad = "float('-inf')" if s.target in maxima else "0.0"
        loads.append(f"{lanes[s.target]} = tl.load(xchg_ptr + (rows * {S} + {slots[s.target]}) * KP + kk, mask=kk < K, "
                     f"other={pad}, cache_modifier='.cg')")
    return out, loads

