"""The body of a "rows" kernel: each program owns BM whole rows and walks them in column blocks.

A row may be wider than any block (a GPT-2 vocabulary is 50257 columns; rows past 2**20 could not
be one block at all), so nothing holds a whole row in registers.  The group's statements are split
into phases by the row reductions they depend on:

- an input loaded from memory is known at level 0; an elementwise statement at the highest level
  of what it reads; a row reduction of an expression at level L is complete after phase L's loop
  and known (as one value per row) from level L + 1 on;
- phase p is one loop over the row's column blocks that recomputes, from loads, the elementwise
  statements it needs, accumulates the reductions of level-p expressions, and stores the tiles
  computed at level p (each output is written exactly once);
- every reduction accumulates per lane, in a (BM, BN) accumulator, and is reduced across the row
  once, after its loop: nothing inside a loop waits on a warp shuffle or a block barrier;
- online max/sum: `s = sum(exp(u - m))` with `m = max(u)` over the same row (softmax,
  logsumexp) is accumulated in m's own loop, each lane's sum relative to that lane's running max
  (rescaled when it grows) and rescaled to the row's max after the loop, so a softmax reads its
  input twice (once for max and sum, once for the outputs) instead of three times.  Numpy's
  special cases are kept: a row whose max is -inf gives NaN (numpy's -inf - -inf), a NaN anywhere
  gives NaN.

The block sizes are constexprs chosen by the launcher from the row width; the source holds no
size, so every batch size shares one compiled kernel.

Persistent form (runtime.rows_setting("persistent", N) = k, off by default since 2026-11-30): the
launcher starts k programs per multiprocessor (k under the interpreter) and each walks the row
blocks pid, pid + programs, ...  Meant to keep few rows in flight so that a row's second pass finds
it in L2; on the H200 more programs a multiprocessor, not persistent, won (docs/architecture.md).

Wide rows' whole blocks start at each row's 16-byte boundary (rowalign.py), and divisions by a
finished online sum or tie count multiply by a reciprocal computed once a row (float32 only).
"""
from __future__ import annotations

import re

from ..ir import Call, Name, expr_names
from .onehotsum import closed_form, row_value
from .rowalign import aligned_loops, aligned_rows

ROW_OPS = ("np.sum", ".sum", "np.mean", ".mean", "np.max", ".max", "getitem")  # getitem: x[np.arange(M), labels]


def _is_reduction(s):
    return isinstance(s.value, Call) and s.value.op in ROW_OPS


def _is_pick(s):
    return s.value.op == "getitem"


def _is_max(s):
    return s.value.op in ("np.max", ".max")


class RowPhases:
    """Levels of a rows group's statements (see the module docstring)."""

    def __init__(self, g, shapes=None, keep=()):
        self.g = g
        # sums of the group's (M,) row results are taken after every loop (rows_body), not in one
        self.stmts = [s for s in g.stmts if s.target not in g.row_full]
        self._analyse()
        if shapes is not None:  # sums split by linearity where that saves a pass (rowsums.py)
            from .rowsums import split_row_sums
            split = split_row_sums(self, shapes, keep)
            if split is not None:
                before, stmts = self.phases, self.stmts
                self.stmts = split
                self._analyse()
                if self.phases >= before:
                    self.stmts = stmts
                    self._analyse()

    def _analyse(self):
        self.online, self.online_kind = {}, {}
        self._levels()
        self.online = self._online_pairs()
        self._levels()  # again: an online sum is known one level earlier, and so is what reads it

    def _levels(self):
        self.level = {}      # name -> level at which its value can be read in a loop
        self.in_level = {}   # reduction target -> level of its input (the phase that accumulates it)
        for s in self.stmts:
            if s.target in self.online:  # accumulated in its max's loop
                self.in_level[s.target] = self.in_level[self.online[s.target]]
                self.level[s.target] = self.in_level[s.target] + 1
                continue
            lv = max([self.level[n] for n in expr_names(s.value) if n in self.level] + [0])
            if _is_reduction(s):
                self.in_level[s.target] = lv
                self.level[s.target] = lv + 1
            else:
                self.level[s.target] = lv

    def _online_pairs(self):
        """{sum target: max target} for sums of exp(u - m) where m is the row max of u ("exp": the
        running sum is rescaled when the max grows), and counts of u == m ("count": restarted)."""
        by_target = {s.target: s for s in self.stmts}
        pairs = {}
        for s in self.stmts:
            if not (_is_reduction(s) and s.value.op in ("np.sum", ".sum")):
                continue
            e = _resolve(s.value.args[0], by_target, stop=lambda n: n in by_target and _is_reduction(by_target[n]))
            if isinstance(e, Call) and e.op == "np.exp" and isinstance(e.args[0], Call) and e.args[0].op == "sub":
                kind, (u, m) = "exp", e.args[0].args
            elif isinstance(e, Call) and e.op == "eq":
                kind, (u, m) = "count", (e.args if isinstance(e.args[1], Name) and e.args[1].id in by_target
                                         else e.args[::-1])
            else:
                continue
            if not (isinstance(m, Name) and m.id in by_target and _is_reduction(by_target[m.id])
                    and _is_max(by_target[m.id]) and _keepdims(by_target[m.id]) and _keepdims(s)):
                continue
            mu = _resolve(by_target[m.id].value.args[0], by_target, stop=lambda n: False)
            if _resolve(u, by_target, stop=lambda n: False) == mu and self.level[m.id] == self.in_level[m.id] + 1 \
                    and self.in_level[s.target] == self.level[m.id]:
                pairs[s.target] = m.id
                self.online_kind[s.target] = kind
        return pairs

    @property
    def phases(self):
        ends = [self.in_level[t] for t in self.in_level]
        ends += [self.level[s.target] for s in self.stmts if not _is_reduction(s)]
        return 1 + max(ends + [0])


def _keepdims(s):
    k = s.value.kw("keepdims")
    return k is not None and bool(getattr(k, "value", False))


def _resolve(e, by_target, stop, _open=frozenset()):
    """e with the group's elementwise names replaced by their expressions (stopping at reductions).
    A statement that reads its own target (`z = z - m`: the planner lets no other statement of the
    group read z before it) reads the value z had coming in: that name stays a name."""
    if isinstance(e, Name):
        s = by_target.get(e.id)
        if s is None or e.id in _open or stop(e.id) or _is_reduction(s):
            return e
        return _resolve(s.value, by_target, stop, _open | {e.id})
    if isinstance(e, Call):
        return Call(e.op, tuple(_resolve(a, by_target, stop, _open) for a in e.args), e.kwargs)
    return e


def rows_body(ks, wide):
    """Lines of a rows kernel's body (after its signature), written through KernelSource ks."""
    g = ks.g
    ph = RowPhases(g, ks.shapes, keep={n for n, _ in ks.outputs} | set(ks.full))
    outputs = dict(ks.outputs)  # name -> "tile" | "row"
    full = ks.full
    head = [f"pid = tl.program_id(0){wide}", "pid_lin = pid", "rows = pid * BM + tl.arange(0, BM)[:, None]",
            "if BM == 1:  # a program per row block: a row block of one row always exists, so no row mask",
            "    row_ok = tl.full((1, 1), 1, tl.int1)",
            "else:",
            "    row_ok = rows < M"]
    from .runtime import rows_setting
    N = g.space[1]
    # columns addressed from each row's first 16-byte boundary (rows_setting "align": vector loads
    # and stores where the row width is odd); ks.aligned collects the arrays the loops address
    ks.aligned = [] if rows_setting("align", N) else None
    # (an (M, 1) operand is one element a row, the same address across the row: no vector, no
    # promise about its offset, and its layout does not constrain the others')
    ks.one_a_row = {n for n, v in ks.shapes.items() if len(getattr(v, "shape", None) or ()) == 2
                    and v.shape[1] == 1 and N > 1}
    # split rows (rowsplit.py) have one block a row, and their phases are written for it; where
    # nothing turns out to be read twice (no split), they are written again for the loops
    from .rowsplit import split_arrays, split_body
    from .splitgrid import split_pays, split_possible
    one = split_possible(N)
    passes, counter = dict(ks.passes), ks.counter  # (written again: the same names as when not split)
    staged, exchanges, early, finished = _phases(ks, ph, wide, one)
    ks.split = one and split_pays(split_arrays(staged) - ks.one_a_row)
    if one and not ks.split:
        ks.passes.clear()
        ks.passes.update(passes)
        ks.counter = counter
        staged, exchanges, early, finished = _phases(ks, ph, wide, False)
    writer = "row_lead" if ks.split else "row_ok"  # (split: the row's first program writes its results)
    out = []
    if not ks.split:
        out = early + _with_reuse(staged, N, ks.aligned, ks.one_a_row)
    if ks.aligned:
        head[len(head):] = aligned_rows(ks.aligned)
    # row results (one value per row) and whole-array partial sums, once every loop is done
    for s in g.stmts:
        t = s.target
        if t in g.row_full:  # a sum of row results: its per-row terms, from the finished rows
            ks.env, ks.lines = dict(finished), []
            finished[t] = ks.ex(s.value.args[0])
            out += ks.lines
        if outputs.get(t) == "row":
            out.append(f"tl.store({t}_out + rows * {t}_o0, {ks.stored(t, finished[t])}, mask={writer})")
        if t in full:
            out.append(f"tl.store(partials_ptr + pid_lin * {ks.partial_columns} + {full.index(t)}, "
                       f"tl.sum(tl.where({writer}, {finished[t]}, 0.0)))")
    out += ks.label_flags()
    if ks.split:  # K programs a row, each holding one block (rowsplit.py)
        ks.aligned = None
        return split_body(ks, ph, staged, exchanges, early, out, wide)
    # run-time scalars and labels are known once every statement is written; loaded once, before the loops
    if not ks.persistent:
        return head + ks.scalar_lines() + ks.label_loads() + out
    # persistent (runtime.ROWS["persistent"]): fewer programs than row blocks, each walking row blocks
    # pid, pid + programs, ...; every partial and flag is still indexed by its row block
    head[0] = "pid = tl.cast(rb, tl.int64)" if wide else "pid = rb"  # (rb: a Python int in the interpreter)
    return ks.scalar_lines() + ["for rb in range(tl.program_id(0), tl.cdiv(M, BM), tl.num_programs(0)):"] + [
        "    " + line for line in head + ks.label_loads() + out]


def _phases(ks, ph, wide, one_block):
    """Each phase's (lines before its loop, its loop body or None, lines after); each phase's
    (reductions accumulated in its loop, their lanes); the picks' loads (_picked); the finished
    reductions ({target: kernel variable}).  one_block: the loop runs once a row, its lanes starting
    at -inf (split rows, rowsplit.py), so a max's lanes are its elements, an online sum's lanes 1
    where the element is above -inf and its ties' lanes 1 where it is not NaN: no running max to
    rescale (an exp an element fewer)."""
    g = ks.g
    by_target = {s.target: s for s in ph.stmts}
    outputs = dict(ks.outputs)  # name -> "tile" | "row"
    full = ks.full
    staged = []  # each phase's (lines before its loop, its loop body or None, lines after)
    exchanges = []  # each phase's (reductions accumulated in its loop, their lanes): rowsplit.py
    early = []   # the picks' loads, issued before the row's loops (_picked)
    finished = {}   # reduction target -> kernel variable holding its (BM, 1) value
    dt = ks.dt
    limit = 3.4028234663852886e38 if dt == "tl.float32" else 1.7976931348623157e308  # the float type's max
    own = self_reading(by_target)
    from .runtime import rows_setting
    N = g.space[1]
    # float32 divisions by a finished online sum or tie count (>= 1, or 0, inf, NaN: never a
    # subnormal whose reciprocal overflows) multiply by its reciprocal, rounded once (div_rn) before
    # the loop: Triton's float32 `/` is div.full.f32 (2 ulp) with range scaling per element
    recips = rows_setting("recip", N) and dt == "tl.float32"
    for p in range(ph.phases):
        reds = [s for s in ph.stmts if _is_reduction(s) and ph.in_level[s.target] == p]
        tiles = [s for s in ph.stmts if not _is_reduction(s) and ph.level[s.target] == p and s.target in outputs]
        if not reds and not tiles:
            continue
        # sums of one-hot rows are known before the loop (onehotsum.py): no lanes, no work per element
        closed = {s.target: (e, lab) for s in reds if s.value.op in ("np.sum", ".sum", "np.mean", ".mean")
                  and s.target not in ph.online
                  and (lab := closed_form(e := _resolve(s.value.args[0], by_target, stop=own.__contains__), limit))}
        picks = [s for s in reds if _is_pick(s)]  # one element per row: read after the loop (_picked)
        in_loop = [s for s in reds if s.target not in closed and not _is_pick(s)]
        needed = _needed(in_loop + tiles, by_target, finished, ph.online)
        pre = [f"# phase {p}: " + ", ".join(s.target for s in reds + tiles)]
        ks.env, ks.lines = dict(finished), []
        for t, (e, lab) in closed.items():
            ks.lines.append(f"{t}_acc = {row_value(ks, e, lab)}  # a row sum of one-hot rows: its one entry")
        pre += ks.lines
        accs = {}  # reduction target -> its per-lane accumulator (BM, BN); its row value is target_acc
        for s in in_loop:
            lanes = f"{s.target}_lanes"
            accs[s.target] = lanes
            if _is_max(s):
                pre.append(f"{lanes} = tl.full((BM, BN), float('-inf'), {dt})")
            else:
                pre.append(f"{lanes} = tl.zeros((BM, BN), {dt})")
        ks.env = {t: v for t, v in finished.items()}
        ks.lines = []
        ks.reciprocals = {v: f"{t}_inv" for t, v in finished.items() if recips and t in ph.online}
        ks.reciprocals_used = set()
        ks.lines += ["cols = (c0 + tl.arange(0, BN))[None, :]" + (".to(tl.int64)" if wide else ""),
                     "mask = row_ok & (cols < N)"]
        for s in ph.stmts:
            if s.target not in needed:
                continue
            if _is_reduction(s):
                if s.target in ph.online:
                    continue  # accumulated with its max
                inner = ks.ex(s.value.args[0])
                lanes = accs[s.target]
                if _is_max(s) and one_block:
                    x = ks.bind(f"tl.where(mask, {inner}, float('-inf'))")
                    for t, m in ph.online.items():
                        if m == s.target:
                            test = f"{x} == {x}" if ph.online_kind[t] == "count" else f"{x} > float('-inf')"
                            ks.lines.append(f"{accs[t]} = (mask & ({test})).to({dt})")
                    ks.lines.append(f"{lanes} = {x}")
                elif _is_max(s):
                    x = ks.bind(f"tl.where(mask, {inner}, float('-inf'))")
                    # a NaN stays in its lane's max (one instruction, max.NaN), found after the loop
                    new = ks.bind(f"tl.maximum({lanes}, {x}, propagate_nan=tl.PropagateNan.ALL)")
                    # the sums rescaled by this max are updated below, before its lanes move on
                    for t, m in ph.online.items():
                        if m == s.target and ph.online_kind[t] == "count":
                            # ties with the lane's running max: counted again from 0 whenever it grows
                            ks.lines.append(f"{accs[t]} = tl.where({lanes} == {new}, {accs[t]}, 0.0) + "
                                            f"(mask & ({x} == {new})).to({dt})")
                        elif m == s.target:
                            _online_step(ks, accs[t], new, lanes, x)
                    ks.lines.append(f"{lanes} = {new}")
                else:
                    ks.lines.append(f"{lanes} += tl.where(mask, {inner}, 0.0)")
                continue
            ks.statement(s)
        for s in tiles:
            var = ks.stored(s.target, ks.env[s.target])
            ks.lines.append(f"tl.store({s.target}_out + rows * {s.target}_o0 + cols * {s.target}_o1, {var}, "
                            f"mask=mask{_store_hint(ks.g.space[1])})")
        loop = ks.lines  # the loop body: loads, the needed statements, accumulations, this phase's stores
        pre += [f"{inv} = tl.math.div_rn(1.0, {v})  # the row's reciprocal: one division a row"
                for v, inv in ks.reciprocals.items() if inv in ks.reciprocals_used]
        ks.reciprocals = {}
        post = _row_values(in_loop, accs, ph, full)
        post += [line for s in reds if s.target in closed for line in _row_mean(s, full)]
        for s in picks:
            post += _picked(ks, s, by_target, finished, ph, wide, early)
        finished.update({s.target: f"{s.target}_acc" for s in reds})
        staged.append((pre, loop if in_loop or tiles else None, post))
        exchanges.append((in_loop, accs))
    return staged, exchanges, early, finished


def _picked(ks, s, by_target, finished, ph, wide, early):
    """Lines computing pick s (`x[np.arange(M), labels]`, one element per row) after its phase's
    loop: its input's statements evaluated at the label's column only (loads of one element per
    row), instead of a compare, a select and an add per element inside the loop.  A label out of
    range reads nothing (the host raises LabelIndexError from the kernel's flag).  The loads go
    to `early`, before the row's loops: a kernel's inputs are never its outputs, so the element is
    the same then, and its latency (after the label's own load) is hidden behind the loops instead
    of following them."""
    lab = ks.label(s.value.args[1].elts[1].id)
    ks.env, ks.lines = dict(finished), []
    ks.lines += [f"cols = {lab}" + (".to(tl.int64)" if wide else ""),
                 f"mask = row_ok & ({lab} >= 0) & ({lab} < N)"]
    needed = _needed([s], by_target, finished, ph.online)
    whole_reads = dict(ks.passes)  # the byte count's reads of whole arrays: these loads are one element a row
    for t in ph.stmts:
        if t.target in needed and t is not s:
            assert not _is_reduction(t), t  # level <= the pick's: elementwise, or finished before
            ks.statement(t)
    inner = ks.ex(s.value.args[0])
    ks.passes.clear()
    ks.passes.update(whole_reads)
    ks.lines.append(f"{s.target}_acc = tl.where(mask, {inner}, 0.0)  # the label's column of each row")
    t, lines = s.target, []
    for line in ks.lines:
        m = re.fullmatch(r"(\w+) = (tl\.load\(.*)", line)
        if m is None:
            lines.append(line)
            continue
        if not any(e.startswith(f"{t}_cols = ") for e in early):  # (its column and mask once; by the whole
            # name: lp_item_cols is inside xlp_item_cols)
            early += [f"# {t}: the label's column of each row, loaded before the loops",
                      f"{t}_cols = {ks.lines[0].split(' = ', 1)[1]}", f"{t}_mask = {ks.lines[1].split(' = ', 1)[1]}"]
        load = re.sub(r"\bcols\b", f"{t}_cols", m.group(2)).replace("mask=mask", f"mask={t}_mask")
        early.append(f"{m.group(1)}_at_{t} = {load}")
        lines.append(f"{m.group(1)} = {m.group(1)}_at_{t}")
    return [f"# {t}: one element per row"] + lines


def _with_reuse(staged, N, aligned=None, one_a_row=()):
    """The phases' lines, with what a second read of an array needs to find it in L2: an array a
    later loop reads again is loaded with evict_last (kept), its last read with evict_first (its
    lines go first, making room), and a loop that reads again what an earlier one read walks the
    row backwards, from the blocks that loop read last (the likeliest to be in L2 still); "hints"
    and "backwards" are one of the two, "partial_first" only starts that loop with the row's
    partial block (then the whole blocks forwards).  Loads read each element once either way; only
    cache policy and order change."""
    from .runtime import rows_setting
    mode = rows_setting("reuse", N)
    reads = phase_reads(staged) if mode else [set() for _ in staged]
    out = []
    for p, (pre, loop, post) in enumerate(staged):
        if loop is None:
            out += pre + post
            continue
        again = {n for n in reads[p] if any(n in r for r in reads[p + 1:])}
        last = {n for n in reads[p] if any(n in r for r in reads[:p])} - again
        hints = {**{n: "evict_last" for n in again}, **{n: "evict_first" for n in last}} if mode in (True, "hints") \
            else {}
        loop = [re.sub(r"(tl\.load\((\w+)_ptr \+ [^()]*other=0\.0)\)",
                       lambda m: f"{m.group(1)}, eviction_policy='{hints[m.group(2)]}')" if m.group(2) in hints
                       else m.group(0), line) for line in loop]
        out += pre + _column_loops(loop, backwards=bool(last) and mode in (True, "backwards"),
                                   partial_first=bool(last) and mode == "partial_first", aligned=aligned,
                                   one_a_row=one_a_row) + post
    return out


def phase_reads(staged):
    """The arrays each phase's loop loads (a set a phase; empty where it has no loop)."""
    return [set(re.findall(r"tl\.load\((\w+)_ptr \+", "\n".join(loop))) if loop else set() for _, loop, _ in staged]


def _store_hint(N):
    """The tile stores' cache hint (runtime.rows_setting("store", N)): an eviction policy, or a
    cache modifier (".cs": streaming, the lines are not expected to be read again)."""
    from .runtime import rows_setting
    hint = rows_setting("store", N)
    if not hint:
        return ""
    return f", cache_modifier='{hint}'" if hint.startswith(".") else f", eviction_policy='{hint}'"


def _column_loops(loop, backwards=False, partial_first=False, aligned=None, one_a_row=()):
    """A phase's loop over the row's column blocks, as two loops with one body: the whole blocks,
    where every column exists and the body's masks are only the row mask (none at all for one row a
    program: its selects and predicated loads fold away), then the last, partial block if N is not
    a multiple of BN.  The column mask costs a compare and a select per element and per
    accumulator, a tenth of the cross-entropy's first loop."""
    cols, body = loop[0], ["    " + line for line in loop[2:]]
    assert loop[1] == "mask = row_ok & (cols < N)", loop[1]
    if aligned is not None:
        return aligned_loops(loop, aligned, backwards, partial_first, one_a_row)
    partial = ["for c0 in range(N // BN * BN, N, BN):  # the partial block, if any", "    " + cols,
               "    " + loop[1]] + body
    if backwards:  # (_with_reuse) the partial block first, then the whole blocks from the row's end
        # (counted up and mapped down: a range with a negative step lost the loads' vectorisation
        # and put barriers in the loop on sm_90)
        return partial + ["for i in range(0, N // BN):  # whole column blocks, last first",
                          "    c0 = (N // BN - 1 - i) * BN", "    " + cols, "    mask = row_ok"] + body
    whole = ["for c0 in range(0, N // BN * BN, BN):  # whole column blocks", "    " + cols, "    mask = row_ok"] + body
    # ("partial_first": the same loops in the other order -- at 32 warps, where a thread has 64
    # registers, the cross-entropy's second pass compiled so without the spill the other order had)
    return partial + whole if partial_first else whole + partial


def _online_step(ks, lanes, new_max, old_max, x):
    """One lane's running sum of exp(u - m) takes element x (-inf outside the row): with
    e = exp(lower - new max) of the old max and x, the sum is rescaled (x is the new max: s * e + 1)
    or grows (s + e), so one exp per element.  While both are -inf, e is 0 rather than
    exp(-inf - -inf); a NaN x makes the lane's max and sum NaN."""
    lo = ks.bind(f"tl.minimum({old_max}, {x})")
    e = ks.bind(f"tl.exp(tl.where({new_max} == float('-inf'), float('-inf'), {lo} - {new_max}))")
    ks.lines.append(f"{lanes} = tl.where({x} > {old_max}, {lanes} * {e} + 1.0, {lanes} + {e})")


def _row_mean(s, full):
    """The line dividing a row mean's sum by N (none for a sum, or a whole mean: the launcher divides)."""
    if s.value.op in ("np.mean", ".mean") and s.target not in full:
        return [f"{s.target}_acc = {s.target}_acc / N"]
    return []


def self_reading(by_target):
    """The targets whose statement reads its own target (`W = W * 2.0`): an expression resolved for
    emission keeps them as names (_resolve's stop), since inlined their W would be read where W
    already holds the new value."""
    return {t for t, st in by_target.items() if t in expr_names(st.value)}


def _row_values(reds, lanes, ph, full):
    """Lines after a phase's loop: each reduction's per-lane accumulator reduced across its row, once
    (the loop itself never reduces across lanes, so nothing in it waits on other threads), with
    numpy's special rows: a NaN anywhere makes the max NaN (a lane's max keeps it; tl.max across
    lanes would drop it, so the lanes are tested for NaN first), which no element equals and which
    makes the online sum NaN; a row whose max is -inf has a NaN sum (numpy's -inf - -inf)."""
    post = []
    for s in reds:  # maxima first: their partners combine lanes relative to the row's max
        if _is_max(s):
            t = s.target
            post += [f"{t}_nan = tl.max(({lanes[t]} != {lanes[t]}).to(tl.int32), axis=1, keep_dims=True)",
                     f"{t}_acc = tl.max({lanes[t]}, axis=1, keep_dims=True)"]
    for s in reds:
        t, m = s.target, ph.online.get(s.target)
        if _is_max(s):
            continue
        if m is not None and ph.online_kind[t] == "count":  # the ties of lanes that hold the row's max
            post += [f"{t}_acc = tl.sum(tl.where({lanes[m]} == {m}_acc, {lanes[t]}, 0.0), axis=1, keep_dims=True)",
                     f"{t}_acc = tl.where({m}_nan > 0, 0.0, {t}_acc)"]
        elif m is not None:  # each lane's sum, rescaled from its own max to the row's
            ref = f"tl.where({m}_acc == float('-inf'), 0.0, {m}_acc)"
            post += [f"{t}_acc = tl.sum({lanes[t]} * tl.exp({lanes[m]} - {ref}), axis=1, keep_dims=True)",
                     f"{t}_acc = tl.where(({m}_nan > 0) | ({m}_acc == float('-inf')), float('nan'), {t}_acc)"]
        else:
            post.append(f"{t}_acc = tl.sum({lanes[t]}, axis=1, keep_dims=True)")
        post += _row_mean(s, full)
    post += [f"{s.target}_acc = tl.where({s.target}_nan > 0, float('nan'), {s.target}_acc)"
             for s in reds if _is_max(s)]
    return post


def _needed(roots, by_target, finished, online):
    """Targets the loop must compute for roots: their elementwise producers, not finished reductions
    (nor an online sum's own input: it is computed from its max's input)."""
    need, stack = set(), [s.target for s in roots]
    while stack:
        t = stack.pop()
        if t in need or t in finished or t not in by_target:
            continue
        need.add(t)
        if t in online:
            stack.append(online[t])
            continue
        stack += list(expr_names(by_target[t].value))
    return need
