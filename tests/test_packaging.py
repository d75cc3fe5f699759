"""Packaging: `pip install .` (non-editable) gives a working package and nothing else; the licence
file matches pyproject; the public modules are typed (py.typed ships, mypy passes)."""
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built from a copy of the package's files (the shared tree gets no build/ folder)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(os.path.join(ROOT, name), src / name)
    shutil.copytree(os.path.join(ROOT, "s2sgrad"), src / "s2sgrad",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    # the environment's own setuptools when it can build wheels (fast, offline), else pip's isolated
    # build (an old setuptools without the wheel package cannot)
    proc = subprocess.run(cmd[:4] + ["--no-build-isolation"] + cmd[4:], capture_output=True, text=True)
    if proc.returncode != 0:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (path,) = [p for p in out.iterdir() if p.suffix == ".whl"]
    return path


def test_the_wheel_holds_the_package_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"s2sgrad", "s2sgrad-0.1.0.dist-info"}, tops
    assert "s2sgrad/py.typed" in names
    for sub in ("frontend", "passes", "triton"):
        assert any(n.startswith(f"s2sgrad/{sub}/") for n in names), sub
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    meta = zipfile.ZipFile(wheel).read("s2sgrad-0.1.0.dist-info/METADATA").decode()
    assert "License: MIT" in meta or "License-Expression: MIT" in meta
    assert any(n.endswith("licenses/LICENSE") or n.endswith("dist-info/LICENSE") for n in names), names
    entry = zipfile.ZipFile(wheel).read("s2sgrad-0.1.0.dist-info/entry_points.txt").decode()
    assert "s2sgrad = s2sgrad.cli:main" in entry


def test_the_installed_package_works_away_from_the_repository(wheel, tmp_path):
    """The wheel unpacked as site-packages would hold it, imported from another folder: a gradient,
    the command's --version, and the package's own file is the installed one."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    user = tmp_path / "user"
    user.mkdir()
    (user / "mod.py").write_text("import numpy as np\nfrom s2sgrad import differentiate\n\n"
                                 "@differentiate\ndef f(x):\n    return np.sum(np.tanh(x) * x)\n\n"
                                 "print(f.grad(np.array([0.5])))\nimport s2sgrad\nprint(s2sgrad.__file__)\n")
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run([sys.executable, "mod.py"], cwd=user, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    value, where = out.stdout.split("\n")[:2]
    import numpy as np
    t = np.tanh(0.5)
    assert np.isclose(float(value.strip("[]")), t + 0.5 * (1 - t * t))
    assert where.startswith(str(site))
    ver = subprocess.run([sys.executable, "-m", "s2sgrad", "--version"], cwd=user, env=env,
                         capture_output=True, text=True)
    assert ver.stdout.strip() == "s2sgrad 0.1.0", ver.stderr


def test_licence_file_matches_pyproject():
    meta = tomllib.load(open(os.path.join(ROOT, "pyproject.toml"), "rb"))["project"]
    assert meta["license"] == {"text": "MIT"}
    text = open(os.path.join(ROOT, "LICENSE")).read()
    assert text.startswith("MIT License") and "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    import s2sgrad
    assert s2sgrad.__version__ == meta["version"]


def test_public_api_is_annotated():
    import inspect

    import s2sgrad
    import s2sgrad.testing
    for fn in (s2sgrad.differentiate, s2sgrad.grad, s2sgrad.value_and_grad, s2sgrad.Differentiated.grad,
               s2sgrad.Differentiated.value_and_grad, s2sgrad.Differentiated.vjp,
               s2sgrad.Differentiated.compiled_for, s2sgrad.testing.check_grads):
        sig = inspect.signature(fn)
        assert sig.return_annotation is not inspect.Signature.empty, fn
        for name, p in sig.parameters.items():
            if name != "self":
                assert p.annotation is not inspect.Parameter.empty, (fn, name)


def test_mypy_passes_on_the_public_modules():
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary"], cwd=ROOT, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
