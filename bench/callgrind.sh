#!/bin/sh
# Steady-state instructions per article of one rasid build (issue #15); see bench/instructions.py.
#   bench/callgrind.sh .venv/bin/python /tmp/c30.jsonl
set -eu
PY=${1:?python of the build to measure}
JSONL=${2:?articles jsonl}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && cp "$TMP"/cg* "$KEEP"/ ; rm -rf "$TMP"' EXIT
export PYTHONHASHSEED=0  # set and dict orders, and so instruction counts, repeat from run to run
for r in 0 1; do
  valgrind --tool=callgrind --callgrind-out-file="$TMP/cg$r" "$PY" "$HERE/instructions.py" "$JSONL" --repeat $r 2>"$TMP/log$r" >/dev/null
done
N=$(grep -c . "$JSONL")
I0=$(grep '^summary:' "$TMP/cg0" | awk '{print $2}')
I1=$(grep '^summary:' "$TMP/cg1" | awk '{print $2}')
echo "$PY: $N articles, $(( (I1 - I0) / N )) instructions per article ($I1 - $I0)"
