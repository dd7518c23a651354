#!/usr/bin/env bash
# Fail a CI job when the planned workload goes over budget.
#   exit 0: within budget (a warning line on stderr past 80% of it)
#   exit 1: over budget
#   exit 2: the workload file or an option is wrong
# Usage: examples/budget-check.sh [WORKLOAD_FILE] [BUDGET_USD]
set -u
here="$(cd "$(dirname "$0")" && pwd)"
file="${1:-$here/workload.yaml}"
budget="${2:-${FLUX_BUDGET_USD:-400}}"

fluxcost workload --file "$file" --budget "$budget" --warn-at 80 --format markdown
status=$?
case $status in
  0) echo "fluxcost budget check passed" >&2 ;;
  1) echo "fluxcost budget check FAILED: the plan is over \$$budget" >&2 ;;
  *) echo "fluxcost budget check could not run (exit $status)" >&2 ;;
esac
exit $status
