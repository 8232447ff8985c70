// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Result sets and text formatting for compare, report and plot. See
 * resultset.h. The statistics come from stats.c; this file only decides
 * which samples go in and how the numbers are printed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "result/resultset.h"
#include "stats/stats.h"

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_json_suffix(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

/* The *.json regular files of @dir, sorted, so the merge order is stable. */
static int list_dir(struct gvb_rset *s, const char *dir, char *err, size_t errlen)
{
	unsigned int cap = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		seterr(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;
		char *path;

		if (de->d_name[0] == '.' || !has_json_suffix(de->d_name))
			continue;
		if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
			     de->d_name) < 0)
			goto oom;
		if (stat(path, &st) || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (s->nfiles == cap) {
			char **files = realloc(s->files, (cap ? cap * 2 : 8) * sizeof(*files));

			if (!files) {
				free(path);
				goto oom;
			}
			s->files = files;
			cap = cap ? cap * 2 : 8;
		}
		s->files[s->nfiles++] = path;
	}
	closedir(d);
	if (!s->nfiles) {
		seterr(err, errlen, "%s: no result files (*.json) in this directory", dir);
		return -1;
	}
	qsort(s->files, s->nfiles, sizeof(*s->files), cmp_str);
	return 0;
oom:
	closedir(d);
	seterr(err, errlen, "%s: out of memory", dir);
	return -1;
}

int gvb_rset_load(struct gvb_rset *s, const char *path, char *err, size_t errlen)
{
	unsigned int f, i, j, k;
	struct stat st;

	memset(s, 0, sizeof(*s));
	s->path = path;
	if (stat(path, &st)) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		s->is_dir = true;
		if (list_dir(s, path, err, errlen))
			goto fail;
	} else {
		s->files = malloc(sizeof(*s->files));
		if (!s->files || !(s->files[0] = strdup(path)))
			goto oom;
		s->nfiles = 1;
	}
	s->results = calloc(s->nfiles, sizeof(*s->results));
	if (!s->results)
		goto oom;
	for (f = 0; f < s->nfiles; f++) {
		if (gvb_result_read_json(&s->results[f], s->files[f], err, errlen))
			goto fail;
		s->ncases += s->results[f].ncases;
	}
	s->cases = calloc(s->ncases ? s->ncases : 1, sizeof(*s->cases));
	s->case_file = calloc(s->ncases ? s->ncases : 1, sizeof(*s->case_file));
	if (!s->cases || !s->case_file)
		goto oom;
	for (f = 0, k = 0; f < s->nfiles; f++) {
		for (i = 0; i < s->results[f].ncases; i++, k++) {
			s->cases[k] = &s->results[f].cases[i];
			s->case_file[k] = f;
		}
	}
	/*
	 * Cases are matched by name: a name twice would make every number
	 * printed for it depend on which copy was found first.
	 */
	for (i = 0; i < s->ncases; i++) {
		for (j = 0; j < i; j++) {
			if (strcmp(s->cases[i]->name, s->cases[j]->name))
				continue;
			if (s->case_file[i] == s->case_file[j])
				seterr(err, errlen, "%s: case %s appears twice (cases are matched by name)",
				       s->files[s->case_file[i]], s->cases[i]->name);
			else
				seterr(err, errlen, "%s: case %s is in both %s and %s (cases are matched by name; pass the files one by one)",
				       path, s->cases[i]->name, s->files[s->case_file[j]],
				       s->files[s->case_file[i]]);
			goto fail;
		}
	}
	return 0;
oom:
	seterr(err, errlen, "%s: out of memory", path);
fail:
	gvb_rset_free(s);
	return -1;
}

int gvb_rset_need_samples(const struct gvb_rset *s, char *err, size_t errlen)
{
	unsigned int i;

	for (i = 0; i < s->ncases; i++)
		if (s->cases[i]->nsamples)
			return 0;
	if (!s->ncases)
		seterr(err, errlen, "%s: no cases", s->path);
	else
		seterr(err, errlen, "%s: latency-mode cases only, no throughput samples to compare ('gvbench plot %s' draws their latency)",
		       s->path, s->path);
	return -1;
}

void gvb_rset_free(struct gvb_rset *s)
{
	unsigned int f;

	for (f = 0; f < s->nfiles; f++) {
		if (s->results)
			gvb_result_free(&s->results[f]);
		free(s->files[f]);
	}
	free(s->files);
	free(s->results);
	free(s->cases);
	free(s->case_file);
	memset(s, 0, sizeof(*s));
}

struct gvb_case *gvb_rset_find(const struct gvb_rset *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->ncases; i++)
		if (!strcmp(s->cases[i]->name, name))
			return s->cases[i];
	return NULL;
}

const struct gvb_meta *gvb_rset_meta(const struct gvb_rset *s, unsigned int case_idx)
{
	return &s->results[s->case_file[case_idx]].meta;
}

static char *meta_field(const struct gvb_meta *m, enum gvb_meta_field field)
{
	char *s = NULL;
	int ret = -1;

	switch (field) {
	case GVB_MF_MACHINE:
		/* Files from before arch was recorded keep their old line. */
		if (strcmp(m->arch, "unknown") && m->arch[0])
			ret = asprintf(&s, "%s (%s), %u cores", m->cpu_model, m->arch, m->cores);
		else
			ret = asprintf(&s, "%s, %u cores", m->cpu_model, m->cores);
		break;
	case GVB_MF_KERNEL:
		ret = asprintf(&s, "%s", m->kernel);
		break;
	case GVB_MF_BACKEND:
		ret = asprintf(&s, "%s (%s), gvbench %s", m->backend, m->backend_mode,
			       m->tool_version);
		break;
	case GVB_MF_COMMAND:
		ret = asprintf(&s, "%s", m->command);
		break;
	case GVB_MF_COMPILER:
		ret = asprintf(&s, "%s", m->compiler);
		break;
	case GVB_MF_DATE:
		ret = asprintf(&s, "%s", m->date);
		break;
	case GVB_MF_MODE:
		ret = asprintf(&s, "%s", m->mode);
		break;
	case GVB_MF_HARNESS:
		if (isfinite(m->harness_ns_per_op))
			ret = asprintf(&s, "%.2f ns/op", m->harness_ns_per_op);
		else
			ret = asprintf(&s, "not measured");
		break;
	case GVB_MF_PERF:
		ret = asprintf(&s, "%s", m->perf_note);
		break;
	}
	return ret < 0 ? NULL : s;
}

char *gvb_rset_field(const struct gvb_rset *s, enum gvb_meta_field field)
{
	char *out = NULL, *v;
	size_t len = 0;
	unsigned int f, g;

	for (f = 0; f < s->nfiles; f++) {
		bool seen = false;

		v = meta_field(&s->results[f].meta, field);
		if (!v)
			goto oom;
		for (g = 0; g < f && !seen; g++) {
			char *w = meta_field(&s->results[g].meta, field);

			if (!w) {
				free(v);
				goto oom;
			}
			seen = !strcmp(v, w);
			free(w);
		}
		if (!seen && *v) {
			char *n = realloc(out, len + strlen(v) + 3);

			if (!n) {
				free(v);
				goto oom;
			}
			out = n;
			len += sprintf(out + len, "%s%s", len ? "; " : "", v);
		}
		free(v);
	}
	return out ? out : strdup("");
oom:
	free(out);
	return NULL;
}

int gvb_parse_alpha(const char *s, double *alpha)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 0.5))
		return -1;
	*alpha = v;
	return 0;
}

/* ---------------------------------------------------------- statistics */

int gvb_case_values(const struct gvb_case *c, enum gvb_metric metric, double **x,
		    unsigned int *n)
{
	const double *src = metric == GVB_METRIC_NS ? c->ns_per_op :
			    metric == GVB_METRIC_CPU ? c->cpu_ns_per_op : c->ops_per_sec;
	unsigned int i;

	*n = 0;
	*x = malloc((c->nsamples ? c->nsamples : 1) * sizeof(**x));
	if (!*x)
		return -ENOMEM;
	for (i = 0; src && i < c->nsamples; i++)
		if (isfinite(src[i]))
			(*x)[(*n)++] = src[i];
	return 0;
}

int gvb_delta_compute(const struct gvb_case *base, const struct gvb_case *new,
		      enum gvb_metric metric, double alpha, bool paired, struct gvb_delta *d)
{
	const double *src_b = metric == GVB_METRIC_NS ? base->ns_per_op :
			      metric == GVB_METRIC_CPU ? base->cpu_ns_per_op : base->ops_per_sec;
	const double *src_n = metric == GVB_METRIC_NS ? new->ns_per_op :
			      metric == GVB_METRIC_CPU ? new->cpu_ns_per_op : new->ops_per_sec;
	double *a = NULL, *b = NULL;
	struct gvb_estimate e;
	unsigned int na, nb;
	int ret;

	memset(d, 0, sizeof(*d));
	d->delta = d->pct = d->ci_lo = d->ci_hi = d->p = NAN;
	ret = gvb_case_values(base, metric, &a, &na);
	if (!ret)
		ret = gvb_case_values(new, metric, &b, &nb);
	if (ret)
		goto out;
	/* n == 0 gives -EINVAL and an all-NaN summary: printed as "-". */
	if (gvb_stats_summary(a, na, &d->base) == -ENOMEM ||
	    gvb_stats_summary(b, nb, &d->new) == -ENOMEM) {
		ret = -ENOMEM;
		goto out;
	}
	/* Paired on the raw arrays: sample i of both is round i. */
	if (paired && src_b && src_n && base->nsamples == new->nsamples)
		ret = gvb_estimate(src_b, base->nsamples, src_n, new->nsamples, true, &e);
	else
		ret = gvb_estimate(a, na, b, nb, false, &e);
	if (ret)
		goto out;
	d->design = e.design;
	d->delta = e.delta;
	d->pct = 100.0 * e.delta / d->base.median;
	d->ci_lo = e.ci_lo;
	d->ci_hi = e.ci_hi;
	d->p = e.p;
	d->n = e.n;
	d->significant = gvb_significant(d->p, alpha);
out:
	free(a);
	free(b);
	return ret;
}

bool gvb_case_pairs_with(const struct gvb_case *a, const struct gvb_case *b)
{
	char ka[160], kb[160];

	if (a->nsamples != b->nsamples || !a->nsamples)
		return false;
	if (a->group >= 0 || b->group >= 0)
		return a->group == b->group;
	return !gvb_name_without_strategy(ka, sizeof(ka), a->name) &&
	       !gvb_name_without_strategy(kb, sizeof(kb), b->name) && !strcmp(ka, kb);
}

static int rset_file_of(const struct gvb_rset *s, const struct gvb_case *c)
{
	unsigned int i;

	for (i = 0; i < s->ncases; i++)
		if (s->cases[i] == c)
			return (int)s->case_file[i];
	return -1;
}

bool gvb_rset_paired(const struct gvb_rset *s, const struct gvb_case *a, const struct gvb_case *b)
{
	int fa = rset_file_of(s, a);

	return fa >= 0 && fa == rset_file_of(s, b) && gvb_case_pairs_with(a, b);
}

double gvb_rset_alpha(const struct gvb_rset *s)
{
	double alpha = NAN;
	unsigned int i;

	for (i = 0; i < s->nfiles; i++) {
		double a = s->results[i].meta.alpha;

		if (!(a > 0 && a <= 0.5) || (i && a != alpha))
			return 0.05;
		alpha = a;
	}
	return s->nfiles ? alpha : 0.05;
}

int gvb_delta_verdict(const struct gvb_delta *d)
{
	if (!d->significant || isnan(d->delta) || d->delta == 0)
		return 0;
	return d->delta > 0 ? 1 : -1;
}

/* ----------------------------------------------------------- formatting */

void gvb_fmt_p(char *buf, size_t len, double p, double alpha)
{
	int prec;

	if (isnan(p)) {
		snprintf(buf, len, "?");
		return;
	}
	/*
	 * The printed value must fall on the same side of alpha as p, and may
	 * equal alpha only if p does: "p=0.050" next to a significant delta
	 * would read as a contradiction of p < alpha.
	 */
	for (prec = 3; prec <= 8; prec++) {
		double r;

		snprintf(buf, len, "%.*f", prec, p);
		r = strtod(buf, NULL);
		if ((r < alpha) == (p < alpha) && (r != alpha || p == alpha))
			return;
	}
	snprintf(buf, len, "%.3g", p);
}

static const struct gvb_unit gvb_units[] = {
	{ "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 }, { "ns", 1 },
};

const struct gvb_unit *gvb_unit_for(double ns)
{
	unsigned int i;

	for (i = 0; i < sizeof(gvb_units) / sizeof(gvb_units[0]) - 1; i++)
		if (fabs(ns) >= gvb_units[i].ns)
			return &gvb_units[i];
	return &gvb_units[i];
}

void gvb_fmt_time(char *buf, size_t len, double ns, const struct gvb_unit *u, bool sign)
{
	double v, av;
	int prec;

	if (!isfinite(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	v = ns / u->ns;
	av = fabs(v);
	prec = av >= 999.95 ? 0 : av >= 99.995 ? 1 : av >= 9.9995 ? 2 : 3;
	snprintf(buf, len, sign ? "%+.*f%s" : "%.*f%s", prec, v, u->name);
}

void gvb_fmt_time3(char *buf, size_t len, double ns, bool sign)
{
	const struct gvb_unit *u = gvb_unit_for(ns);
	double v = ns / u->ns, av = fabs(v);
	int prec;

	if (!isfinite(ns)) {
		snprintf(buf, len, "-");
		return;
	}
	prec = av >= 99.95 ? 0 : av >= 9.995 ? 1 : 2;
	snprintf(buf, len, sign ? "%+.*f%s" : "%.*f%s", prec, v, u->name);
}

void gvb_fmt_ci_pct(char *buf, size_t len, const struct gvb_summary *s)
{
	double lo = s->median - s->ci_lo, hi = s->ci_hi - s->median, pct;

	if (isnan(s->ci_lo) || isnan(s->ci_hi) || !(s->median > 0)) {
		snprintf(buf, len, "?");
		return;
	}
	/* benchstat's convention: the larger of the two half-widths. */
	pct = 100.0 * (lo > hi ? lo : hi) / s->median;
	snprintf(buf, len, pct < 9.95 ? "%.1f%%" : "%.0f%%", pct);
}

/* Strings from result files go into mail: ASCII printable only. */
static char *ascii_dup(const char *s)
{
	char *d = strdup(s ? s : ""), *p;

	for (p = d; p && *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return d;
}

void gvb_print_wrapped(FILE *f, const char *first, const char *cont, const char *text,
		       bool shell)
{
	char *copy = ascii_dup(text), *p = copy;
	const char *prefix = first;

	if (!copy)
		return;
	while (*p == ' ')
		p++;
	for (;;) {
		size_t plen = strlen(prefix), rest = strlen(p), avail, cut = 0, i;
		bool hard = false;

		if (plen + rest <= GVB_TEXT_WIDTH || plen + (shell ? 3 : 1) >= GVB_TEXT_WIDTH) {
			fprintf(f, "%s%s\n", prefix, p);
			break;
		}
		avail = GVB_TEXT_WIDTH - plen - (shell ? 2 : 0);
		for (i = avail; i > 0; i--) {
			if (p[i] == ' ') {
				cut = i;
				break;
			}
		}
		if (!cut) {
			cut = avail;
			hard = true;
		}
		if (hard && shell) {
			/*
			 * A backslash-newline inside a word joins the halves
			 * in a shell, but only if the next line is not
			 * indented.
			 */
			fprintf(f, "%s%.*s\\\n", prefix, (int)cut, p);
			prefix = "";
		} else {
			fprintf(f, "%s%.*s%s\n", prefix, (int)cut, p, shell ? " \\" : "");
			prefix = cont;
		}
		p += cut;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
	}
	free(copy);
}

/* ----------------------------------------------------------- case names */

void gvb_name_group(char *buf, size_t len, const char *name)
{
	const char *slash = strchr(name, '/');

	if (!slash)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%.*s", (int)(slash - name), name);
}

const char *gvb_name_rest(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash ? slash + 1 : name;
}

/*
 * The strategy component of a case name: the one just before the thread
 * component "tN" (or "tN#tag"), whatever stands around them: an engine before it in a run
 * of several engines, calibrate's pair tag after "tN". NULL if there is none.
 */
static const char *gvb_name_strategy(const char *name, size_t *n)
{
	const char *prev = NULL, *p = name;

	while (p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		size_t d = len > 1 && p[0] == 't' ? strspn(p + 1, "0123456789") : 0;

		if (prev && prev != name && d && (d == len - 1 || p[1 + d] == '#')) {
			*n = strcspn(prev, "/");
			return prev;
		}
		prev = p;
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

void gvb_case_label(char *buf, size_t len, const struct gvb_case *c)
{
	size_t n;
	const char *s = gvb_name_strategy(c->name, &n);

	if (s)
		snprintf(buf, len, "%.*s", (int)n, s);
	else
		snprintf(buf, len, "%s", c->strategy);
}

int gvb_name_without_strategy(char *buf, size_t len, const char *name)
{
	size_t n;
	const char *s = gvb_name_strategy(name, &n);

	if (!s)
		return -1;
	/* The "/" before the strategy stays; the strategy and the "/" after it go. */
	snprintf(buf, len, "%.*s%s", (int)(s - name), name, s + n + 1);
	return 0;
}

const struct gvb_case *gvb_rset_base_of(const struct gvb_rset *s, const char *label,
					const struct gvb_case *c)
{
	char key[160], k2[160], l[64];
	unsigned int i;

	if (gvb_name_without_strategy(key, sizeof(key), c->name))
		return NULL;
	for (i = 0; i < s->ncases; i++) {
		const struct gvb_case *b = s->cases[i];

		gvb_case_label(l, sizeof(l), b);
		if (!strcmp(l, label) &&
		    !gvb_name_without_strategy(k2, sizeof(k2), b->name) && !strcmp(key, k2))
			return b;
	}
	return NULL;
}
