#!/usr/bin/env bash
# Benchmark harness (README, "Performance"): generates the data, then times baton against
# sqlite3 doing the same work, interleaved over RUNS runs (median times, their ratio):
#   1. first load: `baton import customers` against sqlite3's `.import` of the same CSV into
#      a bare table;
#   2. nightly sync: re-importing the same 1M customers (unchanged, then with 1% of them
#      changed) against sqlite3 staging the CSV (`.import` into a temp table) and writing it
#      (`UPDATE ... FROM` with `IS NOT` comparisons, then an `INSERT` of the new rows);
#   3. one file of 1M customers spread over 2,000 companies against its `.import`;
#   4. `customer list --format csv` of 1M customers against `sqlite3 -csv` of the same join;
#   5. `customer list --owner`, `customer list --at-risk` and `status` against the
#      equivalent raw sqlite3 queries;
#   6. `status` (the one screen) and `status --format csv` on an agency's database (AGENCY
#      companies, each with 20 employees, 500 customers, 2 handovers, 100 complaints and 3
#      credit records, from `gen --per-company`) against the raw sqlite3 queries that read the
#      same: every company's counts and every open complaint, overdue handover and due notice.
# baton's peak memory is taken from every import. Every ratio is printed with its target.
# Usage: scripts/bench.sh [RUNS]
#   (env: CUSTOMERS=1000000 EMPLOYEES=5000 COMPANIES=2000 AGENCY=1000 DATA=target/bench;
#   AGENCY_ONLY=1 runs part 6 alone)
# Other work on the machine skews the figures: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${1:-5}
CUSTOMERS=${CUSTOMERS:-1000000}
EMPLOYEES=${EMPLOYEES:-5000}
COMPANIES=${COMPANIES:-2000}
DATA=${DATA:-target/bench}
AGENCY=${AGENCY:-1000}
AGENCY_ONLY=${AGENCY_ONLY:-}

need() { command -v "$1" >/dev/null 2>&1; }
if ! [ -x /usr/bin/time ] || ! need sqlite3; then
    apt-get update -qq && apt-get install -y -qq time sqlite3 >/dev/null
fi

cargo build --release --quiet --bin baton --example gen
BATON=target/release/baton
SPREAD="$DATA/spread"
mkdir -p "$DATA" "$SPREAD"
rows() { echo $(($(wc -l <"$1") - 1)); }
if [ ! -f "$DATA/customers.csv" ] || [ "$(rows "$DATA/customers.csv")" != "$CUSTOMERS" ]; then
    target/release/examples/gen --employees "$EMPLOYEES" --customers "$CUSTOMERS" --out "$DATA"
fi
if [ ! -f "$SPREAD/customers.csv" ] || [ "$(rows "$SPREAD/customers.csv")" != "$CUSTOMERS" ] ||
    [ "$(rows "$SPREAD/companies.csv")" != "$COMPANIES" ]; then
    target/release/examples/gen --companies "$COMPANIES" --employees 10 --customers "$CUSTOMERS" --out "$SPREAD"
fi
CSV="$DATA/customers.csv"
CHANGED="$DATA/customers-changed.csv"
# Every 100th customer renamed: 1% of the rows differ.
awk 'BEGIN {FS = OFS = ","} NR > 1 && NR % 100 == 0 {$2 = $2 "新"} {print}' "$CSV" >"$CHANGED"
echo "data: $(du -h "$CSV" | cut -f1) $CSV, $CUSTOMERS customers, $EMPLOYEES employees; $(du -h "$SPREAD/customers.csv" | cut -f1) over $COMPANIES companies; $(sqlite3 --version | cut -d' ' -f1-2)"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
secs() { awk '/Elapsed \(wall clock\)/ {n=split($NF,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$1"; }
kib() { awk '/Maximum resident set size/ {print $NF}' "$1"; }
ratio() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.2f", b/(s>0?s:1)}'; }
ms_of() { # runs "$@" with stdout to /dev/null, prints the wall time in ms
    local start end
    start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}
timed() { # name, command...: appends its seconds to $DATA/NAME.times (and its peak KiB)
    local name=$1; shift
    sync # the previous step's pages reach the disk before this one is timed
    /usr/bin/time -v "$@" 2>"$DATA/$name.log" >/dev/null
    secs "$DATA/$name.log" >>"$DATA/$name.times"
    kib "$DATA/$name.log" >>"$DATA/$name.rss"
}
reset() { for name in "$@"; do : >"$DATA/$name.times"; : >"$DATA/$name.rss"; done; }
SUMMARY=()
query() { # name, target, raw SQL, baton args...: on $QDB (default $DB, baton's BATON_DB too)
    local name=$1 target=$2 sql=$3 db=${QDB:-$DB}; shift 3
    : >"$DATA/q.raw"; : >"$DATA/q.baton"
    for _ in $(seq "$RUNS"); do
        ms_of sqlite3 -csv "$db" "$sql" >>"$DATA/q.raw"
        ms_of $BATON --db "$db" "$@" >>"$DATA/q.baton"
    done
    local raw baton line
    raw=$(median <"$DATA/q.raw"); baton=$(median <"$DATA/q.baton")
    line=$(printf '%-34s sqlite3 %6sms baton %6sms ratio %s (target <= %s), %s rows' "$name" \
        "$raw" "$baton" "$(ratio "$baton" "$raw")" "$target" "$(sqlite3 -csv "$db" "$sql" | wc -l)")
    echo "$line"; SUMMARY+=("$line")
}
report() { # label, sqlite3 name, baton name, target: prints and keeps the ratio line
    local s b r line
    s=$(median <"$DATA/$2.times"); b=$(median <"$DATA/$3.times")
    r=$(sort -n "$DATA/$3.rss" | tail -1)
    line=$(printf '%-34s sqlite3 %6ss  baton %6ss  ratio %s (target <= %s)  baton peak %s MiB (target < 64)' \
        "$1" "$s" "$b" "$(ratio "$b" "$s")" "$4" "$((r / 1024))")
    echo "$line"; SUMMARY+=("$line")
}

BARE="$DATA/bare.db"
DB="$DATA/baton.db"
LOADED="$DATA/loaded.db"
ANCHOR="$DATA/anchor.db"
export BATON_DB="$DB" BATON_ACTOR=bench
FIELDS="id TEXT, name TEXT, tier TEXT, owner TEXT, backup TEXT, contact TEXT, phone TEXT, email TEXT, since TEXT, status TEXT"

if [ -z "$AGENCY_ONLY" ]; then
echo "1. first load, $RUNS interleaved runs (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
reset sqlite-load baton-load
for run in $(seq "$RUNS"); do
    rm -f "$BARE" "$BARE"-*
    timed sqlite-load sqlite3 "$BARE" "CREATE TABLE customers ($FIELDS);" ".import --csv --skip 1 $CSV customers"
    rm -f "$DB" "$DB"-*
    $BATON -q import companies "$DATA/companies.csv"
    $BATON -q import employees "$DATA/employees.csv"
    timed baton-load $BATON -q import customers "$CSV"
    printf '  run %s: sqlite3 .import %ss, baton import %ss\n' "$run" \
        "$(tail -1 "$DATA/sqlite-load.times")" "$(tail -1 "$DATA/baton-load.times")"
done
report "first load of 1M customers" sqlite-load baton-load 1.0
test "$($BATON customer list --owner E0001 -f csv | wc -l)" -gt 1
cp "$DB" "$LOADED"

# The anchor of a nightly sync: stage the file, update the rows that differ, insert the new.
COMPANY=$(sqlite3 "$DB" "SELECT id FROM companies LIMIT 1")
STAGED="s JOIN employees o ON o.company_id = $COMPANY AND o.code = s.owner
    LEFT JOIN employees b ON b.company_id = $COMPANY AND b.code = nullif(s.backup, '')"
sync_sql() { cat <<SQL
BEGIN;
CREATE TEMP TABLE s ($FIELDS);
.import --csv --skip 1 $1 s
UPDATE customers AS c SET name = s.name, tier = s.tier, owner_id = o.id, backup_id = b.id,
    contact = nullif(s.contact, ''), phone = nullif(s.phone, ''), email = nullif(s.email, ''),
    since = nullif(s.since, ''), status = s.status
FROM $STAGED
WHERE c.company_id = $COMPANY AND c.code = s.id AND (c.name IS NOT s.name OR c.tier IS NOT s.tier
    OR c.owner_id IS NOT o.id OR c.backup_id IS NOT b.id OR c.contact IS NOT nullif(s.contact, '')
    OR c.phone IS NOT nullif(s.phone, '') OR c.email IS NOT nullif(s.email, '')
    OR c.since IS NOT nullif(s.since, '') OR c.status IS NOT s.status);
INSERT INTO customers (company_id, code, name, tier, owner_id, backup_id, contact, phone, email, since, status)
SELECT $COMPANY, s.id, s.name, s.tier, o.id, b.id, nullif(s.contact, ''), nullif(s.phone, ''),
    nullif(s.email, ''), nullif(s.since, ''), s.status
FROM $STAGED
WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.company_id = $COMPANY AND c.code = s.id);
COMMIT;
SQL
}
sync_sql "$CSV" >"$DATA/sync-unchanged.sql"
sync_sql "$CHANGED" >"$DATA/sync-changed.sql"

echo "2. nightly sync of 1M customers, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
reset sqlite-same baton-same sqlite-changed baton-changed
for run in $(seq "$RUNS"); do
    cp "$LOADED" "$ANCHOR"; timed sqlite-same sqlite3 "$ANCHOR" ".read $DATA/sync-unchanged.sql"
    cp "$LOADED" "$DB"; timed baton-same $BATON -q import customers "$CSV"
    cp "$LOADED" "$ANCHOR"; timed sqlite-changed sqlite3 "$ANCHOR" ".read $DATA/sync-changed.sql"
    cp "$LOADED" "$DB"; timed baton-changed $BATON -q import customers "$CHANGED"
    printf '  run %s: unchanged: sqlite3 %ss, baton %ss; 1%% changed: sqlite3 %ss, baton %ss\n' "$run" \
        "$(tail -1 "$DATA/sqlite-same.times")" "$(tail -1 "$DATA/baton-same.times")" \
        "$(tail -1 "$DATA/sqlite-changed.times")" "$(tail -1 "$DATA/baton-changed.times")"
done
rm -f "$ANCHOR" "$ANCHOR"-*
report "re-import of 1M unchanged" sqlite-same baton-same 1.0
report "re-import with 1% changed" sqlite-changed baton-changed 1.0
echo "  baton's report of the last one: $($BATON import customers "$CHANGED" --dry-run 2>&1 | tail -1)"
cp "$LOADED" "$DB"

echo "3. one file of $CUSTOMERS customers over $COMPANIES companies, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
reset sqlite-spread baton-spread
SPREAD_DB="$SPREAD/baton.db"
for run in $(seq "$RUNS"); do
    rm -f "$BARE" "$BARE"-*
    timed sqlite-spread sqlite3 "$BARE" "CREATE TABLE customers ($FIELDS, company TEXT);" ".import --csv --skip 1 $SPREAD/customers.csv customers"
    rm -f "$SPREAD_DB" "$SPREAD_DB"-*
    BATON_DB="$SPREAD_DB" $BATON -q import companies "$SPREAD/companies.csv"
    BATON_DB="$SPREAD_DB" $BATON -q import employees "$SPREAD/employees.csv"
    timed baton-spread env BATON_DB="$SPREAD_DB" $BATON -q import customers "$SPREAD/customers.csv"
done
rm -f "$BARE" "$BARE"-*
report "1M customers over $COMPANIES companies" sqlite-spread baton-spread 1.0

COLS="c.code, c.name, c.tier, o.code, b.code, c.contact, c.phone, c.email, c.since, c.status"
FROM="FROM customers c JOIN employees o ON o.id = c.owner_id LEFT JOIN employees b ON b.id = c.backup_id"
RAW_EXPORT="SELECT $COLS $FROM WHERE c.company_id = $COMPANY ORDER BY c.company_id, c.code;"
RAW_OWNER="SELECT $COLS $FROM WHERE c.owner_id = (SELECT id FROM employees WHERE company_id = $COMPANY AND code = 'E0001') ORDER BY c.code;"
RAW_AT_RISK="SELECT * FROM (SELECT $COLS, 'no backup' $FROM WHERE c.company_id = $COMPANY AND c.tier IN ('core', 'key') AND c.backup_id IS NULL AND c.status = 'active' AND o.status = 'active' UNION ALL SELECT $COLS, 'owner ' || o.status $FROM WHERE o.company_id = $COMPANY AND o.status IN ('leaving', 'left') AND c.status = 'active') ORDER BY 1;"
RAW_STATUS="SELECT co.code, coalesce(co.short_name, co.name),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status != 'left'),
    (SELECT count(*) FROM employees e WHERE e.company_id = co.id AND e.status = 'leaving'),
    (SELECT count(*) FROM customers c WHERE c.company_id = co.id AND c.status = 'active'),
    (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE c.company_id = co.id AND c.tier IN ('core', 'key') AND c.backup_id IS NULL AND c.status = 'active' AND o.status = 'active')
    + (SELECT count(*) FROM customers c JOIN employees o ON o.id = c.owner_id WHERE o.company_id = co.id AND o.status IN ('leaving', 'left') AND c.status = 'active')
  FROM companies co ORDER BY co.code;"

echo "4-5. queries on $CUSTOMERS customers, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
query "customer list -f csv (export)" 1.0 "$RAW_EXPORT" -f csv customer list
query "customer list --owner E0001" 2.0 "$RAW_OWNER" -f csv customer list --owner E0001
query "customer list --at-risk" 2.0 "$RAW_AT_RISK" -f csv customer list --at-risk
query "status" 2.0 "$RAW_STATUS" -f csv status

fi

# 6. An agency's database: AGENCY companies loaded company by company (kept between runs).
ADIR="$DATA/agency"
ADB="$ADIR/baton.db"
export BATON_NOW=2026-03-02T10:00:00+08:00 TZ=Asia/Shanghai
if [ ! -f "$ADB" ] || [ "$(sqlite3 "$ADB" 'SELECT count(*) FROM companies')" != "$AGENCY" ]; then
    rm -rf "$ADIR"
    target/release/examples/gen --companies "$AGENCY" --per-company --employees 20 --customers 500 \
        --handovers 2 --complaints 100 --credit 3 --out "$ADIR"
    start=$(date +%s)
    $BATON --db "$ADB" -q import companies "$ADIR/companies.csv"
    n=0
    for code in $(tail -n +2 "$ADIR/companies.csv" | cut -d, -f1); do
        n=$((n + 1)); dir="$ADIR/$(printf %04d "$n")"
        for entity in employees customers handovers complaints credit; do
            $BATON --db "$ADB" -q -c "$code" import "$entity" "$dir/$entity.csv" 2>/dev/null
        done
    done
    echo "agency database: $AGENCY companies loaded in $(($(date +%s) - start)) s"
fi
TODAY=2026-03-02
NOW=2026-03-02T02:00:00Z
OPEN="(c.status = 'received' OR (c.kind = 'complaint' AND c.status IN ('accepted', 'mediating'))
    OR (c.inform_due IS NOT NULL AND c.informed_at IS NULL))"
OVERDUE="(c.status = 'received' AND c.accept_due < coalesce(c.on_hold_since, '$NOW'))
    OR (c.status IN ('received', 'accepted', 'mediating') AND c.feedback_at IS NULL
        AND c.feedback_due < coalesce(c.on_hold_since, '$NOW'))
    OR (c.status IN ('received', 'accepted', 'mediating')
        AND c.resolve_due < coalesce(c.on_hold_since, '$NOW'))
    OR (c.informed_at IS NULL AND c.inform_due < '$NOW')"
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
SELECT c.company_id, c.id, c.kind, c.status, c.accept_due, c.feedback_due, c.resolve_due, c.inform_due, c.feedback_at, c.on_hold_since
  FROM companies co JOIN complaints c ON c.company_id = co.id AND $OPEN ORDER BY co.code, c.status, c.id;
SELECT h.company_id, h.id, e.name, count(*) FROM handovers h JOIN employees e ON e.id = h.employee_id
  JOIN handover_items i ON i.handover_id = h.id AND i.status = 'open' AND i.due_on < '$TODAY'
  WHERE h.status = 'open' GROUP BY h.id;
SELECT h.company_id, n.id, cu.name, n.send_by FROM notices n JOIN handovers h ON h.id = n.handover_id
  JOIN customers cu ON cu.id = n.customer_id WHERE n.status = 'planned' AND n.send_by <= date('$TODAY', '+7 days');
SELECT s.id, sum(ev.points) FROM credit_subjects s JOIN credit_events ev ON ev.subject_id = s.id
  WHERE ev.status = 'active' AND ev.expires_on > '$TODAY' GROUP BY s.id
  HAVING sum(ev.severity = 'severe') > 0 OR sum(ev.severity = 'major') >= 2;"
echo "6. agency: $AGENCY companies, $(sqlite3 "$ADB" 'SELECT count(*) FROM customers') customers, $(sqlite3 "$ADB" 'SELECT count(*) FROM complaints') complaints, $RUNS interleaved runs (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  status prints %s lines\n' "$($BATON --db "$ADB" status | wc -l)"
QDB="$ADB"
query "status (one screen)" 2.0 "$RAW_AGENCY_ATTENTION" status
query "status --format csv" 2.0 "$RAW_AGENCY_ROWS" -f csv status

echo
echo "summary (load average: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %s\n' "${SUMMARY[@]}"
