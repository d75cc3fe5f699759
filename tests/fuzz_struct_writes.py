"""The newer Python forms of the structure fuzzer's generator (tests/fuzz_struct_gen.py), appended
to a program as a block before its `return` and drawn from a random stream of their own (so a
program without the block is the text the generator wrote before these forms existed):

- writes into dicts and lists the function made: `cache = {}; cache['h'] = h`, an overwrite
  reading the old value (`d['a'] = d['a'] * 2`), writes in the branches of an `if` (one side or
  both; a key written on one side only is read with `.get` or `in`), writes in a loop over a tuple
  of constant keys or over `params['vecs']` (unrolled), `h_record(cache, 'h', h)`;
- copies and merges: `dict(d)`, `d.copy()`, `{**d}`, of literals and of the arguments' dicts (also
  `dict(params)` written), `d.update({...})`, `d.update(k=v)`, `d.update(other)`, `d | e`;
- list and tuple literals: `parts[0] = v`, `a + [h]`, `[x] * 3`, `[h, s] * 2`, `tuple(a) + (y,)`,
  `y = parts.pop()` / `parts.pop(0)`;
- lists built at run time: `hs.extend([h, h * c])`, `hs += [h]`, `hs += [f(hs[-1])]`,
  `hs.extend(gs)`, `hs, gs = [], []`; read by `reversed(hs)`, `enumerate(reversed(hs))`,
  `zip(xs, reversed(hs))`, `hs[1:]`, `enumerate(hs[1:])`, `zip(hs[1:], hs[:-1])`, `hs[::-1]`,
  `hs[t + 1]`, `hs[2 * t + 1]`, `hs[2 * t - 1]`, and a loop whose counter is bound again in its
  body (`for t in range(n): t = n - 1 - t`);
- comprehensions with `if` (on data: a list of run-time length, read only by `sum`; or on the
  counters) and several `for` clauses, dict comprehensions (`if k.startswith('b')` on a key known
  when compiling: `b2` is there or not, per signature), generator expressions given to
  `sum`/`list`/`tuple`;
- nested unpacking `y, (a, b) = h_nest(x)`, `(a, b), c = ...`; `for k in ('W', 'Q')` (arrays of
  other shapes per pass), `for c in (0.5, 1.0, 2.0)`;
- lambdas bound to names at module level (the prelude's `relu`, `softplus`, `sq_norm`) or in the
  function (a leaky relu, one with a default, one closing over a local, one given to a helper);
- `np.fill_diagonal(S, v)` of an array the function made (a number, a scalar expression or a
  vector), now and then of an alias of one or of an argument's array;
- np.where whose side not picked has inf or nan values or derivatives (`np.where(h > 0,
  np.sqrt(h), c * h)`, `np.log`, `** 1.5`, `arccos`, `np.sqrt(np.maximum(h, 0))`, a named mask,
  a loop rebinding h through one), inside `with np.errstate(invalid='ignore', divide='ignore')`
  where the plain run would warn.  Such a program's spec has `nan_ok`: the check then accepts a
  non-finite gradient entry only where finite differences say the function is not smooth
  (tests/fuzz_struct_check.py), and still never a finite number other than the derivative;
- and, at low rates, the forms s2sgrad must refuse or get right: a write into a dict another name
  holds (`e = d; e['h'] = v`, a dict holding it), `d[k] += v`, a write in a loop that runs at run
  time, `hs.pop()` of a list built at run time, `h *= c` of an array a new list holds.

A mixin of `fuzz_struct_gen.Gen` (its names, lists, funcs, cid, expr); the block is written at
depth 0 after every other statement, binds only fresh names, and never writes into a container
the program made before it (copies it instead), so the `return` the generator drew before it reads
what it read before.  Its reads go into `self.terms`, which the return adds.
"""
from __future__ import annotations

import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from fuzz_struct_literals import is_leaf  # noqa: E402

NEW_FORMS_P = 0.6  # the share of programs that get a block of the newer forms
VKEYS = ("h", "z", "a", "w")  # the keys of the dicts the block makes ('n' holds a number)


class _NewForms:
    """The block of newer forms (see the module's docstring)."""

    def new_forms(self, rng):
        """Write the block with rng (the generator's own stream left where it was); returns the
        scalar or array expressions the return adds."""
        saved, self.rng = self.rng, rng
        self.terms, self.nan_ok, self.mine = [], False, set()
        try:
            for _ in range(int(rng.integers(1, 4))):
                self.new_form()
        finally:
            self.rng = saved
        return self.terms

    def new_form(self):
        self.anchor, self.before = len(self.lines), self.known()  # where ex() puts its bindings
        r = self.rng.random()
        forms = ((0.13, self.cache_dict), (0.22, self.dict_copies), (0.31, self.list_ops),
                 (0.42, self.runtime_list), (0.54, self.runtime_reads), (0.64, self.comprehensions),
                 (0.69, self.nested_unpack), (0.75, self.const_key_loop), (0.80, self.lambdas),
                 (0.85, self.fill_diagonal), (0.95, self.where_nan), (0.97, self.effect_helpers))
        for p, f in forms:
            if r < p:
                return f()
        # an older construct among the new names (one that binds only fresh names: the return drawn
        # before the block reads the program's names)
        self.pick([self.tuples, self.made_object, self.owned_writes, self.local_function, self.build_list,
                   self.comprehension, self.split, self.bind_literal])()

    # ------------------------------------------------------------------ helpers
    def bindv(self, kind="v", p="h"):
        """A fresh name bound to an expression of the kind."""
        n = self.fresh(p)
        self.emit(f"{n} = {self.expr(kind)}")
        self.names[n] = kind
        self.mine.add(n)
        return n

    def ex(self, kind):
        """An expression of the kind; one with a call in it is bound first to a name of its own, in
        a line before the form's first (nested in arithmetic, an object's method inlined deep in an
        expression costs s2sgrad's compiling 3-4x per level), unless it reads a name the form bound."""
        text = self.expr(kind)
        if "(" not in text or set(re.findall(r"[A-Za-z_]\w*", text)) & (self.known() - self.before):
            return text
        u = self.fresh("u")
        self.lines.insert(self.anchor, f"    {u} = {text}")
        self.anchor += 1
        return u

    def known(self):
        return set(self.names) | set(self.funcs) | set(self.lists)

    def term(self, text, kind="v"):
        """A read the return adds (an array or a number only: np.sum of a container may fail)."""
        if kind in ("v", "s", "q", "u", "m"):
            self.terms.append(text)

    def own_dict(self, n, keys, exact=True):
        self.names[n] = ("D" if exact else "D?", tuple(keys.items()))
        self.new_cid(n)
        self.mine.add(n)

    def vlists(self, min_len=1):
        """Lists of vectors with a known length: the program's (run time or literal) and xs."""
        out = [(ln, L) for ln, (k, L) in self.lists.items() if k == "v" and L >= min_len]
        out += [(n, len(k[1])) for n, k in self.names.items()
                if not is_leaf(k) and k[0] == "L" and len(k[1]) >= min_len and all(e == "v" for e in k[1])]
        return out + [("xs", self.nxs)]

    def dicts(self, leaves=False):
        """(text, kind) of dicts whose keys are known: the program's and params["vecs"]; leaves:
        only those holding arrays and numbers."""
        out = [(n, k) for n, k in self.names.items() if not is_leaf(k) and k[0] == "D" and k[1]
               and (not leaves or all(e in ("v", "s", "q", "u") for _, e in k[1]))]
        return out + [('params["vecs"]', ("D", (("a", "v"), ("b", "v"))))]

    def value(self, kind):
        if kind == "?":
            kind = "s"
        return self.ex(kind) if is_leaf(kind) else self.container_expr(kind, 1)

    # ------------------------------------------------------------------ dicts written
    def cache_dict(self):
        c = self.fresh("cache")
        keys = {}
        if self.chance(0.6):
            self.emit(f"{c} = {{}}")
        else:
            keys["h"] = "v"
            self.emit(f"{c} = {{'h': {self.ex('v')}}}")
        for _ in range(int(self.rng.integers(1, 4))):
            k = self.pick(VKEYS + ("n",))
            kind = keys.get(k) or ("s" if k == "n" else self.pick(["v", "v", "q", "s"]))
            if k in keys and self.chance(0.6):  # an overwrite reading the old value
                val = self.pick([f"{c}[{k!r}] * {self.ex('s')}", f"np.tanh({c}[{k!r}])",
                                 f"({c}[{k!r}] + {self.ex(kind)})"])
            else:
                val = self.ex(kind)
            self.emit(f"{c}[{k!r}] = {val}")
            keys[k] = kind
        one_side = None
        if self.chance(0.4):  # writes in the branches of an if (merged after it)
            self.emit(f"if np.sum({self.ex(self.pick(['v', 's']))}) > {self.const()}:")
            k = self.pick(list(keys))
            self.emit(f"    {c}[{k!r}] = {self.pick([self.ex(keys[k]), f'{c}[{k!r}] * 2.0'])}")
            if self.chance(0.25):
                one_side = self.pick(["b", "new"])
                self.emit(f"    {c}[{one_side!r}] = {self.ex('v')}")
            if self.chance(0.6):
                self.emit("else:")
                k2 = self.pick(list(keys))
                self.emit(f"    {c}[{k2!r}] = {self.ex(keys[k2])}")
        r = self.rng.random()
        vk = [k for k, kk in keys.items() if kk == "v"]
        if r < 0.15 and vk:  # a loop over a tuple of constant keys (unrolled)
            ks = tuple(self.pick(vk) for _ in range(2))
            ks = tuple(dict.fromkeys(ks))
            self.emit(f"for k_ in {ks!r}:")
            self.emit(f"    {c}[k_] = {c}[k_] * {self.const(0.5, 1.5)} + {self.ex('v')}")
        elif r < 0.25:  # a loop over an argument's dict, writing its keys
            if self.chance(0.5):
                self.emit('for k_, v_ in params["vecs"].items():')
                self.emit(f"    {c}[k_] = np.tanh(v_) * {self.ex('s')}")
            else:
                self.emit('for k_ in params["vecs"]:')
                self.emit(f"    {c}[k_] = params[\"vecs\"][k_] * {self.const(0.5, 1.5)}")
            keys.setdefault("a", "v")
            keys.setdefault("b", "v")
            keys["a"] = keys["b"] = "v"
        elif r < 0.30:  # refused: a write in a loop that runs at run time
            k = self.pick(list(keys))
            self.emit(f"for i_ in range({self.pick([1, 2])}):")
            self.emit(f"    {c}[{k!r}] = {c}[{k!r}] * {self.const(0.5, 1.5)}")
        elif r < 0.35:  # refused or right: an update in place of an element
            k = self.pick(list(keys))
            self.emit(f"{c}[{k!r}] {self.pick(['+=', '*='])} {self.ex(self.pick([keys[k], 's']))}")
        elif r < 0.40:  # refused or right: another name for the dict, written through it
            e = self.fresh("e")
            self.emit(f"{e} = {c}")
            k = self.pick(list(keys))
            self.emit(f"{e}[{k!r}] = {self.ex(keys[k])}")
            self.term(f"{e}[{k!r}]")
        elif r < 0.44:  # refused or right: a dict holding it, then a write
            o = self.fresh("outer")
            self.emit(f"{o} = {{'c': {c}}}")
            k = self.pick(list(keys))
            self.emit(f"{c}[{k!r}] = {self.ex(keys[k])}")
            self.term(f"{o}['c'][{k!r}]")
        for k in self.rng.permutation(list(keys))[:2]:
            self.term(f"{c}[{str(k)!r}]")
        if one_side:
            self.term(self.pick([f"{c}.get({one_side!r}, 0.0)", f"(1.0 if {one_side!r} in {c} else 0.5)"]))
        if all(kk == "v" for kk in keys.values()) and self.chance(0.4):
            self.term(f"sum({c}.values())")
        if not one_side:
            self.own_dict(c, keys)

    def dict_copies(self):
        r = self.rng.random()
        if r < 0.2:  # a copy of the argument dict, written (the argument keeps its W)
            e = self.fresh("q")
            self.emit(f"{e} = {self.pick(['dict(params)', 'params.copy()', '{**params}'])}")
            self.emit(f"{e}['W'] = {e}['W'] * {self.ex('s')}")
            if self.chance(0.5):
                self.emit(f"{e}.update(b={self.ex('v')})")
            self.term(f"({e}['W'] @ x)")
            self.term(f"{e}['b']")
            self.term('(params["W"] @ x)')
            return
        srcs = self.dicts()
        if self.chance(0.35):
            src = self.fresh("d")
            keys = {str(k): self.pick(["v", "v", "s", "q"]) for k in self.rng.permutation(VKEYS)[:int(self.rng.integers(1, 4))]}
            self.emit(f"{src} = {{" + ", ".join(f"{k!r}: {self.ex(kk)}" for k, kk in keys.items()) + "}")
            self.own_dict(src, keys)
            kind = self.names[src]
        else:
            src, kind = self.pick(srcs)
        keys = dict(kind[1])
        e = self.fresh("e")
        r = self.rng.random()
        if r < 0.6:
            self.emit(f"{e} = {self.pick([f'dict({src})', f'{src}.copy()', '{**' + src + '}'])}")
            new = dict(keys)
        else:  # a union with another dict (a literal or a name)
            other = {str(k): self.pick(["v", "s"]) for k in self.rng.permutation(VKEYS + ("n",))[:int(self.rng.integers(1, 3))]}
            if self.chance(0.5) and len(srcs) > 1:
                otext, okind = self.pick(srcs)
                other = dict(okind[1])
            else:
                otext = "{" + ", ".join(f"{k!r}: {self.ex(kk)}" for k, kk in other.items()) + "}"
            self.emit(f"{e} = {src} | {otext}")
            new = dict(keys)
            new.update(other)
        # then written: a key, update with a dict, with keywords, with another dict
        r = self.rng.random()
        ks = list(new)
        if r < 0.35 and ks:
            k = self.pick(ks)
            if new[k] in ("v", "s", "q", "u"):
                self.emit(f"{e}[{k!r}] = {self.pick([f'{e}[{k!r}] * 2.0', self.value(new[k])])}")
            else:
                new[k] = self.pick(["v", "s"])
                self.emit(f"{e}[{k!r}] = {self.value(new[k])}")
        elif r < 0.55:
            up = {str(k): self.pick(["v", "s"]) if new.get(k, "?") == "?" else new[k] for k in self.rng.permutation(VKEYS)[:2]}
            self.emit(f"{e}.update({{" + ", ".join(f"{k!r}: {self.value(kk)}" for k, kk in up.items()) + "})")
            new.update(up)
        elif r < 0.75:
            up = {str(k): self.pick(["v", "s"]) if new.get(k, "?") == "?" else new[k]
                  for k in self.rng.permutation(VKEYS)[:int(self.rng.integers(1, 3))]}
            self.emit(f"{e}.update(" + ", ".join(f"{k}={self.value(kk)}" for k, kk in up.items()) + ")")
            new.update(up)
        elif r < 0.9:
            otext, okind = self.pick(srcs)
            self.emit(f"{e}.update({otext})")
            new.update(dict(okind[1]))
        for k in self.rng.permutation(list(new))[:2]:
            self.term(f"{e}[{str(k)!r}]", new[str(k)])
        if ks:
            k = self.pick(list(keys))
            self.term(f"{src}[{k!r}]", keys[k])  # the source is not changed by writes into the copy
        self.own_dict(e, new)

    # ------------------------------------------------------------------ list and tuple literals
    def list_ops(self):
        p = self.fresh("parts")
        elems = [self.pick(["v", "v", "s", "q"]) for _ in range(int(self.rng.integers(2, 4)))]
        self.emit(f"{p} = [" + ", ".join(self.ex(k) for k in elems) + "]")
        for _ in range(int(self.rng.integers(1, 3))):
            r = self.rng.random()
            if r < 0.3 and elems:
                i = int(self.rng.integers(len(elems)))
                j = self.pick([i, i - len(elems)])
                self.emit(f"{p}[{j}] = {self.pick([self.ex(elems[i]), f'{p}[{j}] * {self.const(0.5, 2.0)}'])}")
            elif r < 0.45:
                a, h = self.fresh("lst"), self.fresh("h")
                self.emit(f"{h} = ({self.ex('v')}).copy()")
                self.names[h] = "v"
                self.emit(f"{a} = {p} + [{h}]")
                self.names[a] = ("L", tuple(elems + ["v"]))
                self.new_cid(a)
                self.term(f"{a}[-1]")
                if self.chance(0.15):  # refused or right: the array the new list holds, updated in place
                    self.emit(f"{h} *= {self.const(0.5, 2.0)}")
                    self.term(f"{a}[-1]")
                    self.names.pop(a)
            elif r < 0.6:
                a = self.fresh("rep")
                h = self.bindv(self.pick(["v", "s"]))
                if self.chance(0.6):
                    n = self.pick([2, 3])
                    self.emit(f"{a} = [{h}] * {n}")
                    kind = ("L", (self.names[h],) * n)
                else:
                    g = self.bindv("s")
                    self.emit(f"{a} = [{h}, {g}] * 2")
                    kind = ("L", (self.names[h], "s") * 2)
                self.names[a] = kind
                self.new_cid(a)
                self.term(f"{a}[{self.pick([0, 1, -1])}]")
            elif r < 0.75:
                a = self.fresh("tp")
                y = self.ex("v")
                self.emit(f"{a} = tuple({p}) + ({y},)")
                self.names[a] = ("T", tuple(elems + ["v"]))
                self.new_cid(a)
                self.term(f"{a}[{self.pick([-1, 0, len(elems) - 1])}]")
            elif len(elems) >= 2:
                a = self.fresh()
                last = self.chance(0.6)
                self.emit(f"{a} = {p}.pop()" if last else f"{a} = {p}.pop(0)")
                self.names[a] = elems[-1] if last else elems[0]
                elems = elems[:-1] if last else elems[1:]
                self.term(a)
        self.names[p] = ("L", tuple(elems))
        self.new_cid(p)
        self.term(f"{p}[{self.pick([0, -1])}]")
        if self.chance(0.3):
            self.term(f"len({p})")

    # ------------------------------------------------------------------ lists built at run time
    def runtime_list(self):
        hs, gs, h = self.fresh("hs"), self.fresh("gs"), self.fresh("h")
        two = self.chance(0.4)
        start = 0
        if two:
            self.emit(f"{hs}, {gs} = [], []")
        elif self.chance(0.3):
            self.emit(f"{hs} = [{self.ex('v')}]")
            start = 1
        else:
            self.emit(f"{hs} = []")
        self.emit(f"{h} = {self.ex('v')}")
        r = self.rng.random()
        if r < 0.4:
            L = int(self.rng.integers(1, 4))
            self.emit(f"for t_ in range({L}):")
            inp = self.pick(["x", "s", "xs[0]", "(t_ + 1) * 0.5"])
        elif r < 0.7:
            L = self.nxs
            self.emit("for xt in xs:")
            inp = "xt"
        else:
            L = self.nlayers
            self.emit('for Wl, bl in params["layers"]:')
            inp = "bl"
        mat = "Wl" if r >= 0.7 else self.ex("q")
        self.depth += 1
        step = self.rng.random()
        if start and step < 0.3:  # reads the list's last element before the append, as Python does
            self.emit(f"{hs} += [np.tanh({mat} @ {hs}[-1] + {inp})]")
            per = 1
            self.emit(f"{h} = {hs}[-1]")
        else:
            self.emit(f"{h} = np.tanh({mat} @ {h} + {inp})")
            form = self.rng.random()
            if form < 0.35:
                self.emit(f"{hs}.extend([{h}, {h} * {self.const(0.5, 1.5)}])")
                per = 2
            elif form < 0.6:
                self.emit(f"{hs} += [{h}]")
                per = 1
            elif form < 0.75:
                self.emit(f"{hs}.extend(({h},))")
                per = 1
            else:
                self.emit(f"{hs}.append({h})")
                per = 1
        gk = None
        if two:
            gk = self.pick(["s", "v"])
            self.emit(self.pick([f"{gs}.append({'np.sum(' + h + ' * x)' if gk == 's' else h + ' * 0.5'})",
                                 f"{gs} += [{'np.sum(' + h + ')' if gk == 's' else 'np.sin(' + h + ')'}]"]))
        self.depth -= 1
        n = start + per * L
        if two and gk == "v" and self.chance(0.5):
            self.emit(f"{hs}.extend({gs})")
            n += L
        self.lists[hs] = ("v", n)
        if two:
            self.lists[gs] = (gk, L)
            self.term(f"sum({gs})")
        self.names[h] = "v"
        self.mine.update((hs, gs, h))
        if self.chance(0.06):  # refused: a pop of a list built at run time
            a = self.fresh()
            self.emit(f"{a} = {hs}.pop()")
            self.lists[hs] = ("v", n - 1)
            self.names[a] = "v"
            self.term(a)
        self.term(f"{hs}[{self.pick([0, -1, n - 1])}]")

    def runtime_reads(self):
        cands = self.vlists()
        ln, L = self.pick(cands)
        acc, e = self.fresh("acc"), self.fresh("e")
        self.emit(f"{acc} = 0.0")
        c = self.const(0.3, 1.0)
        r = self.rng.random()
        g = None
        if r < 0.12:
            self.emit(f"for {e} in reversed({ln}):")
            body = [f"{acc} = {acc} * {c} + np.sum(np.tanh({e}) * {self.ex('v')})"]
            if self.chance(0.5):  # a recurrence backwards (backprop through time's shape)
                g = self.fresh("g")
                text = f"    {g} = {self.ex('v')}"  # (ex may insert a line: the index after it)
                self.lines.insert(len(self.lines) - 1, text)
                body.append(f"{g} = np.tanh({self.ex('q')} @ {g}) * {e}")
        elif r < 0.22:
            t = self.fresh("t")
            self.emit(f"for {t}, {e} in enumerate(reversed({ln})):")
            body = [f"{acc} = {acc} + np.sum({e} * {self.ex('v')}) * ({t} + 1)"]
        elif r < 0.32:
            xt = self.fresh("xt")
            other = self.pick([n for n, _ in cands])
            self.emit(f"for {xt}, {e} in zip({other}, reversed({ln})):")
            body = [f"{acc} = {acc} + np.sum({xt} * {e})"]
        elif r < 0.42:
            self.emit(f"for {e} in {ln}[{self.pick(['1:', '::-1', '::-2', ':-1'])}]:")
            body = [f"{acc} += np.sum(np.sin({e}) * {self.ex('s')})"]
        elif r < 0.52:
            t = self.fresh("t")
            self.emit(f"for {t}, {e} in enumerate({ln}[1:]):")
            body = [f"{acc} = {acc} + np.sum({e} * {t}) + np.sum({e} * {self.ex('v')})"]
        elif r < 0.62:
            a = self.fresh("e")
            self.emit(f"for {a}, {e} in zip({ln}[1:], {ln}[:-1]):")
            body = [f"{acc} = {acc} + np.sum({a} * {e})"]
        elif r < 0.72:
            t = self.fresh("t")
            self.emit(f"for {t} in range({self.pick([f'len({ln}) - 1', str(L - 1)])}):")
            body = [f"{acc} = {acc} + np.sum(({ln}[{t} + 1] - {ln}[{t}]) * {self.ex('v')})"]
        elif r < 0.8:
            t = self.fresh("t")
            if self.chance(0.5):
                self.emit(f"for {t} in range({L // 2}):")
                body = [f"{acc} = {acc} + np.sum({ln}[2 * {t} + 1] ** 2)"]
            else:
                self.emit(f"for {t} in range(1, {(L + 1) // 2}):")
                body = [f"{acc} = {acc} + np.sum({ln}[2 * {t} - 1] * {self.ex('v')})"]
        elif r < 0.92:  # a counter bound again in the body
            t = self.fresh("t")
            n = self.pick([f"len({ln})", str(L)])
            self.emit(f"for {t} in range({n}):")
            body = [f"{t} = {n} - 1 - {t}", f"{acc} = {acc} * {c} + np.sum({ln}[{t}]) * ({t} + 1)"]
        else:  # the argument's layers backwards
            W, b = self.fresh("W"), self.fresh("b")
            g = self.fresh("g")
            text = f"    {g} = {self.ex('v')}"  # (ex may insert a line: the index after it)
            self.lines.insert(len(self.lines) - 1, text)
            self.emit(f"for {W}, {b} in reversed(params[\"layers\"]):")
            body = [f"{g} = np.tanh({W} @ {g} + {b})", f"{acc} = {acc} + np.sum({g})"]
        for line in body:
            self.emit("    " + line)
        self.names[acc] = "s"
        self.term(acc)
        if g:
            self.names[g] = "v"
            self.term(g)

    # ------------------------------------------------------------------ comprehensions
    def comprehensions(self):
        cands = self.vlists()
        (a, La), (b, Lb) = self.pick(cands), self.pick(cands)
        t = self.fresh("tm")
        r = self.rng.random()
        if r < 0.15:
            self.emit(f"{t} = [np.sum(u_ * w_) for u_ in {a} for w_ in {b}]")
            self.lists[t] = ("s", La * Lb)
            self.term(f"sum({t})")
        elif r < 0.28:  # an if on data: a list of run-time length, read by sum only
            self.emit(f"{t} = [np.sum(np.tanh(u_)) for u_ in {a} if np.sum(u_) > {self.const()}]")
            self.term(f"sum({t})")
        elif r < 0.38:
            self.emit(f"{t} = [np.sum(u_ * w_) for i_, u_ in enumerate({a}) for j_, w_ in enumerate({b}) if i_ <= j_]")
            self.term(f"sum({t})")
        elif r < 0.48:
            self.emit(f"{t} = [np.tanh(W_ @ u_ + b_) for W_, b_ in params[\"layers\"] for u_ in {a}]")
            self.lists[t] = ("v", self.nlayers * La)
            self.term(f"{t}[-1]")
        elif r < 0.58:
            src, kind = self.pick(self.dicts(leaves=True))
            self.emit(f"{t} = {{k_: v_ * {self.ex('s')} for k_, v_ in {src}.items()}}")
            self.names[t] = kind
            self.new_cid(t)
            self.term(f"{t}[{kind[1][0][0]!r}]")
        elif r < 0.68:  # keys filtered when compiling; params' b2 is there or not
            src, kind = self.pick(self.dicts(leaves=True) + [("params", None)] * 2)
            if kind is None:
                self.emit(f"{t} = {{k_: params[k_] * {self.const(0.5, 1.5)} for k_ in params if k_.startswith('b')}}")
                self.names[t] = ("D?", (("b", "v"),))
                self.term(f"sum({t}.values())")
            else:
                p = self.pick([k for k, _ in kind[1]])[0]
                self.emit(f"{t} = {{k_: np.tanh(v_) for k_, v_ in {src}.items() if k_.startswith({p!r})}}")
                self.names[t] = ("D", tuple((k, kk) for k, kk in kind[1] if k.startswith(p)))
                self.term(f"len({t})")
                if all(kk == "v" for _, kk in kind[1]):
                    self.term(f"sum({t}.values())")
            self.new_cid(t)
        elif r < 0.74:
            self.emit(f"{t} = {{k_: params[k_] for k_ in ('W', 'Q')}}")
            self.emit(f"{t}['W'] = {t}['W'] * {self.ex('s')}")
            self.term(f"np.tanh({t}['W'] @ {self.ex('v')})")
            self.term(f"{t}['Q']")
        elif r < 0.82:
            g, k = self.pick([("sum(np.sum(w_ ** 2) for w_ in params[\"vecs\"].values())", "s"),
                              (f"sum(np.sum(np.tanh(u_)) for u_ in {a})", "s"),
                              ("sum(np.sum(W_ ** 2) * 0.1 for W_, b_ in params[\"layers\"])", "s"),
                              ("sum(np.sum(v_) for k_, v_ in params[\"vecs\"].items() if k_.startswith('a'))", "s"),
                              (f"sum((np.sin(u_) for u_ in {a}), {self.ex('v')})", "v")])
            self.emit(f"{t} = {g}")
            self.names[t] = k
            self.term(t)
        elif r < 0.91:
            self.emit(f"{t} = list(np.tanh(u_) * {self.const(0.5, 1.5)} for u_ in {a})")
            self.lists[t] = ("v", La)
            self.term(f"{t}[0]")
        else:
            self.emit(f"{t} = tuple(u_ * 2.0 for u_ in {a})")
            self.names[t] = ("T", ("v",) * La)
            self.new_cid(t)
            self.term(f"{t}[-1]")

    # ------------------------------------------------------------------ unpacking, constant loops, lambdas
    def nested_unpack(self):
        y, a, b = self.fresh(), self.fresh(), self.fresh()
        r = self.rng.random()
        if r < 0.4:
            self.emit(f"{y}, ({a}, {b}) = h_nest({self.ex('v')}{self.pick(['', ', c=' + self.const(0.2, 1.0)])})")
            kinds = ("v", "v", "s")
        elif r < 0.6:
            self.emit(f"{y}, ({a}, {b}) = h_stats({self.ex('v')})")
            kinds = ("v", "s", "s")
        elif r < 0.8:
            self.emit(f"({a}, {b}), {y} = ({self.ex('v')}, {self.ex('s')}), {self.ex('v')}")
            kinds = ("v", "v", "s")
        else:
            p = self.fresh("pair")
            self.emit(f"{p} = ({self.ex('v')}, ({self.ex('v')}, {self.ex('s')}))")
            self.emit(f"{y}, ({a}, {b}) = {p}")
            kinds = ("v", "v", "s")
        for n, k in zip((y, a, b), kinds):
            self.names[n] = k
        self.term(self.pick([y, a, b]))

    def const_key_loop(self):
        acc = self.fresh("acc")
        self.emit(f"{acc} = 0.0")
        r = self.rng.random()
        if r < 0.3:
            self.emit("for k_ in ('a', 'b'):")
            self.emit(f"    {acc} = {acc} + np.sum(params[\"vecs\"][k_] * {self.ex('v')})")
        elif r < 0.55:
            self.emit("for k_ in ('W', 'Q'):")  # a (K, N) and an (N, N) matrix: another shape per pass
            self.emit(f"    {acc} = {acc} + np.sum(np.tanh(params[k_] @ {self.ex('v')}))")
        elif r < 0.8:
            self.emit("for c_ in (0.5, 1.0, 2.0):")
            self.emit(f"    {acc} = {acc} + np.sum(np.exp(-np.square({self.ex('v')}) / c_))")
        else:
            vd = [(n, k) for n, k in self.dicts() if any(kk == "v" for _, kk in k[1])]
            n, k = self.pick(vd)
            ks = tuple(dict.fromkeys(kk for kk, e in k[1] if e == "v"))
            self.emit(f"for k_ in {ks!r}:")
            self.emit(f"    {acc} = {acc} * {self.const(0.5, 1.0)} + np.sum({n}[k_] ** 2)")
        self.names[acc] = "s"
        self.term(acc)

    def lambdas(self):
        r = self.rng.random()
        y = self.fresh()
        if r < 0.3:
            self.emit(f"{y} = {self.pick(['relu', 'softplus'])}({self.ex('v')})")
            self.names[y] = "v"
            self.funcs.setdefault(self.pick(["relu", "softplus"]), 2)
        elif r < 0.4:
            self.emit(f"{y} = sq_norm({self.ex('v')})")
            self.names[y] = "s"
        elif r < 0.65:
            g = self.fresh("act")
            self.emit(f"{g} = lambda z: np.maximum(z, {self.const(0.01, 0.3)} * z)")
            self.emit(f"{y} = {g}({self.ex('v')})")
            self.names[y] = "v"
            self.funcs[g] = 2
        elif r < 0.8:
            g = self.fresh("sc")
            self.emit(f"{g} = lambda z, k=2.0: z * k")
            self.emit(f"{y} = {g}({self.ex('v')}{self.pick(['', ', k=' + self.ex('s'), ', ' + self.const()])})")
            self.names[y] = "v"
        elif r < 0.9:
            g, h = self.fresh("sh"), self.bindv()
            self.pinned.add(h)
            self.emit(f"{g} = lambda z: np.tanh(z) + {h} * {self.const()}")
            self.emit(f"{y} = {g}({self.ex('v')})")
            self.names[y] = "v"
            self.funcs[g] = 2
        else:
            self.emit(f"{y} = h_apply(lambda z: relu(z) * {self.const(0.2, 1.0)}, {self.ex('v')}, scale={self.ex('s')})")
            self.names[y] = "v"
        self.term(y)

    def fill_diagonal(self):
        S = self.fresh("S")
        r = self.rng.random()
        if r < 0.3:
            self.emit(f"{S} = np.outer({self.ex('v')}, {self.ex('v')})")
        elif r < 0.5:
            q = self.ex("q")
            self.emit(f"{S} = {q} @ {q}.T")
        elif r < 0.7:
            a, b = self.ex("v"), self.ex("v")
            self.emit(f"{S} = np.exp(-np.square({a}[:, None] - {b}[None, :]))")
        elif r < 0.9:
            self.emit(f"{S} = {self.ex('q')}.copy()")
        elif r < 0.95:  # refused or right: an alias of an owned array, filled (both see it)
            T = self.fresh("S")
            self.emit(f"{T} = np.outer({self.ex('v')}, {self.ex('v')})")
            self.emit(f"{S} = {T}")
            self.names[T] = "q"
            self.term(T)
        else:  # refused: the argument's array, filled
            self.emit(f"{S} = params[\"Q\"]")
        val = self.pick(["0.0", self.ex("s"), self.ex("v")])
        self.emit(f"np.fill_diagonal({S}, {val})")
        self.names[S] = "q"
        self.term(S if self.chance(0.5) else f"np.exp(-{S} ** 2)")

    # ------------------------------------------------------------------ np.where with nan on one side
    def where_nan(self):
        scalar = self.chance(0.15)
        h = self.bindv("s" if scalar else "v")
        self.nan_ok = True
        mask = f"{h} > 0"
        named = self.chance(0.3)
        c = self.const(0.1, 1.0)
        forms = [  # (text, whether the plain run warns)
            (f"np.where({{m}}, np.sqrt({h}), {c} * {h})", True),
            (f"np.where({{m}}, np.log({h}), {h} - 1.0)", True),
            (f"np.where({h} > 0.1, np.sqrt({h} - 0.1), 0.0)", True),
            (f"np.where({{m}}, np.sqrt(np.abs({h})), -np.sqrt(np.abs({h})))", False),
            (f"np.where({{m}}, np.sqrt(np.maximum({h}, 0.0)), {c} * {h})", False),
            (f"np.where({h} < 0, np.log(-{h}), {h})", True),
            (f"np.where({{m}}, {h} ** 1.5, 0.0)" if not scalar else f"np.where({{m}}, {h} * np.sqrt({h}), 0.0)", True),
            (f"np.log(np.where({{m}}, {h}, 1.0))", False),
            (f"np.where({{m}}, np.sqrt({h}), 0.0) * {self.ex('s' if scalar else 'v')}", True),
            (f"np.where({{m}}, {h}, 0.01 * {h})", False),
            (f"np.where({{m}}, {h} * np.log({h}), 0.0)", True),
            (f"np.where(np.abs({h}) < 0.9, np.arccos({h}), 0.0)", True),
            (f"np.where({{m}}, 1.0 / np.maximum({h}, 0.0), {h})", True),
        ]
        text, warns = self.pick(forms)
        loop = not scalar and self.chance(0.15)
        wrap = warns or self.chance(0.2)
        if wrap:
            self.emit(self.pick(["with np.errstate(invalid='ignore', divide='ignore'):",
                                 "with np.errstate(all='ignore'):"]))
            self.depth += 1
        m = None
        if named:
            m = self.fresh("m")
            if not loop:
                self.emit(f"{m} = {mask}")
        y = self.fresh("y")
        if loop:  # h bound again through the where (its mask too)
            self.emit(f"for i_ in range({self.pick([1, 2])}):")
            if m:
                self.emit(f"    {m} = {mask}")
            self.emit(f"    {h} = {text.format(m=m or mask)}")
            self.emit(f"{y} = {h}")
        else:
            self.emit(f"{y} = {text.format(m=m or mask)}")
        if wrap:
            self.depth -= 1
        self.names[y] = "s" if scalar else "v"
        self.term(y)
        if self.chance(0.4):  # a second contribution to h's adjoint
            self.term(f"{h} * {self.const(0.2, 1.0)}")

    def effect_helpers(self):
        if self.chance(0.5):
            c = self.fresh("cache")
            self.emit(f"{c} = {{}}")
            h = self.bindv()
            self.emit(f"h_record({c}, 'h', {h})")
            self.emit(f"h_record({c}, 'z', np.sin({h}) * {self.ex('s')})")
            self.term(f"{c}['z'] * {c}['h']")
            self.own_dict(c, {"h": "v", "z": "v"})
        else:
            o = self.fresh("out")
            self.emit(f"{o} = {self.ex('v')} * 2.0")
            self.emit(f"h_zero_first({o})")
            self.names[o] = "v"
            self.term(o)
