"""The program generator of the structure fuzzer (tests/fuzz_struct.py): random functions
`f(params, xs, layer, x, s)` returning a float, written as the text of a module to import.

What a program may use: a dict of parameters (a matrix W (K, N), a square Q (N, N), vectors, a
float c, an int n, a string, a list of (W, b) tuples, a dict of vectors, a list of layer objects,
sometimes a key b2), a list (or tuple) of vectors xs, a layer object of one of the user classes of
tests/fuzz_struct_prelude.py, a vector x and a float s.  The programs are written to run on the
arguments `draw_args` makes from the same spec: each live name has a known shape kind (v (N,),
u (K,), m (K, N), q (N, N), s a scalar), a name is read only where it is bound with that kind on
every path, and a list is indexed only within its known length.  About 2% still fail in the plain
function (a closure called before a name it reads is bound, `layer.W` of a class without one);
the harness counts those `invalid`.

The generator is built from mixins, one a family of constructs: expressions (this file), control
flow (this file), lists, containers, objects and closures, writes into and copies of containers
(tests/fuzz_struct_constructs.py), and tuple, list and dict literals bound to names
(tests/fuzz_struct_literals.py: a container's kind is a tuple in `names`, beside the arrays'
kinds), and the newer forms (tests/fuzz_struct_writes.py: writes into containers the function
made, copies and merges, lists built by extend / +=, read backwards and by slices,
comprehensions with if, generators, lambdas, np.fill_diagonal, np.where with nan on one side), a
block written before the return of a share `new_forms` of the programs.  It draws from one numpy
Generator in a fixed order, and the block from a second one, so a seed always writes the same
module, and with new_forms=0 the module it wrote before the block existed.
"""
from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import fuzzgen  # noqa: E402
from fuzz_struct_constructs import _Containers, _ContainerWrites, _Lists, _ObjectsAndClosures  # noqa: E402
from fuzz_struct_literals import _LiteralExprs, _LiteralFlow, _LiteralStatements, merge_names  # noqa: E402
from fuzz_struct_writes import NEW_FORMS_P, _NewForms  # noqa: E402

N, K = 4, 3  # v (N,), u (K,), m (K, N), q (N, N), s ()
PARAMS = ("params", "xs", "layer", "x", "s")  # every program's parameters, in order
LAYER_CLASSES = ("Lin", "Scaled", "Child", "Stack", "P", "Multi")

with open(os.path.join(os.path.dirname(__file__), "fuzz_struct_prelude.py"), encoding="utf-8") as _fh:
    PRELUDE = _fh.read()  # the head of every module: the classes and helpers programs call


class _Core(fuzzgen._Gen):
    """State and expressions.  pick / chance / emit / of_kind, and `block` and `branch` (an `if` on
    data whose names survive only with the same kind on both sides) are fuzzgen's."""

    def __init__(self, rng):
        self.rng = rng
        self.lines = []
        self.names = {"x": "v", "s": "s"}
        self.lists = {}      # name -> (element kind, length)
        self.funcs = {}      # local function (v -> v) -> 1: called f(t) or f(t, c=s); 2: f(t) only
        self.pinned = set()  # names read by closures: rebinding keeps their kind
        self.cid = {}         # name -> which container made here it names (aliases share one)
        self.prefer = None    # (name, kind): a literal being written holds this name more often
        self.watched = []     # names read from a container literal: added to the returned value
        self.states = []      # objects that change (prelude's Acc), made at the top level
        self.dict_states = []  # objects holding a dict they write by element (prelude's Moments)
        self.count = 0
        self.depth = 0
        self.nlayers = int(rng.integers(1, 4))
        self.nxs = int(rng.integers(2, 4))
        self.nmods = int(rng.integers(1, 3))
        self.layer_cls = self.pick(LAYER_CLASSES)
        self.has_b2 = self.chance(0.5)

    def fresh(self, p="a"):
        self.count += 1
        return f"{p}{self.count}"

    def const(self, lo=-1.0, hi=1.0):
        return repr(round(float(self.rng.uniform(lo, hi)), 2))

    def leaf(self, kind):
        """A name or argument read of the kind: a parameter leaf, an attribute, a list element."""
        c = []
        if kind == "v":
            c = ["x", f"xs[{int(self.rng.integers(-self.nxs, self.nxs))}]", 'params["b"]',
                 'params["vecs"]["a"]', 'params["vecs"]["b"]',
                 f'params["layers"][{int(self.rng.integers(-self.nlayers, self.nlayers))}][1]']
            if self.layer_cls in ("Lin", "Scaled", "P"):
                c.append("layer.b")
            for ln, (k, L) in self.lists.items():
                if k == "v" and L > 0:  # (an empty list has no element to read: integers(0, 0) raised)
                    c.append(f"{ln}[{int(self.rng.integers(-L, L))}]")
        elif kind == "u":
            c = ["np.tanh(params[\"W\"] @ x)", "params[\"W\"][:, 0]"]
        elif kind == "m":
            c = ['params["W"]']
        elif kind == "q":
            c = ['params["Q"]', f'params["layers"][{int(self.rng.integers(-self.nlayers, self.nlayers))}][0]']
            if self.layer_cls in ("Lin", "Scaled", "P", "Child"):
                c.append("layer.W")
            if self.layer_cls == "Stack":
                c.append("layer.l1.W")
            if self.layer_cls == "Scaled":
                c.append("layer.weight")
        else:
            c = ["s", 'params["c"]', 'params.get("c", 1.0)', self.const(-1.5, 1.5)]
            if self.layer_cls == "Scaled":
                c += ["layer.alpha", "layer.gain"]
            for ln, (k, L) in self.lists.items():
                if k == "s" and L > 0:
                    c.append(f"{ln}[{int(self.rng.integers(-L, L))}]")
        return self.pick(c)

    def expr(self, kind, depth=0):
        """An expression of the kind, at most two levels of nesting deep; a container kind (a
        tuple) gives a name of it or a literal."""
        if not isinstance(kind, str):
            return self.container_expr(kind, depth)
        if self.held() and self.chance(0.25):  # (no draw without containers: other programs as before)
            read = self.held_read(kind)
            if read is not None:
                return read
        names = self.of_kind(kind)
        if depth > 1 or self.chance(0.35):
            if names and self.chance(0.6):
                return self.pick(names)
            return self.leaf(kind)
        r = self.rng.random()
        if r < 0.22:
            op = self.pick(["+", "-", "*"])
            other = self.pick([kind, "s"]) if kind != "s" else "s"
            a, b = self.expr(kind, depth + 1), self.expr(other, depth + 1)
            return f"({a} {op} {b})" if self.chance(0.5) else f"({b} {op} {a})"
        if r < 0.36:
            f = self.pick(["np.sin", "np.tanh", "np.cos", "np.square"])
            return f"{f}({self.expr(kind, depth + 1)})"
        if r < 0.40:
            return f"np.exp(np.clip({self.expr(kind, depth + 1)}, -3.0, 3.0))"
        if r < 0.44:
            f = self.pick(["np.sqrt(np.square({}) + 1.0)", "np.maximum({}, 0.1)", "np.abs({})"])
            return f.format(self.expr(kind, depth + 1))
        return self.structured(kind, depth)

    def call_layer(self, arg):
        """A call of the `layer` argument, by each entry its class has."""
        c = self.layer_cls
        opts = {"Lin": [f"layer({arg})"],
                "Scaled": [f"layer({arg})", f"layer.forward({arg})", f"layer.act({arg})",
                           f"(layer.weight @ {arg})"],
                "Child": [f"layer({arg})", f"layer.forward({arg})"],
                "Stack": [f"layer({arg})", f"layer.l1({arg})", f"layer.l2({arg})"],
                "P": [f"layer.apply({arg})"],
                "Multi": [f"layer({arg})", f"layer.forward({arg}, scale=0.5)", f"layer.first({arg})"]}[c]
        return self.pick(opts)


class _Structured:
    """Expressions that reach into the arguments' structure or call the prelude's classes and
    helpers, and writes into arrays the function owns."""

    def structured(self, kind, depth):
        """An expression of the kind through the arguments' containers, objects, helpers, local
        functions and lists (only those whose element kind and length are known)."""
        d = depth + 1
        E = self.expr
        if kind == "s":
            opts = [lambda: f"np.sum({E(self.pick(['v', 'u', 'q']), d)})",
                    lambda: f"np.mean({E('v', d)})",
                    lambda: f"{E('v', d)}[{self.pick([0, 1, -1])}]",
                    lambda: f"float(np.sum({E('v', d)} * {E('v', d)}))",
                    lambda: f"(len(xs) * 0.1 * {E('s', d)})",
                    lambda: f"(params[\"n\"] * 0.1 + {E('s', d)})",
                    lambda: "h_list_sum(xs)",
                    lambda: f"h_pair({E('s', d)})[1]"]
            for ln, (k, L) in self.lists.items():
                if k == "v":
                    opts.append(lambda ln=ln: f"h_list_sum({ln})")
                    opts.append(lambda ln=ln: f"np.sum(np.stack({ln}))")
                if k == "s":
                    opts.append(lambda ln=ln: f"sum({ln})")
                    opts.append(lambda ln=ln: f"np.sum(np.array({ln}))")
            return self.pick(opts)()
        if kind == "u":
            return self.pick([lambda: f"(params[\"W\"] @ {E('v', d)})",
                              lambda: f"np.tanh({E('m', d)} @ {E('v', d)})",
                              lambda: f"np.sum({E('m', d)}, axis=1)"])()
        if kind == "m":
            return self.pick([lambda: f"np.outer({E('u', d)}, {E('v', d)})",
                              lambda: f"({E('m', d)} * {E('v', d)})"])()
        if kind == "q":
            return self.pick([lambda: f"np.outer({E('v', d)}, {E('v', d)})",
                              lambda: f"({E('q', d)} * 0.5)",
                              lambda: f"{E('q', d)}.T"])()
        # kind v
        mods = self.nmods
        opts = [
            lambda: f"({E('q', d)} @ {E('v', d)})",
            lambda: f"np.tanh({E('q', d)} @ {E('v', d)} + {E('v', d)})",
            lambda: f"({E('u', d)} @ {E('m', d)})",
            lambda: f"(params[\"W\"].T @ {E('u', d)})",
            lambda: self.call_layer(E('v', d)),
            lambda: f"Lin({E('q', d)}, {E('v', d)})({E('v', d)})",
            lambda: f"Scaled({E('q', d)}, {E('v', d)}, {E('s', d)}).forward({E('v', d)})",
            lambda: f"Child({E('q', d)})({E('v', d)})",
            lambda: f"P({E('q', d)}, {E('v', d)}).apply({E('v', d)})",
            lambda: f"P(W={E('q', d)}, b={E('v', d)}).apply({E('v', d)})",
            lambda: f"Stack(Lin({E('q', d)}, {E('v', d)}), Child({E('q', d)}))({E('v', d)})",
            lambda: f"params[\"mods\"][{int(self.rng.integers(-mods, mods))}]({E('v', d)})",
            lambda: f"h_pair({E('v', d)})[{self.pick([0, 1])}]",
            lambda: f"h_pair({E('v', d)}, c={E('s', d)})[0]",
            lambda: f"rk4(lambda t: np.tanh({E('q', d)} @ t), {E('v', d)})",
            lambda: f"rk4(g_mod, {E('v', d)}, 0.2)",
            lambda: f"euler(lambda t: -t * {E('s', d)}, {E('v', d)}, dt=0.05, steps={self.pick([1, 2, 3])})",
            lambda: f"h_apply({self.pick(['g_mod', 'np.tanh'] + ['g_mod'] * 6)}, {E('v', d)}, scale={E('s', d)})",
            lambda: f"h_layers(params[\"layers\"], {E('v', d)})",
            lambda: f"h_layers(params[\"layers\"][{self.pick([':-1', '1:', '::-1', ':'])}], {E('v', d)})",
            lambda: f"h_steps(params[\"layers\"], {E('v', d)})",
            lambda: f"block(params, {E('v', d)})",
            lambda: f"block(params, {E('v', d)}, key=\"Q\")",
            lambda: f"({E('v', d)} + params.get(\"b2\", 0.0))",
            lambda: f"np.concatenate([{E('v', d)}[:2], {E('v', d)}[2:]])",
            lambda: f"np.where({E('v', d)} > 0, {E('v', d)}, 0.5)",
        ]
        for fn, nreq in self.funcs.items():
            if nreq == 1:
                opts.append(lambda fn=fn: f"{fn}({E('v', d)})")
                opts.append(lambda fn=fn: f"{fn}({E('v', d)}, c={E('s', d)})")
                opts.append(lambda fn=fn: f"rk4({fn}, {E('v', d)}, dt=0.1)")
                opts.append(lambda fn=fn: f"h_apply({fn}, {E('v', d)})")
            else:
                opts.append(lambda fn=fn: f"{fn}({E('v', d)})")
        for ln, (k, L) in self.lists.items():
            if k == "v":
                opts += [lambda ln=ln: f"np.sum(np.stack({ln}), axis=0)",
                         lambda ln=ln: f"np.mean(np.array({ln}), axis=0)",
                         lambda ln=ln: f"sum({ln})",
                         lambda ln=ln, L=L: (lambda o: f"np.concatenate({ln})[{o}:{o + N}]")(self.pick([0, N * (L - 1)])),
                         lambda ln=ln, L=L: f"np.stack({ln})[{int(self.rng.integers(-L, L)) if L > 0 else 0}]"]
        return self.pick(opts)()

    def owned_writes(self):
        """An array the function made, written by index, slice or in a loop (a recurrence of reads
        and writes of one owned array is what s2sgrad must keep in order)."""
        o = self.fresh("out")
        r = self.rng.random()
        if r < 0.4 and self.depth < 2:
            self.emit(f"{o} = np.zeros({N})")
            src = self.expr("v")
            self.emit(f"for i{self.depth} in range({N}):")
            self.depth += 1
            self.emit(f"{o}[i{self.depth - 1}] = {src}[i{self.depth - 1}] * {self.expr('s')}")
            self.depth -= 1
        elif r < 0.7:
            self.emit(f"{o} = {self.expr('v')}.copy()")
            self.emit(f"{o}[{self.pick([0, 1, -1])}] = {self.expr('s')}")
            if self.chance(0.5):
                self.emit(f"{o}[1:3] += {self.expr('v')}[:2]")
        else:
            self.emit(f"{o} = np.zeros({N})")
            self.emit(f"{o}[:2] = {self.expr('v')}[2:]")
            self.emit(f"{o}[2:] = np.tanh({self.expr('v')}[:2])")
        self.names[o] = "v"


class _Flow:
    """Statements: the dispatch to every construct family, loops over the arguments' containers,
    and the whole program."""

    def assign(self, n, kind):
        if isinstance(kind, str):
            self.emit(f"{n} = {self.expr(kind)}")
            self.cid.pop(n, None)
        else:  # a container: a new literal, or another name for one (`d2 = d`: one object)
            text, alias = self.container_value(kind, 0)
            self.emit(f"{n} = {text}")
            if alias is None:
                self.new_cid(n)
            elif alias in self.cid:
                self.cid[n] = self.cid[alias]
            else:
                self.cid.pop(n, None)
        self.names[n] = kind

    def branch(self):
        """fuzzgen's `if` on data, with its draws; after it a name has what both sides agree on
        (merge_kinds: a dict's common keys, a list's element kind)."""
        self.emit(f"if np.sum({self.expr(self.pick(['v', 's']))}) > {round(float(self.rng.uniform(-1, 1)), 2)}:")
        saved = self.block(int(self.rng.integers(1, 3)))
        then_names = self.names
        self.names = dict(saved)
        if self.chance(0.6):
            self.emit("else:")
            self.block(int(self.rng.integers(1, 3)))
        self.names = merge_names(then_names, self.names)

    def statement(self):
        """One statement; r picks the family (container literals, assignments, then each other
        construct family)."""
        r = self.rng.random()
        kind = self.pick(["v", "v", "v", "s", "u", "q"])
        if r < 0.22:
            return self.literal_statement()
        r = (r - 0.22) / 0.78  # the other families in their old proportions
        if r < 0.14:
            self.assign(self.fresh(), kind)
        elif r < 0.18:
            self.changing_object() if self.chance(0.55) else self.changing_dict()
        elif r < 0.26:
            cands = [n for n in self.names if n not in ("x", "s")]
            if not cands:
                return self.assign(self.fresh(), kind)
            n = self.pick(cands)
            self.assign(n, self.names[n] if n in self.pinned or self.chance(0.6) else kind)
        elif r < 0.33:
            owned = [n for n, k in self.names.items() if n not in ("x", "s") and isinstance(k, str)]
            if not owned:
                return self.assign(self.fresh(), kind)
            n = self.pick(owned)
            k = self.names[n]
            self.emit(f"{n} {self.pick(['+=', '-=', '*='])} {self.expr(self.pick([k, 's']))}")
        elif r < 0.38:
            self.tuples()
        elif r < 0.48:
            self.build_list()
        elif r < 0.53:
            self.comprehension()
        elif r < 0.58:
            self.split()
        elif r < 0.65:
            self.local_function()
        elif r < 0.70:
            self.owned_writes()
        elif r < 0.72:
            self.pick([self.made_object, self.scalar_list, self.made_list])()
        elif self.depth < 2 and r < 0.86:
            self.loop()
        elif self.depth < 2:
            self.branch()
        else:
            self.assign(self.fresh(), kind)

    def loop(self):
        """A loop over a range, the arguments' containers (layer tuples, a dict's items, xs, the
        modules list) or a list the function made, or a while; maybe an early exit at its end."""
        r = self.rng.random()
        before = dict(self.names)
        if r < 0.25:
            self.emit(f"for i{self.depth} in range({self.pick([1, 2, 3])}):")
        elif r < 0.45:
            W, b = self.fresh("W"), self.fresh("b")
            if self.chance(0.5):
                self.emit(f"for {W}, {b} in params[\"layers\"]:")
            else:
                self.emit(f"for j{self.depth}, ({W}, {b}) in enumerate(params[\"layers\"]):")
            self.names[W], self.names[b] = "q", "v"
        elif r < 0.55:
            k, val = self.fresh("k"), self.fresh("val")
            self.emit(f"for {k}, {val} in params[\"vecs\"].items():")
            self.names[val] = "v"
        elif r < 0.65:
            e = self.fresh("e")
            vl = [ln for ln, (kk, _) in self.lists.items() if kk == "v"] + ["xs"]
            self.emit(f"for {e} in {self.pick(vl)}:")
            self.names[e] = "v"
        elif r < 0.72:
            m = self.fresh("m")
            self.emit(f"for {m} in params[\"mods\"]:")
            self.depth += 1
            h = self.pick([n for n in self.of_kind("v") if n not in ("x",)] or [None])
            if h is None:  # no local vector to thread through the modules: bind one above the `for`
                h = self.fresh()
                self.names[h] = "v"
                self.depth -= 1
                self.lines.insert(len(self.lines) - 1, "    " * (self.depth + 1) + f"{h} = x * 1.0")
                self.depth += 1
            self.emit(f"{h} = {m}({h})")
            self.depth -= 1
            before = dict(self.names)  # h keeps its kind through the loop: usable after it
        elif r < 0.8:
            e, t = self.fresh("e"), self.fresh("t")
            vl = [ln for ln, (kk, _) in self.lists.items() if kk == "v"] + ["xs"]
            src = self.pick(vl)
            if self.chance(0.3):
                self.emit(f"for {e} in reversed({src}):")
            else:
                self.emit(f"for {t}, {e} in enumerate({src}):")
                self.names[t] = "s"  # an int counter: usable as a number
            self.names[e] = "v"
        elif r < 0.88:
            i = f"i{self.depth}"
            self.emit(f"for {i} in range(len(params[\"layers\"])):")
            W, b = self.fresh("W"), self.fresh("b")
            self.depth += 1
            self.emit(f"{W}, {b} = params[\"layers\"][{i}]")
            self.depth -= 1
            self.names[W], self.names[b] = "q", "v"
        else:
            c = self.fresh("c")
            self.emit(f"{c} = 0")
            self.emit(f"while {c} < {self.pick([1, 2, 3])}:")
            self.depth += 1
            self.emit(f"{c} += 1")
            self.depth -= 1
        self.block(int(self.rng.integers(1, 4)))
        if self.chance(0.25):
            self.depth += 1
            self.emit(f"if np.sum({self.expr('v')}) > {self.const(0, 3)}:")
            self.depth += 1
            self.emit(self.pick(["break", "continue", f"return float(np.sum({self.expr('v')}))"]))
            self.depth -= 2
        # a name whose kind changed inside the loop has another kind on the next pass: dropped
        self.names = merge_names(before, self.names)  # (leaf kinds: only where unchanged)

    def program(self, name, extra=None):
        """The function's text; extra: the stream of the block of newer forms
        (tests/fuzz_struct_writes.py) written before the return, or None (the program as before)."""
        for _ in range(int(self.rng.integers(2, 6))):
            self.statement()
        final = self.expr(self.pick(["v", "v", "q", "s", "u"]))
        ret = self.pick([f"np.sum({final})", f"float(np.sum(np.square({final})))", f"np.sum({final}) + np.sum(x)"])
        if self.held():  # what the containers hold reaches the value (no draw without containers)
            for _ in range(int(self.rng.integers(1, 3))):
                read = self.held_read(self.pick(["v", "s", "q", "u"]))
                ret += f" + np.sum({read}) * {self.const(0.2, 1.0)}" if read else ""
        for n in [n for n in self.watched if self.names.get(n) in ("v", "s", "u", "q")][-3:]:
            ret += f" + np.sum({n}) * 0.5"
        if extra is not None:  # drawn after everything above: the program's other lines as before
            terms = self.new_forms(extra)
            if terms:  # one statement each (a long chain of + in one expression costs s2sgrad's
                # compiling 4x per term where an object's method is inlined deep in it)
                z = self.fresh("z")
                for j, t in enumerate(terms):
                    c = round(float(extra.uniform(0.2, 1.0)), 2)
                    self.emit(f"{z} = {z + ' + ' if j else ''}np.sum({t}) * {c}")
                ret += f" + {z}"
        self.emit(f"return {ret}")
        return f"def {name}(params, xs, layer, x, s):\n" + "\n".join(self.lines) + "\n"


class Gen(_Flow, _NewForms, _LiteralStatements, _LiteralFlow, _LiteralExprs, _ContainerWrites, _Lists, _Containers,
          _ObjectsAndClosures, _Structured, _Core):
    """One program as source lines; tracks the shape kind of every live name, the lists, the local
    functions, and what the arguments hold."""

    def arg_spec(self):
        """What the program's arguments hold (draw_args makes them from it)."""
        spec = dict(nlayers=self.nlayers, nxs=self.nxs, nmods=self.nmods, layer_cls=self.layer_cls,
                    has_b2=self.has_b2)
        if getattr(self, "nan_ok", False):  # np.where with nan on the side not picked
            spec["nan_ok"] = True
        return spec


def make_module(seed, count, new_forms=NEW_FORMS_P):
    """(source of a module with the prelude and `count` programs f0..f{count-1}, their arg specs).
    A share new_forms of the programs end with a block of the newer forms, drawn from a stream of
    its own: with new_forms=0 every program is the text written before they existed."""
    rng = np.random.default_rng(seed)
    extra = np.random.default_rng([seed, 2])
    parts, specs = [PRELUDE], []
    for i in range(count):
        g = Gen(rng)
        parts.append(g.program(f"f{i}", extra if extra.random() < new_forms else None))
        specs.append(g.arg_spec())
    return "\n\n".join(parts), specs


def draw_args(mod, spec, rng):
    """The arguments [params, xs, layer, x, s] a program of this spec takes, with mod's classes."""
    U = lambda *sh: rng.uniform(-1, 1, sh)  # noqa: E731
    Q = lambda: U(N, N) * 0.6  # noqa: E731
    params = {"W": U(K, N), "Q": Q(), "b": U(N), "c": float(rng.uniform(-1, 1)),
              "layers": [(Q(), U(N)) for _ in range(spec["nlayers"])],
              "vecs": {"a": U(N), "b": U(N)}, "n": 2, "name": "net"}
    mods = []
    for i in range(spec["nmods"]):
        mods.append(mod.Lin(Q(), U(N)) if i % 2 == 0 else mod.Scaled(Q(), U(N), float(rng.uniform(0.5, 1.5))))
    params["mods"] = mods
    if spec["has_b2"]:
        params["b2"] = U(N)
    if rng.random() < 0.3:  # key order is part of the structure
        items = list(params.items())
        rng.shuffle(items)
        params = dict(items)
    xs = [U(N) for _ in range(spec["nxs"])]
    if rng.random() < 0.2:  # a tuple where a list was: another signature, the same program
        xs = tuple(xs)
    c = spec["layer_cls"]
    if c == "Lin":
        layer = mod.Lin(Q(), U(N))
    elif c == "Scaled":
        layer = mod.Scaled(Q(), U(N), float(rng.uniform(0.5, 1.5)))
    elif c == "Child":
        layer = mod.Child(Q())
    elif c == "Stack":
        layer = mod.Stack(mod.Lin(Q(), U(N)), mod.Scaled(Q(), U(N), 0.8))
    elif c == "Multi":
        layer = mod.Multi([Q() for _ in range(int(rng.integers(1, 3)))], float(rng.uniform(0.5, 1.5)))
    else:
        layer = mod.P(Q(), U(N))
    return [params, xs, layer, U(N), float(rng.uniform(-1, 1))]



