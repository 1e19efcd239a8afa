/* input.c - plain, gzip and zstd byte streams (see input.h).
 *
 * The first bytes are read to recognise the compression; they are then replayed to the chosen
 * decoder, so detection works on pipes too. gzip goes through zlib's inflate with automatic
 * header detection and concatenated members (as gzip -d does); zstd through ZSTD_decompressStream.
 */
#include "input.h"

#include "sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define RAW_CAP (256u * 1024u)

struct ac_input {
    enum ac_input_kind kind;
    int fd;
    bool is_stdin;
    bool regular;
    uint64_t size;
    const char *path;
    unsigned char *raw; /* compressed bytes read ahead */
    size_t raw_len, raw_pos;
    bool raw_eof;
    z_stream z;
    bool z_init;
    ZSTD_DCtx *zs;
};

static enum ac_err io_err(const struct ac_input *in, struct ac_diag *d, const char *what)
{
    return ac_diag_set(d, AC_EIO, in->path, 0, 0, "%s: %s", what, strerror(errno));
}

/* Refill the raw buffer (keeping unread bytes at the front). */
static enum ac_err fill_raw(struct ac_input *in, struct ac_diag *d)
{
    ssize_t n;

    if (in->raw_pos > 0) {
        memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
        in->raw_len -= in->raw_pos;
        in->raw_pos = 0;
    }
    while (!in->raw_eof && in->raw_len < RAW_CAP) {
        n = read(in->fd, in->raw + in->raw_len, RAW_CAP - in->raw_len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return io_err(in, d, "read error");
        if (n == 0)
            in->raw_eof = true;
        in->raw_len += (size_t)n;
        if (n > 0)
            break;
    }
    return AC_OK;
}

enum ac_err ac__input_open(const char *path, struct ac_input **out, struct ac_diag *d)
{
    struct ac_input *in = calloc(1, sizeof(*in));
    struct stat sb;
    enum ac_err err = AC_OK;

    if (in == NULL)
        return ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
    in->path = path;
    in->is_stdin = strcmp(path, "-") == 0;
    in->fd = in->is_stdin ? 0 : open(path, O_RDONLY);
    in->raw = malloc(RAW_CAP);
    if (in->raw == NULL) {
        err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "out of memory");
        goto out;
    }
    if (in->fd < 0) {
        err = ac_diag_set(d, AC_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    if (fstat(in->fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
        in->regular = true;
        in->size = (uint64_t)sb.st_size;
    } else if (fstat(in->fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        err = ac_diag_set(d, AC_EIO, path, 0, 0, "is a directory");
        goto out;
    }
    err = fill_raw(in, d);
    if (err != AC_OK)
        goto out;
    if (in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b) {
        in->kind = AC_INPUT_GZIP;
        if (inflateInit2(&in->z, 15 + 32) != Z_OK) {
            err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "cannot start gzip decoding");
            goto out;
        }
        in->z_init = true;
    } else if (in->raw_len >= 4 && in->raw[0] == 0x28 && in->raw[1] == 0xb5 && in->raw[2] == 0x2f &&
               in->raw[3] == 0xfd) {
        in->kind = AC_INPUT_ZSTD;
        in->zs = ZSTD_createDCtx();
        if (in->zs == NULL) {
            err = ac_diag_set(d, AC_ENOMEM, path, 0, 0, "cannot start zstd decoding");
            goto out;
        }
    }
out:
    if (err != AC_OK) {
        ac__input_close(in);
        return err;
    }
    *out = in;
    return AC_OK;
}

void ac__input_close(struct ac_input *in)
{
    if (in == NULL)
        return;
    if (in->z_init)
        inflateEnd(&in->z);
    ZSTD_freeDCtx(in->zs);
    if (!in->is_stdin && in->fd >= 0)
        close(in->fd);
    free(in->raw);
    free(in);
}

static enum ac_err read_plain(struct ac_input *in, char *buf, size_t cap, size_t *got,
                              struct ac_diag *d)
{
    size_t n;
    ssize_t r;

    if (in->raw_pos < in->raw_len) {
        n = in->raw_len - in->raw_pos < cap ? in->raw_len - in->raw_pos : cap;
        memcpy(buf, in->raw + in->raw_pos, n);
        in->raw_pos += n;
        *got = n;
        return AC_OK;
    }
    do {
        r = read(in->fd, buf, cap);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return io_err(in, d, "read error");
    *got = (size_t)r;
    return AC_OK;
}

static enum ac_err read_gzip(struct ac_input *in, char *buf, size_t cap, size_t *got,
                             struct ac_diag *d)
{
    enum ac_err err;
    int rc;

    in->z.next_out = (unsigned char *)buf;
    in->z.avail_out = (unsigned)(cap > UINT32_MAX ? UINT32_MAX : cap);
    while (in->z.avail_out > 0) {
        if (in->raw_pos == in->raw_len) {
            if (in->raw_eof)
                break;
            err = fill_raw(in, d);
            if (err != AC_OK)
                return err;
            if (in->raw_len == 0)
                break;
        }
        in->z.next_in = in->raw + in->raw_pos;
        in->z.avail_in = (unsigned)(in->raw_len - in->raw_pos);
        rc = inflate(&in->z, Z_NO_FLUSH);
        in->raw_pos = in->raw_len - in->z.avail_in;
        if (rc == Z_STREAM_END) {
            /* Concatenated members: start over on what follows, if anything. */
            if (in->raw_pos == in->raw_len && in->raw_eof)
                break;
            inflateReset(&in->z);
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            return ac_diag_set(d, AC_EIO, in->path, 0, 0, "corrupt gzip data: %s",
                               in->z.msg != NULL ? in->z.msg : "inflate failed");
        if (rc == Z_BUF_ERROR && in->raw_eof && in->raw_pos == in->raw_len)
            return ac_diag_set(d, AC_EIO, in->path, 0, 0, "truncated gzip data");
    }
    *got = cap - in->z.avail_out;
    return AC_OK;
}

static enum ac_err read_zstd(struct ac_input *in, char *buf, size_t cap, size_t *got,
                             struct ac_diag *d)
{
    ZSTD_outBuffer ob = {buf, cap, 0};
    enum ac_err err;
    size_t rc;

    while (ob.pos < ob.size) {
        ZSTD_inBuffer ib;

        if (in->raw_pos == in->raw_len) {
            if (in->raw_eof)
                break;
            err = fill_raw(in, d);
            if (err != AC_OK)
                return err;
            if (in->raw_len == 0)
                break;
        }
        ib.src = in->raw + in->raw_pos;
        ib.size = in->raw_len - in->raw_pos;
        ib.pos = 0;
        rc = ZSTD_decompressStream(in->zs, &ob, &ib);
        in->raw_pos += ib.pos;
        if (ZSTD_isError(rc))
            return ac_diag_set(d, AC_EIO, in->path, 0, 0, "corrupt zstd data: %s",
                               ZSTD_getErrorName(rc));
    }
    *got = ob.pos;
    return AC_OK;
}

enum ac_err ac__input_read(struct ac_input *in, char *buf, size_t cap, size_t *got,
                           struct ac_diag *d)
{
    *got = 0;
    switch (in->kind) {
    case AC_INPUT_GZIP:
        return read_gzip(in, buf, cap, got, d);
    case AC_INPUT_ZSTD:
        return read_zstd(in, buf, cap, got, d);
    case AC_INPUT_PLAIN:
    default:
        return read_plain(in, buf, cap, got, d);
    }
}

enum ac_err ac__input_skip(struct ac_input *in, uint64_t n, struct ac_diag *d)
{
    char *tmp;
    enum ac_err err = AC_OK;

    if (n == 0)
        return AC_OK;
    if (in->kind == AC_INPUT_PLAIN && in->regular) {
        if (lseek(in->fd, (off_t)n, SEEK_SET) < 0)
            return io_err(in, d, "cannot seek");
        in->raw_len = 0;
        in->raw_pos = 0;
        in->raw_eof = false;
        return AC_OK;
    }
    tmp = malloc(RAW_CAP);
    if (tmp == NULL)
        return ac_diag_set(d, AC_ENOMEM, in->path, 0, 0, "out of memory");
    while (err == AC_OK && n > 0) {
        size_t got = 0;

        err = ac__input_read(in, tmp, n < RAW_CAP ? (size_t)n : RAW_CAP, &got, d);
        if (err == AC_OK && got == 0)
            err = ac_diag_set(d, AC_EIO, in->path, 0, 0,
                              "shorter than the position recorded by the last ingest");
        n -= got;
    }
    free(tmp);
    return err;
}

enum ac_input_kind ac__input_kind(const struct ac_input *in)
{
    return in->kind;
}

bool ac__input_head_hash(struct ac_input *in, int64_t len, char head_hash[65])
{
    unsigned char buf[4096];
    ssize_t r;

    if (!in->regular || len < 0 || len > (int64_t)sizeof(buf))
        return false;
    r = pread(in->fd, buf, (size_t)len, 0);
    if (r != (ssize_t)len)
        return false;
    ac__sha256_buf(buf, (size_t)len, head_hash);
    return true;
}

bool ac__input_identity(struct ac_input *in, uint64_t want, int64_t *device, int64_t *inode,
                        int64_t *head_len, char head_hash[65])
{
    struct stat sb;
    int64_t len;

    if (!in->regular || fstat(in->fd, &sb) != 0)
        return false;
    len = (int64_t)(in->size < want ? in->size : want);
    if (!ac__input_head_hash(in, len, head_hash))
        return false;
    *device = (int64_t)sb.st_dev;
    *inode = (int64_t)sb.st_ino;
    *head_len = len;
    return true;
}

uint64_t ac__input_size(const struct ac_input *in)
{
    return in->kind == AC_INPUT_PLAIN && in->regular ? in->size : 0;
}
