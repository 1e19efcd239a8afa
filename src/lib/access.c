/* access.c - tokens, roles, the audit log and reopening findings (see <apicensus/access.h>):
 * the cryptography and checks here, the storage through the store's backend. */
#include "sha256.h"
#include "store.h"

#include <apicensus/access.h>

#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char *const roles[] = {NULL, "viewer", "collector", "editor", "admin"};

const char *ac_role_name(enum ac_role r)
{
    return (unsigned)r < sizeof(roles) / sizeof(roles[0]) ? roles[r] : NULL;
}

bool ac_role_parse(const char *s, enum ac_role *out)
{
    size_t i;

    for (i = 1; s != NULL && i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strcmp(s, roles[i]) == 0) {
            *out = (enum ac_role)i;
            return true;
        }
    return false;
}

bool ac_role_allows(enum ac_role have, enum ac_role need)
{
    if (have == AC_ROLE_NONE || need == AC_ROLE_NONE)
        return need == AC_ROLE_NONE;
    if (have == AC_ROLE_ADMIN || have == need)
        return true;
    return have == AC_ROLE_EDITOR && need == AC_ROLE_VIEWER;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

/* A name: printable ASCII without quotes or control characters. */
static bool name_ok(const char *s)
{
    size_t n = strlen(s), i;

    if (n == 0 || n >= AC_TOKEN_NAME_MAX)
        return false;
    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E || s[i] == '"')
            return false;
    return true;
}

enum ac_err ac_token_create(struct ac_store *s, enum ac_role role, const char *name,
                            const char *actor, const char *now, char out[AC_TOKEN_MAX],
                            struct ac_diag *d)
{
    unsigned char rnd[28];
    char id[9], secret[49], hash[65], label[AC_TOKEN_NAME_MAX], detail[64];
    size_t got = 0;
    ssize_t n;
    enum ac_err err;

    if (s == NULL || now == NULL || actor == NULL || ac_role_name(role) == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "token: a role (viewer, editor, admin or "
                           "collector) is needed");
    if (name != NULL && !name_ok(name))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                           "token name: 1 to %d printable characters, no spaces or quotes",
                           AC_TOKEN_NAME_MAX - 1);
    while (got < sizeof(rnd)) {
        n = getrandom(rnd + got, sizeof(rnd) - got, 0);
        if (n <= 0)
            return ac_diag_set(d, AC_EIO, NULL, 0, 0, "no randomness for a token (getrandom)");
        got += (size_t)n;
    }
    hex(rnd, 4, id);
    hex(rnd + 4, 24, secret);
    snprintf(out, AC_TOKEN_MAX, "acn_%s_%s", id, secret);
    ac__sha256_buf(out, strlen(out), hash);
    snprintf(label, sizeof(label), "%s%s", name != NULL ? "" : "token-", name != NULL ? name : id);
    err = s->ops->token_put(s, id, label, ac_role_name(role), hash, now, d);
    snprintf(detail, sizeof(detail), "{\"role\": \"%s\", \"id\": \"%s\"}", ac_role_name(role), id);
    if (err == AC_OK)
        err = s->ops->audit(s, now, actor, "token.create", label, detail, d);
    if (err != AC_OK)
        memset(out, 0, AC_TOKEN_MAX); /* never hand out a token that was not stored */
    return err;
}

enum ac_err ac_token_check(struct ac_store *s, const char *token, enum ac_role *role,
                           char name[AC_TOKEN_NAME_MAX], struct ac_diag *d)
{
    char id[9], want[65], stored[65], rname[16];
    unsigned diff = 0;
    size_t i, n = token != NULL ? strlen(token) : 0;
    enum ac_err err;

    /* acn_ + 8 + _ + 48 */
    if (n != 61 || memcmp(token, "acn_", 4) != 0 || token[12] != '_')
        return ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "unknown token");
    memcpy(id, token + 4, 8);
    id[8] = '\0';
    err = s->ops->token_get(s, id, stored, rname, name, d);
    if (err != AC_OK)
        return err;
    ac__sha256_buf(token, n, want);
    for (i = 0; i < 64; i++) /* constant time: every byte is compared */
        diff |= (unsigned)(want[i] ^ stored[i]);
    if (diff != 0 || !ac_role_parse(rname, role))
        return ac_diag_set(d, AC_ENOTFOUND, NULL, 0, 0, "unknown token");
    return AC_OK;
}

enum ac_err ac_token_revoke(struct ac_store *s, const char *id_or_name, const char *actor,
                            const char *now, struct ac_diag *d)
{
    enum ac_err err;

    if (s == NULL || id_or_name == NULL || actor == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "token revoke: which token?");
    err = s->ops->token_revoke(s, id_or_name, now, d);
    return err == AC_OK ? s->ops->audit(s, now, actor, "token.revoke", id_or_name, NULL, d) : err;
}

enum ac_err ac_audit(struct ac_store *s, const char *now, const char *actor, const char *action,
                     const char *target, const char *detail, struct ac_diag *d)
{
    if (s == NULL || now == NULL || actor == NULL || action == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "audit: missing arguments");
    return s->ops->audit(s, now, actor, action, target, detail, d);
}

enum ac_err ac_finding_reopen(struct ac_store *s, const char *id, const char *now,
                              struct ac_diag *d)
{
    enum ac_err err;

    if (s == NULL || id == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "reopen: no store, finding or time");
    err = s->ops->reopen(s, id, d);
    return err == AC_OK ? s->ops->reconcile(s, now, NULL, d) : err;
}

enum ac_err ac_webhook_add(struct ac_store *s, const char *url, const char *actor, const char *now,
                           long long *id, struct ac_diag *d)
{
    size_t n = url != NULL ? strlen(url) : 0, i;
    char detail[64];
    enum ac_err err;

    if (s == NULL || actor == NULL || now == NULL || id == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "webhook: missing arguments");
    if (n < 10 || n > 2000 || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "a webhook is an http:// or https:// URL");
    for (i = 0; i < n; i++)
        if ((unsigned char)url[i] <= 0x20 || (unsigned char)url[i] >= 0x7F)
            return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0,
                               "a webhook URL has no spaces or control characters");
    err = s->ops->webhook_add(s, url, actor, now, id, d);
    snprintf(detail, sizeof(detail), "{\"id\": %lld}", *id);
    return err == AC_OK ? s->ops->audit(s, now, actor, "webhook.add", url, detail, d) : err;
}

enum ac_err ac_webhook_remove(struct ac_store *s, long long id, const char *actor, const char *now,
                              struct ac_diag *d)
{
    char target[32];
    enum ac_err err;

    if (s == NULL || actor == NULL || now == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "webhook: missing arguments");
    err = s->ops->webhook_remove(s, id, d);
    snprintf(target, sizeof(target), "%lld", id);
    return err == AC_OK ? s->ops->audit(s, now, actor, "webhook.remove", target, NULL, d) : err;
}

enum ac_err ac_webhook_deliver(struct ac_store *s, long long now_unix, const char *now, size_t max,
                               ac_webhook_send_fn send, void *ud, size_t *sent, struct ac_diag *d)
{
    if (s == NULL || now == NULL || send == NULL || sent == NULL)
        return ac_diag_set(d, AC_EUSAGE, NULL, 0, 0, "webhook delivery: missing arguments");
    return s->ops->webhook_deliver(s, now_unix, now, max, send, ud, sent, d);
}
