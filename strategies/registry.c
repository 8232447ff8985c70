// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The strategy registry, generated from strategies/list.h.
 */
#include "gvb_strategy.h"

const struct gvb_strategy_ops *const gvb_strategies[] = {
#define GVB_STRATEGY(x)	&gvb_strategy_##x,
#include "list.h"
	NULL,
};

const struct gvb_strategy_ops *gvb_strategy_find(const char *name)
{
	const struct gvb_strategy_ops *const *s;

	for (s = gvb_strategies; *s; s++)
		if (!strcmp((*s)->name, name))
			return *s;
	return NULL;
}

void gvb_strategy_names(char *buf, size_t len, bool include_broken)
{
	const struct gvb_strategy_ops *const *s;
	size_t used = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (s = gvb_strategies; *s; s++) {
		int n;

		if (((*s)->flags & GVB_STRATEGY_BROKEN) && !include_broken)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", (*s)->name);
		if (n < 0 || (size_t)n >= len - used)
			return;
		used += n;
	}
}
