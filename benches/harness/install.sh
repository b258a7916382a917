#!/usr/bin/env bash
# Adds the varied-request variant to a writable copy of the peer harness: writes the varied
# request files into its requests/ and puts varied.lua in place of wrk/post.lua (the original
# is kept as wrk/post-fixed.lua; varied.lua posts a plain request file unchanged, so the
# harness's own four request types still run as before).
# usage: benches/harness/install.sh [/tmp/onair-bench] [--count N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=${1:-/tmp/onair-bench}
shift || true
[[ -x $bench/run.sh ]] || { echo "no harness at $bench (cp -r ../shared/bench $bench first)" >&2; exit 1; }
python3 "$here/gen_requests.py" "$bench/requests" "$@"
[[ -f $bench/wrk/post-fixed.lua ]] || cp "$bench/wrk/post.lua" "$bench/wrk/post-fixed.lua"
cp "$here/varied.lua" "$bench/wrk/post.lua"
echo "installed: ./run.sh --requests \"varied_launch varied_whats_on varied_play varied_stopped\" ..." >&2
