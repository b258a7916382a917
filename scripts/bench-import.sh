#!/usr/bin/env sh
# Imports a generated XMLTV guide (100,000 programmes by default) with the release `onair`
# binary under /usr/bin/time -v and prints wall time and peak RSS.
#   scripts/bench-import.sh [programmes]
set -eu
n="${1:-100000}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cargo build --release --quiet --bin onair
cargo bench --quiet --bench import_xmltv -- --programmes "$n" --write "$dir/guide.xml"
/usr/bin/time -v target/release/onair import "$dir/guide.xml" --data-dir "$dir/data" 2> "$dir/time.txt"
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$dir/time.txt"
