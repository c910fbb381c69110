#!/usr/bin/env bash
# Prints the web app's gzipped sizes (gzip -9) from a built dist/: the first load (index.html,
# CSS, the JavaScript glue, the main WebAssembly module and the bundle of the landing page), each
# lazily loaded page group's bundle (its module plus the shared chunks it needs, fetched as one
# file), and the total, against the budgets: first load ≤ 300 KB, each page group ≤ 60 KB, the chart pages
# (forecast, reports, revenue) ≤ 100 KB (KB = 1,000 bytes).
# Usage: scripts/spa-size.sh [--check] [DIST]   (default dist; --check: fail when over a budget)
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
DIST="${1:-dist}"
FIRST_LOAD_BUDGET=300000
ROUTE_BUDGET=60000
# Page groups that draw charts, and their budget.
CHART_GROUPS="forecast reports revenue"
CHART_BUDGET=100000
# Page groups (chunk names of `lazy_route!`) of the landing page, /home: part of the first load.
LANDING_GROUPS="${SPA_LANDING_GROUPS:-home}"

die() { printf 'spa-size: %s\n' "$*" >&2; exit 1; }
gz() { gzip -9c "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f KB", b / 1000 }'; }

apps=("$DIST"/app-*)
[ ${#apps[@]} = 1 ] && [ -d "${apps[0]}" ] || die "expected one $DIST/app-*/ directory: build with trunk build --release"
app=${apps[0]}
link="$app/__wasm_split.js"
[ -f "$link" ] || die "$link is missing"

# "group file" per page group: the one bundle its loader fetches (scripts/bundle-split.py).
groups=$(for f in "$app"/bundle_*.bin; do
  [ -f "$f" ] || continue
  name=${f##*/bundle_}; echo "${name%.bin}" "${f##*/}"
done)
[ -n "$groups" ] || die "no page bundles in $app (built without scripts/bundle-split.py?)"

first=0
row() { printf '  %-34s %10s\n' "$1" "$(kb "$2")"; }
echo "First load (gzip -9):"
for f in "$DIST"/index.html "$DIST"/*.css "$app"/*.js "$app"/frontend_bg.wasm; do
  [ -f "$f" ] || continue
  s=$(gz "$f"); first=$((first + s)); row "${f#"$DIST"/}" "$s"
done
for g in $LANDING_GROUPS; do
  for f in $(awk -v g="$g" '$1 == g { for (i = 2; i <= NF; i++) print $i }' <<<"$groups"); do
    s=$(gz "$app/$f"); first=$((first + s)); row "$f ($g)" "$s"
  done
done
printf '  %-34s %10s   budget %s\n' "first load" "$(kb $first)" "$(kb $FIRST_LOAD_BUDGET)"

over=0
[ $first -le $FIRST_LOAD_BUDGET ] || { echo "  OVER BUDGET: first load"; over=1; }
echo "Page groups loaded on demand (one bundle: own module + the shared chunks it needs):"
while read -r name files; do
  [ -n "$name" ] || continue
  case " $LANDING_GROUPS " in *" $name "*) continue ;; esac
  sum=0
  for f in $files; do sum=$((sum + $(gz "$app/$f"))); done
  n=$(od -An -tu4 -N4 "$app/$files" | tr -d ' ')
  budget=$ROUTE_BUDGET
  case " $CHART_GROUPS " in *" $name "*) budget=$CHART_BUDGET ;; esac
  printf '  %-34s %10s   (%s modules)\n' "$name" "$(kb $sum)" "$n"
  [ $sum -le $budget ] || { echo "  OVER BUDGET: $name > $(kb $budget)"; over=1; }
done <<<"$groups"

total=0
for f in "$DIST"/index.html "$DIST"/*.css "$app"/*.js "$app"/*.wasm "$app"/*.bin; do
  [ -f "$f" ] && total=$((total + $(gz "$f")))
done
printf '  %-34s %10s\n' "total (every file once; bundles share chunks)" "$(kb $total)"
if [ $over = 1 ]; then
  msg="over budget (first load ≤ $(kb $FIRST_LOAD_BUDGET), each page group ≤ $(kb $ROUTE_BUDGET), chart pages ≤ $(kb $CHART_BUDGET))"
  [ $check = 1 ] && die "$msg"
  echo "spa-size: $msg"
fi
