#!/usr/bin/env bash
# A one-node Slurm 22.05 cluster in a folder, with fake GRES GPUs, for tests and demos.
#
#   cluster.sh start DIR [GPUS] [TYPE]   start munged, slurmctld and slurmd -N localhost under DIR;
#                                        GPUS fake devices (default 4) of TYPE (default h100)
#   cluster.sh stop DIR                  stop them by their recorded PIDs
#
# After `start`, point clients at it with SLURM_CONF=DIR/slurm.conf. The fake GPUs are
# symlinks to /dev/null (a gres without File= is dropped by slurmd); jobs asking
# `--gres=gpu:N` get CUDA_VISIBLE_DEVICES as on a real node. No systemd is needed.
set -euo pipefail
command=${1:?usage: cluster.sh start|stop DIR [GPUS] [TYPE]}
S=$(realpath -m "${2:?usage: cluster.sh start|stop DIR}")
GPUS=${3:-4}
TYPE=${4:-h100}

stop() {
  # Cancel every job first so no slurmstepd or job script outlives the cluster.
  if [ -f "$S/run/slurmctld.pid" ] && [ -f "$S/slurm.conf" ]; then
    SLURM_CONF=$S/slurm.conf scancel --full --quiet --partition=gpu 2>/dev/null || true
    for _ in $(seq 1 30); do
      [ -z "$(SLURM_CONF=$S/slurm.conf squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  for name in slurmd slurmctld munged; do
    local pidfile=$S/run/$name.pid
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      # Daemons orphaned to PID 1 may linger as zombies: state Z counts as stopped.
      state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)
      [ "$state" = X ] || [ "$state" = Z ] && break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "$command" = stop ]; then stop; exit 0; fi
[ "$command" = start ] || { echo "cluster.sh: unknown command $command" >&2; exit 64; }

mkdir -p "$S"/{munge,run,log,spool/ctld,spool/d,state,dev}
chmod 0700 "$S/munge"
[ -f "$S/munge/munge.key" ] || { dd if=/dev/urandom of="$S/munge/munge.key" bs=1024 count=1 status=none; chmod 0400 "$S/munge/munge.key"; }
for i in $(seq 0 $((GPUS - 1))); do ln -sf /dev/null "$S/dev/nvidia$i"; done
cat >"$S/slurm.conf" <<CONF
ClusterName=platform-test
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge/munge.socket.2
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
GresTypes=gpu
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
SlurmctldPort=$(( 20000 + RANDOM % 10000 ))
SlurmdPort=$(( 30000 + RANDOM % 10000 ))
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool/d
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=20000 Gres=gpu:$TYPE:$GPUS State=UNKNOWN
PartitionName=gpu Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
cat >"$S/gres.conf" <<CONF
AutoDetect=off
NodeName=localhost Name=gpu Type=$TYPE File=$S/dev/nvidia[0-$((GPUS - 1))]
CONF
export SLURM_CONF=$S/slurm.conf
munged --socket="$S/munge/munge.socket.2" --key-file="$S/munge/munge.key" --pid-file="$S/run/munged.pid" \
  --log-file="$S/log/munged.log" --seed-file="$S/munge/munge.seed" --force
slurmctld -f "$S/slurm.conf" -D >"$S/log/slurmctld.out" 2>&1 &
echo $! >"$S/run/slurmctld.pid"
slurmd -f "$S/slurm.conf" -D -N localhost >"$S/log/slurmd.out" 2>&1 &
echo $! >"$S/run/slurmd.pid"
for _ in $(seq 1 100); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "SLURM_CONF=$S/slurm.conf"
    exit 0
  fi
  sleep 0.1
done
echo "cluster.sh: Slurm did not become ready; logs in $S/log" >&2
tail -5 "$S"/log/*.log "$S"/log/*.out >&2 || true
stop
exit 1
