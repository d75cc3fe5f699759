"""`match` statements, as the `if`/`elif` chain they decide: the subject evaluated once, before the
cases (a tuple written out, `match (hg, ag):`, element by element), each case's pattern a test of
it, a guard after the pattern's names are bound, the first case that matches taken.

Patterns followed: a literal or a dotted constant (`case 0:`, `case "a":`, `case Color.RED:`:
`==`, as Python compares values), None/True/False (`is`), `_`, a name that captures the subject
(`case x:`, `case (0, y):`), `p as name`, alternatives `a | b` (binding no names) and a tuple or list
of patterns against a subject written as a tuple (its length known: a case of another length never
matches).  A class or mapping pattern, a starred one, or a sequence pattern against a subject that
is not written as a tuple is refused at the case: its test is an isinstance or a length that
s2sgrad does not decide.

Guarantee: the chain takes the case Python's match takes, with the names it binds bound to the
same values; nothing is evaluated that Python does not evaluate but the subject's parts (which
Python evaluates once, before the first case, too).
"""
from __future__ import annotations

import libcst as cst

from ..errors import UnsupportedSyntaxError
from .listbuild import Rename


def lower_match(lowerer, s: cst.Match) -> list:
    """The statements of `match` s (an if/elif chain, after the subject's parts are bound)."""
    subject = s.subject
    parts = list(subject.elements) if isinstance(subject, (cst.Tuple, cst.List)) else None
    if parts is not None and any(isinstance(p, cst.StarredElement) for p in parts):
        raise lowerer.error(UnsupportedSyntaxError, "a match subject with a starred element (bind the tuple first)",
                            subject)
    head, names = [], []
    for value in ([p.value for p in parts] if parts is not None else [subject]):
        name = lowerer.fresh("subject")
        head.append(_assign(name, value))
        names.append(name)
    target = names if parts is not None else names[0]
    chain = None
    for case in reversed(s.cases):
        test, binds = _pattern(lowerer, case.pattern, target)
        body = [_assign(n, cst.Name(v)) for n, v in binds] + list(case.body.body)
        if case.guard is not None:
            guard = case.guard.visit(Rename({n: v for n, v in binds}))  # (bound after the test)
            test = guard if test is None else _and(test, guard)
        if test is None:  # (always matches: what follows it never runs)
            chain = cst.Else(body=cst.IndentedBlock(body))
            continue
        chain = cst.If(test=test, body=cst.IndentedBlock(body), orelse=chain)
    loc = lowerer.loc(s)
    out = []
    for st in head + ([chain] if isinstance(chain, cst.If) else []):
        out += lowerer.statement_of(st, loc)
    if isinstance(chain, cst.Else):
        out += lowerer.block(chain.body.body)
    return out


def _pattern(lowerer, p, target):
    """(test, bindings) of pattern p against target (a name, or a list of names for a subject
    written as a tuple): test None when p always matches; bindings (name, subject name)."""
    if isinstance(p, cst.MatchAs):
        test, binds = (None, []) if p.pattern is None else _pattern(lowerer, p.pattern, target)
        if p.name is not None:
            if isinstance(target, list):
                raise lowerer.error(UnsupportedSyntaxError, "a name capturing a match subject written as a tuple "
                                    "(match on a name bound to the tuple)", p)
            binds = binds + [(p.name.value, target)]
        return test, binds
    if isinstance(p, cst.MatchValue):
        return _compare(lowerer, p, target, cst.Equal(), p.value), []
    if isinstance(p, cst.MatchSingleton):
        return _compare(lowerer, p, target, cst.Is(), p.value), []
    if isinstance(p, cst.MatchOr):
        tests = []
        for alt in p.patterns:
            test, binds = _pattern(lowerer, alt.pattern, target)
            if binds:
                raise lowerer.error(UnsupportedSyntaxError, "alternatives (a | b) that bind names", p)
            if test is None:
                return None, []
            tests.append(test)
        out = tests[0]
        for t in tests[1:]:
            out = cst.BooleanOperation(_paren(out), cst.Or(), _paren(t))
        return out, []
    if isinstance(p, (cst.MatchTuple, cst.MatchList)):
        if not isinstance(target, list):
            raise lowerer.error(UnsupportedSyntaxError, "a sequence pattern against a subject not written as a "
                                "tuple (match (a, b): ...): its test is a type and a length s2sgrad does not "
                                "decide", p)
        if any(isinstance(el, cst.MatchStar) for el in p.patterns):
            raise lowerer.error(UnsupportedSyntaxError, "a starred sequence pattern (*rest)", p)
        if len(p.patterns) != len(target):
            return cst.Name("False"), []
        test, binds = None, []
        for el, name in zip(p.patterns, target):
            t, b = _pattern(lowerer, el.value, name)
            test = t if test is None else test if t is None else _and(test, t)
            binds += b
        return test, binds
    raise lowerer.error(UnsupportedSyntaxError, f"this case pattern ({type(p).__name__}: a class, mapping or "
                        "starred pattern): write the test with if/elif", p)


def _compare(lowerer, p, target, op, value):
    if isinstance(target, list):
        raise lowerer.error(UnsupportedSyntaxError, "a value pattern against a subject written as a tuple (it "
                            "never matches: compare the parts with a tuple pattern)", p)
    return cst.Comparison(cst.Name(target), [cst.ComparisonTarget(op, value)])


def _and(a, b):
    return cst.BooleanOperation(_paren(a), cst.And(), _paren(b))


def _paren(e):
    return e.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]) if not e.lpar else e


def _assign(name, value):
    return cst.SimpleStatementLine([cst.Assign([cst.AssignTarget(cst.Name(name))], value)])
