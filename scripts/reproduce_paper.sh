#!/usr/bin/env bash
# Reproduces the system results of H4H-NAS (arXiv 2410.08326) with h4h's own models:
#   - latency and energy of heterogeneous NPU + CIM execution (rule, optimal and
#     optimal-concurrent schemas; the optimal ones for the latency and for the energy objective)
#     against an NPU-only baseline, for hybrid CNN/ViT models: the zoo's nasvit_a0 and random hybrid
#     subnets of models/spaces/nasvit-imagenet.yaml;
#   - the multi-macro / multi-compute-unit sweep (cim.macros=1,2,4,8,16 x cim.compute_units=1,2,4),
#     every point estimated and re-run in the SystemC simulator.
# Writes OUT_DIR (default reports/paper): README.md (the report, with every hardware assumption),
# results.csv (every point, long format), sweeps/<model>/<schema>/sweep.{csv,json,png,svg},
# baseline/, context/zoo/ (every zoo model on the CIM system, with a plot), subnets/ and logs/.
# Prints the best latency and energy reductions next to the paper's 56.08% / 41.72%.
#
# Usage: scripts/reproduce_paper.sh [OUT_DIR]
# Environment: H4H_BIN (use this h4h binary instead of building build/h4h), H4H_BUILD_DIR,
# H4H_PAPER_SUBNETS (hybrid subnets, default 4), H4H_PAPER_SEED (default 1), H4H_PAPER_JOBS
# (simulator worker processes, default: the number of cores).
# The output directory is replaced only when the whole run succeeds.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${1:-reports/paper}
SUBNETS=${H4H_PAPER_SUBNETS:-4}
SEED=${H4H_PAPER_SEED:-1}
JOBS=${H4H_PAPER_JOBS:-0}
CIM_HW=hwconfigs/h4h-default.yaml
NPU_HW=hwconfigs/ethos-u55-256.yaml
SPACE=models/spaces/nasvit-imagenet.yaml
MACROS=1,2,4,8,16
CUS=1,2,4
# schema:objective pairs evaluated at every point
SCHEMAS=(rule:latency optimal:latency optimal-concurrent:latency optimal:energy optimal-concurrent:energy)
PAPER_LATENCY=56.08
PAPER_ENERGY=41.72

die() {
  echo "reproduce_paper: error: $*" >&2
  exit 1
}
[[ $SUBNETS =~ ^[0-9]+$ ]] || die "H4H_PAPER_SUBNETS must be a whole number, got '$SUBNETS'"
[[ $SEED =~ ^[0-9]+$ ]] || die "H4H_PAPER_SEED must be a whole number, got '$SEED'"
[[ $JOBS =~ ^[0-9]+$ ]] || die "H4H_PAPER_JOBS must be a whole number, got '$JOBS'"
for f in "$CIM_HW" "$NPU_HW" "$SPACE"; do [[ -r $f ]] || die "$f is missing (run from a complete checkout)"; done
command -v awk >/dev/null || die "awk is required"

START=$(date +%s)
if [[ -n ${H4H_BIN:-} ]]; then
  H4H=$H4H_BIN
else
  bash scripts/build.sh h4h || die "building h4h failed (scripts/build.sh h4h)"
  H4H=${H4H_BUILD_DIR:-build}/h4h
fi
[[ -x $H4H ]] || die "$H4H is not an executable h4h binary"

mkdir -p "$(dirname "$OUT")"
WORK=$(mktemp -d "${OUT%/}.tmp.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/logs" "$WORK/baseline" "$WORK/sweeps" "$WORK/context"

# run LOG OK_CODES -- ARGS...: runs h4h with its output in logs/LOG.log; any exit code not in
# OK_CODES (space separated) stops the script with the log's tail.
run() {
  local log="$WORK/logs/$1.log" ok=" $2 " rc=0
  shift 3
  "$H4H" "$@" >"$log" 2>&1 || rc=$?
  if [[ $ok != *" $rc "* ]]; then
    echo "reproduce_paper: h4h $* exited with $rc; the end of $log:" >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
}

# The default system point: the CIM of h4h-default.yaml as shipped.
DEF_MACROS=$(awk '$1 == "macros:" {print $2; exit}' "$CIM_HW")
DEF_CUS=$(awk '$1 == "compute_units:" {print $2; exit}' "$CIM_HW")
[[ $DEF_MACROS =~ ^[0-9]+$ && $DEF_CUS =~ ^[0-9]+$ ]] || die "cannot read cim.macros / cim.compute_units from $CIM_HW"

# --- models: nasvit_a0 and hybrid random subnets (those with attention and MBConv blocks) -------
echo "== sampling $SUBNETS hybrid subnets of $SPACE (seed $SEED)"
MODELS=(nasvit_a0)  # labels: the zoo model, then subnet_NNNN
if ((SUBNETS > 0)); then
  run sample 0 -- space sample --space "$SPACE" --n $((SUBNETS * 3)) --seed "$SEED" --out "$WORK/subnets"
  for f in "$WORK"/subnets/subnet_*.json; do
    ((${#MODELS[@]} > SUBNETS)) && break
    if grep -q '"op": *"matmul"' "$f" && grep -q '"op": *"depthwise_conv2d"' "$f"; then
      label=$(basename "$f" .json)
      MODELS+=("$label")
      cp "$f" "$WORK/subnets/keep_$label.json"
    fi
  done
  ((${#MODELS[@]} > SUBNETS)) || die "fewer than $SUBNETS of $((SUBNETS * 3)) sampled subnets are hybrid"
  # keep only the subnets used (and their ArchConfigs)
  for f in "$WORK"/subnets/subnet_*.json; do rm -f "$f"; done
  for f in "$WORK"/subnets/keep_*.json; do mv "$f" "$WORK/subnets/${f##*/keep_}"; done
  for f in "$WORK"/subnets/arch_*.json; do
    id=${f##*/arch_}
    [[ -f $WORK/subnets/subnet_$id ]] || rm -f "$f"
  done
fi
workload_args() {  # label -> h4h arguments, reading subnets from the work directory
  local i
  for i in "${!MODELS[@]}"; do
    if [[ ${MODELS[$i]} == "$1" ]]; then
      if [[ $1 == nasvit_a0 ]]; then echo "--model nasvit_a0"; else echo "--workload $WORK/subnets/$1.json"; fi
      return
    fi
  done
  die "unknown model label $1"
}

# --- NPU-only baseline: the same NPU, memories and clock, no CIM ---------------------------------
echo "== NPU-only baseline on $NPU_HW"
RESULTS=$WORK/results.csv
echo "model,schema,objective,cim_macros,cim_compute_units,latency_ms,energy_uj,sim_latency_ms,sim_energy_uj,latency_err_pct,energy_err_pct,status,sim_status" >"$RESULTS"
for m in "${MODELS[@]}"; do
  # shellcheck disable=SC2046
  run "baseline-$m" 0 -- report --hw "$NPU_HW" --models "$(workload_args "$m" | awk '{print $2}')" --mappings npu-only \
    --out "$WORK/baseline/$m"
  awk -F, -v m="$m" 'NR == 2 {printf "%s,npu-only,-,0,0,%s,%s,,,,,ok,\n", m, $4, $5}' "$WORK/baseline/$m/summary.csv" >>"$RESULTS"
done

# --- the sweeps: every model x schema x (macros x compute units), estimated and simulated --------
# Appends a sweep's rows to results.csv, columns picked by name; commas inside reasons become ';'.
collect() {
  awk -v model="$1" -v schema="$2" -v objective="$3" '
    function split_csv(line, f,    n, i, c, q, cur) {
      n = 0; cur = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0 } else cur = cur c }
        else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = cur; cur = "" }
        else cur = cur c
      }
      f[++n] = cur
      return n
    }
    function col(name) { v = f[idx[name]]; gsub(/,/, ";", v); return v }
    NR == 1 { n = split_csv($0, f); for (i = 1; i <= n; i++) idx[f[i]] = i; next }
    { split_csv($0, f)
      print model "," schema "," objective "," col("cim.macros") "," col("cim.compute_units") "," col("latency_ms") "," \
            col("energy_uj") "," col("sim_latency_ms") "," col("sim_energy_uj") "," col("latency_err_pct") "," \
            col("energy_err_pct") "," col("status") "," col("sim_status") }' "$4"
}

echo "== sweeps: cim.macros=$MACROS x cim.compute_units=$CUS, ${#SCHEMAS[@]} schemas, ${#MODELS[@]} models, estimated + simulated"
for m in "${MODELS[@]}"; do
  for so in "${SCHEMAS[@]}"; do
    schema=${so%%:*} objective=${so##*:}
    dir="$WORK/sweeps/$m/$schema-$objective"
    mkdir -p "$(dirname "$dir")"
    # exit 1: every simulation of the sweep failed; the estimates and the reasons are still written
    # shellcheck disable=SC2046
    run "sweep-$m-$schema-$objective" "0 1" -- sweep $(workload_args "$m") --hw "$CIM_HW" --set "cim.macros=$MACROS" \
      --set "cim.compute_units=$CUS" --schema "$schema" --objective "$objective" --simulate --jobs "$JOBS" --out "$dir"
    [[ -s $dir/sweep.csv ]] || die "the sweep wrote no $dir/sweep.csv"
    collect "$m" "$schema" "$objective" "$dir/sweep.csv" >>"$RESULTS"
    echo "   $m $schema ($objective)"
  done
done

# --- context: every zoo model and the hybrids on the CIM system (table and bar plot) -------------
echo "== context: every zoo model on $CIM_HW"
run context-zoo 0 -- report --hw "$CIM_HW" --models all --mappings npu-only,rule,optimal,optimal-concurrent \
  --out "$WORK/context/zoo"

# --- summary ------------------------------------------------------------------------------------
# Reductions against the baseline: 100 * (1 - x / npu-only). "default" = the shipped CIM point.
SUMMARY=$WORK/summary.txt
awk -F, -v dm="$DEF_MACROS" -v dc="$DEF_CUS" -v pl="$PAPER_LATENCY" -v pe="$PAPER_ENERGY" -v out="$WORK/tables.md" '
  NR == 1 { next }
  $2 == "npu-only" { base_ms[$1] = $6; base_uj[$1] = $7; next }
  $12 == "ok" {
    red_ms = 100 * (1 - $6 / base_ms[$1]); red_uj = 100 * (1 - $7 / base_uj[$1])
    what = $1 " " $2 " (" $3 "), " $4 " macros x " $5 " CUs"
    if (!(1 in seen) || red_ms > best_ms) { best_ms = red_ms; best_ms_what = what; seen[1] = 1 }
    if (!(2 in seen) || red_uj > best_uj) { best_uj = red_uj; best_uj_what = what; seen[2] = 1 }
    if (red_uj >= 0 && (!(5 in seen) || red_ms > best_ms_nr)) { best_ms_nr = red_ms; best_ms_nr_what = what; seen[5] = 1 }
    if ($4 == dm && $5 == dc) {
      if (!(3 in seen) || red_ms > dbest_ms) { dbest_ms = red_ms; dbest_ms_what = $1 " " $2 " (" $3 ")"; seen[3] = 1 }
      if (!(4 in seen) || red_uj > dbest_uj) { dbest_uj = red_uj; dbest_uj_what = $1 " " $2 " (" $3 ")"; seen[4] = 1 }
      if (red_uj >= 0 && (!(6 in seen) || red_ms > dbest_ms_nr)) {
        dbest_ms_nr = red_ms; dbest_ms_nr_what = sprintf("%s %s (%s), energy -%.1f%%", $1, $2, $3, red_uj); seen[6] = 1
      }
      row[++rows] = sprintf("| %s | %s (%s) | %.3f | %+.1f%% | %.1f | %+.1f%% | %s | %s |", $1, $2, $3, $6, -red_ms, $7, -red_uj,
                            $13 == "ok" ? sprintf("%.3f (%+.2f%%)", $8, $10) : "failed", $13 == "ok" ? sprintf("%.1f (%+.2f%%)", $9, $11) : "failed")
    }
  }
  $12 == "ok" && $13 == "ok" {
    sims++; e = $10 < 0 ? -$10 : $10; if (e > max_lat_err) max_lat_err = e
    e = $11 < 0 ? -$11 : $11; if (e > max_en_err) max_en_err = e
  }
  $12 == "ok" && $13 != "ok" { simfail++; reason[$2 ": " $13]++ }
  $12 != "ok" && $2 != "npu-only" { estfail++ }
  END {
    f = "%-40s %8.2f%% %8s   %s\n"
    printf "%-40s %9s %9s   %s\n", "", "ours", "paper", "where (ours)"
    printf f, "best latency reduction (default)", dbest_ms, pl "%", dbest_ms_what
    printf f, "best energy reduction (default)", dbest_uj, pe "%", dbest_uj_what
    printf f, "  latency, with energy not raised", dbest_ms_nr, "", dbest_ms_nr_what
    printf f, "best latency reduction (sweep)", best_ms, pl "%", best_ms_what
    printf f, "best energy reduction (sweep)", best_uj, pe "%", best_uj_what
    printf "estimator vs SystemC: %d points simulated, max |latency error| %.2f%%, max |energy error| %.2f%%; %d simulations failed, %d estimates failed\n",
           sims, max_lat_err, max_en_err, simfail, estfail
    print "| model | schema (objective) | latency ms | vs NPU-only | energy uJ | vs NPU-only | simulated ms (est. error) | simulated uJ (est. error) |" > out
    print "|---|---|---:|---:|---:|---:|---:|---:|" > out
    for (i = 1; i <= rows; i++) print row[i] > out
    print "" > out
    print "Simulations that failed, by schema and reason (points):" > out
    print "" > out
    if (simfail == 0) print "- none" > out
    for (r in reason) print "- " r " (" reason[r] ")" > out
  }' "$RESULTS" >"$SUMMARY"

# Latency reduction of the optimal-concurrent schema (latency objective) and energy reduction of the
# optimal schema (energy objective) over the sweep grid, for nasvit_a0.
grid() {
  awk -F, -v schema="$1" -v objective="$2" -v field="$3" -v macros="$MACROS" -v cus="$CUS" '
    NR == 1 { next }
    $1 == "nasvit_a0" && $2 == "npu-only" { base = $field; next }
    $1 == "nasvit_a0" && $2 == schema && $3 == objective { v[$4 "," $5] = $12 == "ok" ? sprintf("%.1f%%", 100 * (1 - $field / base)) : "failed" }
    END {
      nm = split(macros, M, ","); nc = split(cus, C, ",")
      line = "| macros \\ compute units |"; sep = "|---|"
      for (j = 1; j <= nc; j++) { line = line " " C[j] " |"; sep = sep "---:|" }
      print line; print sep
      for (i = 1; i <= nm; i++) {
        line = "| " M[i] " |"
        for (j = 1; j <= nc; j++) line = line " " v[M[i] "," C[j]] " |"
        print line
      }
    }' "$RESULTS"
}

ELAPSED=$(($(date +%s) - START))
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  cat <<EOF
# H4H-NAS system results, reproduced with h4h's models

Made by \`scripts/reproduce_paper.sh\` ($($H4H --version), commit $COMMIT) in ${ELAPSED} s; seed $SEED.
All figures below come from h4h's analytical estimator (the cost model the partitioner optimises);
every sweep point was also re-run in h4h's SystemC simulator, shown beside it where that succeeded.

## Best reductions against NPU-only, next to the paper

\`\`\`
$(cat "$SUMMARY")
\`\`\`

"default" is the system as shipped ($CIM_HW: $DEF_MACROS CIM macros, $DEF_CUS compute units);
"sweep" takes the best over cim.macros = $MACROS and cim.compute_units = $CUS. Reduction =
1 − (NPU + CIM figure) / (NPU-only figure), each model against its own NPU-only run.

## What is compared, and what differs from the paper

- **Baseline.** NPU-only is $NPU_HW: the same Ethos-U55-256 NPU, SRAM, flash and 500 MHz clock as the
  CIM system, without the CIM (and without its leakage). The paper's baseline is an NPU-only device
  too, but its exact configuration is not in this repository's reference notes.
- **Models.** Ours: the zoo's \`nasvit_a0\` and $((${#MODELS[@]} - 1)) random hybrid subnets of
  \`$SPACE\` (seed $SEED; files in \`subnets/\`) — unsearched and untrained. The paper's figures are for
  its NAS-searched hybrid models under accuracy constraints; ours say nothing about accuracy.
- **Hardware.** The paper's NPU/CIM simulator, MRAM macro design, compute-unit design and energy
  table are not available to us: every number of our system is in the YAML below with its public
  source or marked as an assumption. In particular: the CIM geometry (128 × 256 sub-arrays, 64 per
  macro), its bit-serial timing and 30 TOPS/W MAC energy, NPU weights streamed from off-chip flash at
  1 byte/cycle with an assumed 64 pJ/byte (no clean public flash figure), and assumed leakage powers.
  Flash weight traffic dominates NPU-only energy here, so energy reductions mostly measure how many
  weights the CIM keeps resident in MRAM.
- **Schemas.** \`rule\` is the paper's split (depthwise, 1×1 and linear layers on the CIM while their
  weights fit). \`optimal\` is h4h's exact dynamic program over layers × MRAM tiles (serial objective),
  \`optimal-concurrent\` improves it on the overlapped timeline; the latency objective may stream
  weights into MRAM every run, which costs energy — hence the separate energy-objective rows.
- **Trade-off.** The best-latency mappings stream weights into MRAM on every run, and raise energy
  (see the table); the row "with energy not raised" is the best latency reduction among mappings
  that also save energy. The paper's two figures need not come from one mapping either.
- **Compute units.** Compare the columns of the sweep grids. In our model a CIM layer takes the
  longer of its macros' bit-serial passes and its compute units' accumulation
  ($(awk '$1 == "cu_outputs_per_cycle:" {print $2; exit}' "$CIM_HW") outputs per cycle per unit, an assumption); where the columns barely
  differ, the passes dominate, so more compute units buy little here.
- **Simulator.** Failed simulations are listed below; such points carry only the estimate.

## All models at the default system

$(cat "$WORK/tables.md")

## The macro / compute-unit sweep (nasvit_a0)

Latency reduction vs NPU-only, \`optimal-concurrent\` (latency objective):

$(grid optimal-concurrent latency 6)

Energy reduction vs NPU-only, \`optimal\` (energy objective):

$(grid optimal energy 7)

Latency reduction vs NPU-only, \`rule\`:

$(grid rule latency 6)

Plots (latency, energy and EDP against the macro count, one line per compute-unit count, dashed:
simulated): \`sweeps/<model>/<schema>-<objective>/sweep.png\`, e.g.
![nasvit_a0 optimal-concurrent](sweeps/nasvit_a0/optimal-concurrent-latency/sweep.png)
![nasvit_a0 rule](sweeps/nasvit_a0/rule-latency/sweep.png)

Context — every zoo model on the CIM system (\`context/zoo/summary.md\`):
![zoo](context/zoo/latency_energy.png)

Every point: \`results.csv\`. Logs of each h4h run: \`logs/\`.

## Hardware assumptions

The CIM system, \`$CIM_HW\`, verbatim:

\`\`\`yaml
$(cat "$CIM_HW")
\`\`\`

The NPU-only baseline differs from it only as follows (\`diff $CIM_HW $NPU_HW\`):

\`\`\`diff
$(diff "$CIM_HW" "$NPU_HW" || true)
\`\`\`
EOF
} >"$WORK/README.md"

# Swap the finished run into place.
rm -rf "${OUT%/}.old"
[[ -e $OUT ]] && mv "$OUT" "${OUT%/}.old"
mv "$WORK" "$OUT"
trap - EXIT
rm -rf "${OUT%/}.old"
chmod 755 "$OUT"

echo
echo "H4H-NAS system results with h4h's models (${#MODELS[@]} hybrid models; NPU-only = $NPU_HW)"
cat "$OUT/summary.txt"
echo "report: $OUT/README.md (every point: $OUT/results.csv); took $(($(date +%s) - START)) s"
