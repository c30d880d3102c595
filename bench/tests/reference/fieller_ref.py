#!/usr/bin/env python3
# Reference values for test_stats.c and compare_test.sh (Fieller intervals),
# derived independently of ratio_ci.c: run it with python3 and compare.
# Independent reference for gb_ratio_ci: t quantile from Simpson integration
# of the t density and bisection; Fieller ends by bisection on the defining
# quadratic, not the closed form.
import math
def tpdf(x, v):
    return math.exp(math.lgamma((v+1)/2) - math.lgamma(v/2)) / math.sqrt(v*math.pi) * (1 + x*x/v) ** (-(v+1)/2)
def tcdf0(t, v, n=20000):   # integral 0..t
    h = t / n; s = tpdf(0, v) + tpdf(t, v)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * tpdf(i*h, v)
    return s * h / 3
def tq(p_upper, v):        # t with upper tail p_upper
    lo, hi = 0.0, 200.0
    for _ in range(80):
        mid = (lo+hi)/2
        if 0.5 - tcdf0(mid, v) > p_upper: lo = mid
        else: hi = mid
    return (lo+hi)/2
def mean(x): return sum(x)/len(x)
def var(x):
    m = mean(x); return sum((a-m)**2 for a in x)/(len(x)-1)
def fieller(a, b, level):
    ma, mb = mean(a), mean(b); va, vb = var(a)/len(a), var(b)/len(b)
    r = mb/ma; v = vb + r*r*va
    df = v*v / (vb*vb/(len(b)-1) + r**4*va*va/(len(a)-1))
    t = tq((1-level)/2, df)
    f = lambda R: (mb - R*ma)**2 - t*t*(vb + R*R*va)
    def root(x0, x1):
        for _ in range(200):
            m = (x0+x1)/2
            if (f(m) < 0) == (f(x0) < 0): x0 = m
            else: x1 = m
        return (x0+x1)/2
    return r, root(r, r - 1e3*abs(r)) if True else None, root(r, r + 1e3*abs(r)), df, t
def show(name, a, b, level, kind):
    inv = kind == 'rate'
    A = [1/x for x in a] if inv else a; B = [1/x for x in b] if inv else b
    r, lo, hi, df, t = fieller(A, B, level)
    if kind == 'rate':   ch, clo, chi = (1/r-1)*100, (1/hi-1)*100, (1/lo-1)*100
    elif kind == 'lower': ch, clo, chi = (1-r)*100, (1-hi)*100, (1-lo)*100
    else: ch, clo, chi = (r-1)*100, (lo-1)*100, (hi-1)*100
    print(f"{name}: ratio {r:.8g} [{lo:.8g}, {hi:.8g}] df {df:.6g} t {t:.7g} -> change {ch:.6g}% [{clo:.6g}, {chi:.6g}]")
L = 1 - 0.05/4
show("ns 1t", [10,11,12,13,14], [15,16,17,18,19], L, 'lower')
show("ops 1t", [1000,1100,1200,1300,1400], [1550,1650,1750,1850,1950], L, 'rate')
show("ops 2t", [1900,2000,2100], [1950,2050,2150], L, 'rate')
show("slab", [1056,1056.5,1057], [784,784.5,785], L, 'lower')
show("ns 1t 95", [10,11,12,13,14], [15,16,17,18,19], 0.95, 'lower')
# compare_test.sh boots: each boot's mean run (runs base+0/5/9/3/7 ns).
show("boots ns mean", [105.8, 106.8, 107.8], [115.8, 116.8, 117.8], 1 - 0.05/2, 'lower')
show("boots ops mean", [1e9/105.8, 1e9/106.8, 1e9/107.8], [1e9/115.8, 1e9/116.8, 1e9/117.8], 1 - 0.05/2, 'rate')
