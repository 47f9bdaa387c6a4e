#!/usr/bin/env bash
# local-cluster.sh — make this machine a private one-node Slurm cluster on localhost.
#
# Purpose: run collabsim sweeps through Slurm (job arrays, dependencies) without a real
# cluster, for trying the scripts in this folder and for the integration test
# tests/slurm.rs. Everything the cluster owns lives under one directory (default
# /var/tmp/collabsim-slurm, or $COLLABSIM_SLURM_DIR): its slurm.conf, its own munge key
# and socket, state, spool, logs and pid files. /etc is not touched and no system service
# is started or stopped.
#
# Usage (as root):
#   scripts/slurm/local-cluster.sh start    # install slurm-wlm and munge if missing, start
#                                           # munged, slurmctld and slurmd, wait until idle
#   scripts/slurm/local-cluster.sh status   # exit 0 if all three daemons run and the node
#                                           # answers; prints sinfo
#   scripts/slurm/local-cluster.sh stop     # cancel this cluster's jobs, stop the daemons
#                                           # started by `start` (by pid file), nothing else
#   scripts/slurm/local-cluster.sh env      # print `export SLURM_CONF=...` for the clients
#
# The Slurm clients (sbatch, squeue, sinfo, scancel) find this cluster through SLURM_CONF:
#   eval "$(scripts/slurm/local-cluster.sh env)"
#
# Environment:
#   COLLABSIM_SLURM_DIR        cluster directory (default /var/tmp/collabsim-slurm)
#   COLLABSIM_SLURM_CTLD_PORT  slurmctld port (default 6817)
#   COLLABSIM_SLURMD_PORT      slurmd port (default 6818)
#   COLLABSIM_SLURM_MEMORY_MB  RealMemory of the node in MB (default 2048)
#   COLLABSIM_SLURM_TIMEOUT    seconds to wait for the node to become idle (default 60)
#
# Tested with Debian 12's slurm-wlm 22.05 and munge 0.5.15. The node uses
# ProctrackType=proctrack/linuxproc and TaskPlugin=task/none, so no cgroup.conf and no
# cgroup support are needed (it also runs in containers and gVisor sandboxes).
set -euo pipefail

BASE=${COLLABSIM_SLURM_DIR:-/var/tmp/collabsim-slurm}
CTLD_PORT=${COLLABSIM_SLURM_CTLD_PORT:-6817}
SLURMD_PORT=${COLLABSIM_SLURMD_PORT:-6818}
MEMORY_MB=${COLLABSIM_SLURM_MEMORY_MB:-2048}
TIMEOUT=${COLLABSIM_SLURM_TIMEOUT:-60}

CONF=$BASE/etc/slurm.conf
RUN=$BASE/run
LOG=$BASE/log
MUNGE_DIR=$BASE/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket.2
MUNGE_KEY=$MUNGE_DIR/munge.key
NODE=$(hostname -s)
export SLURM_CONF=$CONF

say() { echo "local-cluster: $*"; }
die() {
    echo "local-cluster: error: $*" >&2
    exit 1
}

need_root() {
    [ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and starts daemons)"
}

# PATH may lack the sbin directories when called from a non-login shell.
export PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin

install_packages() {
    local missing=()
    command -v munged >/dev/null || missing+=(munge)
    for b in slurmctld slurmd sbatch; do
        command -v "$b" >/dev/null || {
            missing+=(slurm-wlm)
            break
        }
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ -n "${COLLABSIM_NO_SYSTEM_PACKAGES:-}" ] && [ "${COLLABSIM_NO_SYSTEM_PACKAGES}" != 0 ]; then
        die "${missing[*]} missing and COLLABSIM_NO_SYSTEM_PACKAGES is set: install them yourself (apt-get install ${missing[*]}) or unset it"
    fi
    say "installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >"$LOG/apt.log" 2>&1 || {
        cat "$LOG/apt.log" >&2
        die "apt-get update failed"
    }
    # No recommends: the extra plugins (HDF5, InfluxDB, ROCm, ...) are not needed here.
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$LOG/apt.log" 2>&1 || {
        tail -n 30 "$LOG/apt.log" >&2
        die "apt-get install ${missing[*]} failed"
    }
}

# pid_alive NAME: the daemon whose pid file is $RUN/NAME.pid is running.
pid_alive() {
    local f=$RUN/$1.pid pid
    [ -s "$f" ] || return 1
    pid=$(cat "$f")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

write_conf() {
    local cpus
    cpus=$(nproc)
    cat >"$CONF" <<EOF
# Written by scripts/slurm/local-cluster.sh: a private one-node cluster on localhost.
ClusterName=collabsim
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
MpiDefault=none
# No mail from this cluster.
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# Cancel a job whose dependency can never be satisfied (e.g. the merge job after a
# failed shard) instead of leaving it pending forever.
SchedulerParameters=kill_invalid_depend
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# The node is what this file says even if the hardware reports another topology.
SlurmdParameters=config_overrides
ReturnToService=2
# Keep finished jobs visible to squeue/scontrol for 10 minutes.
MinJobAge=600
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool/slurmd
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOG/slurmctld.log
SlurmdLogFile=$LOG/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=$cpus RealMemory=$MEMORY_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
}

start_munged() {
    if pid_alive munged; then
        return 0
    fi
    if [ ! -s "$MUNGE_KEY" ]; then
        say "creating a munge key in $MUNGE_KEY"
        if command -v mungekey >/dev/null; then
            mungekey --create --keyfile="$MUNGE_KEY" --force
        else
            dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
        fi
    fi
    chmod 0400 "$MUNGE_KEY"
    rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
    launch munged --key-file="$MUNGE_KEY" --socket="$MUNGE_SOCKET" \
        --pid-file="$RUN/munged.pid" --log-file="$LOG/munged.log" \
        --seed-file="$MUNGE_DIR/munged.seed"
    for _ in $(seq 50); do
        [ -S "$MUNGE_SOCKET" ] && pid_alive munged && break
        sleep 0.1
    done
    munge --socket="$MUNGE_SOCKET" -n | unmunge --socket="$MUNGE_SOCKET" >/dev/null ||
        die "munge does not work (see $LOG/munged.log)"
}

# launch DAEMON ARGS...: start a daemon that forks into the background. Its standard
# streams go to $LOG/DAEMON.start.log, so that no caller's pipe stays open behind it.
launch() {
    local name=$1
    "$@" </dev/null >"$LOG/$name.start.log" 2>&1 || {
        cat "$LOG/$name.start.log" >&2
        tail -n 20 "$LOG/$name.log" >&2 2>/dev/null || true
        die "$name did not start (see $LOG/$name.log)"
    }
}

node_state() {
    sinfo -h -N -n "$NODE" -o %T 2>/dev/null | head -n 1
}

start() {
    need_root
    mkdir -p "$BASE" "$BASE/etc" "$RUN" "$LOG" "$BASE/state" "$BASE/spool/slurmd" "$MUNGE_DIR"
    chmod 0755 "$BASE"
    chmod 0755 "$MUNGE_DIR" # munged requires a socket directory that all may enter
    install_packages
    if pid_alive munged && pid_alive slurmctld && pid_alive slurmd; then
        say "already running (SLURM_CONF=$CONF)"
    else
        write_conf
        start_munged
        # -i: ignore state files that cannot be read (e.g. after an upgrade).
        pid_alive slurmctld || launch slurmctld -i
        pid_alive slurmd || launch slurmd -N "$NODE"
    fi
    local state=""
    for _ in $(seq $((TIMEOUT * 2))); do
        state=$(node_state)
        case "$state" in
        idle | mixed | allocated | completing) break ;;
        down* | drain* | fail*)
            # A node left down by an earlier run: return it to service.
            scontrol update NodeName="$NODE" State=RESUME 2>/dev/null || true
            ;;
        esac
        sleep 0.5
    done
    case "$state" in
    idle | mixed | allocated | completing) ;;
    *)
        echo "--- slurmctld.log" >&2
        tail -n 30 "$LOG/slurmctld.log" >&2 || true
        echo "--- slurmd.log" >&2
        tail -n 30 "$LOG/slurmd.log" >&2 || true
        die "node $NODE is '${state:-unknown}' after ${TIMEOUT}s, not idle"
        ;;
    esac
    say "node $NODE is $state; clients need: export SLURM_CONF=$CONF"
}

stop_daemon() {
    local name=$1 pid
    pid_alive "$name" || {
        rm -f "$RUN/$name.pid"
        return 0
    }
    pid=$(cat "$RUN/$name.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name ($pid) ignored SIGTERM for 10s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
    say "stopped $name ($pid)"
}

stop() {
    need_root
    if pid_alive munged && pid_alive slurmctld; then
        # Jobs of this private cluster only; their steps end with slurmd.
        local ids
        ids=$(squeue -h -o %A 2>/dev/null || true)
        if [ -n "$ids" ]; then
            # shellcheck disable=SC2086 # a list of job ids
            scancel --quiet $ids 2>/dev/null || true
            for _ in $(seq 50); do
                [ -z "$(squeue -h -t running,completing -o %A 2>/dev/null)" ] && break
                sleep 0.2
            done
        fi
    fi
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
}

status() {
    local ok=0
    for d in munged slurmctld slurmd; do
        if pid_alive "$d"; then
            echo "$d: running (pid $(cat "$RUN/$d.pid"))"
        else
            echo "$d: not running"
            ok=1
        fi
    done
    if [ $ok -eq 0 ]; then
        sinfo || ok=1
    fi
    return $ok
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
env) echo "export SLURM_CONF=$CONF" ;;
*)
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
