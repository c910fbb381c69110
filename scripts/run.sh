#!/usr/bin/env bash
# Runs the CRM on SQLite with demo data: installs what is missing, builds the web app (release) and
# the server (release), creates ./data/crm.sqlite on first start, and serves http://127.0.0.1:8080.
# Extra arguments go to `crm serve` (e.g. --bind 0.0.0.0:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt (npm binaryen, see scripts/ensure-tools.sh) is found by trunk on PATH.
export PATH="$HOME/.cargo/bin:$HOME/.cache/crm-tools/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crm-target}"
export TRUNK_SKIP_VERSION_CHECK=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

scripts/ensure-tools.sh
say "building the web app (release)"
trunk build --release --cargo-profile wasm-release
say "building the server (release)"
cargo build --release -p server --bin crm
say "starting the CRM"
exec "$CARGO_TARGET_DIR/release/crm" serve --demo "$@"
