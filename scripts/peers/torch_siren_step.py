"""Time one full-batch SIREN training step in PyTorch: the peer of `inr bench fit`.

SIREN 2→256→256→256→1 (sin(30·z) in every hidden layer, the paper's initialisation), the full
side×side grid of coordinates in [-1,1]² as one batch, MSE loss, backward, Adam (lr 1e-4).
Prints one JSON line: {"peer": ..., "dtype": ..., "threads": ..., "ms": [per-step wall times],
"cpu_ms": [per-step process CPU times]} (CPU time stays meaningful on a shared machine).
Run with Debian's /usr/bin/python3 (python3-torch) and OPENBLAS_CORETYPE=SkylakeX.
"""
import argparse
import json
import math
import time

import torch


def siren(width, depth, dtype):
    layers = []
    dims = [2] + [width] * depth
    for i in range(depth):
        lin = torch.nn.Linear(dims[i], dims[i + 1]).to(dtype)
        with torch.no_grad():
            n = dims[i]
            bound = 1 / n if i == 0 else math.sqrt(6 / n) / 30
            lin.weight.uniform_(-bound, bound)
        layers.append(lin)
    out = torch.nn.Linear(width, 1).to(dtype)
    with torch.no_grad():
        bound = math.sqrt(6 / width) / 30
        out.weight.uniform_(-bound, bound)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.hidden = torch.nn.ModuleList(layers)
            self.out = out

        def forward(self, x):
            for lin in self.hidden:
                x = torch.sin(30 * lin(x))
            return self.out(x)

    return Net()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", type=int, default=256)
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dtype = getattr(torch, args.dtype)
    lin = torch.linspace(-1, 1, args.side, dtype=dtype)
    yy, xx = torch.meshgrid(lin, lin, indexing="ij")
    coords = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)
    target = torch.sin(3 * coords[:, :1]) * torch.cos(2 * coords[:, 1:])
    net = siren(256, 3, dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = ((net(coords) - target) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    step()  # warm-up
    times, cpu = [], []
    for _ in range(args.steps):
        c0, t0 = time.process_time(), time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    print(json.dumps({"peer": "pytorch " + torch.__version__, "dtype": args.dtype,
                      "threads": args.threads, "side": args.side, "ms": times, "cpu_ms": cpu}))


if __name__ == "__main__":
    main()
