/* vmem.c - big arrays that grow in place (see vmem.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise() (not in POSIX 2008) */
#include "vmem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE ((size_t)2 * 1024 * 1024)

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) / to * to;
}

/* The reservation's length: whole huge pages, so that its end is aligned too. */
static size_t span(size_t max)
{
    return round_up(max != 0 ? max : 1, HUGE_PAGE);
}

void *ac__vmem_reserve(size_t max)
{
    size_t len = span(max), head, tail;
    char *p, *aligned;

    if (len < max || len + HUGE_PAGE < len)
        return NULL;
    /* One huge page more than asked, so that an aligned start lies inside; the excess at either
     * end is unmapped again. */
    p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    aligned = (char *)round_up((size_t)(uintptr_t)p, HUGE_PAGE);
    head = (size_t)(aligned - p);
    tail = HUGE_PAGE - head;
    if (head > 0)
        (void)munmap(p, head);
    if (tail > 0)
        (void)munmap(aligned + len, tail);
#ifdef MADV_HUGEPAGE
    (void)madvise(aligned, len, MADV_HUGEPAGE); /* advice only: small pages otherwise */
#endif
    return aligned;
}

void ac__vmem_trim(void *p, size_t keep, size_t max)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), from = round_up(keep, page), len = span(max);

    if (p != NULL && from < len)
        (void)madvise((char *)p + from, len - from, MADV_DONTNEED);
}

void ac__vmem_release(void *p, size_t max)
{
    if (p != NULL)
        (void)munmap(p, span(max));
}
