"""Shared bits of the example scripts: the --backend / --plot flags, a progress bar, saving a plot."""
import argparse


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--backend", choices=("numpy", "triton"), default="numpy",
                   help="numpy (default) or triton (fused Triton kernels; needs torch and triton)")
    p.add_argument("--plot", metavar="PNG", help="save the loss curve to this PNG file (needs matplotlib)")
    return p


def progress(iterable, total=None, desc=None):
    """tqdm when it is installed (pip install s2sgrad[examples]), a plain iterator otherwise."""
    import sys
    try:
        from tqdm import tqdm
    except ImportError:
        return iterable
    return tqdm(iterable, total=total, desc=desc, leave=False, disable=not sys.stderr.isatty())


def save_plot(path, losses, title, ylabel="loss", logy=True):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: pip install s2sgrad[examples]")
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
    print(f"saved {path}")
