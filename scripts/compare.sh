#!/usr/bin/env bash
# compare.sh runs report and the tools a user would pick instead side by
# side, alternating (A B A B), on the same machine and the same cached
# files, and prints one line a run: job, tool, wall seconds, CPU seconds
# and peak memory; then the medians of each job and tool, and report's
# ratios to its peer's (time and memory). docs/performance.md gives the
# figures of such runs.
#
# Usage: scripts/compare.sh [BENCH_DIR [WORK_DIR]]
#
# BENCH_DIR holds gen.go and the peers' scripts (default ../shared/bench);
# WORK_DIR receives the generated inputs and the outputs (default
# /tmp/report-compare; the inputs, 3.9 GB, are kept for the next run). The
# peers need Debian's python3-pandas, python3-xlsxwriter and
# python3-matplotlib under /usr/bin/python3.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=$(realpath "${1:-../shared/bench}")
work=${2:-/tmp/report-compare}
py=/usr/bin/python3
mkdir -p "$work/out"

for rows in 1000000 10000000; do
  f="$work/trade_$rows.csv"
  [ -s "$f" ] || (cd "$bench" && go run gen.go -rows "$rows" -seed 42 -violations 100 -out "$f")
done
# A customs office's detail: every economy the generator knows (247, WLD
# among them) with every other, 182,286 series, so that a year holds 2.2
# million rows and WLD's totals sum 245 partners.
for rows in 1000000 10000000; do
  f="$work/wide_$rows.csv"
  [ -s "$f" ] || (cd "$bench" && go run gen.go -rows "$rows" -seed 42 -violations 100 -reporters 247 -partners 246 -out "$f")
done
# The same rows sorted by series, and split in two files.
[ -s "$work/series.csv" ] || { head -1 "$work/trade_10000000.csv"; tail -n +2 "$work/trade_10000000.csv" | sort -t, -k1,2 -s; } > "$work/series.csv"
if [ ! -s "$work/part2.csv" ]; then
  head -5000001 "$work/trade_10000000.csv" > "$work/part1.csv"
  { head -1 "$work/trade_10000000.csv"; tail -n +5000002 "$work/trade_10000000.csv"; } > "$work/part2.csv"
fi
# The same rows as a file a year (the one row of 2005 that comes last
# goes to 2005's), as statistics offices publish them.
if [ ! -s "$work/years/2022.csv" ]; then
  mkdir -p "$work/years"
  awk -F, -v dir="$work/years" 'NR == 1 { head = $0; next } { f = dir "/" substr($4, 1, 4) ".csv"; if (!(f in seen)) { seen[f] = 1; print head > f } print > f }' "$work/trade_10000000.csv"
fi
# A later release of each trade file: every 20,011th value raised by 1.5,
# every 50,000th row dropped.
for rows in 1000000 10000000; do
  f="$work/trade_$rows.csv"
  [ -s "${f%.csv}_rev.csv" ] || awk -F, -v OFS=, 'NR > 1 && (NR - 1) % 50000 == 0 { next } NR > 1 && (NR - 1) % 20011 == 0 { $5 = $5 + 1.5 } { print }' "$f" > "${f%.csv}_rev.csv"
done
CGO_ENABLED=0 go build -o "$work/report" ./cmd/report
go build -o "$work/timeit" ./scripts/timeit
go build -o "$work/freshmem" ./scripts/freshmem
r="$work/report"
results="$work/results.txt"
: > "$results"

# run times a command with scripts/timeit: its wall time to the
# millisecond (GNU time's gives hundredths, a step of 7% of the 1M check),
# its user and system time and its peak memory.
run() { # job tool command...
  local job=$1 tool=$2
  shift 2
  "$work/timeit" "$job" "$tool" -- "$@" 2>"$work/time" || true
  tail -1 "$work/time" | tee -a "$results"
}

# What memory new to a process costs now, before the runs and after
# them: on a machine that hands free memory back to its host it moves the
# checks' times more than anything they do (see scripts/freshmem).
"$work/freshmem" | tee -a "$results"

# The 1M check takes a tenth of a second, which the machine's drift moves
# by a fifth from run to run: more pairs than the longer jobs, after one
# run of each side that is not counted (in the runs of 2026-12-06, the
# first check after the build took up to twice the others' time, with
# several times their system time).
"$r" check "$work/trade_1000000.csv" >/dev/null 2>&1 || true
"$py" "$bench/check_pandas.py" "$work/trade_1000000.csv" --tuned >/dev/null 2>&1 || true
for _ in 1 2 3 4 5 6 7; do
  run check-1M report "$r" check "$work/trade_1000000.csv"
  run check-1M pandas "$py" "$bench/check_pandas.py" "$work/trade_1000000.csv" --tuned
done
for _ in 1 2 3; do
  run check-10M report "$r" check "$work/trade_10000000.csv"
  run check-10M pandas "$py" "$bench/check_pandas.py" "$work/trade_10000000.csv" --tuned
done
for _ in 1 2 3; do
  run check-wide-1M report "$r" check "$work/wide_1000000.csv"
  run check-wide-1M pandas "$py" "$bench/check_pandas.py" "$work/wide_1000000.csv" --tuned
done
for _ in 1 2; do
  run check-wide-10M report "$r" check "$work/wide_10000000.csv"
  run check-wide-10M pandas "$py" "$bench/check_pandas.py" "$work/wide_10000000.csv" --tuned
done
for _ in 1 2; do
  run check-10M-by-series report "$r" check "$work/series.csv"
  run check-10M-by-series pandas "$py" "$bench/check_pandas.py" "$work/series.csv" --tuned
  run check-10M-two-files report "$r" check "$work/part1.csv" "$work/part2.csv"
  run check-10M-a-file-a-year report "$r" check "$work"/years/*.csv
  run check-10M-pipe report sh -c "cat '$work/trade_10000000.csv' | '$r' check -"
done
for _ in 1 2; do
  run xlsx-1M report-whole "$r" xlsx --force --no-rules --out "$work/out/whole.xlsx" "$work/trade_1000000.csv"
  run xlsx-1M report-data-only "$r" xlsx --data-only --force --no-rules --out "$work/out/data.xlsx" "$work/trade_1000000.csv"
  run xlsx-1M xlsxwriter "$py" "$bench/xlsx_xlsxwriter.py" "$work/trade_1000000.csv" "$work/out/peer.xlsx"
done
for _ in 1 2 3; do
  rm -rf "$work/out/charts" "$work/out/peer-charts"
  mkdir -p "$work/out/charts" "$work/out/peer-charts"
  run charts-50 report "$r" charts --spec charts/testdata/bench/spec50.yaml --out "$work/out/charts" --as-of 2024-10-15 charts/testdata/bench/trade50.csv
  run charts-50 matplotlib "$py" "$bench/chart_matplotlib.py" "$work/out/peer-charts" 50
done
# Report's own jobs on files of millions of rows, which have no peer here.
for _ in 1 2; do
  run chart-of-1M report "$r" charts --force --spec charts/testdata/bench/one_pair.yaml --out "$work/out/one" --as-of 2024-10-15 "$work/trade_1000000.csv"
  run chart-of-10M report "$r" charts --force --spec charts/testdata/bench/one_pair.yaml --out "$work/out/one" --as-of 2024-10-15 "$work/trade_10000000.csv"
  run diff-1M report "$r" diff "$work/trade_1000000.csv" "$work/trade_1000000_rev.csv"
  run diff-10M report "$r" diff "$work/trade_10000000.csv" "$work/trade_10000000_rev.csv"
  run check-previous-10M report "$r" check --no-rules --previous "$work/trade_10000000.csv" "$work/trade_10000000_rev.csv"
done
rm -rf "$work/seed" && mkdir "$work/seed" && cp -r data "$work/seed/"
for _ in 1 2 3 4 5; do
  run default report sh -c "cd '$work/seed' && '$r'"
done

"$work/freshmem" | tee -a "$results"

# The medians of each job and tool, and report's against its peer's.
awk '
function median(list,   v, n, i, j, t) {
  n = split(list, v, " ")
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && v[j-1] + 0 > v[j] + 0; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
  return n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2
}
$4 == "s" && $6 == "u" && $8 == "s" && $10 == "KB" {
  k = $1 " " $2
  if (!(k in n)) order[++keys] = k
  n[k]++; wall[k] = wall[k] " " $3; cpu[k] = cpu[k] " " ($5 + $7); mem[k] = mem[k] " " $9
}
END {
  print "\nmedians: job tool wall-s cpu-s peak-MB runs"
  for (i = 1; i <= keys; i++) {
    k = order[i]; split(k, jt, " ")
    w[k] = median(wall[k]); m[k] = median(mem[k]) / 1024
    printf "%s %.3f %.2f %.0f %d\n", k, w[k], median(cpu[k]), m[k], n[k]
    if (jt[2] != "report" && jt[2] !~ /^report-/) peer[jt[1]] = k
  }
  print "\nratios against the peer: job tool/peer time memory"
  for (i = 1; i <= keys; i++) {
    k = order[i]; split(k, jt, " ")
    if (jt[2] !~ /^report/ || !(jt[1] in peer)) continue
    p = peer[jt[1]]; split(p, pt, " ")
    printf "%s %s/%s %.3f %.2f\n", jt[1], jt[2], pt[2], w[k] / w[p], m[k] / m[p]
  }
}' "$results"
