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

#include <algorithm>
#include <cstdint>
#include <cstdio>
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

} // namespace

int main(int argc, char **argv)
{
	unsigned int i;
	int ret;

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
