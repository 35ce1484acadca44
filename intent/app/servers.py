"""Servers that are already running: the `openai` and `ollama` backends, and how `auto` finds
them (after the request-scoped llama.cpp path, before the one-shot and mock fallbacks).

Finding a server costs one short request per candidate; the answer is kept for a few seconds
in the cache dir so a burst of `i` calls does not probe each time.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from intent.settings.config import Config
from intent.settings.paths import Paths

if TYPE_CHECKING:
    from intent.backends.openai_compat import OpenAICompat

REMOTE = ("openai", "ollama")
PROBE_TTL = 5.0  # seconds a probe's answer is reused
PROBE_FILE = "servers.json"


def remote_model(
    flag: str | None, config: Config, env: dict[str, str], key: str
) -> tuple[str, str, bool]:
    """(model name, where it came from, whether the user named it). `--model` and
    `INTENT_MODEL` name the server's model on every remote backend."""
    if flag:
        return flag, "--model flag", True
    if env.get("INTENT_MODEL"):
        return env["INTENT_MODEL"], "INTENT_MODEL", True
    return config.get(key), key, key in config.raw


def build(
    backend: str,
    paths: Paths,
    config: Config,
    env: dict[str, str],
    model_flag: str | None = None,
    progress: Callable[[str], None] | None = None,
    transport: Any = None,
) -> tuple[OpenAICompat, str]:
    """The backend object for a running server, and the model id it uses."""
    from intent.backends import ollama
    from intent.backends.openai_compat import OpenAICompat

    options: dict[str, Any] = {
        "timeout": config.get("request_timeout"),
        "retry_budget": config.get("retry_budget"),
        "progress": progress,
        "cache_dir": paths.cache_dir,
        "transport": transport,
    }
    if backend == "ollama":
        root, _ = ollama.host_url(env, config.get("ollama.base_url"))
        model, _, named = remote_model(model_flag, config, env, "ollama.model")
        made = ollama.make(root, model, named, **options)
        return made, made.model
    model, _, _ = remote_model(model_flag, config, env, "openai.model")
    made = OpenAICompat(
        base_url=config.get("openai.base_url"),
        model=model,
        api_key=env.get(config.get("openai.api_key_env"), ""),
        mode=config.get("openai.mode"),
        **options,
    )
    if not made.model:  # the envelope, the audit log and the answer cache name the real model
        made.model = made.default_model()
    return made, made.model


def find_running(
    paths: Paths, config: Config, env: dict[str, str], *, transport: Any = None
) -> tuple[str, str] | None:
    """(backend, why) for the first server that answers: a configured OpenAI-compatible URL,
    then a local Ollama; None when neither does."""
    from intent.backends import ollama
    from intent.backends.openai_compat import normalise_base_url

    if "openai.base_url" in config.raw:
        url = normalise_base_url(config.get("openai.base_url"))
        key = env.get(config.get("openai.api_key_env"), "")
        if _answers(paths, url + "/models", 1.5, key, transport):
            return "openai", f"auto: an OpenAI-compatible server answers at {url} (config)"
    root, source = ollama.host_url(env, config.get("ollama.base_url"))
    if _answers(paths, root + "/api/tags", 0.5, "", transport):
        return "ollama", f"auto: Ollama answers at {root} ({source})"
    return None


def _answers(paths: Paths, url: str, timeout: float, key: str, transport: Any) -> bool:
    cache = paths.cache_dir / PROBE_FILE
    now = time.time()
    try:
        seen = json.loads(cache.read_text())
    except (OSError, ValueError):
        seen = {}
    if not isinstance(seen, dict):
        seen = {}
    hit = seen.get(url)
    if isinstance(hit, list) and len(hit) == 2 and 0 <= now - float(hit[1]) < PROBE_TTL:
        return bool(hit[0])
    ok = _probe(url, timeout, key, transport)
    seen = {u: v for u, v in seen.items() if isinstance(v, list) and now - v[1] < PROBE_TTL}
    seen[url] = [ok, now]
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{PROBE_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(seen))
        os.replace(tmp, cache)
    except OSError:
        pass
    return ok


def _probe(url: str, timeout: float, key: str, transport: Any) -> bool:
    import httpx

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with httpx.Client(transport=transport, timeout=timeout, headers=headers) as client:
            resp = client.get(url)
            return resp.status_code == 200 and isinstance(resp.json(), dict)
    except (httpx.HTTPError, ValueError):
        return False
