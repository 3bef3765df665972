#!/usr/bin/env bash
# Soak the deterministic consensus simulator over many seeds and several network shapes.
#
#   scripts/soak-sim.sh [SEEDS_PER_CONFIG] [SEED_BASE] [JOBS]
#
# Each configuration (validators:byzantine) runs SEEDS_PER_CONFIG seeds starting at SEED_BASE, split into
# JOBS parallel chunks. Byzantine validators draw their behaviour per seed from KINDS (equivocate, silent,
# round-liar, flood; default all of them). Failing seeds are shrunk to their smallest failing schedule and
# printed with their violations, trace and a replay command such as
#   node bin/oasis-ts.mjs debug simulate --seeds 1 --seed-base <seed> --validators V --byzantine B \
#     --byzantine-kinds all --heights H --mask '{"partition":false}' --trace
# Totals are appended to test-artifacts/sim/soak.tsv. Exits 1 if any seed failed.
set -euo pipefail
cd "$(dirname "$0")/.."

SEEDS=${1:-2000}
BASE=${2:-1}
JOBS=${3:-2}
HEIGHTS=${HEIGHTS:-3}
CONFIGS=${CONFIGS:-"4:1 7:2 10:3 16:5"}
KINDS=${KINDS:-all}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p test-artifacts/sim

chunk=$(( (SEEDS + JOBS - 1) / JOBS ))
failed=0
total=0
for cfg in $CONFIGS; do
  v=${cfg%%:*}
  b=${cfg##*:}
  echo "== validators=$v byzantine=$b kinds=$KINDS seeds=$SEEDS from $BASE"
  pids=()
  for ((j = 0; j < JOBS; j++)); do
    start=$(( BASE + j * chunk ))
    count=$(( chunk < SEEDS - j * chunk ? chunk : SEEDS - j * chunk ))
    (( count > 0 )) || continue
    node bin/oasis-ts.mjs debug simulate --seeds "$count" --seed-base "$start" \
      --validators "$v" --byzantine "$b" --byzantine-kinds "$KINDS" --heights "$HEIGHTS" --shrink --trace \
      >"$OUT/$v-$b-$j.log" 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  passed=0
  cfg_failed=0
  for f in "$OUT/$v-$b-"*.log; do
    grep -v -E '^[0-9]+ passed, [0-9]+ failed$' "$f" || true
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$f" || echo "0 passed, 1 failed")
    p=${line%% passed*}
    m=${line##*, }
    m=${m%% failed}
    passed=$(( passed + p ))
    cfg_failed=$(( cfg_failed + m ))
  done
  failed=$(( failed + cfg_failed ))
  total=$(( total + passed + cfg_failed ))
  echo "   $passed passed, $cfg_failed failed"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$v:$b" "$KINDS" "$BASE" "$passed" "$cfg_failed" "$HEIGHTS" \
    >>test-artifacts/sim/soak.tsv
done
echo "soak: $total schedules, $failed failed seeds"
(( failed == 0 ))
