# SPDX-License-Identifier: GPL-2.0-only OR MIT
#
# The fleet chart: on each machine, each strategy against resv at the
# workload and thread count of that machine's answer (map-unmap-4K, 1
# thread, wherever it ran), in % of that machine's resv median, as bars
# grouped by machine with the 95% CI of the change as whiskers. Above zero:
# slower than resv. Each bar is one machine's own samples; nothing is pooled
# across machines. Reads fleet.csv, which 'gvbench plot DIR DIR... -o OUT'
# writes (its header comment in userspace/cli/plot_fleet.c).
#
# Variables, besides those of common.gp (plotdir, datadir, outdir, term,
# strategies, others, base):
#   machines    space-separated machine ids (M1 M2 ...), one bar group each
#   mlabels     the same machines as id/arch/backend/engine, for the x axis
#   where       the workload and thread count of the bars, for the title

if (!exists("plotdir")) plotdir = "plot"
load plotdir."/common.gp"
if (!exists("machines")) machines = ""
if (!exists("mlabels")) mlabels = machines
if (!exists("where")) where = ""

fleet = datadir."/fleet.csv"
nm = words(machines)
no = words(others)
bw = 0.8 / no
midx(m) = sum [k=1:words(machines)] (word(machines, k) eq m ? k : 0)
msel(m, s) = strcol("machine") eq m && strcol("strategy") eq s
fpos(m, s) = midx(m) + (oidx(s) - (no + 1) / 2.0) * bw

set xlabel "machine (id/architecture/host/backend/engine; 'gvbench report' over the same directories names each)"
set ylabel sprintf("ns/op vs %s (%% of that machine's median; 95%% CI)", base)
set xrange [0.5 : nm + 0.5]
set xtics () rotate by -20
do for [k = 1:nm] {
	set xtics add (word(mlabels, k) k)
}
set xzeroaxis lt -1
set yrange [*<0:0<*]
set boxwidth bw absolute
set style fill solid 0.6 border -1

if (ext ne "") {
	set output outdir."/fleet".ext
}
set title sprintf("Each strategy against %s per machine, hot path, %s\nstatistics within each machine: samples never pooled across machines", base, where)
plot for [s in others] for [m in machines] fleet \
	using (pick(msel(m, s), fpos(m, s))):(pick(msel(m, s), column("delta_pct"))) \
	with boxes lc sidx(s) title (m eq word(machines, 1) ? s : ""), \
     for [s in others] fleet \
	using (pick(strcol("strategy") eq s, fpos(strcol("machine"), s))): \
	      (pick(strcol("strategy") eq s, column("delta_pct"))): \
	      (pick(strcol("strategy") eq s, column("ci_lo_pct"))): \
	      (pick(strcol("strategy") eq s, column("ci_hi_pct"))) \
	with yerrorbars lc rgb "black" pt 0 ps 0 notitle
unset output
