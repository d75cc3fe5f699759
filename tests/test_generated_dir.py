"""generated/ holds the generated gradients of every example; this test keeps it fresh."""
import difflib
import glob
import os

from s2sgrad.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFRESH = "s2sgrad emit examples/*.py -o generated/"


def test_generated_sources_are_fresh(tmp_path, capsys):
    examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))
    assert main(["emit", *examples, "-o", str(tmp_path)]) == 0
    capsys.readouterr()
    fresh = sorted(os.listdir(tmp_path))
    committed = sorted(f for f in os.listdir(os.path.join(ROOT, "generated")) if f.endswith(".py"))
    assert fresh == committed, f"generated/ lists {committed}, the examples give {fresh}; refresh with: {REFRESH}"
    for name in fresh:
        want = open(os.path.join(ROOT, "generated", name)).read()
        got = (tmp_path / name).read_text()
        if got != want:
            diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                f"generated/{name}", f"fresh/{name}"))
            raise AssertionError(f"generated/{name} is stale; refresh with: {REFRESH}\n{diff}")
