// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Result files, perf counters, run metadata and the TSC.
 *
 * The JSON round trip compares every field bit for bit, NaN included: a
 * compare of two result files must see exactly the samples that were
 * measured. The reader's error classes are each provoked once. perf, meta
 * and tsc depend on the machine, so those checks ask only for plausibility
 * and for an explanation wherever something is absent.
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "gvb_test.h"
#include "result/meta.h"
#include "bench/perf.h"
#include "result/result.h"
#include "result/resultset.h"
#include "bench/runner.h"
#include "lib/tsc.h"
#include "bench/runner.h"
#include "gvb_count.h"

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	static char buf[4][320];	/* tmpdir, "/", a d_name */
	static int next;
	char *p = buf[next++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/%s", tmpdir, name);
	return p;
}

/* ---- a result that exercises every field ---- */

static void fill_summary(struct gvb_summary *s, double base, bool nan_ci)
{
	s->median = base;
	s->ci_lo = nan_ci ? NAN : base * 0.99;
	s->ci_hi = nan_ci ? NAN : base / 0.99;
	s->ci_level = nan_ci ? NAN : 0.961;
	s->mean = base + 1.0 / 3;
	s->min = base - 0.1;
	s->max = base * 1.7;
	s->n = 7;
}

static void build_result(struct gvb_result *r)
{
	static const double odd[] = { 0.1, 1.0 / 3, 5e-324, 1e300, 44.123456789012345, -0.0,
				      123456789012345678.0 };
	struct gvb_comparison *cmp;
	struct gvb_case *c;
	unsigned int i;

	gvb_result_init(r);
	snprintf(r->meta.tool_version, sizeof(r->meta.tool_version), "v0.1-3-gabcdef0-dirty");
	snprintf(r->meta.backend, sizeof(r->meta.backend), "user");
	snprintf(r->meta.backend_mode, sizeof(r->meta.backend_mode), "inline");
	snprintf(r->meta.kernel, sizeof(r->meta.kernel), "6.1.0-18-amd64");
	snprintf(r->meta.arch, sizeof(r->meta.arch), "aarch64");
	snprintf(r->meta.cpu_model, sizeof(r->meta.cpu_model), "AMD EPYC \"Genoa\" \\ test");
	r->meta.cores = 16;
	snprintf(r->meta.compiler, sizeof(r->meta.compiler), "gcc 12.2.0");
	snprintf(r->meta.cflags, sizeof(r->meta.cflags), "-O2 -g -fno-omit-frame-pointer");
	snprintf(r->meta.date, sizeof(r->meta.date), "2025-01-02T03:04:05Z");
	snprintf(r->meta.command, sizeof(r->meta.command), "gvbench run --threads=1,2 'a b'");
	snprintf(r->meta.mode, sizeof(r->meta.mode), "throughput");
	r->meta.alpha = 0.05;
	r->meta.harness_ns_per_op = NAN;
	snprintf(r->meta.perf_note, sizeof(r->meta.perf_note),
		 "hardware counters absent: cycles, instructions, cache-misses: no PMU");

	/* Case 0: everything present, awkward doubles, extreme integers. */
	c = gvb_result_add_case(r);
	snprintf(c->name, sizeof(c->name), "map-unmap/resv/t4");
	snprintf(c->workload, sizeof(c->workload), "map-unmap");
	snprintf(c->strategy, sizeof(c->strategy), "resv");
	snprintf(c->engine, sizeof(c->engine), "drm_gpuvm");
	c->threads = 4;
	c->size = 4096;
	c->count = 1000;
	c->flush_ns = 0;
	c->seed = UINT64_MAX;
	c->defer_async = true;
	c->pinned = false;
	c->batch_ops = 50000;
	c->injected_ns = 0;
	gvb_case_alloc_samples(c, 7);
	for (i = 0; i < 7; i++) {
		c->ns_per_op[i] = odd[i];
		c->cpu_ns_per_op[i] = odd[i] * 1.5 + i;
		c->ops_per_sec[i] = 1e9 / (44.0 + i);
	}
	fill_summary(&c->ns_per_op_sum, 44.1, false);
	fill_summary(&c->cpu_ns_per_op_sum, 60.25, false);
	fill_summary(&c->ops_per_sec_sum, 2.2e7, false);
	c->worker_cpu_ns = 12345.678;
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		c->counters[i].present = i < GVB_CTR_CYCLES;
		c->counters[i].value = i == 0 ? UINT64_MAX - 1 : i * 1000;
		if (!c->counters[i].present)
			snprintf(c->counters[i].absent_reason, sizeof(c->counters[i].absent_reason),
				 "No such file or directory: no PMU (e.g. a VM without PMU passthrough)");
	}
	c->counters[GVB_CTR_CYCLES].value = 0;
	c->counters[GVB_CTR_INSTRUCTIONS].value = 0;
	c->counters[GVB_CTR_CACHE_MISSES].value = 0;
	c->latency.present = true;
	c->latency.count = 1000000;
	c->latency.timer_overhead_ns = 21.5;
	c->latency.p50 = 40.0;
	c->latency.p90 = 55.25;
	c->latency.p99 = 120.125;
	c->latency.p999 = 900.0;
	c->latency.max = 1.5e6;
	/* Lock counts, a BO kind, page-table policy and an interleaved group. */
	snprintf(c->bo, sizeof(c->bo), "external");
	c->pt_reclaim = true;
	c->group = 7;
	c->has_locks = true;
	for (i = 0; i < GVB_RESULT_LOCK_CLASSES; i++)
		c->locks_per_op[i] = i == 2 ? 3 : odd[i];
	c->pt_alloc_per_op = 0;
	c->pt_freed_per_op = 2.5;

	/* Case 1: a NaN sample, NaN summaries, every counter absent, no latency. */
	c = gvb_result_add_case(r);
	snprintf(c->name, sizeof(c->name), "calibrate/resv+0.5ns/t1");
	snprintf(c->workload, sizeof(c->workload), "calibrate");
	snprintf(c->strategy, sizeof(c->strategy), "resv");
	snprintf(c->engine, sizeof(c->engine), "model");
	c->threads = 1;
	c->size = 2u << 20;
	c->count = 1;
	c->flush_ns = 1000000;
	c->seed = 42;
	c->defer_async = false;
	c->pinned = true;
	c->batch_ops = 1;
	c->injected_ns = 0.5;
	gvb_case_alloc_samples(c, 2);
	c->ns_per_op[0] = 1.0;
	c->ns_per_op[1] = NAN;
	c->cpu_ns_per_op[0] = NAN;
	c->cpu_ns_per_op[1] = 2.0;
	c->ops_per_sec[0] = 1e9;
	c->ops_per_sec[1] = 5e8;
	fill_summary(&c->ns_per_op_sum, NAN, true);
	fill_summary(&c->cpu_ns_per_op_sum, 2.0, true);
	fill_summary(&c->ops_per_sec_sum, 7.5e8, true);
	c->worker_cpu_ns = NAN;
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		snprintf(c->counters[i].absent_reason, sizeof(c->counters[i].absent_reason),
			 "Permission denied: reason %u", i);

	/* Case 2: no samples at all. */
	c = gvb_result_add_case(r);
	snprintf(c->name, sizeof(c->name), "empty/gpuva/t2");
	snprintf(c->workload, sizeof(c->workload), "empty");
	snprintf(c->strategy, sizeof(c->strategy), "gpuva");
	snprintf(c->engine, sizeof(c->engine), "model");
	c->threads = 2;
	fill_summary(&c->ns_per_op_sum, NAN, true);
	fill_summary(&c->cpu_ns_per_op_sum, NAN, true);
	fill_summary(&c->ops_per_sec_sum, NAN, true);
	c->ns_per_op_sum.n = c->cpu_ns_per_op_sum.n = c->ops_per_sec_sum.n = 0;
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		c->counters[i].present = true;
		c->counters[i].value = 0;
	}

	cmp = gvb_result_add_cmp(r);
	snprintf(cmp->base, sizeof(cmp->base), "map-unmap/resv/t4");
	snprintf(cmp->new, sizeof(cmp->new), "calibrate/resv+0.5ns/t1");
	cmp->base_median = 44.1;
	cmp->new_median = 44.6;
	cmp->delta_ns = 0.5;
	cmp->delta_pct = 0.5 / 44.1 * 100;
	cmp->delta_ci_lo = 0.41;
	cmp->delta_ci_hi = 0.58;
	cmp->p_value = 0.0021;
	cmp->significant = true;
	cmp->n_base = 10;
	cmp->n_new = 10;

	cmp = gvb_result_add_cmp(r);
	snprintf(cmp->base, sizeof(cmp->base), "a");
	snprintf(cmp->new, sizeof(cmp->new), "b");
	cmp->base_median = 1;
	cmp->new_median = NAN;
	cmp->delta_ns = NAN;
	cmp->delta_pct = NAN;
	cmp->delta_ci_lo = NAN;
	cmp->delta_ci_hi = NAN;
	cmp->p_value = 1.0;
	cmp->significant = false;
	cmp->n_base = 3;
	cmp->n_new = 0;
}

/* ---- exact comparison ---- */

static bool same_double(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) && isnan(b);
	return a == b && signbit(a) == signbit(b);
}

#define SAME_D(what, a, b) \
	CHECK(same_double(a, b), "%s: %.17g != %.17g", what, a, b)
#define SAME_U(what, a, b) \
	CHECK((a) == (b), "%s: %llu != %llu", what, (unsigned long long)(a), \
	      (unsigned long long)(b))
#define SAME_S(what, a, b) \
	CHECK(!strcmp(a, b), "%s: \"%s\" != \"%s\"", what, a, b)

static void same_summary(const char *what, const struct gvb_summary *a,
			 const struct gvb_summary *b)
{
	SAME_D(what, a->median, b->median);
	SAME_D(what, a->ci_lo, b->ci_lo);
	SAME_D(what, a->ci_hi, b->ci_hi);
	SAME_D(what, a->ci_level, b->ci_level);
	SAME_D(what, a->mean, b->mean);
	SAME_D(what, a->min, b->min);
	SAME_D(what, a->max, b->max);
	SAME_U(what, a->n, b->n);
}

static void same_result(const struct gvb_result *a, const struct gvb_result *b)
{
	unsigned int i, j;

	SAME_S("tool_version", a->meta.tool_version, b->meta.tool_version);
	SAME_S("backend", a->meta.backend, b->meta.backend);
	SAME_S("backend_mode", a->meta.backend_mode, b->meta.backend_mode);
	SAME_S("kernel", a->meta.kernel, b->meta.kernel);
	SAME_S("arch", a->meta.arch, b->meta.arch);
	SAME_S("cpu_model", a->meta.cpu_model, b->meta.cpu_model);
	SAME_U("cores", a->meta.cores, b->meta.cores);
	SAME_S("compiler", a->meta.compiler, b->meta.compiler);
	SAME_S("cflags", a->meta.cflags, b->meta.cflags);
	SAME_S("date", a->meta.date, b->meta.date);
	SAME_S("command", a->meta.command, b->meta.command);
	SAME_S("mode", a->meta.mode, b->meta.mode);
	SAME_D("alpha", a->meta.alpha, b->meta.alpha);
	SAME_D("harness_ns_per_op", a->meta.harness_ns_per_op, b->meta.harness_ns_per_op);
	SAME_S("perf_note", a->meta.perf_note, b->meta.perf_note);

	SAME_U("ncases", a->ncases, b->ncases);
	for (i = 0; i < a->ncases && i < b->ncases; i++) {
		const struct gvb_case *x = &a->cases[i], *y = &b->cases[i];

		SAME_S("name", x->name, y->name);
		SAME_S("workload", x->workload, y->workload);
		SAME_S("strategy", x->strategy, y->strategy);
		SAME_S("engine", x->engine, y->engine);
		SAME_U("threads", x->threads, y->threads);
		SAME_U("size", x->size, y->size);
		SAME_U("count", x->count, y->count);
		SAME_U("flush_ns", x->flush_ns, y->flush_ns);
		SAME_U("seed", x->seed, y->seed);
		SAME_U("defer_async", x->defer_async, y->defer_async);
		SAME_U("pinned", x->pinned, y->pinned);
		SAME_U("batch_ops", x->batch_ops, y->batch_ops);
		SAME_D("injected_ns", x->injected_ns, y->injected_ns);
		SAME_S("bo", x->bo, y->bo);
		SAME_U("pt_reclaim", x->pt_reclaim, y->pt_reclaim);
		SAME_U("bind_sync", x->bind_sync, y->bind_sync);
		SAME_U("group", (unsigned int)x->group, (unsigned int)y->group);
		SAME_U("has_locks", x->has_locks, y->has_locks);
		for (j = 0; x->has_locks && j < GVB_RESULT_LOCK_CLASSES; j++)
			SAME_D(gvb_result_lock_keys[j], x->locks_per_op[j], y->locks_per_op[j]);
		if (x->has_locks) {
			SAME_D("pt_pages_allocated_per_op", x->pt_alloc_per_op, y->pt_alloc_per_op);
			SAME_D("pt_pages_freed_per_op", x->pt_freed_per_op, y->pt_freed_per_op);
		}
		SAME_U("nsamples", x->nsamples, y->nsamples);
		for (j = 0; j < x->nsamples && j < y->nsamples; j++) {
			SAME_D("ns_per_op[]", x->ns_per_op[j], y->ns_per_op[j]);
			SAME_D("cpu_ns_per_op[]", x->cpu_ns_per_op[j], y->cpu_ns_per_op[j]);
			SAME_D("ops_per_sec[]", x->ops_per_sec[j], y->ops_per_sec[j]);
		}
		same_summary("ns_per_op_sum", &x->ns_per_op_sum, &y->ns_per_op_sum);
		same_summary("cpu_ns_per_op_sum", &x->cpu_ns_per_op_sum, &y->cpu_ns_per_op_sum);
		same_summary("ops_per_sec_sum", &x->ops_per_sec_sum, &y->ops_per_sec_sum);
		SAME_D("worker_cpu_ns", x->worker_cpu_ns, y->worker_cpu_ns);
		for (j = 0; j < GVB_NR_COUNTERS; j++) {
			const struct gvb_counter *cx = &x->counters[j], *cy = &y->counters[j];

			SAME_U(gvb_counter_name(j), cx->present, cy->present);
			if (cx->present)
				SAME_U(gvb_counter_name(j), cx->value, cy->value);
			else
				SAME_S(gvb_counter_name(j), cx->absent_reason, cy->absent_reason);
		}
		SAME_U("latency.present", x->latency.present, y->latency.present);
		if (x->latency.present) {
			SAME_U("latency.count", x->latency.count, y->latency.count);
			SAME_D("timer_overhead_ns", x->latency.timer_overhead_ns,
			       y->latency.timer_overhead_ns);
			SAME_D("p50", x->latency.p50, y->latency.p50);
			SAME_D("p90", x->latency.p90, y->latency.p90);
			SAME_D("p99", x->latency.p99, y->latency.p99);
			SAME_D("p999", x->latency.p999, y->latency.p999);
			SAME_D("max", x->latency.max, y->latency.max);
		}
	}

	SAME_U("ncmp", a->ncmp, b->ncmp);
	for (i = 0; i < a->ncmp && i < b->ncmp; i++) {
		const struct gvb_comparison *x = &a->cmps[i], *y = &b->cmps[i];

		SAME_S("base", x->base, y->base);
		SAME_S("new", x->new, y->new);
		SAME_D("base_median", x->base_median, y->base_median);
		SAME_D("new_median", x->new_median, y->new_median);
		SAME_D("delta_ns", x->delta_ns, y->delta_ns);
		SAME_D("delta_pct", x->delta_pct, y->delta_pct);
		SAME_D("delta_ci_lo", x->delta_ci_lo, y->delta_ci_lo);
		SAME_D("delta_ci_hi", x->delta_ci_hi, y->delta_ci_hi);
		SAME_D("p_value", x->p_value, y->p_value);
		SAME_U("significant", x->significant, y->significant);
		SAME_U("n_base", x->n_base, y->n_base);
		SAME_U("n_new", x->n_new, y->n_new);
	}
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	if (buf && fread(buf, 1, len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

static int count_temp_files(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".tmp.") != NULL;
	if (d)
		closedir(d);
	return n;
}

static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(tmp_path(e->d_name));
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

static void test_round_trip(void)
{
	struct gvb_result a, b;
	const char *path = tmp_path("rt.json");
	char err[256] = "", *text;

	build_result(&a);
	CHECK(gvb_result_write_json(&a, path, err, sizeof(err)) == 0, "%s", err);
	CHECK(gvb_result_read_json(&b, path, err, sizeof(err)) == 0, "%s", err);
	same_result(&a, &b);

	/* What people and other tools see: no NaN literal, plain slashes, short doubles. */
	text = slurp(path);
	CHECK(text != NULL);
	if (text) {
		CHECK(!strstr(text, "NaN") && !strstr(text, "nan"), "NaN literal in JSON");
		CHECK(strstr(text, "\"schema\": \"gpuvm-bench/result/v1\""));
		CHECK(strstr(text, "\"map-unmap/resv/t4\""), "slashes escaped?");
		CHECK(strstr(text, "0.1,") || strstr(text, "0.1\n"), "0.1 not written shortest");
		CHECK(strstr(text, "\"latency\": null"));
		CHECK(strstr(text, "18446744073709551615"), "seed UINT64_MAX");
		free(text);
	}

	/* Written twice: the second write replaces atomically and leaves no temp files. */
	CHECK(gvb_result_write_json(&b, path, err, sizeof(err)) == 0, "%s", err);
	gvb_result_free(&b);
	CHECK(gvb_result_read_json(&b, path, err, sizeof(err)) == 0, "%s", err);
	same_result(&a, &b);
	CHECK(count_temp_files() == 0, "temporary files left behind");

	/* free leaves an empty result that may be freed again */
	gvb_result_free(&b);
	CHECK(b.ncases == 0 && b.cases == NULL && b.ncmp == 0 && b.cmps == NULL);
	gvb_result_free(&b);

	/* An empty result round-trips too. */
	gvb_result_free(&a);
	CHECK(gvb_result_write_json(&a, path, err, sizeof(err)) == 0, "%s", err);
	CHECK(gvb_result_read_json(&b, path, err, sizeof(err)) == 0, "%s", err);
	same_result(&a, &b);
	gvb_result_free(&b);

	/* Writing into a missing directory fails cleanly. */
	CHECK(gvb_result_write_json(&a, "/nonexistent-dir/x.json", err, sizeof(err)) == -1);
	CHECK(strstr(err, "/nonexistent-dir/x.json: ") == err && !strchr(err, '\n'), "%s", err);
}

static void test_csv(void)
{
	struct gvb_result r;
	const char *path = tmp_path("rt.csv");
	char err[256] = "", *text, *line, *save;
	unsigned int rows = 0;

	build_result(&r);
	CHECK(gvb_result_write_csv(&r, path, err, sizeof(err)) == 0, "%s", err);
	text = slurp(path);
	CHECK_OR_RETURN(text != NULL, , "no CSV");
	line = strtok_r(text, "\n", &save);
	CHECK(line && !strcmp(line, "case,workload,strategy,threads,size,sample,ns_per_op,"
			      "cpu_ns_per_op,ops_per_sec,vm_resv_per_op,bo_resv_per_op,gpuva_per_op,"
			      "op_lock_per_op,vm_lists_per_op,ww_acquire_per_op,"
			      "pt_pages_allocated_per_op,pt_pages_freed_per_op,engine"), "header: %s", line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char name[128], workload[32], strategy[32], engine[32], v[3][64];
		unsigned int threads, sample;
		unsigned long long size;
		const struct gvb_case *c;

		rows++;
		CHECK_OR_RETURN(sscanf(line, "%127[^,],%31[^,],%31[^,],%u,%llu,%u,%63[^,],%63[^,],"
				       "%63[^,]", name, workload, strategy, &threads, &size,
				       &sample, v[0], v[1], v[2]) == 9, , "row: %s", line);
		/* The engine is the last column, after the lock counts. */
		CHECK_OR_RETURN(sscanf(strrchr(line, ',') + 1, "%31s", engine) == 1, , "row: %s",
				line);
		c = rows <= 7 ? &r.cases[0] : &r.cases[1];
		CHECK(!strcmp(name, c->name) && !strcmp(workload, c->workload) &&
		      !strcmp(strategy, c->strategy) && threads == c->threads && size == c->size &&
		      !strcmp(engine, c->engine), "row: %s", line);
		CHECK(same_double(strtod(v[0], NULL), c->ns_per_op[sample]), "row: %s", line);
		CHECK(same_double(strtod(v[1], NULL), c->cpu_ns_per_op[sample]), "row: %s", line);
		CHECK(same_double(strtod(v[2], NULL), c->ops_per_sec[sample]), "row: %s", line);
	}
	CHECK(rows == 9, "%u rows, expected 7 + 2 + 0", rows);
	free(text);
	text = slurp(path);
	/* Not counted: NaN in every lock column. */
	CHECK(text && strstr(text, "\ncalibrate/resv+0.5ns/t1,calibrate,resv,1,2097152,1,NaN,2,"
			     "500000000,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,model\n"), "NaN row missing");
	CHECK(text && strstr(text, "\nmap-unmap/resv/t4,map-unmap,resv,4,4096,0,"
			     "0.1,0.15000000000000002,22727272.727272727,0.1,0.3333333333333333,3,"
			     "1e+300,44.123456789012344,-0,0,2.5,drm_gpuvm\n"), "first row");
	free(text);
	gvb_result_free(&r);
}

/* ---- reader errors ---- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/*
 * Reads @path, which must fail with one line that starts with the path and
 * contains @want, and leave the result empty.
 */
static void expect_error(const char *path, const char *want)
{
	struct gvb_result r;
	char err[256] = "";
	int ret;

	ret = gvb_result_read_json(&r, path, err, sizeof(err));
	CHECK(ret == -1, "%s read back", path);
	CHECK(!strncmp(err, path, strlen(path)) && err[strlen(path)] == ':', "err: %s", err);
	CHECK(!strchr(err, '\n'), "multi-line: %s", err);
	CHECK(strstr(err, want), "err \"%s\" lacks \"%s\"", err, want);
	CHECK(r.ncases == 0 && !r.cases && r.ncmp == 0 && !r.cmps, "not left empty");
	gvb_result_free(&r);
}

/* Loads the valid file, applies @edit to its root, saves it as @name. */
static const char *mutate(const char *src, const char *name,
			  void (*edit)(struct json_object *root))
{
	struct json_object *root = json_object_from_file(src);
	const char *path = tmp_path(name);

	edit(root);
	json_object_to_file_ext(path, root, JSON_C_TO_STRING_PRETTY);
	json_object_put(root);
	return path;
}

static struct json_object *case_at(struct json_object *root, int i)
{
	return json_object_array_get_idx(json_object_object_get(root, "cases"), i);
}

static void edit_drop_median(struct json_object *root)
{
	struct json_object *s = json_object_object_get(case_at(root, 1), "summary");

	json_object_object_del(json_object_object_get(s, "ns_per_op"), "median");
}

static void edit_threads_string(struct json_object *root)
{
	json_object_object_add(case_at(root, 0), "threads", json_object_new_string("4"));
}

static void edit_negative_size(struct json_object *root)
{
	json_object_object_add(case_at(root, 0), "size", json_object_new_int64(-1));
}

static void edit_sample_string(struct json_object *root)
{
	struct json_object *s = json_object_object_get(case_at(root, 0), "samples");

	json_object_array_put_idx(json_object_object_get(s, "ops_per_sec"), 2,
				  json_object_new_string("fast"));
}

static void edit_short_samples(struct json_object *root)
{
	struct json_object *s = json_object_object_get(case_at(root, 0), "samples");

	json_object_array_del_idx(json_object_object_get(s, "cpu_ns_per_op"), 0, 1);
}

static void edit_drop_meta_field(struct json_object *root)
{
	json_object_object_del(json_object_object_get(root, "meta"), "kernel");
}

static void edit_counter_no_reason(struct json_object *root)
{
	struct json_object *c = json_object_object_get(case_at(root, 1), "counters");

	json_object_object_del(json_object_object_get(c, "cycles"), "reason");
}

static void edit_latency_number(struct json_object *root)
{
	json_object_object_add(case_at(root, 2), "latency", json_object_new_int(3));
}

static void edit_drop_arch(struct json_object *root)
{
	json_object_object_del(json_object_object_get(root, "meta"), "arch");
}

static void edit_drop_engine(struct json_object *root)
{
	json_object_object_del(case_at(root, 0), "engine");
}

static void edit_cases_object(struct json_object *root)
{
	json_object_object_add(root, "cases", json_object_new_object());
}

static void edit_string_too_long(struct json_object *root)
{
	char big[200];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	json_object_object_add(case_at(root, 0), "name", json_object_new_string(big));
}

static void edit_bool_as_int(struct json_object *root)
{
	struct json_object *c = json_object_array_get_idx(json_object_object_get(root,
									       "comparisons"), 0);

	json_object_object_add(c, "significant", json_object_new_int(1));
}

static void test_read_errors(void)
{
	struct gvb_result r;
	char err[256], want[256], good[256];
	const char *p;

	/* tmp_path() reuses its buffers; this name is needed throughout. */
	snprintf(good, sizeof(good), "%s", tmp_path("good.json"));

	build_result(&r);
	CHECK(gvb_result_write_json(&r, good, err, sizeof(err)) == 0, "%s", err);
	gvb_result_free(&r);

	expect_error(tmp_path("missing.json"), "No such file or directory");

	p = tmp_path("garbage.json");
	write_text(p, "this is not json\n");
	expect_error(p, "not valid JSON");
	p = tmp_path("truncated.json");
	write_text(p, "{\"schema\": \"gpuvm-bench/result/v1\", \"meta\": {\n");
	expect_error(p, "not valid JSON: unexpected end of file");
	p = tmp_path("empty.json");
	write_text(p, "");
	expect_error(p, "not valid JSON");
	p = tmp_path("trailing.json");
	write_text(p, "{\"schema\": \"gpuvm-bench/result/v1\"} x");
	expect_error(p, "not valid JSON (line 1)");

	p = tmp_path("schema.json");
	write_text(p, "{\"schema\": \"foo\", \"cases\": []}");
	snprintf(want, sizeof(want), "%s: not a gpuvm-bench result (schema \"foo\", expected "
		 "\"gpuvm-bench/result/v1\")", p);
	expect_error(p, want);
	CHECK(gvb_result_read_json(&r, p, err, sizeof(err)) == -1 && !strcmp(err, want),
	      "exact message: %s", err);
	p = tmp_path("noschema.json");
	write_text(p, "{\"cases\": []}");
	expect_error(p, "not a gpuvm-bench result (no \"schema\" field");
	p = tmp_path("array.json");
	write_text(p, "[1, 2]");
	expect_error(p, "not a gpuvm-bench result (the top level is array");
	p = tmp_path("schemaint.json");
	write_text(p, "{\"schema\": 1}");
	expect_error(p, "(\"schema\" is int");

	expect_error(mutate(good, "m1.json", edit_drop_median),
		     ": cases[1].summary.ns_per_op.median: missing");
	expect_error(mutate(good, "m2.json", edit_drop_meta_field), ": meta.kernel: missing");
	expect_error(mutate(good, "m3.json", edit_counter_no_reason),
		     ": cases[1].counters.cycles.reason: missing");
	expect_error(mutate(good, "t1.json", edit_threads_string),
		     ": cases[0].threads: expected an unsigned integer, got string");
	expect_error(mutate(good, "t2.json", edit_negative_size),
		     ": cases[0].size: expected an unsigned integer, got -1");
	expect_error(mutate(good, "t3.json", edit_sample_string),
		     ": cases[0].samples.ops_per_sec[2]: expected a number or null, got string");
	expect_error(mutate(good, "t4.json", edit_short_samples),
		     ": cases[0].samples.cpu_ns_per_op: 6 samples, but nsamples is 7");
	expect_error(mutate(good, "t5.json", edit_latency_number),
		     ": cases[2].latency: expected an object or null, got int");
	expect_error(mutate(good, "t6.json", edit_cases_object),
		     ": cases: expected an array, got object");
	expect_error(mutate(good, "t7.json", edit_string_too_long),
		     ": cases[0].name: string too long");
	expect_error(mutate(good, "t8.json", edit_bool_as_int),
		     ": comparisons[0].significant: expected true or false, got int");

	/* "engine" is optional: a file from before engines ran the model. */
	CHECK(gvb_result_read_json(&r, mutate(good, "e1.json", edit_drop_engine), err,
				   sizeof(err)) == 0, "%s", err);
	CHECK(r.ncases == 3 && !strcmp(r.cases[0].engine, "model") &&
	      !strcmp(r.cases[1].engine, "model"), "engine of an old file");
	gvb_result_free(&r);

	/* "arch" is optional: a file from before it was recorded says "unknown". */
	CHECK(gvb_result_read_json(&r, mutate(good, "a1.json", edit_drop_arch), err,
				   sizeof(err)) == 0, "%s", err);
	CHECK(!strcmp(r.meta.arch, "unknown"), "arch of an old file: %s", r.meta.arch);
	gvb_result_free(&r);
	CHECK(gvb_result_read_json(&r, good, err, sizeof(err)) == 0 &&
	      !strcmp(r.meta.arch, "aarch64"), "arch read back: %s", r.meta.arch);
	gvb_result_free(&r);

	/* The good file itself still reads: the errors above came from the edits. */
	CHECK(gvb_result_read_json(&r, good, err, sizeof(err)) == 0, "%s", err);
	gvb_result_free(&r);

	/* A short err buffer truncates, it does not overflow. */
	CHECK(gvb_result_read_json(&r, tmp_path("missing.json"), err, 8) == -1);
	CHECK(strlen(err) == 7);
}

/* ---- perf ---- */

static void test_perf(void)
{
	struct gvb_counter ctr[GVB_NR_COUNTERS];
	uint64_t before[GVB_NR_COUNTERS], after[GVB_NR_COUNTERS], delta[GVB_NR_COUNTERS];
	struct gvb_perf p;
	char note[160];
	size_t sz = 32u << 20;
	volatile char *mem;
	int i, ret;

	ret = gvb_perf_open(&p);
	gvb_perf_read(&p, before);
	/* Work every software counter but cpu-migrations can see: faults, sleeps, CPU. */
	mem = malloc(sz);
	CHECK_OR_RETURN(mem != NULL, );
	for (size_t off = 0; off < sz; off += 4096)
		mem[off] = (char)off;
	for (i = 0; i < 5; i++)
		usleep(1000);
	free((void *)mem);
	gvb_perf_read(&p, after);
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		delta[i] = after[i] - before[i];
	gvb_perf_fill_counters(ctr, &p, delta);
	gvb_perf_note_from(note, sizeof(note), &p);

	printf("perf (perf_event_paranoid=%d, open %d):\n", p.paranoid, ret);
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		if (ctr[i].present)
			printf("  %-16s %llu%s\n", gvb_counter_name(i),
			       (unsigned long long)ctr[i].value,
			       p.user_only[i] ? " (user mode only)" : "");
		else
			printf("  %-16s absent: %s\n", gvb_counter_name(i), ctr[i].absent_reason);
	}
	printf("  note: %s\n", note);

	CHECK(ret == 0, "perf_event_open refused every counter");
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		CHECK(ctr[i].present || ctr[i].absent_reason[0], "%s absent without a reason",
		      gvb_counter_name(i));
		CHECK(ctr[i].present == (p.fd[i] >= 0), "%s", gvb_counter_name(i));
	}
	/* Software counters exist in every Linux with perf events. */
	for (i = 0; i < GVB_CTR_CYCLES; i++)
		CHECK(ctr[i].present, "%s: %s", gvb_counter_name(i), ctr[i].absent_reason);
	CHECK(ctr[GVB_CTR_TASK_CLOCK].value > 0, "task-clock did not advance");
	CHECK(ctr[GVB_CTR_PAGE_FAULTS].value > 0, "no page faults touching 32 MiB");
	/* A switch happens in kernel mode: a user-only count (paranoid >= 2, not root) is 0. */
	if (!p.user_only[GVB_CTR_CONTEXT_SWITCHES])
		CHECK(ctr[GVB_CTR_CONTEXT_SWITCHES].value > 0, "5 sleeps without a context switch");
	if (ctr[GVB_CTR_INSTRUCTIONS].present)
		CHECK(ctr[GVB_CTR_INSTRUCTIONS].value > 0);
	CHECK(note[0] && strlen(note) < sizeof(note));
	{
		char probed[160];

		gvb_perf_note(probed, sizeof(probed));
		CHECK(!strcmp(probed, note), "probe \"%s\" != \"%s\"", probed, note);
	}
	for (i = GVB_CTR_CYCLES; i < GVB_NR_COUNTERS; i++) {
		if (!ctr[i].present)
			CHECK(strstr(note, gvb_counter_name(i)) || strstr(note, "all counters"),
			      "note does not name %s: %s", gvb_counter_name(i), note);
	}
	gvb_perf_close(&p);
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		CHECK(p.fd[i] == -1);

	CHECK(!strcmp(gvb_counter_name(GVB_CTR_TASK_CLOCK), "task-clock"));
	CHECK(!strcmp(gvb_counter_name(GVB_CTR_CACHE_MISSES), "cache-misses"));
	CHECK(!strcmp(gvb_counter_name(GVB_NR_COUNTERS), "?"));

	/* The note for a synthetic state: only the hardware counters missing. */
	memset(&p, 0, sizeof(p));
	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		p.fd[i] = i < GVB_CTR_CYCLES ? 100 + i : -1;
		p.err[i] = i < GVB_CTR_CYCLES ? 0 : ENOENT;
	}
	gvb_perf_note_from(note, sizeof(note), &p);
	CHECK(!strcmp(note, "hardware counters absent: cycles, instructions, cache-misses: "
		      "no PMU (e.g. a VM without PMU passthrough)"), "%s", note);
	for (i = 0; i < GVB_NR_COUNTERS; i++)
		p.fd[i] = -1;
	gvb_perf_note_from(note, sizeof(note), &p);
	CHECK(!strncmp(note, "all counters absent: ", 21), "%s", note);
}

/* ---- meta ---- */

static void test_meta(void)
{
	char *argv[] = { "gvbench", "run", "--threads=1,2,4", "--name=it's", "a b", "", NULL };
	char *many[300];
	struct utsname u;
	struct gvb_meta m;
	int i;

	gvb_meta_fill(&m, 6, argv);
	printf("meta: %s | %s %s | %s | %s | %u cores | %s | %s | %s\n", m.tool_version,
	       m.backend, m.backend_mode, m.kernel, m.cpu_model, m.cores, m.compiler, m.cflags,
	       m.date);
	CHECK(uname(&u) == 0 && !strcmp(m.arch, u.machine), "arch %s", m.arch);
	CHECK(!strcmp(m.host, "native") || !strcmp(m.host, "vm") || !strcmp(m.host, "uml"),
	      "host %s", m.host);
	CHECK(m.tool_version[0] && m.kernel[0] && m.cpu_model[0] && m.compiler[0] &&
	      m.cflags[0] && m.date[0] && m.command[0]);
	CHECK(!strcmp(m.backend, "user") && !strcmp(m.backend_mode, "inline"));
	CHECK(m.cores >= 1);
	CHECK(!strncmp(m.compiler, "gcc ", 4) || !strncmp(m.compiler, "clang ", 6), "%s",
	      m.compiler);
	CHECK(strlen(m.date) == 20 && m.date[4] == '-' && m.date[10] == 'T' && m.date[19] == 'Z',
	      "%s", m.date);
	CHECK(!strcmp(m.command, "gvbench run --threads=1,2,4 '--name=it'\\''s' 'a b' ''"),
	      "%s", m.command);
	CHECK(m.alpha == 0.05 && isnan(m.harness_ns_per_op));
	CHECK(!m.mode[0] && !m.perf_note[0]);

	/* A command line longer than the field ends with a marker, never inside a quote. */
	for (i = 0; i < 300; i++)
		many[i] = i % 2 ? "'quoted arg'" : "plain-arg";
	gvb_meta_fill(&m, 300, many);
	CHECK(strlen(m.command) < sizeof(m.command));
	CHECK(strlen(m.command) > 4 && !strcmp(m.command + strlen(m.command) - 4, " ..."), "%s",
	      m.command);
	gvb_meta_fill(&m, 0, NULL);
	CHECK(m.command[0] == '\0');
}

/* ---- tsc ---- */

static void test_tsc(void)
{
	struct timespec ms = { 0, 1000000 };
	struct gvb_tsc t;
	uint64_t a, b;
	double over, slept;

	CHECK(gvb_tsc_calibrate(&t) == 0);
	over = gvb_tsc_overhead_ns(&t);
	a = gvb_tsc_read_start();
	nanosleep(&ms, NULL);
	b = gvb_tsc_read_end();
	slept = gvb_tsc_to_ns(&t, b - a);
	printf("tsc: %s; overhead %.1f ns; 1 ms sleep measured %.3f ms\n", t.source, over,
	       slept / 1e6);
	CHECK(t.source[0]);
	if (t.use_tsc)
		CHECK(t.ticks_per_ns >= 0.1 && t.ticks_per_ns <= 10, "%g", t.ticks_per_ns);
	else
		CHECK(t.ticks_per_ns == 1.0 && strstr(t.source, "clock_gettime"), "%s", t.source);
	CHECK(t.use_tsc == gvb_tsc_enabled);
	CHECK(isfinite(over) && over >= 0, "%g", over);
	/* A sleep is never shorter than asked; the upper side is left to the noisy machine. */
	CHECK(slept >= 0.9e6, "%g ns", slept);
}

/*
 * The runner's counting pass fills each case's lock counts: for map-unmap
 * 4K, resv+gpuva takes exactly 3 more gpuva-mutex acquisitions per op than
 * resv and nothing else more, and neither allocates a table page in steady
 * state (io-pgtable policy). The JSON keys are the core's class names.
 */
static void test_lock_counts(void)
{
	const struct gvb_strategy_ops *ops[2] = { &gvb_strategy_resv, NULL };
	struct gvb_runner_opts o;
	struct gvb_run_case rc[2];
	struct gvb_backend be = { 0 };
	struct gvb_case cases[2];
	struct gvb_wl_params p = { .threads = 1 };
	char err[256] = "";
	unsigned int i, k;
	int ret;

	for (k = 0; k < GVB_RESULT_LOCK_CLASSES; k++)
		CHECK(!strcmp(gvb_result_lock_keys[k], gvb_lock_class_names[k]), "class %u", k);
	/* CHECK_OR_RETURN() evaluates its condition more than once: no side effects in it. */
	ret = gvb_core_init();
	CHECK_OR_RETURN(!ret, , "core init");
	ops[1] = gvb_strategy_find("resv+gpuva");
	ret = ops[1] ? gvb_backend_open(&be, &gvb_backend_user, NULL) : -ENOENT;
	CHECK(!ret, "resv+gpuva and the user backend");
	if (ret) {
		gvb_core_exit();
		return;
	}
	gvb_runner_default_opts(&o);
	o.samples = 3;
	o.batch_ms = 0.2;
	o.warmup_ms = 1;
	o.instances = 1;
	o.backend = &be;
	memset(cases, 0, sizeof(cases));
	for (i = 0; i < 2; i++) {
		memset(&rc[i], 0, sizeof(rc[i]));
		rc[i].w = gvb_workload_find("map-unmap");
		rc[i].ops = ops[i];
		gvb_wl_params_resolve(&rc[i].p, rc[i].w, &p);
		rc[i].out = &cases[i];
		snprintf(cases[i].name, sizeof(cases[i].name), "map-unmap/%s/t1", ops[i]->name);
	}
	CHECK(!gvb_run_group(rc, 2, &o, err, sizeof(err)), "%s", err);
	CHECK(cases[0].has_locks && cases[1].has_locks);
	CHECK(cases[1].locks_per_op[GVB_RLOCK_GPUVA] - cases[0].locks_per_op[GVB_RLOCK_GPUVA] == 3,
	      "gpuva %g vs %g", cases[1].locks_per_op[GVB_RLOCK_GPUVA],
	      cases[0].locks_per_op[GVB_RLOCK_GPUVA]);
	for (k = 0; k < GVB_RESULT_LOCK_CLASSES; k++)
		CHECK(k == GVB_RLOCK_GPUVA || cases[1].locks_per_op[k] == cases[0].locks_per_op[k],
		      "%s differs", gvb_result_lock_keys[k]);
	CHECK(cases[0].locks_per_op[GVB_RLOCK_VM_RESV] > 0, "resv takes the VM resv");
	CHECK(cases[0].pt_alloc_per_op == 0 && cases[1].pt_alloc_per_op == 0,
	      "table pages %g, %g", cases[0].pt_alloc_per_op, cases[1].pt_alloc_per_op);
	for (i = 0; i < 2; i++) {
		free(cases[i].ns_per_op);
		free(cases[i].cpu_ns_per_op);
		free(cases[i].ops_per_sec);
	}
	gvb_backend_close(&be);
	gvb_core_exit();
}

/* Case names carry the engine only when asked (a run of several engines). */
static void test_case_names(void)
{
	const struct gvb_workload *w = gvb_workload_find("map-unmap");
	struct gvb_wl_params p;
	char name[128], key[128];

	CHECK_OR_RETURN(w != NULL, );
	memset(&p, 0, sizeof(p));
	p.threads = 1;
	p.size = 4096;
	gvb_case_name(name, sizeof(name), w, &gvb_strategy_resv_gpuva, &p, 0, NULL);
	CHECK(!strcmp(name, "map-unmap-4K/resv+gpuva/t1"), "one engine: %s", name);
	gvb_case_name(name, sizeof(name), w, &gvb_strategy_resv_gpuva, &p, 0, "drm_gpuvm");
	CHECK(!strcmp(name, "map-unmap-4K/drm_gpuvm/resv+gpuva/t1"), "two engines: %s", name);
	/* compare --base pairs a case with its base by the name without the strategy. */
	CHECK(!gvb_name_without_strategy(key, sizeof(key), name) &&
	      !strcmp(key, "map-unmap-4K/drm_gpuvm/t1"), "key: %s", key);
	CHECK(!gvb_name_without_strategy(key, sizeof(key), "map-unmap/resv/t4#aa3") &&
	      !strcmp(key, "map-unmap/t4#aa3"), "key: %s", key);
	CHECK(gvb_name_without_strategy(key, sizeof(key), "map-unmap/t4") == -1);
	CHECK(gvb_engine_find("drm_gpuvm") && !strcmp(gvb_engine_find("drm_gpuvm")->backend, "kmod"));
	CHECK(gvb_engine_find("model") && !gvb_engine_find("model")->backend);
	CHECK(!gvb_engine_find("Model"));
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/gvb-test-results.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trip();
	test_csv();
	test_case_names();
	test_read_errors();
	test_perf();
	test_meta();
	test_tsc();
	test_lock_counts();
	if (!gvb_test_failed && !getenv("GVB_KEEP"))
		remove_tmpdir();
	else
		fprintf(stderr, "files kept in %s\n", tmpdir);
	return gvb_test_done("test_results");
}
