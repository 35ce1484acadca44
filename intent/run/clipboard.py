"""Copy a proposed command to the clipboard (the `c` key at the confirm prompt)."""

from __future__ import annotations

import base64
import shutil
import sys
from collections.abc import Mapping

from intent import process

# (program and arguments, the environment variable that says its display server is there)
TOOLS: tuple[tuple[tuple[str, ...], str | None], ...] = (
    (("wl-copy",), "WAYLAND_DISPLAY"),
    (("xclip", "-selection", "clipboard"), "DISPLAY"),
    (("xsel", "--clipboard", "--input"), "DISPLAY"),
    (("pbcopy",), None),
)


def copy_tool(env: Mapping[str, str]) -> tuple[str, ...] | None:
    """The first clipboard program that is installed and has a display to talk to."""
    for argv, needs in TOOLS:
        if needs is not None and not env.get(needs):
            continue
        if argv[0] == "pbcopy" and sys.platform != "darwin":
            continue
        found = shutil.which(argv[0])
        if found:
            return (found, *argv[1:])
    return None


def copy(text: str, env: Mapping[str, str]) -> str | None:
    """Copy with a clipboard program; the program's name, or None when none worked
    (the caller then asks the terminal to do it with OSC 52)."""
    argv = copy_tool(env)
    if argv is not None and process.feed(argv, text):
        return argv[0].rsplit("/", 1)[-1]
    return None


def osc52(text: str) -> str:
    """The escape sequence that asks the terminal itself to set the clipboard (works over ssh
    in most terminals; the ones that do not support it ignore it)."""
    return f"\033]52;c;{base64.b64encode(text.encode()).decode()}\a"
