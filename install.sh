#!/usr/bin/env bash
# Install intent: a virtual environment (or pipx), `i` and `intent` linked into ~/.local/bin,
# then `i init --yes` (llama.cpp runtime, default model, smoke test). Safe to run again.
#   ./install.sh            install and initialise
#   ./install.sh --dev      editable install with the test extra
#   ./install.sh --no-init  skip `i init`
#   ./install.sh --no-link  leave ~/.local/bin alone (the test command uses this)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dev=0
init=1
link=1
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    --no-init) init=0 ;;
    --no-link) link=0 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "install.sh: intent needs Python 3.11 or newer (found: $("$python" --version 2>&1))." >&2
  exit 1
fi
bin_dir="$HOME/.local/bin"
[ "$link" = 1 ] && mkdir -p "$bin_dir"
if [ "$dev" = 0 ] && command -v pipx >/dev/null 2>&1; then
  echo "==> installing with pipx"
  pipx install --force "$here" >/dev/null
  i_bin="$(command -v i || echo "$bin_dir/i")"
else
  venv="${INTENT_VENV:-$here/.venv}"
  if [ ! -x "$venv/bin/python" ]; then
    echo "==> creating virtual environment $venv"
    "$python" -m venv "$venv"
  fi
  echo "==> installing intent into $venv"
  if [ "$dev" = 1 ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -e "$here[test]"
    # pip byte-compiles regular installs, not editable ones: without this, a machine with
    # PYTHONDONTWRITEBYTECODE recompiles every module on every start (~40 ms)
    "$venv/bin/python" -m compileall -q "$here/intent" >/dev/null
  else
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "$here"
  fi
  i_bin="$venv/bin/i"
  if [ "$link" = 1 ]; then
    ln -sf "$venv/bin/i" "$bin_dir/i"
    ln -sf "$venv/bin/intent" "$bin_dir/intent"
    i_bin="$bin_dir/i"
  fi
fi
[ "$link" = 1 ] && case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "==> note: $bin_dir is not on your PATH; add this to your shell rc file:"
     echo "    export PATH=\"$bin_dir:\$PATH\"" ;;
esac
if [ "$init" = 1 ]; then
  echo "==> i init --yes (llama.cpp runtime and the default model; the first run builds llama.cpp)"
  "$i_bin" init --yes
fi
echo "==> done: $i_bin"
