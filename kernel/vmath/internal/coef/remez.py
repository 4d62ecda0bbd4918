# Minimax coefficients for package vmath, by the Remez exchange algorithm in 60-digit arithmetic.
# Run with a Python that has mpmath:  python3 remez.py > /tmp/coef.txt
# The printed values are the ones in coef.go (rounded to the nearest float64), except W, which
# is in kernel/internal/asmgen/linsin.go.
import mpmath as mp

mp.mp.dps = 60


def remez(f, a, b, deg, weight, iters=30, powers=None):
    """Minimise max |weight(z)*(p(z)-f(z))| over [a,b] for a polynomial p of degree deg, or, when
    powers is given, for p(z) = sum of c_j*z**powers[j] (deg is then len(powers)-1)."""
    if powers is None:
        powers = list(range(deg + 1))
    deg = len(powers) - 1
    n = deg + 2
    xs = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (n - 1 - i) / (n - 1)) for i in range(n)]
    grid = [a + (b - a) * mp.mpf(i) / 4000 for i in range(4001)]
    for _ in range(iters):
        A = mp.matrix(n, n)
        y = mp.matrix(n, 1)
        for i, x in enumerate(xs):
            for j, p in enumerate(powers):
                A[i, j] = x ** p
            A[i, deg + 1] = (-1) ** i / weight(x)
            y[i] = f(x)
        sol = mp.lu_solve(A, y)
        c = [sol[j] for j in range(deg + 1)]
        err = lambda x: weight(x) * (sum(cj * x ** p for cj, p in zip(c, powers)) - f(x))
        vals = [err(x) for x in grid]
        # Local extrema of the error on the grid, refined by golden-section search.
        ext = []
        for i in range(len(grid)):
            l = vals[i - 1] if i > 0 else None
            r = vals[i + 1] if i + 1 < len(grid) else None
            v = vals[i]
            if (l is None or abs(v) >= abs(l)) and (r is None or abs(v) >= abs(r)):
                lo = grid[max(i - 1, 0)]
                hi = grid[min(i + 1, len(grid) - 1)]
                g = lambda t: -abs(err(t))
                for _ in range(60):
                    m1 = lo + (hi - lo) * mp.mpf("0.381966")
                    m2 = lo + (hi - lo) * mp.mpf("0.618034")
                    if g(m1) < g(m2):
                        hi = m2
                    else:
                        lo = m1
                ext.append((lo + hi) / 2)
        # Keep alternating extrema, the largest of each sign run.
        alt = []
        for x in ext:
            e = err(x)
            if alt and mp.sign(err(alt[-1])) == mp.sign(e):
                if abs(e) > abs(err(alt[-1])):
                    alt[-1] = x
            else:
                alt.append(x)
        while len(alt) > n:
            if abs(err(alt[0])) < abs(err(alt[-1])):
                alt.pop(0)
            else:
                alt.pop()
        if len(alt) < n:
            break
        xs = alt
    maxerr = max(abs(v) for v in vals)
    return c, maxerr


def show(name, f, a, b, deg, weight):
    c, e = remez(f, a, b, deg, weight)
    print("%s  deg %d on [%s, %s]  max weighted error %s (2^%.1f)" % (name, deg, mp.nstr(a, 6), mp.nstr(b, 6), mp.nstr(e, 4), float(mp.log(e, 2))))
    for i, v in enumerate(c):
        print("  %s%d = %s" % (name, i, repr(float(v))))


rel = lambda g: (lambda z: 1 / abs(g(z)))
# sin r = r + r^3*S(r^2) on |r| <= pi/4 (slightly widened for the rounding of the quadrant).
R = mp.pi / 4 * mp.mpf("1.0001")
sinS = lambda z: (mp.sin(mp.sqrt(z)) - mp.sqrt(z)) / mp.sqrt(z) ** 3 if z > 0 else mp.mpf(-1) / 6
show("S", sinS, mp.mpf(0), R * R, 5, rel(sinS))
# sin r = r + r^3*T(r^2) on |r| <= pi/2, for the vector kernels that reduce by pi.
R2 = mp.pi / 2 * mp.mpf("1.0001")
show("T", sinS, mp.mpf(0), R2 * R2, 7, rel(sinS))
# cos r = 1 - r^2/2 + r^4*C(r^2).
cosC = lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z ** 2 if z > 0 else mp.mpf(1) / 24
show("C", cosC, mp.mpf(0), R * R, 5, rel(cosC))
# exp r = 1 + r*Q(r), Q(r) = (e^r-1)/r on |r| <= ln2/2 (widened).
L = mp.log(2) / 2 * mp.mpf("1.0001")
expQ = lambda r: mp.expm1(r) / r if r != 0 else mp.mpf(1)
show("Q", expQ, -L, L, 10, rel(expQ))
# log: log(1+f) = f - s*f + s*z*P(z), s = f/(2+f), z = s^2, |s| <= (sqrt2-1)/(sqrt2+1).
smax = (mp.sqrt(2) - 1) / (mp.sqrt(2) + 1) * mp.mpf("1.0001")
logP = lambda z: (2 * mp.atanh(mp.sqrt(z)) / mp.sqrt(z) - 2) / z if z > 0 else mp.mpf(2) / 3
show("P", logP, mp.mpf(0), smax * smax, 6, rel(logP))
# sin 2*pi*h = h*W(h^2) on |h| <= 1/4, for the fused LinearSin kernels of package kernel, which
# work in turns (kernel/internal/asmgen/linsin.go): weighted by the relative error of the sine
# itself. Rounding all eight coefficients at once to float64 would add about an ulp near
# |h| = 1/4, so they are rounded one at a time, W0 first (fixed at the double nearest 2*pi), and the
# higher ones refitted after each.
def remez_rounded(f, a, b, deg, weight, first):
    fixed = [first]
    while len(fixed) <= deg:
        k = len(fixed)
        rest = lambda z, fx=list(fixed): f(z) - sum(mp.mpf(c) * z ** i for i, c in enumerate(fx))
        c, e = remez(rest, a, b, 0, weight, powers=list(range(k, deg + 1)))
        fixed.append(float(c[0]))
    return fixed, e


H = mp.mpf(1) / 4 * mp.mpf("1.0001")
turnW = lambda z: mp.sin(2 * mp.pi * mp.sqrt(z)) / mp.sqrt(z) if z > 0 else 2 * mp.pi
wturn = lambda z: mp.sqrt(z) / mp.sin(2 * mp.pi * mp.sqrt(z)) if z > 0 else 1 / (2 * mp.pi)
cw, ew = remez_rounded(turnW, mp.mpf(0), H * H, 7, wturn, float(2 * mp.pi))
print("W  deg 7 on [0, 1/16], float64 coefficients  max weighted error %s (2^%.1f)" % (mp.nstr(ew, 4), float(mp.log(ew, 2))))
for i, v in enumerate(cw):
    print("  W%d = %s" % (i, repr(v)))
