# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Shared by the gpuvm-bench plot scripts: terminal, CSV input, helpers.
# Each script loads it first. 'gvbench plot DIR' writes DIR/summary.csv
# and DIR/delta.csv and sets the variables below with -e; to rerun a
# script by hand after editing it, set them yourself, e.g.
#
#   gnuplot -e "datadir='results/ref'; term='png'; workloads='map-unmap-4K'; \
#       strategies='resv gpuva'; others='gpuva'; threads='1 2 4'" \
#       plot/throughput.gp
#
# Variables:
#   plotdir     this directory (default: plot)
#   datadir     where summary.csv and delta.csv are (default: .)
#   outdir      where the plots go (default: datadir)
#   term        png, svg or dumb (dumb prints to stdout; default png)
#   machine     CPU, cores and kernel, for the second title line
#   workloads   space-separated workloads, one plot each
#   strategies  space-separated strategies; colours follow this order
#   others      the strategies other than base, for delta.gp
#   threads     space-separated thread counts, ascending
#   base        the strategy delta.gp compares against (default resv)
#
# summary.csv, one row per case; NaN where there is no value (n too small
# for a CI, or no latency data):
#   case, workload (first part of the case name: workload, and its size
#   where the name has one), strategy, threads,
#   median, ci_lo, ci_hi              hot-path ns/op, 95% CI of the median
#   ops_median, ops_ci_lo, ops_ci_hi  ops/s of all threads together
#   cpu_median                        CPU ns/op, deferred workers included
#   lat_p50, lat_p90, lat_p99, lat_p999   one op's latency (ns), latency mode
# delta.csv, one row per case with a base case at its workload and threads:
#   case, workload, strategy, threads, base (the base case's name),
#   delta_pct, ci_lo_pct, ci_hi_pct  change of ns/op and its 95% CI, % of base
#   p_value, significant (1 if p < alpha),
#   delta_ns, ci_lo_ns, ci_hi_ns     the same change in ns
#   design    paired (one interleaved run: median of per-round differences,
#             Wilcoxon signed-rank) or unpaired (Hodges-Lehmann, Mann-Whitney U)

if (!exists("plotdir")) plotdir = "plot"
if (!exists("datadir")) datadir = "."
if (!exists("outdir")) outdir = datadir
if (!exists("term")) term = "png"
if (!exists("machine")) machine = ""
if (!exists("workloads")) workloads = ""
# No default strategy list: the result says which strategies it holds.
if (!exists("strategies")) strategies = ""
if (!exists("others")) others = ""
if (!exists("threads")) threads = "1 2 4"
if (!exists("base")) base = "resv"

summary = datadir."/summary.csv"
deltas = datadir."/delta.csv"

# noenhanced: case names and CPU models may contain _ ^ @ and braces,
# which the enhanced text mode would take as markup.
# (gnuplot 5.4 has no "else if".)
if (term eq "png") {
	set terminal pngcairo size 1000,620 noenhanced font "sans,10"
	ext = ".png"
} else {
	if (term eq "svg") {
		set terminal svg size 1000,620 noenhanced dynamic font "sans,10"
		ext = ".svg"
	} else {
		set terminal dumb size 74,24 noenhanced
		# Error-bar key samples are three rows tall in text: keep them off the x label.
		set key height 2
		ext = ""
	}
}
# dumb: no output file, the preview goes to stdout.
outfile(kind, w) = outdir."/".kind."-".w.ext

set datafile separator ","
set datafile columnheaders
set grid ytics
# The legend sits under the plot, outside the axes, so it never hides a point.
set key outside below center horizontal

# Row selection and positions. Every column of an unselected row maps to
# NaN: a NaN x alone would skip the point but still stretch the y range.
sel(w, s) = strcol("workload") eq w && strcol("strategy") eq s
pick(ok, v) = ok ? v : NaN
wsel(w) = strcol("workload") eq w
sidx(s) = sum [k=1:words(strategies)] (word(strategies, k) eq s ? k : 0)
oidx(s) = sum [k=1:words(others)] (word(others, k) eq s ? k : 0)
tidx(t) = sum [k=1:words(threads)] (word(threads, k) + 0 == t ? k : 0)
# A CI bound, or the median where n was too small for a CI.
orval(v, m) = (v == v ? v : m)
