#!/usr/bin/env bash
# Builds the release binary and runs the fault, flood and abuse probes (scripts/probe.py), each
# printing its figures and OK or FAIL. Loopback only; needs python3.
#
#   scripts/probe.sh              # every probe
#   scripts/probe.sh memory slots # some
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin onair
exec python3 scripts/probe.py target/release/onair "$@"
