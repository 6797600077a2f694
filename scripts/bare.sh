#!/usr/bin/env bash
# bare.sh - the front door on a bare Debian 12, as a new user meets it: a
# minimal root (debootstrap --variant=minbase, Debian's packages only), a
# fresh clone of this checkout's HEAD in it, and the README's two commands
# run there exactly as written, in a clean environment:
#   scripts/test.sh                  (the tests)
#   scripts/run.sh --profile quick   (the main job, quick profile)
# Each prints its time. Fails closed: a root that cannot be built, a mount
# that cannot be made or undone, is a failure, never a skip.
#
# Needs root (chroot, mknod, mount). The base root is built once and kept
# as a tarball in RELUVET_BARE_CACHE (default /var/cache/reluvet-bare);
# every run unpacks a fresh copy under /var/tmp and removes it afterwards.
# The host's /dev is never mounted into the root: the few device nodes a
# build needs are made in it, with a private /dev/pts and its own /proc and
# (read-only) /sys. Nothing is deleted through a mount point: every mount
# under the root is undone first, and the removal stays on one file system.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${RELUVET_BARE_CACHE:-/var/cache/reluvet-bare}
suite=bookworm
base="$cache/$suite-minbase.tar"
say() { echo "bare: $*"; }
die() { echo "bare: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (chroot, mknod, mount)"
command -v git >/dev/null || die "git is needed to clone the checkout"

# Debian's mirror: the first one this machine's apt uses (deb822 or
# one-line sources), so the root is built from the same archive.
mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f"
  done | head -n 1 | grep . && return
  awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) {print $i; exit}}' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1 | grep .
}

# The mount points under $1, deepest first (as the kernel lists them).
mounts_under() {
  awk -v r="$1" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/self/mounts | sort -r
}

# Unmounts everything under $1, then removes $1 without crossing into
# another file system; refuses to remove anything while a mount is left.
remove_root() {
  local root=$1 m
  [ -d "$root" ] || return 0
  for m in $(mounts_under "$root"); do
    umount "$m" || umount -l "$m" || true
  done
  if [ -n "$(mounts_under "$root")" ]; then
    echo "bare: FAILED: still mounted under $root, left in place: $(mounts_under "$root" | tr '\n' ' ')" >&2
    return 1
  fi
  rm -rf --one-file-system -- "$root"
}

# --- the base root, built once ----------------------------------------------
if [ ! -s "$base" ]; then
  if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap (host)"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1 ||
      die "cannot install debootstrap on this machine"
  fi
  url=$(mirror) || die "no Debian mirror found in this machine's apt sources"
  mkdir -p "$cache"
  build=$(mktemp -d /var/tmp/reluvet-bare-build.XXXXXX)
  trap 'remove_root "$build"' EXIT
  say "building a minbase $suite root (debootstrap, log in $cache/debootstrap.log)"
  start=$SECONDS
  debootstrap --variant=minbase "$suite" "$build" "$url" >"$cache/debootstrap.log" 2>&1 ||
    die "debootstrap failed: see $cache/debootstrap.log (last line: $(tail -n 1 "$cache/debootstrap.log"))"
  left=$(mounts_under "$build")
  [ -z "$left" ] || die "debootstrap left mounts under $build: $left"
  tar -C "$build" --one-file-system --numeric-owner -cf "$base.tmp.$$" . ||
    die "cannot pack the base root into $base"
  mv -f "$base.tmp.$$" "$base"
  remove_root "$build" || die "cannot remove the build root $build"
  trap - EXIT
  say "base root built in $((SECONDS - start)) s: $base ($(du -h "$base" | cut -f1))"
fi

# --- a fresh root for this run ------------------------------------------------
root=$(mktemp -d /var/tmp/reluvet-bare.XXXXXX)
trap 'remove_root "$root" || exit 1' EXIT
tar -C "$root" --numeric-owner -xf "$base" || die "cannot unpack $base"
# it is the root's /: mktemp's 0700 (kept by the tarball's "." too) would
# shut every user but root out of the whole tree
chmod 0755 "$root"
dev="$root/dev"
for node in "null c 1 3" "zero c 1 5" "full c 1 7" "random c 1 8" "urandom c 1 9" "tty c 5 0"; do
  set -- $node
  [ -c "$dev/$1" ] || { rm -f -- "$dev/$1"; mknod -m 666 "$dev/$1" "$2" "$3" "$4"; } ||
    die "cannot make $dev/$1"
done
mkdir -p "$dev/pts" "$dev/shm" && chmod 1777 "$dev/shm"
ln -sfn /proc/self/fd "$dev/fd"
mount -t proc proc "$root/proc" || die "cannot mount /proc in the root"
mount -t sysfs -o ro sysfs "$root/sys" || die "cannot mount /sys in the root"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$dev/pts" ||
  die "cannot mount a private /dev/pts in the root"
ln -sfn pts/ptmx "$dev/ptmx"
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# the archive this machine's apt reads, with its date checks (a dated
# snapshot would fail them)
for f in /etc/apt/apt.conf.d/*; do
  grep -qs 'Check-Valid-Until\|Check-Date\|Proxy' "$f" && cp "$f" "$root/etc/apt/apt.conf.d/"
done
git clone --quiet "$here" "$root/root/reluvet" || die "cannot clone $here into the root"
say "root ready: $(git -C "$here" rev-parse --short HEAD) cloned into a bare $suite"

# in_root CMD...: runs CMD in the clone inside the root, in the clean
# environment of a new root shell (no variable of this run leaks in).
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb /usr/bin/env -C /root/reluvet "$@"
}
for cmd in "scripts/test.sh" "scripts/run.sh --profile quick"; do
  say "\$ $cmd"
  start=$SECONDS
  # shellcheck disable=SC2086  # the README's words, split as a shell would
  in_root $cmd || die "'$cmd' failed on the bare root after $((SECONDS - start)) s"
  say "'$cmd' passed in $((SECONDS - start)) s"
done
remove_root "$root" || die "cannot remove $root"
trap - EXIT
say "passed: the README's two commands on a bare $suite"
