#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Generate tests/data/stats_vectors.txt, the known values tests/test_stats.c
checks userspace/stats/stats.c and userspace/stats/histogram.c against.

Run once, by hand, with Debian's scipy and numpy (apt-get install
python3-scipy python3-numpy):

    /usr/bin/python3 tests/data/gen_stats_vectors.py > tests/data/stats_vectors.txt

The output is deterministic (fixed seeds). The C test does not need python.

Every expected value comes from scipy/numpy, or, where scipy has no such
function (the order-statistic CI of the median, Moses' CI of the shift),
from the definition written out here with scipy.stats.binom and
scipy.stats.rankdata, independently of the C code.

Line format, whitespace-separated, floats as Python repr (round-trip exact),
arrays prefixed by their length:
  ostat N K LEVEL
      K: the largest k with 1 - 2 * binom.cdf(k - 1, N, 0.5) >= 0.95 and
      2k <= N + 1, or 0 if none; LEVEL: that coverage, or the coverage of
      [min, max] (k = 1) when K = 0.
  summary N x... MEDIAN MEAN MIN MAX CI_LO CI_HI CI_LEVEL
  mwu METHOD NA a... NB b... U1 P
      scipy.stats.mannwhitneyu(a, b, alternative='two-sided',
      use_continuity=True, method=METHOD); METHOD (exact or asymptotic) is
      also the one the C code must pick by itself: exact iff no ties and
      NA, NB <= 50.
  geomean N x... G                        scipy.stats.gmean
  moses NA base... NB new... K DELTA HL LO HI
      DELTA = median(new) - median(base), HL = median of the pairwise
      differences new[j] - base[i], [LO, HI] = [D(K), D(NA*NB + 1 - K)],
      K = floor(NA*NB/2 + 0.5 - z * sigma), sigma the tie-corrected sd of U;
      LO = HI = nan when K < 1.
  hist N v... P50 P90 P99 P999 MAX
      integer ns; nearest-rank percentiles: the value of rank ceil(p * N)
      (at least 1), in integer arithmetic, cross-checked with numpy's
      method='inverted_cdf' where p * N is not an integer.
"""
import math
import sys

import numpy as np
import scipy
from scipy import stats

Z975 = 1.959963984540054  # the literal in stats.h
assert abs(Z975 - stats.norm.ppf(0.975)) < 1e-15

out = sys.stdout


def fmt(v):
    v = float(v)
    if math.isnan(v):
        return 'nan'
    return repr(v)


def arr(x):
    return ' '.join([str(len(x))] + [fmt(v) for v in x])


def iarr(x):
    return ' '.join([str(len(x))] + [str(int(v)) for v in x])


def has_ties(*xs):
    c = np.concatenate(xs)
    return len(np.unique(c)) != len(c)


def median_ci_rank(n):
    """The largest k with coverage >= 0.95, and its coverage."""
    best = 0
    for k in range(1, n + 1):
        if 2 * k > n + 1:
            break
        cov = 1 - 2 * stats.binom.cdf(k - 1, n, 0.5)
        if cov >= 0.95:
            best = k
        else:
            break
    if best:
        return best, 1 - 2 * stats.binom.cdf(best - 1, n, 0.5)
    return 0, 1 - 2 * stats.binom.cdf(0, n, 0.5)


def emit_ostat(n):
    k, level = median_ci_rank(n)
    out.write(f'ostat {n} {k} {fmt(level)}\n')


def emit_summary(x):
    x = np.asarray(x, dtype=float)
    n = len(x)
    s = np.sort(x)
    k, level = median_ci_rank(n)
    lo, hi = (s[k - 1], s[n - k]) if k else (math.nan, math.nan)
    out.write(f'summary {arr(x)} {fmt(np.median(x))} {fmt(np.mean(x))} {fmt(s[0])} '
              f'{fmt(s[-1])} {fmt(lo)} {fmt(hi)} {fmt(level)}\n')


def emit_mwu(a, b, method):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    ties = has_ties(a, b)
    auto_exact = not ties and len(a) <= 50 and len(b) <= 50
    assert auto_exact == (method == 'exact'), (len(a), len(b), ties, method)
    r = stats.mannwhitneyu(a, b, use_continuity=True, alternative='two-sided', method=method)
    out.write(f'mwu {method} {arr(a)} {arr(b)} {fmt(r.statistic)} {fmt(r.pvalue)}\n')


def emit_geomean(x):
    out.write(f'geomean {arr(x)} {fmt(stats.gmean(np.asarray(x, dtype=float)))}\n')


def emit_moses(base, new):
    base = np.asarray(base, dtype=float)
    new = np.asarray(new, dtype=float)
    m, n = len(base), len(new)
    d = np.sort((new[None, :] - base[:, None]).ravel())
    ranks = stats.rankdata(np.concatenate([base, new]))
    _, t = np.unique(ranks, return_counts=True)
    tie_term = int((t ** 3 - t).sum())
    N = m + n
    # scipy's _get_mwu_z, operation for operation.
    sigma = np.sqrt(m * n / 12 * ((N + 1) - tie_term / (N * (N - 1))))
    k = math.floor(m * n / 2 + 0.5 - Z975 * float(sigma))
    if k >= 1:
        lo, hi = d[k - 1], d[m * n - k]
        assert lo <= np.median(d) <= hi
    else:
        k, lo, hi = 0, math.nan, math.nan
    delta = np.median(new) - np.median(base)
    out.write(f'moses {arr(base)} {arr(new)} {k} {fmt(delta)} {fmt(np.median(d))} '
              f'{fmt(lo)} {fmt(hi)}\n')


def emit_hist(v):
    v = np.asarray(v, dtype=np.int64)
    n = len(v)
    s = np.sort(v)
    ps = []
    for permille in (500, 900, 990, 999):
        rank = max(1, -(-permille * n // 1000))  # ceil in integers
        # numpy agrees except where p * N is an integer: there 99.9 / 100
        # in floating point can round the rank up by one (1000 for 99.9%
        # of 1..1000).
        if permille * n % 1000:
            q = np.percentile(v, permille / 10, method='inverted_cdf')
            assert q == s[rank - 1], (permille, n, q, s[rank - 1])
        ps.append(int(s[rank - 1]))
    out.write(f'hist {iarr(v)} {" ".join(str(p) for p in ps)} {int(s[-1])}\n')


def timings(rng, n, center, spread=0.02, tail=0.0):
    """Benchmark-like ns/op samples: a floor, a little noise, a right tail."""
    x = center * (1 + spread * rng.standard_normal(n))
    if tail:
        x += rng.exponential(center * tail, n) * (rng.random(n) < 0.2)
    return x


def main():
    rng = np.random.default_rng(20240611)
    out.write('# Known values for tests/test_stats.c, generated by '
              'tests/data/gen_stats_vectors.py\n')
    out.write(f'# with Python {sys.version.split()[0]}, scipy {scipy.__version__}, '
              f'numpy {np.__version__} (Debian python3-scipy, python3-numpy).\n')
    out.write('# Regenerate: /usr/bin/python3 tests/data/gen_stats_vectors.py > '
              'tests/data/stats_vectors.txt\n')
    out.write('# The line formats are described in the generator\'s docstring.\n')

    # Order-statistic CIs of the median: every small n, and a few large ones.
    for n in list(range(1, 201)) + [255, 256, 500, 1000, 4999, 10000, 100000]:
        emit_ostat(n)

    # Medians odd and even, the CI at n = 6, 10, 20, 50, too few samples below 6.
    emit_summary([42.0])
    emit_summary([3.0, 1.0])
    emit_summary([5.0, 1.0, 3.0])
    emit_summary([4.0, 1.0, 3.0, 2.0])
    emit_summary([2.5, 2.5, 2.5, 2.5, 2.5])
    emit_summary([10.0, 12.0, 11.0, 15.0, 13.0, 14.0])
    for n in (6, 7, 10, 11, 20, 21, 50, 51, 101, 1000):
        emit_summary(timings(rng, n, 44.0, tail=0.5))
    emit_summary(np.round(timings(rng, 50, 120.0, spread=0.01), 1))  # ties

    # Mann-Whitney, exact: no ties, both samples <= 50.
    emit_mwu([19, 22, 16, 29, 24], [20, 11, 17, 12], 'exact')  # scipy's docstring example
    emit_mwu([1.0], [2.0], 'exact')
    emit_mwu([3.0], [1.0, 2.0, 4.0, 5.0, 6.0], 'exact')
    emit_mwu([1.0, 4.0], [2.0, 3.0], 'exact')  # U = mn/2: p capped at 1
    emit_mwu([1.5, 2.5], [0.5, 3.5, 4.5], 'exact')
    emit_mwu([1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0], 'exact')  # separated
    emit_mwu([16.0, 17.0, 18.0, 19.0, 20.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 'exact')
    emit_mwu([1.0, 3.0, 5.0, 7.0, 9.0], [2.0, 4.0, 6.0, 8.0, 10.0], 'exact')
    for na, nb, shift in ((3, 4, 0.0), (6, 8, 0.02), (10, 10, 0.0), (10, 10, 0.03),
                          (7, 12, 0.01), (20, 20, 0.005), (30, 25, 0.01), (50, 3, 0.0),
                          (50, 50, 0.0), (50, 50, 0.004), (40, 50, 0.01)):
        a = timings(rng, na, 44.0)
        b = timings(rng, nb, 44.0 * (1 + shift))
        emit_mwu(a, b, 'exact')
    emit_mwu(np.arange(1.0, 21.0), np.arange(21.0, 41.0), 'exact')  # separated, p ~ 1e-11
    emit_mwu(np.arange(1.0, 51.0) + 100, np.arange(1.0, 51.0), 'exact')  # p ~ 1e-29

    # Mann-Whitney, asymptotic: ties, or a sample above 50.
    emit_mwu([1, 2, 2, 3, 4], [2, 3, 3, 5, 6], 'asymptotic')
    emit_mwu([1, 1, 2], [3, 4, 5], 'asymptotic')  # ties within a sample only
    emit_mwu(np.arange(1.0, 11.0), np.arange(1.0, 11.0), 'asymptotic')  # identical samples
    emit_mwu(rng.integers(40, 48, 10), rng.integers(42, 50, 12), 'asymptotic')
    emit_mwu(np.round(timings(rng, 20, 44.0), 1), np.round(timings(rng, 20, 44.4), 1),
             'asymptotic')
    emit_mwu(timings(rng, 60, 44.0), timings(rng, 60, 44.2), 'asymptotic')
    emit_mwu(timings(rng, 51, 44.0), timings(rng, 10, 44.0), 'asymptotic')
    emit_mwu(np.arange(1.0, 81.0), np.arange(81.0, 161.0), 'asymptotic')  # separated
    emit_mwu(np.round(timings(rng, 200, 44.0, tail=0.3)), np.round(timings(rng, 300, 44.5,
             tail=0.3)), 'asymptotic')
    emit_mwu(np.round(timings(rng, 100, 44.0), 1), np.round(timings(rng, 100, 44.0), 1),
             'asymptotic')

    # Geometric means.
    emit_geomean([1.0, 2.0, 4.0, 8.0])
    emit_geomean([44.0])
    emit_geomean([0.5, 2.0])
    emit_geomean(timings(rng, 37, 1000.0, spread=0.5, tail=2.0).clip(1.0))
    emit_geomean([1e-9, 1e9, 3.0, 7.5, 1e300, 1e-300])

    # Moses' CI of the shift, and the Hodges-Lehmann estimate.
    emit_moses([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])  # K < 1: no interval
    emit_moses([1.0, 2.0, 3.0, 4.0], [3.0, 5.0, 6.0, 8.0])  # K = 1, with a tie
    emit_moses([10.0, 11.0, 12.0, 13.0, 14.0, 15.0], [12.0, 13.5, 14.0, 16.0, 17.0, 18.5])
    emit_moses(timings(rng, 10, 44.0), timings(rng, 10, 46.1))
    emit_moses(timings(rng, 20, 44.0), timings(rng, 25, 43.5))
    emit_moses(np.round(timings(rng, 50, 44.0), 1), np.round(timings(rng, 50, 44.3), 1))
    emit_moses(timings(rng, 30, 44.0, tail=0.5), timings(rng, 30, 44.0, tail=0.5))
    emit_moses(timings(rng, 100, 120.0), timings(rng, 80, 118.0))

    # Histogram percentiles of fixed arrays.
    emit_hist(list(range(1, 11)))
    emit_hist([5] * 7 + [1000000])
    emit_hist([0, 1, 2047, 2048, 2049, 4095, 4096, 1000000, 999999999, 100000000000])
    emit_hist(list(range(1, 1001)))
    emit_hist(np.round(rng.lognormal(np.log(800.0), 0.6, 1000)).astype(np.int64))
    emit_hist(np.round(rng.pareto(1.5, 5000) * 300 + 50).astype(np.int64))


if __name__ == '__main__':
    main()
