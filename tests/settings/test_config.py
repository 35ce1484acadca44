"""`config.toml` keys and types, and `i config` as a user runs it."""

from __future__ import annotations

from pathlib import Path


def test_set_get_list_path(run_i, intent_home: Path) -> None:
    assert run_i("config", "set", "max_tool_steps", "3").code == 0
    assert run_i("config", "get", "max_tool_steps").stdout.strip() == "3"
    assert run_i("config", "set", "kv_snapshot", "off").code == 0
    assert run_i("config", "get", "kv_snapshot").stdout.strip() == "false"
    assert run_i("config", "path").stdout.strip() == str(intent_home / "config" / "config.toml")
    assert "max_tool_steps = 3" in run_i("config", "list").stdout
    assert "max_tool_steps = 3" in (intent_home / "config" / "config.toml").read_text()


def test_unknown_key_is_exit_2_listing_valid_keys(run_i) -> None:
    r = run_i("config", "set", "colour", "true")
    assert r.code == 2
    assert "max_tool_steps" in r.stderr and "backend" in r.stderr


def test_wrong_type_is_exit_2(run_i) -> None:
    assert run_i("config", "set", "max_tool_steps", "many").code == 2
    assert run_i("config", "set", "backend", "gpt").code == 2
    assert run_i("config", "set", "timeout", "-1").code == 2


def test_config_limits_the_tool_budget(run_i) -> None:
    run_i("config", "set", "max_tool_steps", "1")
    script = [{"tool_call": {"name": "cwd", "arguments": {}}}] * 2
    assert run_i("--backend", "mock", "x", script=script).code == 4


def test_broken_toml_is_named(run_i, intent_home: Path) -> None:
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text("backend = [")
    r = run_i("config", "list")
    assert r.code == 2 and "config.toml" in r.stderr
