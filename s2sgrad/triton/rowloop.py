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
- online max/sum: `s = sum(exp(u - m))` with `m = max(u)` over the same row (softmax,
  logsumexp) is accumulated in m's own loop, rescaling the running sum by exp(m_old - m_new)
  whenever the running max grows, so a softmax reads its input twice (once for max and sum,
  once for the outputs) instead of three times.  Numpy's special cases are kept: a row whose max
  is -inf gives NaN (numpy's -inf - -inf), a NaN anywhere gives NaN.

The block sizes are constexprs chosen by the launcher from the row width; the source holds no
size, so every batch size shares one compiled kernel.

Persistent form (runtime.ROWS["persistent"] = k, off by default): the launcher starts k programs per
multiprocessor (k under the interpreter) and each walks the row blocks pid, pid + programs, ...  Few
rows are then in flight at once, so a row's second pass can find it in L2 (a 4096x50257 float32 row
is 201 KB; 132 rows are 26 MB): the cross-entropy's two reads of the logits could cost one read
from memory.  Not measured on a GPU yet (bench/gpu_bench.py sweeps it on the cross-entropy row).
"""
from __future__ import annotations

from ..ir import Call, Name, expr_names

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
    by_target = {s.target: s for s in ph.stmts}
    outputs = dict(ks.outputs)  # name -> "tile" | "row"
    full = ks.full
    head = [f"pid = tl.program_id(0){wide}", "pid_lin = pid", "rows = pid * BM + tl.arange(0, BM)[:, None]",
            "row_ok = rows < M"]
    out = []
    finished = {}   # reduction target -> kernel variable holding its (BM, 1) value
    dt = ks.dt
    for p in range(ph.phases):
        reds = [s for s in ph.stmts if _is_reduction(s) and ph.in_level[s.target] == p]
        tiles = [s for s in ph.stmts if not _is_reduction(s) and ph.level[s.target] == p and s.target in outputs]
        if not reds and not tiles:
            continue
        needed = _needed(reds + tiles, by_target, finished, ph.online)
        pre, post = [f"# phase {p}: " + ", ".join(s.target for s in reds + tiles)], []
        accs = {}
        for s in reds:
            acc = f"{s.target}_acc"
            accs[s.target] = acc
            if _is_max(s):
                pre += [f"{acc} = tl.full((BM, 1), float('-inf'), {dt})", f"{acc}_nan = tl.zeros((BM, 1), tl.int32)"]
            else:
                pre.append(f"{acc} = tl.zeros((BM, 1), {dt})")
        ks.env = {t: v for t, v in finished.items()}
        ks.lines = []
        ks.lines += ["cols = (c0 + tl.arange(0, BN))[None, :]" + (".to(tl.int64)" if wide else ""),
                     "mask = row_ok & (cols < N)"]
        for s in ph.stmts:
            if s.target not in needed:
                continue
            if _is_reduction(s):
                if s.target in ph.online:
                    continue  # accumulated with its max
                inner = ks.ex(s.value.args[0])
                acc = accs[s.target]
                if _is_pick(s):  # the one column of the row that its label names
                    lab = ks.label(s.value.args[1].elts[1].id)
                    ks.lines.append(f"{acc} += tl.sum(tl.where(mask & (cols == {lab}), {inner}, 0.0), axis=1, "
                                    "keep_dims=True)")
                elif _is_max(s):
                    x = ks.bind(f"tl.where(mask, {inner}, float('-inf'))")
                    ks.lines.append(f"{acc}_nan = tl.maximum({acc}_nan, tl.max(({x} != {x}).to(tl.int32), axis=1, "
                                    "keep_dims=True))")
                    if any(m == s.target for m in ph.online.values()):
                        new = ks.bind(f"tl.maximum({acc}, tl.max({x}, axis=1, keep_dims=True))")
                        # the sums rescaled by this max are updated below, before acc moves on
                        for t, m in ph.online.items():
                            if m == s.target and ph.online_kind[t] == "count":
                                # ties with the running max: counted again from 0 whenever it grows
                                ks.lines.append(f"{accs[t]} = tl.where({acc} == {new}, {accs[t]}, 0.0) + tl.sum("
                                                f"(mask & ({x} == {new})).to({dt}), axis=1, keep_dims=True)")
                            elif m == s.target:
                                _online_step(ks, accs[t], new, acc, x)
                        ks.lines.append(f"{acc} = {new}")
                    else:
                        ks.lines.append(f"{acc} = tl.maximum({acc}, tl.max({x}, axis=1, keep_dims=True))")
                else:
                    ks.lines.append(f"{acc} += tl.sum(tl.where(mask, {inner}, 0.0), axis=1, keep_dims=True)")
                continue
            ks.statement(s)
        for s in tiles:
            var = ks.stored(s.target, ks.env[s.target])
            ks.lines.append(f"tl.store({s.target}_out + rows * {s.target}_o0 + cols * {s.target}_o1, {var}, "
                            "mask=mask)")
        loop = ks.lines  # the loop body: loads, the needed statements, accumulations, this phase's stores
        for s in reds:
            acc = accs[s.target]
            if _is_max(s):
                post.append(f"{acc} = tl.where({acc}_nan > 0, float('nan'), {acc})")
            elif s.target in ph.online and ph.online_kind[s.target] == "count":
                # numpy: a row holding a NaN has a NaN max, which nothing equals
                post.append(f"{acc} = tl.where({accs[ph.online[s.target]]}_nan > 0, 0.0, {acc})")
            elif s.target in ph.online:
                m = accs[ph.online[s.target]]
                # numpy: a row whose max is -inf computes -inf - -inf = NaN in every term
                post.append(f"{acc} = tl.where({m} == float('-inf'), float('nan'), {acc})")
            if s.value.op in ("np.mean", ".mean") and s.target not in full:  # a whole mean: the launcher divides
                post.append(f"{acc} = {acc} / N")
            finished[s.target] = acc
        out += pre + ["for c0 in range(0, N, BN):"] + ["    " + l for l in loop] + post
    # row results (one value per row) and whole-array partial sums, once every loop is done
    for s in g.stmts:
        t = s.target
        if t in g.row_full:  # a sum of row results: its per-row terms, from the finished rows
            ks.env, ks.lines = dict(finished), []
            finished[t] = ks.ex(s.value.args[0])
            out += ks.lines
        if outputs.get(t) == "row":
            out.append(f"tl.store({t}_out + rows * {t}_o0, {ks.stored(t, finished[t])}, mask=row_ok)")
        if t in full:
            out.append(f"tl.store(partials_ptr + pid_lin * {ks.partial_columns} + {full.index(t)}, "
                       f"tl.sum(tl.where(row_ok, {finished[t]}, 0.0)))")
    out += ks.label_flags()
    # run-time scalars and labels are known once every statement is written; loaded once, before the loops
    if not ks.persistent:
        return head + ks.scalar_lines() + ks.label_loads() + out
    # persistent (runtime.ROWS["persistent"]): fewer programs than row blocks, each walking row blocks
    # pid, pid + programs, ...; every partial and flag is still indexed by its row block
    head[0] = f"pid = rb{wide}"
    return ks.scalar_lines() + ["for rb in range(tl.program_id(0), tl.cdiv(M, BM), tl.num_programs(0)):"] + [
        "    " + line for line in head + ks.label_loads() + out]


def _online_step(ks, acc, new_max, old_max, x):
    """acc <- acc * exp(old - new) + sum(exp(x - new)) over the block (x: the masked u, -inf outside)."""
    # a reference point that is never -inf, so that exp(-inf - ref) is 0 and not NaN while the running
    # max is still -inf (the -inf row is made NaN after the loop, as numpy computes it)
    ref = ks.bind(f"tl.where({new_max} == float('-inf'), 0.0, {new_max})")
    scale = ks.bind(f"tl.where({old_max} == {new_max}, 1.0, tl.exp({old_max} - {ref}))")
    ks.lines.append(f"{acc} = {acc} * {scale} + tl.sum(tl.where(mask, tl.exp({x} - {ref}), 0.0), axis=1, "
                    "keep_dims=True)")


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
