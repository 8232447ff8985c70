// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What the commands print: tables of cases, latencies, the setup line,
 * and the result files.
 */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
#include "result/resultset.h"
#include "result/file.h"
#include "result/meta.h"

static void ci_pct(char *buf, size_t len, const struct gvb_summary *s)
{
	if (isnan(s->ci_lo) || s->median == 0)
		snprintf(buf, len, " +-?  ");
	else
		snprintf(buf, len, "+-%4.1f%%",
			 100.0 * max(s->median - s->ci_lo, s->ci_hi - s->median) / s->median);
}

int gvb_fmt_estimate(char *buf, size_t len, const struct gvb_case *base,
		     const struct gvb_case *new, double alpha)
{
	struct gvb_delta d;
	char p[24], ci[48] = "[no CI]";
	int ret;

	ret = gvb_delta_compute(base, new, GVB_METRIC_NS, alpha, gvb_case_pairs_with(base, new),
				&d);
	if (ret)
		return ret;
	gvb_fmt_p(p, sizeof(p), d.p, alpha);
	if (isfinite(d.ci_lo) && isfinite(d.ci_hi))
		snprintf(ci, sizeof(ci), "[%+.2f%%, %+.2f%%]", 100.0 * d.ci_lo / d.base.median,
			 100.0 * d.ci_hi / d.base.median);
	if (d.significant)
		snprintf(buf, len, "%+.2f%% %s p=%s n=%u %s", d.pct, ci, p, d.n,
			 gvb_design_name(d.design));
	else
		snprintf(buf, len, "~ %s p=%s n=%u %s", ci, p, d.n, gvb_design_name(d.design));
	return 0;
}

/* Acquisitions per op, "3", "2.5" or "-" where not counted. */
static void fmt_count(char *buf, size_t len, const struct gvb_case *c, double v)
{
	if (!c->has_locks || !isfinite(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3g", v);
}

void gvb_print_setup(FILE *f, const struct gvb_meta *m)
{
	fprintf(f, "gvbench %s: %s backend, kernel %s %s, %s, %u cores, host %s\n",
		m->tool_version, m->backend, m->kernel, m->arch, m->cpu_model, m->cores,
		m->host[0] ? m->host : "unknown");
	fprintf(f, "command: %s\n", m->command);
	gvb_meta_print_caveats(f, m);
}

/* The width of the case column: 34, or the longest name in [from, to). */
static int name_width(const struct gvb_result *r, unsigned int from, unsigned int to)
{
	size_t w = 34;
	unsigned int i;

	for (i = from; i < to; i++)
		if (strlen(r->cases[i].name) > w)
			w = strlen(r->cases[i].name);
	return (int)w;
}

void gvb_print_cases(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to,
		     const char *base)
{
	const struct gvb_case *b = NULL;
	int w = name_width(r, from, to);
	unsigned int i;

	for (i = from; base && i < to; i++)
		if (!strcmp(r->cases[i].strategy, base))
			b = &r->cases[i];
	fprintf(f, "%-*s %9s %7s %10s %9s %5s %5s  %s\n", w, "case", "ns/op", "CI", "cpu/op",
		"Mops/s", "gpuva", "resv", b ? "vs base (95% CI)" : "");
	for (i = from; i < to; i++) {
		const struct gvb_case *c = &r->cases[i];
		char ns[16], cpu[16], ci[16], delta[128] = "", gpuva[16], resv[16];

		gvb_fmt_ns(ns, sizeof(ns), c->ns_per_op_sum.median);
		gvb_fmt_ns(cpu, sizeof(cpu), c->cpu_ns_per_op_sum.median);
		ci_pct(ci, sizeof(ci), &c->ns_per_op_sum);
		fmt_count(gpuva, sizeof(gpuva), c, c->locks_per_op[GVB_RLOCK_GPUVA]);
		fmt_count(resv, sizeof(resv), c, c->locks_per_op[GVB_RLOCK_VM_RESV] +
			  c->locks_per_op[GVB_RLOCK_BO_RESV]);
		if (c == b)
			snprintf(delta, sizeof(delta), "(base)");
		else if (b && gvb_fmt_estimate(delta, sizeof(delta), b, c, r->meta.alpha))
			snprintf(delta, sizeof(delta), "(out of memory)");
		fprintf(f, "%-*s %9s %7s %10s %9.3f %5s %5s  %s\n", w, c->name, ns, ci, cpu,
			c->ops_per_sec_sum.median / 1e6, gpuva, resv, delta);
	}
	if (to > from && r->cases[from].has_locks)
		fprintf(f, "(gpuva, resv: acquisitions of the gpuva mutex and of VM/BO resvs per op, "
			"counted untimed)\n");
}

void gvb_print_latency(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to)
{
	int w = name_width(r, from, to);
	unsigned int i;

	fprintf(f, "%-*s %8s %8s %8s %8s %8s %9s\n", w, "case", "ops", "p50", "p90", "p99",
		"p99.9", "max");
	for (i = from; i < to; i++) {
		const struct gvb_latency *l = &r->cases[i].latency;
		char v[5][16];

		gvb_fmt_ns(v[0], sizeof(v[0]), l->p50);
		gvb_fmt_ns(v[1], sizeof(v[1]), l->p90);
		gvb_fmt_ns(v[2], sizeof(v[2]), l->p99);
		gvb_fmt_ns(v[3], sizeof(v[3]), l->p999);
		gvb_fmt_ns(v[4], sizeof(v[4]), l->max);
		fprintf(f, "%-*s %8llu %8s %8s %8s %8s %9s\n", w, r->cases[i].name,
			(unsigned long long)l->count, v[0], v[1], v[2], v[3], v[4]);
	}
	if (to > from)
		fprintf(f, "(timer overhead %.1f ns subtracted from each op)\n",
			r->cases[from].latency.timer_overhead_ns);
}

/* The CSV beside @json_path: X.json -> X.csv, else X -> X.csv. */
static void csv_path(char *csv, size_t len, const char *json_path)
{
	size_t n = strlen(json_path);

	if (n > 5 && !strcmp(json_path + n - 5, ".json"))
		snprintf(csv, len, "%.*s.csv", (int)(n - 5), json_path);
	else
		snprintf(csv, len, "%s.csv", json_path);
}

void gvb_check_outputs(const char *json_path)
{
	char err[256], csv[4096];

	csv_path(csv, sizeof(csv), json_path);
	if (gvb_output_ok(json_path, err, sizeof(err)) || gvb_output_ok(csv, err, sizeof(err)))
		gvb_die_usage("-o: %s", err);
}

int gvb_write_outputs(const struct gvb_result *r, const char *json_path)
{
	char err[256], csv[4096];

	if (gvb_result_write_json(r, json_path, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return -1;
	}
	csv_path(csv, sizeof(csv), json_path);
	if (gvb_result_write_csv(r, csv, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", gvb_prog, err);
		return -1;
	}
	fprintf(stderr, "%s: wrote %s and %s\n", gvb_prog, json_path, csv);
	return 0;
}
