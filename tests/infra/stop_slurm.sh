#!/bin/bash
# Stops slurmd, slurmctld (and munged when STOP_MUNGE=1) started by start_slurm.sh.
S=${INFRA_DIR:-/tmp/tessera-infra}/slurm
M=${INFRA_DIR:-/tmp/tessera-infra}/munge
for f in "$S/slurmd.pid" "$S/slurmctld.pid" ${STOP_MUNGE:+"$M/munged.pid"}; do
  [ -f "$f" ] || continue
  p=$(cat "$f"); kill "$p" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null
  rm -f "$f"
done
echo "slurm stopped"
