"""Read and evaluate INR Studio model files with numpy alone.

A model file written by `inr fit` (or `inr solve`, or the inr Go package) is a safetensors file:
float64 tensors named by layer ("0.weight", "2.coeffs", ...) and string metadata. Its "graph"
metadata describes what every layer computes, so this module can evaluate the network without
the studio:

    import inrstudio
    m = inrstudio.load("runs/demo-camera-siren/model.safetensors")
    img = m.render(512, 512)          # H×W×C on [0, 1], as `inr eval --width 512 --height 512`
    y = m.predict(xy)                 # signal values at N×2 coordinates on [-1, 1]²
    raw = m.net(xy)                   # the network's outputs before the normalisation

Every layer of the image architectures (siren, wire, gauss, finer, relu_pe, relu_ff, spder,
sl2a, fkan, cauchy, mlp with any of its activations) is implemented here in float64; the results
agree with `inr eval` to about 1e-12 (the studio's tests check it). So are the models `inr solve`
writes: the domain normalisation, periodic embeddings, even/odd symmetry and the hard-constraint
transforms, whose expressions (the problem file's) are evaluated with numpy; and the multi-stage
models of `inr fit-fn`. A layer this module does not know is refused with its name rather than
guessed.

Run as a script it renders a model to a .npy file (H×W×C), or evaluates it at the points of a
CSV file (one point per line, an optional header line) and writes the predicted values, one
line per point:

    python3 inrstudio.py model.safetensors --size 256 --out image.npy
    python3 inrstudio.py model.safetensors --points in.csv --out out.csv
"""

import ast
import json
import math
import struct

import numpy as np

__all__ = ["load", "read", "Model", "UnsupportedLayer"]


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


def load(path):
    """Load a model file written by the studio."""
    return Model(path)


class Model:
    """A model file: its architecture, configuration, normalisation and network."""

    def __init__(self, path):
        self.path = str(path)
        self.meta, self.tensors = read(path)
        self.arch = self.meta.get("architecture", "")
        self.config = json.loads(self.meta.get("config", "{}"))
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
        if self.graph is None:
            return _multistage(self.config, self.tensors, x)[:, None]
        return _graph(self.graph, self.tensors, "", x)

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
        xs = _linspace(width)
        ys = _linspace(height)
        grid = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        out = np.concatenate([self.predict(grid[i:i + chunk]) for i in range(0, len(grid), chunk)])
        return np.clip(out, 0, 1).reshape(height, width, self.outputs)


def _multistage(cfg, w, x):
    """u(x) = Σ_k ε_k·net_k(2(x − lo)/(hi − lo) − 1): stage k's first layer is
    first_act(κ_k·(h·W) + b), then tanh layers and a linear output (multistage/doc.go)."""
    lo, hi = np.array(cfg["lo"]), np.array(cfg["hi"])
    h0 = 2 * (x - lo) / (hi - lo) - 1
    u = np.zeros(len(x))
    for k, s in reversed(list(enumerate(cfg["stages"]))):
        layers = len(s["widths"]) - 1
        h = h0
        for i in range(layers):
            z = h @ w[f"stage{k}.{i}.weight"]
            z = (s["kappa"] * z if i == 0 else z) + w[f"stage{k}.{i}.bias"]
            if i == layers - 1:
                h = z
            elif i == 0 and s["first_act"] == "sine":
                h = np.sin(z)
            else:
                h = np.tanh(z)
        u += s["epsilon"] * h[:, 0]
    return u


def _linspace(n):
    if n == 1:
        return np.zeros(1)
    return -1 + 2 * np.arange(n, dtype=np.float64) / (n - 1)


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
                _expression(src, names)  # refuses what it cannot evaluate, naming it
        if op not in _LAYERS:
            what = node.get("type", op)
            raise UnsupportedLayer(f"layer {name} ({what}) is not one inrstudio.py can evaluate")
        for key in ("activation",):
            if key in node and node[key]["name"] not in _ACTIVATIONS and node[key]["name"] != "gabor_complex":
                raise UnsupportedLayer(f"layer {name}: activation {node[key]['name']} is not implemented here")
        if op == "kan":
            for t in node["terms"]:
                if t["basis"]["name"] not in _BASES:
                    raise UnsupportedLayer(f"layer {name}: basis {t['basis']['name']} is not implemented here")


def _graph(spec, tensors, prefix, x):
    vals = [x]
    for node in spec["nodes"][1:]:
        ins = [vals[i] for i in node["inputs"]]
        name = prefix + node["name"] + "."
        op = node["op"]
        if op == "graph":
            y = _graph(node, tensors, name, ins[0])
        else:
            y = _LAYERS[op](node, _Params(tensors, name), *ins)
        vals.append(y)
    return vals[spec["output"]]


class _Params:
    """A node's tensors: p("weight") is the tensor "<node name>.weight", p.get for an optional one."""

    def __init__(self, tensors, prefix):
        self.tensors, self.prefix = tensors, prefix

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
    return _activate(s["activation"], _dense(s, p, x), p.get("theta"), s["per_unit"])


def _activation(s, p, x):
    return _activate(s["activation"], x, p.get("theta"), s["per_unit"])


def _affine(s, p, x):
    return x * p("scale") + p("shift")


def _low_rank(s, p, x):
    return (x @ p("U")) @ p("V") + p("bias")


def _layer_norm(s, p, x):
    c = x - x.mean(axis=1, keepdims=True)
    v = (c * c).mean(axis=1, keepdims=True)
    return p("gamma") * (c / np.sqrt(v + s["eps"])) + p("beta")


def _encoding(s, p, x):
    if s["kind"] == "positional":
        z = np.concatenate([math.ldexp(math.pi, i) * x for i in range(s["levels"])], axis=1)
    else:
        b = p("B")  # features × dim
        if s["affine"]:
            z = math.pi * (x @ b.T) + math.pi * b.sum(axis=1)  # 2π·B·(x+1)/2
        else:
            z = 2 * math.pi * (x @ b.T)
    parts = [np.sin(z), np.cos(z)]
    if s["identity"]:
        parts.insert(0, x)
    return np.concatenate(parts, axis=1)


def _complex_dense(s, p, x):
    wr, wi, n = p("weight_re"), p("weight_im"), s["out"]
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
    return np.concatenate([re, im + p("bias_im")], axis=1)


def _real_part(s, p, x):
    return x[:, :x.shape[1] // 2]


def _complex_activation(s, p, x):
    act, w = s["activation"], s["units"]
    if act["name"] != "gabor_complex":
        raise UnsupportedLayer(f"complex activation {act['name']}")
    omega, sc = act["config"]["omega"], act["config"]["s"]
    a = x[:, :w]
    b = np.zeros_like(a) if s["real_input"] else x[:, w:]
    with np.errstate(under="ignore"):
        mod = np.exp(-omega * b - sc * sc * (a * a + b * b))
    return np.concatenate([mod * np.cos(omega * a), mod * np.sin(omega * a)], axis=1)


def _sum(s, p, *xs):
    y = xs[0]
    for v in xs[1:]:
        y = y + v
    return y


def _product(s, p, a, b):
    return a * b


def _concat(s, p, *xs):
    return np.concatenate(xs, axis=1)


def _kan(s, p, x):
    n, d = x.shape
    y = np.zeros((n, s["out"]))
    for t in s["terms"]:
        phi = _BASES[t["basis"]["name"]](t["basis"], x)  # n × d × B
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
    z = x @ p("A") + p("c")
    return np.concatenate([x[:, s["keep"]], np.sin(z), np.cos(z)], axis=1)


def _symmetric(s, p, x):
    rx = x.copy()
    rx[:, s["axes"]] *= -1
    return 0.5 * (_graph(s["net"], p.tensors, p.prefix, x) + s["sign"] * _graph(s["net"], p.tensors, p.prefix, rx))


def _transform(s, p, x, n):
    out = n.copy()
    names = {v: x[:, i] for i, v in enumerate(s["vars"])}
    names.update(s["params"])
    for f, field in enumerate(s["fields"]):
        src = s["expressions"].get(field)
        if src is not None:
            out[:, f] = _expression(src, dict(names, N=n[:, f]))
    return out


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

_FUNCS = {
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "exp": np.exp, "log": np.log, "sqrt": np.sqrt,
    "tanh": np.tanh, "sinh": np.sinh, "cosh": np.cosh, "atan": np.arctan, "abs": np.abs,
    "sign": np.sign, "pow": np.power, "min": np.minimum, "max": np.maximum,
}


def _expression(src, names):
    env = dict(names, pi=math.pi, e=math.e)

    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id in env:
            return env[node.id]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = ev(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS
                and not node.keywords):
            return _FUNCS[node.func.id](*[ev(a) for a in node.args])
        raise UnsupportedLayer(f"expression {src!r}: cannot evaluate {ast.dump(node)}")

    with np.errstate(all="ignore"):
        return np.broadcast_to(ev(ast.parse(src, mode="eval")), len(names["N"])).astype(np.float64)


_BINOPS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


# KAN bases: f(spec, x) -> n × d × B values.

def _chebyshev(b, x):
    t = np.tanh(x)
    out = [np.ones_like(t), t]
    for _ in range(2, b["degree"] + 1):
        out.append(2 * t * out[-1] - out[-2])
    return np.stack(out[:b["degree"] + 1], axis=-1)


def _fourier(b, x):
    k = np.arange(1, b["frequencies"] + 1, dtype=np.float64)
    kx = x[..., None] * k
    return np.concatenate([np.cos(kx), np.sin(kx)], axis=-1)


def _bspline(b, x):
    g, k, lo, hi = b["grid"], b["order"], b["lo"], b["hi"]
    h = (hi - lo) / g
    knots = lo + (np.arange(g + 2 * k + 1) - k) * h
    xe = x[..., None]
    # Order 0: indicator of [t_j, t_{j+1}); then Cox–de Boor.
    bs = ((xe >= knots[:-1]) & (xe < knots[1:])).astype(np.float64)
    for q in range(1, k + 1):
        left = (xe - knots[:-(q + 1)]) / (knots[q:-1] - knots[:-(q + 1)]) * bs[..., :-1]
        right = (knots[q + 1:] - xe) / (knots[q + 1:] - knots[1:-q]) * bs[..., 1:]
        bs = left + right
    return bs


def _silu_basis(b, x):
    return (x / (1 + np.exp(-x)))[..., None]


_BASES = {"chebyshev": _chebyshev, "fourier": _fourier, "bspline": _bspline, "silu": _silu_basis}


# Activations: f(config, x, theta) with theta the per-unit (width × P) or shared (P) parameters,
# broadcast so that theta[..., m] is parameter m.

def _activate(a, z, theta, per_unit):
    f = _ACTIVATIONS.get(a["name"])
    if f is None:
        raise UnsupportedLayer(f"activation {a['name']}")
    th = None
    if theta is not None:
        th = theta if per_unit else np.asarray(theta).reshape(-1)
        th = [th[..., m] for m in range(th.shape[-1])]
    with np.errstate(over="ignore", under="ignore"):
        return f(a["config"], z, th)


def _sigmoid(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _phi(x):
    return 0.5 * _erfc(-x / math.sqrt(2))


def _xgate(gate):
    return lambda c, x, th: x * ((1 + 2 * th[0]) * gate(x) - th[0])


def _rational(c, x, th):
    m, n = int(c["m"]), int(c["n"])
    p = sum(th[i] * x ** i for i in range(m + 1))
    q = 1 + sum(np.abs(th[m + i]) * np.abs(x) ** i for i in range(1, n + 1))
    return p / q


def _apa(c, x, th):
    kappa, lam = th[0], np.maximum(th[1], 1e-4)
    return x * (lam * np.exp(-kappa * x) + 1) ** (-1 / lam)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_LAMBDA = 1.0507009873554804934193349852946

_ACTIVATIONS = {
    "sine": lambda c, x, th: np.sin(c["omega"] * x),
    "tanh": lambda c, x, th: np.tanh(x),
    "relu": lambda c, x, th: np.maximum(x, 0),
    "relu2": lambda c, x, th: np.maximum(x, 0) ** 2,
    "leaky_relu": lambda c, x, th: np.where(x > 0, x, c["slope"] * x),
    "abs": lambda c, x, th: np.abs(x),
    "linear": lambda c, x, th: x,
    "elu": lambda c, x, th: np.where(x > 0, x, c["alpha"] * np.expm1(np.minimum(x, 0))),
    "selu": lambda c, x, th: _SELU_LAMBDA * np.where(x > 0, x, _SELU_ALPHA * np.expm1(np.minimum(x, 0))),
    "sigmoid": lambda c, x, th: _sigmoid(x),
    "softplus": lambda c, x, th: _softplus(c["beta"] * x) / c["beta"],
    "silu": lambda c, x, th: x * _sigmoid(x),
    "swish": lambda c, x, th: x * _sigmoid(th[0] * x),
    "mish": lambda c, x, th: x * np.tanh(_softplus(x)),
    "gelu": lambda c, x, th: x * _phi(x),
    "xgelu": _xgate(_phi),
    "xsilu": _xgate(_sigmoid),
    "xatlu": _xgate(lambda x: np.arctan(x) / math.pi + 0.5),
    "apa": _apa,
    "rational": _rational,
    "gauss": lambda c, x, th: np.exp(-(c["s"] * x) ** 2),
    "gabor_real": lambda c, x, th: np.cos(c["omega"] * x) * np.exp(-(c["s"] * x) ** 2),
    "finer": lambda c, x, th: np.sin(c["omega"] * (np.abs(x) + 1) * x),
    "spder": lambda c, x, th: np.sin(c["omega"] * x) * np.sqrt(np.abs(c["omega"] * x)),
    "spder_atan": lambda c, x, th: np.sin(c["omega"] * x) * np.arctan(c["omega"] * x),
    "fkan": lambda c, x, th: (x + np.tanh(c["scale"] * x)) * _sigmoid(x),
    "cauchy": lambda c, x, th: (th[0] * (c["scale"] * x) + th[1]) / ((c["scale"] * x) ** 2 + th[2] ** 2 + c["eps"]),
}


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
