"""The construct families of the structure fuzzer's generator (tests/fuzz_struct_gen.py) that build
Python structure inside the function: lists (built by append, of scalars, of objects, by
comprehension), containers (tuples unpacked, np.split pieces), objects and closures (classes
instantiated in the function, nested defs and lambdas closing over a local, with defaults and
keyword-only arguments), and writes into and copies of the containers the function made (the
literals of tests/fuzz_struct_literals.py).

Mixins of `fuzz_struct_gen.Gen`: they use its state (rng, names, lists, funcs, pinned, depth) and
its expressions (`self.expr`).  Each method writes lines that are valid wherever `Gen.statement`
calls it, and records what it binds: `names` (shape kind) and `lists` (element kind, length).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fuzz_struct_literals import KEYS, children, homogeneous, is_leaf  # noqa: E402


class _Lists:
    """Lists made in the function; a list is made only at the top level (depth 0), so its length
    is known where it is read."""

    def build_list(self):
        if self.depth > 0:  # lists are made once, before the loop
            return self.assign(self.fresh(), "v")
        hs, h = self.fresh("hs"), self.fresh("h")
        self.emit(f"{hs} = []")
        self.emit(f"{h} = {self.expr('v')}")
        r = self.rng.random()
        if r < 0.35:
            L = int(self.rng.integers(1, 4))
            self.emit(f"for t in range({L}):")
            step = f"np.tanh({self.expr('q')} @ {h} + {self.pick(['x', 'xs[0]', 'xs[-1]', 's'])})"
            if self.chance(0.3):
                step = f"np.tanh({self.expr('q')} @ {h} + xs[t])" if L <= self.nxs else step
        elif r < 0.55:
            L = self.nxs
            self.emit("for xt in xs:")
            step = f"np.tanh({self.expr('q')} @ {h} + xt)"
        elif r < 0.7:
            L = self.nxs
            self.emit("for t, xt in enumerate(xs):")
            step = f"np.tanh({self.expr('q')} @ {h} + xt * (t + 1) * 0.5)"
        elif r < 0.85:
            L = self.nlayers
            self.emit('for Wl, bl in params["layers"]:')
            step = f"np.tanh(Wl @ {h} + bl)"
        else:
            L = min(self.nlayers, self.nxs)
            self.emit('for xt, (Wl, bl) in zip(xs, params["layers"]):')
            step = f"np.tanh(Wl @ {h} + bl + xt)"
        self.depth += 1
        self.emit(f"{h} = {step}")
        if self.chance(0.15):
            self.emit(f"{h} = {h} * {self.expr('s')}")
        self.emit(f"{hs}.append({h})")
        self.depth -= 1
        self.names[h] = "v"
        self.lists[hs] = ("v", L)

    def scalar_list(self):
        if self.depth > 0:
            return self.assign(self.fresh(), "s")
        ts = self.fresh("ts")
        self.emit(f"{ts} = []")
        r = self.rng.random()
        if r < 0.5:
            self.emit(f"for Wl, bl in params[\"layers\"]{self.pick(['', '[:-1]', '[1:]'])}:")
            L = None
            body = f"np.sum(np.tanh(Wl @ {self.expr('v')} + bl))"
        else:
            L = self.nxs
            self.emit("for i, xt in enumerate(xs):")
            body = f"np.sum(xt * {self.expr('v')}) * (i + 1)"
        self.depth += 1
        self.emit(f"{ts}.append({body})")
        self.depth -= 1
        # over the layers the length is nlayers or nlayers - 1 (maybe 0): recorded as 1, and the
        # expressions read only [0] of it or its sum; `sum([])` is 0, and [0] of it is `invalid`
        self.lists[ts] = ("s", L if L is not None else 1)

    def made_list(self):
        if self.depth > 0:
            return self.assign(self.fresh(), "v")
        ms, h = self.fresh("ms"), self.fresh("h")
        self.emit(f"{ms} = [Lin({self.expr('q')}, {self.expr('v')}), Child({self.expr('q')})]")
        self.emit(f"{h} = {self.expr('v')}")
        self.emit(f"for m_ in {ms}:")
        self.emit(f"    {h} = m_({h})")
        self.names[h] = "v"

    def comprehension(self):
        if self.depth > 0:
            return self.assign(self.fresh(), "s")
        vl = [ln for ln, (k, _) in self.lists.items() if k == "v"] + ["xs"]
        src = self.pick(vl)
        L = self.lists[src][1] if src in self.lists else self.nxs
        t = self.fresh("tm")
        if self.chance(0.5):
            self.emit(f"{t} = [np.sum(np.tanh(e) * {self.expr('s')}) for e in {src}]")
            self.lists[t] = ("s", L)
        else:  # a local function, a prelude helper, or the layer object itself (all but P are callable)
            fn = self.pick(list(self.funcs) + ["g_mod", "layer" if self.layer_cls != "P" else "g_mod"]) if self.funcs \
                else self.pick(["np.tanh", "g_mod", "g_mod", "g_mod"])
            if fn in self.funcs and self.funcs[fn] != 1:  # only the f(t, c=...) kind is mapped over a list
                fn = "g_mod"
            self.emit(f"{t} = [{fn}(e) for e in {src}]")
            self.lists[t] = ("v", L)


class _Containers:
    """Tuples (unpacked from helpers, literals, a method's result, a layer tuple of the arguments)
    and np.split / np.array_split pieces."""

    def tuples(self):
        a, b = self.fresh(), self.fresh()
        r = self.rng.random()
        if r < 0.3:
            self.emit(f"{a}, {b} = h_pair({self.expr('v')})")
            self.names[a] = self.names[b] = "v"
        elif r < 0.5:
            pr = self.fresh("pr")
            self.emit(f"{pr} = ({self.expr('v')}, {self.expr('s')})")
            self.emit(f"{a}, {b} = {pr}")
            self.names[a], self.names[b] = "v", "s"
        elif r < 0.7:
            self.emit(f"{a}, {b} = Cell({self.expr('q')}, {self.expr('v')}).step({self.expr('v')}, {self.expr('v')})")
            self.names[a] = self.names[b] = "v"
        elif r < 0.85:
            i = int(self.rng.integers(-self.nlayers, self.nlayers))
            self.emit(f"{a}, {b} = params[\"layers\"][{i}]")
            self.names[a], self.names[b] = "q", "v"
        else:
            self.emit(f"{a}, {b} = {self.expr('v')}, {self.expr('s')}")
            self.names[a], self.names[b] = "v", "s"

    def split(self):
        if self.depth > 0:
            return self.assign(self.fresh(), "v")
        r = self.rng.random()
        if r < 0.4:
            p = self.fresh("parts")
            self.emit(f"{p} = np.split(np.concatenate([{self.expr('v')}, {self.expr('v')}]), 2)")
            self.lists[p] = ("v", 2)
        elif r < 0.7:
            p = self.fresh("parts")
            self.emit(f"{p} = np.array_split(np.concatenate([{self.expr('v')}, {self.expr('v')}, {self.expr('v')}]), 3)")
            self.lists[p] = ("v", 3)
        else:
            a, b = self.fresh(), self.fresh()
            self.emit(f"{a}, {b} = np.split(np.concatenate([{self.expr('v')}, {self.expr('v')}]), 2)")
            self.names[a] = self.names[b] = "v"


class _ObjectsAndClosures:
    """Objects of the prelude's classes made in the function, and local functions closing over a
    local vector (sometimes rebound after the def: late binding)."""

    def local_function(self):
        g = self.fresh("g")
        r = self.rng.random()
        closed = self.pick(self.of_kind("v") or ["x"])
        self.pinned.add(closed)
        if r < 0.4:
            self.emit(f"def {g}(t, c={self.const(0.2, 1.0)}):")
            self.depth += 1
            self.emit(f"return np.tanh(t * c) + {closed} * {self.const()}")
            self.depth -= 1
            self.funcs[g] = 1
        elif r < 0.65:
            self.emit(f"def {g}(t, c=0.5, *, k=1.0):")
            self.depth += 1
            mat = self.pick(['params["Q"]', 'layer.W' if self.layer_cls != 'Stack' else 'params["Q"]'])
            self.emit(f"u = np.tanh({mat} @ t) * c")
            self.emit(f"if np.sum(u) > {self.const()}:")
            self.emit(f"    return u * k + {closed}")
            self.emit(f"return u - {closed} * 0.5")
            self.depth -= 1
            self.funcs[g] = 1
        elif r < 0.85:
            self.emit(f"{g} = lambda t, c=1.0: np.tanh(t) * c * {self.expr('s')} + {closed}")
            self.funcs[g] = 1
        else:
            self.emit(f"def {g}(t):")
            self.depth += 1
            self.emit("acc = t")
            self.emit('for W_, b_ in params["layers"]:')
            self.emit(f"    acc = np.tanh(W_ @ acc + b_) + {closed} * 0.1")
            self.emit("return acc")
            self.depth -= 1
            self.funcs[g] = 2  # no c= keyword
        if closed != "x" and self.chance(0.4):  # late binding: the function reads the new value
            self.emit(f"{closed} = {self.expr('v')}")

    def made_object(self):
        o = self.fresh("obj")
        cls = self.pick(["Lin", "Scaled", "P", "Child"])
        args = {"Lin": f"{self.expr('q')}, {self.expr('v')}",
                "Scaled": f"{self.expr('q')}, {self.expr('v')}, {self.expr('s')}",
                "P": f"{self.expr('q')}, {self.expr('v')}",
                "Child": f"{self.expr('q')}"}[cls]
        self.emit(f"{o} = {cls}({args})")
        call = {"Lin": "{o}({a})", "Scaled": "{o}.forward({a})", "P": "{o}.apply({a})", "Child": "{o}({a})"}[cls]
        n = self.fresh()
        for _ in range(int(self.rng.integers(1, 3))):
            self.emit(f"{n} = {call.format(o=o, a=self.expr('v'))}")
        self.names[n] = "v"


    def changing_dict(self):
        """An object holding a dict it writes by element (the prelude's Moments): made at the top level,
        then written (in its method and by the function), read, or -- sometimes -- its dict held by a
        second name (bound, or returned by a method), which s2sgrad must refuse wherever a write meets it."""
        if self.depth == 0 and (not self.dict_states or self.chance(0.3)):
            o = self.fresh("mom")
            self.emit(f"{o} = Moments({self.expr('v')})")
            self.dict_states.append(o)
        if not self.dict_states:
            return self.assign(self.fresh(), "v")
        o, n, k = self.pick(self.dict_states), self.fresh(), self.pick(['"a"', '"b"'])
        r = self.rng.random()
        if r < 0.3:
            self.emit(f"{n} = {o}.bump({k}, {self.expr('v')})")
        elif r < 0.5:
            self.emit(f"{o}.m[{k}] = {o}.m[{k}] * {self.expr('s')} + {self.expr('v')}")
        elif r < 0.6:
            k2 = self.pick(['"a"', '"b"'])
            self.emit(f"for key in ({k}, {k2}):")
            self.emit(f"    {o}.m[key] = {o}.m[key] * 0.5 + {self.expr('v')}")
        elif r < 0.7:
            self.emit(f"{n} = {o}.total() * {self.expr('s')}")
        elif r < 0.78:
            self.emit(f"{n} = {o}.m[{k}]")  # (an element read out: a later write rebinds it, n keeps this one)
            self.emit(f"{o}.bump({k}, {n})")
            self.emit(f"{n} = {n} + {o}.m[{k}]")
        elif r < 0.84:
            holder = self.fresh("tab")
            self.emit(f"{holder} = {self.pick([f'{o}.m', f'{o}.table()'])}")  # a second holder
            self.emit(f"{n} = {holder}[{k}] * {self.expr('s')}")
        else:
            self.emit(f"{n} = {o}.m[{k}] * {o}.t + {o}.m['a']")
        if any(line.strip().startswith(f"{n} =") for line in self.lines[-3:]):
            self.names[n] = "v"
            self.watched.append(n)

    def changing_object(self):
        """An object that changes (the prelude's Acc), made at the top level, then changed or read
        wherever the statement falls (in loops that run at run time, in branches): through its
        methods and attribute writes; sometimes a value read out before a change (which keeps the
        old value, as in Python), or a second name for the object (which s2sgrad must refuse)."""
        if self.depth == 0 and (not self.states or self.chance(0.3)):
            o = self.fresh("acc")
            self.emit(f"{o} = Acc({self.expr('v')})")
            self.states.append(o)
        if not self.states:
            return self.assign(self.fresh(), "v")
        o = self.pick(self.states)
        n = self.fresh()
        r = self.rng.random()
        if r < 0.25:
            self.emit(f"{n} = {o}.push({self.expr('v')})")
        elif r < 0.4:
            self.emit(f"{o}.record({self.expr('v')})")
        elif r < 0.5:
            self.emit(f"{o}.t += {self.pick([1, 2])}")
        elif r < 0.6:
            self.emit(f"{o}.v = {o}.v * {self.expr('s')} + {self.expr('v')}")
        elif r < 0.7:
            self.emit(f"{o}.u = {o}.push({self.expr('v')}) - {o}.u")
        elif r < 0.8:
            self.emit(f"{n} = {o}.v")  # (read out: a later change rebinds the attribute, n keeps this one)
            self.emit(f"{o}.record({n} * 0.5)")
            self.emit(f"{n} = {n} + {o}.v")
        elif r < 0.84 and self.depth == 0:
            other = self.fresh("alias")
            self.emit(f"{other} = {o}")
            self.states.append(other)
        else:
            self.emit(f"{n} = {o}.u * {o}.t + {o}.v")
        if any(line.strip().startswith(f"{n} =") for line in self.lines[-3:]):
            self.names[n] = "v"
            self.watched.append(n)


class _ContainerWrites:
    """Containers the function made (`Gen.cid` names them; aliases `d2 = d` share one) written in
    place: by key or index, append, extend, insert, pop, del, update, setdefault, reverse, a slice,
    a helper appending; or copied (dict(d), list(t), d.copy(), t[:], [*t, e], {**d, k: e}, a dict
    comprehension, a slice, t + t) and then one of the two written.  An alias sees the write, a
    copy does not, a literal holding the container (`{'hs': hs}`) does."""

    def new_cid(self, n):
        self.ncid = getattr(self, "ncid", 0) + 1
        self.cid[n] = self.ncid

    def owned(self, tags):
        return [n for n in sorted(self.cid) if not is_leaf(self.names.get(n, "?")) and self.names[n][0] in tags]

    def value_of(self, kind):
        return self.literal(kind) if is_leaf(kind) else self.container_expr(kind, 1)

    def write_into(self, n=None):
        appended = [ln for ln, (k, L) in self.lists.items() if k == "v" and L > 1]
        if n is None and self.depth == 0 and appended and self.chance(0.25):  # a list built by appends
            ln = self.pick(appended)
            k, L = self.lists[ln]
            self.emit(f"del {ln}[{self.pick([0, -1])}]")
            self.lists[ln] = (k, L - 1)
            for m, mk in list(self.names.items()):  # a literal holding it: not read again
                if not is_leaf(mk) and _holds(mk, ("L", ("v",) * L)):
                    del self.names[m]
            return
        owned = self.owned(("D", "L", "T"))
        if n is None and not owned:
            return self.bind_literal()
        n = n or self.pick(owned)
        kind = self.names[n]
        tag, elems = kind[0], list(kind[1])
        r, e = self.rng.random(), f"{self.expr('v')}"
        if tag == "T":  # a new tuple: the old one (and its other names) unchanged
            self.emit(self.pick([f"{n} = {n} + ({e},)", f"{n} = (*{n}, {e})"]))
            self.names[n] = ("T", tuple(elems + ["v"]))
            return self.new_cid(n)
        if tag == "D":
            keys = [k for k, _ in elems]
            k, v = self.pick(elems) if elems else ("new", "v")
            d = dict(elems)
            if r < 0.25:
                self.emit(f"{n}[{k!r}] = {self.value_of(v)}")
                d[k] = v
            elif r < 0.33:
                self.emit(self.pick([f"{n}['new'] = {e}", f"{n}.setdefault('new', {e})", f"{n} |= {{'new': {e}}}"]))
                d["new"] = "v"
            elif r < 0.38:
                self.emit(f"{n}.update({{{k!r}: {self.value_of(v)}, 'n': {self.expr('s')}}})")
                d[k], d["n"] = v, "s"
            elif r < 0.45 and elems:
                a = self.fresh()
                self.emit(self.pick([f"{a} = {n}.pop({k!r})", f"{a} = {n}.pop({k!r}, None)"]))
                self._bind_kind(a, v)
                del d[k]
            elif elems:
                self.emit(f"del {n}[{k!r}]")
                del d[k]
            else:
                self.emit(f"{n}['new'] = {e}")
                d["new"] = "v"
            new = ("D", tuple((k, d[k]) for k in keys if k in d) + tuple((k, d[k]) for k in d if k not in keys))
        else:
            i = int(self.rng.integers(len(elems))) if elems else 0
            if r < 0.2 and elems:
                self.emit(f"{n}[{self.pick([i, i - len(elems)])}] = {self.value_of(elems[i])}")
                new = kind
            elif r < 0.3 or not elems:
                self.emit(self.pick([f"{n}.append({e})", f"{n} += [{e}]", f"h_push({n}, {e})"]))
                new = ("L", tuple(elems + ["v"]))
            elif r < 0.35:
                self.emit(f"{n}.extend([{e}, {self.expr('v')}])")
                new = ("L", tuple(elems + ["v", "v"]))
            elif r < 0.4:
                self.emit(f"{n}.insert(0, {e})")
                new = ("L", tuple(["v"] + elems))
            elif r < 0.47:
                a = self.fresh()
                last = self.chance(0.6)
                self.emit(f"{a} = {n}.pop()" if last else f"{a} = {n}.pop(0)")
                self._bind_kind(a, elems[-1] if last else elems[0])
                new = ("L", tuple(elems[:-1] if last else elems[1:]))
            elif r < 0.8:
                j = self.pick([0, -1, "1:", ":1"] if len(elems) > 1 else [0, -1])
                self.emit(f"del {n}[{j}]")
                new = ("L", tuple(elems[1:] if j == 0 else elems[:-1] if j == -1 else elems[:1] if j == "1:" else elems[1:]))
            elif r < 0.9:
                self.emit(f"{n}.reverse()")
                new = ("L", tuple(elems[::-1]))
            else:
                self.emit(f"{n}[0:1] = [{e}]")
                new = ("L", tuple(["v"] + elems[1:]))
        self.written(n, kind, new)
        if self.chance(0.7):
            self.reveal(n)

    def reveal(self, n):
        """A read of n that tells its length, keys and order (into a name the return adds)."""
        kind = self.names.get(n)
        if kind is None or is_leaf(kind):
            return
        cands = [(f"(len({n}) * 0.5)", "s")] if kind[0] != "D?" else []
        cands += [(t, k) for t, k in self.walk(n, kind, 1) if k in ("v", "s", "q", "u")]
        if kind[0] in ("D", "D?"):
            k = self.pick(KEYS + ("new",))
            cands += [(f"np.sum({n}.get({k!r}, 0.0))", "s"), (f"(2.0 if {k!r} in {n} else 0.5)", "s")]
        if homogeneous(kind) in ("v", "s") and kind[0] == "D":
            cands.append((f"sum({n}.values())", homogeneous(kind)))
        a = self.fresh()
        text, k = self.pick(cands)
        self.emit(f"{a} = {text}")
        self._bind_kind(a, k)

    def written(self, n, old, new):
        """After a write into n's container: its other names have the new kind; a container that
        may hold it is not read again."""
        c = self.cid[n]
        for m, k in list(self.names.items()):
            if self.cid.get(m) == c:
                self.names[m] = new
            elif new != old and not is_leaf(k) and _holds(k, old):
                del self.names[m]

    def copy_container(self):
        """A copy (or a new container made from one), then a write into the copy or the original."""
        src = [n for n in self.held() if self.names[n][0] in ("D", "T", "L")]
        if not src:
            return self.bind_literal()
        n = self.pick(src)
        tag, elems = self.names[n][0], list(self.names[n][1])
        e = self.expr("v")
        if tag == "D":
            with_w = [(k, "v" if k == "w" else v) for k, v in elems] + ([] if "w" in dict(elems) else [("w", "v")])
            forms = [(f"dict({n})", elems), (f"{n}.copy()", elems), (f"{{**{n}}}", elems),
                     (f"{{**{n}, 'w': {e}}}", with_w), (f"{{k_: v_ for k_, v_ in {n}.items()}}", elems)]
            if homogeneous(self.names[n]) in ("v", "s", "q", "u"):
                forms.append((f"{{k_: v_ * 2.0 for k_, v_ in {n}.items()}}", elems))
            text, k = self.pick(forms)
            kind = ("D", tuple(k))
        else:
            forms = [(f"list({n})", "L", elems), (f"tuple({n})", "T", elems), (f"{n}[:]", tag, elems),
                     (f"{n}[::-1]", tag, elems[::-1]), (f"{n}[1:]", tag, elems[1:])] + \
                [(f"[*{n}, {e}]", "L", elems + ["v"]), (f"({e}, *{n})", "T", ["v"] + elems),
                 (f"(*{n}, {e})", "T", elems + ["v"]), (f"[{e}, *{n}]", "L", ["v"] + elems)] * 3
            if len(elems) <= 3:
                forms.append((f"{n} + {n}", tag, elems * 2))
            if homogeneous(self.names[n]) in ("v", "s"):
                forms.append((f"[t_ * 2.0 for t_ in {n}]", "L", elems))
            text, t, k = self.pick(forms)
            kind = (t, tuple(k))
        m = self.fresh({"D": "d", "T": "pair", "L": "lst"}[kind[0]])
        self.emit(f"{m} = {text}")
        self.names[m] = kind
        self.new_cid(m)
        if self.chance(0.6):
            target = self.pick([m, n] if n in self.cid else [m])
            if self.names[target][0] in ("D", "L", "T"):
                self.write_into(target)
        if self.chance(0.7):
            self.reveal(self.pick([m, n]))


def _holds(kind, sub):
    """Whether a container kind has sub somewhere inside it."""
    return any(e == sub or (not is_leaf(e) and e != "?" and _holds(e, sub)) for _, e in children(kind)) \
        if not is_leaf(kind) and kind != "?" else False
