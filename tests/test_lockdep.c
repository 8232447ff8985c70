// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Negative tests: a list or tree operation without the lock its strategy
 * requires must trip the lockdep-style assertion. Each case runs in a
 * forked child, which must die by SIGABRT after printing "lockdep:". The
 * same calls made with the lock held must pass (so the test cannot pass
 * just because everything aborts).
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gvb_strategy.h"
#include "gvb_test.h"

enum lockdep_case { LINK_WITHOUT_LIST_LOCK, INSERT_WITHOUT_VM_LOCK, PUT_WITHOUT_RESV };
static const char *const case_names[] = { "va_link without the list lock",
					  "va_insert without the VM serialization",
					  "vm_bo put without the resv" };

struct fixture {
	struct gvb_vm *vm;
	struct gvb_bo *bo;
	struct gvb_vm_bo *vm_bo;
	struct gvb_va *va;
};

static void setup(struct fixture *f, const struct gvb_strategy_ops *ops)
{
	f->vm = gvb_vm_create(ops, &gvb_pt_arm_lpae_s1, 0, SZ_1G, 0);
	f->bo = gvb_bo_create(ops, SZ_2M, NULL);
	f->va = gvb_va_alloc();
	if (!f->vm || !f->bo || !f->va)
		exit(3);
	f->va->addr = 0;
	f->va->range = GVB_PAGE;
	f->va->bo = f->bo;
	/*
	 * Obtained legitimately: under the resv, the list lock taken inside;
	 * immediate mode obtains a preallocated vm_bo.
	 */
	dma_resv_lock(f->bo->resv, NULL);
	if (ops->flags & GVB_STRATEGY_IMMEDIATE) {
		f->vm_bo = gvb_vm_bo_alloc(f->vm, f->bo);
		if (f->vm_bo)
			f->vm_bo = gvb_vm_bo_obtain_prealloc(f->vm_bo);
	} else {
		f->vm_bo = gvb_vm_bo_obtain(f->vm, f->bo);
	}
	dma_resv_unlock(f->bo->resv);
	if (!f->vm_bo)
		exit(3);
}

/* Runs in the child. Returns only if no assertion fired. */
static void do_case(const struct gvb_strategy_ops *ops, enum lockdep_case c, bool locked)
{
	struct fixture f;

	setup(&f, ops);
	switch (c) {
	case LINK_WITHOUT_LIST_LOCK:
		if (locked)
			gvb_bo_lock_lists(f.bo);
		gvb_va_link(f.va, f.vm_bo);
		gvb_va_unlink(f.va);
		if (locked)
			gvb_bo_unlock_lists(f.bo);
		break;
	case INSERT_WITHOUT_VM_LOCK:
		if (locked)
			gvb_vm_serialize(f.vm);
		gvb_va_insert(f.vm, f.va);
		gvb_va_remove(f.vm, f.va);
		if (locked)
			gvb_vm_unserialize(f.vm);
		break;
	case PUT_WITHOUT_RESV:
		/* Take a second reference so the put below is not the last. */
		gvb_bo_lock_lists(f.bo);
		kref_get(&f.vm_bo->ref);
		gvb_bo_unlock_lists(f.bo);
		if (locked)
			dma_resv_lock(f.bo->resv, NULL);
		gvb_vm_bo_put(f.vm_bo);
		if (locked)
			dma_resv_unlock(f.bo->resv);
		break;
	}
}

static int run_child(const struct gvb_strategy_ops *ops, enum lockdep_case c, bool locked)
{
	int pipefd[2], status;
	pid_t pid;

	if (pipe(pipefd))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], STDERR_FILENO);
		do_case(ops, c, locked);
		_exit(0);
	}
	close(pipefd[1]);
	{
		char buf[4096] = { 0 };
		ssize_t n = read(pipefd[0], buf, sizeof(buf) - 1);

		while (n > 0 && read(pipefd[0], buf + sizeof(buf) / 2, sizeof(buf) / 2 - 1) > 0)
			;
		close(pipefd[0]);
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			return 0;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT && strstr(buf, "lockdep:"))
			return 1;
		fprintf(stderr, "child status %#x, output: %s\n", status, buf);
		return -1;
	}
}

int main(void)
{
	const struct gvb_strategy_ops *const *s;
	unsigned int c;

	if (gvb_core_init())
		return 2;
	for (s = gvb_strategies; *s; s++) {
		for (c = 0; c < ARRAY_SIZE(case_names); c++) {
			/* Immediate strategies take the gpuva mutex inside the put. */
			bool expect_trip = !(c == PUT_WITHOUT_RESV &&
					     ((*s)->flags & GVB_STRATEGY_IMMEDIATE));
			int unlocked = run_child(*s, c, false);
			int locked = run_child(*s, c, true);

			CHECK(unlocked == (expect_trip ? 1 : 0), "%s: %s: got %d", (*s)->name,
			      case_names[c], unlocked);
			CHECK(locked == 0, "%s: %s with the lock held: got %d", (*s)->name,
			      case_names[c], locked);
		}
	}
	gvb_core_exit();
	return gvb_test_done("test_lockdep");
}
