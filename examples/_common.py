"""Shared bits of the example scripts: the --backend / --plot flags, a progress display, saving a plot,
and the run lengths used on Triton's CPU interpreter.

Progress: on a terminal, a tqdm bar (pip install s2sgrad[examples]); when the output is piped or
logged (or tqdm is missing), a plain line on stderr every few seconds, so a long run still says how
far it got without filling the log with carriage returns.
"""
import argparse
import os
import sys
import time


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--backend", choices=("numpy", "numba", "triton"), default="numpy",
                   help="numpy (default), numba (the generated code compiled for the CPU; needs numba) or triton "
                        "(fused Triton kernels; needs torch and triton; without a GPU they run in Triton's CPU "
                        "interpreter, and the training examples shorten their runs)")
    p.add_argument("--plot", metavar="PNG", help="save the example's picture to this PNG file (needs matplotlib)")
    return p


def triton_interpreted(backend):
    """True when `backend` is triton and its kernels will run in Triton's CPU interpreter (no CUDA
    device): the interpreter runs every kernel program in Python, so the examples train for fewer
    steps there.  Chooses the interpreter (TRITON_INTERPRET=1) before triton is imported when
    there is no GPU."""
    if backend != "triton":
        return False
    if "TRITON_INTERPRET" not in os.environ:
        try:
            import torch
            cuda = torch.cuda.is_available()
        except ImportError:
            cuda = False
        if not cuda:
            os.environ["TRITON_INTERPRET"] = "1"
    return os.environ.get("TRITON_INTERPRET") == "1"


def shortened(name, default, interpreted_value, unit, backend):
    """`default` normally; on the Triton interpreter `interpreted_value`, saying so."""
    if not triton_interpreted(backend):
        return default
    print(f"Triton interpreter (no GPU): {interpreted_value} {unit} instead of {default}, to finish in under a "
          f"minute; pass --{name} N for more")
    return interpreted_value


class _Lines:
    """A plain progress line on stderr every `interval` seconds (and a last one at the end)."""

    def __init__(self, iterable, total, desc, interval):
        self.iterable, self.desc, self.interval = iterable, desc or "progress", interval
        self.total = total if total is not None else (len(iterable) if hasattr(iterable, "__len__") else None)

    def __iter__(self):
        start = last = time.monotonic()
        i = shown = 0
        for i, item in enumerate(self.iterable, 1):
            yield item
            now = time.monotonic()
            if now - last >= self.interval:
                last, shown = now, i
                self._line(i, now - start)
        if shown != i:
            self._line(i, time.monotonic() - start)

    def _line(self, i, elapsed):
        of = f"/{self.total} ({100 * i / self.total:.0f}%)" if self.total else ""
        print(f"{self.desc}: {i}{of} after {elapsed:.1f} s", file=sys.stderr, flush=True)


def progress(iterable, total=None, desc=None, interval=None):
    """tqdm on a terminal; a plain line every `interval` seconds (default 5, or the environment's
    S2SGRAD_PROGRESS_INTERVAL) when stderr is not a terminal or tqdm is not installed."""
    if interval is None:
        interval = float(os.environ.get("S2SGRAD_PROGRESS_INTERVAL", "5"))
    if sys.stderr.isatty():
        try:
            from tqdm import tqdm
            return tqdm(iterable, total=total, desc=desc, leave=False)
        except ImportError:
            pass
    return _Lines(iterable, total, desc, interval)


def _pyplot():
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: pip install s2sgrad[examples]")
        return None
    return plt


def save_plot(path, losses, title, ylabel="loss", logy=True):
    plt = _pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(losses)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"saved {path}")


def save_curves(path, x, curves, title, xlabel, ylabel):
    """Several named curves over x (`curves`: label -> (values, matplotlib style))."""
    plt = _pyplot()
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, (values, style) in curves.items():
        ax.plot(x, values, style, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"saved {path}")
