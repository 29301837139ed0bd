#!/usr/bin/env bash
# Stryker one source file at a time, each with its own incremental file, so a
# run that is stopped keeps every file it finished and a rerun retests only the
# mutants whose code or covering tests changed (docs/engine.md, "Mutation").
# Before each run its survivors are dropped from the incremental file: Stryker
# would otherwise reuse a survivor whose earlier covering tests are unchanged,
# even when new tests now cover it.
#   scripts/mutation-by-file.sh run <lane> <file>...   (two lanes side by side use both cores)
#   scripts/mutation-by-file.sh summary                per file and per folder, from the logs
set -euo pipefail
cd "$(dirname "$0")/.."
out=reports/mutation-by-file
mkdir -p "$out" reports/inc

# Survived and NoCoverage mutants out of an incremental report, so they are tested again.
retest_survivors() {
  [ -e "$1" ] || return 0
  npx node -e '
    const fs = require("node:fs");
    const report = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    for (const file of Object.values(report.files)) file.mutants = file.mutants.filter((m) => m.status !== "Survived" && m.status !== "NoCoverage");
    fs.writeFileSync(process.argv[1], JSON.stringify(report));
  ' "$1"
}

row() { sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ *[a-z-]+\.ts *\|' | head -1; }

case "${1:-}" in
  run)
    lane=${2:?a lane name (A, B, ...): each lane gets its own Stryker temp folder}
    shift 2
    for f in "$@"; do
      name=${f//\//_}
      echo "$(date -u +%T) $f"
      retest_survivors "reports/inc/$name.json"
      npx stryker run --mutate "$f" --concurrency 1 --incrementalFile "reports/inc/$name.json" \
        --reporters clear-text,progress-append-only --tempDirName ".stryker-tmp-$lane" >"$out/$name.log" 2>&1 \
        || { echo "stryker failed on $f: see $out/$name.log" >&2; exit 1; }
      echo "  $(row "$out/$name.log" | tr -s ' ')"
    done
    ;;
  summary)
    for dir in machines predicates; do
      k=0 t=0 s=0 n=0
      for log in "$out/${dir}"_*.log; do
        [ -e "$log" ] || continue
        if [ -z "$(row "$log")" ]; then echo "$log: no finished run (still running, or stopped: run it again)"; continue; fi
        IFS='|' read -r file score _ killed timeout survived nocov _ <<<"$(row "$log" | tr -d ' ')"
        printf '%-32s %7s%%  killed %4d  timed out %3d  survived %3d  no coverage %3d\n' "$dir/$file" "$score" "$killed" "$timeout" "$survived" "$nocov"
        k=$((k + killed)) t=$((t + timeout)) s=$((s + survived)) n=$((n + nocov))
      done
      all=$((k + t + s + n))
      [ "$all" -gt 0 ] && awk -v d="$dir" -v k="$k" -v t="$t" -v a="$all" -v s="$s" -v n="$n" \
        'BEGIN { printf "%s/: %.2f%% detected (%d killed + %d timed out of %d; %d survived, %d without coverage)\n", d, 100 * (k + t) / a, k, t, a, s, n }'
    done
    ;;
  *)
    echo "usage: $0 run <lane> <file>... | $0 summary" >&2
    exit 2
    ;;
esac
