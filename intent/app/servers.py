"""Servers that are already running: the `openai` and `ollama` backends, and how `auto` finds
them (after the request-scoped llama.cpp path, before the one-shot and mock fallbacks).

Finding a server costs one short request per candidate; the answer is kept for a few seconds
in the cache dir so a burst of `i` calls does not probe each time. Besides a configured URL and
Ollama, `auto` looks at the usual ports of LM Studio, llama-server/llamafile and vLLM on this
machine (`discover = false` turns that off): one `GET /v1/models` each, in parallel.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from intent.settings.config import Config
from intent.settings.paths import Paths
from intent.vocab import BackendName

if TYPE_CHECKING:
    from intent.backends.openai_compat import OpenAICompat

PROBE_TTL = 5.0  # seconds a probe's answer is reused
PROBE_FILE = "servers.json"
DISCOVERY_TIMEOUT = 0.3  # loopback: a server that is there answers in milliseconds
# (what usually listens there, port): LM Studio's default, llama-server's and llamafile's, vLLM's
USUAL_PORTS: tuple[tuple[str, int], ...] = (
    ("LM Studio", 1234),
    ("llama-server or llamafile", 8080),
    ("vLLM", 8000),
)


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


@dataclass(frozen=True)
class Reach:
    """What connecting to a running server takes. `base_url` is a server `auto` found on a
    usual port (else the configured URL)."""

    paths: Paths
    config: Config
    env: dict[str, str]
    model_flag: str | None = None
    progress: Callable[[str], None] | None = None
    transport: Any = None
    base_url: str = ""


@dataclass(frozen=True)
class Server:
    """A kind of server that is already running (the `openai` and `ollama` backends): how to
    connect to it (the client, and the model id it uses), and the URL it answers at (the
    circuit breaker's key for it)."""

    connect: Callable[[Reach], tuple[OpenAICompat, str]]
    url: Callable[[str, Config, dict[str, str]], str]  # (a found server's URL or "", ...)


def _options(r: Reach) -> dict[str, Any]:
    return {
        "timeout": r.config.get("request_timeout"),
        "retry_budget": r.config.get("retry_budget"),
        "progress": r.progress,
        "cache_dir": r.paths.cache_dir,
        "transport": r.transport,
    }


def _connect_ollama(r: Reach) -> tuple[OpenAICompat, str]:
    from intent.backends import ollama

    root, _ = ollama.host_url(r.env, r.config.get("ollama.base_url"))
    model, _, named = remote_model(r.model_flag, r.config, r.env, "ollama.model")
    made = ollama.make(root, model, named, **_options(r))
    return made, made.model


def _connect_openai(r: Reach) -> tuple[OpenAICompat, str]:
    from intent.backends.openai_compat import OpenAICompat

    config = r.config
    model, _, _ = remote_model(r.model_flag, config, r.env, "openai.model")
    if r.base_url and "openai.model" not in config.raw and not r.model_flag:
        model = ""  # a discovered server serves its own model: ask it which
    made = OpenAICompat(
        base_url=r.base_url or config.get("openai.base_url"),
        model=model,
        api_key=r.env.get(config.get("openai.api_key_env"), ""),
        mode=config.get("openai.mode"),
        **_options(r),
    )
    if not made.model:  # the envelope, the audit log and the answer cache name the real model
        made.model = made.default_model()
    return made, made.model


def _ollama_url(found: str, config: Config, env: dict[str, str]) -> str:
    from intent.backends import ollama

    return ollama.host_url(env, config.get("ollama.base_url"))[0]


def _openai_url(found: str, config: Config, env: dict[str, str]) -> str:
    from intent.backends.openai_compat import normalise_base_url

    return normalise_base_url(found or config.get("openai.base_url"))


OLLAMA = Server(_connect_ollama, _ollama_url)
OPENAI = Server(_connect_openai, _openai_url)


def find_running(
    paths: Paths, config: Config, env: dict[str, str], *, transport: Any = None
) -> tuple[str, str] | None:
    """(backend, why) for the first server that answers, or None (see `running`)."""
    for backend, why, _url in running(paths, config, env, transport=transport):
        return backend, why
    return None


def running(
    paths: Paths, config: Config, env: dict[str, str], *, transport: Any = None
) -> Iterator[tuple[BackendName, str, str]]:
    """(backend, why, discovered URL) for each server that answers, in the order `auto` asks
    them: a configured OpenAI-compatible URL, a local Ollama, then the usual ports. Each is
    probed only when the one before was passed over."""
    from intent.backends import ollama
    from intent.backends.openai_compat import normalise_base_url

    configured = ""
    if "openai.base_url" in config.raw:
        configured = normalise_base_url(config.get("openai.base_url"))
        key = env.get(config.get("openai.api_key_env"), "")
        if _answers(paths, configured + "/models", 1.5, key, transport):
            yield (
                "openai",
                f"auto: an OpenAI-compatible server answers at {configured} (config)",
                "",
            )
    root, source = ollama.host_url(env, config.get("ollama.base_url"))
    if _answers(paths, root + "/api/tags", 0.5, "", transport):
        yield "ollama", f"auto: Ollama answers at {root} ({source})", ""
    if config.get("discover"):
        for what, url in discover(paths, transport=transport):
            if url not in (configured, root + "/v1"):
                yield "openai", f"auto: {what} answers at {url} (usual port)", url


def discover(paths: Paths, *, transport: Any = None) -> list[tuple[str, str]]:
    """(what usually listens there, API URL) for each usual port where an OpenAI-compatible
    server answers `GET /v1/models`; all probed at once, the answers cached like the others."""
    urls = {f"http://127.0.0.1:{port}/v1": what for what, port in USUAL_PORTS}
    found = _answer_all(paths, [u + "/models" for u in urls], DISCOVERY_TIMEOUT, "", transport)
    return [(what, u) for u, what in urls.items() if found[u + "/models"]]


def _answers(paths: Paths, url: str, timeout: float, key: str, transport: Any) -> bool:
    return _answer_all(paths, [url], timeout, key, transport)[url]


def _answer_all(
    paths: Paths, urls: list[str], timeout: float, key: str, transport: Any
) -> dict[str, bool]:
    """Whether each URL answers: from the cache when fresh, else probed (in parallel when
    there are several), the cache written once with every answer."""
    cache = paths.cache_dir / PROBE_FILE
    now = time.time()
    try:
        seen = json.loads(cache.read_text())
    except (OSError, ValueError):
        seen = {}
    if not isinstance(seen, dict):
        seen = {}
    out: dict[str, bool] = {}
    for url in urls:
        hit = seen.get(url)
        if isinstance(hit, list) and len(hit) == 2 and 0 <= now - float(hit[1]) < PROBE_TTL:
            out[url] = bool(hit[0])
    todo = [u for u in urls if u not in out]
    if not todo:
        return out
    if len(todo) == 1:
        out[todo[0]] = _probe(todo[0], timeout, key, transport)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(todo)) as pool:
            found = pool.map(lambda u: _probe(u, timeout, key, transport), todo)
            out.update(zip(todo, found, strict=True))
    seen = {u: v for u, v in seen.items() if isinstance(v, list) and now - v[1] < PROBE_TTL}
    seen.update({u: [out[u], now] for u in todo})
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f"{PROBE_FILE}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(seen))
        os.replace(tmp, cache)
    except OSError:
        pass
    return out


def _probe(url: str, timeout: float, key: str, transport: Any) -> bool:
    import httpx

    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with httpx.Client(transport=transport, timeout=timeout, headers=headers) as client:
            resp = client.get(url)
            return resp.status_code == 200 and isinstance(resp.json(), dict)
    except (httpx.HTTPError, ValueError):
        return False
