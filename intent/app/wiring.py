"""Build the engine and its parts from settings. Tests call these with fakes.

`resolve_backend()` explains itself: it returns the backend's name and why it was chosen.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from intent.app import servers
from intent.backends.base import Backend
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
    model_name, _ = requested_model(model_flag, config, env)
    try:
        has_model = models.resolve(paths, model_name, "").path.is_file()
    except UsageError:  # not a local model; a server may know the name (`--model llama3.2`)
        has_model = False
    server = runtime.find_binary(runtime.SERVER, paths, config, env)
    if server and has_model and os.access(server.path, os.X_OK):
        return Choice("llama-server", f"auto: llama-server from {server.source}")
    running = servers.find_running(paths, config, env)
    if running:
        return Choice(*running)
    one_shot = runtime.find_one_shot(paths, config, env)
    if one_shot and has_model and os.access(one_shot.path, os.X_OK):
        return Choice("llama-cli", f"auto: {one_shot.path.name} from {one_shot.source}")
    missing = "model" if not has_model else "llama.cpp runtime"
    return Choice("mock", f"auto: no {missing} installed and no server answers", simulated=True)


def build_backend(
    choice: Choice,
    paths: Paths,
    config: Config,
    env: dict[str, str] | None = None,
    model_flag: str | None = None,
    snapshots: bool = True,
    progress: Callable[[str], None] | None = None,
) -> tuple[Backend, str]:
    """The backend object and the model id it uses. `progress` shows waits for a busy server."""
    env = dict(os.environ) if env is None else env
    if choice.backend == "mock":
        from intent.backends.mock import SIMULATED, MockBackend

        script = env.get("INTENT_MOCK_SCRIPT")
        if script:
            return MockBackend.from_file(script), "mock"
        if choice.simulated:
            return MockBackend([SIMULATED], simulated=True), "none"
        raise UsageError("--backend mock needs INTENT_MOCK_SCRIPT (a JSON array of replies)")
    if choice.backend in servers.REMOTE:
        return servers.build(choice.backend, paths, config, env, model_flag, progress)
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
    return LlamaServer(options, paths, snapshots=snaps), model.id
