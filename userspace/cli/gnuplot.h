/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * gnuplot for gvbench plot (plot.c), which runs the scripts in plot/.
 */
#ifndef GVB_GNUPLOT_H
#define GVB_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A script every plot directory has: how find_plot_dir recognizes one. */
#define PLOT_SCRIPT_CHECK	"throughput.gp"

bool gvb_is_file(const char *path);
/* @prog is an executable somewhere in $PATH. */
bool gvb_in_path(const char *prog);
/* The directory of the plot scripts into @buf; -ENOENT with @err set if none. */
int gvb_find_plot_dir(char *buf, size_t len, char *err, size_t errlen);
/* Appends VAR='VAL'; (gnuplot -e syntax) to *@out of length *@len, growing it; 0 or -ENOMEM. */
int gvb_gp_str(char **out, size_t *len, const char *var, const char *val);
/* Runs gnuplot on @script with @settings; 0, or nonzero with @err set. */
int gvb_run_gnuplot(const char *settings, const char *script, char *err, size_t errlen);

/* A space-separated word list for gnuplot's "for [w in list]". */
struct gvb_words {
	char *buf;
	size_t len;
	unsigned int n;
};
bool gvb_words_has(const struct gvb_words *w, const char *s);
/* Appends @s unless it is there already; 0 or -ENOMEM. */
int gvb_words_add(struct gvb_words *w, const char *s);

/* The CSV files the scripts read: a number ("NaN" for none), then "," or the end of line. */
void gvb_gp_num(FILE *f, double v, bool last);
/* DIR/NAME for writing, its path in @path; NULL with @err set. */
FILE *gvb_gp_open_csv(const char *dir, const char *name, char *path, size_t plen, char *err,
		      size_t errlen);
/* Closes @f: 0, or -EIO with @err set if anything failed to write. */
int gvb_gp_close_csv(FILE *f, const char *path, char *err, size_t errlen);

#endif /* GVB_GNUPLOT_H */
