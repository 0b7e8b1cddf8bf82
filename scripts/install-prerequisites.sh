#!/usr/bin/env bash
# Installs what a fresh Debian machine of our kind lacks for the tests and the stack:
# PostgreSQL server binaries and redis-server (the AppHost runs both through Aspire), git (git-mode discovery runs `git ls-remote`; tests push to
# bare repositories) and Chromium (browser tests).
# Safe to run again: it installs only what is missing.
set -euo pipefail

missing=()
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi
if ! command -v git >/dev/null 2>&1; then
  missing+=(git)
fi
if [ "${WEBHOOKS_SKIP_BROWSER:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "Missing ${missing[*]} and not root: install them with apt-get (Debian) and run again." >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# apt may be busy right after boot (unattended upgrades): wait for its lock instead of failing.
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's postgresql and redis-server packages may start services of their own (where systemd runs); the AppHost runs
# its own servers, so stop the packaged ones.
if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v systemctl >/dev/null 2>&1; then
  "${sudo_cmd[@]}" systemctl disable --now redis-server 2>/dev/null || true
fi
if [[ " ${missing[*]} " == *" postgresql "* ]] && command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in $(pg_lsclusters -h 2>/dev/null | awk '{print $1"/"$2}'); do
    "${sudo_cmd[@]}" pg_ctlcluster "${cluster%/*}" "${cluster#*/}" stop 2>/dev/null || true
  done
fi
