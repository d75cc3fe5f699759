"""The README's supported-function list is the rule table's (s2sgrad/rules/doc.py generates it).

`python tests/test_rules_readme.py --update` rewrites the README's section (and nothing else)."""
import pathlib
import sys

import numpy as np

from s2sgrad.rules import RULES
from s2sgrad.rules.doc import supported_functions_markdown

README = pathlib.Path(__file__).resolve().parent.parent / "README.md"
HEAD = "## Supported numpy functions\n"


def _section(text):
    start = text.index(HEAD) + len(HEAD)
    end = text.find("\n## ", start)
    return start, (len(text) if end < 0 else end + 1)


def _expected():
    return "\n" + supported_functions_markdown() + "\n"


def test_readme_lists_the_rule_table():
    text = README.read_text()
    start, end = _section(text)
    listed = text[start:end]
    if not hasattr(np, "row_stack"):  # numpy 2.5 removed it: its row is registered only where numpy has it
        listed = listed.replace("`np.row_stack`†, ", "")
    expected = _expected()
    if hasattr(np, "trapz"):  # numpy < 2.4 still has the old name of np.trapezoid: a row of its own there
        expected = expected.replace(", `np.trapz`†", "")
    assert listed == expected, "README's supported functions are stale: python tests/test_rules_readme.py --update"


def test_every_user_row_is_listed():
    listed = supported_functions_markdown()
    for op in ("np.var", "np.einsum", "np.linalg.eigh", "np.split", "np.sort", "np.sum", "np.tanh"):
        assert f"`{op}" in listed
    assert "linalg_part" not in listed and "split_bounds" not in listed
    assert len(RULES) > 250


if __name__ == "__main__" and "--update" in sys.argv:
    text = README.read_text()
    start, end = _section(text)
    README.write_text(text[:start] + _expected() + text[end:])
