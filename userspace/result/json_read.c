// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Result files: the in-memory struct gvb_result to and from JSON (json-c),
 * and the flat per-sample CSV for gnuplot. results/README.md documents the
 * schema; keep the two in step.
 *
 * Doubles are written with the shortest of %.15g/%.16g/%.17g that reads
 * back to the same bits (json_object_new_double_s() carries the text), so
 * a file round-trips exactly, 0.1 stays "0.1" for the people reading it,
 * and no process-wide json-c setting is changed. JSON has no NaN or
 * infinity: a non-finite double is written as null and null reads back as
 * NaN (NaN is how the result marks "not measured" or "n too small";
 * nothing produces infinity).
 *
 * The reader validates everything it uses and names the offending field
 * ("cases[1].summary.ns_per_op.median: missing"), because a result file is
 * often hand-copied between machines and a silent zero would be a wrong
 * number in a mail. Unknown fields are ignored so that later versions may
 * add some without breaking old readers; anything that changes the meaning
 * of a field must bump GVB_RESULT_SCHEMA.
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
 * @loc is the JSON path of the object being read ("cases[2].summary"), so
 * that every error names the field it is about.
 */
struct gvb_rd {
	const char *file;
	char *err;
	size_t errlen;
	char loc[160];
};

static int rd_fail(struct gvb_rd *rd, const char *key, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	gvb_seterr(rd->err, rd->errlen, "%s: %s%s%s: %s", rd->file, rd->loc,
		   rd->loc[0] && key ? "." : "", key ? key : "", msg);
	return -1;
}

/* Descends into a child; returns the old length for rd_pop(). */
static size_t rd_push(struct gvb_rd *rd, const char *fmt, ...)
{
	size_t old = strlen(rd->loc);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->loc + old, sizeof(rd->loc) - old, fmt, ap);
	va_end(ap);
	return old;
}

static void rd_pop(struct gvb_rd *rd, size_t old)
{
	rd->loc[old] = '\0';
}

static const char *rd_typename(struct json_object *v)
{
	return v ? json_type_to_name(json_object_get_type(v)) : "null";
}

/* The member @key of @obj, which must exist (it may be JSON null). */
static int rd_get(struct gvb_rd *rd, struct json_object *obj, const char *key,
		  struct json_object **out)
{
	if (!json_object_object_get_ex(obj, key, out))
		return rd_fail(rd, key, "missing");
	return 0;
}

static int rd_object(struct gvb_rd *rd, struct json_object *obj, const char *key,
		     struct json_object **out)
{
	if (rd_get(rd, obj, key, out))
		return -1;
	if (!json_object_is_type(*out, json_type_object))
		return rd_fail(rd, key, "expected an object, got %s", rd_typename(*out));
	return 0;
}

static int rd_array(struct gvb_rd *rd, struct json_object *obj, const char *key,
		    struct json_object **out)
{
	if (rd_get(rd, obj, key, out))
		return -1;
	if (!json_object_is_type(*out, json_type_array))
		return rd_fail(rd, key, "expected an array, got %s", rd_typename(*out));
	return 0;
}

static int rd_str(struct gvb_rd *rd, struct json_object *obj, const char *key, char *dst,
		  size_t size)
{
	struct json_object *v;
	size_t len;

	if (rd_get(rd, obj, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_string))
		return rd_fail(rd, key, "expected a string, got %s", rd_typename(v));
	len = (size_t)json_object_get_string_len(v);
	/* Longer than the writer can produce: not ours, and truncating would mislabel. */
	if (len >= size)
		return rd_fail(rd, key, "string too long (%zu bytes, at most %zu)", len, size - 1);
	memcpy(dst, json_object_get_string(v), len);
	dst[len] = '\0';
	return 0;
}

static int rd_u64(struct gvb_rd *rd, struct json_object *obj, const char *key, uint64_t *dst,
		  uint64_t max)
{
	struct json_object *v;

	if (rd_get(rd, obj, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_int))
		return rd_fail(rd, key, "expected an unsigned integer, got %s", rd_typename(v));
	/*
	 * json-c keeps values above INT64_MAX as uint64 and reports them here
	 * clamped to INT64_MAX, so a negative int64 means a negative number.
	 */
	if (json_object_get_int64(v) < 0)
		return rd_fail(rd, key, "expected an unsigned integer, got %" PRId64,
			       json_object_get_int64(v));
	*dst = json_object_get_uint64(v);
	if (*dst > max)
		return rd_fail(rd, key, "%" PRIu64 " out of range (at most %" PRIu64 ")", *dst, max);
	return 0;
}

static int rd_uint(struct gvb_rd *rd, struct json_object *obj, const char *key, unsigned int *dst)
{
	uint64_t v;

	if (rd_u64(rd, obj, key, &v, UINT_MAX))
		return -1;
	*dst = (unsigned int)v;
	return 0;
}

/* A group index: an unsigned integer that fits an int. */
static int rd_u64_max_group(struct gvb_rd *rd, struct json_object *obj, unsigned int *dst)
{
	uint64_t v;

	if (rd_u64(rd, obj, "group", &v, INT_MAX))
		return -1;
	*dst = (unsigned int)v;
	return 0;
}

static int rd_bool(struct gvb_rd *rd, struct json_object *obj, const char *key, bool *dst)
{
	struct json_object *v;

	if (rd_get(rd, obj, key, &v))
		return -1;
	if (!json_object_is_type(v, json_type_boolean))
		return rd_fail(rd, key, "expected true or false, got %s", rd_typename(v));
	*dst = json_object_get_boolean(v);
	return 0;
}

/* A number, or null for NaN. Integers are accepted for hand-written files. */
static int rd_double_val(struct gvb_rd *rd, const char *key, struct json_object *v, double *dst)
{
	if (!v) {
		*dst = NAN;
		return 0;
	}
	if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
		return rd_fail(rd, key, "expected a number or null, got %s", rd_typename(v));
	*dst = json_object_get_double(v);
	/* 1e999 parses as infinity: out of range for any measurement. */
	if (!isfinite(*dst))
		return rd_fail(rd, key, "%s is out of range", json_object_get_string(v));
	return 0;
}

static int rd_double(struct gvb_rd *rd, struct json_object *obj, const char *key, double *dst)
{
	struct json_object *v;

	if (rd_get(rd, obj, key, &v))
		return -1;
	return rd_double_val(rd, key, v, dst);
}

static int rd_meta(struct gvb_rd *rd, struct json_object *o, struct gvb_meta *m)
{
	/* Absent from results written before it was recorded: nothing is derived. */
	snprintf(m->arch, sizeof(m->arch), "unknown");
	if (rd_str(rd, o, "tool_version", m->tool_version, sizeof(m->tool_version)) ||
	    rd_str(rd, o, "backend", m->backend, sizeof(m->backend)) ||
	    rd_str(rd, o, "backend_mode", m->backend_mode, sizeof(m->backend_mode)) ||
	    rd_str(rd, o, "kernel", m->kernel, sizeof(m->kernel)) ||
	    (json_object_object_get_ex(o, "arch", NULL) &&
	     rd_str(rd, o, "arch", m->arch, sizeof(m->arch))) ||
	    rd_str(rd, o, "cpu_model", m->cpu_model, sizeof(m->cpu_model)) ||
	    /* Absent from results written before it was recorded. */
	    (json_object_object_get_ex(o, "host", NULL) &&
	     rd_str(rd, o, "host", m->host, sizeof(m->host))) ||
	    rd_uint(rd, o, "cores", &m->cores) ||
	    rd_str(rd, o, "compiler", m->compiler, sizeof(m->compiler)) ||
	    rd_str(rd, o, "cflags", m->cflags, sizeof(m->cflags)) ||
	    rd_str(rd, o, "date", m->date, sizeof(m->date)) ||
	    rd_str(rd, o, "command", m->command, sizeof(m->command)) ||
	    rd_str(rd, o, "mode", m->mode, sizeof(m->mode)) ||
	    rd_double(rd, o, "alpha", &m->alpha) ||
	    rd_double(rd, o, "harness_ns_per_op", &m->harness_ns_per_op) ||
	    rd_str(rd, o, "perf_note", m->perf_note, sizeof(m->perf_note)))
		return -1;
	return 0;
}

static int rd_samples(struct gvb_rd *rd, struct json_object *o, const char *key, double *dst,
		      unsigned int n)
{
	struct json_object *a;
	unsigned int i;
	size_t len;

	if (rd_array(rd, o, key, &a))
		return -1;
	len = json_object_array_length(a);
	if (len != n)
		return rd_fail(rd, key, "%zu samples, but nsamples is %u", len, n);
	if (!dst)
		return 0;	/* only the length was asked for */
	for (i = 0; i < n; i++) {
		char idx[64];

		snprintf(idx, sizeof(idx), "%s[%u]", key, i);
		if (rd_double_val(rd, idx, json_object_array_get_idx(a, i), &dst[i]))
			return -1;
		if (dst[i] < 0)
			return rd_fail(rd, idx, "negative (%g); no time or rate is", dst[i]);
	}
	return 0;
}

static int rd_summary(struct gvb_rd *rd, struct json_object *parent, const char *key,
		      struct gvb_summary *s)
{
	struct json_object *o;
	size_t old;
	int ret;

	if (rd_object(rd, parent, key, &o))
		return -1;
	old = rd_push(rd, ".%s", key);
	ret = rd_double(rd, o, "median", &s->median) ||
	      rd_double(rd, o, "ci_lo", &s->ci_lo) ||
	      rd_double(rd, o, "ci_hi", &s->ci_hi) ||
	      rd_double(rd, o, "ci_level", &s->ci_level) ||
	      rd_double(rd, o, "mean", &s->mean) ||
	      rd_double(rd, o, "min", &s->min) ||
	      rd_double(rd, o, "max", &s->max) ||
	      rd_uint(rd, o, "n", &s->n);
	rd_pop(rd, old);
	return ret ? -1 : 0;
}

static int rd_counters(struct gvb_rd *rd, struct json_object *o, struct gvb_counter *ctrs)
{
	int i;

	for (i = 0; i < GVB_NR_COUNTERS; i++) {
		struct gvb_counter *c = &ctrs[i];
		struct json_object *co;
		size_t old;
		int ret;

		if (rd_object(rd, o, gvb_counter_keys[i], &co))
			return -1;
		old = rd_push(rd, ".%s", gvb_counter_keys[i]);
		ret = rd_bool(rd, co, "present", &c->present);
		if (!ret && c->present)
			ret = rd_u64(rd, co, "value", &c->value, UINT64_MAX);
		else if (!ret)
			ret = rd_str(rd, co, "reason", c->absent_reason, sizeof(c->absent_reason));
		rd_pop(rd, old);
		if (ret)
			return -1;
	}
	return 0;
}

static int rd_latency(struct gvb_rd *rd, struct json_object *o, struct gvb_latency *l)
{
	struct json_object *lo;
	size_t old;
	int ret;

	if (rd_get(rd, o, "latency", &lo))
		return -1;
	if (!lo) {
		memset(l, 0, sizeof(*l));
		return 0;
	}
	if (!json_object_is_type(lo, json_type_object))
		return rd_fail(rd, "latency", "expected an object or null, got %s",
			       rd_typename(lo));
	l->present = true;
	old = rd_push(rd, ".latency");
	ret = rd_u64(rd, lo, "count", &l->count, UINT64_MAX) ||
	      rd_double(rd, lo, "timer_overhead_ns", &l->timer_overhead_ns) ||
	      rd_double(rd, lo, "p50", &l->p50) ||
	      rd_double(rd, lo, "p90", &l->p90) ||
	      rd_double(rd, lo, "p99", &l->p99) ||
	      rd_double(rd, lo, "p999", &l->p999) ||
	      rd_double(rd, lo, "max", &l->max);
	rd_pop(rd, old);
	return ret ? -1 : 0;
}

/* What files from before lock accounting and paired groups lack. */
static int rd_case_optional(struct gvb_rd *rd, struct json_object *o, struct gvb_case *c)
{
	struct json_object *sub;
	unsigned int i, group;
	size_t old;
	int ret = 0;

	c->group = -1;
	if ((json_object_object_get_ex(o, "bo", NULL) && rd_str(rd, o, "bo", c->bo, sizeof(c->bo))) ||
	    (json_object_object_get_ex(o, "pt_reclaim", NULL) &&
	     rd_bool(rd, o, "pt_reclaim", &c->pt_reclaim)) ||
	    (json_object_object_get_ex(o, "bind_sync", NULL) &&
	     rd_bool(rd, o, "bind_sync", &c->bind_sync)))
		return -1;
	if (json_object_object_get_ex(o, "group", NULL)) {
		if (rd_u64_max_group(rd, o, &group))
			return -1;
		c->group = (int)group;
	}
	if (!json_object_object_get_ex(o, "lock_acquisitions_per_op", NULL))
		return 0;
	if (rd_object(rd, o, "lock_acquisitions_per_op", &sub))
		return -1;
	old = rd_push(rd, ".lock_acquisitions_per_op");
	for (i = 0; i < GVB_RESULT_LOCK_CLASSES && !ret; i++)
		ret = rd_double(rd, sub, gvb_result_lock_keys[i], &c->locks_per_op[i]);
	rd_pop(rd, old);
	if (ret || rd_double(rd, o, "pt_pages_allocated_per_op", &c->pt_alloc_per_op) ||
	    rd_double(rd, o, "pt_pages_freed_per_op", &c->pt_freed_per_op))
		return -1;
	c->has_locks = true;
	return 0;
}

static int rd_case(struct gvb_rd *rd, struct json_object *o, struct gvb_case *c)
{
	struct json_object *sub;
	unsigned int n;
	uint64_t threads;
	size_t old;
	int ret;

	if (rd_str(rd, o, "name", c->name, sizeof(c->name)) ||
	    rd_str(rd, o, "workload", c->workload, sizeof(c->workload)) ||
	    rd_str(rd, o, "strategy", c->strategy, sizeof(c->strategy)) ||
	    rd_u64(rd, o, "threads", &threads, GVB_RESULT_MAX_THREADS) ||
	    rd_u64(rd, o, "size", &c->size, UINT64_MAX) ||
	    rd_u64(rd, o, "count", &c->count, UINT64_MAX) ||
	    rd_u64(rd, o, "flush_ns", &c->flush_ns, UINT64_MAX) ||
	    rd_u64(rd, o, "seed", &c->seed, UINT64_MAX) ||
	    rd_bool(rd, o, "defer_async", &c->defer_async) ||
	    rd_bool(rd, o, "pinned", &c->pinned) ||
	    rd_u64(rd, o, "batch_ops", &c->batch_ops, UINT64_MAX) ||
	    rd_double(rd, o, "injected_ns", &c->injected_ns) ||
	    rd_uint(rd, o, "nsamples", &n) ||
	    rd_double(rd, o, "worker_cpu_ns", &c->worker_cpu_ns))
		return -1;
	if (!threads)
		return rd_fail(rd, "threads", "0 out of range (at least 1)");
	c->threads = threads;
	/* Optional: files from before engines ran the model, the only engine then. */
	snprintf(c->engine, sizeof(c->engine), "model");
	if (json_object_object_get_ex(o, "engine", NULL) &&
	    rd_str(rd, o, "engine", c->engine, sizeof(c->engine)))
		return -1;
	/* Optional: files written before the format was a run parameter lack it. */
	if (json_object_object_get_ex(o, "format", NULL) &&
	    rd_str(rd, o, "format", c->format, sizeof(c->format)))
		return -1;
	if (rd_case_optional(rd, o, c))
		return -1;

	if (rd_object(rd, o, "samples", &sub))
		return -1;
	/* A corrupt nsamples must not become a huge allocation: check one length first. */
	old = rd_push(rd, ".samples");
	ret = rd_samples(rd, sub, "ns_per_op", NULL, n);
	rd_pop(rd, old);
	if (ret)
		return -1;
	if (gvb_case_alloc_samples(c, n))
		return rd_fail(rd, "samples", "out of memory for %u samples", n);
	old = rd_push(rd, ".samples");
	ret = rd_samples(rd, sub, "ns_per_op", c->ns_per_op, n) ||
	      rd_samples(rd, sub, "cpu_ns_per_op", c->cpu_ns_per_op, n) ||
	      rd_samples(rd, sub, "ops_per_sec", c->ops_per_sec, n);
	rd_pop(rd, old);
	if (ret)
		return -1;

	if (rd_object(rd, o, "summary", &sub))
		return -1;
	old = rd_push(rd, ".summary");
	ret = rd_summary(rd, sub, "ns_per_op", &c->ns_per_op_sum) ||
	      rd_summary(rd, sub, "cpu_ns_per_op", &c->cpu_ns_per_op_sum) ||
	      rd_summary(rd, sub, "ops_per_sec", &c->ops_per_sec_sum);
	rd_pop(rd, old);
	if (ret)
		return -1;

	if (rd_object(rd, o, "counters", &sub))
		return -1;
	old = rd_push(rd, ".counters");
	ret = rd_counters(rd, sub, c->counters);
	rd_pop(rd, old);
	if (ret)
		return -1;

	return rd_latency(rd, o, &c->latency);
}

static int rd_cmp(struct gvb_rd *rd, struct json_object *o, struct gvb_comparison *c)
{
	if (rd_str(rd, o, "base", c->base, sizeof(c->base)) ||
	    rd_str(rd, o, "new", c->new, sizeof(c->new)) ||
	    rd_double(rd, o, "base_median", &c->base_median) ||
	    rd_double(rd, o, "new_median", &c->new_median) ||
	    rd_double(rd, o, "delta_ns", &c->delta_ns) ||
	    rd_double(rd, o, "delta_pct", &c->delta_pct) ||
	    rd_double(rd, o, "delta_ci_lo", &c->delta_ci_lo) ||
	    rd_double(rd, o, "delta_ci_hi", &c->delta_ci_hi) ||
	    rd_double(rd, o, "p_value", &c->p_value) ||
	    rd_bool(rd, o, "significant", &c->significant) ||
	    rd_uint(rd, o, "n_base", &c->n_base) ||
	    rd_uint(rd, o, "n_new", &c->n_new))
		return -1;
	c->paired_delta_ns = c->paired_ci_lo = c->paired_ci_hi = c->paired_p = NAN;
	/* Optional: files written before paired statistics existed lack them. */
	if ((json_object_object_get_ex(o, "paired_delta_ns", NULL) &&
	     rd_double(rd, o, "paired_delta_ns", &c->paired_delta_ns)) ||
	    (json_object_object_get_ex(o, "paired_ci_lo", NULL) &&
	     rd_double(rd, o, "paired_ci_lo", &c->paired_ci_lo)) ||
	    (json_object_object_get_ex(o, "paired_ci_hi", NULL) &&
	     rd_double(rd, o, "paired_ci_hi", &c->paired_ci_hi)) ||
	    (json_object_object_get_ex(o, "paired_p", NULL) &&
	     rd_double(rd, o, "paired_p", &c->paired_p)))
		return -1;
	return 0;
}

/*
 * Initializes @r. On failure @r is left empty (as after gvb_result_init()),
 * so gvb_result_free() is safe either way.
 */
int gvb_result_read_json(struct gvb_result *r, const char *path, char *err, size_t errlen)
{
	struct gvb_rd rd = { .file = path, .err = err, .errlen = errlen };
	struct json_object *root = NULL, *v, *arr;
	const char *schema;
	size_t len, i, n;
	char *text;

	gvb_result_init(r);
	text = gvb_slurp(path, &len, err, errlen);
	if (!text)
		return -1;
	root = gvb_json_parse(path, text, len, err, errlen);
	free(text);
	if (!root)
		return -1;

	if (!json_object_is_type(root, json_type_object)) {
		gvb_seterr(err, errlen, "%s: not a gpuvm-bench result (the top level is %s, "
			   "expected an object)", path, rd_typename(root));
		goto fail;
	}
	if (!json_object_object_get_ex(root, "schema", &v)) {
		gvb_seterr(err, errlen, "%s: not a gpuvm-bench result (no \"schema\" field, "
			   "expected \"%s\")", path, GVB_RESULT_SCHEMA);
		goto fail;
	}
	if (!json_object_is_type(v, json_type_string)) {
		gvb_seterr(err, errlen, "%s: not a gpuvm-bench result (\"schema\" is %s, "
			   "expected \"%s\")", path, rd_typename(v), GVB_RESULT_SCHEMA);
		goto fail;
	}
	schema = json_object_get_string(v);
	if (strcmp(schema, GVB_RESULT_SCHEMA)) {
		gvb_seterr(err, errlen, "%s: not a gpuvm-bench result (schema \"%.60s\", "
			   "expected \"%s\")", path, schema, GVB_RESULT_SCHEMA);
		goto fail;
	}

	if (rd_object(&rd, root, "meta", &v))
		goto fail;
	rd_push(&rd, "meta");
	if (rd_meta(&rd, v, &r->meta))
		goto fail;
	rd_pop(&rd, 0);

	if (rd_array(&rd, root, "cases", &arr))
		goto fail;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		struct gvb_case *c;

		rd_push(&rd, "cases[%zu]", i);
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object)) {
			rd_fail(&rd, NULL, "expected an object, got %s", rd_typename(v));
			goto fail;
		}
		c = gvb_result_add_case(r);
		if (!c) {
			rd_fail(&rd, NULL, "out of memory");
			goto fail;
		}
		if (rd_case(&rd, v, c))
			goto fail;
		rd_pop(&rd, 0);
	}

	if (rd_array(&rd, root, "comparisons", &arr))
		goto fail;
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++) {
		struct gvb_comparison *c;

		rd_push(&rd, "comparisons[%zu]", i);
		v = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(v, json_type_object)) {
			rd_fail(&rd, NULL, "expected an object, got %s", rd_typename(v));
			goto fail;
		}
		c = gvb_result_add_cmp(r);
		if (!c) {
			rd_fail(&rd, NULL, "out of memory");
			goto fail;
		}
		if (rd_cmp(&rd, v, c))
			goto fail;
		rd_pop(&rd, 0);
	}

	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	gvb_result_free(r);
	return -1;
}
