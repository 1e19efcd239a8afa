/* curl_lazy.h - libcurl, loaded when a command first needs the network.
 *
 * Linking libcurl made every process start load and relocate its 19 libraries (TLS, Kerberos,
 * LDAP, SSH, HTTP/2 ...): 4.6 ms of the 9.5 ms `apicensus --version` took, for every command,
 * although only probing, a remote store and webhooks use it. So it is opened with dlopen() (the
 * runtime name libcurl.so.4) by ac__curl_load(), the first time one of them starts, and its
 * functions are called through a table.
 *
 * Include this header instead of <curl/curl.h>: the curl_* functions used in this project are
 * then macros for the table's entries, so the code reads as plain libcurl. ac__curl_load() must
 * have returned AC_OK before any of them is called. Thread-safe (the load runs once).
 */
#ifndef AC_CURL_LAZY_H
#define AC_CURL_LAZY_H

/* Without the type-checking macros of curl/typecheck-gcc.h, which would expand to calls of the
 * real functions. */
#define CURL_DISABLE_TYPECHECK 1
#include <apicensus/error.h>

#include <curl/curl.h>

struct ac_curl_api {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *curl);
    void (*easy_cleanup)(CURL *curl);
    CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
    CURLMcode (*multi_add_handle)(CURLM *multi, CURL *curl);
    CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *curl);
    CURLMcode (*multi_perform)(CURLM *multi, int *running);
    CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra[], unsigned int n, int ms,
                            int *numfds);
    CURLMsg *(*multi_info_read)(CURLM *multi, int *left);
    CURLMcode (*multi_cleanup)(CURLM *multi);
};

/* The loaded functions: valid once ac__curl_load() has returned AC_OK. */
extern struct ac_curl_api ac__curl;

/* Open libcurl and run curl_global_init() (once per process; later calls only report how that
 * went). AC_EIO with the reason in d when libcurl cannot be opened (the libcurl4 package). */
enum ac_err ac__curl_load(struct ac_diag *d);

/* curl.h makes these three function-like macros (to check their argument count): replaced. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt

#define curl_global_cleanup ac__curl.global_cleanup
#define curl_easy_init ac__curl.easy_init
#define curl_easy_setopt ac__curl.easy_setopt
#define curl_easy_perform ac__curl.easy_perform
#define curl_easy_cleanup ac__curl.easy_cleanup
#define curl_easy_getinfo ac__curl.easy_getinfo
#define curl_easy_strerror ac__curl.easy_strerror
#define curl_slist_append ac__curl.slist_append
#define curl_slist_free_all ac__curl.slist_free_all
#define curl_multi_init ac__curl.multi_init
#define curl_multi_setopt ac__curl.multi_setopt
#define curl_multi_add_handle ac__curl.multi_add_handle
#define curl_multi_remove_handle ac__curl.multi_remove_handle
#define curl_multi_perform ac__curl.multi_perform
#define curl_multi_poll ac__curl.multi_poll
#define curl_multi_info_read ac__curl.multi_info_read
#define curl_multi_cleanup ac__curl.multi_cleanup

#endif
