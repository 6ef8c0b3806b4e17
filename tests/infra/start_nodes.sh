#!/bin/bash
# Two "cluster nodes" for the multi-host tests: network namespaces node1 (10.200.0.1) and node2
# (10.200.0.2) on a bridge in a third namespace, each with its own hostname (UTS namespace) and
# its own sshd on port 22 with its own host key, for the test user of start_sshd.sh (run that
# first: same user, same client key). The filesystem is shared, as on a cluster with a shared
# home. Writes $INFRA_DIR/nodes/{known_hosts,hosts}. Needs root and iproute2. Idempotent: nodes
# left by an earlier run are removed first. Traffic stays inside 10.200.0.0/24.
set -euo pipefail
INFRA_DIR=${INFRA_DIR:-/tmp/tessera-infra}
D=$INFRA_DIR/nodes
S=$INFRA_DIR/ssh
[ "$(id -u)" = 0 ] || { echo "start_nodes.sh: needs root (network namespaces, sshd)"; exit 1; }
[ -f "$S/sshd_config" ] || { echo "start_nodes.sh: run start_sshd.sh first (test user and key)"; exit 1; }
command -v ip >/dev/null || { echo "start_nodes.sh: needs iproute2 (apt-get install -y iproute2)"; exit 1; }
"$(dirname "$0")/stop_nodes.sh" >/dev/null 2>&1 || true
mkdir -p "$D"; chmod 755 "$D"
ip netns add tessera-fabric
ip -n tessera-fabric link add br0 type bridge
ip -n tessera-fabric link set br0 up
ip -n tessera-fabric link set lo up
: > "$D/known_hosts"; : > "$D/hosts"
i=1
for n in node1 node2; do
  ns=tessera-$n
  ip netns add "$ns"
  ip link add "tsr-$n" type veth peer name eth0 netns "$ns"
  ip link set "tsr-$n" netns tessera-fabric
  ip -n tessera-fabric link set "tsr-$n" master br0 up
  ip -n "$ns" addr add "10.200.0.$i/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  [ -f "$D/hostkey-$n" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey-$n"
  sed -e "s/^Port .*/Port 22/" -e "s/^ListenAddress .*/ListenAddress 10.200.0.$i/" \
      -e "s#^HostKey .*#HostKey $D/hostkey-$n#" -e "s#^PidFile .*#PidFile $D/sshd-$n.pid#" \
      "$S/sshd_config" > "$D/sshd_config-$n"
  ip netns exec "$ns" unshare --uts sh -c "hostname $n && exec /usr/sbin/sshd -f '$D/sshd_config-$n' -E '$D/sshd-$n.log'"
  echo "10.200.0.$i $(cut -d' ' -f1,2 "$D/hostkey-$n.pub")" >> "$D/known_hosts"
  echo "10.200.0.$i" >> "$D/hosts"
  i=$((i + 1))
done
# The host reaches the nodes through one more veth into the bridge (10.200.0.254).
ip link add tsr-host type veth peer name veth-host netns tessera-fabric
ip -n tessera-fabric link set veth-host master br0 up
ip addr add 10.200.0.254/24 dev tsr-host
ip link set tsr-host up
for ip in 10.200.0.1 10.200.0.2; do
  for _ in $(seq 1 50); do ssh-keyscan -t ed25519 "$ip" >/dev/null 2>&1 && break; sleep 0.1; done
  ssh-keyscan -t ed25519 "$ip" >/dev/null 2>&1 || { echo "sshd on $ip did not come up"; tail -n 20 "$D"/sshd-*.log; exit 1; }
done
echo "nodes up: node1 10.200.0.1, node2 10.200.0.2 (sshd on port 22 each)"
