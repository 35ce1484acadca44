"""`config.toml`: documented keys, their types and defaults.

Dotted keys (`runtime.llama_server`) live in TOML tables (`[runtime]`).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intent.errors import UsageError
from intent.vocab import BACKEND_CHOICES, DEFAULT_MODEL


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any
    doc: str
    choices: tuple[str, ...] = ()
    minimum: int = 0  # for whole numbers


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key(
            "backend",
            str,
            "auto",
            "Which backend answers.",
            BACKEND_CHOICES,
        ),
        Key("model", str, DEFAULT_MODEL, "Catalog id or path to a .gguf file."),
        Key("max_tool_steps", int, 8, "Read-only tool calls allowed per request."),
        Key("timeout", int, 300, "Seconds a confirmed command may run before it is killed.", (), 1),
        Key(
            "confine",
            str,
            "auto",
            "Run what runs unasked (Enter, -y) in a read-only view: auto uses it where it works, "
            "always refuses to run unasked without it, never runs as typed commands do.",
            ("auto", "always", "never"),
        ),
        Key(
            "trial",
            bool,
            True,
            "Try a proposed command on a throwaway copy of the directory before showing it "
            "(confined, no network, 1 s): its errors go back to the model, its changes are shown.",
        ),
        Key("request_timeout", int, 180, "Seconds one model reply may take.", (), 1),
        Key(
            "startup_timeout", int, 60, "Seconds the llama-server child has to become ready.", (), 1
        ),
        Key("ctx_size", int, 4096, "Context size passed to llama.cpp (-c).", (), 256),
        Key("threads", int, 0, "CPU threads for llama.cpp; 0 means all cores."),
        Key("max_tokens", int, 384, "Upper bound on tokens generated per reply.", (), 16),
        Key("kv_snapshot", bool, True, "Save and restore the system prompt's KV cache."),
        Key("kv_cache_max_mb", int, 1024, "Size cap for saved KV snapshots."),
        Key(
            "repack",
            bool,
            False,
            "Repack weights when llama-server loads (slower start, more memory; CPU only).",
        ),
        Key("answer_cache", bool, True, "Reuse answers to identical requests (re-guarded)."),
        Key("color", bool, True, "Colour on terminals (NO_COLOR always wins)."),
        Key("runtime.llama_server", str, "", "Path to llama-server (overrides discovery)."),
        Key("runtime.llama_completion", str, "", "Path to llama-completion / legacy llama-cli."),
        Key(
            "retry_budget",
            int,
            20,
            "Seconds a request may spend retrying a busy remote server (429, 503...).",
        ),
        Key(
            "failover",
            bool,
            False,
            "Let a backend chosen by name (--backend, config) fail over to the next one as "
            "`auto` does.",
        ),
        Key(
            "failover_cooldown",
            int,
            120,
            "Seconds a failed backend is skipped before it is tried again.",
        ),
        Key(
            "discover",
            bool,
            True,
            "Let `auto` probe the usual ports of LM Studio, llama-server, vLLM and llamafile.",
        ),
        Key(
            "prefer_server",
            bool,
            False,
            "Let `auto` choose a running server over the built-in llama-server.",
        ),
        Key(
            "openai.base_url",
            str,
            "http://127.0.0.1:11434/v1",
            "OpenAI-compatible endpoint; `/v1` is added to a bare host:port.",
        ),
        Key(
            "openai.model",
            str,
            "",
            "Model name sent to the endpoint; empty means the server's first model.",
        ),
        Key(
            "openai.mode",
            str,
            "auto",
            "How replies are constrained; auto learns it once per endpoint.",
            ("auto", "grammar", "json_schema", "json_object", "text"),
        ),
        Key(
            "ollama.base_url",
            str,
            "http://127.0.0.1:11434",
            "Ollama server (OLLAMA_HOST, when set, wins).",
        ),
        Key("ollama.model", str, "qwen2.5-coder:1.5b", "Ollama model tag (`ollama list`)."),
        Key(
            "openai.api_key_env", str, "OPENAI_API_KEY", "Environment variable holding the API key."
        ),
    )
}


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def read_raw(path: Path) -> dict[str, Any]:
    """The file's keys, flattened; a broken file is a usage error naming it and the line."""
    if not path.exists():
        return {}
    text = ""
    try:
        text = path.read_text()
        return _flatten(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        why = re.sub(r"\s*\(at [^)]*\)", "", str(exc).splitlines()[0])
        raise UsageError(
            f"{path} is not valid TOML at line {line}: {why}.",
            hint=f"Fix line {line} with `i config edit`, or delete the file to use the defaults.",
        ) from exc


def problems(raw: dict[str, Any]) -> list[str]:
    """Unknown keys and values of the wrong type, named one per line."""
    found = []
    for name, value in raw.items():
        key = KEYS.get(name)
        if key is None:
            found.append(f"unknown key {name!r}")
        elif not _type_ok(key, value):
            found.append(f"{name} must be {key.type.__name__}, got {value!r}")
        elif key.choices and value not in key.choices:
            found.append(f"{name} must be one of {', '.join(key.choices)}, got {value!r}")
    return found


def _type_ok(key: Key, value: Any) -> bool:
    if key.type is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, key.type)


def parse_value(name: str, text: str) -> Any:
    key = KEYS.get(name)
    if key is None:
        raise UsageError(f"unknown config key {name!r}; valid keys: {', '.join(KEYS)}")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text):
        raise UsageError(f"{name} cannot contain control characters (a newline, tab or escape)")
    if len(text) > 4096:
        raise UsageError(f"{name} is longer than 4096 characters")
    value: Any = text
    if key.type is bool:
        lowered = text.strip().lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
            raise UsageError(f"{name} takes true or false, not {text!r}")
        value = lowered in ("true", "1", "yes", "on")
    elif key.type is int:
        try:
            value = int(text)
        except ValueError:
            raise UsageError(f"{name} takes a whole number, not {text!r}") from None
        if value < key.minimum:
            raise UsageError(f"{name} must be at least {key.minimum}, not {value}")
        if value > 1 << 31:
            raise UsageError(f"{name} is too large: {value}")
    if key.choices and value not in key.choices:
        raise UsageError(f"{name} must be one of {', '.join(key.choices)}, not {text!r}")
    return value


class Config:
    """Effective settings: defaults overlaid with the file. Unknown keys are ignored here
    (doctor names them); values of the wrong type fall back to the default."""

    def __init__(self, path: Path, raw: dict[str, Any] | None = None) -> None:
        self.path = path
        self.raw = read_raw(path) if raw is None else raw

    def get(self, name: str) -> Any:
        key = KEYS[name]
        value = self.raw.get(name, key.default)
        return value if _type_ok(key, value) else key.default

    def as_dict(self) -> dict[str, Any]:
        return {name: self.get(name) for name in KEYS}

    def set(self, name: str, text: str) -> Any:
        value = parse_value(name, text)
        self.raw[name] = value
        self._write()
        return value

    def unset(self, name: str) -> None:
        if name not in KEYS:
            raise UsageError(f"unknown config key {name!r}; valid keys: {', '.join(KEYS)}")
        self.raw.pop(name, None)
        self._write()

    def _write(self) -> None:
        """Atomically: a crash or a full disk leaves the old file, never half a new one."""
        text = dumps(self.raw)
        tomllib.loads(text)  # what we write must read back; a bug here must not break every `i`
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "w") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def dumps(flat: dict[str, Any]) -> str:
    top = {k: v for k, v in flat.items() if "." not in k}
    tables: dict[str, dict[str, Any]] = {}
    for name, value in flat.items():
        if "." in name:
            table, _, key = name.partition(".")
            tables.setdefault(table, {})[key] = value
    lines = [f"{k} = {_toml_value(v)}" for k, v in sorted(top.items())]
    for table, values in sorted(tables.items()):
        lines += ["", f"[{table}]"] + [f"{k} = {_toml_value(v)}" for k, v in sorted(values.items())]
    return "\n".join(lines).lstrip("\n") + "\n"
