"""Golden files of generated source: tests/golden/<name>.py.

Refresh after an intended change with:   python tests/test_golden.py --update
then review the diff (git diff tests/golden) like any code change.
"""
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(1, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from corpus_control import branch_in_loop, early_return, rnn, sin_loop, while_if_vector  # noqa: E402
from corpus_straight import softmax_xent  # noqa: E402
from test_tutorials import two_layer_loss  # noqa: E402

from s2sgrad import differentiate  # noqa: E402
import test_classes  # noqa: E402
from test_closures import oscillator  # noqa: E402
from test_containers import make_params, mlp  # noqa: E402
from test_lists import rnn as list_rnn  # noqa: E402
from test_outputs import loss_with_aux, two_outputs  # noqa: E402
from test_split_lists import enumerated as split_enumerated  # noqa: E402
import test_objects  # noqa: E402
import test_objects_made  # noqa: E402
from test_object_state import momentum_training  # noqa: E402
from test_statements import everything, module_arrays, stencil  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
rng = np.random.default_rng(0)

CASES = {
    "two_layer_net": (two_layer_loss, ("W1", "W2"), (np.ones((1000, 100)), np.ones((100, 10)),
                                                     np.ones((64, 1000)), np.ones((64, 10)))),
    "softmax_xent": (softmax_xent, "logits", (np.ones((4, 3)),)),
    "while_if": (while_if_vector, "a", (np.ones(3),)),
    "sin_loop": (sin_loop, "x", (np.ones(3), 5)),
    "branch_in_loop": (branch_in_loop, "x", (np.ones(3),)),
    "early_return": (early_return, "x", (np.ones(3),)),
    "rnn": (rnn, ("W", "x_seq", "h0"), (np.ones((3, 3)), np.ones((4, 3)), np.ones(3))),
    # programs as people write them (issue 10): one per kind of structure
    "container_params": (mlp, "params", (make_params(2), np.ones((5, 3)), np.ones((5, 2)))),
    "class_method": (test_classes.MLP().loss, ("W1", "b1"), (np.ones((6, 3)), np.ones((6, 1)))),
    "closure_rk4": (oscillator, "theta", (1.3, np.ones(2), 3)),
    "list_of_states": (list_rnn, ("W", "U"), (np.ones((4, 4)), np.ones((4, 3)), np.ones((6, 3)))),
    "has_aux": (loss_with_aux, "w", (np.ones(3), np.ones((2, 3)), np.ones(2)), {"has_aux": True}),
    "statements": (everything, "x", (np.ones(3),)),
    "module_arrays": (module_arrays, "W", (np.ones((3, 2)),)),
    "stencil_double_buffer": (stencil, "u", (np.ones(5),)),
    "split_list": (split_enumerated, "x", (np.ones(9),)),
    "object_layers": (test_objects.stack, "layers", ([test_objects.Lin(np.ones((3, 3)), np.ones(3)),
                                                      test_objects.Lin(np.ones((3, 2)), np.ones(2))], np.ones((4, 3)))),
    "object_made": (test_objects_made.computed, "W", (np.ones((3, 2)), np.ones((4, 3)))),
    "object_changing": (momentum_training, "w", (np.ones(3), np.ones((6, 3)), np.ones(6))),
}


# forward mode and second order (issue 12): the seed network's tangent code, and the gradient of
# its tangent code (the Hessian-vector product's source)
_SEED_ARGS = (np.ones((1000, 100)), np.ones((100, 10)), np.ones((64, 1000)), np.ones((64, 10)))
CASES["two_layer_net_jvp"] = (two_layer_loss, "jvp", _SEED_ARGS)
CASES["two_layer_net_hvp"] = (two_layer_loss, "hvp", _SEED_ARGS)


def render(name):
    fn, wrt, args, *options = CASES[name]
    if wrt == "jvp":
        import s2sgrad
        return s2sgrad.jvp_source(fn, *args)
    if wrt == "hvp":
        import s2sgrad
        return s2sgrad.hvp_source(fn, *args)
    c = differentiate(fn, wrt=wrt, **(options[0] if options else {})).compiled_for(*args)
    return c.value_and_grad_source + "\n\n" + c.grad_source


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    path = os.path.join(GOLDEN, f"{name}.py")
    got = render(name)
    with open(path) as fh:
        want = fh.read()
    assert got == want, (f"generated source for {name} changed; if intended, refresh with "
                         f"`python tests/test_golden.py --update` and review the diff")


if __name__ == "__main__":
    if "--update" not in sys.argv:
        sys.exit("usage: python tests/test_golden.py --update")
    os.makedirs(GOLDEN, exist_ok=True)
    for name in sorted(CASES):
        with open(os.path.join(GOLDEN, f"{name}.py"), "w") as fh:
            fh.write(render(name))
        print("wrote", os.path.join(GOLDEN, f"{name}.py"))
