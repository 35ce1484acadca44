"""Entry point. Dispatch happens here, before Typer is imported, so `i --version` stays cheap.

The first argument selects a subcommand only when it equals a subcommand name exactly;
everything else is natural-language mode, where flags are read only before the prompt.
"""

from __future__ import annotations

import sys

SUBCOMMANDS = (
    "explain",
    "doctor",
    "model",
    "runtime",
    "init",
    "config",
    "history",
    "fix",
    "shell-init",
    "shell-report",
    "trust",
    "version",
)


def _light_dirs() -> tuple[str, str]:
    """(data dir, config dir) without importing platformdirs, dataclasses or tomllib: `i --version`
    must cost little more than starting Python. Matches `paths.resolve()` on Linux."""
    import os

    home = os.environ.get("INTENT_HOME")
    if home:
        return os.path.join(home, "data"), os.path.join(home, "config")
    if sys.platform.startswith("linux"):
        user = os.path.expanduser("~")
        data = os.environ.get("XDG_DATA_HOME") or os.path.join(user, ".local", "share")
        conf = os.environ.get("XDG_CONFIG_HOME") or os.path.join(user, ".config")
        return os.path.join(data, "intent"), os.path.join(conf, "intent")
    from intent.settings import paths

    p = paths.resolve()
    return str(p.data_dir), str(p.config_dir)


def version_text() -> str:
    """The version, plus the managed llama.cpp build and the configured model when known."""
    import json
    import os

    from intent import __version__

    lines = [f"intent {__version__}"]
    data_dir, config_dir = _light_dirs()
    try:
        with open(os.path.join(data_dir, "runtime", "build.json")) as fh:
            lines.append(f"llama.cpp: {json.load(fh).get('version', 'unknown')} (managed build)")
    except (OSError, ValueError):
        pass
    model = os.environ.get("INTENT_MODEL")
    if not model:
        try:
            with open(os.path.join(config_dir, "config.toml")) as fh:
                for line in fh:
                    if line.startswith("["):
                        break  # only the top-level table holds `model`
                    key, _, value = line.partition("=")
                    if key.strip() == "model":
                        model = value.strip().strip('"')
        except OSError:
            pass
    from intent.vocab import DEFAULT_MODEL  # typing only: `--version` stays cheap

    lines.append(f"model: {model or DEFAULT_MODEL}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        print(version_text())
        sys.exit(0)
    if args and args[0] == "shell-report":  # after every command the shell function ran: light
        from intent.run.shell_status import report

        sys.exit(report(args[1:]))
    _import_plain_typer()
    from intent.cli import app

    sys.exit(app.dispatch(args))


def _import_plain_typer() -> None:
    """Typer without rich: plain help, one-line usage errors, and a faster start. The variable
    is read once at import and removed again, so commands `i` runs never see it."""
    import os

    if "typer" in sys.modules or "TYPER_USE_RICH" in os.environ:
        return
    os.environ["TYPER_USE_RICH"] = "0"
    try:
        import typer  # noqa: F401
    finally:
        del os.environ["TYPER_USE_RICH"]
