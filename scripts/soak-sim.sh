#!/usr/bin/env bash
# Soak the deterministic consensus simulator over many seeds and several network shapes.
#
#   scripts/soak-sim.sh [SEEDS_PER_CONFIG] [SEED_BASE] [JOBS]
#
# Each configuration (validators/byzantine) runs SEEDS_PER_CONFIG seeds starting at SEED_BASE, split into
# JOBS parallel chunks. Failing seeds are printed with their violations and trace; rerun one with
#   node bin/oasis-ts.mjs debug simulate --seeds 1 --seed-base <seed> --validators V --byzantine B --trace
# Exits 1 if any seed failed.
set -euo pipefail
cd "$(dirname "$0")/.."

SEEDS=${1:-2000}
BASE=${2:-1}
JOBS=${3:-2}
HEIGHTS=${HEIGHTS:-3}
CONFIGS=${CONFIGS:-"4:0 4:1 7:2 10:3"}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

chunk=$(( (SEEDS + JOBS - 1) / JOBS ))
failed=0
for cfg in $CONFIGS; do
  v=${cfg%%:*}
  b=${cfg##*:}
  echo "== validators=$v byzantine=$b seeds=$SEEDS from $BASE"
  pids=()
  for ((j = 0; j < JOBS; j++)); do
    start=$(( BASE + j * chunk ))
    count=$(( chunk < SEEDS - j * chunk ? chunk : SEEDS - j * chunk ))
    (( count > 0 )) || continue
    node bin/oasis-ts.mjs debug simulate --seeds "$count" --seed-base "$start" \
      --validators "$v" --byzantine "$b" --heights "$HEIGHTS" --trace >"$OUT/$v-$b-$j.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  passed=0
  for f in "$OUT/$v-$b-"*.log; do
    grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$f" || true
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$f" || echo "0 passed, 1 failed")
    p=${line%% passed*}
    m=${line##*, }
    m=${m%% failed}
    passed=$(( passed + p ))
    failed=$(( failed + m ))
  done
  echo "   $passed passed"
done
echo "soak: $failed failed seeds"
(( failed == 0 ))
