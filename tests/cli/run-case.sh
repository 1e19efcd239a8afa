#!/bin/sh
# run-case.sh - run one CLI golden case: tests/cli/<case>/cmd is a shell script run in a fresh
# temporary directory with $AC (the binary), $DATA (../shared/data), $SRC (the source tree) and
# $CASE (the case directory) set. Its standard output must equal <case>/expected (when present)
# and its exit status must equal <case>/status (default 0). Extra checks go in the script itself.
set -u
case_dir=$1; AC=$2; DATA=$3; SRC=$4; CASE=$case_dir
export AC DATA SRC CASE
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
sh "$case_dir/cmd" >"$work/.out" 2>"$work/.err"
status=$?
want_status=0
[ -f "$case_dir/status" ] && want_status=$(cat "$case_dir/status")
rc=0
if [ "$status" != "$want_status" ]; then
  echo "exit status $status, expected $want_status"; rc=1
fi
if [ -f "$case_dir/expected" ] && ! diff -u "$case_dir/expected" "$work/.out"; then
  echo "output differs from $case_dir/expected"; rc=1
fi
if [ $rc -ne 0 ]; then echo "--- stderr:"; cat "$work/.err"; fi
exit $rc
