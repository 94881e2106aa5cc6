#!/usr/bin/env bash
# Nightly batch import of HR and CRM exports (CSV, UTF-8 or GBK as Excel saves them).
# Good rows land; bad ones go to a rejects file for someone to fix, and the script exits 4
# so that the scheduler reports it.
#   examples/nightly-import.sh DIR       (DIR holds employees.csv and customers.csv)
# Environment: BATON_DB, BATON_COMPANY, BATON_ACTOR as for baton itself.
set -euo pipefail
dir=${1:?usage: nightly-import.sh DIR}
export BATON_ACTOR=${BATON_ACTOR:-nightly-import}
status=0
for entity in employees customers; do
    file="$dir/$entity.csv"
    [ -f "$file" ] || continue
    rejects="$dir/$entity.rejects.csv"
    summary=$(baton import "$entity" "$file" --on-error skip --rejects "$rejects" --format json --quiet)
    echo "$entity: $summary"
    if [ "$(printf '%s' "$summary" | tr -d ' \n' | sed 's/.*"rejected":\([0-9]*\).*/\1/')" != 0 ]; then
        echo "$entity: rejected rows are in $rejects" >&2
        status=4
    else
        rm -f "$rejects"
    fi
done
exit $status
