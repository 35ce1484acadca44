"""Build the engine and its parts from settings. Tests call these with fakes.

`resolve_backend()` explains itself: it returns the backend's name and why it was chosen.
`auto` walks one ladder (`ladder()`): the built-in llama-server, running servers (a configured
URL, Ollama, servers found on their usual ports), the one-shot binary; the mock last. A backend
the circuit breaker holds down is passed over. `build_backend()` wraps the choice in failover
(backends/failover.py) when it was `auto`'s, or when `failover = true`: the next rung of the same
ladder answers when this one is unreachable.

`REGISTRY` holds one entry per backend name (`vocab.BackendName`): how it is built, what the
failover notice calls it, and, for a server that is already running, how to reach it
(`servers.py`). Config validation and `--backend` help read the names from `vocab`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from intent.app import servers
from intent.backends.base import Backend
from intent.backends.breaker import Breaker
from intent.errors import BackendUnavailable, UsageError
from intent.llamacpp import find as runtime
from intent.models import catalog as models
from intent.settings.config import Config
from intent.settings.paths import Paths
from intent.vocab import BACKEND_CHOICES, BackendChoice, BackendName, backend_choice


@dataclass(frozen=True)
class Choice:
    backend: BackendName
    source: str  # why: "--backend flag", "INTENT_BACKEND", "config", "auto: ..."
    simulated: bool = False  # auto fell through to the mock: answers are not real
    url: str = ""  # a server found on a usual port: its API URL (the `openai` backend)
    skipped: tuple[str, ...] = ()  # backends auto passed over, held down by the breaker


def requested_backend(
    flag: str | None, config: Config, env: dict[str, str]
) -> tuple[BackendChoice, str]:
    if flag:
        name, source = flag, "--backend flag"
    elif env.get("INTENT_BACKEND"):
        name, source = env["INTENT_BACKEND"], "INTENT_BACKEND"
    else:
        name, source = config.get("backend"), "config" if "backend" in config.raw else "default"
    choice = backend_choice(name)
    if choice is None:
        raise UsageError(f"unknown backend {name!r}; choose one of {', '.join(BACKEND_CHOICES)}")
    return choice, source


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
    server = REGISTRY[choice.backend].server
    if server is None:
        return choice.backend
    return f"{choice.backend} {server.url(choice.url, config, env)}"


def label(choice: Choice, *, answering: bool = False) -> str:
    """The words for a backend in the failover notice."""
    host = urlsplit(choice.url).hostname if choice.url else None
    if choice.url and host in ("127.0.0.1", "localhost", "::1"):  # a server on a usual port
        return f"the server at {urlsplit(choice.url).netloc}"
    named = REGISTRY[choice.backend]
    return named.answering if answering else named.label


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
    wanted = Wanted(choice, paths, config, env, model_flag, snapshots, progress, stage)
    if not REGISTRY[choice.backend].hands_over or not fails_over(choice, config):
        return _build(wanted)
    from intent.backends.failover import Candidate, Failover

    def candidate(c: Choice) -> Candidate:
        return Candidate(
            c.backend,
            c.source,
            breaker_key(c, config, env),
            label(c),
            label(c, answering=True),
            lambda: _build(replace(wanted, choice=c)),
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


@dataclass(frozen=True)
class Wanted:
    """What building one backend takes (`build_backend`'s arguments, for one rung)."""

    choice: Choice
    paths: Paths
    config: Config
    env: dict[str, str]
    model_flag: str | None
    snapshots: bool
    progress: Callable[[str], None] | None
    stage: Callable[[str], None] | None


def _build(wanted: Wanted) -> tuple[Backend, str]:
    return REGISTRY[wanted.choice.backend].build(wanted)


def _mock(w: Wanted) -> tuple[Backend, str]:
    from intent.backends.mock import SIMULATED, MockBackend

    script = w.env.get("INTENT_MOCK_SCRIPT")
    if script:
        return MockBackend.from_file(script), "mock"
    if w.choice.simulated:
        return MockBackend([SIMULATED], simulated=True), "none"
    raise UsageError("--backend mock needs INTENT_MOCK_SCRIPT (a JSON array of replies)")


def _local_model(w: Wanted) -> tuple[models.Resolved, Path]:
    """The catalog entry (or .gguf path) the local backends load, and its file."""
    model_name, model_source = requested_model(w.model_flag, w.config, w.env)
    model = models.resolve(w.paths, model_name, model_source)
    return model, models.require_file(model)


def _one_shot(w: Wanted) -> tuple[Backend, str]:
    from intent.backends.one_shot import OneShot

    paths, config, env = w.paths, w.config, w.env
    model, model_file = _local_model(w)
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
        stage=w.stage,
    ), model.id


def _llama_server(w: Wanted) -> tuple[Backend, str]:
    from intent.backends.llama_server import LlamaServer, ServerOptions

    paths, config, env = w.paths, w.config, w.env
    model, model_file = _local_model(w)
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
    if w.snapshots and config.get("kv_snapshot"):
        from intent.backends import snapshot
        from intent.turn import prompt

        snaps = snapshot.prepare(options, paths, config, model, probe, prompt.system_message())
    return LlamaServer(options, paths, snapshots=snaps, stage=w.stage), model.id


@dataclass(frozen=True)
class Registered:
    """One backend `--backend` can name: how it is built, and what the failover notice calls
    it (as a rung of the ladder, and as the one that answered)."""

    build: Callable[[Wanted], tuple[Backend, str]]
    label: str
    answering: str
    # a server already running (remote): doctor checks it, no local runtime or model file
    server: servers.Server | None = None
    hands_over: bool = True  # failing, it may hand over to the next rung (not the scripted mock)


def _running(server: servers.Server, label: str, answering: str) -> Registered:
    """The entry of a server that is already running: built by connecting to it."""

    def connect(w: Wanted) -> tuple[Backend, str]:
        url = w.choice.url
        return server.connect(
            servers.Reach(w.paths, w.config, w.env, w.model_flag, w.progress, base_url=url)
        )

    return Registered(connect, label, answering, server)


# every name in vocab.BackendName, once (tests/app/test_registry.py ties the two)
REGISTRY: dict[BackendName, Registered] = {
    "llama-server": Registered(_llama_server, "llama-server", "the local model"),
    "llama-cli": Registered(_one_shot, "llama-completion", "the local model (one-shot)"),
    "openai": _running(servers.OPENAI, "remote server", "the remote server"),
    "ollama": _running(servers.OLLAMA, "Ollama", "Ollama"),
    "mock": Registered(_mock, "mock", "mock", hands_over=False),
}
