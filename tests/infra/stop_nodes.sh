#!/bin/bash
# Stops the nodes of start_nodes.sh: their sshds (and anything else left in the namespaces), then
# the namespaces and the host's veth.
D=${INFRA_DIR:-/tmp/tessera-infra}/nodes
for n in node1 node2; do
  ns=tessera-$n
  if ip netns list 2>/dev/null | grep -qw "$ns"; then
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null; done
    sleep 0.2
    for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$ns"
  fi
  rm -f "$D/sshd-$n.pid"
done
ip link del tsr-host 2>/dev/null
ip netns list 2>/dev/null | grep -qw tessera-fabric && ip netns del tessera-fabric
echo "nodes stopped"
exit 0
