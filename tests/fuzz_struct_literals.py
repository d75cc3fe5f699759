"""Tuple, list and dict literals bound to names, for the structure fuzzer's generator
(tests/fuzz_struct_gen.py): `pair = (h, W @ x)`, `d = {'h': h, 'ab': (a, b)}`, `parts = [x * 2,
np.sin(x)]`, holding parameters, computed arrays, numbers, the arguments' containers and nested
literals (a repeated dict key sometimes); read by index, key, `.get`, unpacking (now and then with
the wrong count: the plain function raises, `invalid`), `for` over them, `.items()`, `np.stack`,
`sum`, `len`, a helper; after a name they hold is bound again (`h = h * 2`) or updated in place
(`h *= 2`, `h[0] = ...` on an owned copy: s2sgrad must refuse or match); bound again in branches
and loops (a `while` test reading one its body rebinds); lists started from a literal and appended
to (through an alias `gs = hs` sometimes); an owned container written by key or index.

A container's shape kind is a tuple, kept in `Gen.names` beside the arrays' kinds (strings):
("T", elems) a tuple, ("L", elems) a list, ("D", ((key, elem), ...)) a dict, ("S*", elem) a list or
tuple of unknown length >= 1 (after a branch or a loop), ("D?", ((key, elem), ...)) a dict known to
hold at least these keys; "?" an element no read may use.  `merge_kinds` gives what is known after
a branch or a loop.  Mixins of `fuzz_struct_gen.Gen`, as tests/fuzz_struct_constructs.py.
"""
from __future__ import annotations

KEYS = ("h", "a", "b", "ab", "w", "n")
LEAVES = ("v", "v", "v", "s", "s", "q", "u")
ARRAYS = ("v", "u", "m", "q")


def is_leaf(k):
    return isinstance(k, str)


def children(st):
    """[(access suffix, element kind)] of a container kind; an unknown-length list gives [0], [-1]."""
    tag = st[0]
    if tag in ("T", "L"):
        return [(i, e) for i, e in enumerate(st[1])]
    if tag == "S*":
        return [(0, st[1]), (-1, st[1])]
    return [(repr(k), e) for k, e in st[1]]


def homogeneous(st):
    """The one kind of all a container's elements (values of a dict), or None."""
    if st[0] == "S*":
        return st[1] if st[1] != "?" else None
    elems = [e for _, e in children(st)]
    return elems[0] if elems and elems[0] != "?" and all(e == elems[0] for e in elems) else None


def merge_kinds(a, b):
    """What is known of a name bound to a kind a on one path and b on another ("?": nothing)."""
    if a == b:
        return a
    if a is None or b is None or is_leaf(a) or is_leaf(b):
        return "?"
    ta, tb = a[0], b[0]
    if ta in ("D", "D?") and tb in ("D", "D?"):
        ka, kb = dict(a[1]), dict(b[1])
        if ta == tb == "D" and list(ka) == list(kb):
            return ("D", tuple((k, merge_kinds(ka[k], kb[k])) for k in ka))
        common = tuple((k, merge_kinds(ka[k], kb[k])) for k in ka if k in kb)
        common = tuple((k, e) for k, e in common if e != "?")
        return ("D?", common) if common else "?"
    if ta in ("D", "D?") or tb in ("D", "D?"):
        return "?"
    if ta == tb and ta != "S*" and len(a[1]) == len(b[1]):
        return (ta, tuple(merge_kinds(x, y) for x, y in zip(a[1], b[1])))
    ha, hb = homogeneous(a), homogeneous(b)
    return ("S*", ha) if ha is not None and ha == hb else "?"


def merge_names(*paths):
    """The names bound on every path, each with the kind known after the paths join."""
    out = {}
    for n, k in paths[0].items():
        for other in paths[1:]:
            k = merge_kinds(k, other.get(n))
        if k != "?":
            out[n] = k
    return out


class _LiteralExprs:
    """Kinds of literals, their text, and reads of the containers the live names hold."""

    def arg_containers(self):
        """(text, kind) of the arguments' containers and the appended lists a literal may hold."""
        return [('params["layers"]', ("L", (("T", ("q", "v")),) * self.nlayers)),
                ('params["vecs"]', ("D", (("a", "v"), ("b", "v")))),
                (f'params["layers"][{int(self.rng.integers(self.nlayers))}]', ("T", ("q", "v")))] + \
            [(ln, ("L", ("v",) * L)) for ln, (k, L) in self.lists.items() if k == "v"]

    def new_kind(self, depth=0):
        """A random container kind: a tuple of 2-3, a list of 1-3, a dict of 1-3 keys, holding
        arrays, numbers, an argument's container or (one level) nested literals."""
        def elem():
            if depth < 1 and self.chance(0.2):
                return self.new_kind(depth + 1)
            if depth < 1 and self.chance(0.06):
                return self.pick(self.arg_containers())[1]
            if depth < 1 and self.held() and self.chance(0.1):  # maybe that container itself
                return self.names[self.pick(self.held())]
            return self.pick(LEAVES)
        r = self.rng.random()
        if r < 0.35:
            return ("T", tuple(elem() for _ in range(int(self.rng.integers(2, 4)))))
        if r < 0.65:
            return ("L", tuple(elem() for _ in range(int(self.rng.integers(1, 4)))))
        keys = list(dict.fromkeys(self.pick(KEYS) for _ in range(int(self.rng.integers(1, 4)))))
        return ("D", tuple((k, elem()) for k in keys))

    def literal(self, kind, depth=1):
        """The text of a literal of the kind (an argument's container where one has it); the name
        in self.prefer, when of an element's kind, is held more often."""
        if kind == "?":  # an element no read uses: anything
            return self.expr(self.pick(LEAVES), depth)
        if is_leaf(kind):
            pref = self.prefer
            if pref and pref[1] == kind and self.chance(0.6):
                return pref[0]
            return self.expr(kind, depth)
        for text, k in self.arg_containers():
            if k == kind and self.chance(0.6):
                return text
        tag = kind[0]
        if tag == "S*":
            kind = ("L", (kind[1],) * int(self.rng.integers(1, 4)))
            tag = "L"
        if tag in ("T", "L"):
            items = [self.element(e, depth) for e in kind[1]]
            if tag == "T":
                return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
            return "[" + ", ".join(items) + "]"
        entries = [[repr(k), self.element(e, depth)] for k, e in kind[1]]
        if tag == "D?" and self.chance(0.5):  # a key more than the reads need
            entries.append(["'zz'", self.expr("s", depth + 1)])
        if self.chance(0.12) and entries:  # a repeated key: its place is the first one's, its value the
            # last one's (an empty dict has none; the draw stays, so other seeds' programs do not move)
            i = int(self.rng.integers(len(entries)))
            key, value = entries[i]
            entries[i] = [key, self.expr(self.pick(LEAVES), depth + 1)]
            entries.append([key, value])
        return "{" + ", ".join(f"{k}: {v}" for k, v in entries) + "}"

    def element(self, kind, depth):
        return self.literal(kind, depth + 1) if is_leaf(kind) else self.container_expr(kind, depth)

    def container_expr(self, kind, depth):
        return self.container_value(kind, depth)[0]

    def container_value(self, kind, depth):
        """(text, the name it is or None): a name of this container kind (an alias), or a new
        literal of it."""
        names = self.of_kind(kind)
        if names and self.chance(0.3):
            n = self.pick(names)
            return n, n
        return self.literal(kind, depth + 1), None

    def held(self):
        return [n for n, k in self.names.items() if not is_leaf(k)]

    def walk(self, text, kind, level=0):
        """(text, kind) of a container and everything in it, reached by index, key or .get."""
        yield text, kind
        if is_leaf(kind) or kind == "?" or level > 2:
            return
        for acc, e in children(kind):
            if e == "?":
                continue
            if kind[0] in ("T", "L"):
                acc = self.pick([acc, acc - len(kind[1])])
            if kind[0] in ("D", "D?") and is_leaf(e) and self.chance(0.2):
                yield f"{text}.get({acc}, 0.0)", e
                continue
            yield from self.walk(f"{text}[{acc}]", e, level + 1)

    def held_read(self, kind):
        """An expression of the kind read from a container a live name holds, or None."""
        cands = []
        for n in self.held():
            for text, k in self.walk(n, self.names[n]):
                if k == kind:
                    cands.append(text)
                if is_leaf(k):
                    continue
                h, tag = homogeneous(k), k[0]
                seq = tag in ("T", "L", "S*")
                if kind == "v" and h == "v" and seq:
                    cands += [f"np.sum(np.stack({text}), axis=0)", f"sum({text})",
                              f"np.mean(np.array({text}), axis=0)", f"np.stack({text})[{0 if tag == 'S*' else -1}]"]
                if kind == "v" and h == "v" and tag == "D":
                    cands.append(f"sum({text}.values())")
                if kind == "v" and tag in ("D", "D?") and dict(k[1]).get("h") == "v":
                    cands.append(f"h_get({text})")
                if kind == "s" and tag != "D?":
                    cands.append(f"(len({text}) * 0.25)")
                if kind == "s" and h == "s" and seq:
                    cands.append(f"sum({text})")
                if kind == "s" and h in ARRAYS and seq:
                    cands += [f"np.sum(np.stack({text}))", f"h_list_sum({text})"]
                if kind == "s" and tag in ("D", "D?"):  # a key it may not have (written, deleted)
                    k = self.pick(KEYS + ("new", "zz"))
                    cands += [f"{text}.get('zz', 0.0)", f"np.sum({text}.get({k!r}, 0.0))",
                              f"(1.0 if {k!r} in {text} else 0.5)"]
                if kind == "s" and h in ARRAYS and tag == "D":
                    cands.append(f"np.sum([np.sum(t_) for t_ in {text}.values()])")
        return self.pick(cands) if cands else None


class _LiteralStatements:
    """Statements binding, reading, rebinding and appending to literal containers."""

    def literal_statement(self):
        r = self.rng.random()
        if r < 0.20:
            self.bind_literal()
        elif r < 0.28:
            self.literal_list()
        elif r < 0.36:
            self.unpack()
        elif r < 0.46:
            self.iterate()
        elif r < 0.53 and self.depth < 2:
            self.while_reading()
        elif r < 0.62 and self.depth < 2:
            self.rebind_in_branch()
        elif r < 0.78:
            self.write_into()
        elif r < 0.90:
            self.copy_container()
        elif r < 0.93:  # a dict literal a helper returns
            n = self.fresh("d")
            self.emit(f"{n} = h_rec({self.expr('v')}{self.pick(['', ', c=' + self.const()])})")
            self.names[n] = ("D", (("h", "v"), ("ab", ("T", ("v", "s")))))
        else:
            kind = self.pick(LEAVES)
            read = self.held_read(kind)
            if read is None:
                return self.bind_literal()
            n = self.fresh()
            self.emit(f"{n} = {read}")
            self.names[n] = kind
            self.watched.append(n)

    def bind(self, n, kind):
        self.emit(f"{n} = {self.literal(kind)}")
        self.names[n] = kind
        self.new_cid(n)

    def bind_literal(self, then=True):
        """`c = literal`, maybe holding a name made just before; then maybe that name bound again
        or updated in place, and a read."""
        h = copy = None
        if self.chance(0.5):
            h, hk = self.fresh("h"), self.pick(["v", "v", "s", "q"])
            copy = hk == "v" and self.chance(0.5)
            self.emit(f"{h} = ({self.expr(hk)}).copy()" if copy else f"{h} = {self.expr(hk)}")
            self.names[h], self.prefer = hk, (h, hk)
        kind = self.new_kind()
        n = self.fresh({"T": "pair", "L": "lst", "D": "d"}[kind[0]])
        self.bind(n, kind)
        self.prefer = None
        if not then:
            return n
        r = self.rng.random()
        if h is not None and r < 0.35:  # the held name bound again: the container keeps the old value
            k = self.names[h]
            self.emit(self.pick([f"{h} = {h} * {self.const(0.5, 2.0)}", f"{h} = {self.expr(k)}"]))
        elif h is not None and r < 0.5 and (copy or self.names[h] == "s"):
            # an update in place of an owned copy (numpy changes the held element too), or of a
            # float (a new object: the container keeps the old one)
            if copy:
                self.emit(self.pick([f"{h}[{self.pick([0, -1])}] = {self.expr('s')}", f"{h} *= {self.const(0.5, 2.0)}",
                                     f"{h}[1:3] += {self.expr('v')}[:2]"]))
            else:
                self.emit(f"{h} {self.pick(['*=', '+='])} {self.expr('s')}")
        if kind[0] in ("D", "L") and self.chance(0.2):
            self.write_into(n)
        if self.chance(0.5):
            k = self.pick(LEAVES)
            read = self.held_read(k)
            if read is not None:
                a = self.fresh()
                self.emit(f"{a} = {read}")
                self.names[a] = k
                self.watched.append(a)
        return n

    def literal_list(self):
        """`hs = [h0, ...]` appended to in a loop (through `gs = hs` sometimes, only when a test
        holds sometimes), or a list made again (twice)."""
        if self.depth > 0:
            return self.bind_literal()
        again = self.owned(("L",))
        hs = self.pick(again) if again and self.chance(0.15) else self.fresh("hs")
        first = [self.expr("v") for _ in range(int(self.rng.integers(1, 3)))]
        self.emit(f"{hs} = [{', '.join(first)}]")
        h = self.fresh("h")
        self.emit(f"{h} = {self.pick(first)}")
        app = hs
        if self.chance(0.25):
            app = self.fresh("gs")
            self.emit(f"{app} = {hs}")
        holder = None
        if self.chance(0.25):  # a literal holding the list: it sees the appends too
            holder = self.fresh("d")
            self.emit(f"{holder} = {{'hs': {hs}, 'w': {self.expr('v')}}}")
        r = self.rng.random()
        if r < 0.4:
            L = int(self.rng.integers(1, 4))
            self.emit(f"for t in range({L}):")
        elif r < 0.7:
            L = self.nxs
            self.emit("for xt in xs:")
        else:
            L = self.pick([1, 2])
            c = self.fresh("c")
            self.emit(f"{c} = 0")
            self.emit(f"while {c} < {L}:")
            self.emit(f"    {c} += 1")
        self.depth += 1
        self.emit(f"{h} = np.tanh({self.expr('q')} @ {h} + {self.pick(['x', 's'] + (['xt'] * 2 if L == self.nxs and 0.4 <= r < 0.7 else []))})")
        sometimes = self.chance(0.2)
        if sometimes:
            self.emit(f"if np.sum({h}) > {self.const(-0.5, 0.5)}:")
            self.emit(f"    {app}.append({h})")
        else:
            self.emit(f"{app}.append({h})")
        self.depth -= 1
        kind = ("S*", "v") if sometimes else ("L", ("v",) * (len(first) + L))
        if self.chance(0.1):
            self.emit(f"{hs} += [{self.expr('v')}]")
            kind = kind if sometimes else ("L", ("v",) * (len(first) + L + 1))
        self.names[hs], self.names[h] = kind, "v"
        self.new_cid(hs)
        if app != hs:
            self.names[app], self.cid[app] = kind, self.cid[hs]
        if holder:
            self.names[holder] = ("D", (("hs", kind), ("w", "v")))
            self.new_cid(holder)

    def unpack(self):
        """`a, b = pair` (of a container or anything in one; with the wrong count sometimes)."""
        cands = [(t, k) for n in self.held() for t, k in self.walk(n, self.names[n])
                 if not is_leaf(k) and k[0] in ("T", "L") and 2 <= len(k[1]) <= 4]
        if not cands:
            return self.bind_literal(then=False)
        text, kind = self.pick(cands)
        elems = list(kind[1])
        if self.chance(0.05):  # the wrong count: ValueError in the plain function
            elems = elems[:-1] if self.chance(0.5) else elems + ["v"]
        if self.chance(0.04):  # starred
            a, rest = self.fresh(), self.fresh("rest")
            self.emit(f"{a}, *{rest} = {text}")
            self._bind_kind(a, elems[0])
            self.names[rest] = ("L", tuple(elems[1:]))
            return
        targets = []
        for e in elems:
            if not is_leaf(e) and e[0] == "T" and len(e[1]) == 2 and self.chance(0.3):
                a, b = self.fresh(), self.fresh()
                targets.append(f"({a}, {b})")
                self._bind_kind(a, e[1][0]), self._bind_kind(b, e[1][1])
            else:
                a = self.fresh()
                targets.append(a)
                self._bind_kind(a, e)
        self.emit(f"{', '.join(targets)} = {text}")

    def _bind_kind(self, n, kind):
        if kind != "?":
            self.names[n] = kind
            self.watched.append(n)


class _LiteralFlow:
    """Containers in loops and branches: a `for` over one, a `while` whose test reads one its body
    binds again, an `if` binding one again on each side."""

    def iterate(self):
        """`for p in c:` / `enumerate(c)` / `c.items()` / `for k in c: c[k]` over a container whose
        elements (values) are all of one kind; the body reads the element."""
        if self.depth >= 2:
            return self.bind_literal()
        cands = [(t, k) for n in self.held() for t, k in self.walk(n, self.names[n])
                 if not is_leaf(k) and k[0] != "D?" and homogeneous(k) is not None]
        if not cands:
            n = self.bind_literal(then=False)
            if homogeneous(self.names[n]) is None:
                return
            cands = [(n, self.names[n])]
        text, kind = self.pick(cands)
        el, acc, i, scale = self.fresh("el"), self.fresh("acc"), f"j{self.depth}", ""
        self.emit(f"{acc} = 0.0")
        before = dict(self.names)
        if kind[0] in ("D",):
            key = self.fresh("key")
            if self.chance(0.5):
                self.emit(f"for {key}, {el} in {text}.items():")
            else:
                self.emit(f"for {key} in {text}:")
                self.emit(f"    {el} = {text}[{key}]")
        elif self.chance(0.4):
            self.emit(f"for {i}, {el} in enumerate({text}):")
            scale = f" * ({i} + 1)"
        else:
            self.emit(f"for {el} in {text}:")
        elem = homogeneous(kind)
        self.names[el] = elem
        self.depth += 1
        read = el if is_leaf(elem) else next((t for t, k in self.walk(el, elem) if is_leaf(k)), "0.0")
        self.emit(f"{acc} = {acc} + np.sum(np.tanh({read})){scale}")
        self.depth -= 1
        self.block(int(self.rng.integers(0, 2)))
        self.names = merge_names(before, self.names)
        self.names[acc] = "s"
        self.watched.append(acc)

    def while_reading(self):
        """A `while` whose test reads a container its body binds again (same kind or another)."""
        held = self.held()
        n = self.pick(held) if held and self.chance(0.7) else self.bind_literal(then=False)
        old = self.names[n]
        new = old if self.chance(0.7) else self.new_kind()
        both = merge_kinds(old, new)
        reads = [t for t, k in self.walk(n, both) if k in ("v", "s")] if both != "?" else []
        test = f"np.sum({self.pick(reads)})" if reads else f"len({n})" if not is_leaf(both) and both[0] != "D?" else None
        if test is None:  # (a statement always writes a line: it may be a block's only one)
            return self.bind_literal()
        c = self.fresh("c")
        self.emit(f"{c} = 0")
        self.emit(f"while {c} < {self.pick([1, 2, 3])} and {test} < {self.const(0.0, 3.0)}:")
        before = dict(self.names)
        self.depth += 1
        self.emit(f"{c} += 1")
        if both == "?":  # the literal may not read it: the next pass has the other kind
            del self.names[n]
        else:
            self.names[n] = both
        self.bind(n, new)
        self.depth -= 1
        self.block(int(self.rng.integers(0, 2)))
        self.names = merge_names(before, self.names)

    def rebind_in_branch(self):
        """`if ...: c = literal` (`else: c = another`), the same kind or another; read after."""
        held = self.held()
        n = self.pick(held) if held and self.chance(0.7) else self.bind_literal(then=False)
        old = self.names[n]
        self.emit(f"if np.sum({self.expr('v')}) > {self.const()}:")
        saved = dict(self.names)
        self.depth += 1
        self.bind(n, old if self.chance(0.6) else self.new_kind())
        self.depth -= 1
        self.block(int(self.rng.integers(0, 2)))
        then = self.names
        self.names = dict(saved)
        if self.chance(0.7):
            self.emit("else:")
            self.depth += 1
            self.bind(n, old if self.chance(0.5) else self.new_kind())
            self.depth -= 1
        self.names = merge_names(then, self.names)
