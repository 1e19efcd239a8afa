/* fuzz_reader_json.c - libFuzzer target for the JSON-lines readers (reader_json.c).
 *
 * The input is split into lines and every line goes through each preset (nginx-json, envoy,
 * caddy, traefik) and through a custom field map that uses every role, path + query joining,
 * alternatives and the prefix form of resp_headers; detect() runs on each line too. Invariants
 * the ingest driver relies on: a request has a method and a target whose bytes are readable
 * (ASan checks the slices), a skipped or bad line leaves the request cleared, and a bad line
 * always has a reason. A violation aborts, which the fuzzer reports as a crash.
 */
#include "fuzz_reader_check.h"
#include "reader.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern const struct ac_reader_ops ac__reader_json, ac__reader_nginx_json, ac__reader_envoy,
    ac__reader_caddy, ac__reader_traefik;

static const char custom_map[] =
    "time=t|time,host=h|a.b.host,method=m|verb,target=u,request=req,path=p,query=q|args,"
    "status=s|code,client=c|id.orig_h,xff=x|proxied,user=user,auth=hdr.Authorization|auth,"
    "headers=hdr,resp_headers=resp|down_*,require=m|req|p|u";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    fuzz_json_lines(&ac__reader_nginx_json, NULL, text, size);
    fuzz_json_lines(&ac__reader_envoy, NULL, text, size);
    fuzz_json_lines(&ac__reader_caddy, NULL, text, size);
    fuzz_json_lines(&ac__reader_traefik, NULL, text, size);
    fuzz_json_lines(&ac__reader_json, custom_map, text, size);
    return 0;
}
