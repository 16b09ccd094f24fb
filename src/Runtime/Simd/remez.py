"""Minimax coefficients of the polynomials in FloatMath.cs and DoubleMath.cs (Remez exchange, relative error).

Standard library only (decimal at 80 digits). Usage:
    python3 remez.py exp DEG       # Q(r) with e^r = 1 + r + r^2 Q(r) on |r| <= ln2/2    (double: 10, float: 5)
    python3 remez.py log DEG       # P(z) with log(1+f) = 2s + s z P(z), z = s^2 <= 0.02944 (double: 6, float: 3)
    python3 remez.py logtail DEG   # H(z) with log(1+f) = 2s + (2/3) s^3 + s^5 H(z)        (double: 7, float: 2)
    python3 remez.py logf DEG      # C(f) with log(1+f) = f + f^2 C(f) on [sqrt(1/2)-1, sqrt(2)-1] (the former float log, 8)
Prints the worst relative error of the fit and the coefficients rounded to double and to float. logtable.py imports
remez() from here.
"""
from decimal import Decimal as D, getcontext
import struct, sys
getcontext().prec = 80

def solve(A, b):
    n = len(A)
    M = [row[:] + [bb] for row, bb in zip(A, b)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c:
                f = M[r][c] / M[c][c]
                for k in range(c, n + 1):
                    M[r][k] -= f * M[c][k]
    return [M[i][n] / M[i][i] for i in range(n)]

def horner(c, x):
    s = D(0)
    for a in reversed(c):
        s = s * x + a
    return s

def remez(f, w, lo, hi, deg, iters=30, grid=6000):
    # minimise max |(p(x) - f(x)) * w(x)| over [lo, hi]
    import math
    n = deg + 2
    xs = [ (lo + hi) / 2 + (hi - lo) / 2 * D(math.cos(math.pi * (n - 1 - i) / (n - 1))) for i in range(n)]
    G = [lo + (hi - lo) * D(i) / D(grid) for i in range(grid + 1)]
    FG = [f(x) for x in G]; WG = [w(x) for x in G]
    for it in range(iters):
        A = [[(D(1) if j == 0 else x ** j) for j in range(deg + 1)] + [D((-1) ** i) / w(x)] for i, x in enumerate(xs)]
        b = [f(x) for x in xs]
        sol = solve(A, b)
        c, E = sol[:-1], sol[-1]
        err = [(horner(c, x) - fx) * wx for x, fx, wx in zip(G, FG, WG)]
        # pick extrema: local extrema segments by sign
        ext = []
        i = 0
        while i < len(err):
            j = i
            s = err[i] >= 0
            best = i
            while j < len(err) and (err[j] >= 0) == s:
                if abs(err[j]) > abs(err[best]): best = j
                j += 1
            ext.append(best)
            i = j
        while len(ext) > n:
            # drop smallest at ends
            if abs(err[ext[0]]) < abs(err[ext[-1]]): ext.pop(0)
            else: ext.pop()
        if len(ext) < n:
            break
        xs = [G[k] for k in ext]
    mx = max(abs(e) for e in err)
    return c, mx

def dbl(x): return float(x)
def flt(x): return struct.unpack('f', struct.pack('f', float(x)))[0]

one = D(1)
def Qexp(r):
    if r == 0: return D('0.5')
    return ((r).exp() - 1 - r) / (r * r)
def Plog(z):
    if z == 0: return D(2) / D(3)
    s = z.sqrt()
    at = ((1 + s) / (1 - s)).ln() / 2
    return (2 * at / s - 2) / z

if __name__ == '__main__':
    mode = sys.argv[1]; deg = int(sys.argv[2])
    c = mx = None
    if mode == 'exp':
        a = D(sys.argv[3]) if len(sys.argv) > 3 else D('0.3466')
        c, mx = remez(Qexp, lambda r: 1 / Qexp(r), -a, a, deg)
    elif mode == 'log':
        zmax = D('0.02944')
        c, mx = remez(Plog, lambda z: 1 / Plog(z), D(0), zmax, deg)
    elif mode == 'logtail':
        def H(z):
            if z == 0: return D(2) / D(5)
            return (Plog(z) - D(2) / D(3)) / z
        c, mx = remez(H, lambda z: 1 / H(z), D(0), D('0.02944'), deg)
    elif mode == 'logf':
        def C(f):
            if f == 0: return D('-0.5')
            return ((1 + f).ln() - f) / (f * f)
        c, mx = remez(C, lambda f: 1 / C(f), D('0.5').sqrt() - 1, D(2).sqrt() - 1, deg)
    import math
    print(mode, deg, 'max relative error of the fit = %.3e (2^%.1f)' % (float(mx), math.log2(float(mx))))
    for i, ci in enumerate(c):
        print('  c%d = %r  /  float %r' % (i, dbl(ci), flt(ci)))
