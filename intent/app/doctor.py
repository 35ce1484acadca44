"""Diagnose the install: each check says what it found and, when failing, the exact fix."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from intent import process
from intent.app import servers, wiring
from intent.app.checks import Check
from intent.errors import IntentError
from intent.llamacpp import find as runtime
from intent.llamacpp import gguf
from intent.models import catalog as models
from intent.reply import schema
from intent.settings import config as config_mod
from intent.settings import paths, shell


def _existing(path: Path) -> Path:
    while not path.exists():
        path = path.parent
    return path


def _writable(path: Path) -> bool:
    """Writable, or creatable: the nearest existing ancestor is writable."""
    return os.access(_existing(path), os.W_OK)


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    where = shutil.which("i")
    detail = f"Python {sys.version.split()[0]}; `i` " + (
        f"at {where}" if where else "is not on $PATH"
    )
    fix = (
        None
        if ok and where
        else ("install Python 3.11+" if not ok else 'export PATH="$HOME/.local/bin:$PATH"')
    )
    return Check("python", ok and bool(where), detail, fix)


def check_dirs(p: paths.Paths, fix: bool) -> Check:
    bad = []
    made = []
    for d in (p.config_dir, p.state_dir, p.cache_dir, p.data_dir):
        if fix and not d.exists() and _writable(d):
            d.mkdir(parents=True, exist_ok=True)
            made.append(str(d))
        if not _writable(d):
            bad.append(str(d))
    detail = (
        "config, state, cache and data dirs writable"
        if not bad
        else f"not writable: {', '.join(bad)}"
    )
    if made:
        detail += f" (created {len(made)})"
    return Check("directories", not bad, detail, f"chmod u+w {' '.join(bad)}" if bad else None)


def check_config(p: paths.Paths) -> Check:
    try:
        raw = config_mod.read_raw(p.config_file)
    except IntentError as exc:
        return Check("config", False, exc.message, "i config edit")
    found = config_mod.problems(raw)
    if found:
        return Check("config", False, "; ".join(found), "i config edit  (or i config unset KEY)")
    return Check(
        "config",
        True,
        f"{p.config_file} valid" if p.config_file.exists() else "defaults (no config.toml)",
    )


def check_backend(p: paths.Paths, cfg: config_mod.Config) -> tuple[Check, wiring.Choice | None]:
    try:
        choice = wiring.resolve_backend(None, p, cfg)
    except IntentError as exc:
        return Check("backend", False, exc.message, "i config set backend auto"), None
    if choice.simulated:
        return Check(
            "backend", False, f"mock ({choice.source}): answers would be simulated", "i init"
        ), choice
    return Check("backend", True, f"{choice.backend} ({choice.source})"), choice


def check_servers(p: paths.Paths, cfg: config_mod.Config) -> Check:
    """What runs on the usual ports (LM Studio, llama-server/llamafile, vLLM), and which
    backends the circuit breaker holds down after a failure: facts, never a failure."""
    found = servers.discover(p) if cfg.get("discover") else []
    seen = ", ".join(f"{what} at {url}" for what, url in found) or "none on the usual ports"
    if not cfg.get("discover"):
        seen = "not looked for (discover = false)"
    held = wiring.breaker_for(p, cfg).held()
    down = "; ".join(f"{d.key} down until {d.until_text()} ({d.why})" for d in held)
    detail = f"running servers: {seen}" + (f"; {down}" if down else "")
    fix = f"wait, or clear it: rm {wiring.breaker_for(p, cfg).path}" if held else None
    return Check("servers", True, detail, fix, optional=True)


def check_binary(
    name: str, p: paths.Paths, cfg: config_mod.Config, *, optional: bool = False
) -> Check:
    found = (
        runtime.find_one_shot(p, cfg)
        if name == runtime.ONE_SHOT
        else runtime.find_binary(name, p, cfg)
    )
    if found is None or not (found.path.is_file() and os.access(found.path, os.X_OK)):
        where = f" ({found.path} from {found.source} is missing)" if found else ""
        return Check(name, False, f"not found{where}", "i runtime install", optional)
    ran = process.run([str(found.path), "--version"], timeout=15)
    if ran.returncode != 0 or "version" not in (ran.stdout + ran.stderr).lower():
        return Check(
            name,
            False,
            f"{found.path} ({found.source}) does not run: `--version` exited {ran.returncode}",
            "i runtime install  (or point INTENT_LLAMA_SERVER / runtime.llama_server at a "
            "working binary)",
            optional,
        )
    pr = runtime.probe(found.path, p)
    feats = [
        f
        for f in ("--no-webui", "--slot-save-path", "--swa-full", "--grammar", "-st")
        if pr.supports(f)
    ]
    devices = "unknown" if pr.devices is None else ", ".join(pr.devices) or "none (CPU only)"
    start = " ".join(pr.load_args(repack=cfg.get("repack"))) or "none"
    return Check(
        name,
        True,
        f"{found.path} ({found.source}), version {pr.version}, flags: {' '.join(feats) or 'none'}"
        f"; GPU devices: {devices}; start-up flags: {start}",
        optional=optional,
    )


def check_model(p: paths.Paths, cfg: config_mod.Config) -> Check:
    from intent.models import pull

    name, source = wiring.requested_model(None, cfg, dict(os.environ))
    try:
        m = models.resolve(p, name, source)
    except IntentError as exc:
        return Check("model", False, exc.message, "i model list")
    if not m.path.is_file():
        return Check(
            "model",
            False,
            f"{m.id} not installed ({m.path})",
            f"i model pull {m.id}" if m.entry else "i model use ID",
        )
    size = m.path.stat().st_size
    if m.entry and m.entry.size and size != m.entry.size:
        return Check(
            "model",
            False,
            f"{m.path.name} has {size} bytes, expected {m.entry.size} (truncated or altered)",
            f"i model pull {m.id} --force",
        )
    expected = pull.expected_hash(p, m.entry) if m.entry else None
    verified = models.verified_stamp(p, m.path, expected)
    if verified is False:
        return Check(
            "model",
            False,
            f"{m.path.name}: sha256 does not match the catalog (file altered or corrupt)",
            f"i model pull {m.id} --force",
        )
    try:
        header = gguf.read_header(m.path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        return Check(
            "model",
            False,
            f"{m.path} is not a usable GGUF model: {exc}",
            f"i model pull {m.id} --force" if m.entry else "i model use ID  (a .gguf file)",
        )
    state = "sha256 verified" if verified else "no known sha256"
    return Check(
        "model", True, f"{m.id}: {m.path} ({size / 1e6:.0f} MB, {header.architecture}, {state})"
    )


def check_resources(p: paths.Paths, cfg: config_mod.Config) -> Check:
    name, _ = wiring.requested_model(None, cfg, dict(os.environ))
    entry = models.all_entries(p).get(name)
    ram = models.total_ram_gb()
    need = entry.min_ram_gb if entry else 2.0
    free_disk = shutil.disk_usage(_existing(p.data_dir)).free / 1e9
    ok = ram == 0 or ram >= need
    detail = f"RAM {ram:.1f} GB (model needs ~{need:.1f} GB); disk free {free_disk:.1f} GB"
    return Check(
        "resources",
        ok and free_disk > 0.5,
        detail,
        None if ok else "choose a smaller model: i model list",
    )


def check_stale(p: paths.Paths, fix: bool) -> Check:
    from intent.backends.llama_server import cleanup_stale

    stale = cleanup_stale(p, kill=fix)
    if not stale:
        return Check("stale children", True, "no leftover llama-server processes")
    pids = ", ".join(str(s["pid"]) for s in stale)
    if fix:
        return Check("stale children", True, f"removed leftover llama-server process(es): {pids}")
    return Check(
        "stale children",
        False,
        f"leftover llama-server process(es) from a killed `i`: {pids}",
        "i doctor --fix",
    )


def check_trust(p: paths.Paths) -> Check:
    from intent.settings import trust

    seen = trust.untrusted_seen(p)
    if not seen:
        return Check(".intentrc", True, "no untrusted .intentrc seen", optional=True)
    return Check(
        ".intentrc",
        True,
        f"ignored (not trusted): {', '.join(seen[:5])}" + (" …" if len(seen) > 5 else ""),
        "i trust DIR  (after reading its .intentrc)",
        optional=True,
    )


def check_sandbox(cfg: config_mod.Config | None = None) -> Check:
    """The confinement: whether what runs unasked (Enter, -y) runs in the read-only view here,
    which the `confine` setting makes of it, and how to fix it when it does not work."""
    from intent import confine

    mode = cfg.get("confine") if cfg is not None else "auto"
    st = confine.status()
    if mode == "never":
        return Check(
            "confinement",
            True,
            "off (confine = never): Enter and -y run unconfined",
            "i config set confine auto",
            optional=True,
        )
    if st.works:
        return Check(
            "confinement",
            True,
            f"{st.reason}: Enter and -y run in a read-only view (confine = {mode})",
        )
    if mode == "always":
        return Check(
            "confinement",
            False,
            f"{st.reason}; confine = always, so nothing runs unasked (exit 6)",
            st.fix or None,
        )
    return Check(
        "confinement",
        False,
        f"{st.reason}; Enter and -y run unconfined (confine = auto)",
        st.fix or None,
        optional=True,
    )


def check_trial(cfg: config_mod.Config | None = None) -> Check:
    """The trial run (intent/trial.py): a proposed command tried on a throwaway overlay of the
    working directory before it is shown. Tried here on an empty directory."""
    import tempfile

    from intent import safety, trial

    if cfg is not None and not cfg.get("trial"):
        return Check(
            "trial run", True, "off (trial = false)", "i config set trial true", optional=True
        )
    with tempfile.TemporaryDirectory(prefix="intent-doctor-") as tmp:
        outcome = trial.run("true", Path(tmp), safety.assess("true"))
    if outcome.ran and outcome.exit_code == 0:
        return Check(
            "trial run",
            True,
            f"proposals are tried on a throwaway copy first ({outcome.ms:.0f} ms here)",
        )
    why = outcome.skipped or f"exit {outcome.exit_code}: {outcome.stderr.strip()[:120]}"
    return Check(
        "trial run",
        False,
        f"no trial on a copy here ({why}); proposals are checked without running them",
        "install bubblewrap and util-linux (unshare); allow unprivileged user namespaces",
        optional=True,
    )


def check_shell() -> Check:
    name = Path(os.environ.get("SHELL", "")).name
    if name not in shell.SNIPPETS:
        return Check(
            "shell integration",
            True,
            f"shell {name or 'unknown'}: no integration available",
            optional=True,
        )
    if shell.installed(name):
        return Check("shell integration", True, f"installed for {name}", optional=True)
    return Check(
        "shell integration",
        True,
        f"not installed for {name} (optional)",
        f"echo '{shell.rc_line(name)}' >> {shell.RC_FILES[name]}",
        optional=True,
    )


def smoke(p: paths.Paths, cfg: config_mod.Config) -> Check:
    """Start the request-scoped server, one schema-constrained completion, stop."""
    from intent.backends.llama_server import LlamaServer

    try:
        backend, model_id = wiring.build_backend(
            wiring.Choice("llama-server", "doctor"), p, cfg, snapshots=False
        )
    except IntentError as exc:
        return Check(
            "smoke test",
            False,
            exc.message,
            exc.hint.replace("Run ", "").strip("`.") if exc.hint else None,
        )
    assert isinstance(backend, LlamaServer)
    started = time.monotonic()
    try:
        backend.start()
        ready = time.monotonic() - started
        c = backend.complete(
            [
                {"role": "system", "content": "Reply with JSON."},
                {"role": "user", "content": "Request: list the files here"},
            ],
            schema.RESPONSE_SCHEMA,
            max_tokens=96,
        )
        answer = time.monotonic() - started - ready
        schema.validate(c.text)
    except IntentError as exc:
        return Check(
            "smoke test", False, exc.message.splitlines()[0], "i doctor -v; see the server log"
        )
    finally:
        backend.close()
    return Check(
        "smoke test",
        True,
        f"{model_id}: ready in {ready:.1f}s, schema-valid answer in {answer:.1f}s",
    )


def run(*, quick: bool, fix: bool, on_check: Callable[[Check], None] | None = None) -> list[Check]:
    p = paths.resolve()
    checks: list[Check] = []

    def add(c: Check) -> None:
        checks.append(c)
        if on_check:
            on_check(c)

    add(check_python())
    add(check_dirs(p, fix))
    add(check_config(p))
    try:
        cfg = config_mod.Config(p.config_file)
    except IntentError:
        cfg = config_mod.Config(p.config_file, raw={})
    backend_check, choice = check_backend(p, cfg)
    add(backend_check)
    add(check_servers(p, cfg))
    server = wiring.REGISTRY[choice.backend].server if choice is not None else None
    if choice is not None and server is not None:
        # a running server needs no local runtime or model file: check it instead
        from intent.app import doctor_remote

        for c in doctor_remote.checks(choice, server, p, cfg, quick=quick):
            add(c)
        add(check_sandbox(cfg))
        add(check_trial(cfg))
        add(check_shell())
        return checks
    add(check_binary(runtime.SERVER, p, cfg))
    add(check_binary(runtime.ONE_SHOT, p, cfg, optional=True))
    add(check_model(p, cfg))
    add(check_resources(p, cfg))
    add(check_stale(p, fix))
    add(check_sandbox(cfg))
    add(check_trial(cfg))
    add(check_trust(p))
    add(check_shell())
    if not quick:
        if all(c.ok for c in checks if c.name in (runtime.SERVER, "model")):
            add(smoke(p, cfg))
        else:
            add(
                Check(
                    "smoke test",
                    False,
                    "skipped: llama-server or the model is missing",
                    "fix the checks above",
                )
            )
    return checks
