/* fuzz_probe_input.c - the probe's input parsers on arbitrary bytes: base URLs (--target,
 * --targets-file), --resolve entries, wordlists, and the version arithmetic of siblings.
 * Invariants checked: parsed hosts are lower case and bounded, ports in range, routes start
 * with '/' and hold no dot segment or control byte. */
#include "probe_run.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct ac__probe_url u;
    char name[AC_PROBE_HOST_MAX + 1], addr[80], sib[8][32], *text, **words = NULL;
    unsigned port;
    size_t n = 0, bad = 0, line = 0, i, k;

    if (ac__probe_parse_url(s, size, &u)) {
        assert(u.port > 0 && u.port <= 65535);
        assert(strlen(u.host) > 0 && strlen(u.host) <= AC_PROBE_HOST_MAX);
        for (i = 0; u.host[i] != '\0'; i++)
            assert(!(u.host[i] >= 'A' && u.host[i] <= 'Z'));
        assert(u.base[0] == '\0' || u.base[0] == '/');
    }
    if (ac__probe_parse_resolve(s, size, name, sizeof(name), &port, addr, sizeof(addr)))
        assert(port <= 65535 && name[0] != '\0' && addr[0] != '\0');
    k = ac__probe_siblings(s, size, sib, 8);
    for (i = 0; i < k; i++)
        assert(strlen(sib[i]) < 32);
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (ac__probe_words_parse(text, size, &words, &n, &bad, &line) == AC_OK) {
        assert((bad == 0) == (line == 0));
        for (i = 0; i < n; i++) {
            assert(words[i][0] == '/');
            assert(strstr(words[i], "/../") == NULL);
            for (k = 0; words[i][k] != '\0'; k++)
                assert((unsigned char)words[i][k] > 0x20);
        }
        ac__probe_words_free(words, n);
    }
    free(text);
    return 0;
}
