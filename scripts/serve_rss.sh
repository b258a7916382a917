#!/usr/bin/env bash
# Peak memory of `onair serve` over a large schedule: generates the peer harness's schedule of
# N events (default 1,000,000), imports it with the release binary into a fresh store,
# starts `serve` on a loopback port, sends what's on, play-artist, launch and playback-stopped
# requests, and prints VmHWM / VmRSS of the server from /proc. Stops only the server it started.
# usage: scripts/serve_rss.sh [EVENTS] [BIN]   (the 1M store needs ~5 GB of free disk)
#   ONAIR_BENCH_HARNESS  the peer harness (default: shared/bench beside the project; only read)
#   ONAIR_RSS_CACHE      where the converted schedule is kept (default /tmp/onair-rss-cache)
set -euo pipefail
events=${1:-1000000}
bin=$(realpath "${2:-target/release/onair}")
harness=${ONAIR_BENCH_HARNESS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bench}
cache=${ONAIR_RSS_CACHE:-/tmp/onair-rss-cache}
port=${ONAIR_RSS_PORT:-18290}
mkdir -p "$cache"
onair_json=$cache/onair-$events.json
if [[ ! -f $onair_json ]]; then
  python3 "$harness/data/gen_schedule.py" "$events" "$cache/schedule-$events.json"
  python3 "$harness/peers/onair/to_onair.py" "$cache/schedule-$events.json" "$onair_json.tmp"
  rm "$cache/schedule-$events.json"
  mv "$onair_json.tmp" "$onair_json"
fi
# A fresh store each run (a 1M-event store takes gigabytes; it is deleted on exit).
data=$(mktemp -d /tmp/onair-rss-data.XXXXXX)
trap 'rm -rf "$data" "$data.log"' EXIT
started=$(date +%s)
"$bin" import "$onair_json" --data-dir "$data" >&2
echo "imported $events events in $(( $(date +%s) - started )) s, store $(du -sh "$data" | cut -f1)" >&2
started=$(date +%s.%N)
"$bin" serve --addr "127.0.0.1:$port" --data-dir "$data" --no-verify --tz UTC 2>"$data.log" &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data" "$data.log"; }
trap cleanup EXIT
until curl -sf -o /dev/null -H 'content-type: application/json' \
    --data-binary @"$harness/requests/launch.json" "http://127.0.0.1:$port/alexa"; do
  kill -0 "$server" 2>/dev/null || { cat "$data.log" >&2; exit 1; }
  sleep 0.2
done
echo "serving $events events after $(python3 -c "import sys; print(round($(date +%s.%N) - $started, 1))") s" >&2
for round in 1 2 3 4 5; do
  for req in launch whats_on play_artist playback_stopped; do
    curl -sf -o /dev/null -H 'content-type: application/json' \
      --data-binary @"$harness/requests/$req.json" "http://127.0.0.1:$port/alexa"
  done
done
grep -E '^(VmHWM|VmRSS):' "/proc/$server/status"
