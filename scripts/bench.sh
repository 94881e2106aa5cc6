#!/usr/bin/env bash
# Benchmark harness (README, "Import": performance targets): generates the data, then times
#   1. `baton import customers` against sqlite3's `.import` of the same CSV into a bare
#      table, interleaved over RUNS runs: median times, their ratio, baton's peak memory;
#   2. `customer list --owner`, `customer list --at-risk` and `status` on the imported
#      database against the equivalent raw sqlite3 queries: median times and ratios;
#   3. `status` (the one screen) and `status --format csv` on an agency's database (COMPANIES
#      companies, each with 20 employees, 500 customers, 2 handovers, 100 complaints and 3
#      credit records, from `gen --companies`) against the raw sqlite3 queries that read the
#      same: every company's counts and every open complaint, overdue handover and due notice.
# Usage: scripts/bench.sh [RUNS]
#   (env: CUSTOMERS=1000000 EMPLOYEES=5000 COMPANIES=1000 DATA=target/bench; AGENCY_ONLY=1 runs part 3 alone)
# Other work on the machine skews the figures: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
CUSTOMERS=${CUSTOMERS:-1000000}
EMPLOYEES=${EMPLOYEES:-5000}
DATA=${DATA:-target/bench}
COMPANIES=${COMPANIES:-1000}
AGENCY_ONLY=${AGENCY_ONLY:-}

need() { command -v "$1" >/dev/null 2>&1; }
if ! [ -x /usr/bin/time ] || ! need sqlite3; then
    apt-get update -qq && apt-get install -y -qq time sqlite3 >/dev/null
fi

cargo build --release --quiet --bin baton --example gen
BATON=target/release/baton
mkdir -p "$DATA"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
ms_of() { # runs "$@" with stdout to /dev/null, prints the wall time in ms
    local start end
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
query() { # name, database, raw SQL, baton args...
    local name=$1 db=$2 sql=$3; shift 3
    : >"$DATA/q.raw"; : >"$DATA/q.baton"
    for _ in $(seq "$RUNS"); do
        ms_of sqlite3 -csv "$db" "$sql" >>"$DATA/q.raw"
        ms_of $BATON --db "$db" "$@" >>"$DATA/q.baton"
    done
    local raw baton
    raw=$(median <"$DATA/q.raw"); baton=$(median <"$DATA/q.baton")
    printf '  %-28s rows %7s  sqlite3 %5s ms  baton %5s ms  ratio %s (target <= 2.0)\n' "$name" \
        "$(sqlite3 -csv "$db" "$sql" | wc -l)" "$raw" "$baton" \
        "$(awk -v b="$baton" -v r="$raw" 'BEGIN {printf "%.2f", b/(r>0?r:1)}')"
}

if [ -z "$AGENCY_ONLY" ]; then
if [ ! -f "$DATA/customers.csv" ] || [ "$(($(wc -l <"$DATA/customers.csv") - 1))" != "$CUSTOMERS" ]; then
    target/release/examples/gen --employees "$EMPLOYEES" --customers "$CUSTOMERS" --out "$DATA"
fi
CSV="$DATA/customers.csv"
echo "data: $(du -h "$CSV" | cut -f1) $CSV, $CUSTOMERS customers, $EMPLOYEES employees; $(sqlite3 --version | cut -d' ' -f1-2)"

secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
kib() { awk '/Maximum resident set size/ {print $NF}' "$1"; }
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
query "customer list --owner E0001" "$DB" "$RAW_OWNER" -f csv customer list --owner E0001
query "customer list --at-risk" "$DB" "$RAW_AT_RISK" -f csv customer list --at-risk
query "status" "$DB" "$RAW_STATUS" -f csv status
fi

# 3. An agency's database: COMPANIES companies loaded company by company (kept between runs).
AGENCY="$DATA/agency"
ADB="$AGENCY/baton.db"
export BATON_NOW=2026-03-02T10:00:00+08:00 TZ=Asia/Shanghai
if [ ! -f "$ADB" ] || [ "$(sqlite3 "$ADB" 'SELECT count(*) FROM companies')" != "$COMPANIES" ]; then
    rm -rf "$AGENCY"
    target/release/examples/gen --companies "$COMPANIES" --employees 20 --customers 500 \
        --handovers 2 --complaints 100 --credit 3 --out "$AGENCY"
    start=$(date +%s)
    $BATON --db "$ADB" -q import companies "$AGENCY/companies.csv"
    n=0
    for code in $(tail -n +2 "$AGENCY/companies.csv" | cut -d, -f1); do
        n=$((n + 1)); dir="$AGENCY/$(printf %04d "$n")"
        for entity in employees customers handovers complaints credit; do
            $BATON --db "$ADB" -q -c "$code" import "$entity" "$dir/$entity.csv" 2>/dev/null
        done
    done
    echo "agency database: $COMPANIES companies loaded in $(($(date +%s) - start)) s"
fi
TODAY=2026-03-02
NOW=2026-03-02T02:00:00Z
OPEN="c.status IN ('received', 'accepted', 'mediating')"
OVERDUE="(c.accepted_at IS NULL AND c.accept_due < coalesce(c.on_hold_since, '$NOW'))
    OR (c.feedback_at IS NULL AND c.feedback_due < coalesce(c.on_hold_since, '$NOW'))
    OR c.resolve_due < coalesce(c.on_hold_since, '$NOW')"
RAW_AGENCY_ROWS="SELECT co.code, coalesce(co.short_name, co.name),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
    (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active'),
    (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE c.company_id = co.id AND c.tier IN ('core', 'key') AND c.backup_id IS NULL AND c.status = 'active' AND o.status = 'active')
    + (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE o.company_id = co.id AND o.status IN ('leaving', 'left') AND c.status = 'active'),
    (SELECT count(*) FROM handovers h WHERE h.company_id = co.id AND h.status = 'open'),
    (SELECT count(*) FROM handovers h JOIN handover_items i ON i.handover_id = h.id WHERE h.company_id = co.id AND h.status = 'open' AND i.status = 'open' AND i.due_on < '$TODAY'),
    (SELECT count(*) FROM handovers h JOIN notices n ON n.handover_id = h.id WHERE h.company_id = co.id AND n.status = 'planned' AND n.send_by <= date('$TODAY', '+7 days')),
    (SELECT count(*) FROM handovers h JOIN notices n ON n.handover_id = h.id WHERE h.company_id = co.id AND (n.status = 'planned' AND n.send_by < '$TODAY' OR n.sent_on > n.send_by)),
    (SELECT count(*) FROM complaints c WHERE c.company_id = co.id AND $OPEN),
    (SELECT count(*) FROM complaints c WHERE c.company_id = co.id AND $OPEN AND ($OVERDUE)),
    (SELECT score FROM checklist_runs r WHERE r.company_id = co.id ORDER BY r.id DESC LIMIT 1),
    100 + (SELECT coalesce(sum(ev.points), 0) FROM credit_subjects s JOIN credit_events ev ON ev.subject_id = s.id WHERE s.kind = 'company' AND s.company_id = co.id AND ev.status = 'active' AND ev.expires_on > '$TODAY')
  FROM companies co ORDER BY co.code;"
RAW_AGENCY_ATTENTION="$RAW_AGENCY_ROWS
SELECT c.company_id, c.id, c.status, c.accept_due, c.feedback_due, c.resolve_due, c.feedback_at, c.on_hold_since
  FROM companies co JOIN complaints c ON c.company_id = co.id AND $OPEN ORDER BY co.code, c.status, c.id;
SELECT h.company_id, h.id, e.name, count(*) FROM handovers h JOIN employees e ON e.id = h.employee_id
  JOIN handover_items i ON i.handover_id = h.id AND i.status = 'open' AND i.due_on < '$TODAY'
  WHERE h.status = 'open' GROUP BY h.id;
SELECT h.company_id, n.id, cu.name, n.send_by FROM notices n JOIN handovers h ON h.id = n.handover_id
  JOIN customers cu ON cu.id = n.customer_id WHERE n.status = 'planned' AND n.send_by <= date('$TODAY', '+7 days');
SELECT s.id, sum(ev.points) FROM credit_subjects s JOIN credit_events ev ON ev.subject_id = s.id
  WHERE ev.status = 'active' AND ev.expires_on > '$TODAY' GROUP BY s.id
  HAVING sum(ev.severity = 'severe') > 0 OR sum(ev.severity = 'major') >= 2;"
echo "agency: $COMPANIES companies, $(sqlite3 "$ADB" 'SELECT count(*) FROM customers') customers, $(sqlite3 "$ADB" 'SELECT count(*) FROM complaints') complaints, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  status prints %s lines\n' "$($BATON --db "$ADB" status | wc -l)"
query "status (one screen)" "$ADB" "$RAW_AGENCY_ATTENTION" status
query "status --format csv" "$ADB" "$RAW_AGENCY_ROWS" -f csv status
