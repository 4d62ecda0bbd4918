#!/usr/bin/python3
"""The reference configuration of the 128² quality table (shared/ref/reference-psnr.md) in PyTorch,
float64, to measure its seed spread beside ours: SIREN, WIRE, Gauss, SPDER, FINER and ReLU+PE built
as the configuration table and inr-architectures.md describe them (the official repositories' inits), full
batch, Adam at the default learning rate, no schedule, PSNR of the prediction before every update
(and after the last), as scripts/bench-quality.sh evaluates ours.

  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 scripts/peers/torch_quality.py \\
      --model wire --image assets/camera-128.png --seed 0 [--steps 300] [--log] [--stats] [--init F]

Prints "# <model> <image> seed <s> final <psnr> best <psnr> at <step> ms/step <t>"; --log adds
"step loss psnr" lines; --stats prints the initial weights' statistics per tensor (complex tensors
as their real and imaginary parts) and exits: "stat <name> <n> <mean> <std> <min> <max>".
--init starts a real network (not WIRE: see torch_wire_check.py) from the studio's initial weights
(go run ./scripts/peers/initstats -model gauss -channels 3 -seed 0 -save F), so that the two
trainings can be compared step by step from one draw. --export-init TEMPLATE OUT goes the other
way: it writes torch's own draw at --seed as a studio model file (TEMPLATE: initstats -save of the
same model and channels) for `inr fit --init OUT`, so the studio trains PyTorch's draw.
One thread (torch.set_num_threads(1)), as the studio's table runs; subnormals flushed to zero (set_flush_denormal).
"""
import argparse
import json
import math
import os
import struct
import time
import zlib

import numpy as np
import torch
from torch import nn

torch.set_default_dtype(torch.float64)


def read_png(path):
    """8-bit grayscale or RGB(A), non-interlaced PNG → float64 array H×W×C on [0, 1] (no PIL here)."""
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat = 8, b""
    while pos < len(raw):
        n = struct.unpack(">I", raw[pos:pos + 4])[0]
        kind, body = raw[pos + 4:pos + 8], raw[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and interlace == 0 and ctype in (0, 2, 6), (depth, ctype, interlace)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    c = {0: 1, 2: 3, 6: 4}[ctype]
    data = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + w * c)
    out = np.zeros((h, w * c), dtype=np.int32)
    for y in range(h):
        ft, line = data[y, 0], data[y, 1:].astype(np.int32)
        prev = out[y - 1] if y else np.zeros(w * c, dtype=np.int32)
        if ft == 0:
            cur = line
        elif ft == 2:
            cur = (line + prev) & 255
        else:  # Sub, Average, Paeth depend on the left neighbour: byte by byte
            cur = np.zeros(w * c, dtype=np.int32)
            for i in range(w * c):
                a = cur[i - c] if i >= c else 0
                b, d = prev[i], prev[i - c] if i >= c else 0
                if ft == 1:
                    p = a
                elif ft == 3:
                    p = (a + b) // 2
                else:
                    pa, pb, pc = abs(b - d), abs(a - d), abs(a + b - 2 * d)
                    p = a if pa <= pb and pa <= pc else (b if pb <= pc else d)
                cur[i] = (line[i] + p) & 255
        out[y] = cur
    img = out.reshape(h, w, c)[:, :, :3] / 255.0
    return img


def split_safetensors(path):
    """(header dict, data bytes) of a safetensors file."""
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    return json.loads(raw[8:8 + n]), raw[8 + n:]


def read_safetensors(path):
    """{name: float64 array} of a studio model file (safetensors layout, F64 tensors)."""
    header, body = split_safetensors(path)
    out = {}
    for name, info in header.items():
        if name != "__metadata__":
            assert info["dtype"] == "F64", info
            a, b = info["data_offsets"]
            out[name] = np.frombuffer(body[a:b], dtype="<f8").reshape(info["shape"])
    return out


def load_studio(model, path):
    """Copy a studio model's weights into a real network (SIREN, SPDER, FINER, Gauss): the studio
    stores layer k as "k.weight" (in×out) and "k.bias", in the order of torch's parameters."""
    w = read_safetensors(path)
    keys = sorted({int(k.split(".")[0]) for k in w})
    params = list(model.parameters())
    assert len(params) == 2 * len(keys), (len(params), keys)
    with torch.no_grad():
        for i, k in enumerate(keys):
            params[2 * i].copy_(torch.from_numpy(w[f"{k}.weight"].T.copy()))
            params[2 * i + 1].copy_(torch.from_numpy(w[f"{k}.bias"].copy()))


def save_studio(model, template, out):
    """Write the network's current weights (PyTorch's initial draw) as a studio model file, with the
    header and metadata of template (a studio file of the same architecture, e.g. initstats -save),
    for `inr fit --init OUT`: the studio then trains PyTorch's own draw. The studio file's layer
    indices, in order, are torch's linear layers in order; WIRE's complex tensors are stored as _re/_im pairs (the output's
    imaginary bias, which Re() discards, only if the template has one)."""
    header, _ = split_safetensors(template)
    meta = header.pop("__metadata__", None)
    lins = [m for m in model.modules() if isinstance(m, nn.Linear)]
    layers = sorted({int(k.split(".")[0]) for k in header})  # the studio's indices of its linear layers
    assert len(layers) == len(lins), (layers, len(lins))
    vals = {}
    for i, lin in enumerate(lins):
        k, w, b = str(layers[i]), lin.weight.detach().numpy().T, lin.bias.detach().numpy()
        if lin.weight.is_complex():
            vals.update({k + ".weight_re": w.real, k + ".weight_im": w.imag, k + ".bias_re": b.real, k + ".bias_im": b.imag})
        else:
            vals.update({k + ".weight": w, k + ".bias": b})
    new, blobs, off = {}, [], 0
    for name, info in header.items():
        a = np.ascontiguousarray(vals.pop(name), dtype="<f8")
        assert list(a.shape) == info["shape"], (name, a.shape, info["shape"])
        new[name] = {"dtype": "F64", "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes())
        off += a.nbytes
    assert set(vals) <= {f"{layers[-1]}.bias_im"}, sorted(vals)  # nothing else left over
    if meta is not None:
        new["__metadata__"] = meta
    h = json.dumps(new).encode()
    h += b" " * (-len(h) % 8)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(tmp, out)


class Sine(nn.Module):
    def __init__(self, n_in, n_out, omega, first):
        super().__init__()
        self.omega, self.linear = omega, nn.Linear(n_in, n_out)
        with torch.no_grad():  # siren modules.py: first_layer_sine_init / sine_init; biases default
            b = 1 / n_in if first else math.sqrt(6 / n_in) / omega
            self.linear.weight.uniform_(-b, b)

    def forward(self, x):
        return torch.sin(self.omega * self.linear(x))


class Spder(Sine):
    """sin(u)·√|u|, u = ω0·z, SIREN init; the guard max(|u|, 1e-43) is a normal number in float64."""

    def forward(self, x):
        u = self.omega * self.linear(x)
        return torch.sin(u) * torch.sqrt(torch.clamp(u.abs(), min=1e-43))


class Finer(Sine):
    def forward(self, x):
        z = self.linear(x)
        return torch.sin(self.omega * (z.abs().detach() + 1) * z)


class Gauss(nn.Module):
    def __init__(self, n_in, n_out, s):
        super().__init__()
        self.s, self.linear = s, nn.Linear(n_in, n_out)

    def forward(self, x):
        return torch.exp(-(self.s * self.linear(x)) ** 2)


class Gabor(nn.Module):
    """WIRE's ComplexGaborLayer: exp(i·ω0·z − |s0·z|²); the first layer real, the others complex."""

    def __init__(self, n_in, n_out, omega, s, first):
        super().__init__()
        self.omega, self.s = omega, s
        self.linear = nn.Linear(n_in, n_out, dtype=torch.float64 if first else torch.complex128)

    def forward(self, x):
        z = self.linear(x)
        return torch.exp(1j * self.omega * z - (self.s * z).abs().square())


class PosEnc(nn.Module):
    """NeRF's encoding [x | sin(2^i·πx) | cos(2^i·πx)], i < levels, laid out as the studio's."""

    def __init__(self, levels):
        super().__init__()
        self.register_buffer("f", math.pi * 2.0 ** torch.arange(levels, dtype=torch.float64))

    def forward(self, x):
        z = (x[:, None, :] * self.f[None, :, None]).reshape(x.shape[0], -1)
        return torch.cat([x, torch.sin(z), torch.cos(z)], dim=1)


class Net(nn.Module):
    def __init__(self, layers, last, real_part=False):
        super().__init__()
        self.net, self.last, self.real_part = nn.Sequential(*layers), last, real_part

    def forward(self, x):
        y = self.last(self.net(x))
        return y.real if self.real_part else y


def build(model, c, side):
    """The network and its (lr, target range) per reference-psnr.md's configuration table."""
    if model in ("siren", "spder", "finer"):
        cls, hidden, lr = {"siren": (Sine, 3, 1e-4), "spder": (Spder, 5, 1e-4), "finer": (Finer, 3, 5e-4)}[model]
        layers = [cls(2, 256, 30.0, True)] + [cls(256, 256, 30.0, False) for _ in range(hidden)]
        last = nn.Linear(256, c)
        with torch.no_grad():
            b = math.sqrt(6 / 256) / 30
            last.weight.uniform_(-b, b)
        return Net(layers, last), lr, "pm1"
    if model == "gauss":
        layers = [Gauss(2, 256, 30.0)] + [Gauss(256, 256, 30.0) for _ in range(3)]
        return Net(layers, nn.Linear(256, c)), 1e-4, "pm1"
    if model == "relu_pe":
        levels = max(1, int(math.floor(math.log2(side / 4))))
        layers = [PosEnc(levels), nn.Linear(2 * (1 + 2 * levels), 256), nn.ReLU()]
        for _ in range(3):
            layers += [nn.Linear(256, 256), nn.ReLU()]
        return Net(layers, nn.Linear(256, c)), 1e-3, "01"
    if model == "wire":
        w = int(256 / math.sqrt(2))
        layers = [Gabor(2, w, 20.0, 30.0, True)] + [Gabor(w, w, 20.0, 30.0, False) for _ in range(3)]
        return Net(layers, nn.Linear(w, c, dtype=torch.complex128), real_part=True), 5e-3, "01"
    raise SystemExit(f"unknown model {model}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--image", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--log", action="store_true")
    ap.add_argument("--stats", action="store_true")
    ap.add_argument("--init", help="start from a studio model file (initstats -save) instead of torch's draw")
    ap.add_argument("--export-init", nargs=2, metavar=("TEMPLATE", "OUT"),
                    help="write torch's initial draw at --seed as a studio model file shaped like TEMPLATE, and exit")
    a = ap.parse_args()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)  # reference-psnr.md "Subnormal floats": same PSNR, many times faster
    img = read_png(a.image)
    h, w, c = img.shape
    gt01 = torch.from_numpy(img.reshape(h * w, c).copy())
    torch.manual_seed(a.seed)
    model, lr, rng = build(a.model, c, max(h, w))
    if a.export_init:
        save_studio(model, *a.export_init)
        return
    if a.init:
        load_studio(model, a.init)
    if a.stats:
        for name, p in model.named_parameters():
            parts = [("re", p.real), ("im", p.imag)] if p.is_complex() else [("", p)]
            for suffix, v in parts:
                v = v.detach().reshape(-1)
                nm = name + ("_" + suffix if suffix else "")
                print(f"stat {nm} {v.numel()} {v.mean():.6f} {v.std():.6f} {v.min():.6f} {v.max():.6f}")
        return
    target = gt01 * 2 - 1 if rng == "pm1" else gt01
    lin_x = torch.linspace(-1, 1, w)
    lin_y = torch.linspace(-1, 1, h)
    yy, xx = torch.meshgrid(lin_y, lin_x, indexing="ij")  # pixel order row by row; column 0 is x
    coords = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def psnr(y):
        y01 = (y.detach() + 1) / 2 if rng == "pm1" else y.detach()
        mse = ((y01.clamp(0, 1) - gt01) ** 2).mean().item()
        return -10 * math.log10(mse) if mse > 0 else math.inf

    best, best_step = -math.inf, -1
    t0 = time.perf_counter()
    for step in range(a.steps):
        opt.zero_grad()
        y = model(coords)
        loss = ((y - target) ** 2).mean()
        p = psnr(y)
        if p > best:
            best, best_step = p, step
        if a.log:
            print(f"{step} {loss.item():.10e} {p:.3f}", flush=True)
        loss.backward()
        opt.step()
    ms = (time.perf_counter() - t0) / a.steps * 1e3
    with torch.no_grad():
        final = psnr(model(coords))
    if final > best:
        best, best_step = final, a.steps
    name = a.image.rsplit("/", 1)[-1].split("-")[0]
    print(f"# {a.model} {name} seed {a.seed} final {final:.2f} best {best:.2f} at {best_step} ms/step {ms:.0f}",
          flush=True)


if __name__ == "__main__":
    main()
