#!/usr/bin/env bash
# Builds the web app's WebAssembly, split by route, into the public directory:
#   cargo (wasm32, profile wasm-release, relocations kept: .cargo/config.toml)
#   → wasm-split-cli (a main module, one module per lazily loaded page group, shared chunks)
#   → wasm-bindgen --keep-lld-exports (the chunks import the main module's exports)
#   → scripts/compact-split-js.py (each page group's loader fetches one bundle, same exports)
#   → terser on the two scripts (exports and the wasm imports' names kept)
#   → wasm-opt -Oz on every module
#   → scripts/bundle-split.py (each page group's shared chunks and own module in one file)
# into OUT/app-<content hash>/, and adds the start-up script to OUT/index.html.
#
# Trunk runs this as its post_build hook (Trunk.toml), with OUT = Trunk's staging directory;
# Trunk itself writes index.html and the CSS. Run alone: scripts/build-spa.sh [OUT] (default dist,
# which must already hold Trunk's index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$HOME/.cache/crm-tools/node_modules/.bin:$PATH"

OUT="${TRUNK_STAGING_DIR:-${1:-dist}}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
WORK="$TARGET_DIR/spa-split"
WASM="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
# The features rustc enables by default for wasm32, which wasm-opt must accept.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build-spa: %s\n' "$*" >&2; exit 1; }
for tool in wasm-split-cli wasm-bindgen wasm-opt python3; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/ensure-tools.sh"
done
[ -f "$OUT/index.html" ] || die "$OUT/index.html is missing: build with trunk build --release"

say "compiling the web app for wasm32"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release

say "splitting the module by route"
# Stale chunks of an earlier build must not survive.
rm -rf "$WORK"
mkdir -p "$WORK/split" "$WORK/pkg"
wasm-split-cli "$WASM" "$WORK/split" --target web --out-name frontend 2>&1 | tee "$WORK/split.log"
# Read-only data left whole in the main module would add about 40 KB to the first load
# (READ_ONLY_DATA_SLACK in frontend/src/lib.rs is there to prevent it).
if grep -q "Overlong segment" "$WORK/split.log"; then
  die "the splitter left the read-only data in the main module (see READ_ONLY_DATA_SLACK in frontend/src/lib.rs)"
fi
wasm-bindgen "$WORK/split/frontend.wasm" --target web --keep-lld-exports --no-demangle \
  --no-typescript --out-dir "$WORK/pkg" --out-name frontend
# The loaders in a compact form, one bundle per page group (the generated script would be most
# of the first load's JS, and a group's hundred small files a third bigger than one stream).
python3 scripts/compact-split-js.py "$WORK/split/__wasm_split.js" "$WORK/pkg/__wasm_split.js" \
  "$WORK/groups.txt"
for f in "$WORK"/split/*.wasm; do
  [ "${f##*/}" = frontend.wasm ] || cp "$f" "$WORK/pkg/"
done

say "optimising every module (wasm-opt -Oz)"
# One process per file (the npm wasm-opt takes about a second to start), as many at once as
# there are cores. Its warnings about the name section it drops are noise: shown on failure only.
printf '%s\0' "$WORK"/pkg/*.wasm \
  | xargs -0 -P "$(nproc 2>/dev/null || echo 2)" -I{} \
    wasm-opt -Oz --strip-debug --strip-producers "${WASM_OPT_FEATURES[@]}" {} -o {} 2>"$WORK/wasm-opt.log" \
  || { cat "$WORK/wasm-opt.log" >&2; die "wasm-opt failed"; }

say "packing each page group into one bundle"
python3 scripts/bundle-split.py "$WORK/groups.txt" "$WORK/pkg"

say "minifying the scripts (terser)"
# Module scope: top-level names are mangled, exports and property names (the wasm imports) kept.
TERSER="$HOME/.cache/crm-tools/terser/node_modules/.bin/terser"
[ -x "$TERSER" ] || die "terser is missing: run scripts/ensure-tools.sh"
for f in "$WORK"/pkg/*.js; do
  "$TERSER" "$f" --module --compress --mangle -o "$f.min" || die "terser failed on $f"
  mv "$f.min" "$f"
done

# One directory per build, named by its content: a tab opened before a deploy keeps asking for
# its own chunk names, and files never change under a name.
id=$(cat "$WORK"/pkg/*.js "$WORK"/pkg/*.wasm | sha256sum | cut -c1-16)
app="app-$id"
rm -rf "$OUT"/app-*
mkdir -p "$OUT/$app"
cp -r "$WORK"/pkg/. "$OUT/$app/"

# Start-up: fetch main module, its glue and the landing page at once; prefetch the other page bundles when idle, so a
# first visit to a page does not wait on a round trip.
head="<link rel=\"modulepreload\" href=\"/$app/frontend.js\">"
head+="<link rel=\"preload\" href=\"/$app/frontend_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>"
# The landing page's bundle (home, where signing in leads) is fetched at once with the main module.
[ -f "$OUT/$app/bundle_home.bin" ] || die "no bundle_home.bin: the home page must be its own page group"
head+="<link rel=\"preload\" href=\"/$app/bundle_home.bin\" as=\"fetch\" crossorigin>"
for f in "$OUT/$app"/bundle_*.bin; do
  [ "${f##*/}" = bundle_home.bin ] && continue
  head+="<link rel=\"prefetch\" href=\"/$app/${f##*/}\" as=\"fetch\" crossorigin>"
done
head+="<script type=\"module\">import init from \"/$app/frontend.js\"; init({ module_or_path: \"/$app/frontend_bg.wasm\" });</script>"
grep -q '</head>' "$OUT/index.html" || die "$OUT/index.html has no </head>"
sed -i "s#</head>#${head}</head>#" "$OUT/index.html"
say "web app written to $OUT ($app)"
