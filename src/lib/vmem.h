/* vmem.h - big arrays that grow in place.
 *
 * An array of millions of records (the aggregator's client records) is given address space for
 * the most it may ever hold, reserved once; the kernel backs it with memory only where it is
 * written. Growing it is then free: nothing is moved or copied. Where the system has transparent
 * huge pages, the reservation is aligned to 2 MiB and asks for them, so filling the array takes
 * one page fault per 2 MiB instead of one per 4 KiB (on a 2M-line log that was about 6% of the
 * ingest's CPU time). The caller owns the reservation and gives it back with ac__vmem_release();
 * ac__vmem_trim() gives back the memory past a prefix, keeping the addresses. Thread-safe (no
 * state of its own).
 */
#ifndef AC_VMEM_H
#define AC_VMEM_H

#include <stddef.h>

/* Address space for `max` bytes, zeroed when first read or written. NULL when it cannot be had. */
void *ac__vmem_reserve(size_t max);

/* Give the memory of p[keep .. max) back to the system; it reads as zeroes again afterwards. */
void ac__vmem_trim(void *p, size_t keep, size_t max);

/* Give the whole reservation back (p from ac__vmem_reserve(max)). NULL is a no-op. */
void ac__vmem_release(void *p, size_t max);

#endif
