/* replay_driver.c - run a libFuzzer target over files, without libFuzzer.
 *
 * Every fuzz target is also built with this main() under any compiler, and CTest runs it over the
 * target's committed corpus: each seed and each crash ever found becomes a regression test. Args
 * are files or directories (one level deep). Exit status 0 when every input ran; a crash, an
 * assertion or a sanitizer report fails the test the usual way.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long size;
    int rc = 1;

    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)size + 1);
    if (buf == NULL)
        goto out;
    if (size > 0 && fread(buf, 1, (size_t)size, f) != (size_t)size)
        goto out;
    LLVMFuzzerTestOneInput(buf, (size_t)size);
    rc = 0;
out:
    free(buf);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    int i, failures = 0, runs = 0;

    for (i = 1; i < argc; i++) {
        struct stat st;
        DIR *dir;
        struct dirent *e;
        char path[4096];

        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
            failures++;
            continue;
        }
        if (!S_ISDIR(st.st_mode)) {
            failures += run_file(argv[i]);
            runs++;
            continue;
        }
        dir = opendir(argv[i]);
        if (dir == NULL) {
            failures++;
            continue;
        }
        while ((e = readdir(dir)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            failures += run_file(path);
            runs++;
        }
        closedir(dir);
    }
    printf("replay: %d inputs, %d failures\n", runs, failures);
    return failures != 0 || runs == 0;
}
