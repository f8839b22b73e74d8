/*
 * alloc.h: arrays that grow, git's ALLOC_GROW.
 *
 *	ALLOC_GROW(l->v, l->n + 1, l->cap);
 *	l->v[l->n++] = x;
 *
 * makes room for NR elements in the array X of capacity ALLOC (both size_t),
 * moving it when it must: half as much again, at least NR. The size in bytes
 * is checked for overflow. Out of memory ends the program (status 125), as
 * xrealloc does: sites that grow an array never fail. Afterwards X is never
 * NULL, even where ALLOC outlived an array freed by hand.
 */
#ifndef CLAW_ALLOC_H
#define CLAW_ALLOC_H

#include <stddef.h>

/* xrealloc(P, N * SIZE), the product checked: one that does not fit a size_t ends the
 * program (status 125), as out of memory does. */
void *xreallocarray(void *p, size_t n, size_t size) __attribute__((returns_nonnull));

/* The capacity after ALLOC when NR elements must fit: ALLOC + ALLOC / 2 + 16, at least NR. */
size_t alloc_nr(size_t alloc, size_t nr);

#define ALLOC_GROW(x, nr, alloc)                                                                   \
	do {                                                                                       \
		if ((nr) > (alloc) || (x) == NULL) {                                               \
			(alloc) = alloc_nr((alloc), (nr));                                         \
			(x) = xreallocarray((x), (alloc), sizeof(*(x)));                           \
		}                                                                                  \
	} while (0)

#endif
