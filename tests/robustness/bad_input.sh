#!/usr/bin/env bash
# bad_input.sh RELUVET - the rows of docs/bad-input.md that the unit tests
# do not reach: the command line fed bad input, bad files and interruptions.
# Each case asserts the exit status (2 usage, 1 run-time failure; never a
# signal), the last line of stderr (exactly one line for usage errors) and
# that no output file is torn or half-written.
set -u
set -m # background jobs get SIGINT like a foreground run (not ignored)
r=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
unset RELUVET_WISDOM
fails=0
fail() {
  echo "FAIL: $*"
  fails=$((fails + 1))
}

# expect RC REGEX ARGS...: `reluvet ARGS` exits RC and its last stderr line
# matches REGEX (grep -E), within 60 s; a usage error is that one line only
# (unless lines_before=1: a child's own complaint comes first).
expect() {
  local want=$1 re=$2
  shift 2
  timeout 60 "$r" "$@" >out 2>err
  local rc=$? last
  last=$(tail -n 1 err)
  if [ "$rc" -ne "$want" ]; then
    fail "reluvet $*: exit $rc, want $want: $(cat err)"
  elif ! printf '%s\n' "$last" | grep -Eq -- "$re"; then
    fail "reluvet $*: stderr '$last' does not match '$re'"
  elif [ "$want" -eq 2 ] && [ -z "${lines_before:-}" ] && [ "$(wc -l <err)" -ne 1 ]; then
    fail "reluvet $*: a usage error must be one line: $(cat err)"
  fi
}

# wisdom_ok FILE N: FILE loads (tune --show exits 0) and holds N entries.
wisdom_ok() {
  "$r" tune --wisdom "$1" --show >show 2>&1 || { fail "$1 is not valid wisdom: $(cat show)"; return; }
  [ "$(grep -c '^layer_fwd\|^relu_fwd' show)" -eq "$2" ] ||
    fail "$1 holds $(grep -c '^layer_fwd\|^relu_fwd' show) entries, want $2"
}

touch afile
mkdir emptydir

# --- command line: commands and absurd sizes --------------------------------
expect 2 "^reluvet: unknown command 'nope' \(see reluvet --help\)$" nope
expect 2 "^reluvet list: unexpected argument '--bogus'$" list --bogus
expect 2 "^reluvet help: no such command \(see reluvet --help\)$" help nope
expect 2 "^reluvet help: takes one command name \(see reluvet --help\)$" help check tune
"$r" --version >out 2>err && head -n 1 out | grep -Eq '^reluvet [0-9]+\.[0-9]+\.[0-9]+$' &&
  grep -q '^kernel set ' out || fail "reluvet --version: $(cat out err)"
for c in list check tune bench overfit; do
  "$r" "$c" -h >out 2>err && grep -q "^usage: reluvet $c" out || fail "reluvet $c -h: $(cat err)"
  "$r" help "$c" >out 2>err && grep -q "^usage: reluvet $c" out || fail "reluvet help $c: $(cat err)"
done
"$r" >out 2>err
[ $? -eq 2 ] && head -n 1 err | grep -q '^usage: reluvet <command>' && [ ! -s out ] ||
  fail "reluvet without a command: want exit 2 and the usage on stderr"
expect 2 "^reluvet tune: unknown option '--bogus' \(see --help\)$" tune --bogus
expect 2 "^reluvet tune: option --budget needs a value \(see --help\)$" tune --budget
expect 2 "^reluvet tune: --budget: 'x' is not a number$" tune --budget x
expect 2 "^reluvet tune: --budget: 1e9 is out of range \[0.001, 3600\]$" tune --budget 1e9
expect 2 "^reluvet tune: --effort 'fast': must be measure or exhaustive$" tune --effort fast
expect 2 "^reluvet tune: 99999999999999 is out of range 1..1048576$" tune layer_fwd:f64:99999999999999,1,1
expect 2 "^reluvet bench: unknown argument '--bogus' \(see reluvet bench --help\)$" bench --bogus
expect 2 "^reluvet bench: --out needs a value$" bench --out
expect 2 "^reluvet bench: --seed: 'x' is not an integer$" bench --seed x
expect 2 "^reluvet bench: --seed: 4294967296 is out of range 0..4294967295$" bench --seed 4294967296
# Google Benchmark's own "Failed to match any benchmarks" line comes first
lines_before=1 expect 2 "^reluvet bench: no benchmark case matches --filter '\^nothing[$]'$" \
  bench --no-torch --filter '^nothing$' --out benchout
expect 2 "^reluvet check: --shape: '1000000,1000000,1000000' needs [0-9.]+ GiB of buffers \(limit 1 GiB\)$" \
  check --shape 1000000,1000000,1000000
expect 2 "^reluvet check: --shape: '20000,20000,20000' needs 3.0 GiB of buffers \(limit 1 GiB\)$" \
  check --shape 20000,20000,20000 --op relu_fwd --dtype f32
expect 2 "^reluvet tune: 'layer_fwd:f64:1000000,1000000,1000000' needs [0-9.]+ GiB of buffers \(limit 1 GiB\)$" \
  tune --wisdom w.json layer_fwd:f64:1000000,1000000,1000000
echo "layer_fwd:f64:1000000,1000,1000" >big.txt
expect 2 "^reluvet tune: big.txt: line 1: 'layer_fwd:f64:1000000,1000,1000' needs 22.4 GiB of buffers \(limit 1 GiB\)$" \
  tune --wisdom w.json --shapes big.txt
[ ! -e w.json ] || fail "a refused tune wrote w.json"

# Within the limit but beyond the memory there is (address space capped at
# about 300 MB): out of memory is an error, not a crash.
# Not under AddressSanitizer: its shadow memory cannot live in 300 MB.
if [ -z "${RELUVET_SANITIZED:-}" ]; then
printf '#!/bin/sh\nulimit -v 300000\nexec "%s" "$@"\n' "$r" >lowmem
chmod +x lowmem
real=$r r=./lowmem
expect 1 "^reluvet check: RV_ERR_NOMEM: out of memory for a 4000 x 4000 matrix$" \
  check --shape 4000,4000,4000 --op layer_fwd --variant naive --dtype f64 --mode exact --threads 1
expect 1 "^reluvet tune: layer_fwd f64 n=4000 d=4000 m=4000: out of memory: [0-9]+ bytes of tuning buffers$" \
  tune --threads 1 --wisdom w.json layer_fwd:f64:4000,4000,4000
r=$real
fi
[ ! -e w.json ] || fail "a refused tune wrote w.json"

# --- shape lists -----------------------------------------------------------
expect 2 "^reluvet tune: --shapes: cannot read missing.txt: No such file or directory$" \
  tune --wisdom w.json --shapes missing.txt
expect 2 "^reluvet tune: --shapes emptydir: not a regular file$" tune --wisdom w.json --shapes emptydir
printf 'garbage\n' >bad.txt
expect 2 "^reluvet tune: bad.txt: line 1: 'garbage' is not OP:DTYPE:N,D,M\[:FLAGS\]$" \
  tune --wisdom w.json --shapes bad.txt
head -c 2000000 /dev/zero | tr '\0' '#' >huge.txt
expect 2 "^reluvet tune: --shapes: huge.txt is too large \(2000000 bytes, limit 1048576\)$" \
  tune --wisdom w.json --shapes huge.txt

# --- unwritable paths, results folders that are files ------------------------
tiny="relu_fwd:f32:2,1,2"
# an unwritable wisdom path fails before any search
expect 1 "^reluvet tune: cannot open lock file afile/w.json.lock: Not a directory$" \
  tune --threads 1 --budget 0.01 --wisdom afile/w.json $tiny
! grep -q "candidates in" err || fail "tune searched before finding afile/w.json unwritable"
expect 1 "^reluvet tune: cannot write emptydir: Is a directory$" \
  tune --threads 1 --budget 0.01 --wisdom emptydir $tiny
! grep -q "candidates in" err || fail "tune searched before finding emptydir unwritable"
expect 1 "^reluvet bench: afile exists and is not a folder$" bench --quick --no-torch --out afile
expect 1 "^reluvet bench: cannot create folder /proc/reluvet-bad-input: No such file or directory$" \
  bench --quick --no-torch --out /proc/reluvet-bad-input
expect 1 "^reluvet bench: cannot read emptydir/bench.json: No such file or directory$" \
  bench --report-only --out emptydir
expect 1 "^reluvet overfit: afile exists and is not a folder$" overfit --profile quick --out afile
expect 1 "^reluvet overfit: cannot create folder /proc/reluvet-bad-input: No such file or directory$" \
  overfit --profile quick --out /proc/reluvet-bad-input
[ ! -s afile ] || fail "afile was written to"

# --- hostile names in a results file: data to gnuplot, never commands -------
expect 2 "^reluvet bench: --out: empty folder name$" bench --out ''
# the names of bench.json go into the figure's titles; the folder's own name
# holds a quote, a backquote and a macro. Nothing may run, the report is made.
hostile="h'o \`touch PWNED\` @x"
mkdir "$hostile"
cat >"$hostile/bench.json" <<'EOF2'
{"context": {}, "benchmarks": [
 {"name": "relu_fwd/a';system('touch PWNED');'/f32/cache/8x256/t1", "GB/s": 3, "bytes": 16384},
 {"name": "relu_fwd/`touch PWNED`/f32/cache/8x256/t1", "GB/s": 4, "bytes": 16384},
 {"name": "relu_fwd/b'\nsystem('touch PWNED')\n'/f32/cache/8x256/t1", "GB/s": 5, "bytes": 16384}]}
EOF2
(cd "$hostile" && exec timeout 60 "$r" bench --report-only --out . >../out 2>../err)
rc=$?
[ "$rc" -eq 0 ] || fail "bench --report-only on hostile names: exit $rc: $(cat err)"
for d in . "$hostile" "$hostile/fig"; do
  [ ! -e "$d/PWNED" ] || fail "a name in bench.json ran a command: $d/PWNED"
done
if command -v gnuplot >/dev/null; then
  grep -q "figures: 1 in \./fig$" out || fail "hostile names: no figure drawn: $(cat out)"
fi
# a full disk: the figure is missing with the reason, never half-written
mkdir full
if mount -t tmpfs -o size=48k tmpfs full 2>/dev/null; then
  cp "$hostile/bench.json" full/ && head -c 24000 /dev/zero >full/fill
  timeout 60 "$r" bench --report-only --out full >out 2>err
  rc=$?
  if command -v gnuplot >/dev/null; then
    grep -q "figures: 0 in full/fig: gnuplot could not write all of full/fig/relu_fwd-f32-t1.svg (is the disk full?)$" out ||
      fail "bench report on a full disk: exit $rc, no reason for the missing figure: $(cat out err)"
  fi
  ls full/fig | grep -q 'svg' && fail "a full disk left an SVG: $(ls full/fig)"
  umount full
else
  echo "bad_input: no tmpfs mount here (not root?): the full-disk case is not run"
fi

# --- wisdom files: warned about, tuned again, replaced ------------------------
good_wisdom() {
  rm -f w.json
  "$r" tune --threads 1 --budget 0.01 --wisdom w.json $tiny >/dev/null 2>&1 || fail "tiny tune failed"
}
good_wisdom
# bad_wisdom NAME WHY: w.json (already damaged) is rejected by --show with WHY
# (exit 1), then a tune warns, tunes again and replaces it with valid wisdom.
bad_wisdom() {
  expect 1 "^reluvet tune: warning: wisdom file w.json: $2; ignoring it \(its problems are tuned again\)$" \
    tune --wisdom w.json --show
  expect 0 "^reluvet tune: warning: wisdom file w.json: $2; replacing it$" \
    tune --threads 1 --budget 0.01 --wisdom w.json $tiny
  wisdom_ok w.json 1
  good_wisdom
}
head -c 60 w.json >cut && mv cut w.json
bad_wisdom truncated "not valid JSON \(truncated or malformed at byte [0-9]+ of 60\)"
head -c 200000 /dev/zero | tr '\0' '[' >w.json
bad_wisdom nested "not valid JSON \(truncated or malformed at byte [0-9]+ of 200000\)"
# oversized: not a file we wrote (replaces the bad_wisdom oversized line)
head -c 5000000 /dev/zero | tr '\0' ' ' >w.json
expect 1 "^reluvet tune: warning: wisdom file w.json: w.json is too large \(5000000 bytes, limit 4194304\); ignoring it \(its problems are tuned again\)$" \
  tune --wisdom w.json --show
expect 1 "^reluvet tune: wisdom file w.json is too large \(5000000 bytes, limit 4194304\); not replacing it$" \
  tune --threads 1 --budget 0.01 --wisdom w.json $tiny
[ "$(wc -c <w.json)" -eq 5000000 ] || fail "tune replaced an oversized w.json it did not write"
good_wisdom
echo '[1, 2]' >w.json
bad_wisdom foreign-json "not a reluvet wisdom file \(no \"format\": \"reluvet-wisdom\"\)"
echo '{"format": "reluvet-wisdom", "version": "1"}' >w.json
bad_wisdom wrong-typed "unsupported wisdom format version \(want 1\)"
sed -i 's/"n":\t2,/"n":\t1e999,/' w.json
bad_wisdom huge-number "entries\[0\]\.n: expected an integer in 1\.\.[0-9]+"
sed -i 's/"kernel_set":\t"/"kernel_set":\t"old-/' w.json
bad_wisdom foreign-fingerprint "made for another machine or build: kernel_set is 'old-[^']*' there, '[^']*' here"
good_wisdom
# --- wisdom targets a tune must never replace ---
mkfifo w.fifo
expect 1 "^reluvet tune: wisdom file w.fifo is not a regular file; not replacing it$" \
  tune --threads 1 --budget 0.01 --wisdom w.fifo $tiny
[ -p w.fifo ] && [ ! -e w.fifo.lock ] || fail "tune replaced the FIFO w.fifo or locked beside it"
# a character device: our own (as root, who could destroy a real one: a tune
# as root once replaced /dev/full), else /dev/full, which only root can replace
dev=/dev/full
mknod w.dev c 1 7 2>/dev/null && dev=w.dev
RELUVET_WISDOM=$dev expect 1 "^reluvet tune: wisdom file $dev is not a regular file; not replacing it$" \
  tune --threads 1 --budget 0.01 $tiny
[ -c $dev ] && [ ! -e $dev.lock ] || fail "tune replaced the character device $dev or locked beside it"
ln -s w.json w.link
expect 0 "^\[1/1\] relu_fwd f32 n=2 d=1 m=3: " tune --threads 1 --budget 0.01 --wisdom w.link relu_fwd:f32:2,1,3
[ -L w.link ] && [ "$(readlink w.link)" = w.json ] || fail "tune replaced the symlink w.link"
[ ! -e w.link.lock ] || fail "tune locked beside the link, not its target"
wisdom_ok w.json 2
good_wisdom
if [ "$(id -u)" -ne 0 ]; then # root reads everything
  echo '{}' >secret.json && chmod 000 secret.json
  expect 1 "^reluvet tune: wisdom file secret.json: cannot read it: Permission denied; not replacing it$" \
    tune --threads 1 --budget 0.01 --wisdom secret.json $tiny
  chmod 600 secret.json && [ "$(cat secret.json)" = '{}' ] || fail "tune replaced unreadable secret.json"
fi
# --- wisdom paths that name a folder ---
had_root_lock=$([ -e /.lock ] && echo 1 || echo 0)
expect 1 "^reluvet tune: wisdom path / ends in '/': it names a folder, not a file$" \
  tune --threads 1 --budget 0.01 --wisdom / $tiny
[ "$had_root_lock" -eq 1 ] || [ ! -e /.lock ] || fail "tune --wisdom / created /.lock"
expect 1 "^reluvet tune: wisdom path emptydir/ ends in '/': it names a folder, not a file$" \
  tune --threads 1 --budget 0.01 --wisdom emptydir/ $tiny
[ ! -e emptydir/.lock ] || fail "tune --wisdom emptydir/ created emptydir/.lock"
# --- strict wisdom: nothing after the document, every value in range ---
echo garbage >>w.json
bad_wisdom trailing-garbage "not valid JSON \(data after the document at byte [0-9]+ of [0-9]+\)"
cat w.json w.json >w2 && mv w2 w.json
bad_wisdom second-document "not valid JSON \(data after the document at byte [0-9]+ of [0-9]+\)"
sed -i 's/"seconds":\t[^,]*/"seconds":\t1e308/' w.json
bad_wisdom huge-seconds "entries\[0\]\.seconds: expected a number in 0\.\.86400"
sed -i 's/"failed":\t0/"failed":\t0, "failed": 0/' w.json
bad_wisdom field-twice 'entries\[0\]: field "failed" appears twice'
sed -i 's/"block_rows":\t0/"block_rows":\t0.5/' w.json
bad_wisdom fraction "entries\[0\]\.block_rows: expected an integer in 0\.\.4096"
# --- tune's header comes before its progress in one redirected file ---
"$r" tune --threads 1 --budget 0.01 --wisdom w.json relu_fwd:f32:2,1,5 >both 2>&1
head -n 1 both | grep -q '^tuning 1 problems' ||
  fail "tune's header is not the first line of a redirected run: $(head -n 2 both)"
# --- over-long fields of a problem spec: errors, never cut ---
expect 2 "^reluvet tune: unknown flag 'nobiasXXXXXXXXXXXXXXXXXXXXX' in FLAGS \(h, dx, nobias joined by '\+'\)$" \
  tune --wisdom w.json layer_fwd:f64:2,2,2:nobiasXXXXXXXXXXXXXXXXXXXXX
expect 2 "^reluvet tune: flag 'h' given twice in FLAGS$" tune --wisdom w.json layer_fwd:f64:2,2,2:h+h
expect 2 "^reluvet tune: OP 'layer_fwdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\.\.\.' is too long \(at most 31 bytes\)$" \
  tune --wisdom w.json layer_fwdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:f64:2,2,2
echo 'layer_fwd:f64:2,2,2:nobiasXXXXXXXXXXXXXXXXXXXXX' >flags.txt
expect 2 "^reluvet tune: flags.txt: line 1: unknown flag 'nobiasXXXXXXXXXXXXXXXXXXXXX' in FLAGS \(h, dx, nobias joined by '\+'\)$" \
  tune --wisdom w.json --shapes flags.txt
# --- a BLIS kernel set that cannot run is an error, not a silent fallback ---
RELUVET_BLIS_ARCH=garbage expect 2 "^reluvet check: RELUVET_BLIS_ARCH=garbage: unknown BLIS sub-configuration \(usable here: [a-z0-9, ]*generic\)$" check
RELUVET_BLIS_ARCH=knc expect 2 "^reluvet tune: RELUVET_BLIS_ARCH=knc: not built into this BLIS \(usable here: [a-z0-9, ]*generic\)$" tune --show
RELUVET_BLIS_ARCH=generic expect 0 "" list
# overfit reads wisdom too: a rejected file is a warning and every plan is
# estimated; the sweep runs (its verdicts may fail: exit 0 or 1) and the
# file is left alone.
head -c 60 w.json >cut && mv cut w.json
cp w.json w.before
timeout 60 "$r" overfit --profile quick --seeds 2 --width 50 --d 1,3,10 --p 0.1,0.2 \
  --hinge-steps 1000 --logistic-steps 10 --jobs 2 --out of-w --wisdom w.json >out 2>err
[ $? -lt 2 ] || fail "overfit with truncated wisdom did not run: $(cat err)"
grep -q "^reluvet overfit: warning: wisdom file w.json: not valid JSON (truncated or malformed at byte [0-9]* of 60); ignoring it (every plan is estimated)$" err ||
  fail "overfit with truncated wisdom: no warning: $(cat err)"
grep -q "^overfit: kernels: 0 of 10 training plans tuned (wisdom file w.json, thread cap 1); the others estimated" err ||
  fail "overfit with truncated wisdom: no kernels line: $(cat err)"
cmp -s w.json w.before || fail "overfit changed the wisdom file"
good_wisdom

# --- two tunes writing one wisdom file at once -------------------------------
rm -f w.json
"$r" tune --threads 1 --budget 0.05 --wisdom w.json \
  layer_fwd:f64:40,7,11 layer_fwd:f64:40,7,12 layer_fwd:f64:40,7,13 >o1 2>e1 &
p1=$!
"$r" tune --threads 1 --budget 0.05 --wisdom w.json \
  layer_fwd:f64:40,7,21 layer_fwd:f64:40,7,22 layer_fwd:f64:40,7,23 >o2 2>e2 &
p2=$!
wait $p1 || fail "concurrent tune 1: exit $?: $(cat e1)"
wait $p2 || fail "concurrent tune 2: exit $?: $(cat e2)"
wisdom_ok w.json 6

# --- overfit checkpoints: foreign, truncated, oversized ----------------------
small=(overfit --profile quick --seeds 2 --width 50 --d 1,3,10 --p 0.1,0.2 --jobs 2 --out of)
timeout 60 "$r" "${small[@]}" >/dev/null 2>&1
[ $? -lt 2 ] || fail "the small overfit sweep did not run"
cell=of/cells/cell-d1-n10-p0.1000-bias.json
[ -s "$cell" ] || fail "no checkpoint $cell"
expect 1 "^reluvet overfit: checkpoint $cell was made with other settings: use another output folder or remove it$" \
  "${small[@]}" --width 60
head -c 100 "$cell" >cut && mv cut "$cell"
expect 1 "^reluvet overfit: checkpoint $cell is malformed$" "${small[@]}"
[ "$(wc -c <"$cell")" -eq 100 ] || fail "the refused checkpoint was rewritten"
truncate -s 65M "$cell"
expect 1 "^reluvet overfit: $cell is too large \([0-9]+ bytes, limit [0-9]+\)$" "${small[@]}"
rm -rf of

# --- overfit: --out values refused up front ----------------------------------
expect 2 "^reluvet overfit: --out: empty folder name$" overfit --out ''
expect 2 "^reluvet overfit: --out: the folder name is 3801 bytes long, at most 3800$" \
  overfit --profile quick --out "$(printf 'x%.0s' $(seq 1 3801))"

# --- overfit checkpoints: impossible values, trailing data -------------------
timeout 60 "$r" "${small[@]}" >/dev/null 2>&1
cp "$cell" cell.good
sed -i '0,/"clean_error":\t[^,]*/s//"clean_error":\t-3/' "$cell"
expect 1 "^reluvet overfit: checkpoint $cell: run 0: clean_error = -3 is out of range \[0, 1\]$" "${small[@]}"
cp cell.good "$cell" && sed -i '0,/"flips":\t[0-9]*/s//"flips":\t-5/' "$cell"
expect 1 "^reluvet overfit: checkpoint $cell: run 0: flips = -5: expected an integer in 0\.\.10$" "${small[@]}"
cp cell.good "$cell" && echo garbage >>"$cell"
expect 1 "^reluvet overfit: checkpoint $cell is malformed \(data after the JSON document at byte [0-9]+ of [0-9]+\)$" "${small[@]}"
cmp -s <(head -c -8 "$cell") cell.good || fail "the refused checkpoint was rewritten"
rm -rf of cell.good

# --- overfit results folder: one run at a time, writable up front ------------
"$r" "${small[@]}" --seeds 150 --out oflock >/dev/null 2>lock1.err &
pid=$!
for _ in $(seq 1 600); do [ -s oflock/.lock ] && break; sleep 0.05; done
expect 1 "^reluvet overfit: results folder oflock is in use by pid $pid on host [^ ]+, running since [0-9-]+ [0-9:]+ UTC: wait for it to finish or use another --out$" \
  "${small[@]}" --width 60 --out oflock
# the holder is not waited for (150 seeds take minutes under the sanitizers):
# SIGINT ends it as a user would; a finished run's release is checked by the
# resumed sweep below
kill -INT "$pid"
wait "$pid"
[ $? -eq 130 ] || fail "the overfit holding oflock did not end by SIGINT: $(tail -n 1 lock1.err)"
mkdir oflk && echo notes >oflk/.lock
expect 1 "^reluvet overfit: oflk/\.lock is not a reluvet lock file: remove it if no reluvet run uses this folder$" \
  "${small[@]}" --out oflk
[ "$(cat oflk/.lock)" = notes ] || fail "overfit rewrote a .lock it did not make"
mkdir ofro && ln -s /proc ofro/cells # a folder where even root cannot create a file
expect 1 "^reluvet overfit: checkpoint folder ofro/cells is not writable: cannot create a file in it: No such file or directory$" \
  "${small[@]}" --out ofro
! grep -Eq "runs [1-9][0-9]*/" err || fail "overfit computed runs before finding ofro/cells unwritable"
rm -rf oflock oflk ofro

# --- SIGINT to a running overfit sweep: finished cells survive, resume -------
long=(overfit --profile quick --seeds 8 --d 1,3,10 --p 0.1,0.2 --jobs 1 --out of)
"$r" "${long[@]}" >/dev/null 2>int.err &
pid=$!
for _ in $(seq 1 600); do
  [ "$(ls of/cells 2>/dev/null | grep -c '^cell-.*\.json$')" -ge 1 ] && break
  sleep 0.05
done
kill -INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || fail "overfit after SIGINT: exit $rc, want 130 (killed by SIGINT)"
saved=$(ls of/cells | grep -c '^cell-.*\.json$')
[ "$saved" -ge 1 ] && [ "$saved" -lt 10 ] || fail "SIGINT: $saved of 10 cells saved, want 1..9"
# the resumed sweep: about 30 s here, several minutes at -O0 under ASan
limit=120
[ -z "${RELUVET_SANITIZED:-}" ] || limit=600
timeout "$limit" "$r" "${long[@]}" >/dev/null 2>resume.err
rc=$?
[ "$rc" -lt 2 ] || fail "resumed overfit: exit $rc: $(tail -n 1 resume.err)"
resumed=$(grep -o '([0-9]* resumed)' resume.err | head -n 1 | tr -dc 0-9)
[ "${resumed:-0}" -eq "$saved" ] || fail "SIGINT: $saved cells saved, ${resumed:-0} resumed"
[ "$(ls of/cells | grep -c '^cell-.*\.json$')" -eq 10 ] || fail "the resumed sweep did not finish"
[ -s of/results.json ] || fail "no results.json after the resumed sweep"
grep -Eq "^overfit: of/\.lock: took over the lock of pid $pid on host [^ ]+, started [0-9-]+ [0-9:]+ UTC, which is no longer running$" resume.err ||
  fail "SIGINT: the rerun did not take over the stale lock: $(head -n 3 resume.err)"
[ ! -e of/.lock ] || fail "SIGINT: the lock outlived the resumed sweep"

[ "$fails" -eq 0 ] && echo "bad_input: all passed"
exit $((fails > 0))
