# github-log.sh - sourced by bench/ingest and bench/infer: GitHub's REST description and the
# generated 2-million-request log of it, both kept in bench/.cache/.
#
# Expects: root, bench, cache, apicensus, tmp, lines, seed, and say(); sets spec, host, ops, nops,
# log, gen_doc, gen_undoc, distinct, and leaves the spec imported in $tmp/base.db. See the head of
# bench/ingest for what the log holds.
octokit=@octokit/openapi@23.0.2
octokit_tgz=$cache/octokit-openapi-23.0.2.tgz
spec=$cache/package/generated/api.github.com.json
host=api.github.com
gen=$cache/gen-github-log
ops=$cache/github-operations.txt
log=$cache/github-access-$lines-seed$seed.log

# --- the spec, in bench/.cache/ (as bench/import fetches it) ------------------------------
mkdir -p "$cache"
if [ ! -f "$spec" ]; then
    if [ ! -f "$octokit_tgz" ]; then
        say "${0##*/}: fetching $octokit"
        (cd "$cache" && npm pack --silent "$octokit" >/dev/null)
    fi
    tar -xzf "$octokit_tgz" -C "$cache" package/generated/api.github.com.json
fi

# --- the store every apicensus run starts from: the spec imported ------------------------
"$apicensus" --db "$tmp/base.db" --quiet import "$spec"

# --- the generator and the log -----------------------------------------------------------
# Built again when gen_log.c changed (its checksum is kept next to the binary).
gen_src=$(cksum <"$bench/gen_log.c")
if [ ! -x "$gen" ] || [ "$(cat "$gen.src" 2>/dev/null)" != "$gen_src" ]; then
    say "${0##*/}: building the generator: ${CC:-cc} -O2 bench/gen_log.c -o bench/.cache/gen-github-log"
    "${CC:-cc}" -std=c99 -O2 -o "$gen" "$bench/gen_log.c" -lm
    echo "$gen_src" >"$gen.src"
fi
# "METHOD TEMPLATE" per documented operation, from the pretty-printed JSON of ls operations
# (each object has "method" before "template").
"$apicensus" --db "$tmp/base.db" ls operations --format json \
    | awk -F'"' '$2 == "method" { m = $4 } $2 == "template" { print m, $4 }' >"$tmp/ops.txt"
cmp -s "$tmp/ops.txt" "$ops" 2>/dev/null || cp "$tmp/ops.txt" "$ops"
nops=$(wc -l <"$ops" | tr -d ' ')

# The log is made again when anything it depends on changed; its .meta file keeps what the
# generator said and the distinct raw paths (slow to count, so counted once).
key="$gen_src $(cksum <"$ops") $lines $seed"
if [ ! -f "$log" ] || [ ! -f "$log.meta" ] || [ "$(sed -n 1p "$log.meta")" != "$key" ]; then
    say "${0##*/}: generating ${log#"$root"/} ($lines requests from $nops operations, seed $seed)"
    rm -f "$log.meta"
    "$gen" "$ops" "$lines" "$seed" >"$log.part" 2>"$tmp/gen.err" \
        || { cat "$tmp/gen.err" >&2; rm -f "$log.part"; exit 1; }
    mv "$log.part" "$log"
    say "${0##*/}: counting its distinct raw paths (awk '{print \$7}' | sort -u | wc -l)"
    distinct=$(awk '{ print $7 }' "$log" | LC_ALL=C sort -u -S 25% | wc -l | tr -d ' ')
    { echo "$key"; cat "$tmp/gen.err"; echo "distinct $distinct"; } >"$log.meta.part"
    mv "$log.meta.part" "$log.meta"
fi
# gen-github-log: N lines, D documented, U undocumented, seed S
gen_doc=$(sed -n 's/^gen-github-log: .* \([0-9]*\) documented.*/\1/p' "$log.meta")
gen_undoc=$(sed -n 's/^gen-github-log: .* \([0-9]*\) undocumented.*/\1/p' "$log.meta")
distinct=$(sed -n 's/^distinct //p' "$log.meta")

