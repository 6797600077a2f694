#!/bin/sh
# cli_check.sh RELUVET - `reluvet check` on the command line: every bad
# option or number is one line on stderr and exit 2, --help documents every
# option, a run prints its seed, its lines and a summary.
set -u
r=$1
fail() {
    echo "FAIL: $*"
    exit 1
}
expect_usage() {
    err=$("$r" check "$@" 2>&1 >/dev/null)
    rc=$?
    [ $rc -eq 2 ] || fail "check $*: exit $rc, want 2"
    [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || fail "check $*: stderr is not one line: $err"
}
expect_usage --bogus
expect_usage extra
expect_usage --op nope
expect_usage --op
expect_usage --variant nope
expect_usage --dtype f16
expect_usage --shape 1,2
expect_usage --shape 1,2,x
expect_usage --shape 0,1,1
expect_usage --shape 1,2,3,4
expect_usage --shape 1,,3
expect_usage --shape 1,2,
expect_usage --shape 1,2,99999999999
expect_usage --seed -1
expect_usage --seed 12abc
expect_usage --seed 99999999999999999999999
expect_usage --mode fuzzy
expect_usage --threads 0
expect_usage --threads 1,2,
expect_usage --threads 1,2,3,4,5,6,7,8,9
expect_usage --quiet=1

help=$("$r" check --help) || fail "--help: exit $?"
for o in --op --variant --dtype --shape --seed --mode --threads --quiet --help; do
    printf '%s\n' "$help" | grep -q -- "$o" || fail "--help does not document $o"
done

out=$("$r" check --op relu_bwd --dtype f64 --variant naive --seed 42 --mode exact \
    --threads 1) || fail "small run: exit $?"
printf '%s\n' "$out" | grep -q "seed 42" || fail "the seed is not printed"
[ "$(printf '%s\n' "$out" | grep -c '^relu_bwd  f64 .* naive .* PASSED')" -ge 9 ] ||
    fail "want a PASSED line per shape class: $out"
printf '%s\n' "$out" | grep -q "^summary: .* 0 FAILED, 0 MISTRUSTED" || fail "no summary: $out"

out=$("$r" check --op=layer_bwd --shape=3,5,7 --seed=9 --mode=both --quiet) ||
    fail "--shape run: exit $?"
[ "$(printf '%s\n' "$out" | grep -c PASSED)" -eq 1 ] || fail "--quiet printed lines: $out"
echo "cli_check: all passed"
