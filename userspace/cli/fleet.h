/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Several result sets read as a fleet of machines, for the fleet report
 * (report_fleet.c) and the fleet plot (plot_fleet.c). A machine is
 * (architecture, CPU, kernel, backend, engine): the files' meta and each
 * case's engine. Its cases stay a set of their own, answered by the
 * one-machine report's code (struct rep_answer): samples are never pooled
 * across machines. Two arguments from one machine are two machines here,
 * told apart by where they came from.
 */
#ifndef GVB_CLI_FLEET_H
#define GVB_CLI_FLEET_H

#include "cli/report.h"

struct fleet_machine {
	unsigned int arg;		/* which argument it came from */
	const struct gvb_meta *m;	/* of its first case's file */
	const char *engine;
	struct rep_ctx x;		/* x.s: a view of its cases in the argument's set */
	struct rep_answer a;
	bool answered;			/* has a resv case: the report's rows exist */
	int same_as;			/* an earlier machine with the same key, or -1 */
	char id[12];
};

struct fleet {
	struct gvb_rset *sets;
	unsigned int nsets;
	struct fleet_machine *mach;
	unsigned int nmach;
	char **labels;			/* every strategy of any answer, in report order */
	unsigned int nlabels;
};

/*
 * Reads every path as a result set and splits each into its machines;
 * @alpha where @alpha_set, else each set's own. 0, or -1 with one line in
 * @err (the path's error, or out of memory).
 */
int gvb_fleet_load(struct fleet *f, char **paths, unsigned int npaths, double alpha,
		   bool alpha_set, char *err, size_t errlen);
void gvb_fleet_free(struct fleet *f);

/*
 * The quantities of the answer, in order: the cost of one extra gpuva
 * acquisition, deferred put against immediate mode, then each of
 * f->labels[] against resv (GVB_FQ_STRATEGY + k).
 */
enum { GVB_FQ_PER_ACQ, GVB_FQ_DF_IM, GVB_FQ_STRATEGY };
/* What machine @fm has for quantity @q, or NULL with the reason in *@why. */
const struct gvb_delta *gvb_fleet_quantity(const struct fleet *f, const struct fleet_machine *fm,
					   unsigned int q, const char **why);

/* plot_fleet.c: gvbench plot over several sets; @term NULL: png and svg. Exit status. */
int gvb_plot_fleet(char **paths, unsigned int npaths, const char *outdir, const char *term,
		   double alpha, bool alpha_set);

#endif /* GVB_CLI_FLEET_H */
