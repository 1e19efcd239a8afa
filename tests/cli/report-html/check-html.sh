#!/bin/sh
# check-html.sh - open an apicensus HTML report in Debian's chromium headless and print, as stable
# lines, what a reader of the page would notice:
#
#   external assets: none        no tag loads a URL (src, href of anything but a link, srcset ...)
#                                and no CSS url()/@import does
#   screenshot: ok               chromium drew a 1280x2000 PNG that is not a blank page
#   console messages: 0          chromium's CONSOLE lines over all runs: the page logs nothing, so
#                                any line is an error (an exception, a Content-Security-Policy
#                                violation, a resource that failed to load)
#   script: ready, errors 0      the page's script ran to its end; window errors it counted
#   charts: N, all with data     or "charts: N, K without data"
#   chart ID: P                  each <svg class="chart">, in page order, with data-points P,
#                                checked against the data marks (class "pt") it really draws
#   without JavaScript: R of R findings shown, filter hidden
#                                (the file as written: what a browser with scripts off renders;
#                                chromium's --dump-dom needs JavaScript itself)
#   filter #FRAGMENT: S of R findings shown     (when FRAGMENT is given)
#
# Usage: check-html.sh REPORT.html [FRAGMENT]. Writes shot.png, dom*.html and *.err in the
# current directory. Exits 1 when chromium is missing or fails, or on any problem above; a missing
# chromium is a failure, never a skip. CHROMIUM overrides /usr/bin/chromium.
set -u
html=$1
frag=${2-}
chromium=${CHROMIUM:-/usr/bin/chromium}
rc=0

fail() {
    echo "$*"
    echo "check-html.sh: $*" >&2
    rc=1
}

if [ ! -x "$chromium" ]; then
    fail "chromium: not installed ($chromium); install Debian's chromium package (scripts/bootstrap)"
    exit 1
fi
[ -s "$html" ] || { fail "report: missing or empty ($html)"; exit 1; }
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

# One headless run in a fresh profile; no network (a proxy on a closed port), a time limit.
run() {
    prof=$(mktemp -d) || exit 1
    HOME=$prof XDG_CONFIG_HOME=$prof XDG_CACHE_HOME=$prof timeout 120 "$chromium" \
        --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
        --no-default-browser-check --disable-extensions --disable-sync \
        --disable-background-networking --disable-component-update \
        --proxy-server=127.0.0.1:9 --user-data-dir="$prof" --hide-scrollbars \
        --enable-logging=stderr --v=0 "$@"
    status=$?
    rm -rf "$prof"
    return $status
}

# 1. Nothing that loads from outside the file: every tag but <a>, and the CSS.
ext=$(tr '\r\n' '  ' <"$html" | grep -o '<[A-Za-z][^>]*>' | grep -iv '^<a[[:space:]]' |
    grep -iE "(src|href|srcset|poster|data|action|background|formaction)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:|ftp:|//)")
css=$(grep -ioE "@import|url\([[:space:]]*[\"']?[[:space:]]*(https?:|//)" "$html")
if [ -z "$ext$css" ]; then
    echo "external assets: none"
else
    fail "external assets: $(printf '%s\n%s' "$ext" "$css" | grep -c .)"
    printf '%s\n%s\n' "$ext" "$css" >&2
fi

# 2. The screenshot: a PNG of the requested size, bigger than a blank page's.
rm -f shot.png
run --window-size=1280,2000 --screenshot="$PWD/shot.png" "$url" >/dev/null 2>shot.err ||
    fail "chromium: screenshot run failed (exit $?)"
size=$(wc -c <shot.png 2>/dev/null || echo 0)
dims=$(od -An -tu1 -j16 -N8 shot.png 2>/dev/null | awk '{ print $3 * 256 + $4 "x" $7 * 256 + $8 }')
magic=$(od -An -c -j1 -N3 shot.png 2>/dev/null | tr -d ' ')
if [ "$magic" = PNG ] && [ "$dims" = 1280x2000 ] && [ "$size" -gt 40000 ]; then
    echo "screenshot: ok"
else
    fail "screenshot: bad (magic '$magic', $dims, $size bytes)"
fi

# 3. The DOM after the scripts ran (and, with a fragment, after they filtered).
run --virtual-time-budget=5000 --dump-dom "$url" >dom.html 2>dom.err ||
    fail "chromium: DOM run failed (exit $?)"
if [ -n "$frag" ]; then
    run --virtual-time-budget=5000 --dump-dom "$url#$frag" >dom-frag.html 2>dom-frag.err ||
        fail "chromium: filtered run failed (exit $?)"
fi

console=$(cat ./*.err | grep -cE 'CONSOLE[:(]')
if [ "$console" -eq 0 ]; then
    echo "console messages: 0"
else
    fail "console messages: $console"
    cat ./*.err | grep -E 'CONSOLE[:(]' >&2
fi

# The attribute value of NAME in the first <html ...> tag of a DOM dump.
root_attr() {
    tr '\r\n' '  ' <"$2" | grep -o '<html[^>]*>' | head -n 1 |
        sed -n "s/.*[[:space:]]$1=\"\([^\"]*\)\".*/\1/p"
}
ready=$(root_attr data-js dom.html)
errors=$(root_attr data-js-errors dom.html)
if [ "$ready" = ready ] && [ -z "$errors" ]; then
    echo "script: ready, errors 0"
else
    fail "script: '${ready:-not run}', errors ${errors:-0}"
fi

# 4. Charts: data-points of each svg.chart against the data marks it draws.
tr '\r\n' '  ' <dom.html | awk '
    BEGIN { RS = "</svg>"; n = 0; empty = 0; bad = 0 }
    {
        i = index($0, "<svg ")
        if (i == 0) next
        svg = substr($0, i)
        tag = substr(svg, 1, index(svg, ">"))
        if (tag !~ /class="chart[ "]/) next
        id = tag; sub(/.*data-chart="/, "", id); sub(/".*/, "", id)
        pts = tag; if (!sub(/.*data-points="/, "", pts)) pts = "missing"; sub(/".*/, "", pts)
        marks = gsub(/class="pt"/, "", svg)
        line[++n] = "chart " id ": " pts
        if (pts == "missing" || pts + 0 != marks) { line[n] = line[n] " (draws " marks ")"; bad++ }
        if (pts + 0 == 0) empty++
    }
    END {
        if (n == 0) print "charts: none"
        else if (empty == 0) print "charts: " n ", all with data"
        else print "charts: " n ", " empty " without data"
        for (k = 1; k <= n; k++) print line[k]
        exit bad > 0 || n == 0
    }' || fail "charts: data-points disagree with the marks drawn, or no chart"

# 5. The findings table: every row shows without JavaScript; the fragment filters it.
rows() { tr '\r\n' '  ' <"$1" | grep -o '<tr data-severity[^>]*>' | grep -c .; }
hidden() { tr '\r\n' '  ' <"$1" | grep -o '<tr data-severity[^>]*>' | grep -c 'hidden'; }
total=$(rows "$html")
form=$(tr '\r\n' '  ' <"$html" | grep -o '<form[^>]*>' | grep -vc hidden)
if [ "$(hidden "$html")" -eq 0 ] && [ "$form" -eq 0 ]; then
    echo "without JavaScript: $total of $total findings shown, filter hidden"
else
    fail "without JavaScript: $(hidden "$html") of $total rows hidden, $form forms shown"
fi
if [ "$(rows dom.html)" -ne "$total" ] || [ "$(hidden dom.html)" -ne 0 ]; then
    fail "with JavaScript: $(hidden dom.html) of $(rows dom.html) rows hidden without a filter"
fi
if [ -n "$frag" ]; then
    shown=$(root_attr data-shown dom-frag.html)
    left=$(($(rows dom-frag.html) - $(hidden dom-frag.html)))
    if [ "$shown" = "$left" ]; then
        echo "filter #$frag: $shown of $(rows dom-frag.html) findings shown"
    else
        fail "filter #$frag: the page says '$shown' shown, $left rows visible"
    fi
fi
exit $rc
