"""Time one Adam step of a 2-D Poisson PINN in PyTorch: the peer of `inr bench pinn`.

tanh MLP 2→64→64→64→1, N interior collocation points in [-1,1]², residual u_xx + u_yy - f with
f = -2π² sin(πx) sin(πy) computed by double backward (create_graph=True), plus a boundary MSE on
N/10 points, Adam (lr 1e-3), float64. Prints one JSON line with per-step milliseconds.
Run with Debian's /usr/bin/python3 (python3-torch) and OPENBLAS_CORETYPE=SkylakeX.
"""
import argparse
import json
import math
import time

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=10000)
    ap.add_argument("--width", type=int, default=64)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dtype = torch.float64
    w = args.width
    net = torch.nn.Sequential(
        torch.nn.Linear(2, w), torch.nn.Tanh(),
        torch.nn.Linear(w, w), torch.nn.Tanh(),
        torch.nn.Linear(w, w), torch.nn.Tanh(),
        torch.nn.Linear(w, 1)).to(dtype)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = (torch.rand(args.points, 2, dtype=dtype) * 2 - 1).requires_grad_(True)
    f = -2 * math.pi ** 2 * torch.sin(math.pi * x[:, 0:1].detach()) * torch.sin(math.pi * x[:, 1:2].detach())
    nb = args.points // 10
    t = torch.rand(nb, dtype=dtype) * 2 - 1
    side = torch.randint(0, 4, (nb,))
    xb = torch.stack([torch.where(side == 0, -1.0, torch.where(side == 1, 1.0, t)).to(dtype),
                      torch.where(side == 2, -1.0, torch.where(side == 3, 1.0, t)).to(dtype)], dim=1)

    def step():
        opt.zero_grad(set_to_none=True)
        u = net(x)
        g = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
        uxx = torch.autograd.grad(g[:, 0].sum(), x, create_graph=True)[0][:, 0:1]
        uyy = torch.autograd.grad(g[:, 1].sum(), x, create_graph=True)[0][:, 1:2]
        loss = ((uxx + uyy - f) ** 2).mean() + (net(xb) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    step()
    times, cpu = [], []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    print(json.dumps({"peer": "pytorch " + torch.__version__, "dtype": "float64",
                      "threads": args.threads, "points": args.points, "ms": times, "cpu_ms": cpu}))


if __name__ == "__main__":
    main()
