#!/usr/bin/env bash
# Soak the deterministic consensus simulator over many seeds and several network shapes.
#
#   scripts/soak-sim.sh [SEEDS_PER_CONFIG] [SEED_BASE] [JOBS]
#
# Each configuration (validators:byzantine, or validators:byzantine:seeds to give it its own count) runs
# its seeds from SEED_BASE, split into JOBS parallel processes. With ROUNDS > 1 the seeds are cut into that
# many rounds that visit every configuration in turn, so a long soak stopped early has covered them all,
# and each round appends its counts at once. Byzantine validators draw their behaviour per seed from KINDS
# (equivocate, silent, round-liar, flood; default all of them). HEIGHTS (default 3) and MAX_CHAOS_MS
# (default 15000, the chaos phase lasts 3 s up to this) set the schedule length.
# Failing seeds are shrunk to their smallest failing schedule and printed with their violations, trace and
# a replay command such as
#   node bin/oasis-ts.mjs debug simulate --seeds 1 --seed-base <seed> --validators V --byzantine B \
#     --byzantine-kinds all --heights H --mask '{"partition":false}' --trace
# Counts are appended to test-artifacts/sim/soak.tsv (time, config, kinds, first seed, passed, failed,
# heights, max chaos ms); the totals per configuration over the whole file are printed at the end
# (scripts/soak-sim.sh --summary prints only them). Exits 1 if any seed failed.
set -euo pipefail
cd "$(dirname "$0")/.."
TSV=test-artifacts/sim/soak.tsv

summary() {
  [[ -f $TSV ]] || return 0
  awk -F'\t' '{ s[$2] += $5 + $6; f[$2] += $6; S += $5 + $6; F += $6 }
    END { for (c in s) printf "   %s: %d schedules, %d failed\n", c, s[c], f[c]; printf "   all: %d schedules, %d failed\n", S, F }' \
    "$TSV" | sort -V
}
if [[ ${1:-} == --summary ]]; then
  summary
  exit 0
fi

SEEDS=${1:-2000}
BASE=${2:-1}
JOBS=${3:-2}
HEIGHTS=${HEIGHTS:-3}
MAX_CHAOS_MS=${MAX_CHAOS_MS:-15000}
ROUNDS=${ROUNDS:-1}
CONFIGS=${CONFIGS:-"4:1 7:2 10:3 16:5"}
KINDS=${KINDS:-all}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
mkdir -p test-artifacts/sim

failed=0
total=0
for ((r = 0; r < ROUNDS; r++)); do
  for cfg in $CONFIGS; do
    IFS=: read -r v b n <<<"$cfg"
    n=${n:-$SEEDS}
    per=$(( (n + ROUNDS - 1) / ROUNDS ))
    first=$(( BASE + r * per ))
    seeds=$(( per < n - r * per ? per : n - r * per ))
    (( seeds > 0 )) || continue
    echo "== $(date -u +%T) round $((r + 1))/$ROUNDS validators=$v byzantine=$b kinds=$KINDS seeds=$seeds from $first"
    chunk=$(( (seeds + JOBS - 1) / JOBS ))
    pids=()
    for ((j = 0; j < JOBS; j++)); do
      start=$(( first + j * chunk ))
      count=$(( chunk < seeds - j * chunk ? chunk : seeds - j * chunk ))
      (( count > 0 )) || continue
      node --max-semi-space-size=32 bin/oasis-ts.mjs debug simulate --seeds "$count" --seed-base "$start" \
        --validators "$v" --byzantine "$b" --byzantine-kinds "$KINDS" --heights "$HEIGHTS" \
        --max-chaos-ms "$MAX_CHAOS_MS" --shrink --trace >"$OUT/$v-$b-$j.log" 2>&1 &
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
    rm -f "$OUT/$v-$b-"*.log
    failed=$(( failed + cfg_failed ))
    total=$(( total + passed + cfg_failed ))
    echo "   $passed passed, $cfg_failed failed"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$v:$b" "$KINDS" "$first" "$passed" \
      "$cfg_failed" "$HEIGHTS" "$MAX_CHAOS_MS" >>"$TSV"
  done
done
echo "soak: $total schedules, $failed failed seeds; all soaks recorded in $TSV:"
summary
(( failed == 0 ))
