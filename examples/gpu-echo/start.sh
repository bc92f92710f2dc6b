#!/bin/sh
# /bin/start: the gpu-echo image's entry command (busybox sh). Starts
#   busybox httpd                          on $PORT_HTTP (endpoint http: /www, /healthz, /cgi-bin/gpus)
#   echo-server --ws $PORT_LIVE            WebSocket echo (endpoint live)
#               --tcp $PORT_ECHO           raw TCP echo (endpoint echo)
#   /usr/sbin/sshd                         on $PORT_SSH (endpoint ssh), only when PLATFORM_SSH_USER_CA
#                                          is set: certificates signed by that CA for the principal
#                                          $PLATFORM_INSTANCE_ID log in (no passwords, no keys)
# The platform sets PORT_<ENDPOINT> to the host ports it allocated (instances share the host
# network); unset, they default to the manifest's declared ports 8080/8081/7000/2222.
# The root file system is read-only at run time: what is written at start goes to /run.
# TERM or INT stops everything and exits 0; a server that exits by itself stops the others
# and start exits non-zero. Runs as PID 1 in a pid namespace, hence the explicit traps.
PATH=/bin:/usr/bin:/usr/sbin
export PATH
: "${PORT_HTTP:=8080}" "${PORT_LIVE:=8081}" "${PORT_ECHO:=7000}" "${PORT_SSH:=2222}"

log() { echo "start: $*"; }
names=""          # "pid:name pid:name ..."
pids=""
ticker=""

spawn() {         # spawn NAME COMMAND...: run in the background, remember it
  name=$1; shift
  "$@" &
  names="$names $!:$name"
  pids="$pids $!"
  log "$name started (pid $!): $*"
}

stop_all() {      # TERM every server, KILL what is left after 2 s
  [ -n "$ticker" ] && kill "$ticker" 2>/dev/null
  kill -TERM $pids 2>/dev/null
  n=0
  while [ $n -lt 20 ]; do
    alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && return
    sleep 0.1 & wait $!   # wait reaps children that exited meanwhile
    n=$((n + 1))
  done
  log "killing what did not stop:$alive"
  kill -KILL $alive 2>/dev/null
}

on_signal() {
  trap '' TERM INT
  log "$1: stopping"
  stop_all
  log "stopped"
  exit 0
}
trap 'on_signal TERM' TERM
trap 'on_signal INT' INT

log "gpu-echo: http :$PORT_HTTP, live (websocket) :$PORT_LIVE, echo (tcp) :$PORT_ECHO, ssh :$PORT_SSH"
spawn httpd /bin/busybox httpd -f -v -p "$PORT_HTTP" -h /www
spawn echo-server /bin/echo-server --ws "$PORT_LIVE" --tcp "$PORT_ECHO"

if [ -z "${PLATFORM_SSH_USER_CA:-}" ]; then
  log "PLATFORM_SSH_USER_CA is not set: sshd is not started (endpoint ssh stays closed)"
elif [ -z "${PLATFORM_INSTANCE_ID:-}" ]; then
  log "PLATFORM_INSTANCE_ID is not set: no principal to accept, sshd is not started"
else
  # Without CAP_SETUID/CAP_SETGID/CAP_SYS_CHROOT (the local adapter's runc keeps only
  # AUDIT_WRITE, KILL and NET_BIND_SERVICE) or as a uid other than 0 (bwrap under Slurm),
  # sshd's privilege separation cannot change identities: sshd-nopriv.so (LD_PRELOAD) then
  # turns those changes into no-ops; see its source, examples/gpu-echo/sshd-nopriv.c.
  ssh_env=/bin/env
  caps=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null)
  need=$(( (1 << 6) | (1 << 7) | (1 << 18) ))        # CAP_SETGID, CAP_SETUID, CAP_SYS_CHROOT
  if [ "$(id -u)" != 0 ] || [ -z "$caps" ] || [ $(( 0x$caps & need )) -ne $need ]; then
    log "sshd: cannot change identities (uid $(id -u), CapEff ${caps:-?}); running it with sshd-nopriv.so"
    ssh_env="/bin/env LD_PRELOAD=/usr/lib/gpu-echo/sshd-nopriv.so"
  fi
  # /run is a fresh tmpfs: privilege-separation directory, host key, CA and principal.
  # (/var/run and /var/log point into /run: sshd's login records.)
  mkdir -p /run/sshd /run/ssh /run/log && chmod 0755 /run/sshd && chmod 0700 /run/ssh \
    && : >>/run/utmp && : >>/run/log/wtmp && : >>/run/log/lastlog \
    || { log "cannot write /run/ssh"; stop_all; exit 1; }
  rm -f /run/ssh/ssh_host_ed25519_key /run/ssh/ssh_host_ed25519_key.pub
  $ssh_env /usr/bin/ssh-keygen -q -t ed25519 -N '' -C "gpu-echo $PLATFORM_INSTANCE_ID" \
    -f /run/ssh/ssh_host_ed25519_key </dev/null || { log "ssh-keygen failed"; stop_all; exit 1; }
  printf '%s\n' "$PLATFORM_SSH_USER_CA" >/run/ssh/user_ca.pub
  printf '%s\n' "$PLATFORM_INSTANCE_ID" >/run/ssh/principals
  cat >/run/ssh/sshd_config <<EOF
# written by /bin/start: certificates from the platform's user CA, principal = instance id
ListenAddress 0.0.0.0
Port $PORT_SSH
HostKey /run/ssh/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AuthorizedKeysFile none
TrustedUserCAKeys /run/ssh/user_ca.pub
AuthorizedPrincipalsFile /run/ssh/principals
PermitRootLogin prohibit-password
StrictModes no
PrintMotd no
PrintLastLog no
Subsystem sftp internal-sftp
LogLevel INFO
EOF
  log "ssh host key: $($ssh_env /usr/bin/ssh-keygen -l -f /run/ssh/ssh_host_ed25519_key.pub)"
  spawn sshd $ssh_env /usr/sbin/sshd -D -e -f /run/ssh/sshd_config
fi

# Wait for a signal or for a server to exit. `wait` on a short background sleep keeps the
# shell interruptible by the traps and reaps exited children (and orphans: we may be PID 1).
while :; do
  for entry in $names; do
    p=${entry%%:*}
    if ! kill -0 "$p" 2>/dev/null; then
      wait "$p"; status=$?
      log "${entry#*:} (pid $p) exited with status $status; stopping the others"
      trap '' TERM INT
      stop_all
      [ "$status" -eq 0 ] && status=1
      exit "$status"
    fi
  done
  sleep 1 & ticker=$!
  wait $ticker
  ticker=""
done
