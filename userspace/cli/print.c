// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * What the commands print: tables of cases, latencies, the setup line,
 * and the result files.
 */
#include <math.h>
#include <string.h>

#include "cli/cli.h"
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

void gvb_fmt_pvalue(char *buf, size_t len, const struct gvb_comparison *c)
{
	if (c->significant)
		snprintf(buf, len, "%+.2f%% (p=%.3f n=%u)", c->delta_pct, c->p_value,
			 min(c->n_base, c->n_new));
	else
		snprintf(buf, len, "~ (p=%.3f n=%u)", c->p_value, min(c->n_base, c->n_new));
}

const struct gvb_comparison *gvb_find_cmp(const struct gvb_result *r, const char *new)
{
	unsigned int i;

	for (i = 0; i < r->ncmp; i++)
		if (!strcmp(r->cmps[i].new, new))
			return &r->cmps[i];
	return NULL;
}

void gvb_print_setup(FILE *f, const struct gvb_meta *m)
{
	fprintf(f, "gvbench %s: %s backend, kernel %s, %s, %u cores, host %s\n", m->tool_version,
		m->backend, m->kernel, m->cpu_model, m->cores, m->host[0] ? m->host : "unknown");
	fprintf(f, "command: %s\n", m->command);
	gvb_meta_print_caveats(f, m);
}

void gvb_print_cases(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to,
		     const char *base)
{
	unsigned int i;

	fprintf(f, "%-34s %9s %7s %10s %9s  %s\n", "case", "ns/op", "CI", "cpu/op", "Mops/s",
		base ? "vs base" : "");
	for (i = from; i < to; i++) {
		const struct gvb_case *c = &r->cases[i];
		const struct gvb_comparison *cmp = gvb_find_cmp(r, c->name);
		char ns[16], cpu[16], ci[16], delta[64] = "";

		gvb_fmt_ns(ns, sizeof(ns), c->ns_per_op_sum.median);
		gvb_fmt_ns(cpu, sizeof(cpu), c->cpu_ns_per_op_sum.median);
		ci_pct(ci, sizeof(ci), &c->ns_per_op_sum);
		if (cmp)
			gvb_fmt_pvalue(delta, sizeof(delta), cmp);
		else if (base && strstr(c->name, base))
			snprintf(delta, sizeof(delta), "(base)");
		fprintf(f, "%-34s %9s %7s %10s %9.3f  %s\n", c->name, ns, ci, cpu,
			c->ops_per_sec_sum.median / 1e6, delta);
	}
}

void gvb_print_latency(FILE *f, const struct gvb_result *r, unsigned int from, unsigned int to)
{
	unsigned int i;

	fprintf(f, "%-34s %8s %8s %8s %8s %8s %9s\n", "case", "ops", "p50", "p90", "p99",
		"p99.9", "max");
	for (i = from; i < to; i++) {
		const struct gvb_latency *l = &r->cases[i].latency;
		char v[5][16];

		gvb_fmt_ns(v[0], sizeof(v[0]), l->p50);
		gvb_fmt_ns(v[1], sizeof(v[1]), l->p90);
		gvb_fmt_ns(v[2], sizeof(v[2]), l->p99);
		gvb_fmt_ns(v[3], sizeof(v[3]), l->p999);
		gvb_fmt_ns(v[4], sizeof(v[4]), l->max);
		fprintf(f, "%-34s %8llu %8s %8s %8s %8s %9s\n", r->cases[i].name,
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
