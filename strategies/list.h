/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Every strategy, one line each, in the order `gvbench list` shows them.
 * GVB_STRATEGY(x) names the const struct gvb_strategy_ops gvb_strategy_x
 * that strategies/x.c defines. Includers define GVB_STRATEGY() first; this
 * file expands it once per line and undefines it. The build picks up every
 * .c file of strategies/ by itself, so a new strategy is its file plus its line here.
 */
GVB_STRATEGY(resv)
GVB_STRATEGY(resv_gpuva)
GVB_STRATEGY(gpuva)
GVB_STRATEGY(gpuva_deferred)
GVB_STRATEGY(broken)

#undef GVB_STRATEGY
