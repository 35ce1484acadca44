"""Build the engine and its parts from settings. Tests call these with fakes.

`resolve_backend()` explains itself: it returns the backend's name and why it was chosen.
`auto` walks one ladder (`ladder()`): the built-in llama-server, running servers (a configured
URL, Ollama, servers found on their usual ports), the one-shot binary; the mock last. A backend
the circuit breaker holds down is passed over. `build_backend()` wraps the choice in failover
(backends/failover.py) when it was `auto`'s, or when `failover = true`: the next rung of the same
ladder answers when this one is unreachable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from intent.app import servers
from intent.backends.base import Backend
from intent.backends.breaker import Breaker
from intent.errors import BackendUnavailable, UsageError
from intent.llamacpp import find as runtime
from intent.models import catalog as models
from intent.settings.config import Config
from intent.settings.paths import Paths

BACKENDS = ("auto", "llama-server", "llama-cli", "openai", "ollama", "mock")


@dataclass(frozen=True)
class Choice:
    backend: str
    source: str  # why: "--backend flag", "INTENT_BACKEND", "config", "auto: ..."
    simulated: bool = False  # auto fell through to the mock: answers are not real
    url: str = ""  # a server found on a usual port: its API URL (the `openai` backend)
    skipped: tuple[str, ...] = ()  # backends auto passed over, held down by the breaker


def requested_backend(flag: str | None, config: Config, env: dict[str, str]) -> tuple[str, str]:
    if flag:
        name, source = flag, "--backend flag"
    elif env.get("INTENT_BACKEND"):
        name, source = env["INTENT_BACKEND"], "INTENT_BACKEND"
    else:
        name, source = config.get("backend"), "config" if "backend" in config.raw else "default"
    if name not in BACKENDS:
        raise UsageError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    return name, source


def requested_model(flag: str | None, config: Config, env: dict[str, str]) -> tuple[str, str]:
    if flag:
        return flag, "--model flag"
    if env.get("INTENT_MODEL"):
        return env["INTENT_MODEL"], "INTENT_MODEL"
    return config.get("model"), "config" if "model" in config.raw else "default"


def resolve_backend(
    flag: str | None,
    paths: Paths,
    config: Config,
    env: dict[str, str] | None = None,
    model_flag: str | None = None,
) -> Choice:
    env = dict(os.environ) if env is None else env
    name, source = requested_backend(flag, config, env)
    if name != "auto":
        return Choice(name, source)
    breaker = breaker_for(paths, config)
    held: list[Choice] = []
    for choice in ladder(paths, config, env, model_flag):
        down = breaker.down(breaker_key(choice, config, env))
        if down is None:
            skipped = tuple(f"{c.backend} ({label(c)})" for c in held)
            return Choice(choice.backend, choice.source, url=choice.url, skipped=skipped)
        held.append(choice)
    if held:  # everything is held down: asking one beats a simulated answer
        return held[0]
    missing = "model" if not _has_model(paths, config, env, model_flag) else "llama.cpp runtime"
    return Choice("mock", f"auto: no {missing} installed and no server answers", simulated=True)


def _has_model(paths: Paths, config: Config, env: dict[str, str], model_flag: str | None) -> bool:
    model_name, _ = requested_model(model_flag, config, env)
    try:
        return models.resolve(paths, model_name, "").path.is_file()
    except UsageError:  # not a local model; a server may know the name (`--model llama3.2`)
        return False


def ladder(
    paths: Paths, config: Config, env: dict[str, str], model_flag: str | None = None
) -> Iterator[Choice]:
    """What `auto` may use, best first, each found only when the one before is passed over:
    the built-in llama-server (runtime and model installed), running servers (a configured
    URL, Ollama, the usual ports; before the built-in only with `prefer_server = true`), and
    the one-shot binary."""
    has_model = _has_model(paths, config, env, model_flag)
    server = runtime.find_binary(runtime.SERVER, paths, config, env)
    local = None
    if server and has_model and os.access(server.path, os.X_OK):
        local = Choice("llama-server", f"auto: llama-server from {server.source}")
    prefer = config.get("prefer_server")
    if local is not None and not prefer:
        yield local
    for backend, why, url in servers.running(paths, config, env):
        yield Choice(backend, why, url=url)
    if local is not None and prefer:
        yield local
    one_shot = runtime.find_one_shot(paths, config, env)
    if one_shot and has_model and os.access(one_shot.path, os.X_OK):
        yield Choice("llama-cli", f"auto: {one_shot.path.name} from {one_shot.source}")


def breaker_for(paths: Paths, config: Config) -> Breaker:
    return Breaker(paths.cache_dir, cooldown=float(config.get("failover_cooldown")))


def breaker_key(choice: Choice, config: Config, env: dict[str, str]) -> str:
    """The breaker remembers a server by its URL, a local backend by its name."""
    from intent.backends.openai_compat import normalise_base_url

    if choice.backend == "openai":
        return "openai " + normalise_base_url(choice.url or config.get("openai.base_url"))
    if choice.backend == "ollama":
        from intent.backends import ollama

        return "ollama " + ollama.host_url(env, config.get("ollama.base_url"))[0]
    return choice.backend


def label(choice: Choice, *, answering: bool = False) -> str:
    """The words for a backend in the failover notice."""
    if choice.backend == "llama-server":
        return "the local model" if answering else "llama-server"
    if choice.backend == "llama-cli":
        return "the local model (one-shot)" if answering else "llama-completion"
    if choice.backend == "ollama":
        return "Ollama"
    if choice.backend == "openai":
        host = urlsplit(choice.url).hostname if choice.url else None
        if choice.url and host in ("127.0.0.1", "localhost", "::1"):
            return f"the server at {urlsplit(choice.url).netloc}"
        return "the remote server" if answering else "remote server"
    return choice.backend


def fails_over(choice: Choice, config: Config) -> bool:
    """`auto` always walks on; a backend chosen by name only with `failover = true`."""
    return choice.source.startswith("auto") or bool(config.get("failover"))


def build_backend(
    choice: Choice,
    paths: Paths,
    config: Config,
    env: dict[str, str] | None = None,
    model_flag: str | None = None,
    snapshots: bool = True,
    progress: Callable[[str], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> tuple[Backend, str]:
    """The backend object and the model id it uses. `progress` shows waits for a busy server
    and the failover notice; `stage` what the spinner waits for (starting, loading ...)."""
    env = dict(os.environ) if env is None else env
    if choice.backend == "mock" or not fails_over(choice, config):
        return _build_one(choice, paths, config, env, model_flag, snapshots, progress, stage)
    from intent.backends.failover import Candidate, Failover

    def candidate(c: Choice) -> Candidate:
        return Candidate(
            c.backend,
            c.source,
            breaker_key(c, config, env),
            label(c),
            label(c, answering=True),
            lambda: _build_one(c, paths, config, env, model_flag, snapshots, progress, stage),
        )

    def candidates() -> Iterator[Candidate]:
        yield candidate(choice)
        tried = {breaker_key(choice, config, env)}
        for c in ladder(paths, config, env, model_flag):
            key = breaker_key(c, config, env)
            if key not in tried:
                tried.add(key)
                yield candidate(c)

    chain = Failover(candidates(), breaker_for(paths, config), notify=progress)
    return chain, chain.model_id


def answered_by(backend: Backend) -> tuple[str, str, str] | None:
    """(backend, why, model id) of the backend that answered after a failover; None when the
    first choice answered."""
    from intent.backends.failover import Failover

    if isinstance(backend, Failover) and backend.failed:
        return backend.name, backend.why, backend.model_id
    return None


def context_tokens(backend: Backend, config: Config) -> int:
    """The context the model runs with: what a running server says (llama.cpp `/props`,
    Ollama `/api/show`), else `ctx_size` (the built-in server and the one-shot binary are
    started with it)."""
    from intent.backends.failover import Failover
    from intent.backends.openai_compat import OpenAICompat

    inner = backend.backend if isinstance(backend, Failover) else backend
    if isinstance(inner, OpenAICompat):
        told = inner.context_size()
        if told:
            return told
    return int(config.get("ctx_size"))


def _build_one(
    choice: Choice,
    paths: Paths,
    config: Config,
    env: dict[str, str],
    model_flag: str | None,
    snapshots: bool,
    progress: Callable[[str], None] | None,
    stage: Callable[[str], None] | None,
) -> tuple[Backend, str]:
    if choice.backend == "mock":
        from intent.backends.mock import SIMULATED, MockBackend

        script = env.get("INTENT_MOCK_SCRIPT")
        if script:
            return MockBackend.from_file(script), "mock"
        if choice.simulated:
            return MockBackend([SIMULATED], simulated=True), "none"
        raise UsageError("--backend mock needs INTENT_MOCK_SCRIPT (a JSON array of replies)")
    if choice.backend in servers.REMOTE:
        return servers.build(
            choice.backend, paths, config, env, model_flag, progress, base_url=choice.url
        )
    model_name, model_source = requested_model(model_flag, config, env)
    model = models.resolve(paths, model_name, model_source)
    model_file = models.require_file(model)
    if choice.backend == "llama-cli":
        from intent.backends.one_shot import OneShot

        found = runtime.find_one_shot(paths, config, env)
        if found is None:
            raise BackendUnavailable(
                "no one-shot binary (llama-completion or a legacy llama-cli) was found.",
                hint="Run `i runtime install`.",
            )
        probe = runtime.probe(found.path, paths)
        return OneShot(
            found.path,
            model_file,
            ctx_size=config.get("ctx_size"),
            threads=config.get("threads"),
            timeout=config.get("request_timeout"),
            legacy_cli=found.path.name == runtime.LEGACY_CLI and probe.legacy_cli,
            load_args=probe.load_args(repack=config.get("repack")),
            stage=stage,
        ), model.id
    from intent.backends.llama_server import LlamaServer, ServerOptions

    found = runtime.require(runtime.SERVER, paths, config, env)
    probe = runtime.probe(found.path, paths)
    options = ServerOptions(
        found.path,
        model_file,
        ctx_size=config.get("ctx_size"),
        threads=config.get("threads"),
        startup_timeout=config.get("startup_timeout"),
        request_timeout=config.get("request_timeout"),
        flags=probe.flags,
        load_args=probe.load_args(repack=config.get("repack")),
    )
    snaps = None
    if snapshots and config.get("kv_snapshot"):
        from intent.backends import snapshot
        from intent.turn import prompt

        snaps = snapshot.prepare(options, paths, config, model, probe, prompt.system_message())
    return LlamaServer(options, paths, snapshots=snaps, stage=stage), model.id
