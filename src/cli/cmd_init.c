/* cmd_init.c - `apicensus init [FILE]`: write the commented apicensus.yaml skeleton.
 *
 * The file is created exclusively (O_EXCL) unless --force, so an existing manifest is never
 * overwritten by accident.
 */
#include "cli.h"

#include <apicensus/registry.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

const char usage_init[] =
    "usage: apicensus init [FILE] [--force]\n"
    "\n"
    "Write a commented apicensus.yaml skeleton (default ./apicensus.yaml) declaring the\n"
    "organisation's domains, APIs, versions, deployments, integrations and policy. Edit it, then\n"
    "'apicensus import apicensus.yaml'. Refuses to overwrite an existing file without --force.\n";

int cmd_init(struct cli *c, int argc, char **argv)
{
    const char *path = "apicensus.yaml";
    const char *text = ac_manifest_skeleton_text();
    int i, fd, flags = O_WRONLY | O_CREAT | O_EXCL;
    size_t len = strlen(text), off = 0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--force") == 0)
            flags = O_WRONLY | O_CREAT | O_TRUNC;
        else if (argv[i][0] == '-')
            return cli_usage_error(c, "init", "unknown option '%s'", argv[i]);
        else
            path = argv[i];
    }
    if (strcmp(path, "-") == 0) {
        fputs(text, c->out);
        return EXIT_OK;
    }
    fd = open(path, flags, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            fprintf(stderr, "%s: %s already exists (use --force to overwrite)\n", c->prog, path);
        else
            fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
        return EXIT_INPUT;
    }
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);

        if (w < 0) {
            fprintf(stderr, "%s: %s: %s\n", c->prog, path, strerror(errno));
            close(fd);
            return EXIT_STORE;
        }
        off += (size_t)w;
    }
    close(fd);
    if (!c->quiet)
        fprintf(c->out,
                "wrote %s: declare your domains, APIs and deployments, then run "
                "'apicensus import %s'\n",
                path, path);
    return EXIT_OK;
}
