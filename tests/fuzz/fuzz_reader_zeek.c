/* fuzz_reader_zeek.c - libFuzzer target for the Zeek http.log readers (reader_zeek.c).
 *
 * The input is split into lines and read by the TSV reader (its '#' header lines change the
 * reader's separator, markers and columns as they come) and by the Zeek JSON reader; detect()
 * runs on each line. Invariants: a request has a method and a target whose bytes are readable
 * (ASan checks the slices), a skipped or bad line leaves the request cleared, and a bad line
 * always has a reason. A violation aborts, which the fuzzer reports as a crash.
 */
#include "fuzz_reader_check.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_zeek, ac__reader_zeek_json;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_json_lines(&ac__reader_zeek, NULL, (const char *)data, size);
    fuzz_json_lines(&ac__reader_zeek_json, NULL, (const char *)data, size);
    return 0;
}
