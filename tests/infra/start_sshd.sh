#!/bin/bash
# Starts a private sshd on 127.0.0.1 (port $TESSERA_TEST_SSH_PORT, default 2222) for the `ssh`
# tests: key-only login for a test user, SFTP, its own host key. Needs root. Idempotent: an sshd
# left by an earlier run is stopped first. Everything lives under $INFRA_DIR/ssh.
set -euo pipefail
INFRA_DIR=${INFRA_DIR:-/tmp/tessera-infra}
D=$INFRA_DIR/ssh
PORT=${TESSERA_TEST_SSH_PORT:-2222}
TUSER=${TESSERA_TEST_SSH_USER:-tessera-test}
[ "$(id -u)" = 0 ] || { echo "start_sshd.sh: needs root (creates a test user, starts sshd)"; exit 1; }
"$(dirname "$0")/stop_sshd.sh" >/dev/null 2>&1 || true
mkdir -p "$D"; chmod 755 "$INFRA_DIR" "$D"
id "$TUSER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$TUSER"
usermod -p '*' "$TUSER"   # useradd leaves the account locked ('!'), which sshd refuses with UsePAM no
[ -f "$D/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/ssh_host_ed25519_key"
[ -f "$D/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tessera-test-client -f "$D/id_ed25519"
[ -f "$D/other_host_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$D/other_host_key"   # for "changed key" tests
H=$(getent passwd "$TUSER" | cut -d: -f6)
install -d -m 700 -o "$TUSER" -g "$TUSER" "$H/.ssh"
install -m 600 -o "$TUSER" -g "$TUSER" "$D/id_ed25519.pub" "$H/.ssh/authorized_keys"
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/ssh_host_ed25519_key.pub")" > "$D/known_hosts"
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$D/other_host_key.pub")" > "$D/known_hosts_changed"
echo "$PORT" > "$D/port"; echo "$TUSER" > "$D/user"
cat > "$D/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $D/ssh_host_ed25519_key
PidFile $D/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $TUSER
StrictModes yes
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel VERBOSE
SetEnv SLURM_CONF=$INFRA_DIR/slurm/slurm.conf
MaxStartups 100:30:200
MaxSessions 50
CFG
mkdir -p /run/sshd && chmod 755 /run/sshd
/usr/sbin/sshd -t -f "$D/sshd_config"
/usr/sbin/sshd -f "$D/sshd_config" -E "$D/sshd.log"
for _ in $(seq 1 50); do
  if ssh-keyscan -t ed25519 -p "$PORT" 127.0.0.1 >/dev/null 2>&1; then
    echo "sshd up on 127.0.0.1:$PORT (pid $(cat "$D/sshd.pid")), user $TUSER"; exit 0
  fi
  sleep 0.1
done
echo "sshd did not come up"; tail -n 20 "$D/sshd.log"; exit 1
