"""Times numpy's np.sin over 2**20 float64 arguments uniform in [-30, 30] (SIREN-like) and prints
the median call as Melem/s. Usage: /usr/bin/python3 numpy_sin.py SECONDS
With INR_BENCH_CLOCK=cpu each call is timed by the process's CPU time."""
import os
import sys
import time

import numpy as np

budget = float(sys.argv[1]) if len(sys.argv) > 1 else 0.5
n = 1 << 20
x = np.random.default_rng(1).uniform(-30, 30, n)
y = np.empty_like(x)
np.sin(x, out=y)
clock = time.process_time if os.environ.get("INR_BENCH_CLOCK") == "cpu" else time.perf_counter
times = []
start = time.perf_counter()
while len(times) < 5 or time.perf_counter() - start < budget:
    t0 = clock()
    np.sin(x, out=y)
    times.append(clock() - t0)
times.sort()
print("sin %.1f" % (n / times[len(times) // 2] / 1e6))
