#!/usr/bin/env bash
# A private Redis server for dyad's worker tests and benchmarks: installs Debian's
# redis-server when missing (through install-deps.sh), and runs it from DIR (default
# build/redis in this checkout) on a Unix socket in DIR, with its append-only file on and
# written and fsynced before every reply (appendonly yes, appendfsync always), so that nothing
# it acknowledged is lost even when the server is killed (SIGKILL) or the machine stops.
# With appendfsync everysec, Redis may answer a write whose append is still in its own memory
# (it postpones the write to the file for up to 2 s while a background fsync runs): a killed
# server then loses entries `dyad enqueue` was told were added. With always, each pass of its
# event loop writes and fsyncs the file before it sends that pass's replies.
#
# Usage: scripts/redis-server.sh start [DIR]    prints the server's URL (unix://DIR/redis.sock)
#        scripts/redis-server.sh stop [DIR]     shuts it down (its data stays in DIR)
#        scripts/redis-server.sh kill [DIR]     kills it with SIGKILL, as a crash would (tests)
#        scripts/redis-server.sh status [DIR]   exits 0 when the server answers
#        scripts/redis-server.sh destroy [DIR]  stops it and removes DIR
#        scripts/redis-server.sh uri [DIR]      the server's URL
#
# DYAD_REDIS_PORT=N also listens on 127.0.0.1:N (0 or unset: the socket only). A socket path
# is limited to about 100 bytes: a checkout deep in the file system names a shorter DIR.
set -euo pipefail
cmd=${1:-start}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${2:-$top/build/redis}
case "$dir" in /*) ;; *) dir=$(pwd)/$dir ;; esac
sock=$dir/redis.sock
port=${DYAD_REDIS_PORT:-0}
here=$(cd "$(dirname "$0")" && pwd)

ping() { redis-cli -s "$sock" ping 2>/dev/null | grep -q PONG; }
pid() { [ -s "$dir/redis.pid" ] && cat "$dir/redis.pid"; }

stop() {
  local p
  p=$(pid) || return 0
  if kill -0 "$p" 2>/dev/null; then
    # SHUTDOWN flushes the append-only file; without a save point it writes no RDB file
    redis-cli -s "$sock" shutdown >/dev/null 2>&1 || kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { kill -KILL "$p" 2>/dev/null || true; }
  fi
  rm -f "$dir/redis.pid"
}

case "$cmd" in
  start)
    "$here/install-deps.sh" redis
    [ ${#sock} -le 100 ] || { echo "redis-server.sh: socket path too long ($sock): name a shorter DIR" >&2; exit 3; }
    mkdir -p "$dir"
    if ! ping; then
      stop
      redis-server - >/dev/null <<CONF || { cat "$dir/redis.log" >&2 2>/dev/null; exit 3; }
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
unixsocket $sock
unixsocketperm 700
port $port
bind 127.0.0.1
protected-mode yes
save ""
appendonly yes
appendfsync always
CONF
      for _ in $(seq 100); do ping && break; sleep 0.1; done
      ping || { echo "redis-server.sh: the server did not answer on $sock" >&2; tail -n 20 "$dir/redis.log" >&2; exit 3; }
    fi
    echo "unix://$sock"
    ;;
  stop) stop ;;
  kill)
    p=$(pid) || exit 0
    kill -KILL "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    ;;
  status) ping ;;
  destroy)
    stop
    rm -rf "$dir"
    ;;
  uri) echo "unix://$sock" ;;
  *)
    echo "usage: scripts/redis-server.sh start|stop|kill|status|destroy|uri [DIR]" >&2
    exit 2
    ;;
esac
