# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# Each strategy against the base strategy (resv by default), one plot per
# workload: the shift of hot-path ns/op (Hodges-Lehmann, the estimate the
# Moses interval belongs to) in % of the base's median,
# as bars grouped by thread count, with the 95% CI of the change as
# whiskers. Above zero: slower than the base. Reads delta.csv (see
# common.gp).

if (!exists("plotdir")) plotdir = "plot"
load plotdir."/common.gp"

nt = words(threads)
no = words(others)
bw = 0.8 / no
xpos(t, s) = tidx(t) + (oidx(s) - (no + 1) / 2.0) * bw

set xlabel "worker threads"
set ylabel sprintf("ns/op vs %s (%%; paired shift, 95%% CI)", base)
set xrange [0.5 : nt + 0.5]
set xtics ()
do for [k = 1:nt] {
	set xtics add (word(threads, k) k)
}
set xzeroaxis lt -1
# Bars start at 0: the axis always includes it, or a +5% bar would look like nothing.
set yrange [*<0:0<*]
set boxwidth bw absolute
set style fill solid 0.6 border -1

do for [w in workloads] {
	if (ext ne "") {
		set output outfile("delta", w)
	}
	set title sprintf("%s: ns/op against %s, hot path\n%s", w, base, machine)
	plot for [s in others] deltas \
		using (pick(sel(w, s), xpos(column("threads"), s))): \
		      (pick(sel(w, s), column("delta_pct"))) \
		with boxes lc sidx(s) title s, \
	     for [s in others] deltas \
		using (pick(sel(w, s), xpos(column("threads"), s))): \
		      (pick(sel(w, s), column("delta_pct"))): \
		      (pick(sel(w, s), column("ci_lo_pct"))): \
		      (pick(sel(w, s), column("ci_hi_pct"))) \
		with yerrorbars lc rgb "black" pt 0 ps 0 notitle
}
unset output
