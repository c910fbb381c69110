#!/usr/bin/env bash
# Runs every check and test: formatting, clippy (-D warnings), unit tests, the integration tests on
# SQLite and on PostgreSQL, and the browser tests in headless Chromium. Installs or starts what is
# missing (wasm target, trunk, wasm-bindgen-cli, wasm-split-cli, PostgreSQL, Chromium + chromedriver) and fails with a
# clear message when it can't.
set -euo pipefail
cd "$(dirname "$0")/.."
# wasm-opt (npm binaryen, see scripts/ensure-tools.sh) is found by trunk on PATH.
export PATH="$HOME/.cargo/bin:$HOME/.cache/crm-tools/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crm-target}"
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

started=$(date +%s)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
# Runs a test command, keeping its "test result" lines for the summary at the end.
tests() { "$@" 2>&1 | tee -a "$results"; }
step() { printf '\n\033[1m==> [%ss] %s\033[0m\n' "$(( $(date +%s) - started ))" "$*"; }
die() { printf 'test: %s\n' "$*" >&2; exit 1; }

step "checking tools"
scripts/ensure-tools.sh --browser --postgres --clients
# ensure-tools installed pdftotext: the PDF tests read every PDF's text, never skip it.
export CRM_REQUIRE_PDFTOTEXT=1

# PostgreSQL for the tests: the local superuser over TCP when it is trusted, otherwise a `crm` role.
if [ -z "${CRM_TEST_PG_URL:-}" ]; then
  if psql "postgres://postgres@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
    export CRM_TEST_PG_URL="postgres://postgres@127.0.0.1:5432"
  else
    if ! psql "postgres://crm:crm@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1; then
      step "creating the PostgreSQL role crm for the tests"
      su postgres -c "psql -qc \"CREATE ROLE crm LOGIN SUPERUSER PASSWORD 'crm'\"" >/dev/null 2>&1 || true
      psql "postgres://crm:crm@127.0.0.1:5432/postgres" -Atqc 'select 1' >/dev/null 2>&1 \
        || die "cannot connect to PostgreSQL at 127.0.0.1:5432 as postgres (trust) or crm/crm; set CRM_TEST_PG_URL"
    fi
    export CRM_TEST_PG_URL="postgres://crm:crm@127.0.0.1:5432"
  fi
fi

step "formatting (cargo fmt --check)"
cargo fmt --all --check || die "code is not formatted: run cargo fmt --all"

step "clippy, native crates (-D warnings)"
cargo clippy --all-targets -- -D warnings
step "clippy, web app for wasm32 (-D warnings)"
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "building the web app (trunk, release; split by route by scripts/build-spa.sh)"
trunk build --release --cargo-profile wasm-release
step "web app sizes (gzip; fails over a budget)"
scripts/spa-size.sh --check

step "the crm binary (integration tests run it as a second process, and kill it)"
cargo build -p server --bin crm

step "unit and integration tests on SQLite"
CRM_TEST_DB=sqlite tests cargo test

step "web app unit tests"
tests cargo test -p frontend

step "integration tests on PostgreSQL (with a second crm process)"
CRM_TEST_DB=postgres tests cargo test -p tests --test integration

step "a partner's off-the-shelf client (Python gql) against the server"
CRM_PYTHON="$HOME/.cache/crm-tools/py/bin/python" CRM_TEST_DB=sqlite tests cargo test -p tests --test integration -- --ignored partner_

step "browser tests (headless Chromium)"
CRM_TEST_DB=sqlite tests cargo test -p tests --test integration -- --ignored browser

passed=$(grep -o 'test result: ok\. [0-9]* passed' "$results" | awk '{n += $4} END {print n + 0}')
step "all checks passed ($(( $(date +%s) - started )) s)"
echo "$passed passed, 0 failed"
