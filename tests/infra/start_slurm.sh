#!/bin/bash
# Starts munge and a single-node Slurm cluster (slurmctld + slurmd, partition "debug", two fake
# GPUs) without systemd, for the `slurm` tests. Needs root. Idempotent: daemons left by an
# earlier run are stopped first. Everything lives under $INFRA_DIR/{munge,slurm}.
set -euo pipefail
INFRA_DIR=${INFRA_DIR:-/tmp/tessera-infra}
M=$INFRA_DIR/munge
S=$INFRA_DIR/slurm
[ "$(id -u)" = 0 ] || { echo "start_slurm.sh: needs root"; exit 1; }
STOP_MUNGE=1 "$(dirname "$0")/stop_slurm.sh" >/dev/null 2>&1 || true
mkdir -p "$INFRA_DIR" "$M" "$S/state" "$S/spool"; chmod 755 "$INFRA_DIR"

# munge: its own key and socket
[ -f "$M/munge.key" ] || dd if=/dev/urandom of="$M/munge.key" bs=1 count=1024 status=none
chown -R munge:munge "$M"; chmod 0755 "$M"; chmod 0400 "$M/munge.key"
runuser -u munge -- /usr/sbin/munged --key-file="$M/munge.key" --socket="$M/munge.socket.2" \
  --pid-file="$M/munged.pid" --log-file="$M/munged.log" --seed-file="$M/munged.seed"
for _ in $(seq 1 50); do [ -S "$M/munge.socket.2" ] && break; sleep 0.1; done
munge -S "$M/munge.socket.2" -n | unmunge -S "$M/munge.socket.2" >/dev/null

export SLURM_CONF=$S/slurm.conf
MEM=$(( $(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo) - 1024 ))
CPUS=$(nproc)
cat > "$S/slurm.conf" <<CFG
ClusterName=tessera-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$M/munge.socket.2
SlurmctldPort=${TESSERA_TEST_SLURMCTLD_PORT:-6817}
SlurmdPort=${TESSERA_TEST_SLURMD_PORT:-6818}
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/slurmctld.log
SlurmdLogFile=$S/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=300
GresTypes=gpu
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS Sockets=1 CoresPerSocket=$CPUS ThreadsPerCore=1 RealMemory=$MEM Gres=gpu:2 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CFG
# Fake GPUs must be character devices (1:3 = /dev/null); regular files are rejected.
for i in 0 1; do [ -c "$S/fakegpu$i" ] || mknod -m 666 "$S/fakegpu$i" c 1 3; done
cat > "$S/gres.conf" <<CFG
AutoDetect=off
NodeName=localhost Name=gpu File=$S/fakegpu[0-1]
CFG
/usr/sbin/slurmctld -c -f "$S/slurm.conf"
/usr/sbin/slurmd -f "$S/slurm.conf" -N localhost   # -N: the hostname is not "localhost"
for _ in $(seq 1 150); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qx idle; then echo "slurm up ($SLURM_CONF)"; exit 0; fi
  sleep 0.2
done
echo "slurm did not become idle"; sinfo || true; tail -n 20 "$S/slurmctld.log" "$S/slurmd.log"; exit 1
