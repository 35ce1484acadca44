"""Read-only tools the model may call. Each is bounded in time and output, refuses
credential stores unless the user named them, and never raises: errors become results."""

from __future__ import annotations

import fnmatch
import os
import platform
import re
import shutil
import stat as stat_mod
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intent import process
from intent.redact import is_secret_name, redact

RESULT_CAP = 4096
READ_CAP = 16384
HELP_NAME = re.compile(r"^[A-Za-z0-9._+-]+$")
CREDENTIAL_DIRS = (".ssh", ".gnupg", ".aws", ".kube", ".docker", ".netrc", ".password-store")
CREDENTIAL_GLOBS = ("*.pem", "*.key", ".env", ".env.*", "id_rsa*", "id_ed25519*", "*.p12", "*.pfx")


class ToolError(Exception):
    pass


@dataclass
class Toolbox:
    cwd: Path
    prompt: str = ""
    ask: Callable[[str], str | None] | None = None  # None: no TTY, ask_user unavailable
    timeout: float = 10

    def call(self, name: str, arguments: Any) -> str:
        """Run one tool; every failure is returned as text for the model, never raised."""
        fn = getattr(self, f"tool_{name}", None)
        if fn is None:
            return f"error: unknown tool {name!r}"
        if not isinstance(arguments, dict):
            return "error: arguments must be an object"
        try:
            out = fn(**arguments)
        except TypeError as exc:
            return f"error: bad arguments for {name}: {exc}"
        except ToolError as exc:
            return f"error: {exc}"
        except OSError as exc:
            return f"error: {exc.strerror or exc}"
        return cap(redact(out))

    # -- paths --------------------------------------------------------------------------

    def _path(self, path: Any) -> Path:
        if not isinstance(path, str) or not path:
            raise ToolError("path must be a non-empty string")
        p = Path(os.path.expanduser(path))
        p = p if p.is_absolute() else self.cwd / p
        if self._is_credential(p) and not self._named_in_prompt(path, p):
            raise ToolError(f"{path} looks like a credential store; not read unless you name it")
        return p

    @staticmethod
    def _is_credential(p: Path) -> bool:
        parts = set(p.parts)
        return any(d in parts for d in CREDENTIAL_DIRS) or any(
            fnmatch.fnmatch(p.name, g) for g in CREDENTIAL_GLOBS
        )

    def _named_in_prompt(self, raw: str, p: Path) -> bool:
        return bool(self.prompt) and (raw in self.prompt or p.name in self.prompt)

    # -- tools --------------------------------------------------------------------------

    def tool_list_dir(self, path: str = ".") -> str:
        p = self._path(path)
        entries = []
        for i, entry in enumerate(sorted(p.iterdir(), key=lambda e: e.name)):
            if i >= 200:
                entries.append("[... more entries not shown]")
                break
            kind = "/" if entry.is_dir() else ""
            try:
                size = entry.stat().st_size if not kind else 0
            except OSError:
                size = 0
            entries.append(f"{entry.name}{kind}" + (f"  {size}" if not kind else ""))
        return "\n".join(entries) or "(empty)"

    def tool_read_file(self, path: str) -> str:
        p = self._path(path)
        with open(p, "rb") as fh:
            data = fh.read(READ_CAP)
        if b"\0" in data[:1024]:
            return f"{path}: binary file, {p.stat().st_size} bytes"
        return data.decode(errors="replace")

    def tool_head_file(self, path: str, lines: int = 20) -> str:
        p = self._path(path)
        lines = max(1, min(int(lines), 200))
        out = []
        with open(p, "rb") as fh:
            for _ in range(lines):
                line = fh.readline(2000)
                if not line:
                    break
                out.append(line.decode(errors="replace").rstrip("\n"))
        return "\n".join(out)

    def tool_stat(self, path: str) -> str:
        p = self._path(path)
        st = p.stat()
        return (
            f"{path}: {stat_mod.filemode(st.st_mode)} size={st.st_size} "
            f"modified={time.strftime('%Y-%m-%d %H:%M', time.localtime(st.st_mtime))}"
        )

    def tool_which(self, name: str) -> str:
        if not isinstance(name, str) or not HELP_NAME.match(name):
            raise ToolError("name must be a plain program name")
        return shutil.which(name) or f"{name}: not found"

    def tool_help(self, name: str) -> str:
        if not isinstance(name, str) or not HELP_NAME.match(name):
            raise ToolError("name must match ^[A-Za-z0-9._+-]+$")
        if not shutil.which(name):
            return f"{name}: not installed"
        res = process.run([name, "--help"], timeout=self.timeout)
        text = res.stdout or res.stderr
        if res.returncode != 0 or not text.strip():
            man = process.run(
                ["man", "-P", "cat", name],
                timeout=self.timeout,
                env={**os.environ, "MANWIDTH": "100"},
            )
            text = man.stdout or text
        return text or f"{name}: no help available"

    def tool_grep(self, pattern: str, path: str = ".") -> str:
        p = self._path(path)
        if not isinstance(pattern, str) or not pattern:
            raise ToolError("pattern must be a non-empty string")
        rg = shutil.which("rg")
        argv = (
            [rg, "-n", "--max-count", "20", "-e", pattern, str(p)]
            if rg
            else ["grep", "-rIn", "-m", "20", "-e", pattern, str(p)]
        )
        res = process.run(argv, timeout=self.timeout)
        return res.stdout or ("no matches" if res.returncode == 1 else res.stderr)

    def tool_find_files(self, pattern: str, path: str = ".") -> str:
        p = self._path(path)
        if not isinstance(pattern, str) or not pattern:
            raise ToolError("pattern must be a non-empty glob")
        fd = shutil.which("fd") or shutil.which("fdfind")
        argv = (
            [fd, "--glob", pattern, str(p), "--max-results", "100"]
            if fd
            else ["find", str(p), "-name", pattern]
        )
        res = process.run(argv, timeout=self.timeout)
        lines = res.stdout.splitlines()[:100]
        return "\n".join(lines) or "no files found"

    def tool_env_get(self, name: str) -> str:
        if not isinstance(name, str) or not name:
            raise ToolError("name must be a variable name")
        if is_secret_name(name):
            return f"{name}: value withheld (looks secret)"
        value = os.environ.get(name)
        return f"{name}={value}" if value is not None else f"{name} is not set"

    def tool_cwd(self) -> str:
        return str(self.cwd)

    def tool_os_info(self) -> str:
        from intent.turn.prompt import read_distro

        return (
            f"{platform.system()} {platform.release()} {platform.machine()} {read_distro()}".strip()
        )

    def tool_git_status(self) -> str:
        return git_summary(self.cwd, detailed=True)

    def tool_ask_user(self, question: str) -> str:
        if self.ask is None:
            return "error: no terminal to ask the user; decide without asking"
        answer = self.ask(str(question))
        return answer if answer is not None else "(the user gave no answer)"


def cap(text: str, limit: int = RESULT_CAP) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... truncated {len(text) - limit} characters]"


def git_summary(cwd: Path, *, detailed: bool = False) -> str:
    if not shutil.which("git"):
        return "git not installed"
    res = process.run(["git", "-C", str(cwd), "status", "--porcelain=v1", "--branch"], timeout=5)
    if res.returncode != 0:
        return "not a git repository"
    lines = res.stdout.splitlines()
    branch = lines[0][3:].split("...")[0] if lines else "unknown"
    dirty = len(lines) > 1
    summary = f"branch {branch}, {'dirty' if dirty else 'clean'}"
    if detailed and dirty:
        summary += "\n" + "\n".join(lines[1:40])
    return summary
