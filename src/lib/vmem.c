/* vmem.c - big arrays that grow in place (see vmem.h). */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, madvise() (not in POSIX 2008) */
#include "vmem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_NORESERVE
#define MAP_NORESERVE 0
#endif

/* n rounded up to whole pages (0 when that overflows). */
static size_t pages(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    return n > SIZE_MAX - page ? 0 : (n + page - 1) / page * page;
}

void *ac__vmem_reserve(size_t max)
{
    size_t len = pages(max != 0 ? max : 1);
    void *p;

    if (len == 0)
        return NULL;
    p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p != MAP_FAILED ? p : NULL;
}

void ac__vmem_trim(void *p, size_t keep, size_t max)
{
    size_t from = pages(keep), len = pages(max != 0 ? max : 1);

    if (p != NULL && from < len)
        (void)madvise((char *)p + from, len - from, MADV_DONTNEED);
}

void ac__vmem_release(void *p, size_t max)
{
    if (p != NULL)
        (void)munmap(p, pages(max != 0 ? max : 1));
}
