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
    "version",
)


def version_text() -> str:
    import contextlib
    import json

    from intent import __version__

    lines = [f"intent {__version__}"]
    with contextlib.suppress(Exception):  # the version must always print
        from intent import paths
        from intent.config import Config

        p = paths.resolve()
        info = p.runtime_dir / "build.json"
        if info.exists():
            lines.append(
                f"llama.cpp: {json.loads(info.read_text()).get('version', 'unknown')} (managed)"
            )
        lines.append(f"model: {Config(p.config_file).get('model')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("--version", "-V"):
        print(version_text())
        sys.exit(0)
    from intent.cli import app

    sys.exit(app.dispatch(args))
