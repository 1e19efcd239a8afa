/* fuzz_normalize.c - libFuzzer target for request-target normalisation and path templates.
 *
 * The input is a request target. It is normalised with several buffer sizes, and every result is
 * checked against the invariants consumers rely on: the path starts with '/' (or is "*"), is
 * NUL-terminated at its length, fits the cap, is valid UTF-8 without control characters; a
 * smaller buffer gives a prefix of the larger one's path; the query and host slices lie inside
 * the target; query names are non-empty and hold no '&' or '='. The path's template must keep
 * the number of segments and fit a buffer five times the path's size. A violation aborts.
 */
#include "normalize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Valid UTF-8 and no C0, DEL or C1 control character. */
static bool clean_text(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t k, need;
        uint32_t cp;

        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return false;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + need >= n)
            return false;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
            return false;
        i += need + 1;
    }
    return true;
}

static bool inside(struct ac_slice s, const char *p, size_t n)
{
    return s.n == 0 || (s.p >= p && s.p + s.n <= p + n);
}

static size_t count_slashes(const char *s, size_t n)
{
    size_t i, k = 0;

    for (i = 0; i < n; i++)
        k += s[i] == '/';
    return k;
}

static void check_query(struct ac_slice q)
{
    struct ac_slice name;
    size_t pos = 0, last = 0;

    while (ac__query_next_name(q, &pos, &name)) {
        if (name.n == 0 || name.p < q.p || name.p + name.n > q.p + q.n || pos <= last ||
            pos > q.n || memchr(name.p, '&', name.n) != NULL || memchr(name.p, '=', name.n) != NULL)
            abort();
        last = pos;
    }
    if (pos != q.n)
        abort();
}

static void check_template(const char *path, size_t n)
{
    size_t cap = 5 * n + 16, len;
    char *out = malloc(cap), small[12];
    bool dates;

    if (out == NULL)
        return;
    for (dates = false;; dates = true) {
        if (!ac__template_of(path, n, dates, out, cap))
            abort();
        len = strlen(out);
        if (count_slashes(out, len) != count_slashes(path, n) ||
            !clean_text((const unsigned char *)out, len))
            abort();
        if (ac__template_of(path, n, dates, small, sizeof(small))) {
            if (strcmp(small, out) != 0)
                abort();
        } else if (strlen(small) >= sizeof(small) || strncmp(small, out, strlen(small)) != 0) {
            abort();
        }
        if (dates)
            break;
    }
    free(out);
}

static void check_segments(const char *path, size_t n)
{
    size_t i = 0;

    while (i <= n) {
        const char *slash = memchr(path + i, '/', n - i);
        size_t end = slash != NULL ? (size_t)(slash - path) : n;
        enum ac_seg_class a = ac__classify_segment(path + i, end - i, false);
        enum ac_seg_class b = ac__classify_segment(path + i, end - i, true);

        if ((ac__seg_class_param(a) == NULL) != (a == AC_SEG_LITERAL) ||
            (ac__seg_class_param(b) == NULL) != (b == AC_SEG_LITERAL) || a > AC_SEG_IP ||
            b > AC_SEG_IP)
            abort();
        i = end + 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t caps[] = {AC_PATH_MAX + 1, 2, 3, 4, 9, 64};
    static char full[AC_PATH_MAX + 1], buf[AC_PATH_MAX + 1];
    struct ac_slice target;
    struct ac_norm ref, n;
    size_t i;

    target.p = (const char *)data;
    target.n = size;
    if (!ac__normalize(target, full, sizeof(full), &ref)) {
        for (i = 1; i < sizeof(caps) / sizeof(caps[0]); i++)
            if (ac__normalize(target, buf, caps[i], &n))
                abort();
        return 0;
    }
    if (ref.path != full || ref.path_len > AC_PATH_MAX || full[ref.path_len] != '\0' ||
        strlen(full) != ref.path_len || (full[0] != '/' && strcmp(full, "*") != 0) ||
        !clean_text((const unsigned char *)full, ref.path_len) ||
        ref.is_static != ac__is_static_path(full, ref.path_len) ||
        !inside(ref.query, target.p, size) || !inside(ref.host, target.p, size))
        abort();
    for (i = 1; i < sizeof(caps) / sizeof(caps[0]); i++) {
        if (!ac__normalize(target, buf, caps[i], &n) || n.path_len > caps[i] - 1 ||
            n.path_len > ref.path_len || memcmp(buf, full, n.path_len) != 0 ||
            buf[n.path_len] != '\0' || n.query.p != ref.query.p || n.query.n != ref.query.n ||
            (!n.truncated && n.path_len != ref.path_len) || (ref.truncated && !n.truncated))
            abort();
    }
    check_query(ref.query);
    check_template(full, ref.path_len);
    check_segments(full, ref.path_len);
    return 0;
}
