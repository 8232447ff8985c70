// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The split/merge walk. It decides the steps; the callbacks apply them.
 *
 * Facts pinned down by the recordings in tests/data/ (Linux 7.3.4):
 * only VAs overlapping the request are visited, in ascending address
 * order; touching neighbours are never merged, whatever their BO and
 * offset; keep means "same BO and same offset - address as the request"
 * and is always false for an unmap request; and an exact re-map still
 * unmaps the old VA (keep = true) before the map.
 */
#include "gvb_core.h"

static int gvb_sm_walk(struct gvb_vm *vm, u64 addr, u64 range, const struct gvb_op_map *req,
		       const struct gvb_sm_ops *ops, void *priv)
{
	u64 req_end = addr + range;
	struct gvb_va *va, *next;

	for (va = gvb_va_first(vm, addr, range); va; va = next) {
		u64 va_end = va->addr + va->range;
		struct gvb_op_map prev_piece, next_piece;
		struct gvb_op_unmap unmap = { .va = va };
		struct gvb_op_remap remap = { .unmap = &unmap };
		int ret;

		/* Fetched before the step, which removes va from the tree. */
		next = gvb_va_next(vm, va, addr, range);

		/*
		 * Offsets are compared as offset - address in u64 arithmetic,
		 * which wraps identically on both sides, so no sign handling.
		 */
		unmap.keep = req && va->bo == req->bo &&
			     va->offset - va->addr == req->offset - req->addr;

		if (va->addr < addr) {
			prev_piece = (struct gvb_op_map) {
				.addr = va->addr,
				.range = addr - va->addr,
				.offset = va->offset,
				.bo = va->bo,
			};
			remap.prev = &prev_piece;
		}
		if (va_end > req_end) {
			next_piece = (struct gvb_op_map) {
				.addr = req_end,
				.range = va_end - req_end,
				.offset = va->offset + (req_end - va->addr),
				.bo = va->bo,
			};
			remap.next = &next_piece;
		}

		if (remap.prev || remap.next)
			ret = ops->step_remap(priv, &remap);
		else
			ret = ops->step_unmap(priv, &unmap);
		if (ret)
			return ret;
	}

	return req ? ops->step_map(priv, req) : 0;
}

int gvb_sm_map(struct gvb_vm *vm, const struct gvb_op_map *req, const struct gvb_sm_ops *ops,
	       void *priv)
{
	return gvb_sm_walk(vm, req->addr, req->range, req, ops, priv);
}

int gvb_sm_unmap(struct gvb_vm *vm, u64 addr, u64 range, const struct gvb_sm_ops *ops,
		 void *priv)
{
	return gvb_sm_walk(vm, addr, range, NULL, ops, priv);
}
