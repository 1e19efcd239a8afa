/* sha256.h - SHA-256 (FIPS 180-4), to fingerprint imported documents.
 *
 * Small and dependency-free: documents are hashed once per import, so speed matters little and a
 * crypto library would be a heavy dependency for one function. Thread-safe (no global state).
 */
#ifndef AC_SHA256_H
#define AC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct ac_sha256 {
    uint32_t h[8];
    uint64_t total;
    unsigned char block[64];
    size_t fill;
};

void ac__sha256_init(struct ac_sha256 *c);
void ac__sha256_update(struct ac_sha256 *c, const void *data, size_t len);
/* Finish and write the digest as 64 lower-case hex digits plus a NUL into hex[65]. */
void ac__sha256_hex(struct ac_sha256 *c, char hex[65]);
/* One-shot convenience. */
void ac__sha256_buf(const void *data, size_t len, char hex[65]);

#endif
