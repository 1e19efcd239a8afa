/* reader.c - the registry of traffic readers and format detection from sample lines.
 *
 * Detection sums each reader's detect() score over the sample; the highest total wins, ties
 * going to the earlier reader in ac__readers (the more specific formats come first).
 */
#include "reader.h"

#include <apicensus/traffic.h>

#include <string.h>

extern const struct ac_reader_ops ac__reader_combined, ac__reader_common, ac__reader_nginx,
    ac__reader_alb, ac__reader_w3c, ac__reader_squid, ac__reader_haproxy, ac__reader_wsgi,
    ac__reader_json, ac__reader_nginx_json, ac__reader_envoy, ac__reader_caddy, ac__reader_traefik,
    ac__reader_zeek, ac__reader_zeek_json;

const struct ac_reader_ops *const ac__readers[] = {
    &ac__reader_combined,   &ac__reader_common,  &ac__reader_alb,   &ac__reader_w3c,
    &ac__reader_squid,      &ac__reader_haproxy, &ac__reader_wsgi,  &ac__reader_zeek,
    &ac__reader_zeek_json,  &ac__reader_caddy,   &ac__reader_envoy, &ac__reader_traefik,
    &ac__reader_nginx_json, &ac__reader_json,    &ac__reader_nginx, NULL};

const struct ac_reader_ops *ac__reader_find(const char *name)
{
    size_t i;

    for (i = 0; ac__readers[i] != NULL; i++)
        if (strcmp(ac__readers[i]->name, name) == 0)
            return ac__readers[i];
    return NULL;
}

const struct ac_reader_ops *ac__reader_detect(const char *const *lines, const size_t *lens,
                                              size_t n)
{
    const struct ac_reader_ops *best = NULL;
    long best_score = 0;
    size_t i, k;

    for (i = 0; ac__readers[i] != NULL; i++) {
        long score = 0;

        if (ac__readers[i]->detect == NULL)
            continue;
        for (k = 0; k < n; k++)
            score += ac__readers[i]->detect(lines[k], lens[k]);
        if (score > best_score) {
            best_score = score;
            best = ac__readers[i];
        }
    }
    return best;
}

void ac_ingest_formats(void (*cb)(void *ud, const char *name, const char *summary), void *ud)
{
    size_t i;

    for (i = 0; ac__readers[i] != NULL; i++)
        cb(ud, ac__readers[i]->name, ac__readers[i]->summary);
    cb(ud, "har", "HAR 1.2 exports (browsers, mitmproxy, Charles, Fiddler, Insomnia)");
}
