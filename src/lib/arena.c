/* arena.c - bump allocation in a chain of blocks, capped in total.
 *
 * Blocks grow geometrically (64 KiB, doubling up to 8 MiB) so a big spec needs few mallocs; an
 * allocation larger than the block size gets a block of its own. Invariant: `used` counts bytes
 * handed out and never exceeds `cap`.
 */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_FIRST_BLOCK (64u * 1024u)
#define ARENA_MAX_BLOCK (8u * 1024u * 1024u)
#define ARENA_ALIGN 16u

struct arena_block {
    struct arena_block *next;
    size_t size;
    size_t off;
    /* data follows, aligned */
};

struct ac_arena {
    struct arena_block *head;
    size_t cap;
    size_t used;
    size_t next_size;
    int exhausted;
};

static size_t block_header(void)
{
    return (sizeof(struct arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
}

struct ac_arena *ac__arena_new(size_t cap)
{
    struct ac_arena *a = calloc(1, sizeof(*a));

    if (a == NULL)
        return NULL;
    a->cap = cap != 0 ? cap : ((size_t)1 << 30);
    a->next_size = ARENA_FIRST_BLOCK;
    return a;
}

void ac__arena_free(struct ac_arena *a)
{
    struct arena_block *b, *next;

    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void ac__arena_reset(struct ac_arena *a)
{
    struct arena_block *b, *next;

    if (a == NULL || a->head == NULL)
        return;
    /* Keep the oldest block (the last in the chain), free the rest. */
    for (b = a->head; b->next != NULL; b = next) {
        next = b->next;
        free(b);
    }
    b->off = 0;
    a->head = b;
    a->used = 0;
    a->exhausted = 0;
}

void *ac__arena_alloc(struct ac_arena *a, size_t size)
{
    struct arena_block *b;
    size_t need, bsize;
    unsigned char *p;

    if (size == 0)
        size = 1;
    need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need < size || need > a->cap - a->used) {
        a->exhausted = 1;
        return NULL;
    }
    b = a->head;
    if (b == NULL || b->size - b->off < need) {
        bsize = a->next_size;
        if (bsize < need)
            bsize = need;
        b = malloc(block_header() + bsize);
        if (b == NULL)
            return NULL;
        b->size = bsize;
        b->off = 0;
        b->next = a->head;
        a->head = b;
        if (a->next_size < ARENA_MAX_BLOCK)
            a->next_size *= 2;
    }
    p = (unsigned char *)b + block_header() + b->off;
    b->off += need;
    a->used += need;
    memset(p, 0, size);
    return p;
}

char *ac__arena_strndup(struct ac_arena *a, const char *s, size_t len)
{
    char *p;

    if (len == SIZE_MAX)
        return NULL;
    p = ac__arena_alloc(a, len + 1);
    if (p == NULL)
        return NULL;
    if (len > 0)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

int ac__arena_exhausted(const struct ac_arena *a)
{
    return a->exhausted;
}

size_t ac__arena_used(const struct ac_arena *a)
{
    return a->used;
}
