#!/usr/bin/env bash
# Load-tests authenticated `node(id:)` over real HTTP against the release binary with wrk:
# a fresh demo database (SQLite, or PostgreSQL with --postgres), signed in as the sales manager,
# 8 and 32 connections for DURATION seconds each (default 10), two wrk threads (2 cores).
# Usage: scripts/bench-http.sh [--postgres] [--binary PATH] [--duration SECONDS] [--floor]
#                              [--opportunities N | --database URL] [--forecast] [--quotes] [--billing]
#                              [--roles] [--custom-fields] [--board]
# Prints requests/s and the latency median and p99 for each run. --floor also times an
# authenticated `{ __typename }` (HTTP, sign-in check and GraphQL without any resolver work).
# --opportunities N seeds N more open opportunities with their history first (`crm seed`);
# --database URL serves an existing database instead of a fresh one (seeded as docs/PERFORMANCE.md
# shows, say);
# --forecast also times, with 1 and 8 connections, the team North's `forecast` for this quarter,
# its `statisticalForecast` (10,000 trials) and the pipeline-by-stage report, as the manager.
# --quotes also times, with 1 and 8 connections, saving a quote of 200 lines (`createQuote`) and
# downloading the PDF of one (`GET /documents/quotes/{id}.pdf`), as the manager.
# --billing issues 1,000 invoices from 8 concurrent clients (curl, as the admin), checks that their
# numbers are unique and without gaps, and times the whole ledger's `ageing`, one customer's
# `customerBalance` and the revenue report (periods, top customers) with 1 and 8 connections
# (`--database` a ledger filled by `crm bench ledger`).
# --roles times, as the admin, what the Settings → Roles & permissions screen asks (`roles`,
# `permissionCatalogue`, one role's matrix) and saving a whole matrix (`updateRole`, one
# connection, each save carrying the version the previous one answered, alternating two matrices).
# --board times, with 1 and 8 connections, the pipeline board (`pipelineBoard(first: 25)`: seven
# columns with totals per currency and 25 cards each) and the same board filtered by an amount
# bound (`amountMin: "10000"`, compared in each deal's currency), as the manager.
# --custom-fields defines 20 text fields of opportunities as the admin, gives every opportunity a
# value of each (written straight into the database: 20 rows per opportunity), and times, as the
# manager, a page of 25 opportunities with all 20 values and a filter on one of them (about one
# opportunity in ten matches), and the same page without the filter; then the page sorted by one
# of the fields (`customOrder`), alone and with the filter.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/crm-target}"

engine=sqlite
binary="$CARGO_TARGET_DIR/release/crm"
duration=10
floor=false
forecast=false
quotes=false
billing=false
roles=false
custom=false
board=false
opportunities=0
database=""
while [ $# -gt 0 ]; do
  case "$1" in
    --postgres) engine=postgres ;;
    --binary) binary="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --floor) floor=true ;;
    --forecast) forecast=true ;;
    --quotes) quotes=true ;;
    --billing) billing=true ;;
    --roles) roles=true ;;
    --custom-fields) custom=true ;;
    --board) board=true ;;
    --opportunities) opportunities="$2"; shift ;;
    --database) database="$2"; shift ;;
    *) echo "bench-http: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'bench-http: %s\n' "$*" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  say "installing wrk"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null \
    || die "could not install wrk"
fi
[ -x "$binary" ] || die "$binary is missing: cargo build --release -p server --bin crm"
command -v curl >/dev/null || die "curl is missing"

work=$(mktemp -d)
port=$(( 20000 + RANDOM % 20000 ))
pg_db=""
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  if [ -n "$pg_db" ]; then psql "${CRM_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}/postgres" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -n "$database" ]; then
  url="$database"
elif [ "$engine" = postgres ]; then
  pg_db="crm_bench_$$"
  base="${CRM_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432}"
  psql "$base/postgres" -qc "CREATE DATABASE $pg_db" >/dev/null || die "cannot create a PostgreSQL database at $base"
  url="$base/$pg_db"
else
  url="sqlite://$work/crm.sqlite?mode=rwc"
fi

if [ "$opportunities" -gt 0 ]; then
  say "seeding the demo company and $opportunities more open opportunities"
  DATABASE_URL="$url" CRM_LOG=warn "$binary" seed --opportunities "$opportunities" >"$work/seed.log" 2>&1 \
    || { cat "$work/seed.log" >&2; die "seeding failed"; }
  tail -1 "$work/seed.log"
fi

say "starting $binary on $engine"
DATABASE_URL="$url" CRM_BIND="127.0.0.1:$port" CRM_DEMO=true CRM_LOG=warn \
  "$binary" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$work/server.log" >&2; die "the server did not start"; }

gql() { curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' ${2:+-H "authorization: Bearer $2"} -d "$1"; }
token=$(gql '{"query":"mutation { login(input: {email: \"manager@demo.crm\", password: \"demo1234\"}) { token } }"}' \
  | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || die "sign-in failed"
id=$(gql '{"query":"{ accounts(first: 1) { edges { node { id } } } }"}' "$token" \
  | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || die "no account to fetch"

cat >"$work/node.lua" <<LUA
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer $token"
wrk.body = '{"query":"query(\$id: ID!) { node(id: \$id) { id ... on Account { name code } } }","variables":{"id":"$id"}}'
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  median %.2f ms  p99 %.2f ms  errors %d  non-2xx %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout, summary.errors.status))
end
LUA
# One request checks the answer before timing.
check=$(gql "{\"query\":\"query(\$id: ID!) { node(id: \$id) { id } }\",\"variables\":{\"id\":\"$id\"}}" "$token")
case "$check" in *"\"id\":\"$id\""*) ;; *) die "node(id:) did not answer: $check" ;; esac

sed -e 's/^wrk.body = .*/wrk.body = '"'"'{"query":"{ __typename }"}'"'"'/' "$work/node.lua" >"$work/floor.lua"

run() { # script, label
  for c in 8 32; do
    wrk -t2 -c"$c" -d"${duration}s" -s "$work/$1.lua" "http://127.0.0.1:$port/graphql" >/dev/null 2>&1 || true
    printf '%s, %s, %2d connections: ' "$engine" "$2" "$c"
    wrk -t2 -c"$c" -d"${duration}s" -s "$work/$1.lua" "http://127.0.0.1:$port/graphql" | tail -1
  done
}
run node "node(id:)"
if $floor; then run floor "{ __typename }"; fi

body() { # a GraphQL query without variables, as wrk's JSON body
  printf '{"query":"%s"}' "$1"
}
scenario() { # name, query
  # A Lua long string keeps the JSON's backslashes as they are.
  # As whoever `token` is now (the manager, or the admin where a scenario signs in as one).
  { sed -e '/^wrk.body = /d' -e "s/Bearer [^\"]*/Bearer $token/" "$work/node.lua"; printf 'wrk.body = [[%s]]\n' "$(body "$2")"; } >"$work/$1.lua"
  answer=$(curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' \
    -H "authorization: Bearer $token" -d "$(body "$2")")
  case "$answer" in *'"errors"'*|'') die "$1 did not answer: $answer" ;; esac
  for c in 1 8; do
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/$1.lua" "http://127.0.0.1:$port/graphql" >/dev/null 2>&1 || true
    printf '%s, %s, %d connection(s): ' "$engine" "$1" "$c"
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/$1.lua" "http://127.0.0.1:$port/graphql" | tail -1
  done
}

if $board; then
  cards="cards { totalCount edges { node { id name probability closeDate version position amount { amount currency } owner { displayName } account { name } } } }"
  scenario board "{ pipelineBoard(first: 25) { columns { stage { id name } count sum { amount currency } weightedSum { amount currency } $cards } } }"
  scenario board-filtered "{ pipelineBoard(first: 25, filter: {amountMin: \\\"10000\\\"}) { columns { stage { id name } count sum { amount currency } weightedSum { amount currency } $cards } } }"
fi

if $forecast; then
  team=$(gql '{"query":"{ teams { id name } }"}' "$token" | grep -o '"id":"[^"]*","name":"North"' | sed 's/"id":"\([^"]*\)".*/\1/')
  [ -n "$team" ] || die "the manager sees no team North"
  quarter=$(gql '{"query":"{ forecastPeriod(kind: QUARTER) { year number } }"}' "$token")
  year=$(sed -n 's/.*"year":\([0-9]*\).*/\1/p' <<<"$quarter")
  number=$(sed -n 's/.*"number":\([0-9]*\).*/\1/p' <<<"$quarter")
  period="{kind: QUARTER, year: $year, number: $number}"
  subject="{teamId: \\\"$team\\\"}"
  # The opportunities CSV streams: the server's anonymous memory (heap; SQLite's memory-mapped
  # database file is left out) before and at most during a download of all rows, sampled every
  # 50 ms (first, before the forecasts load the pipeline's history into memory).
  anon() { awk '/^RssAnon/ { print $2 }' "/proc/$pid/status"; }
  before=$(anon)
  most=$before
  curl -fsS "http://127.0.0.1:$port/reports/opportunities.csv" -H "authorization: Bearer $token" -o "$work/o.csv" &
  cpid=$!
  while kill -0 "$cpid" 2>/dev/null; do
    now=$(anon); [ "$now" -gt "$most" ] && most=$now
    sleep 0.05
  done
  wait "$cpid" || die "the CSV download failed"
  printf '%s, opportunities.csv: %d lines, %d MB; server memory %d MB before, at most %d MB during\n' \
    "$engine" "$(wc -l <"$work/o.csv")" $(($(stat -c %s "$work/o.csv") / 1048576)) $((before / 1024)) $((most / 1024))
  scenario forecast-team "{ forecast(subject: $subject, period: $period) { counts { closedWon commit bestCase pipeline } figures { currency closedWon commit bestCase pipeline weightedPipeline quota attainment } children { subject { name } figures { currency commit quota attainment } } } }"
  scenario forecast-statistical "{ statisticalForecast(subject: $subject, period: $period, trials: 10000) { status currencies { currency openCount p10 p50 p90 } } }"
  scenario report-stage "{ salesReport { pipelineByStage { stageName count amounts { currency sum weighted } } } }"
fi

if $quotes; then
  customer=$(gql '{"query":"{ accounts(first: 1) { edges { node { id } } } }"}' "$token" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  lines=$(for i in $(seq 0 199); do
    case $((i % 3)) in 0) tax=STANDARD ;; 1) tax=REDUCED ;; *) tax=ZERO ;; esac
    printf '{"name":"Item %d","quantity":"%d.%d","unitPrice":"%d.%02d","discountPercent":"%d","taxCategory":"%s"},' \
      "$i" $((1 + i % 9)) $((i % 10)) $((10 + i * 7 % 990)) $((i % 100)) $((i % 12)) "$tax"
  done | sed 's/,$//')
  save='{"query":"mutation($i: CreateQuoteInput!) { createQuote(input: $i) { quote { id number current { total { amount } } } } }","variables":{"i":{"customerId":"'"$customer"'","currency":"EUR","lines":['"$lines"']}}}'
  answer=$(gql "$save" "$token")
  quote=$(sed -n 's/.*"id":"\([^"]*\)".*/\1/p' <<<"$answer")
  [ -n "$quote" ] || die "createQuote did not answer: ${answer:0:300}"
  uuid=$(printf '%s' "$quote" | tr '_-' '/+' | base64 -d 2>/dev/null | sed 's/^Quote://')
  [ -n "$uuid" ] || uuid=$(printf '%s==' "$quote" | tr '_-' '/+' | base64 -d 2>/dev/null | sed 's/^Quote://')
  { sed -e '/^wrk.body = /d' "$work/node.lua"; printf 'wrk.body = [[%s]]\n' "$save"; } >"$work/save.lua"
  sed -e '/^wrk.body = /d; s/^wrk.method = .*/wrk.method = "GET"/' "$work/node.lua" >"$work/pdf.lua"
  curl -fsS "http://127.0.0.1:$port/documents/quotes/$uuid.pdf" -H "authorization: Bearer $token" -o "$work/q.pdf" \
    || die "the PDF of $uuid did not download"
  printf '%s, quote of 200 lines: PDF %d bytes\n' "$engine" "$(stat -c %s "$work/q.pdf")"
  for c in 1 8; do
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/save.lua" "http://127.0.0.1:$port/graphql" >/dev/null 2>&1 || true
    printf '%s, createQuote (200 lines), %d connection(s): ' "$engine" "$c"
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/save.lua" "http://127.0.0.1:$port/graphql" | tail -1
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/pdf.lua" "http://127.0.0.1:$port/documents/quotes/$uuid.pdf" >/dev/null 2>&1 || true
    printf '%s, quote PDF (200 lines), %d connection(s): ' "$engine" "$c"
    wrk -t1 -c"$c" -d"${duration}s" -s "$work/pdf.lua" "http://127.0.0.1:$port/documents/quotes/$uuid.pdf" | tail -1
  done
fi

if $billing; then
  admin=$(gql '{"query":"mutation { login(input: {email: \"admin@demo.crm\", password: \"demo1234\"}) { token } }"}' \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$admin" ] || die "admin sign-in failed"
  customer=$(gql '{"query":"{ accounts(first: 1) { edges { node { id } } } }"}' "$admin" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  n=1000
  order=$(gql '{"query":"mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id lines { id } } } }","variables":{"i":{"customerId":"'"$customer"'","lines":[{"name":"Benchmark item","quantity":"'"$n"'","unitPrice":"12.34"}]}}}' "$admin")
  order_id=$(sed -n 's/.*"order":{"id":"\([^"]*\)".*/\1/p' <<<"$order")
  line=$(sed -n 's/.*"lines":\[{"id":"\([^"]*\)".*/\1/p' <<<"$order")
  [ -n "$line" ] || die "createOrder did not answer: ${order:0:300}"
  draft='{"query":"mutation($i: CreateInvoiceInput!) { createInvoice(input: $i) { invoice { id version } } }","variables":{"i":{"orderId":"'"$order_id"'","lines":[{"lineId":"'"$line"'","quantity":"1"}]}}}'
  for _ in $(seq 1 "$n"); do gql "$draft" "$admin"; echo; done \
    | sed -n 's/.*"id":"\([^"]*\)","version":\([0-9]*\).*/\1 \2/p' >"$work/drafts"
  [ "$(wc -l <"$work/drafts")" = "$n" ] || die "could not draft $n invoices"
  issue() { # id version
    curl -fsS "http://127.0.0.1:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $admin" \
      -d '{"query":"mutation($i: InvoiceVersionInput!) { issueInvoice(input: $i) { invoice { number } } }","variables":{"i":{"id":"'"$1"'","version":'"$2"'}}}'
    echo
  }
  export -f issue
  export port admin
  started=$(date +%s.%N)
  xargs -P 8 -n 2 bash -c 'issue "$0" "$1"' <"$work/drafts" >"$work/issued"
  ended=$(date +%s.%N)
  grep -o '"number":"INV-[0-9]*-[0-9]*"' "$work/issued" | sed 's/.*-\([0-9]*\)"/\1/' | sort -n >"$work/numbers"
  got=$(wc -l <"$work/numbers")
  first=$(head -1 "$work/numbers"); last=$(tail -1 "$work/numbers")
  dups=$(uniq -d "$work/numbers" | wc -l)
  [ "$got" = "$n" ] && [ "$dups" = 0 ] && [ $((10#$last - 10#$first + 1)) = "$n" ] \
    || die "issued $got of $n, $dups duplicates, numbers $first..$last"
  printf '%s, issueInvoice over HTTP, 8 clients: %d invoices in %.1f s (%.0f invoices/s), numbers %s..%s unique, no gaps\n' \
    "$engine" "$n" "$(echo "$ended - $started" | bc)" "$(echo "$n / ($ended - $started)" | bc -l)" "$first" "$last"
  token=$admin
  scenario ageing-all "{ ageing { currency current { amount } days1To30 { amount } days31To60 { amount } days61To90 { amount } over90 { amount } total { amount } invoices } }"
  scenario customer-balance "{ customerBalance(customerId: \\\"$customer\\\") { currency open { amount } overdue { amount } credit { amount } balance { amount } } }"
  scenario revenue-periods "{ revenueReport { periods { label currency net { amount } gross { amount } invoices creditNotes } } }"
  scenario revenue-customers "{ revenueReport { topCustomers { customer { displayName } currency net { amount } invoices share } } }"
fi

if $roles; then
  admin=$(gql '{"query":"mutation { login(input: {email: \"admin@demo.crm\", password: \"demo1234\"}) { token } }"}' \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$admin" ] || die "admin sign-in failed"
  token=$admin
  rep=$(gql '{"query":"{ roles { id key } }"}' "$admin" | grep -o '"id":"[^"]*","key":"sales_rep"' | sed 's/"id":"\([^"]*\)".*/\1/')
  [ -n "$rep" ] || die "no builtin role sales_rep"
  made=$(gql '{"query":"mutation { createRole(input: {name: \"Benchmark rep\", copyFromId: \"'"$rep"'\"}) { role { id grants { object action scope } fieldGrants { object field read write } } } }"}' "$admin")
  role=$(sed -n 's/.*"role":{"id":"\([^"]*\)".*/\1/p' <<<"$made")
  [ -n "$role" ] || die "createRole did not answer: ${made:0:300}"
  scenario roles-list "{ roles { id key name builtin version userCount } }"
  scenario permission-catalogue "{ permissionCatalogue { object actions fields } }"
  scenario role-matrix "{ role(id: \\\"$role\\\") { id key name builtin version userCount grants { object action scope } fieldGrants { object field read write } } }"
  # Two whole matrices the saves alternate between: the copy as made, and the same with every
  # account grant widened to all.
  python3 - "$made" "$role" >"$work/saves" <<'PY'
import json, sys
role = json.loads(sys.argv[1])["data"]["createRole"]["role"]
def body(grants):
    q = ("mutation($i: UpdateRoleInput!) { updateRole(input: $i) "
         "{ role { id version grants { object action scope } fieldGrants { object field read write } } } }")
    i = {"id": sys.argv[2], "version": 0, "grants": grants, "fieldGrants": role["fieldGrants"]}
    return json.dumps({"query": q, "variables": {"i": i}}).replace('"version": 0', '"version": VERSION')
wide = [dict(g, scope="all") if g["object"] == "account" and g["scope"] else g for g in role["grants"]]
print(body(role["grants"]))
print(body(wide))
PY
  # One save checks the answer before timing.
  answer=$(gql "$(sed -n 1p "$work/saves" | sed 's/VERSION/1/')" "$admin")
  case "$answer" in *'"errors"'*|'') die "updateRole did not answer: ${answer:0:300}" ;; esac
  {
    sed -e '/^wrk.body = /d' -e "s/Bearer [^\"]*/Bearer $admin/" "$work/node.lua"
    printf 'bodies = { [[%s]], [[%s]] }\n' "$(sed -n 1p "$work/saves")" "$(sed -n 2p "$work/saves")"
    cat <<'LUA'
version, n = 2, 0
request = function()
  n = n + 1
  local b = bodies[n % 2 + 1]:gsub("VERSION", tostring(version))
  -- Headers of its own each time: wrk.format keeps the first body's Content-Length otherwise.
  local h = {}
  for k, v in pairs(wrk.headers) do if k ~= "Content-Length" then h[k] = v end end
  return wrk.format(nil, nil, h, b)
end
response = function(status, headers, body)
  local v = body:match('"version":(%d+)')
  if v then version = tonumber(v) else failed = (failed or 0) + 1 end
end
LUA
  } >"$work/role-save.lua"
  wrk -t1 -c1 -d"${duration}s" -s "$work/role-save.lua" "http://127.0.0.1:$port/graphql" >/dev/null 2>&1 || true
  version=$(gql '{"query":"{ role(id: \"'"$role"'\") { version } }"}' "$admin" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
  sed -i "s/^version, n = [0-9]*, 0/version, n = $version, 0/" "$work/role-save.lua"
  printf '%s, updateRole (whole matrix), 1 connection: ' "$engine"
  wrk -t1 -c1 -d"${duration}s" -s "$work/role-save.lua" "http://127.0.0.1:$port/graphql" | tail -1
  after=$(gql '{"query":"{ role(id: \"'"$role"'\") { version } }"}' "$admin" | sed -n 's/.*"version":\([0-9]*\).*/\1/p')
  [ "$after" -gt "$version" ] || die "no save went through (version $version → $after)"
  printf '%s, updateRole: %d saves went through (version %d → %d)\n' "$engine" $((after - version)) "$version" "$after"
fi

if $custom; then
  admin=$(gql '{"query":"mutation { login(input: {email: \"admin@demo.crm\", password: \"demo1234\"}) { token } }"}' \
    | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
  [ -n "$admin" ] || die "admin sign-in failed"
  for i in $(seq 1 20); do
    made=$(gql '{"query":"mutation { createCustomField(input: {object: OPPORTUNITY, label: \"Bench field '"$i"'\", type: TEXT, showInList: true}) { key } }"}' "$admin")
    case "$made" in *'"key"'*) ;; *) die "createCustomField did not answer: ${made:0:300}" ;; esac
  done
  say "filling 20 values for every opportunity"
  fill="INSERT INTO custom_field_values (field_id, record_id, text_value, num_value, updated_at)
        SELECT f.id, o.id, 'v' || RANDOM_DIGIT, NULL, o.updated_at FROM opportunities o CROSS JOIN custom_fields f"
  if [ "$engine" = postgres ]; then
    psql "$url" -qc "${fill/RANDOM_DIGIT/floor(random() * 10)::int}" >/dev/null || die "filling values failed"
    psql "$url" -qc "ANALYZE" >/dev/null
  else
    python3 - "${url#sqlite://}" "${fill/RANDOM_DIGIT/(abs(random()) % 10)}" <<'PY' || die "filling values failed"
import sqlite3, sys
path = sys.argv[1].split("?")[0]
db = sqlite3.connect(path)
db.execute(sys.argv[2])
db.commit()
db.execute("ANALYZE")
db.close()
PY
  fi
  rows=$(gql '{"query":"{ opportunities(first: 1) { totalCount } }"}' "$admin" | sed -n 's/.*"totalCount":\([0-9]*\).*/\1/p')
  say "$rows opportunities with 20 custom values each"
  page='edges { node { id code name amount { amount currency } owner { displayName } customFields { key display } } }'
  scenario custom-fields-page "{ opportunities(first: 25) { $page } }"
  scenario custom-fields-filtered "{ opportunities(first: 25, filter: {custom: [{key: \\\"benchField3\\\", eq: \\\"v3\\\"}]}) { $page } }"
  scenario custom-fields-sorted "{ opportunities(first: 25, customOrder: {key: \\\"benchField5\\\", direction: DESC}) { $page } }"
  scenario custom-fields-sorted-filtered "{ opportunities(first: 25, customOrder: {key: \\\"benchField5\\\"}, filter: {custom: [{key: \\\"benchField3\\\", eq: \\\"v3\\\"}]}) { $page } }"
fi
