// SPDX-License-Identifier: GPL-2.0-only OR MIT
//
// gvbench-gbench: the case table of cases.c as Google Benchmark benchmarks,
// for tools that read its output (compare.py and the like).
//
// Each pass of the loop is one timed batch of n ops on all of the case's
// threads (KeepRunningBatch(n): an iteration is one op per thread), timed
// by the runner itself. The time handed to the library is the batch's time
// (manual time), so the library's own loop, a debug build in Debian, never
// enters the numbers, and Time per iteration is ns/op. n is sized once per
// case so that a batch takes about 1.5 ms. The CPU column is the CPU time of
// the thread that drives the batches, not of the workers: gvbench reports
// the workers' CPU time per op.

#include <benchmark/benchmark.h>

#include <regex.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "cases.h"

namespace {

const double target_batch_ns = 1.5e6;
const double warmup_ns = 10e6;
const uint64_t max_batch_ops = 1ull << 24;

std::vector<uint64_t> batch_ops;	// per case, 0 until sized
bool any_error;			// a case was skipped with an error: exit 1

// Grows n until a batch takes a measurable time, then scales it to the
// target. 0, or a negative errno.
int size_batch(struct gvb_batcher *b, uint64_t *n)
{
	double ns = 0;
	uint64_t ops = 1;
	int ret;

	for (;;) {
		ret = gvb_gb_run(b, ops, &ns);
		if (ret)
			return ret;
		if (ns * ops >= target_batch_ns / 8 || ops >= max_batch_ops)
			break;
		ops *= 4;
	}
	ops = ns > 0 ? (uint64_t)(target_batch_ns / ns) : max_batch_ops;
	*n = ops < 1 ? 1 : ops > max_batch_ops ? max_batch_ops : ops;
	return 0;
}

// Untimed batches of n ops for about warmup_ns, at least 5 of them; the
// median of their ns/op in @ns, which sizes the batch (a single batch of a
// contended case can be far off).
int warm_up(struct gvb_batcher *b, uint64_t n, double *ns)
{
	std::vector<double> v;
	double spent = 0, x;
	int ret;

	do {
		ret = gvb_gb_run(b, n, &x);
		if (ret)
			return ret;
		v.push_back(x);
		spent += x * n;
	} while (spent < warmup_ns || v.size() < 5);
	std::sort(v.begin(), v.end());
	*ns = v[v.size() / 2];
	return 0;
}

void fail(benchmark::State &state, const char *why)
{
	state.SkipWithError(why);
	any_error = true;
}

void run_case(benchmark::State &state, unsigned int idx)
{
	struct gvb_batcher *b = nullptr;
	char err[256];
	double ns = 0, sum_ns = 0;
	uint64_t n = batch_ops[idx], batches = 0;
	int ret;

	ret = gvb_gb_create(idx, &b, err, sizeof(err));
	if (ret) {
		fail(state, err);
		return;
	}
	// Sized once per case, on its first run, after a first warmup.
	if (!n) {
		ret = size_batch(b, &n);
		if (!ret)
			ret = warm_up(b, n, &ns);
		if (!ret && ns > 0) {
			uint64_t ops = (uint64_t)(target_batch_ns / ns);

			n = ops < 1 ? 1 : ops > max_batch_ops ? max_batch_ops : ops;
		}
		if (!ret)
			batch_ops[idx] = n;
	} else {
		ret = warm_up(b, n, &ns);
	}
	if (ret) {
		snprintf(err, sizeof(err), "warmup failed: %s", strerror(-ret));
		fail(state, err);
		gvb_gb_destroy(b);
		return;
	}

	while (state.KeepRunningBatch((benchmark::IterationCount)n)) {
		ret = gvb_gb_run(b, n, &ns);
		if (ret) {
			snprintf(err, sizeof(err), "an op failed: %s", strerror(-ret));
			fail(state, err);
			break;
		}
		state.SetIterationTime(ns * n / 1e9);
		sum_ns += ns;
		batches++;
	}
	gvb_gb_destroy(b);
	if (ret)
		return;

	// An iteration is one op per thread, so Time is ns/op, comparable
	// between runs whatever n was. Items are ops on all threads, and
	// items_per_second the aggregate throughput. ns_per_op is the mean
	// over batches of the runner's per-op time, as in a gvbench sample.
	state.SetItemsProcessed((int64_t)state.iterations() * gvb_gb_case_threads(idx));
	state.counters["ns_per_op"] = batches ? sum_ns / batches : 0;
	state.counters["batch_ops"] = (double)n;
}

// The library's flags (Google Benchmark 1.7), checked before it sees them:
// on a bad value it prints two lines and carries on with the default, a
// negative repetition count aborts it, and a huge minimum time never ends.
enum flag_kind { F_BOOL, F_STRING, F_REGEX, F_SECONDS, F_COUNT, F_INT, F_OUT, F_CHOICE };

struct flag {
	const char *name;
	enum flag_kind kind;
	const char *choices;	// F_CHOICE: space-separated
};

const struct flag flags[] = {
	{ "benchmark_list_tests", F_BOOL, nullptr },
	{ "benchmark_filter", F_REGEX, nullptr },
	{ "benchmark_min_time", F_SECONDS, nullptr },
	{ "benchmark_min_warmup_time", F_SECONDS, nullptr },
	{ "benchmark_repetitions", F_COUNT, nullptr },
	{ "benchmark_enable_random_interleaving", F_BOOL, nullptr },
	{ "benchmark_report_aggregates_only", F_BOOL, nullptr },
	{ "benchmark_display_aggregates_only", F_BOOL, nullptr },
	{ "benchmark_format", F_CHOICE, "console json csv" },
	{ "benchmark_out_format", F_CHOICE, "console json csv" },
	{ "benchmark_out", F_OUT, nullptr },
	{ "benchmark_color", F_CHOICE, "auto true false yes no 1 0 t f y n" },
	{ "benchmark_counters_tabular", F_BOOL, nullptr },
	{ "benchmark_perf_counters", F_STRING, nullptr },
	{ "benchmark_context", F_STRING, nullptr },
	{ "benchmark_time_unit", F_CHOICE, "ns us ms s" },
	{ "v", F_INT, nullptr },
};

bool in_choices(const char *v, const char *choices)
{
	size_t n = strlen(v);

	for (const char *p = choices; *p;) {
		size_t len = strcspn(p, " ");

		if (len == n && !strncasecmp(p, v, n))
			return true;
		p += len + (p[len] == ' ');
	}
	return false;
}

// One line naming the flag and the problem, and false, for any argument
// the library would misread; true if all of argv is fine.
bool check_flags(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *eq = strchr(arg, '='), *v = eq ? eq + 1 : nullptr;
		size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
		const struct flag *f = nullptr;
		char *end;
		double d;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
			continue;
		if (strncmp(arg, "--", 2)) {
			fprintf(stderr, "gvbench-gbench: unexpected argument '%s' (flags are --benchmark_NAME=VALUE, see --help)\n",
				arg);
			return false;
		}
		for (const struct flag &k : flags)
			if (len - 2 == strlen(k.name) && !strncmp(arg + 2, k.name, len - 2))
				f = &k;
		if (!f) {
			fprintf(stderr, "gvbench-gbench: unknown flag '%.*s' (see --help)\n", (int)len,
				arg);
			return false;
		}
		if (!v && f->kind != F_BOOL) {
			fprintf(stderr, "gvbench-gbench: --%s needs a value (--%s=VALUE)\n", f->name,
				f->name);
			return false;
		}
		const char *why = nullptr;

		errno = 0;
		switch (f->kind) {
		case F_BOOL:
			if (v && !in_choices(v, "true false yes no 1 0 t f y n"))
				why = "is not true or false";
			break;
		case F_CHOICE:
			if (!in_choices(v, f->choices))
				why = "is not one of the choices (see --help)";
			break;
		case F_REGEX: {
			// POSIX extended, as the library's std::regex is set up.
			regex_t re;

			if (regcomp(&re, v, REG_EXTENDED | REG_NOSUB))
				why = "is not a valid regular expression";
			else
				regfree(&re);
			break;
		}
		case F_SECONDS:
			d = strtod(v, &end);
			if (errno || end == v || *end || !std::isfinite(d) || d < 0 || d > 3600)
				why = "is not a number of seconds in 0..3600";
			break;
		case F_COUNT:
		case F_INT: {
			long n = strtol(v, &end, 10);

			if (errno || end == v || *end || n < (f->kind == F_COUNT ? 1 : 0) ||
			    n > 100000)
				why = f->kind == F_COUNT ? "is not a count in 1..100000" :
				      "is not an integer in 0..100000";
			break;
		}
		case F_OUT: {
			struct stat st;

			// The library truncates whatever is there: never a device or a link.
			if (!*v)
				why = "is empty";
			else if (!lstat(v, &st) && !S_ISREG(st.st_mode))
				why = "exists and is not a regular file";
			break;
		}
		case F_STRING:
			break;
		}
		if (why) {
			fprintf(stderr, "gvbench-gbench: --%s: '%s' %s\n", f->name, v, why);
			return false;
		}
	}
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	unsigned int i;
	int ret;

	if (!check_flags(argc, argv))
		return 2;
	ret = gvb_gb_init();
	if (ret) {
		fprintf(stderr, "gvbench-gbench: core init failed: %s\n", strerror(-ret));
		return 1;
	}
	batch_ops.assign(gvb_gb_ncases(), 0);
	for (i = 0; i < gvb_gb_ncases(); i++)
		benchmark::RegisterBenchmark(gvb_gb_case_name(i), run_case, i)
			->UseManualTime()
			->Unit(benchmark::kNanosecond);

	benchmark::Initialize(&argc, argv);
	if (benchmark::ReportUnrecognizedArguments(argc, argv)) {
		gvb_gb_exit();
		return 1;
	}
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	gvb_gb_exit();
	return any_error ? 1 : 0;
}
