#!/usr/bin/env bash
# The test command: installs what the tests need through intent itself (the llama.cpp runtime and
# the tiny Gemma test model, both reused when already installed), then runs the whole suite,
# including the tests that start a real llama-server with a real GGUF model.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
# tests/run.sh --fast: the development lane. No installs, no real model, no terminals or real
# shells: the in-process tests only (lint and types first). CI runs everything (no --fast).
if [ "${1:-}" = "--fast" ]; then
  shift
  py="$here/.venv/bin/python"
  "$py" -m ruff check intent tests
  "$py" -m mypy intent
  exec "$py" -m pytest -q -p no:cacheprovider -n auto -m "not real and not slow" "$@"
fi
# bubblewrap: the confinement of what runs unasked is tested with the real thing (issue 23)
if ! command -v bwrap >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing bubblewrap"
    apt-get install -y -qq bubblewrap >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq bubblewrap >/dev/null; }
  else
    echo "==> note: bubblewrap (bwrap) is missing; the confinement tests will fail (apt-get install bubblewrap)"
  fi
fi
# real bash, zsh and fish for the live shell tests (tests/cli/test_live_shell.py)
shells=$(for s in bash zsh fish; do command -v "$s" >/dev/null || printf '%s ' "$s"; done)
if [ -n "$shells" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $shells
fi
./install.sh --dev --no-init --no-link
py="$here/.venv/bin/python"
i="$here/.venv/bin/i"
started=$(date +%s)
"$i" runtime install --yes
"$i" model pull gemma-3-270m
echo "==> runtime and test model ready in $(( $(date +%s) - started ))s"
eval "$("$py" - <<'PY'
import json, shlex, subprocess
status = json.loads(subprocess.run([".venv/bin/i", "runtime", "status", "--json"], capture_output=True, text=True).stdout)
model = json.loads(subprocess.run([".venv/bin/i", "model", "show", "gemma-3-270m", "--json"], capture_output=True, text=True).stdout)
b = status["binaries"]
print(f"export INTENT_TEST_LLAMA_SERVER={shlex.quote(b['llama-server']['path'])}")
print(f"export INTENT_TEST_LLAMA_COMPLETION={shlex.quote(b['llama-completion']['path'] or '')}")
print(f"export INTENT_TEST_MODEL={shlex.quote(model['path'])}")
PY
)"
export INTENT_REAL_TESTS=required
"$py" -m ruff check intent tests
"$py" -m mypy intent
exec "$py" -m pytest "$@"
