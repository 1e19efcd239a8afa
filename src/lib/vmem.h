/* vmem.h - big arrays that grow in place.
 *
 * An array of millions of records (the aggregator's client records) is given address space for
 * the most it may ever hold, reserved once; the kernel backs it with memory only where it is
 * written. Growing it is then free: nothing is moved or copied, and no doubling leaves a half
 * of it idle. The caller owns the reservation and gives it back with ac__vmem_release();
 * ac__vmem_trim() gives back the memory past a prefix, keeping the addresses. Thread-safe (no
 * state of its own).
 *
 * Small pages on purpose. Transparent huge pages (MADV_HUGEPAGE on a 2 MiB-aligned reservation)
 * took the 2M-line benchmark from 29,600 page faults to 11,800, but the first touch of a huge
 * page can be slow: on the benchmark machine (a VM) one of the two threads that scatter the
 * records into fresh memory stalled 25-35 ms in 5 of 6 runs, against 8-15 ms for both with
 * small pages, and the whole ingest was no faster (median 0.61 s against 0.58 s, 9 runs each).
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
