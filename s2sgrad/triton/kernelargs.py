"""What a kernel reads besides its tiles: labels and per-row values indexed by row (gather.py),
the out-of-range flags it writes for the host, and its scalars (kernel arguments, or the packed
tensor of 0-d device values).  A mixin of codegen.KernelSource, which holds the state it uses:
full, labels, row_values, row_mask, dt, scalars, python_numbers."""
from __future__ import annotations

from .kernelexpr import local_name as _local


class KernelInputs:
    @property
    def partial_columns(self):
        """Columns of the per-program partials: the whole-array sums, then a flag per labels array
        (1.0 where one of the program's labels is outside [-N, N))."""
        return len(self.full) + len(self.labels)

    def label(self, n):
        """The kernel variable holding labels array n's entry for each row, negative ones counted
        from the end (numpy's rule); loaded once, before any loop."""
        if n not in self.labels:
            self.labels.append(n)
        return f"{_local(n)}_col"

    def row_value(self, n):
        """The kernel variable holding float (M,) array n's entry for each row (loaded once)."""
        if n not in self.row_values:
            self.row_values.append(n)
        return f"{_local(n)}_rowval"

    def label_loads(self):
        out = [f"{_local(n)}_rowval = tl.load({n}_rv + rows * {n}_rv_s, mask={self.row_mask}, other=0.0)"
               for n in self.row_values]
        for n in self.labels:
            v = _local(n)
            out += [f"{v}_row = tl.load({n}_lab + rows * {n}_lab_s, mask={self.row_mask}, other=0)",
                    f"{v}_bad = {self.row_mask} & (({v}_row < -N) | ({v}_row >= N))",
                    f"{v}_col = tl.where({v}_row < 0, {v}_row + N, {v}_row)"]
        return out

    def label_flags(self):
        """Stores of the out-of-range flags (read by the host after the call: gather.LabelIndexError)."""
        k0 = len(self.full)
        return [f"tl.store(partials_ptr + pid_lin * {self.partial_columns} + {k0 + j}, "
                f"tl.max({_local(n)}_bad.to(tl.int32)).to({self.dt}))" for j, n in enumerate(self.labels)]

    def is_argument(self, key):
        """Whether scalar `key` is a kernel argument (a Python number or a constant), not read from
        the packed scalars tensor (a 0-d tensor, which may live on the device)."""
        return key[0] == "const" or key[1] in self.python_numbers

    def scalar_params(self):
        out = []
        for i, key in enumerate(self.scalars):
            if self.is_argument(key):
                out += [f"s{i}_hi", f"s{i}_lo"] if self.dt == "tl.float64" else [f"s{i}_arg"]
        return out

    def scalar_lines(self):
        """The kernel's scalars, read once before anything uses them."""
        out, packed = [], 0
        for i, key in enumerate(self.scalars):
            if not self.is_argument(key):
                out.append(f"s{i} = tl.load(scalars_ptr + {packed})")
                packed += 1
            elif self.dt == "tl.float64":
                out.append(f"s{i} = _f64(s{i}_hi, s{i}_lo)")
            else:
                out.append(f"s{i} = tl.cast(s{i}_arg, tl.float32)")
        return out



__all__ = ["KernelInputs"]
