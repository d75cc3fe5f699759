"""The argument kinds of the rule-table specs (shared by rule_table_specs.py and rule_specs_numpy.py)."""


class F:
    """A floating argument: made active in turn (positionally, as a Python number, as a list
    literal of its rows, and by keyword `kw` where numpy takes one)."""

    def __init__(self, value, kw=None):
        self.value, self.kw = value, kw


class S:
    """An argument that takes no floating values (written as a literal, or passed as an argument
    when it is an array)."""

    def __init__(self, value, kw=None):
        self.value, self.kw = value, kw


class K(S):
    """A static argument numpy takes only by keyword here (keepdims, endpoint, size...)."""


class Code(str):
    """A static argument written as code (a dtype such as np.float64)."""


