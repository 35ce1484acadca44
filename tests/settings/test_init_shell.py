"""`i init` on a machine that already has the parts, shell integration, `i --version`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from intent.cli import _light_dirs, version_text
from intent.settings import paths, shell


@pytest.mark.real
def test_init_reuses_what_is_there_and_smoke_tests(
    run_i, real_parts, intent_home: Path, tmp_path: Path
) -> None:
    models = intent_home / "data" / "models"
    models.mkdir(parents=True)
    (models / "gemma-3-270m-q4_k_m.gguf").symlink_to(real_parts.model)
    home = tmp_path / "home"
    home.mkdir()
    env = {"INTENT_LLAMA_SERVER": str(real_parts.server), "HOME": str(home), "SHELL": "/bin/bash"}
    r = run_i("init", "--yes", "--model", "gemma-3-270m", env=env, timeout=180)
    assert r.code == 0, r.stdout + r.stderr
    assert "found in env; nothing installed" in r.stdout
    assert "✓ smoke test: gemma-3-270m: ready in" in r.stdout
    assert "timings: model:" in r.stdout
    assert shell.MARK in (home / ".bashrc").read_text()
    run_i("init", "--yes", "--model", "gemma-3-270m", env=env, timeout=180)
    assert (home / ".bashrc").read_text().count(shell.MARK) == 1  # idempotent
    assert run_i("config", "get", "model", env=env).stdout.strip() == "gemma-3-270m"


@pytest.mark.parametrize("name", ["bash", "zsh", "fish"])
def test_shell_init_prints_a_binding(run_i, name: str) -> None:
    r = run_i("shell-init", name)
    assert r.code == 0 and "i --raw" in r.stdout
    if name == "zsh":
        assert "noglob" in r.stdout
    # the function: a private directory for the hand-off, the status reported back
    assert "mktemp -d" in r.stdout and "shell-report" in r.stdout and "-perm 600" in r.stdout


def test_shell_init_unknown_shell(run_i) -> None:
    assert run_i("shell-init", "tcsh").code == 2


def test_light_version_dirs_match_paths(monkeypatch) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("the light path is Linux only")
    monkeypatch.delenv("INTENT_HOME")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(var, raising=False)
    p = paths.resolve()
    assert _light_dirs() == (str(p.data_dir), str(p.config_dir))


def test_version_names_model_and_build(intent_home: Path) -> None:
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text(
        'model = "qwen2.5-coder-3b"\n\n[runtime]\nllama_server = "x"\n'
    )
    (intent_home / "data" / "runtime").mkdir(parents=True)
    (intent_home / "data" / "runtime" / "build.json").write_text('{"version": "11434.0.0"}')
    text = version_text()
    assert "model: qwen2.5-coder-3b" in text and "llama.cpp: 11434.0.0" in text
