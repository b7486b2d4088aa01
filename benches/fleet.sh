#!/usr/bin/env bash
# A step on 100 hosts over OpenSSH (issue 15), beside its floor: the same `ssh` commands
# (multiplexed: ControlMaster, one socket per host) run by `xargs -P 20`.
#   1. a trivial step (`true`) on 100 hosts with `concurrency: 20`: runbook <= 1.3x xargs;
#   2. its peak memory (maximum resident set, GNU time): <= 64 MiB;
#   3. 100 hosts each printing 10 MB: the peak memory must not grow with the output.
# The hosts are aliases of a few sshd instances on 127.0.0.1 started here (keys and
# known_hosts made here), stopped at the end.
# Usage: bash benches/fleet.sh [HOSTS] [SERVERS] [RUNS]   (defaults 100 4 3)
set -euo pipefail
cd "$(dirname "$0")/.."
HOSTS=${1:-100}
SERVERS=${2:-4}
RUNS=${3:-3}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "fleet.sh: needs GNU time (apt-get install -y time)" >&2; exit 3; }
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$SSHD" ] || { echo "fleet.sh: needs OpenSSH (apt-get install -y openssh-server openssh-client)" >&2; exit 3; }
cargo build --release --quiet
RUNBOOK=$PWD/target/release/runbook
WORK=$(mktemp -d /tmp/rb-fleet-bench.XXXXXX)
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p /run/sshd "$WORK/out"
ssh-keygen -q -t ed25519 -N '' -C host -f "$WORK/host"
ssh-keygen -q -t ed25519 -N '' -C client -f "$WORK/client"
cp "$WORK/client.pub" "$WORK/authorized_keys"
USER_NAME=$(id -un)
: > "$WORK/known_hosts"
PORTS=()
for s in $(seq 1 "$SERVERS"); do
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PORTS+=("$port")
    cat > "$WORK/sshd_$s" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $WORK/host
AuthorizedKeysFile $WORK/authorized_keys
PidFile $WORK/sshd_$s.pid
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
AllowUsers $USER_NAME
PermitRootLogin prohibit-password
LogLevel ERROR
MaxStartups 200
MaxSessions 200
EOF
    "$SSHD" -D -e -f "$WORK/sshd_$s" 2>"$WORK/sshd_$s.log" &
    PIDS+=("$!")
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$WORK/host.pub")" >> "$WORK/known_hosts"
done
: > "$WORK/ssh_config"
: > "$WORK/hosts"
for h in $(seq -w 1 "$HOSTS"); do
    port=${PORTS[$(( (10#$h - 1) % SERVERS ))]}
    cat >> "$WORK/ssh_config" <<EOF
Host host-$h
  HostName 127.0.0.1
  Port $port
  User $USER_NAME
  IdentityFile $WORK/client
  IdentitiesOnly yes
  UserKnownHostsFile $WORK/known_hosts
  GlobalKnownHostsFile /dev/null
  LogLevel ERROR
EOF
    echo "host-$h" >> "$WORK/hosts"
done
# Ready when every server answers.
for port in "${PORTS[@]}"; do
    for _ in $(seq 1 100); do
        if ssh -F "$WORK/ssh_config" -o BatchMode=yes host-001 -p "$port" true 2>/dev/null; then break; fi
        sleep 0.1
    done
done
cat > "$WORK/trivial.yaml" <<EOF
title: A trivial step on every host
owner: bench
description: Bench.
inputs:
  hosts: {description: hosts}
steps:
  - id: touch
    title: Nothing, everywhere
    on: "{{ inputs.hosts }}"
    concurrency: 20
    run: "true"
EOF
cat > "$WORK/loud.yaml" <<EOF
title: 10 MB from every host
owner: bench
description: Bench.
inputs:
  hosts: {description: hosts}
steps:
  - id: print
    title: Print 10 MB, everywhere
    on: "{{ inputs.hosts }}"
    concurrency: 20
    run: yes 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789 | head -c 10000000
EOF
HOSTLIST=$(tr '\n' ' ' < "$WORK/hosts")
run_runbook() { # FILE
    RUNBOOK_STATE_DIR="$WORK/state" NO_COLOR=1 "$RUNBOOK" --ssh-config "$WORK/ssh_config" \
        run "$1" --yes --input "hosts=$HOSTLIST" > /dev/null 2> "$WORK/runbook.err"
}
run_xargs() { # a fresh control folder: the same handshakes as runbook pays
    local ctl
    ctl=$(mktemp -d /tmp/rb-x.XXXXXX)
    xargs -P 20 -I{} ssh -F "$WORK/ssh_config" -T -o BatchMode=yes -o StrictHostKeyChecking=yes \
        -o ControlMaster=auto -o "ControlPath=$ctl/%n" -o ControlPersist=120 {} true < "$WORK/hosts"
    for h in $(cat "$WORK/hosts"); do
        ssh -F "$WORK/ssh_config" -o "ControlPath=$ctl/%n" -O exit "$h" 2>/dev/null || true
    done
    rm -rf "$ctl"
}
best() { # COMMAND…: the best wall time of RUNS runs, in seconds
    local best=999999 t
    for _ in $(seq 1 "$RUNS"); do
        "$TIME" -f %e -o "$WORK/time" "$@" > /dev/null 2>&1
        t=$(tail -n 1 "$WORK/time")
        if python3 -c "import sys; sys.exit(0 if float('$t') < float('$best') else 1)"; then best=$t; fi
    done
    echo "$best"
}
peak() { # COMMAND…: its maximum resident set, in KiB
    "$TIME" -f %M -o "$WORK/time" "$@" > /dev/null 2>&1
    tail -n 1 "$WORK/time"
}
export -f run_runbook run_xargs
export WORK RUNBOOK HOSTLIST
export RUNBOOK_STATE_DIR="$WORK/state" NO_COLOR=1
xargs_s=$(best bash -c run_xargs)
runbook_s=$(best bash -c 'run_runbook "$WORK/trivial.yaml"')
grep -q "host-0*$HOSTS  *0 " "$WORK/runbook.err" || { echo "runbook did not run on every host:"; tail -20 "$WORK/runbook.err"; exit 1; }
rss_trivial=$(peak "$RUNBOOK" --ssh-config "$WORK/ssh_config" run "$WORK/trivial.yaml" --yes --input "hosts=$HOSTLIST")
rss_loud=$(peak "$RUNBOOK" --ssh-config "$WORK/ssh_config" run "$WORK/loud.yaml" --yes --input "hosts=$HOSTLIST")
python3 - "$HOSTS" "$xargs_s" "$runbook_s" "$rss_trivial" "$rss_loud" <<'PY'
import sys
hosts, xs, rs, rt, rl = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"trivial step on {hosts} hosts, concurrency 20:")
print(f"  xargs -P 20 ssh (multiplexed)   {xs:6.2f} s")
print(f"  runbook run                     {rs:6.2f} s   ({rs / xs:.2f}x; target <= 1.3x)")
print(f"  runbook peak memory             {rt / 1024:6.1f} MiB (target <= 64 MiB)")
print(f"{hosts} hosts x 10 MB of output:")
print(f"  runbook peak memory             {rl / 1024:6.1f} MiB (must not grow with the output)")
PY
