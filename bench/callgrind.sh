#!/bin/sh
# Steady-state instructions per article of one rasid build (issue #15); see bench/instructions.py.
#   bench/callgrind.sh .venv/bin/python /tmp/c30.jsonl
set -eu
PY=${1:?python of the build to measure}
JSONL=${2:?articles jsonl}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${CALLGRIND_OUT:-$(mktemp)}
export PYTHONHASHSEED=0  # set and dict orders, and so instruction counts, repeat from run to run
valgrind --tool=callgrind --callgrind-out-file="$OUT" --collect-atstart=no --toggle-collect='functools_reduce*' \
  "$PY" "$HERE/instructions.py" "$JSONL" --repeat 1 2>"$OUT.log" >/dev/null
N=$(grep -c . "$JSONL")
I=$(grep '^summary:' "$OUT" | awk '{print $2}')
echo "$PY: $N articles, $((I / N)) instructions per article"
[ -n "${CALLGRIND_OUT:-}" ] || rm -f "$OUT" "$OUT.log"
