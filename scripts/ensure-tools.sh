#!/usr/bin/env bash
# Installs what the CRM needs to build and test, skipping whatever is already present.
# Usage: scripts/ensure-tools.sh [--browser] [--postgres] [--clients]
#   --clients: the off-the-shelf GraphQL client the partner example uses (Python gql, in a venv)
#              and the GraphQL-over-HTTP audit suite (npm graphql-http)
# Every step says what it does; a failing step stops with a message naming the tool.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
# Cuts the web app into route chunks; 0.2.3 is the first release that works with wasm-bindgen >= 0.2.128.
WASM_SPLIT_VERSION=0.2.3
BINARYEN_VERSION=132
# Minifies the web app's two scripts (scripts/build-spa.sh), under TOOLS_DIR/terser.
TERSER_VERSION=5.51.4
# The partner example's client (examples/partner/), in a virtual environment under TOOLS_DIR.
GQL_REQUIREMENT='gql[requests]>=3.5,<4'
# The GraphQL-over-HTTP conformance audits (scripts/graphql-http-audit.mjs), under TOOLS_DIR/audit.
GRAPHQL_HTTP_VERSION=1.23.1
# The accessibility checker the browser tests run in every main page, under TOOLS_DIR/axe.
AXE_VERSION=4.11.4
# wasm-opt (binaryen from npm) lives here; scripts/test.sh and scripts/run.sh put its bin/ on PATH.
TOOLS_DIR="$HOME/.cache/crm-tools"

want_browser=0
want_postgres=0
want_clients=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --postgres) want_postgres=1 ;;
    --clients) want_clients=1 ;;
    *) echo "ensure-tools: unknown option $arg" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ensure-tools: %s\n' "$*" >&2; exit 1; }

export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first (https://rustup.rs)"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown || die "could not add the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown)"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes several minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked || die "could not install trunk $TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Without --locked: the CLI's own lockfile names a crate version the registry index lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" || die "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
fi

if ! command -v wasm-split-cli >/dev/null || ! grep -qs "\"wasm_split_cli_support $WASM_SPLIT_VERSION " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml"; then
  say "installing wasm-split-cli (wasm_split_cli_support $WASM_SPLIT_VERSION, about a minute, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked \
    || die "could not install wasm-split-cli (cargo install wasm_split_cli_support --version $WASM_SPLIT_VERSION --features build-binary)"
fi

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get is missing: install $* by hand"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if [ $apt_updated = 0 ]; then $sudo apt-get update -qq || die "apt-get update failed"; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null || die "could not install $*"
}

# python3 writes the chunk loaders compactly (scripts/compact-split-js.py, run by build-spa.sh).
command -v python3 >/dev/null || { say "installing python3"; apt_install python3; }

if [ "$("$TOOLS_DIR/node_modules/.bin/wasm-opt" --version 2>/dev/null)" != "wasm-opt version $BINARYEN_VERSION (version_$BINARYEN_VERSION)" ]; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $TOOLS_DIR"
  if ! command -v npm >/dev/null; then
    say "installing Node.js and npm (for wasm-opt)"
    apt_install nodejs npm
  fi
  mkdir -p "$TOOLS_DIR"
  npm install --prefix "$TOOLS_DIR" --no-save --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >/dev/null \
    || die "could not install wasm-opt (npm install binaryen@$BINARYEN_VERSION)"
  "$TOOLS_DIR/node_modules/.bin/wasm-opt" --version >/dev/null \
    || die "wasm-opt from binaryen@$BINARYEN_VERSION does not run (it needs Node.js)"
fi

if [ "$("$TOOLS_DIR/terser/node_modules/.bin/terser" --version 2>/dev/null)" != "terser $TERSER_VERSION" ]; then
  say "installing terser $TERSER_VERSION (npm) into $TOOLS_DIR/terser"
  command -v npm >/dev/null || apt_install nodejs npm
  npm install --prefix "$TOOLS_DIR/terser" --no-save --no-audit --no-fund "terser@$TERSER_VERSION" >/dev/null \
    || die "could not install terser (npm install terser@$TERSER_VERSION)"
fi


if [ $want_browser = 1 ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing chromium and chromium-driver for the browser tests"
    apt_install chromium chromium-driver
  fi
  if [ ! -f "$TOOLS_DIR/axe/node_modules/axe-core/package.json" ] \
    || ! grep -q "\"version\": \"$AXE_VERSION\"" "$TOOLS_DIR/axe/node_modules/axe-core/package.json"; then
    say "installing the accessibility checker (npm axe-core@$AXE_VERSION) into $TOOLS_DIR/axe"
    command -v npm >/dev/null || apt_install nodejs npm
    npm install --prefix "$TOOLS_DIR/axe" --no-save --no-audit --no-fund "axe-core@$AXE_VERSION" >/dev/null \
      || die "could not install axe-core@$AXE_VERSION with npm"
  fi
fi

if [ $want_postgres = 1 ]; then
  if ! command -v pg_ctlcluster >/dev/null; then
    say "installing PostgreSQL"
    apt_install postgresql
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    say "starting PostgreSQL"
    for v in $(ls /etc/postgresql); do
      pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL does not answer on 127.0.0.1:5432"
  fi
fi
if [ $want_clients = 1 ] && ! command -v pdftotext >/dev/null; then
  say "installing poppler-utils (pdftotext reads the quotes' PDFs in the tests)"
  apt_install poppler-utils
fi
if [ $want_clients = 1 ]; then
  if ! "$TOOLS_DIR/py/bin/python" -c 'import gql, requests_toolbelt' 2>/dev/null; then
    say "installing Python gql ($GQL_REQUIREMENT) into $TOOLS_DIR/py"
    command -v python3 >/dev/null || apt_install python3
    python3 -m venv "$TOOLS_DIR/py" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$TOOLS_DIR/py"; } \
      || die "could not create a Python virtual environment (python3 -m venv)"
    "$TOOLS_DIR/py/bin/pip" install --quiet "$GQL_REQUIREMENT" || die "could not install $GQL_REQUIREMENT with pip"
  fi
  if [ ! -f "$TOOLS_DIR/audit/node_modules/graphql-http/package.json" ]; then
    say "installing the GraphQL-over-HTTP audit suite (npm graphql-http@$GRAPHQL_HTTP_VERSION) into $TOOLS_DIR/audit"
    command -v npm >/dev/null || apt_install nodejs npm
    npm install --prefix "$TOOLS_DIR/audit" --no-save --no-audit --no-fund "graphql-http@$GRAPHQL_HTTP_VERSION" graphql@16 >/dev/null \
      || die "could not install graphql-http@$GRAPHQL_HTTP_VERSION with npm"
  fi
fi

say "tools ready"
