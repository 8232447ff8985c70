// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * gvbench report: the closing setup (machine, kernel, samples) and the
 * commands that reproduce the result and this report.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"
#include "result/resultset.h"
#include "result/meta.h"

/* "-o X", "--output X" or "--output=X" in a recorded command, or NULL. */
static char *command_output(const char *cmd)
{
	char *copy = strdup(cmd), *tok, *save = NULL, *out = NULL;
	bool next = false;

	if (!copy)
		return NULL;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (next) {
			out = strdup(tok);
			break;
		}
		if (!strcmp(tok, "-o") || !strcmp(tok, "--output"))
			next = true;
		else if (!strncmp(tok, "--output=", 9))
			out = strdup(tok + 9);
		else if (!strncmp(tok, "-o", 2) && tok[2])
			out = strdup(tok + 2);
		if (out)
			break;
	}
	free(copy);
	return out;
}

/* The gvbench the recorded command ran, so the reproducer uses the same path. */
static char *command_tool(const char *cmd)
{
	size_t n = strcspn(cmd, " ");

	if (n >= 7 && !strncmp(cmd + n - 7, "gvbench", 7))
		return strndup(cmd, n);
	return strdup("gvbench");
}

void gvb_report_print_setup(const struct rep_ctx *x)
{
	static const struct {
		const char *key;
		enum gvb_meta_field field;
	} fields[] = {
		{ "  machine:  ", GVB_MF_MACHINE },
		{ "  kernel:   ", GVB_MF_KERNEL },
		{ "  backend:  ", GVB_MF_BACKEND },
		{ "  compiler: ", GVB_MF_COMPILER },
		{ "  date:     ", GVB_MF_DATE },
		{ "  mode:     ", GVB_MF_MODE },
		{ "  harness:  ", GVB_MF_HARNESS },
		{ "  perf:     ", GVB_MF_PERF },
	};
	unsigned int i, lo = ~0u, hi = 0;
	char *v, *out = NULL, *tool, line[256];

	printf("\nSetup\n");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = gvb_rset_field(&x->s, fields[i].field);
		if (!v)
			return;
		if (fields[i].field == GVB_MF_HARNESS) {
			char *w;

			/* What the empty op costs is inside every ns/op above. */
			if (asprintf(&w, "%s (the empty workload; part of every ns/op above)",
				     v) >= 0) {
				free(v);
				v = w;
			}
		}
		if (*v)
			gvb_print_wrapped(stdout, fields[i].key, "            ", v, false);
		free(v);
	}
	for (i = 0; i < x->s.ncases; i++) {
		lo = x->s.cases[i]->nsamples < lo ? x->s.cases[i]->nsamples : lo;
		hi = x->s.cases[i]->nsamples > hi ? x->s.cases[i]->nsamples : hi;
	}
	if (x->s.ncases && lo == hi)
		snprintf(line, sizeof(line), "%u per case, cases interleaved in time", lo);
	else if (x->s.ncases)
		snprintf(line, sizeof(line), "%u to %u per case, cases interleaved in time", lo,
			 hi);
	if (x->s.ncases)
		gvb_print_wrapped(stdout, "  samples:  ", "            ", line, false);

	printf("\nReproduce\n");
	/* Each distinct command once, in file order: one per result file at most. */
	for (i = 0; i < x->s.nfiles; i++) {
		const char *cmd = x->s.results[i].meta.command;
		unsigned int j;

		for (j = 0; j < i; j++)
			if (!strcmp(cmd, x->s.results[j].meta.command))
				break;
		if (j == i && *cmd)
			gvb_print_wrapped(stdout, "  ", "      ", cmd, true);
	}
	if (x->s.nfiles == 1)
		out = command_output(x->s.results[0].meta.command);
	tool = command_tool(x->s.results[0].meta.command);
	if (tool) {
		snprintf(line, sizeof(line), "%s report %s", tool, out ? out : x->s.path);
		gvb_print_wrapped(stdout, "  ", "      ", line, true);
		snprintf(line, sizeof(line), "%s plot %s", tool, out ? out : x->s.path);
		gvb_print_wrapped(stdout, "  ", "      ", line, true);
	}
	free(tool);
	free(out);
}
