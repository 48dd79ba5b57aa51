# Sourced by demo.sh and test.sh: start the Docker engine and a registry when they are needed, and stop what was
# started, waiting until it has really gone (the next script on the same machine, such as CI's test run after the
# demo, must not meet a daemon still shutting down or its leftover /var/run/docker.pid).
started_pids=()

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# wait_gone PID [SECONDS]: true once the process has exited.
wait_gone() {
  local pid=$1 tries=$(( ${2:-30} * 5 ))
  for _ in $(seq 1 "$tries"); do as_root kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  return 1
}

# start_engine LOG_DIR: starts dockerd unless an engine answers.
start_engine() {
  local log_dir=$1 pid_file=/var/run/docker.pid
  docker info >/dev/null 2>&1 && return 0
  if [ -f "$pid_file" ]; then
    local old_pid; old_pid=$(cat "$pid_file" 2>/dev/null || true)
    # A daemon that is still shutting down keeps its pid file until it exits: give it the time; a pid file whose
    # process is gone (a killed daemon) is stale and would stop the new one from starting.
    if [ -n "$old_pid" ] && ! wait_gone "$old_pid" 30; then
      echo "a dockerd (pid $old_pid) is running but does not answer; stop it or see its log" >&2
      return 1
    fi
    as_root rm -f "$pid_file"
  fi
  as_root bash -c "nohup dockerd >'$log_dir/dockerd.log' 2>&1 & echo \$! >'$log_dir/dockerd.pid'"
  started_pids+=("$(cat "$log_dir/dockerd.pid")")
  for _ in $(seq 1 120); do docker info >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "dockerd did not start; see $log_dir/dockerd.log" >&2
  tail -20 "$log_dir/dockerd.log" >&2
  return 1
}

# start_registry DIR [EXTRA_YAML]: starts Debian's docker-registry on 127.0.0.1 and a free port; sets registry_address.
start_registry() {
  local dir=$1 port
  mkdir -p "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  started_pids+=("$!")
  for _ in $(seq 1 50); do
    python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/v2/')" 2>/dev/null \
      && { registry_address="127.0.0.1:$port"; return 0; }
    sleep 0.2
  done
  echo "docker-registry did not start; see $dir/registry.log" >&2
  tail -20 "$dir/registry.log" >&2
  return 1
}

# stop_started: stops everything started above, newest first, and waits for each to exit.
stop_started() {
  local i pid
  for (( i=${#started_pids[@]}-1; i>=0; i-- )); do
    pid=${started_pids[$i]}
    as_root kill "$pid" 2>/dev/null || continue
    wait_gone "$pid" 30 || as_root kill -9 "$pid" 2>/dev/null || true
  done
  started_pids=()
}
