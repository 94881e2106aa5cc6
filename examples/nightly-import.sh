#!/usr/bin/env bash
# The nightly batch a clerk schedules (cron, or Task Scheduler running WSL):
#   1. imports DIR/employees.csv and DIR/customers.csv, the HR and CRM exports (UTF-8 or GBK
#      as Excel saves them); good rows land, bad ones go to DIR/ENTITY.rejects.csv to be fixed;
#   2. plans the customer notices of every open handover that has none yet;
#   3. prints what is due: notices to send, handovers with an overdue item, complaints past
#      a deadline.
# Usage: examples/nightly-import.sh DIR
# Environment: BATON_DB, BATON_COMPANY, BATON_CONFIG, BATON_LANG as for baton; BATON_ACTOR
# defaults to nightly-import. Needs baton and python3 on PATH.
# Exit codes:
#   0  everything imported, nothing overdue
#   4  rows were rejected (kept in the rejects file) or a file was refused whole
#   5  something is overdue: a notice past its send-by date, a handover item, a complaint clock
#   6  both 4 and 5
#   1, 2, 3  a baton command failed (runtime, usage, refused); its message is on stderr
set -euo pipefail
dir=${1:?usage: nightly-import.sh DIR}
export BATON_ACTOR=${BATON_ACTOR:-nightly-import}

# count [FIELD]: the rows of the JSON array on stdin (only those whose FIELD is true).
count() {
    python3 -c 'import json, sys
print(sum(1 for row in json.load(sys.stdin) if len(sys.argv) < 2 or row[sys.argv[1]]))' "$@"
}

# show TITLE ARGS...: how many rows `baton ARGS` lists, then their table; sets `listed`
# (the rows as JSON) and `shown` (their count).
show() {
    local title=$1
    shift
    listed=$(baton "$@" --format json)
    shown=$(count <<<"$listed")
    echo "$title: $shown"
    if [ "$shown" != 0 ]; then
        baton "$@"
    fi
}

echo "== import"
rejected=0
for entity in employees customers; do
    file="$dir/$entity.csv"
    [ -f "$file" ] || continue
    rejects="$dir/$entity.rejects.csv"
    code=0
    summary=$(baton import "$entity" "$file" --on-error skip --rejects "$rejects" --format json --quiet) || code=$?
    # baton import: 0 every row imported, 5 the good rows imported and the bad ones left
    # out (in the rejects file), 4 the file refused whole.
    if [ "$code" = 4 ]; then
        echo "$entity: $file was refused, nothing imported from it" >&2
        rejected=1
        continue
    fi
    [ "$code" = 0 ] || [ "$code" = 5 ] || exit "$code"
    echo "$entity: $(python3 -c 'import json, sys
print("%(rows)s rows, %(inserted)s new, %(updated)s updated, %(rejected)s rejected" % json.load(sys.stdin))' <<<"$summary")"
    if [ "$(count rejected <<<"[$summary]")" != 0 ]; then
        echo "$entity: rejected rows are in $rejects" >&2
        rejected=1
    else
        rm -f "$rejects"
    fi
done

echo "== notices"
handovers=$(baton handover list --status open --format json)
unplanned=$(python3 -c 'import json, sys
print(*(h["id"] for h in json.load(sys.stdin) if h["notices_total"] == 0))' <<<"$handovers")
for id in $unplanned; do
    echo "planning the notices of handover $id"
    baton notify plan "$id"
done

echo "== due"
show "notices to send (baton notify list --due)" notify list --due
late=$(count late <<<"$listed")
show "handovers with an overdue item (baton handover list --overdue)" handover list --overdue
overdue_handovers=$shown
show "complaints past a deadline (baton complaint list --overdue)" complaint list --overdue
overdue_complaints=$shown

overdue=0
if [ $((late + overdue_handovers + overdue_complaints)) != 0 ]; then
    echo "overdue: $late notice(s) past their send-by date, $overdue_handovers handover(s), $overdue_complaints complaint(s)" >&2
    overdue=1
fi
case "$rejected$overdue" in
    00) exit 0 ;;
    10) exit 4 ;;
    01) exit 5 ;;
    *) exit 6 ;;
esac
