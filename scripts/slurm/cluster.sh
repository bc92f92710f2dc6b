#!/usr/bin/env bash
# A Slurm 22.05 cluster in a folder, with fake GRES GPUs, for tests and demos.
#
#   cluster.sh start DIR [GPUS] [TYPE] [NODES]
#                          start munged, slurmctld and one slurmd per node under DIR: node
#                          `localhost` (127.0.0.1), then node2, node3, … (127.0.0.2, …; default 1
#                          node), each with GPUS fake devices (default 4) of TYPE (default h100)
#   cluster.sh stop DIR    stop them by their recorded PIDs
#
# Several slurmd on one host: each node has its own address on the loopback net, port, spool
# folder, pid and log file (%n). The extra nodes are declared before `localhost`: Slurm
# resolves any unknown name to a lone node called localhost, which would make the second
# declaration look like a duplicate.
#
# Limits: where the host has the cgroup v1 memory controller (CI and dev machines are cgroup v1
# hybrids), jobs run under TaskPlugin=task/cgroup with ConstrainRAMSpace and ConstrainCores:
# `--mem` is a hard limit (a job over it ends OUT_OF_MEMORY) and `--cpus-per-task` pins the
# job to that many cores. Elsewhere (cgroup v2 only: Slurm 22.05's cgroup/v2 plugin wants a
# systemd-delegated slurmd) it runs task/none and memory/CPU only place jobs; CLUSTER_CGROUPS=0
# forces that. Memory is a consumable resource either way (CR_Core_Memory; 1024 MiB per job
# unless it asks), and each node has TmpDisk for `--tmp`. Job ids start at a random base so two
# clusters on one host never share a cgroup folder (slurm_<node>/uid_0/job_<id>).
#
# After `start`, point clients at it with SLURM_CONF=DIR/slurm.conf. The fake GPUs are
# symlinks to /dev/null (a gres without File= is dropped by slurmd); jobs asking
# `--gres=gpu:N` get CUDA_VISIBLE_DEVICES as on a real node. No systemd is needed.
set -euo pipefail
command=${1:?usage: cluster.sh start|stop DIR [GPUS] [TYPE]}
S=$(realpath -m "${2:?usage: cluster.sh start|stop DIR}")
GPUS=${3:-4}
TYPE=${4:-h100}
NODES=${5:-1}

stop() {
  # Cancel every job first so no slurmstepd or job script outlives the cluster.
  if [ -f "$S/run/slurmctld.pid" ] && [ -f "$S/slurm.conf" ]; then
    SLURM_CONF=$S/slurm.conf scancel --full --quiet --partition=gpu 2>/dev/null || true
    for _ in $(seq 1 30); do
      [ -z "$(SLURM_CONF=$S/slurm.conf squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.1
    done
  fi
  for pidfile in "$S"/run/slurmd.pid "$S"/run/slurmd-*.pid "$S"/run/slurmctld.pid "$S"/run/munged.pid; do
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
PORT=$(( 30000 + RANDOM % 10000 ))
node_names=localhost
node_lines=""
for n in $(seq 2 "$NODES"); do
  node_names="$node_names,node$n"
  node_lines+="NodeName=node$n NodeAddr=127.0.0.$n Port=$((PORT + n - 1)) CPUs=2 RealMemory=20000 TmpDisk=8192 Gres=gpu:$TYPE:$GPUS State=UNKNOWN"$'\n'
done
if [ "${CLUSTER_CGROUPS:-1}" != 0 ] && [ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ]; then
  proctrack=proctrack/cgroup task=task/cgroup
  cat >"$S/cgroup.conf" <<CONF
CgroupPlugin=cgroup/v1
ConstrainRAMSpace=yes
ConstrainSwapSpace=no
ConstrainCores=yes
ConstrainDevices=no
CONF
else
  proctrack=proctrack/linuxproc task=task/none
  rm -f "$S/cgroup.conf"
fi
cat >"$S/slurm.conf" <<CONF
ClusterName=platform-test
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$S/munge/munge.socket.2
CredType=cred/munge
ProctrackType=$proctrack
TaskPlugin=$task
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerNode=1024
FirstJobId=$(( (RANDOM % 6000 + 1) * 10000 ))
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
GresTypes=gpu
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
SlurmctldPort=$(( 20000 + RANDOM % 10000 ))
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool/d/%n
SlurmctldPidFile=$S/run/slurmctld.pid
SlurmdPidFile=$S/run/slurmd-%n.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd-%n.log
${node_lines}NodeName=localhost NodeAddr=127.0.0.1 Port=$PORT CPUs=2 RealMemory=20000 TmpDisk=8192 Gres=gpu:$TYPE:$GPUS State=UNKNOWN
PartitionName=gpu Nodes=$node_names Default=YES MaxTime=INFINITE State=UP
CONF
cat >"$S/gres.conf" <<CONF
AutoDetect=off
NodeName=$node_names Name=gpu Type=$TYPE File=$S/dev/nvidia[0-$((GPUS - 1))]
CONF
export SLURM_CONF=$S/slurm.conf
munged --socket="$S/munge/munge.socket.2" --key-file="$S/munge/munge.key" --pid-file="$S/run/munged.pid" \
  --log-file="$S/log/munged.log" --seed-file="$S/munge/munge.seed" --force
slurmctld -f "$S/slurm.conf" -D >"$S/log/slurmctld.out" 2>&1 &
echo $! >"$S/run/slurmctld.pid"
for node in ${node_names//,/ }; do
  mkdir -p "$S/spool/d/$node"
  slurmd -f "$S/slurm.conf" -D -N "$node" >"$S/log/slurmd-$node.out" 2>&1 &
  echo $! >"$S/run/slurmd-$node.pid"
done
for _ in $(seq 1 100); do
  if [ "$(sinfo -h -N -o %T 2>/dev/null | grep -cE '^(idle|mixed|allocated)')" -ge "$NODES" ]; then
    echo "SLURM_CONF=$S/slurm.conf"
    exit 0
  fi
  sleep 0.1
done
echo "cluster.sh: Slurm did not become ready; logs in $S/log" >&2
tail -5 "$S"/log/*.log "$S"/log/*.out >&2 || true
stop
exit 1
