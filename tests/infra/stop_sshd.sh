#!/bin/bash
# Stops the test sshd started by start_sshd.sh.
D=${INFRA_DIR:-/tmp/tessera-infra}/ssh
[ -f "$D/sshd.pid" ] || exit 0
p=$(cat "$D/sshd.pid")
kill "$p" 2>/dev/null
for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
kill -9 "$p" 2>/dev/null
rm -f "$D/sshd.pid"
echo "sshd stopped"
