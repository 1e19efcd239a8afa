/* arena.h - a bump allocator with a hard size cap, for one spec load / log batch / request.
 *
 * Everything allocated from an arena lives until ac__arena_free() (or ac__arena_reset()); nothing
 * is freed piece by piece. The cap bounds what hostile input can make us allocate: once reached,
 * allocations return NULL and the caller reports AC_ELIMIT or AC_ENOMEM. Not thread-safe: one
 * arena per thread of work.
 */
#ifndef AC_ARENA_H
#define AC_ARENA_H

#include <stddef.h>

struct ac_arena;

/* New arena that will hand out at most `cap` bytes in total (0 means 1 GiB). NULL on ENOMEM.
 * The caller owns it and frees it with ac__arena_free(). */
struct ac_arena *ac__arena_new(size_t cap);

/* Free the arena and everything allocated from it. NULL is a no-op. */
void ac__arena_free(struct ac_arena *a);

/* Forget every allocation but keep the first block for reuse. */
void ac__arena_reset(struct ac_arena *a);

/* `size` bytes aligned for any object, zeroed. NULL when the cap is reached or malloc fails;
 * ac__arena_exhausted() tells which. Borrowed from the arena. */
void *ac__arena_alloc(struct ac_arena *a, size_t size);

/* Copy of s[0..len) with a terminating NUL, borrowed from the arena. NULL as ac__arena_alloc. */
char *ac__arena_strndup(struct ac_arena *a, const char *s, size_t len);

/* True when an allocation failed because the cap was reached (not because malloc failed). */
int ac__arena_exhausted(const struct ac_arena *a);

/* Bytes handed out so far (for limits and statistics). */
size_t ac__arena_used(const struct ac_arena *a);

#endif
