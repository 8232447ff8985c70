// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * struct gvb_result to JSON with json-c. The format's rules are in
 * json_read.c's header comment.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "result/file.h"

/*
 * json-c reports allocation failure as a NULL object or a nonzero add; the
 * builder notes it once here instead of checking at each of ~100 fields.
 */
struct gvb_wr {
	bool oom;
};

static void wr_put(struct gvb_wr *w, struct json_object *obj, const char *key,
		   struct json_object *val, bool may_be_null)
{
	if (!val && !may_be_null) {
		w->oom = true;
		return;
	}
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		w->oom = true;
	}
}

static struct json_object *wr_double_obj(struct gvb_wr *w, double d)
{
	char buf[40];
	struct json_object *o;

	if (!isfinite(d))
		return NULL;	/* JSON null */
	gvb_fmt_double(buf, sizeof(buf) - 2, d);
	/* Keep it a JSON double to the eye and to json-c: "3" would read as an int. */
	if (!strpbrk(buf, ".eE"))
		strcat(buf, ".0");
	o = json_object_new_double_s(d, buf);
	if (!o)
		w->oom = true;
	return o;
}

static void wr_double(struct gvb_wr *w, struct json_object *obj, const char *key, double d)
{
	wr_put(w, obj, key, wr_double_obj(w, d), true);
}

static void wr_u64(struct gvb_wr *w, struct json_object *obj, const char *key, uint64_t v)
{
	wr_put(w, obj, key, json_object_new_uint64(v), false);
}

static void wr_bool(struct gvb_wr *w, struct json_object *obj, const char *key, bool v)
{
	wr_put(w, obj, key, json_object_new_boolean(v), false);
}

static void wr_str(struct gvb_wr *w, struct json_object *obj, const char *key, const char *s)
{
	wr_put(w, obj, key, json_object_new_string(s), false);
}

static struct json_object *wr_child(struct gvb_wr *w, struct json_object *obj, const char *key,
				    struct json_object *child)
{
	wr_put(w, obj, key, child, false);
	return child;
}

static struct json_object *wr_meta(struct gvb_wr *w, const struct gvb_meta *m)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		w->oom = true;
		return NULL;
	}
	wr_str(w, o, "tool_version", m->tool_version);
	wr_str(w, o, "backend", m->backend);
	wr_str(w, o, "backend_mode", m->backend_mode);
	wr_str(w, o, "kernel", m->kernel);
	wr_str(w, o, "arch", m->arch);
	wr_str(w, o, "host", m->host);
	wr_str(w, o, "cpu_model", m->cpu_model);
	wr_u64(w, o, "cores", m->cores);
	wr_str(w, o, "compiler", m->compiler);
	wr_str(w, o, "cflags", m->cflags);
	wr_str(w, o, "date", m->date);
	wr_str(w, o, "command", m->command);
	wr_str(w, o, "mode", m->mode);
	wr_double(w, o, "alpha", m->alpha);
	wr_double(w, o, "harness_ns_per_op", m->harness_ns_per_op);
	wr_str(w, o, "perf_note", m->perf_note);
	return o;
}

static struct json_object *wr_samples(struct gvb_wr *w, const double *v, unsigned int n)
{
	struct json_object *a = json_object_new_array_ext(n ? n : 1);
	unsigned int i;

	if (!a) {
		w->oom = true;
		return NULL;
	}
	for (i = 0; i < n && !w->oom; i++) {
		struct json_object *d = wr_double_obj(w, v[i]);

		if (json_object_array_add(a, d)) {
			json_object_put(d);
			w->oom = true;
		}
	}
	return a;
}

static struct json_object *wr_summary(struct gvb_wr *w, const struct gvb_summary *s)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		w->oom = true;
		return NULL;
	}
	wr_double(w, o, "median", s->median);
	wr_double(w, o, "ci_lo", s->ci_lo);
	wr_double(w, o, "ci_hi", s->ci_hi);
	wr_double(w, o, "ci_level", s->ci_level);
	wr_double(w, o, "mean", s->mean);
	wr_double(w, o, "min", s->min);
	wr_double(w, o, "max", s->max);
	wr_u64(w, o, "n", s->n);
	return o;
}

static struct json_object *wr_case(struct gvb_wr *w, const struct gvb_case *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *sub;
	int i;

	if (!o) {
		w->oom = true;
		return NULL;
	}
	wr_str(w, o, "name", c->name);
	wr_str(w, o, "workload", c->workload);
	wr_str(w, o, "strategy", c->strategy);
	wr_str(w, o, "engine", c->engine[0] ? c->engine : "model");
	wr_u64(w, o, "threads", c->threads);
	wr_u64(w, o, "size", c->size);
	wr_u64(w, o, "count", c->count);
	wr_u64(w, o, "flush_ns", c->flush_ns);
	wr_u64(w, o, "seed", c->seed);
	wr_bool(w, o, "defer_async", c->defer_async);
	wr_str(w, o, "format", c->format);
	wr_bool(w, o, "pinned", c->pinned);
	if (c->bo[0])
		wr_str(w, o, "bo", c->bo);
	wr_bool(w, o, "pt_reclaim", c->pt_reclaim);
	wr_bool(w, o, "bind_sync", c->bind_sync);
	if (c->group >= 0)
		wr_u64(w, o, "group", (uint64_t)c->group);
	wr_u64(w, o, "batch_ops", c->batch_ops);
	wr_double(w, o, "injected_ns", c->injected_ns);
	wr_u64(w, o, "nsamples", c->nsamples);
	wr_double(w, o, "worker_cpu_ns", c->worker_cpu_ns);
	if (c->has_locks) {
		sub = wr_child(w, o, "lock_acquisitions_per_op", json_object_new_object());
		for (i = 0; sub && i < GVB_RESULT_LOCK_CLASSES; i++)
			wr_double(w, sub, gvb_result_lock_keys[i], c->locks_per_op[i]);
		wr_double(w, o, "pt_pages_allocated_per_op", c->pt_alloc_per_op);
		wr_double(w, o, "pt_pages_freed_per_op", c->pt_freed_per_op);
	}

	sub = wr_child(w, o, "samples", json_object_new_object());
	if (sub) {
		wr_put(w, sub, "ns_per_op", wr_samples(w, c->ns_per_op, c->nsamples), false);
		wr_put(w, sub, "cpu_ns_per_op", wr_samples(w, c->cpu_ns_per_op, c->nsamples),
		       false);
		wr_put(w, sub, "ops_per_sec", wr_samples(w, c->ops_per_sec, c->nsamples), false);
	}

	sub = wr_child(w, o, "summary", json_object_new_object());
	if (sub) {
		wr_put(w, sub, "ns_per_op", wr_summary(w, &c->ns_per_op_sum), false);
		wr_put(w, sub, "cpu_ns_per_op", wr_summary(w, &c->cpu_ns_per_op_sum), false);
		wr_put(w, sub, "ops_per_sec", wr_summary(w, &c->ops_per_sec_sum), false);
	}

	sub = wr_child(w, o, "counters", json_object_new_object());
	for (i = 0; sub && i < GVB_NR_COUNTERS; i++) {
		const struct gvb_counter *ctr = &c->counters[i];
		struct json_object *co = wr_child(w, sub, gvb_counter_keys[i],
						  json_object_new_object());

		if (!co)
			break;
		wr_bool(w, co, "present", ctr->present);
		if (ctr->present)
			wr_u64(w, co, "value", ctr->value);
		else
			wr_str(w, co, "reason", ctr->absent_reason);
	}

	if (c->latency.present) {
		const struct gvb_latency *l = &c->latency;

		sub = wr_child(w, o, "latency", json_object_new_object());
		if (sub) {
			wr_u64(w, sub, "count", l->count);
			wr_double(w, sub, "timer_overhead_ns", l->timer_overhead_ns);
			wr_double(w, sub, "p50", l->p50);
			wr_double(w, sub, "p90", l->p90);
			wr_double(w, sub, "p99", l->p99);
			wr_double(w, sub, "p999", l->p999);
			wr_double(w, sub, "max", l->max);
		}
	} else {
		wr_put(w, o, "latency", NULL, true);
	}
	return o;
}

static struct json_object *wr_cmp(struct gvb_wr *w, const struct gvb_comparison *c)
{
	struct json_object *o = json_object_new_object();

	if (!o) {
		w->oom = true;
		return NULL;
	}
	wr_str(w, o, "base", c->base);
	wr_str(w, o, "new", c->new);
	wr_double(w, o, "base_median", c->base_median);
	wr_double(w, o, "new_median", c->new_median);
	wr_double(w, o, "delta_ns", c->delta_ns);
	wr_double(w, o, "delta_pct", c->delta_pct);
	wr_double(w, o, "delta_ci_lo", c->delta_ci_lo);
	wr_double(w, o, "delta_ci_hi", c->delta_ci_hi);
	wr_double(w, o, "p_value", c->p_value);
	wr_bool(w, o, "significant", c->significant);
	wr_u64(w, o, "n_base", c->n_base);
	wr_u64(w, o, "n_new", c->n_new);
	wr_double(w, o, "paired_delta_ns", c->paired_delta_ns);
	wr_double(w, o, "paired_ci_lo", c->paired_ci_lo);
	wr_double(w, o, "paired_ci_hi", c->paired_ci_hi);
	wr_double(w, o, "paired_p", c->paired_p);
	return o;
}

int gvb_result_write_json(const struct gvb_result *r, const char *path, char *err, size_t errlen)
{
	struct gvb_wr w = { .oom = false };
	struct json_object *root, *arr;
	struct gvb_atomic a;
	const char *text;
	unsigned int i;
	int ret = -1;

	root = json_object_new_object();
	if (!root) {
		gvb_seterr(err, errlen, "%s: out of memory", path);
		return -1;
	}
	wr_str(&w, root, "schema", GVB_RESULT_SCHEMA);
	wr_put(&w, root, "meta", wr_meta(&w, &r->meta), false);
	arr = wr_child(&w, root, "cases", json_object_new_array_ext(r->ncases ? r->ncases : 1));
	for (i = 0; arr && i < r->ncases && !w.oom; i++) {
		struct json_object *c = wr_case(&w, &r->cases[i]);

		if (!c || json_object_array_add(arr, c)) {
			json_object_put(c);
			w.oom = true;
		}
	}
	arr = wr_child(&w, root, "comparisons", json_object_new_array_ext(r->ncmp ? r->ncmp : 1));
	for (i = 0; arr && i < r->ncmp && !w.oom; i++) {
		struct json_object *c = wr_cmp(&w, &r->cmps[i]);

		if (!c || json_object_array_add(arr, c)) {
			json_object_put(c);
			w.oom = true;
		}
	}
	text = w.oom ? NULL : json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
							     JSON_C_TO_STRING_SPACED |
							     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		gvb_seterr(err, errlen, "%s: out of memory", path);
		goto out;
	}
	if (gvb_atomic_open(&a, path, err, errlen))
		goto out;
	if (fputs(text, a.f) < 0 || fputc('\n', a.f) < 0) {
		gvb_seterr(err, errlen, "%s: write failed: %s", path, strerror(errno));
		gvb_atomic_abort(&a);
		goto out;
	}
	ret = gvb_atomic_commit(&a, path, err, errlen);
out:
	json_object_put(root);
	return ret;
}
