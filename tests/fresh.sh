#!/usr/bin/env bash
# fresh.sh — `make test-fresh`: the README's two commands, exactly as written, on a Debian 12
# root that has none of dyad's packages: what a new user meets on a new machine.
#
# Builds a minimal Debian 12 (bookworm) root with debootstrap from Debian's own archive — the
# minbase variant plus `make`, since the two commands are make commands — and keeps it as a
# tarball under build/fresh/ so a rerun unpacks it in seconds. A clean clone of this checkout's
# HEAD (what is committed, not the work tree) and a read-only copy of ../shared go into the
# root, and there, as root with an environment empty but for the machine's network settings:
#     cd /work/dyad && make demo        then        make test
# Each must exit 0; the second must end with "N passed, 0 failed". The root's own /proc, /sys
# and /dev are mounted for the run and unmounted after; a policy-rc.d keeps apt from starting
# services (PostgreSQL's package would start a cluster of its own), as in any build chroot.
# Anything still running in the root afterwards is a failure (and is killed).
#
# Needs root (debootstrap, chroot, mount). Environment:
#   DYAD_FRESH_MIRROR  the Debian archive (default http://deb.debian.org/debian)
#   DYAD_FRESH_KEEP=1  leave the unpacked root in build/fresh/root after the run
# Prints the inner runs' logs' last lines on failure; the whole logs are in build/fresh/*.log.
# Ends with "fresh: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
work=$top/build/fresh
root=$work/root
tarball=$work/bookworm-minbase.tar.gz
mirror=${DYAD_FRESH_MIRROR:-http://deb.debian.org/debian}
shared=$top/../shared
pass=0 fail=0

say() { echo "fresh: $*"; }
finish() { echo "fresh: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }

if [ "$(id -u)" -ne 0 ]; then
  say "needs root (debootstrap, chroot and mount); run it as root or in CI"
  fail=1; finish
fi
scripts/install-deps.sh fresh || { say "cannot install debootstrap"; fail=1; finish; }
mkdir -p "$work"

# ---- the root: unpacked from the cached tarball, made once with debootstrap ---------------------
mounts=()
cleanup() {
  local m
  for ((m = ${#mounts[@]} - 1; m >= 0; m--)); do umount -l "${mounts[m]}" 2>/dev/null; done
  mounts=()
  [ "${DYAD_FRESH_KEEP:-0}" = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a root left by an interrupted run may still have mounts inside it
for m in dev/shm dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null; done
rm -rf "$root"
if [ ! -s "$tarball" ]; then
  say "making a Debian 12 minbase root with debootstrap (once; cached as ${tarball#$top/})"
  t0=$SECONDS
  if ! debootstrap --variant=minbase --include=make bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 20 "$work/debootstrap.log"; say "debootstrap failed (log: build/fresh/debootstrap.log)"
    fail=1; finish
  fi
  tar -C "$root" -czf "$tarball.part" . && mv "$tarball.part" "$tarball"
  say "root made in $((SECONDS - t0)) s"
else
  mkdir -p "$root" && tar -C "$root" -xzf "$tarball" || { say "cannot unpack $tarball"; fail=1; finish; }
fi

# what a new machine has: none of dyad's packages (so the check below can fail)
for p in build-essential wordnet-base libjansson-dev postgresql npm; do
  if chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    say "the fresh root already has $p: it proves nothing"; fail=$((fail + 1))
  fi
done

# ---- set-up of the root: the machine's network, no services, the mounts ---------------------------
# What belongs to the machine rather than to dyad comes along: its name servers, and its TLS
# trust (local CA certificates, which ca-certificates adds to the bundle when apt installs it,
# and the environment variables that point programs at that bundle, or at a proxy).
cp /etc/resolv.conf "$root/etc/resolv.conf"
if [ -d /usr/local/share/ca-certificates ]; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/"
fi
netenv=()
while IFS='=' read -r k v; do
  case "$k" in
    NODE_EXTRA_CA_CERTS | SSL_CERT_FILE | SSL_CERT_DIR | CURL_CA_BUNDLE | REQUESTS_CA_BUNDLE | \
    http_proxy | https_proxy | no_proxy | HTTP_PROXY | HTTPS_PROXY | NO_PROXY) netenv+=("$k=$v") ;;
  esac
done < <(env)
printf '#!/bin/sh\n# build chroot: apt starts no services\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mnt() { # TYPE-or-bind SOURCE TARGET
  if [ "$1" = bind ]; then mount --bind "$2" "$root/$3"; else mount -t "$1" "$2" "$root/$3"; fi &&
    mounts+=("$root/$3")
}
mnt proc proc proc && mnt sysfs sys sys && mnt bind /dev dev && mnt bind /dev/pts dev/pts &&
  mnt tmpfs tmpfs dev/shm || { say "cannot mount /proc, /sys or /dev in the root"; fail=1; finish; }

# ---- a clean clone and ../shared, as CI lays them --------------------------------------------------
mkdir -p "$root/work"
git clone -q "$top" "$root/work/dyad" || { say "cannot clone $top"; fail=1; finish; }
if [ -d "$shared" ]; then
  cp -a "$shared" "$root/work/shared" && chmod -R a-w "$root/work/shared"
else
  say "../shared is absent: the tests that read it will skip"
fi
say "testing $(git -C "$top" rev-parse --short HEAD) in a root with none of dyad's packages"

# ---- the README's two commands, exactly as written -------------------------------------------------
inner() { # NAME COMMAND: runs COMMAND in the clone inside the root with an empty environment
  local name=$1 cmd=$2 t0=$SECONDS rc
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 "${netenv[@]}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/sh -c "cd /work/dyad && $cmd" </dev/null >"$work/$name.log" 2>&1
  rc=$?
  say "'$cmd' exited $rc in $((SECONDS - t0)) s"
  return $rc
}
if inner demo 'make demo'; then
  pass=$((pass + 1))
  if inner test 'make test'; then
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/test.log" | tail -n 1)
    if [ -n "$line" ] && [ "${line#* passed, }" = "0 failed" ]; then
      pass=$((pass + 1)); say "make test: $line"
    else
      fail=$((fail + 1)); say "make test exited 0 but did not end with N passed, 0 failed"
    fi
  else
    fail=$((fail + 1)); grep -E '^FAIL|: [0-9]+ passed, [1-9][0-9]* failed|no summary' "$work/test.log" | head -n 40
    tail -n 30 "$work/test.log"
  fi
else
  fail=$((fail + 2)); tail -n 30 "$work/demo.log"
fi

# ---- nothing of the run may still be running in the root -------------------------------------------
left=()
for p in /proc/[0-9]*; do
  [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && left+=("${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | head -c 120)")
done
if [ ${#left[@]} -gt 0 ]; then
  fail=$((fail + 1)); say "still running in the root after make test:"; printf '    %s\n' "${left[@]}"
  for l in "${left[@]}"; do kill -9 "${l%% *}" 2>/dev/null; done
  sleep 1
fi
finish
