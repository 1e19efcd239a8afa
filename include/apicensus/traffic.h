/* apicensus/traffic.h - discovery from traffic: ingesting access logs, HAR files and the like.
 *
 * An ingest reads files (plain, .gz, .zst), directories or standard input, recognises the format
 * (or takes the one given), turns every request into (host, method, template) — the documented
 * template when one matches, else the path with its identifiers replaced by the segment
 * classifiers — and folds the counts into the store's observations. Raw lines are never stored.
 * Each file's position is committed with the counts it produced, so re-running an ingest adds
 * nothing, a grown file adds only its new lines, and an interrupted ingest resumes exactly.
 */
#ifndef APICENSUS_TRAFFIC_H
#define APICENSUS_TRAFFIC_H

#include <apicensus/error.h>

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ac_store;

/* Progress of an ingest, reported after each batch. */
struct ac_ingest_progress {
    const char *path;   /* the file being read ("-" for standard input) */
    const char *format; /* the reader in use */
    uint64_t bytes;     /* bytes of the (decompressed) input consumed in this file */
    uint64_t total;     /* size of the file when known (plain files), else 0 */
    uint64_t lines;     /* lines consumed in this run, all files */
    double seconds;     /* since the ingest began */
};

struct ac_ingest_stats {
    uint64_t files;           /* files read (not counting unchanged ones) */
    uint64_t files_unchanged; /* files with nothing new since the last ingest */
    uint64_t bytes;
    uint64_t lines;           /* lines read */
    uint64_t requests;        /* lines that were requests */
    uint64_t static_requests; /* ... of which static assets, counted apart */
    uint64_t skipped;         /* lines that are not requests (headers, other records) */
    uint64_t bad;             /* malformed lines */
    uint64_t new_endpoints;   /* endpoints `ls endpoints` lists after the ingest and not before */
    uint64_t known_endpoints; /* keys already stored, counted once per batch that touches them */
};

struct ac_ingest_opts {
    const char *format; /* reader name, an nginx log_format string (contains '$'), NAME:SPEC
                           (a field map for "json", overrides for a JSON preset), or NULL to
                           detect from the first lines */
    const char *host;   /* host for requests whose line carries none (--host) */
    bool outbound;      /* everything is outbound traffic (--outbound) */
    const char *source; /* observation source name (default: the reader's name) */
    unsigned threads;   /* parser threads; 0: one per online CPU */
    size_t batch_bytes; /* input committed per transaction; 0: 128 MiB (at least 64 KiB) */
    const char *now;    /* timestamp recorded on checkpoints; NULL: the clock */
    bool follow;        /* keep reading a file as it grows, across rotation, until *stop */
    unsigned poll_ms;   /* --follow: pause between polls (0: 1000 ms) */
    volatile sig_atomic_t *stop; /* --follow: set non-zero (a signal handler) to finish */
    /* Called after each committed batch; may be NULL. */
    void (*on_progress)(void *ud, const struct ac_ingest_progress *p);
    /* Called for the first bad lines of each file (at most 5 per file) with the 1-based line
     * number and a reason; may be NULL. */
    void (*on_bad_line)(void *ud, const char *path, uint64_t line, const char *why);
    /* In a directory, called for each file that cannot be read (the others still are); the
     * first such error is also what ac_ingest returns. May be NULL. */
    void (*on_file_error)(void *ud, const struct ac_diag *d);
    void *ud;
};

/* Ingest `path`: a file, a directory (its files recursively, in name order, hidden ones
 * skipped), or "-" for standard input. With o->follow a file is read, then polled for new lines
 * (a partly written last line waits for its newline) until *o->stop becomes non-zero; a file
 * renamed away by rotation is read to its end before the new one is followed. Stats are added
 * to *st (which the caller zeroes).
 * Errors: AC_EIO (cannot read), AC_EKIND (format not recognised: name one with format),
 * AC_EUSAGE (unknown format name, bad log_format), AC_ESTORE, AC_ENOMEM; malformed lines are not
 * errors (they are counted and reported through on_bad_line). */
/* After an import: stored undocumented traffic that a documented template now matches moves to
 * its operation (rows that come to share a key merge), and the endpoints of what stays
 * undocumented are derived again; how many rows moved in *moved (may be NULL). So the store
 * ends the same whether the specs came before the traffic or after. Errors: AC_ESTORE,
 * AC_ENOMEM. */
enum ac_err ac_rematch(struct ac_store *s, size_t *moved, struct ac_diag *d);

enum ac_err ac_ingest(struct ac_store *s, const char *path, const struct ac_ingest_opts *o,
                      struct ac_ingest_stats *st, struct ac_diag *d);

/* Names and one-line summaries of the formats, for --help: calls cb once per reader. */
void ac_ingest_formats(void (*cb)(void *ud, const char *name, const char *summary), void *ud);

#endif
