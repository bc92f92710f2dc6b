#!/usr/bin/env bash
# gpu-check.sh — the real GPU check, for a machine with NVIDIA GPUs and a driver.
#
# What the test suite proves with a fake nvidia-smi and a fake driver tree (MIG listing,
# placement by sharing mode, the CDI spec and its edits in runc and bwrap), this proves on
# the machine itself:
#   1. nvidia-smi answers the platform's query (index, uuid, name, memory, MIG mode) and,
#      when a GPU is in MIG mode, lists its slices (nvidia-smi -L);
#   2. the CDI spec generated from this host (NvidiaCDIGenerator over /, with ldconfig -p)
#      names each GPU's device node, /dev/nvidiactl, libcuda.so.1 and libnvidia-ml.so.1;
#   3. a runc container of the local adapter, given one GPU through that spec, opens its
#      device node and /dev/nvidiactl, finds the driver libraries, has CUDA_VISIBLE_DEVICES
#      set, and does not see another GPU's node.
# Steps 2 and 3 are Tests/RuntimeKitTests/GPURealHostTests.swift, enabled by
# PLATFORM_GPU_CHECK=1 (skipped on machines without GPUs, as in CI).
#
# Needs root (runc with user namespaces, like the local adapter), runc, iproute2, iptables,
# Swift 6. Usage: sudo scripts/gpu-check.sh   (exit 0: all checks passed)
# It changes nothing on the GPUs (no MIG reconfiguration, no reset).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi is not on PATH: no NVIDIA driver here" >&2; exit 2; }
echo "== nvidia-smi --query-gpu (the platform's discovery query)"
nvidia-smi --query-gpu=index,uuid,name,memory.total,mig.mode.current --format=csv,noheader,nounits
if nvidia-smi --query-gpu=mig.mode.current --format=csv,noheader | grep -q Enabled; then
  echo "== nvidia-smi -L (MIG slices)"
  nvidia-smi -L
fi
for node in /dev/nvidiactl /dev/nvidia-uvm /dev/nvidia0; do
  [ -c "$node" ] || echo "gpu-check: warning: $node is missing (nvidia-modprobe / nvidia-persistenced not run?)" >&2
done

echo "== CDI spec and a container with one GPU (GPURealHostTests)"
swift build --build-tests
PLATFORM_GPU_CHECK=1 swift test --skip-build --filter 'GPURealHostTests' 2>&1 | tee /tmp/gpu-check.log
# set -o pipefail: a failed test fails the pipeline; the container's output proves the test ran.
grep -q "gpu-check container output" /tmp/gpu-check.log || { echo "gpu-check: the check did not run (see /tmp/gpu-check.log)" >&2; exit 1; }
echo "gpu-check: OK"
