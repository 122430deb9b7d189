# Sourced by the CI scripts: `step NAME` announces a step; when a command fails, the ERR
# trap says which script, which step, which line and what it ran, then the script ends
# (set -e alone ends it in silence, as on the fresh machine of issue 25).
# shellcheck shell=bash
set -Eeuo pipefail
CI_SCRIPT=${CI_SCRIPT:-$(basename "$0")}
CI_STEP="start"
CI_T0=$(date +%s)
step() {
    CI_STEP="$*"
    echo "== $CI_SCRIPT, $(($(date +%s) - CI_T0)) s: $CI_STEP"
}
ci_failed() {
    local rc=$1 line=$2 cmd=$3
    # Once, from the script itself, not again from each command substitution.
    [ "$BASH_SUBSHELL" -eq 0 ] || return 0
    echo "✗ $CI_SCRIPT: step «$CI_STEP» failed (exit $rc) at line $line: $cmd" >&2
}
trap 'ci_failed $? $LINENO "$BASH_COMMAND"' ERR
