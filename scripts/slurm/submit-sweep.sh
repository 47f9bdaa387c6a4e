#!/usr/bin/env bash
# submit-sweep.sh — run a collabsim parameter sweep on Slurm: N shards as a job array,
# then one merge job that starts only if every shard succeeded.
#
# Usage: scripts/slurm/submit-sweep.sh EXPERIMENT N OUT
#   EXPERIMENT  experiment file, e.g. experiments/turnover-transparency.toml; the jobs run
#               in the current directory, which must be visible to the compute nodes
#   N           number of shards (array tasks 1..N)
#   OUT         sweep folder: OUT/shards/shard-K (partial results), OUT/logs (job output),
#               OUT/final (the merged result)
# Prints two lines, `array <job id>` and `merge <job id>`. Watch them with
#   squeue -j <array id>,<merge id>
#
# Environment:
#   COLLABSIM      collabsim binary (default: target/release/collabsim of this repository,
#                  or $CARGO_TARGET_DIR/release/collabsim); made absolute
#   SWEEP_THREADS  threads per shard (default: the task's --cpus-per-task)
#   SWEEP_RESUME   1 to pass --resume to every shard
#   SBATCH_ARGS    extra sbatch options for both jobs, e.g. "--partition=short --time=1:00:00"
#   SWEEP_SBATCH_ARGS  extra sbatch options for the array only, e.g. "--cpus-per-task=4"
#   SLURM_CONF     as usual for the Slurm clients (the local cluster needs it:
#                  eval "$(scripts/slurm/local-cluster.sh env)")
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[ $# -eq 3 ] || usage
experiment=$1
shards=$2
out=$3
[[ "$shards" =~ ^[1-9][0-9]*$ ]] || {
    echo "submit-sweep: N must be a positive integer, not '$shards'" >&2
    exit 2
}
[ -f "$experiment" ] || {
    echo "submit-sweep: no experiment file $experiment" >&2
    exit 2
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
if [ -z "${COLLABSIM:-}" ]; then
    if [ -n "${CARGO_TARGET_DIR:-}" ]; then
        COLLABSIM=$CARGO_TARGET_DIR/release/collabsim
    else
        COLLABSIM=$repo/target/release/collabsim
    fi
fi
COLLABSIM=$(realpath "$COLLABSIM")
[ -x "$COLLABSIM" ] || {
    echo "submit-sweep: $COLLABSIM is not an executable (build it: cargo build --release, or set COLLABSIM)" >&2
    exit 2
}
# The jobs start in this directory and get EXPERIMENT as typed (relative paths included):
# collabsim records the experiment path in plan.json and report.html, so the merged folder
# is then byte-identical to `collabsim sweep EXPERIMENT` run here.
submit_dir=$PWD
mkdir -p "$out/logs" "$out/shards"
out=$(realpath "$out")

export COLLABSIM EXPERIMENT=$experiment SWEEP_OUT=$out SWEEP_SHARDS=$shards
# shellcheck disable=SC2086 # SBATCH_ARGS and SWEEP_SBATCH_ARGS are lists of options
array_id=$(sbatch --parsable --array="1-$shards" --export=ALL \
    --chdir="$submit_dir" --output="$out/logs/sweep-%A_%a.out" \
    ${SBATCH_ARGS:-} ${SWEEP_SBATCH_ARGS:-} "$here/sweep.sbatch")
array_id=${array_id%%;*} # --parsable prints "id;cluster" on multi-cluster setups
# shellcheck disable=SC2086
merge_id=$(sbatch --parsable --dependency="afterok:$array_id" --kill-on-invalid-dep=yes \
    --export=ALL --chdir="$submit_dir" --output="$out/logs/merge-%j.out" \
    ${SBATCH_ARGS:-} "$here/merge.sbatch")
merge_id=${merge_id%%;*}
echo "array $array_id"
echo "merge $merge_id"
