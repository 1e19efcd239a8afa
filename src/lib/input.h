/* input.h - byte streams from files, compressed files and standard input.
 *
 * An input hides whether the bytes come from a plain file, a gzip or zstd file (recognised by
 * their magic bytes, not their names) or standard input, and yields the decompressed bytes in
 * order. Plain files also report their identity and size so ingest can checkpoint them. Not
 * thread-safe: one reader of an input at a time.
 */
#ifndef AC_INPUT_H
#define AC_INPUT_H

#include <apicensus/error.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ac_input_kind { AC_INPUT_PLAIN, AC_INPUT_GZIP, AC_INPUT_ZSTD };

struct ac_input;

/* Open `path` ("-": standard input, read as plain or compressed alike). On success the caller
 * owns *out (ac__input_close). Errors: AC_EIO with the system's reason in d. */
enum ac_err ac__input_open(const char *path, struct ac_input **out, struct ac_diag *d);

void ac__input_close(struct ac_input *in);

/* Read up to `cap` decompressed bytes into buf; *got = 0 at the end. AC_EIO (d says why) on a
 * read error or corrupt compressed data. */
enum ac_err ac__input_read(struct ac_input *in, char *buf, size_t cap, size_t *got,
                           struct ac_diag *d);

/* Skip `n` decompressed bytes (resuming after a checkpoint): seeks plain files, decompresses and
 * discards otherwise. AC_EIO when the input is shorter. */
enum ac_err ac__input_skip(struct ac_input *in, uint64_t n, struct ac_diag *d);

enum ac_input_kind ac__input_kind(const struct ac_input *in);

/* Identity of the underlying file: false for standard input and pipes. head_hash is the SHA-256
 * of the first head_len raw (not decompressed) bytes, head_len = min(size, want). */
bool ac__input_identity(struct ac_input *in, uint64_t want, int64_t *device, int64_t *inode,
                        int64_t *head_len, char head_hash[65]);

/* SHA-256 of the first `len` raw bytes of the file (for checking a stored identity); false when
 * the file is shorter or not a regular file. */
bool ac__input_head_hash(struct ac_input *in, int64_t len, char head_hash[65]);

/* Size of a plain regular file, else 0. */
uint64_t ac__input_size(const struct ac_input *in);

#endif
