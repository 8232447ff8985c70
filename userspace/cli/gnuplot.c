// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Running gnuplot for gvbench plot: finding the scripts, quoting -e
 * settings, and one gnuplot process per script.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/gnuplot.h"

bool gvb_is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

bool gvb_in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, buf[PATH_MAX];
	bool found = false;

	if (!path || !(copy = strdup(path)))
		return false;
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, sizeof(buf), "%s/%s", *dir ? dir : ".", prog);
		found = gvb_is_file(buf) && !access(buf, X_OK);
	}
	free(copy);
	return found;
}

/*
 * The scripts: $GVB_PLOT_DIR, then the source tree this binary was built
 * from (-DGVB_PLOT_DIR), then beside the binary (an installed layout).
 */
int gvb_find_plot_dir(char *buf, size_t len, char *err, size_t errlen)
{
	static char rel[PATH_MAX + 32];
	char exe[PATH_MAX], check[PATH_MAX + 64], tried[1024] = "";
	const char *cands[4];
	unsigned int n = 0, i;
	ssize_t r;

	if (getenv("GVB_PLOT_DIR") && *getenv("GVB_PLOT_DIR"))
		cands[n++] = getenv("GVB_PLOT_DIR");
#ifdef GVB_PLOT_DIR
	cands[n++] = GVB_PLOT_DIR;
#endif
	r = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (r > 0) {
		exe[r] = '\0';
		snprintf(rel, sizeof(rel), "%s/../share/gpuvm-bench/plot", dirname(exe));
		cands[n++] = rel;
	}
	for (i = 0; i < n; i++) {
		snprintf(check, sizeof(check), "%s/%s", cands[i], PLOT_SCRIPT_CHECK);
		if (gvb_is_file(check)) {
			snprintf(buf, len, "%s", cands[i]);
			return 0;
		}
		snprintf(tried + strlen(tried), sizeof(tried) - strlen(tried), "%s%s",
			 i ? ", " : "", cands[i]);
	}
	snprintf(err, errlen, "plot scripts not found (looked in %s); set GVB_PLOT_DIR to the plot/ directory of the source tree",
		 tried);
	return -ENOENT;
}

/* A gnuplot single-quoted string: '' is a quote, nothing else is special. */
int gvb_gp_str(char **out, size_t *len, const char *var, const char *val)
{
	size_t need = strlen(var) + 2 * strlen(val) + 8;
	char *n = realloc(*out, *len + need), *p;

	if (!n)
		return -ENOMEM;
	*out = n;
	p = n + *len;
	p += sprintf(p, "%s='", var);
	for (; *val; val++) {
		if (*val == '\'')
			*p++ = '\'';
		*p++ = (unsigned char)*val < ' ' ? ' ' : *val;
	}
	p += sprintf(p, "'; ");
	*len = p - n;
	return 0;
}

int gvb_run_gnuplot(const char *settings, const char *script, char *err, size_t errlen)
{
	char *argv[] = { "gnuplot", "-e", (char *)settings, (char *)script, NULL };
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -errno;
	}
	if (!pid) {
		execvp("gnuplot", argv);
		fprintf(stderr, "%s: gnuplot: %s\n", gvb_prog, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -errno;
		}
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "gnuplot failed on %s (exit status %d)", script,
			 WEXITSTATUS(status));
	else
		snprintf(err, errlen, "gnuplot killed by signal %d on %s", WTERMSIG(status),
			 script);
	return -EIO;
}

bool gvb_words_has(const struct gvb_words *w, const char *s)
{
	size_t n = strlen(s);
	const char *p = w->buf;

	while (p && (p = strstr(p, s))) {
		if ((p == w->buf || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

int gvb_words_add(struct gvb_words *w, const char *s)
{
	char *n;

	if (gvb_words_has(w, s))
		return 0;
	n = realloc(w->buf, w->len + strlen(s) + 2);
	if (!n)
		return -ENOMEM;
	w->buf = n;
	w->len += sprintf(w->buf + w->len, "%s%s", w->len ? " " : "", s);
	w->n++;
	return 0;
}

/* gnuplot reads "NaN" as not-a-number: a point it leaves out. */
void gvb_gp_num(FILE *f, double v, bool last)
{
	if (isfinite(v))
		fprintf(f, "%.9g%s", v, last ? "\n" : ",");
	else
		fprintf(f, "NaN%s", last ? "\n" : ",");
}

FILE *gvb_gp_open_csv(const char *dir, const char *name, char *path, size_t plen, char *err,
		      size_t errlen)
{
	FILE *f;

	snprintf(path, plen, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return f;
}

int gvb_gp_close_csv(FILE *f, const char *path, char *err, size_t errlen)
{
	if (ferror(f) | fclose(f)) {
		snprintf(err, errlen, "%s: write error", path);
		return -EIO;
	}
	return 0;
}
