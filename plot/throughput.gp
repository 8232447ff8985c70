# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Throughput against thread count, one line per strategy, one plot per
# workload: the median ops/s of all threads together, with the 95% CI of
# the median as error bars. Reads summary.csv (see common.gp).

if (!exists("plotdir")) plotdir = "plot"
load plotdir."/common.gp"

nt = words(threads)
set xlabel "worker threads"
set ylabel "throughput (ops/s, all threads; median, 95% CI)"
set logscale x 2
set xrange [(word(threads, 1) + 0) / 1.3 : (word(threads, nt) + 0) * 1.3]
set xtics ()
do for [k = 1:nt] {
	set xtics add (word(threads, k) word(threads, k) + 0)
}
set format y "%.1s%c"
set yrange [0:*]

do for [w in workloads] {
	if (ext ne "") {
		set output outfile("throughput", w)
	}
	set title sprintf("%s: throughput against threads\n%s", w, machine)
	plot for [s in strategies] summary \
		using (pick(sel(w, s), column("threads"))): \
		      (pick(sel(w, s), column("ops_median"))): \
		      (pick(sel(w, s), orval(column("ops_ci_lo"), column("ops_median")))): \
		      (pick(sel(w, s), orval(column("ops_ci_hi"), column("ops_median")))) \
		with yerrorlines lc sidx(s) lw 1.5 pt 7 ps 0.8 title s
}
unset output
