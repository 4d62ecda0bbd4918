# Cody-Waite splits of pi/2 and ln 2 used by coef.go:  python3 split.py
import mpmath as mp
mp.mp.dps = 80


def trunc(v, bits):
    # v rounded toward zero to `bits` significant bits.
    e = mp.floor(mp.log(abs(v), 2))
    q = mp.mpf(2) ** (e - bits + 1)
    return mp.floor(v / q) * q


def split(name, v, widths):
    rest = v
    for i, w in enumerate(widths):
        p = trunc(rest, w) if w < 53 else mp.mpf(float(rest))
        print("%s%d = %s  // %d bits" % (name, i + 1, float(p).hex(), w))
        assert mp.mpf(float(p)) == p
        rest -= p
    print("  remaining %s" % mp.nstr(rest, 5))


split("PiO2Trunc", mp.pi / 2, [30, 30, 30, 53])
split("PiO2Full", mp.pi / 2, [53, 53, 53])
split("Ln2Trunc", mp.log(2), [42, 53])
print("TwoOverPi =", float(2 / mp.pi).hex(), "Log2E =", float(1 / mp.log(2)).hex())
