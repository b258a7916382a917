#!/usr/bin/env bash
# Runs every fuzz target for a while, seeded from the test fixtures.
#
#   scripts/fuzz.sh            # 10 s per target (what CI runs)
#   scripts/fuzz.sh 600        # 10 minutes per target
#   scripts/fuzz.sh 60 import  # one target
#
# Installs what it needs: a nightly toolchain (through rustup) and cargo-fuzz (from crates.io).
# A crash stops the run with the input saved under fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-10}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    targets=(envelope import nlu token timestamp names)
fi

if ! cargo +nightly --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# Seeds: the tests' request fixtures, every importer's test files (behind a format byte, see
# fuzz_targets/import.rs), spoken names, tokens and timestamps.
seed() {
    local target="$1" name="$2"
    mkdir -p "fuzz/corpus/$target"
    cat >"fuzz/corpus/$target/$name"
}
for f in tests/fixtures/*.json tests/fixtures/**/*.json; do
    [ -f "$f" ] && seed envelope "$(echo "$f" | tr '/' '_')" <"$f"
done
byte=0
for f in tests/data/* tests/fixtures/schedule.json; do
    [ -f "$f" ] || continue
    byte=$(((byte + 1) % 7))
    { printf "\\x$(printf %02x "$byte")"; head -c 65536 "$f"; } | seed import "$(basename "$f")"
done
printf 'play radio nova' | seed nlu play
printf 'what is on tonight at nine' | seed nlu tonight
printf 'remind me when beyonce starts' | seed nlu remind
printf 'onair1.e.0123456789abcdef.radiohead-live' | seed token event
printf 'onair1.s.0123456789abcdef.radio-nova' | seed token station
printf '2026-11-21T19:04:05Z' | seed timestamp rfc3339
printf '1795000000000' | seed timestamp millis
printf 'The Radio NovaBeyoncé' | seed names nova
printf 'a c d cAC/DC' | seed names acdc

for target in "${targets[@]}"; do
    echo "== fuzz $target for ${seconds}s"
    cargo +nightly fuzz run --fuzz-dir fuzz "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=262144 -timeout=10
done
echo "== fuzz: no crash in ${#targets[@]} targets"
