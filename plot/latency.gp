# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Single-op latency percentiles (p50, p99, p99.9) of latency-mode runs,
# one plot per workload: three bars per strategy and thread count, on a
# log scale. Reads summary.csv (see common.gp); rows without latency
# data (throughput-mode cases) are NaN there and not drawn.

if (!exists("plotdir")) plotdir = "plot"
load plotdir."/common.gp"

ns = words(strategies)
nt = words(threads)
slot(s, t) = (tidx(t) - 1) * (ns + 1) + sidx(s)

set xlabel "strategy / worker threads"
set ylabel "latency of one op (ns)"
set logscale y
set xrange [0.5 : nt * (ns + 1) - 0.5]
set xtics () rotate by -30
do for [k = 1:nt] {
	do for [j = 1:ns] {
		set xtics add (sprintf("%s/t%s", word(strategies, j), word(threads, k)) \
			       (k - 1) * (ns + 1) + j)
	}
}
set boxwidth 0.25 absolute
set style fill solid 0.6 border -1

do for [w in workloads] {
	if (ext ne "") {
		set output outfile("latency", w)
	}
	set title sprintf("%s: single-op latency percentiles\n%s", w, machine)
	plot summary using (pick(wsel(w), slot(strcol("strategy"), column("threads")) - 0.27)): \
			   (pick(wsel(w), column("lat_p50"))) with boxes lc 1 title "p50", \
	     summary using (pick(wsel(w), slot(strcol("strategy"), column("threads")))): \
			   (pick(wsel(w), column("lat_p99"))) with boxes lc 2 title "p99", \
	     summary using (pick(wsel(w), slot(strcol("strategy"), column("threads")) + 0.27)): \
			   (pick(wsel(w), column("lat_p999"))) with boxes lc 3 title "p99.9"
}
unset output
