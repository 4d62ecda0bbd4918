"""Read, evaluate and train INR Studio model files from Python: numpy alone, or PyTorch.

A model file written by `inr fit` (or `inr solve`, `inr fit-fn`, or the inr Go package) is a
safetensors file: float64 tensors named by layer ("0.weight", "2.coeffs", ...) and string
metadata. Its "graph" metadata describes what every layer computes, so this module evaluates
the network without the studio:

    import inrstudio
    m = inrstudio.load("runs/demo-camera-siren/model.safetensors")
    img = m.render(512, 512)          # H×W×C on [0, 1], as `inr eval --width 512 --height 512`
    y = m.predict(xy)                 # signal values at N×2 coordinates on [-1, 1]²
    raw = m.net(xy)                   # the network's outputs before the normalisation

and, with PyTorch installed, turns it into a torch.nn.Module whose parameters are the file's
(autograd, GPUs, torch optimisers), and writes it back as a model file the studio reads:

    net = inrstudio.to_torch("model.safetensors")    # float64; .predict(x) applies the normalisation
    u = net(x); du = torch.autograd.grad(u.sum(), x)  # derivatives with respect to the inputs
    ...                                               # fine-tune with any torch optimiser
    inrstudio.save(net, "tuned.safetensors")          # inr eval / inr info / inr fit --init read it

Every layer of the image architectures (siren, wire, gauss, finer, relu_pe, relu_ff, spder,
sl2a, fkan, cauchy, mlp with any of its activations) is implemented here in float64; the results
agree with `inr eval` to about 1e-12 (the studio's tests check it). So are the models `inr solve`
writes: the domain normalisation, periodic embeddings, even/odd symmetry and the hard-constraint
transforms, whose expressions (the problem file's) are evaluated here; and the multi-stage
models of `inr fit-fn`. A layer this module does not know is refused with its name rather than
guessed.

Run as a script it renders a model to a .npy file (H×W×C), or evaluates it at the points of a
CSV file (one point per line, an optional header line) and writes the predicted values, one
line per point:

    python3 inrstudio.py model.safetensors --size 256 --out image.npy
    python3 inrstudio.py model.safetensors --points in.csv --out out.csv
"""

import ast
import contextlib
import json
import math
import os
import struct
import tempfile

import numpy as np

__all__ = ["load", "read", "write", "Model", "UnsupportedLayer", "to_torch", "save"]


class UnsupportedLayer(ValueError):
    """A layer of the model file that this module cannot evaluate."""


def read(path):
    """Return (metadata, tensors) of a safetensors file: a dict of strings and a dict of float64
    arrays shaped as stored."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: not a safetensors file (shorter than its header length)")
    (n,) = struct.unpack("<Q", raw[:8])
    if 8 + n > len(raw):
        raise ValueError(f"{path}: not a model file, or truncated (a safetensors header of {n} bytes "
                         f"in a file of {len(raw)})")
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = memoryview(raw)[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F64":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}, not F64")
        b, e = info["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f8").reshape(info["shape"])
    return meta, tensors


def write(path, meta, tensors):
    """Write a safetensors file of float64 tensors (name → array) with string metadata, as the
    studio writes model files: tensors in name order, atomically (a temporary file renamed)."""
    header = {"__metadata__": {k: str(v) for k, v in meta.items()}}
    blobs, offset = [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(np.asarray(tensors[name], dtype="<f8"))
        header[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    d = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(head)))
            f.write(head)
            for b in blobs:
                f.write(b)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def load(path):
    """Load a model file written by the studio."""
    return Model(path)


class Model:
    """A model file: its architecture, configuration, normalisation and network."""

    def __init__(self, path):
        self.path = str(path)
        self.meta, self.tensors = read(path)
        if "checkpoint" in self.meta:
            # A fit's checkpoint: the model at that step, with the trainer's state besides.
            self.tensors = {k: v for k, v in self.tensors.items() if not k.startswith("checkpoint.")}
        self.arch = self.meta.get("architecture", "")
        self.config = json.loads(self.meta.get("config", "{}"))
        # Fixed tensors (Fourier features' B, a domain normalisation's scale and shift, …):
        # saved with the weights, never trained.
        self.buffers = set(filter(None, self.meta.get("buffers", "").split(",")))
        if self.arch == "multistage":  # `inr fit-fn`: a sum of stages, described by its config
            self.graph = None
            self.inputs, self.outputs = self.config["dim"], 1
            self.normalization = {}
            self.scale, self.offset = np.ones(1), np.zeros(1)
            return
        if "graph" not in self.meta:
            raise ValueError(
                f"{self.path}: no 'graph' metadata (written before the studio recorded it): "
                "fit it again, or load and save it with the inr Go package")
        self.graph = json.loads(self.meta["graph"])
        self.inputs = int(self.meta.get("inputs", self.graph["in"]))
        self.outputs = int(self.meta.get("outputs", self.graph["out"]))
        norm = json.loads(self.meta.get("normalization", "{}"))
        self.normalization = norm
        self.scale = np.asarray(norm.get("scale", [1.0] * self.outputs), dtype=np.float64)
        self.offset = np.asarray(norm.get("offset", [0.0] * self.outputs), dtype=np.float64)
        _check(self.graph, self.tensors, "")

    def net(self, x):
        """The network's outputs (N×outputs) at the points x (N×inputs)."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.inputs:
            raise ValueError(f"points of shape {x.shape}: need N×{self.inputs}")
        with np.errstate(all="ignore"):  # overflow, underflow or 0/0 give what the Go code gives
            return _evaluate(self, _NUMPY, self.tensors, x)

    def predict(self, x):
        """Signal values (the normalisation applied) at the points x (N×inputs)."""
        return self.net(x) * self.scale + self.offset

    __call__ = predict

    def render(self, width=None, height=None, chunk=4096):
        """An image model rendered at width×height (default: the fitted image's size): an H×W×C
        array (C = 1 or 3) on [0, 1], on the grid of `inr eval --width W --height H`
        (x = linspace(-1, 1, W) along a row, y = linspace(-1, 1, H) down the rows)."""
        if self.inputs != 2 or self.outputs not in (1, 3):
            raise ValueError(f"a {self.inputs}→{self.outputs} model is not an image model")
        if width is None or height is None:
            if "width" not in self.meta or "height" not in self.meta:
                raise ValueError("the file does not record the fitted size: give width and height")
            width, height = int(self.meta["width"]), int(self.meta["height"])
        grid = np.stack(np.meshgrid(_linspace(width), _linspace(height)), axis=-1).reshape(-1, 2)
        out = np.concatenate([self.predict(grid[i:i + chunk]) for i in range(0, len(grid), chunk)])
        return np.clip(out, 0, 1).reshape(height, width, self.outputs)


def _evaluate(model, xp, tensors, x):
    """The network's outputs at x with the array operations xp and the tensors given."""
    if model.graph is None:
        return _multistage(xp, model.config, tensors, x)
    return _graph(xp, model.graph, tensors, "", x)


def _linspace(n):
    if n == 1:
        return np.zeros(1)
    return -1 + 2 * np.arange(n, dtype=np.float64) / (n - 1)


# Array operations: the layers below are written once against this small interface, which
# numpy and (when installed) torch implement.

class _NumpyOps:
    cat = staticmethod(lambda xs: np.concatenate(xs, axis=1))
    cat_last = staticmethod(lambda xs: np.concatenate(xs, axis=-1))
    stack = staticmethod(lambda xs: np.stack(xs, axis=-1))
    row_mean = staticmethod(lambda x: x.mean(axis=1, keepdims=True))
    row_sum = staticmethod(lambda x: x.sum(axis=1))
    detach = staticmethod(lambda x: x)
    # staticmethod: numpy's functions that are Python functions would otherwise bind as methods.
    sin, cos, tanh, exp, sqrt, abs = map(staticmethod, (np.sin, np.cos, np.tanh, np.exp, np.sqrt, np.abs))
    expm1, log1p, atan, sign, power = map(staticmethod, (np.expm1, np.log1p, np.arctan, np.sign, np.power))
    maximum, minimum, where = map(staticmethod, (np.maximum, np.minimum, np.where))
    zeros_like, ones_like = staticmethod(np.zeros_like), staticmethod(np.ones_like)
    erfc = staticmethod(np.vectorize(math.erfc, otypes=[np.float64]))
    as_float = staticmethod(lambda b: b.astype(np.float64))
    const = staticmethod(lambda v, like: np.asarray(v, dtype=np.float64))
    full = staticmethod(lambda n, v, like: np.full(n, v, dtype=np.float64))

    @staticmethod
    def sigmoid(x):
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


_NUMPY = _NumpyOps()


class _TorchOps:
    def __init__(self, torch, dtype):
        t = torch
        self.cat = lambda xs: t.cat(list(xs), dim=1)
        self.cat_last = lambda xs: t.cat(list(xs), dim=-1)
        self.stack = lambda xs: t.stack(list(xs), dim=-1)
        self.row_mean = lambda x: x.mean(dim=1, keepdim=True)
        self.row_sum = lambda x: x.sum(dim=1)
        self.detach = lambda x: x.detach()
        self.sin, self.cos, self.tanh, self.exp, self.sqrt, self.abs = t.sin, t.cos, t.tanh, t.exp, t.sqrt, t.abs
        self.expm1, self.log1p, self.atan, self.sign, self.power = t.expm1, t.log1p, t.atan, t.sign, t.pow
        self.erfc, self.sigmoid = t.special.erfc, t.sigmoid
        self.zeros_like, self.ones_like = t.zeros_like, t.ones_like
        self.as_float = lambda b: b.to(dtype)
        self.const = lambda v, like: t.as_tensor(v, dtype=dtype, device=like.device)
        self.full = lambda n, v, like: t.full((n,), float(v), dtype=dtype, device=like.device)
        # torch's maximum, minimum and where take tensors only: a Python number becomes one.
        tensor = lambda v, like: v if t.is_tensor(v) else self.const(v, like)  # noqa: E731
        self.maximum = lambda a, b: t.maximum(tensor(a, b), tensor(b, a))
        self.minimum = lambda a, b: t.minimum(tensor(a, b), tensor(b, a))
        self.where = lambda c, a, b: t.where(c, tensor(a, c), tensor(b, c))


def _multistage(xp, cfg, w, x):
    """u(x) = Σ_k ε_k·net_k(2(x − lo)/(hi − lo) − 1): stage k's first layer is
    first_act(κ_k·(h·W) + b), then tanh layers and a linear output (multistage/doc.go)."""
    lo, hi = xp.const(cfg["lo"], x), xp.const(cfg["hi"], x)
    h0 = 2 * (x - lo) / (hi - lo) - 1
    u = 0
    for k, s in reversed(list(enumerate(cfg["stages"]))):
        layers = len(s["widths"]) - 1
        h = h0
        for i in range(layers):
            z = h @ w[f"stage{k}.{i}.weight"]
            z = (s["kappa"] * z if i == 0 else z) + w[f"stage{k}.{i}.bias"]
            if i == layers - 1:
                h = z
            elif i == 0 and s["first_act"] == "sine":
                h = xp.sin(z)
            else:
                h = xp.tanh(z)
        u = u + s["epsilon"] * h
    return u


def _check(spec, tensors, prefix):
    """Refuse a graph with a layer this module does not implement, naming it."""
    for node in spec["nodes"][1:]:
        op = node["op"]
        name = prefix + node["name"]
        if op == "graph":
            _check(node, tensors, name + ".")
            continue
        if op == "symmetric":
            _check(node["net"], tensors, name + ".")
        if op == "transform":
            zero = np.zeros(1)
            names = dict({v: zero for v in node["vars"]}, **node["params"], N=zero)
            for src in node["expressions"].values():
                _expression(_NUMPY, src, names)  # refuses what it cannot evaluate, naming it
        if op not in _LAYERS:
            what = node.get("type", op)
            raise UnsupportedLayer(f"layer {name} ({what}) is not one inrstudio.py can evaluate")
        if "activation" in node and node["activation"]["name"] not in _ACTIVATIONS and node["activation"]["name"] != "gabor_complex":
            raise UnsupportedLayer(f"layer {name}: activation {node['activation']['name']} is not implemented here")
        if op == "kan":
            for t in node["terms"]:
                if t["basis"]["name"] not in _BASES:
                    raise UnsupportedLayer(f"layer {name}: basis {t['basis']['name']} is not implemented here")


def _graph(xp, spec, tensors, prefix, x):
    vals = [x]
    for node in spec["nodes"][1:]:
        ins = [vals[i] for i in node["inputs"]]
        name = prefix + node["name"] + "."
        if node["op"] == "graph":
            y = _graph(xp, node, tensors, name, ins[0])
        else:
            y = _LAYERS[node["op"]](node, _Params(xp, tensors, name), *ins)
        vals.append(y)
    return vals[spec["output"]]


class _Params:
    """A node's tensors and the array operations: p("weight") is the tensor "<node name>.weight",
    p.get for an optional one, p.xp the operations."""

    def __init__(self, xp, tensors, prefix):
        self.xp, self.tensors, self.prefix = xp, tensors, prefix

    def __call__(self, key):
        return self.tensors[self.prefix + key]

    def get(self, key):
        return self.tensors.get(self.prefix + key)


# Layers: f(spec, params, *inputs).

def _dense(s, p, x):
    y = s["scale"] * (x @ p("weight")) if s["scale"] != 1 else x @ p("weight")
    if s["bias"]:
        y = y + p("bias")
    return y


def _dense_act(s, p, x):
    return _activate(p.xp, s["activation"], _dense(s, p, x), p.get("theta"), s["per_unit"])


def _activation(s, p, x):
    return _activate(p.xp, s["activation"], x, p.get("theta"), s["per_unit"])


def _affine(s, p, x):
    return x * p("scale") + p("shift")


def _low_rank(s, p, x):
    return (x @ p("U")) @ p("V") + p("bias")


def _layer_norm(s, p, x):
    xp = p.xp
    c = x - xp.row_mean(x)
    v = xp.row_mean(c * c)
    return p("gamma") * (c / xp.sqrt(v + s["eps"])) + p("beta")


def _encoding(s, p, x):
    xp = p.xp
    if s["kind"] == "positional":
        z = xp.cat([math.ldexp(math.pi, i) * x for i in range(s["levels"])])
    else:
        b = p("B")  # features × dim
        if s["affine"]:
            z = math.pi * (x @ b.T) + math.pi * xp.row_sum(b)  # 2π·B·(x+1)/2
        else:
            z = 2 * math.pi * (x @ b.T)
    parts = [xp.sin(z), xp.cos(z)]
    if s["identity"]:
        parts.insert(0, x)
    return xp.cat(parts)


def _complex_dense(s, p, x):
    wr, wi = p("weight_re"), p("weight_im")
    mode = s["mode"]
    if mode == "real_to_complex":
        re, im = x @ wr, x @ wi
    else:
        a, b = x[:, :s["in"]], x[:, s["in"]:]
        re = a @ wr - b @ wi
        im = a @ wi + b @ wr
    re = re + p("bias_re")
    if mode == "complex_to_real":
        return re
    return p.xp.cat([re, im + p("bias_im")])


def _real_part(s, p, x):
    return x[:, :x.shape[1] // 2]


def _complex_activation(s, p, x):
    xp, act, w = p.xp, s["activation"], s["units"]
    if act["name"] != "gabor_complex":
        raise UnsupportedLayer(f"complex activation {act['name']}")
    omega, sc = act["config"]["omega"], act["config"]["s"]
    a = x[:, :w]
    if s["real_input"]:
        mod = xp.exp(-sc * sc * (a * a))
    else:
        b = x[:, w:]
        mod = xp.exp(-omega * b - sc * sc * (a * a + b * b))
    return xp.cat([mod * xp.cos(omega * a), mod * xp.sin(omega * a)])


def _sum(s, p, *xs):
    y = xs[0]
    for v in xs[1:]:
        y = y + v
    return y


def _product(s, p, a, b):
    return a * b


def _concat(s, p, *xs):
    return p.xp.cat(xs)


def _kan(s, p, x):
    n = x.shape[0]
    y = 0
    for t in s["terms"]:
        phi = _BASES[t["basis"]["name"]](p.xp, t["basis"], x)  # n × d × B
        c = p(t["coeffs"])
        if c.ndim == 2:
            c = c[:, None, :]
        if t.get("scale"):
            c = c * p(t["scale"])[:, None, :]
        y = y + phi.reshape(n, -1) @ c.reshape(-1, s["out"])
    if s["bias"]:
        y = y + p("bias")
    return y


def _embedding(s, p, x):
    xp = p.xp
    z = x @ p("A") + p("c")
    return xp.cat([x[:, s["keep"]], xp.sin(z), xp.cos(z)])


def _symmetric(s, p, x):
    sign = p.xp.ones_like(x[0])
    sign[s["axes"]] = -1
    net = lambda v: _graph(p.xp, s["net"], p.tensors, p.prefix, v)  # noqa: E731
    return 0.5 * (net(x) + s["sign"] * net(x * sign))


def _transform(s, p, x, n):
    names = {v: x[:, i] for i, v in enumerate(s["vars"])}
    names.update(s["params"])
    cols = []
    for f, field in enumerate(s["fields"]):
        src = s["expressions"].get(field)
        cols.append(n[:, f] if src is None else _expression(p.xp, src, dict(names, N=n[:, f])))
    return p.xp.stack(cols)


_LAYERS = {
    "dense": _dense, "dense_act": _dense_act, "activation": _activation, "affine": _affine,
    "low_rank": _low_rank, "layer_norm": _layer_norm, "encoding": _encoding,
    "complex_dense": _complex_dense, "real_part": _real_part,
    "complex_activation": _complex_activation, "sum": _sum, "product": _product,
    "concat": _concat, "kan": _kan, "embedding": _embedding, "symmetric": _symmetric,
    "transform": _transform,
}


# The expression language of problem files (pinn/expr): numbers, names, + - * /, unary minus,
# parentheses and calls of a fixed set of functions. It is a subset of Python's syntax, so the
# expression is parsed by ast and evaluated node by node; anything else is refused.

_FUNCS = ("sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sinh", "cosh", "atan", "abs", "sign",
          "pow", "min", "max")


def _func(xp, name):
    if xp is _NUMPY:
        return {"atan": np.arctan, "pow": np.power, "min": np.minimum, "max": np.maximum}.get(name) or getattr(np, name)
    import torch
    return {"atan": torch.atan, "pow": torch.pow, "min": xp.minimum, "max": xp.maximum,
            "abs": torch.abs}.get(name) or getattr(torch, name)


def _expression(xp, src, names):
    env = dict(names, pi=math.pi, e=math.e)
    like = names["N"]

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
            a, b = ev(node.left), ev(node.right)
            op = type(node.op)
            return a + b if op is ast.Add else a - b if op is ast.Sub else a * b if op is ast.Mult else a / b
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS
                and not node.keywords):
            args = [ev(a) for a in node.args]
            if all(isinstance(a, float) for a in args):
                args[0] = xp.full(1, args[0], like)  # a constant's function: as an array
            return _func(xp, node.func.id)(*args)
        raise UnsupportedLayer(f"expression {src!r}: cannot evaluate {ast.dump(node)}")

    v = ev(ast.parse(src, mode="eval"))
    if isinstance(v, float) or v.shape != like.shape:
        v = v + xp.zeros_like(like)
    return v


# KAN bases: f(xp, spec, x) -> n × d × B values.

def _chebyshev(xp, b, x):
    t = xp.tanh(x)
    out = [xp.ones_like(t), t]
    for _ in range(2, b["degree"] + 1):
        out.append(2 * t * out[-1] - out[-2])
    return xp.stack(out[:b["degree"] + 1])


def _fourier(xp, b, x):
    k = xp.const(np.arange(1, b["frequencies"] + 1, dtype=np.float64), x)
    kx = x[..., None] * k
    return xp.cat_last([xp.cos(kx), xp.sin(kx)])


def _bspline(xp, b, x):
    g, k, lo, hi = b["grid"], b["order"], b["lo"], b["hi"]
    h = (hi - lo) / g
    knots = xp.const(lo + (np.arange(g + 2 * k + 1) - k) * h, x)
    xe = x[..., None]
    # Order 0: indicator of [t_j, t_{j+1}); then Cox–de Boor.
    bs = xp.as_float((xe >= knots[:-1]) & (xe < knots[1:]))
    for q in range(1, k + 1):
        left = (xe - knots[:-(q + 1)]) / (knots[q:-1] - knots[:-(q + 1)]) * bs[..., :-1]
        right = (knots[q + 1:] - xe) / (knots[q + 1:] - knots[1:-q]) * bs[..., 1:]
        bs = left + right
    return bs


def _silu_basis(xp, b, x):
    return (x * xp.sigmoid(x))[..., None]


_BASES = {"chebyshev": _chebyshev, "fourier": _fourier, "bspline": _bspline, "silu": _silu_basis}


# Activations: f(xp, config, x, theta) with theta the list of the activation's parameters, each
# a scalar (shared) or a row of per-unit values that broadcasts over the points.

def _activate(xp, a, z, theta, per_unit):
    f = _ACTIVATIONS.get(a["name"])
    if f is None:
        raise UnsupportedLayer(f"activation {a['name']}")
    th = None
    if theta is not None:
        th = theta if per_unit else theta.reshape(-1)
        th = [th[..., m] for m in range(th.shape[-1])]
    return f(xp, a["config"], z, th)


def _softplus(xp, x):
    return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))


def _phi(xp, x):
    return 0.5 * xp.erfc(-x / math.sqrt(2))


def _xgate(gate):
    return lambda xp, c, x, th: x * ((1 + 2 * th[0]) * gate(xp, x) - th[0])


def _rational(xp, c, x, th):
    m, n = int(c["m"]), int(c["n"])
    p = sum(th[i] * x ** i for i in range(m + 1))
    q = 1 + sum(xp.abs(th[m + i]) * xp.abs(x) ** i for i in range(1, n + 1))
    return p / q


def _apa(xp, c, x, th):
    kappa, lam = th[0], xp.maximum(th[1], 1e-4)
    return x * (lam * xp.exp(-kappa * x) + 1) ** (-1 / lam)


def _elu(xp, alpha, x):
    return xp.where(x > 0, x, alpha * xp.expm1(xp.minimum(x, 0)))


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946

_ACTIVATIONS = {
    "sine": lambda xp, c, x, th: xp.sin(c["omega"] * x),
    "tanh": lambda xp, c, x, th: xp.tanh(x),
    "relu": lambda xp, c, x, th: xp.maximum(x, 0),
    "relu2": lambda xp, c, x, th: xp.maximum(x, 0) ** 2,
    "leaky_relu": lambda xp, c, x, th: xp.where(x > 0, x, c["slope"] * x),
    "abs": lambda xp, c, x, th: xp.abs(x),
    "linear": lambda xp, c, x, th: x,
    "elu": lambda xp, c, x, th: _elu(xp, c["alpha"], x),
    "selu": lambda xp, c, x, th: _SELU_LAMBDA * _elu(xp, _SELU_ALPHA, x),
    "sigmoid": lambda xp, c, x, th: xp.sigmoid(x),
    "softplus": lambda xp, c, x, th: _softplus(xp, c["beta"] * x) / c["beta"],
    "silu": lambda xp, c, x, th: x * xp.sigmoid(x),
    "swish": lambda xp, c, x, th: x * xp.sigmoid(th[0] * x),
    "mish": lambda xp, c, x, th: x * xp.tanh(_softplus(xp, x)),
    "gelu": lambda xp, c, x, th: x * _phi(xp, x),
    "xgelu": _xgate(_phi),
    "xsilu": _xgate(lambda xp, x: xp.sigmoid(x)),
    "xatlu": _xgate(lambda xp, x: xp.atan(x) / math.pi + 0.5),
    "apa": _apa,
    "rational": _rational,
    "gauss": lambda xp, c, x, th: xp.exp(-(c["s"] * x) ** 2),
    "gabor_real": lambda xp, c, x, th: xp.cos(c["omega"] * x) * xp.exp(-(c["s"] * x) ** 2),
    # detach = 1 (FINER's code): the scale |x| + 1 is a constant for the derivatives.
    "finer": lambda xp, c, x, th: xp.sin(c["omega"] * (xp.detach(xp.abs(x) + 1) if c.get("detach") else xp.abs(x) + 1) * x),
    "spder": lambda xp, c, x, th: xp.sin(c["omega"] * x) * xp.sqrt(xp.abs(c["omega"] * x)),
    "spder_atan": lambda xp, c, x, th: xp.sin(c["omega"] * x) * xp.atan(c["omega"] * x),
    "fkan": lambda xp, c, x, th: (x + xp.tanh(c["scale"] * x)) * xp.sigmoid(x),
    "cauchy": lambda xp, c, x, th: (th[0] * (c["scale"] * x) + th[1]) / ((c["scale"] * x) ** 2 + th[2] ** 2 + c["eps"]),
}


# PyTorch.

def to_torch(model, device=None, dtype=None):
    """A torch.nn.Module computing the model (a Model or the path of a model file): module(x)
    gives the network's outputs at the points x (a float64 tensor N×inputs), module.predict(x)
    the signal values. Its parameters are the file's trainable tensors (torch.nn.Parameter,
    named by the file's names with "/" for "."); the fixed ones (Fourier features' B, a
    normalisation's scale and shift) are buffers. save(module, path) writes it back."""
    import torch

    if not isinstance(model, Model):
        model = load(model)
    dtype = dtype or torch.float64

    class StudioModule(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model
            self._ops = _TorchOps(torch, dtype)
            for name, value in model.tensors.items():
                t = torch.tensor(np.array(value), dtype=dtype, device=device)
                key = name.replace(".", "/")
                if name in model.buffers:
                    self.register_buffer(key, t)
                else:
                    self.register_parameter(key, torch.nn.Parameter(t))
            self.register_buffer("scale", torch.tensor(model.scale, dtype=dtype, device=device))
            self.register_buffer("offset", torch.tensor(model.offset, dtype=dtype, device=device))

        def tensors(self):
            """The file's tensors by their names in the file."""
            named = dict(self.named_parameters())
            named.update(self.named_buffers())
            return {name: named[name.replace(".", "/")] for name in self.model.tensors}

        def forward(self, x):
            return _evaluate(self.model, self._ops, self.tensors(), x)

        def predict(self, x):
            return self.forward(x) * self.scale + self.offset

    return StudioModule()


def save(module, path):
    """Write a module made by to_torch as a model file, with its current parameters and the
    original file's metadata: the studio (inr eval, inr info, inr fit --init) and load read it."""
    meta = dict(module.model.meta)
    tensors = {name: t.detach().cpu().numpy().astype("<f8") for name, t in module.tensors().items()}
    meta.pop("checkpoint", None)  # the trainer state of a checkpoint is not carried
    write(path, meta, tensors)


def _main(argv=None):
    import argparse
    ap = argparse.ArgumentParser(description="Evaluate an INR Studio model file with numpy.")
    ap.add_argument("model")
    ap.add_argument("--size", help="render an image model: N or WxH, saved as an H×W×C .npy")
    ap.add_argument("--points", help="a CSV of points (one per line, a header line allowed)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    if (a.size is None) == (a.points is None):
        ap.error("give --size or --points")
    try:
        m = load(a.model)
        if a.size is not None:
            w, _, h = a.size.partition("x")
            try:
                w, h = int(w), int(h or w)
            except ValueError:
                ap.error(f"--size {a.size}: give N or WxH")
            np.save(a.out, m.render(w, h))
            return
        with open(a.points) as f:
            lines = [ln for ln in f.read().splitlines() if ln.strip()]
        if lines:
            try:
                float(lines[0].split(",")[0])
            except ValueError:
                lines = lines[1:]  # a header
        try:
            x = np.array([[float(v) for v in ln.split(",")] for ln in lines]).reshape(len(lines), -1)
        except ValueError as e:
            ap.error(f"--points {a.points}: {e}")
        np.savetxt(a.out, m.predict(x), delimiter=",", fmt="%.17g")
    except (OSError, ValueError) as e:
        ap.exit(1, f"inrstudio.py: {e}\n")


if __name__ == "__main__":
    _main()
