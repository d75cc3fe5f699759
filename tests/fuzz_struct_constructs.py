"""The construct families of the structure fuzzer's generator (tests/fuzz_struct_gen.py) that build
Python structure inside the function: lists (built by append, of scalars, of objects, by
comprehension), containers (tuples unpacked, np.split pieces), and objects and closures (classes
instantiated in the function, nested defs and lambdas closing over a local, with defaults and
keyword-only arguments).

Mixins of `fuzz_struct_gen.Gen`: they use its state (rng, names, lists, funcs, pinned, depth) and
its expressions (`self.expr`).  Each method writes lines that are valid wherever `Gen.statement`
calls it, and records what it binds: `names` (shape kind) and `lists` (element kind, length).
"""


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
