#!/usr/bin/env bash
# Benchmark harness (README, "Import": performance targets): generates the data, then times
#   1. `baton import customers` against sqlite3's `.import` of the same CSV into a bare
#      table, interleaved over RUNS runs: median times, their ratio, baton's peak memory;
#   2. `customer list --owner`, `customer list --at-risk` and `status` on the imported
#      database against the equivalent raw sqlite3 queries: median times and ratios.
# Usage: scripts/bench.sh [RUNS]   (env: CUSTOMERS=1000000 EMPLOYEES=5000 DATA=target/bench)
# Other work on the machine skews the figures: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
CUSTOMERS=${CUSTOMERS:-1000000}
EMPLOYEES=${EMPLOYEES:-5000}
DATA=${DATA:-target/bench}

need() { command -v "$1" >/dev/null 2>&1; }
if ! [ -x /usr/bin/time ] || ! need sqlite3; then
    apt-get update -qq && apt-get install -y -qq time sqlite3 >/dev/null
fi

cargo build --release --quiet --bin baton --example gen
BATON=target/release/baton
mkdir -p "$DATA"
if [ ! -f "$DATA/customers.csv" ] || [ "$(($(wc -l <"$DATA/customers.csv") - 1))" != "$CUSTOMERS" ]; then
    target/release/examples/gen --employees "$EMPLOYEES" --customers "$CUSTOMERS" --out "$DATA"
fi
CSV="$DATA/customers.csv"
echo "data: $(du -h "$CSV" | cut -f1) $CSV, $CUSTOMERS customers, $EMPLOYEES employees; $(sqlite3 --version | cut -d' ' -f1-2)"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
kib() { awk '/Maximum resident set size/ {print $NF}' "$1"; }
ms_of() { # runs "$@" with stdout to /dev/null, prints the wall time in ms
    local start end
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

BARE="$DATA/bare.db"
DB="$DATA/baton.db"
export BATON_DB="$DB" BATON_ACTOR=bench
: >"$DATA/sqlite.times"; : >"$DATA/baton.times"; : >"$DATA/baton.rss"
echo "import, $RUNS interleaved runs (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
for run in $(seq "$RUNS"); do
    rm -f "$BARE" "$BARE"-*
    sync # the previous run's pages reach the disk before the next run is timed
    /usr/bin/time -v sqlite3 "$BARE" \
        "CREATE TABLE customers (id TEXT, name TEXT, tier TEXT, owner TEXT, backup TEXT, contact TEXT, phone TEXT, email TEXT, since TEXT, status TEXT);" \
        ".import --csv --skip 1 $CSV customers" 2>"$DATA/sqlite.log"
    secs "$DATA/sqlite.log" >>"$DATA/sqlite.times"

    rm -f "$DB" "$DB"-*
    $BATON -q import companies "$DATA/companies.csv"
    $BATON -q import employees "$DATA/employees.csv"
    sync
    /usr/bin/time -v $BATON -q import customers "$CSV" 2>"$DATA/baton.log"
    secs "$DATA/baton.log" >>"$DATA/baton.times"
    kib "$DATA/baton.log" >>"$DATA/baton.rss"
    printf '  run %s: sqlite3 .import %ss, baton import %ss, %s KiB peak\n' "$run" \
        "$(tail -1 "$DATA/sqlite.times")" "$(tail -1 "$DATA/baton.times")" "$(tail -1 "$DATA/baton.rss")"
done
S=$(median <"$DATA/sqlite.times"); B=$(median <"$DATA/baton.times"); R=$(sort -n "$DATA/baton.rss" | tail -1)
echo "import: sqlite3 median ${S}s, baton median ${B}s, ratio $(awk -v b="$B" -v s="$S" 'BEGIN {printf "%.2f", b/s}') (target <= 1.0); baton peak RSS $((R / 1024)) MiB (target < 64)"
test "$($BATON customer list --owner E0001 -f csv | wc -l)" -gt 1

COMPANY=$(sqlite3 "$DB" "SELECT id FROM companies LIMIT 1")
COLS="c.code, c.name, c.tier, o.code, b.code, c.contact, c.phone, c.email, c.since, c.status"
FROM="FROM customers c JOIN employees o ON o.id = c.owner_id LEFT JOIN employees b ON b.id = c.backup_id"
RAW_OWNER="SELECT $COLS $FROM WHERE c.owner_id = (SELECT id FROM employees WHERE company_id = $COMPANY AND code = 'E0001') ORDER BY c.code;"
RAW_AT_RISK="SELECT * FROM (SELECT $COLS, 'no backup' $FROM WHERE c.company_id = $COMPANY AND c.tier IN ('core', 'key') AND c.backup_id IS NULL AND c.status = 'active' AND o.status = 'active' UNION ALL SELECT $COLS, 'owner ' || o.status $FROM WHERE o.company_id = $COMPANY AND o.status IN ('leaving', 'left') AND c.status = 'active') ORDER BY 1;"
RAW_STATUS="SELECT co.code, coalesce(co.short_name, co.name),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
    (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active'),
    (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE c.company_id = co.id AND c.tier IN ('core', 'key') AND c.backup_id IS NULL AND c.status = 'active' AND o.status = 'active')
    + (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE o.company_id = co.id AND o.status IN ('leaving', 'left') AND c.status = 'active')
  FROM companies co ORDER BY co.code;"

echo "queries on $CUSTOMERS customers, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
query() { # name, raw SQL, baton args...
    local name=$1 sql=$2; shift 2
    : >"$DATA/q.raw"; : >"$DATA/q.baton"
    for _ in $(seq "$RUNS"); do
        ms_of sqlite3 -csv "$DB" "$sql" >>"$DATA/q.raw"
        ms_of $BATON -f csv "$@" >>"$DATA/q.baton"
    done
    local raw baton
    raw=$(median <"$DATA/q.raw"); baton=$(median <"$DATA/q.baton")
    printf '  %-28s rows %7s  sqlite3 %5s ms  baton %5s ms  ratio %s (target <= 2.0)\n' "$name" \
        "$(sqlite3 -csv "$DB" "$sql" | wc -l)" "$raw" "$baton" \
        "$(awk -v b="$baton" -v r="$raw" 'BEGIN {printf "%.2f", b/(r>0?r:1)}')"
}
query "customer list --owner E0001" "$RAW_OWNER" customer list --owner E0001
query "customer list --at-risk" "$RAW_AT_RISK" customer list --at-risk
query "status" "$RAW_STATUS" status
