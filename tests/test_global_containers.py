"""Module-level lists and dicts of constants read by a differentiated function (frontend/guards.py):
`CONFIG = {"n_fft": 256, ...}`, `SENSORS = [5, 17, 29]`, `OBSTACLES = [((1.5, 0.8), 0.3), ...]`.

Compiled code reads a copy taken when compiling; every call checks the user's object still holds
what was copied (a change in place, `CONFIG["w"] = 1.0` or `SENSORS.append(1)` between calls, makes
it compile again).  A change made inside the function is refused: it would change the copy.
Before, each of these was refused ("'CONFIG' (dict) used as a value"), and a write into a
module-level dict the function never read failed in the generated code with a bare NameError."""
import numpy as np
import pytest

from s2sgrad import differentiate
from s2sgrad.errors import S2SGradError
from s2sgrad.testing import check_grads

CONFIG = {"w": 2.0, "n": 3, "names": ("a", "b")}
SENSORS = [0, 2]
OBSTACLES = [((1.5, 0.8), 0.3), ((3.0, 1.6), 0.4)]
REG = {"U": 0.05, "V": 0.5}
TABLE = [[1.0, 2.0], [3.0]]
HOLDS_ARRAY = {"w": np.ones(4)}
X = np.array([1.0, 2.0, 3.0, 4.0])


def weighted(x):
    return CONFIG["w"] * np.sum(x[SENSORS] ** CONFIG["n"]) + len(CONFIG["names"])


def obstacles(x):
    s = 0.0
    for (cx, cy), radius in OBSTACLES:
        s = s + radius * np.sum((x - cx) ** 2) + cy
    return s


def penalties(params):
    pens = {k: REG[k] * np.sum(v ** 2) for k, v in params.items()}
    return sum(pens.values())


def config_default(x, cfg=CONFIG):
    return cfg["w"] * np.sum(x ** 2)


def test_read_as_constants_against_finite_differences():
    check_grads(differentiate(weighted), (X,))
    check_grads(differentiate(obstacles), (X,))
    check_grads(differentiate(penalties), ({"U": X, "V": X[:2] * 0.3},))
    check_grads(differentiate(config_default), (X,))


def test_a_change_between_calls_compiles_again():
    d = differentiate(weighted)
    try:
        assert np.allclose(d.grad(X), [6.0, 0.0, 54.0, 0.0])
        CONFIG["w"] = 1.0  # in place: same dict object
        value, g = d.value_and_grad(X)
        assert value == weighted(X) == 30.0 and np.allclose(g, [3.0, 0.0, 27.0, 0.0])
        SENSORS.append(1)
        value, g = d.value_and_grad(X)
        assert value == weighted(X) and np.allclose(g, [3.0, 12.0, 27.0, 0.0])
        CONFIG["n"] = 2.0  # an int replaced by an equal-or-not float: the types are compared too
        value, g = d.value_and_grad(X)
        assert value == weighted(X) and np.allclose(g, [2.0, 4.0, 6.0, 0.0])
    finally:
        CONFIG.update(w=2.0, n=3)
        del SENSORS[2:]


def copies_then_changes(x):
    mine = dict(REG)
    mine["U"] = 1.0
    return mine["U"] * np.sum(x) + REG["U"]


def test_a_copy_of_ones_own_can_change():
    check_grads(differentiate(copies_then_changes), (X,))
    assert REG["U"] == 0.05


def writes_config(x):
    CONFIG["w"] = 3.0
    return np.sum(x)


def appends_through_a_second_name(x):
    s = SENSORS
    s.append(3)
    return np.sum(x[s])


def changes_an_inner_list(x):
    for row in TABLE:
        row[0] = 0.0
    return np.sum(x)


def extends_in_place(x):
    t = TABLE[1]
    t += [4.0]
    return np.sum(x) * len(t)


@pytest.mark.parametrize("fn", [writes_config, appends_through_a_second_name, changes_an_inner_list,
                                extends_in_place])
def test_a_change_inside_the_function_is_refused(fn):
    with pytest.raises(S2SGradError, match="this changes the module-level"):
        differentiate(fn).grad(X)
    assert CONFIG["w"] == 2.0 and SENSORS == [0, 2] and TABLE == [[1.0, 2.0], [3.0]]


def reads_a_dict_holding_an_array(x):
    return np.sum(HOLDS_ARRAY["w"] * x)


def test_a_container_holding_arrays():
    # refused before ("'HOLDS_ARRAY' (dict) used as a value"): its arrays are read when the code runs
    # (tests/test_global_arrays.py)
    np.testing.assert_allclose(differentiate(reads_a_dict_holding_an_array).grad(X), HOLDS_ARRAY["w"] * np.ones_like(X))


def test_a_closure_list():
    scale = [0.5, 2.0]

    def f(x):
        return scale[0] * np.sum(x ** 2) + scale[1] * x[0]
    d = differentiate(f)
    assert np.allclose(d.grad(X), X + np.array([2.0, 0, 0, 0]))
    scale[1] = 3.0
    assert np.allclose(d.grad(X), X + np.array([3.0, 0, 0, 0]))


def appends_to_its_argument(x, lst=SENSORS):
    lst.append(1)
    return np.sum(x[SENSORS])


def test_an_argument_changed_in_place_with_a_module_level_read_is_refused():
    """Found by review: with lst the module-level list itself (its default), Python reads the list
    after the append (111.0); the compiled code read the copy taken when compiling (101.0)."""
    with pytest.raises(S2SGradError, match="changes the argument 'lst' in place, and the function reads the "
                                           "module-level list 'SENSORS'"):
        differentiate(appends_to_its_argument).grad(X)
    assert SENSORS == [0, 2]


FIELDS = ["w", "b"]  # a module-level list of keys


def keyed_loss(p):
    t = 0.0
    for k in FIELDS:  # (the keys known when compiling: the loop over the dict argument unrolls)
        t = t + np.sum(p[k] ** 2)
    return t + sum(np.sum(p[k]) for k in FIELDS) + sum(np.sum(a * p[k]) for k, a in zip(FIELDS, (1.0, 2.0)))


def test_a_module_level_list_of_keys_iterated_over_a_dict():
    p = {"w": X, "b": X[:2] * 0.3, "unused": X}
    check_grads(differentiate(keyed_loss), (p,))
    d = differentiate(keyed_loss)
    try:
        FIELDS.append("unused")  # in place, between calls: compiled again with three keys
        value, g = d.value_and_grad(p)
        assert value == pytest.approx(keyed_loss(p)) and np.allclose(g["unused"], 2 * X + 1.0)
    finally:
        del FIELDS[2:]


# Found by a survey program (x16): a loop over a module-level dict read it by position, so `for k in
# SCALES` bound k to the dict's values, not its keys -- KeyError in the generated code, or, where
# the values are keys themselves, a silent wrong value (24.0 where Python gives 18.0 for the first
# loop below).
INT_KEYS = {0: 1, 1: 1}
NESTED = {"a": {0: 1.0, 1: 1.0}}
NESTS = {"auto": ["car", "carpool"], "transit": ["bus"]}
SCALES = {"auto": 0.5, "transit": 0.8}


def over_int_keys(x):
    out = 0.0
    for k in INT_KEYS:
        out = out + x * (k + 1.0) * (INT_KEYS[k] + 2.0)
    for i, k in enumerate(INT_KEYS):
        out = out + x * k * (i + 3.0)
    return out + sum(x * k for k in INT_KEYS)


def over_items(V):
    out = 0.0
    for nest, alts in NESTS.items():
        out = out + np.sum(V[len(alts)]) * SCALES[nest]
    for k in SCALES.keys():
        out = out + V[0] * len(k)
    return out + sum(V[1] * s for s in SCALES.values())


def test_a_loop_over_a_module_level_dict_binds_its_keys():
    v, g = differentiate(over_int_keys).value_and_grad(2.0)
    assert v == over_int_keys(2.0) == 28.0  # (18 + 8 + 2)
    assert g == 14.0
    check_grads(over_items, (X,))
    assert differentiate(over_items).grad(X)[2] == 0.5


def through_a_name(x):
    cfg = NESTED["a"]
    out = 0.0
    for k in cfg:
        out = out + x * (k + 1.0) * cfg[k]
    return out


def through_an_alias(x):
    d = INT_KEYS
    return sum(x * k for k in d)


@pytest.mark.parametrize("fn", [through_a_name, through_an_alias])
def test_a_loop_over_a_dict_known_only_at_run_time_is_refused(fn):
    with pytest.raises(S2SGradError, match="a loop over a dict s2sgrad reads only when the function runs"):
        differentiate(fn).grad(2.0)


# x11: a module-level dict read at a key known when compiling (`parent, offset = SKELETON[name]` in
# a loop over BONES) holds constants known then too, so `world[parent]` of a dict the function
# builds is a read by key (it was refused as a key computed at run time).
SKELETON = {"hips": (None, (0.0, 1.0)), "spine": ("hips", (0.0, 0.5)), "arm": ("spine", (0.3, 0.1)),
            "hand": ("arm", (0.2, 0.0))}
BONES = list(SKELETON)


def chained(pose):
    world = {}
    for name in BONES:
        parent, offset = SKELETON[name]
        local = np.tanh(pose[name] + np.array(offset))
        world[name] = local if parent is None else world[parent] * local + offset[0]
    return sum(np.sum(world[b] ** 2) for b in BONES)


def test_a_module_level_dict_read_at_a_known_key_holds_constants():
    pose = {b: np.array([0.1 * i, -0.2]) for i, b in enumerate(BONES)}
    check_grads(chained, (pose,))
