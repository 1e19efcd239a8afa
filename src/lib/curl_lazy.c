/* curl_lazy.c - libcurl, opened on first use (see curl_lazy.h). */
#include "curl_lazy.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct ac_curl_api ac__curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256]; /* empty: loaded */

/* The address of `name` in h into *fn (a function pointer's storage), through memcpy: ISO C has
 * no conversion from the object pointer dlsym() returns. False when it is missing. */
static int sym(void *h, const char *name, void *fn, size_t size)
{
    void *p = dlsym(h, name);

    if (p == NULL || size != sizeof(p))
        return 0;
    memcpy(fn, &p, sizeof(p));
    return 1;
}

#define SYM(field, name) sym(h, name, &ac__curl.field, sizeof(ac__curl.field))

static void load(void)
{
    void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    CURLcode (*global_init)(long) = NULL;

    if (h == NULL) {
        snprintf(load_error, sizeof(load_error), "cannot load libcurl: %s", dlerror());
        return;
    }
    if (!sym(h, "curl_global_init", &global_init, sizeof(global_init)) ||
        !SYM(global_cleanup, "curl_global_cleanup") || !SYM(easy_init, "curl_easy_init") ||
        !SYM(easy_setopt, "curl_easy_setopt") || !SYM(easy_perform, "curl_easy_perform") ||
        !SYM(easy_cleanup, "curl_easy_cleanup") || !SYM(easy_getinfo, "curl_easy_getinfo") ||
        !SYM(easy_strerror, "curl_easy_strerror") || !SYM(slist_append, "curl_slist_append") ||
        !SYM(slist_free_all, "curl_slist_free_all") || !SYM(multi_init, "curl_multi_init") ||
        !SYM(multi_setopt, "curl_multi_setopt") ||
        !SYM(multi_add_handle, "curl_multi_add_handle") ||
        !SYM(multi_remove_handle, "curl_multi_remove_handle") ||
        !SYM(multi_perform, "curl_multi_perform") || !SYM(multi_poll, "curl_multi_poll") ||
        !SYM(multi_info_read, "curl_multi_info_read") ||
        !SYM(multi_cleanup, "curl_multi_cleanup")) {
        snprintf(load_error, sizeof(load_error), "libcurl is too old (7.66 or later is needed)");
        return; /* h stays open: nothing of it is used */
    }
    ac__curl.global_init = global_init;
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        snprintf(load_error, sizeof(load_error), "libcurl could not start");
}

enum ac_err ac__curl_load(struct ac_diag *d)
{
    pthread_once(&once, load);
    if (load_error[0] != '\0')
        return ac_diag_set(d, AC_EIO, NULL, 0, 0, "%s", load_error);
    return AC_OK;
}
