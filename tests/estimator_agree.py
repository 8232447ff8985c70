#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR MIT
"""Every command gives the same delta, CI and p for every case of one file.

One estimator (userspace/stats/estimate.h) serves run, sweep, compare,
report and plot. This test makes one run file and one quick sweep file,
and for each of them checks every case against the full-precision numbers
of plot's delta.csv:

- run's table: "+7.48% [+5.19%, +11.68%] p=0.000 n=20 paired" (or "~ ...");
- sweep's summary line of each group: "+7.48%" or "~";
- compare FILE --base resv: the same % and p on the row, the CI under it;
- report: the % (one decimal), the CI in ns (three significant digits),
  "not significant" exactly where delta.csv says so, and p.

It also checks that a file written by calibrate gets calibrate's verdicts
from report. Exits 77 (skipped) without gnuplot, which plot needs.

Usage: estimator_agree.py GVBENCH TMPDIR
"""
import csv
import os
import re
import shutil
import subprocess
import sys

tool, tmp = os.path.abspath(sys.argv[1]), os.path.join(sys.argv[2], "estimator_agree")
if not shutil.which("gnuplot"):
    print("SKIP: gnuplot not installed (apt-get install gnuplot-nox)")
    sys.exit(77)
shutil.rmtree(tmp, ignore_errors=True)
os.makedirs(tmp)
passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what}: {detail}")


def gv(*args):
    r = subprocess.run([tool, *args], capture_output=True, text=True, cwd=tmp)
    if r.returncode:
        print(f"FAIL gvbench {' '.join(args)}: exit {r.returncode}: {r.stderr}")
        sys.exit(1)
    return r.stdout


def fmt_p_close(text, p):
    """A printed p ("0.014", "0.0499", "p<0.001") against the exact one."""
    if text == "<0.001":
        return p < 0.001
    return abs(float(text) - p) <= 0.5 * 10 ** -(len(text.split(".")[1])) + 1e-12


def deltas(path):
    out = os.path.join(tmp, os.path.basename(path) + ".plot")
    gv("plot", path, "-o", out, "--term", "svg")
    with open(os.path.join(out, "delta.csv")) as f:
        rows = list(csv.DictReader(f))
    check(f"{path}: delta.csv has rows", len(rows) > 0)
    for r in rows:
        for k in ("delta_pct", "ci_lo_pct", "ci_hi_pct", "p_value", "delta_ns",
                  "ci_lo_ns", "ci_hi_ns"):
            r[k] = float(r[k])
        r["significant"] = r["significant"] == "1"
        check(f"{r['case']}: design", r["design"] == "paired", r["design"])
    return rows


def check_run_table(table, rows):
    for r in rows:
        line = next((l for l in table.splitlines() if l.startswith(r["case"] + " ")), None)
        if not check(f"run: row {r['case']}", line is not None):
            continue
        want = (f"{r['delta_pct']:+.2f}%" if r["significant"] else "~") + \
            f" [{r['ci_lo_pct']:+.2f}%, {r['ci_hi_pct']:+.2f}%] p="
        check(f"run: {r['case']} delta and CI", want in line, f"'{want}' not in '{line}'")
        m = re.search(r" p=(\S+) n=\d+ paired", line)
        check(f"run: {r['case']} p", m and fmt_p_close(m.group(1), r["p_value"]), line)


def group_key(r):
    # "map-unmap-4K/resv+gpuva/t1" -> ("map-unmap-4K", "resv+gpuva", "t1")
    return r["case"].split("/")


def check_compare(text, rows):
    lines = text.splitlines()
    for r in rows:
        g, s, t = group_key(r)
        try:
            i = lines.index(f"{g}/{t}")
        except ValueError:
            check(f"compare: group {g}/{t}", False)
            continue
        j = next((k for k in range(i + 1, len(lines))
                  if lines[k].startswith(f"  {s} ")), None)
        if not check(f"compare: row {r['case']}", j is not None):
            continue
        want = f"{r['delta_pct']:+.2f}%" if r["significant"] else "~"
        m = re.search(r"(\S+) \(p=(\S+) n=\d+\)$", lines[j])
        check(f"compare: {r['case']} delta", m and m.group(1) == want, lines[j])
        check(f"compare: {r['case']} p", m and fmt_p_close(m.group(2), r["p_value"]),
              lines[j])
        ci = f"[{r['ci_lo_pct']:+.2f}%, {r['ci_hi_pct']:+.2f}%]"
        check(f"compare: {r['case']} CI", lines[j + 1].strip() == ci, lines[j + 1])


UNITS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}


def check_report(text, rows):
    lines = text.splitlines()
    for r in rows:
        g, s, t = group_key(r)
        n = int(t[1:])
        head = f"{g}, {n} thread{'' if n == 1 else 's'}"
        i = next((k for k, l in enumerate(lines) if l.startswith(head) and ": resv " in l),
                 None)
        if not check(f"report: group {head}", i is not None):
            continue
        j = next((k for k in range(i + 1, len(lines)) if lines[k].startswith(f"  {s} ")),
                 None)
        if not check(f"report: row {r['case']}", j is not None):
            continue
        m = re.match(r"  \S+\s+([+-][\d.]+)(ns|us|ms|s)\s+\[([^,]+), ([^\]]+)\]\s+(\S+)\s+"
                     r"p([<=])(\S+)( not significant)?$", lines[j])
        if not check(f"report: {r['case']} row format", m is not None, lines[j]):
            continue
        u = UNITS[m.group(2)]
        scale = max(abs(r["delta_ns"]), abs(r["ci_lo_ns"]), abs(r["ci_hi_ns"]))
        for k, key in ((1, "delta_ns"), (3, "ci_lo_ns"), (4, "ci_hi_ns")):
            v = float(m.group(k)) * u
            check(f"report: {r['case']} {key}", abs(v - r[key]) <= 0.006 * scale + 1e-9,
                  f"{v} vs {r[key]}")
        pct = r["delta_pct"]
        want = f"{pct:+.0f}%" if abs(pct) >= 99.95 else f"{pct:+.1f}%"
        check(f"report: {r['case']} %", m.group(5) == want, f"{m.group(5)} vs {want}")
        p = m.group(7) if m.group(6) == "=" else "<" + m.group(7)
        check(f"report: {r['case']} p", fmt_p_close(p, r["p_value"]), lines[j])
        check(f"report: {r['case']} verdict", (m.group(8) is None) == r["significant"],
              lines[j])


# One run: run's table, compare, report, plot.
run_out = gv("run", "-w", "map-unmap", "-t", "1,2", "--samples", "12", "--batch-ms", "0.2",
             "--warmup-ms", "1", "-o", "run.json")
rows = deltas("run.json")
check("run: 6 comparisons", len(rows) == 6, str(len(rows)))
check_run_table(run_out, rows)
check_compare(gv("compare", "run.json", "--base", "resv"), rows)
check_report(gv("report", "run.json"), rows)

# One sweep: its summary, compare, report, plot.
sweep_out = gv("sweep", "--quick", "--samples", "6", "--batch-ms", "0.2", "--warmup-ms", "1",
               "-o", "sweep")
rows = deltas("sweep/sweep.json")
summary = {}
lines = sweep_out.splitlines()
k = next(i for i, l in enumerate(lines) if l.startswith("group "))
strats = lines[k].split()[2:]
for l in lines[k + 1:]:
    if not l or l.startswith("results:"):
        break
    f = l.split()
    for s, v in zip(strats, f[2:]):
        summary[(f[0], s)] = v
for r in rows:
    g, s, t = group_key(r)
    want = f"{r['delta_pct']:+.2f}%" if r["significant"] else "~"
    got = summary.get((f"{g}/{t}", s))
    check(f"sweep summary: {r['case']}", got == want, f"{got} vs {want}")
check_compare(gv("compare", "sweep/sweep.json", "--base", "resv"), rows)
check_report(gv("report", "sweep/sweep.json"), rows)

# calibrate's file: report gives each pair calibrate's verdict.
cal = gv("calibrate", "--pairs", "1", "--layout-pairs", "0", "--delay-ns", "50",
         "--delay-pct", "10", "--pair-seconds", "0.3", "--samples", "8", "--batch-ms", "0.2",
         "-o", "cal.json")
rep = gv("report", "cal.json").splitlines()
for label, inj in (("50 ns", "resv+50ns"), ("10% of op", "resv+10%")):
    line = next((l for l in cal.splitlines() if l.startswith(label)), "")
    cal_sig = "not resolved" not in line
    row = next((l for l in rep if l.startswith(f"  {inj} ") and re.search(r" p[=<]", l)), "")
    check(f"calibrate {label}: report has the pair", row != "", inj)
    check(f"calibrate {label}: report's verdict is calibrate's",
          ("not significant" not in row) == cal_sig, f"{line} / {row}")

print(f"estimator_agree: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
