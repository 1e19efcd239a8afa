/* webhook_receiver.c - a webhook endpoint for the tests, on 127.0.0.1 (libmicrohttpd).
 *
 * Usage: webhook_receiver OUT [--fail N]. Prints "http://127.0.0.1:PORT" on standard output,
 * then answers every POST: the first N with 500 (to make the sender retry), the others with
 * 204. Each request is appended to OUT as one line, "STATUS BODY" (the body's newlines become
 * spaces). Runs until SIGTERM or SIGINT.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t stop;
static FILE *out;
static long fail;

struct body {
    char *p;
    size_t n;
};

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    struct body *b = *con_cls;
    struct MHD_Response *r;
    unsigned status;
    enum MHD_Result ok;
    size_t i;

    (void)cls;
    (void)url;
    (void)version;
    if (b == NULL) {
        b = calloc(1, sizeof(*b));
        *con_cls = b;
        return b != NULL ? MHD_YES : MHD_NO;
    }
    if (*upload_size > 0) {
        char *np = realloc(b->p, b->n + *upload_size + 1);

        if (np == NULL)
            return MHD_NO;
        b->p = np;
        memcpy(b->p + b->n, upload, *upload_size);
        b->n += *upload_size;
        b->p[b->n] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }
    status = strcmp(method, "POST") != 0 ? 405 : fail > 0 ? 500 : 204;
    if (status == 500)
        fail--;
    for (i = 0; i < b->n; i++)
        if (b->p[i] == '\n' || b->p[i] == '\r')
            b->p[i] = ' ';
    fprintf(out, "%u %s\n", status, b->p != NULL ? b->p : "");
    fflush(out);
    r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode why)
{
    struct body *b = *con_cls;

    (void)cls;
    (void)c;
    (void)why;
    if (b != NULL) {
        free(b->p);
        free(b);
    }
}

int main(int argc, char **argv)
{
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    struct sockaddr_in loopback;

    if (argc != 2 && !(argc == 4 && strcmp(argv[2], "--fail") == 0)) {
        fprintf(stderr, "usage: webhook_receiver OUT [--fail N]\n");
        return 2;
    }
    fail = argc == 4 ? strtol(argv[3], NULL, 10) : 0;
    out = fopen(argv[1], "a");
    if (out == NULL) {
        perror(argv[1]);
        return 1;
    }
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    memset(&loopback, 0, sizeof(loopback));
    loopback.sin_family = AF_INET;
    loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_request, NULL,
                         MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&loopback,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
    if (d == NULL) {
        fprintf(stderr, "webhook_receiver: cannot listen\n");
        return 1;
    }
    info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("http://127.0.0.1:%u\n", info != NULL ? (unsigned)info->port : 0u);
    fflush(stdout);
    while (!stop) {
        struct timespec t = {0, 50 * 1000 * 1000};

        nanosleep(&t, NULL);
    }
    MHD_stop_daemon(d);
    fclose(out);
    return 0;
}
