#!/usr/bin/python3
"""WIRE in PyTorch (float64/complex128), built as vishwa91/wire models/wire.py builds it, to check
the studio's WIRE training step against torch's autograd and Adam.

  OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=2 /usr/bin/python3 scripts/peers/torch_wire_check.py \
      --target camera128.raw --size 128 [--init model.safetensors] --steps 30 [--lr 5e-3]

--target is the image as raw little-endian float64 in [0,1], row by row (the studio's Image.Pix).
--init loads the studio's initial weights (a model file written before any step); without it torch's
own default initialisation is used with --seed. Prints "step loss psnr" per step: the loss of the
weights before the update (as the studio's loss.csv) and the PSNR of that reconstruction (clipped).
"""
import argparse
import math

import numpy as np
import torch
from torch import nn

from torch_quality import Gabor, read_safetensors  # shared with the seed-spread runs


class Wire(nn.Module):
    def __init__(self, width=181, hidden=3, omega=20.0, s=30.0, out=1):
        super().__init__()
        layers = [Gabor(2, width, omega, s, True)]
        layers += [Gabor(width, width, omega, s, False) for _ in range(hidden)]
        self.net = nn.Sequential(*layers)
        self.last = nn.Linear(width, out, dtype=torch.complex128)

    def forward(self, x):
        return self.last(self.net(x)).real

    def load_studio(self, w):
        """Copy the studio's weights (stored in×out, complex as _re/_im pairs) into the layers."""
        with torch.no_grad():
            self.net[0].linear.weight.copy_(torch.from_numpy(w["0.weight"].T.copy()))
            self.net[0].linear.bias.copy_(torch.from_numpy(w["0.bias"].copy()))
            mods = [(f"{2 * k + 2}", self.net[k + 1].linear) for k in range(len(self.net) - 1)]
            mods.append((f"{2 * len(self.net)}", self.last))
            for key, lin in mods:
                wc = w[key + ".weight_re"].T + 1j * w[key + ".weight_im"].T
                lin.weight.copy_(torch.from_numpy(wc.copy()))
                bi = w.get(key + ".bias_im", np.zeros_like(w[key + ".bias_re"]))
                lin.bias.copy_(torch.from_numpy(w[key + ".bias_re"] + 1j * bi))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", required=True)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--init")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--lr", type=float, default=5e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--stats", action="store_true", help="print init statistics of each tensor")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)  # subnormals make a step many times slower (reference-psnr.md)
    torch.manual_seed(a.seed)
    n = a.size
    gt = torch.from_numpy(np.fromfile(a.target, dtype="<f8")).reshape(n * n, 1)
    lin = torch.linspace(-1, 1, n, dtype=torch.float64)
    yy, xx = torch.meshgrid(lin, lin, indexing="ij")  # row-major pixels: column 0 is x (the column)
    coords = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)
    model = Wire()
    if a.init:
        model.load_studio(read_safetensors(a.init))
    if a.stats:
        for name, p in model.named_parameters():
            v = torch.view_as_real(p).detach() if p.is_complex() else p.detach()
            print(f"# {name} {tuple(p.shape)} complex={p.is_complex()} min {v.min():.4f} max {v.max():.4f} "
                  f"std {v.std():.4f}")
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    best = -math.inf
    print("step loss psnr")
    for step in range(a.steps):
        opt.zero_grad()
        y = model(coords)
        loss = ((y - gt) ** 2).mean()
        mse = ((y.detach().clamp(0, 1) - gt) ** 2).mean().item()
        psnr = -10 * math.log10(mse)
        best = max(best, psnr)
        print(f"{step} {loss.item():.10e} {psnr:.3f}", flush=True)
        loss.backward()
        opt.step()
    with torch.no_grad():
        mse = ((model(coords).clamp(0, 1) - gt) ** 2).mean().item()
    psnr = -10 * math.log10(mse)
    print(f"# final {a.steps} psnr {psnr:.3f} best {max(best, psnr):.3f}")


if __name__ == "__main__":
    main()
