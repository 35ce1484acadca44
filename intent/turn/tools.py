"""Read-only tools the model may call. The model may be a remote server, so a tool result is
something that leaves the machine: every path is resolved (symlinks included) before it is
judged, credential stores and key files are refused by their resolved path whatever the request
says (and skipped by `grep` and `find_files`), only regular files are read (never a device, FIFO
or socket, nor `/proc/*/environ`), every tool has a time bound, arguments are checked, and
results are redacted. A tool never raises: every failure is a result the model can read."""

from __future__ import annotations

import fnmatch
import inspect
import os
import platform
import re
import shutil
import stat as stat_mod
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intent import confine, process
from intent.explain import lookup
from intent.redact import holds_secret, is_secret_name, redact

RESULT_CAP = 4096
READ_CAP = 16384
ARG_CAP = 4096
HELP_NAME = re.compile(r"^[A-Za-z0-9._+][A-Za-z0-9._+-]*$")  # no leading dash: not an option
# any path below one of these is a credential store
CREDENTIAL_DIRS = (
    ".ssh",
    ".gnupg",
    ".aws",
    ".azure",
    ".kube",
    ".docker",
    ".password-store",
    "gcloud",
    ".vault-token",
    ".password-store",
    "keyrings",
    ".gh",
)
CREDENTIAL_GLOBS = (
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "*.kdbx",
    ".env",
    ".env.*",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".pgpass",
    ".my.cnf",
    ".npmrc",
    ".pypirc",
    "credentials",
    "credentials.json",
    "*.tfstate",
    "hosts.yml",  # gh's token store
    ".envrc",
    ".env.local",
    "*.env",
    "*_history",  # .bash_history, .python_history, .mysql_history, .psql_history, fish_history
    ".history",
    ".sh_history",
    ".lesshst",
    ".viminfo",
    "kubeconfig",
    "kubeconfig.*",
    "*.kubeconfig",
    "shadow",
    "shadow-",
    "gshadow",
    "gshadow-",
    ".boto",
    ".s3cfg",
    ".htpasswd",
    "*.ovpn",
    ".vault-token",
    "secrets.yml",
    "secrets.yaml",
    "secrets.json",
    "*.tfvars",
    ".terraformrc",
    "terraform.rc",
)
# /proc entries that hold another process's environment or memory
# (`cmdline` holds other programs' arguments, passwords given on command lines included)
PROC_SECRET = re.compile(r"^/proc/(?:[^/]+/)*(?:environ|mem|auxv|pagemap|kcore|cmdline)$")
# a kubeconfig (any name) that holds keys, tokens or an exec plugin
KUBECONFIG_SECRET = re.compile(
    r"(?m)^\s*(client-key-data|client-certificate-data|token|password|auth-provider|exec):"
)
MATCH_LINE = re.compile(r"^(.*?):(\d+):")


class ToolError(Exception):
    pass


def is_credential(path: str | Path) -> bool:
    """A credential store or key file, judged by the path's own parts (resolve it first), or
    anything the confinement hides (confine.HOME_SECRETS: the two lists cannot drift apart)."""
    p = Path(path)
    if any(part in CREDENTIAL_DIRS for part in p.parts) or any(
        fnmatch.fnmatch(p.name, g) for g in CREDENTIAL_GLOBS
    ):
        return True
    home = Path.home()
    hidden = (home / rel for rel in confine.HOME_SECRETS)
    return any(p == h or h in p.parents for h in hidden)


@dataclass
class Toolbox:
    cwd: Path
    ask: Callable[[str], str | None] | None = None  # None: no TTY, ask_user unavailable
    timeout: float = 10

    def call(self, name: str, arguments: Any) -> str:
        """Run one tool; every failure is returned as text for the model, never raised."""
        fn = getattr(self, f"tool_{name}", None) if isinstance(name, str) else None
        if fn is None:
            return f"error: unknown tool {name!r}"
        if not isinstance(arguments, dict):
            return "error: arguments must be an object"
        try:
            args = _checked(name, fn, arguments)
            out = fn(**args) if name == "ask_user" else self._bounded(name, fn, args)
        except ToolError as exc:
            return f"error: {exc}"
        except OSError as exc:
            return f"error: {exc.strerror or exc}"
        except Exception as exc:  # a tool must never take `i` down; the model reads the error
            return f"error: {name} failed: {type(exc).__name__}"
        return cap(redact(out))

    def _bounded(self, name: str, fn: Callable[..., str], args: dict[str, Any]) -> str:
        """Run a tool with a time bound. A read that blocks in the kernel cannot be cancelled,
        so the worker is a daemon thread that is abandoned, and the model gets an error."""
        box: list[str | BaseException] = []

        def work() -> None:
            try:
                box.append(fn(**args))
            except BaseException as exc:  # handed to the caller's thread below
                box.append(exc)

        worker = threading.Thread(target=work, name=f"tool-{name}", daemon=True)
        worker.start()
        worker.join(self.timeout + 1)
        if not box:
            raise ToolError(f"{name} took longer than {self.timeout:g}s and was abandoned")
        if isinstance(box[0], BaseException):
            raise box[0]
        return box[0]

    # -- paths --------------------------------------------------------------------------

    def _path(self, path: Any) -> Path:
        """The resolved path, or ToolError when it leads to a credential store or /proc secret."""
        if not isinstance(path, str) or not path:
            raise ToolError("path must be a non-empty string")
        p = Path(os.path.expanduser(path))
        p = p if p.is_absolute() else self.cwd / p
        resolved = Path(os.path.realpath(p))
        if is_credential(p) or is_credential(resolved):
            # the request is not wrong for naming one (`ssh -i ~/.ssh/key host` is fine): only
            # its contents stay out of the conversation
            raise ToolError(
                f"{path} is (or leads to) a credential store or key file: its contents are "
                "not read, but a command may still name it"
            )
        if PROC_SECRET.match(str(resolved)) or PROC_SECRET.match(os.path.normpath(p)):
            raise ToolError(f"{path} holds a process's environment or memory; not read")
        return resolved

    def _open_regular(self, path: str) -> tuple[int, os.stat_result]:
        """Open without blocking or taking a terminal, and only if it is a regular file."""
        p = self._path(path)
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        st = os.fstat(fd)
        if not stat_mod.S_ISREG(st.st_mode):
            os.close(fd)
            kind = _kind(st.st_mode)
            raise ToolError(f"{path} is a {kind}, not a regular file; not read")
        os.set_blocking(fd, True)
        return fd, st

    def _visible_lines(self, output: str) -> str:
        """Drop `path:line:` matches whose file is a credential store (a symlink included)."""
        kept = []
        for line in output.splitlines():
            m = MATCH_LINE.match(line)
            name = m.group(1) if m else line
            target = Path(name) if os.path.isabs(name) else self.cwd / name
            if is_credential(target) or is_credential(os.path.realpath(target)):
                continue
            kept.append(line)
        return "\n".join(kept)

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
        fd, st = self._open_regular(path)
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(READ_CAP)
        if b"\0" in data[:1024]:
            return f"{path}: binary file, {st.st_size} bytes"
        return _not_a_secret_store(path, data.decode(errors="replace"))

    def tool_head_file(self, path: str, lines: int = 20) -> str:
        fd, _ = self._open_regular(path)
        lines = max(1, min(lines, 200))
        out = []
        with os.fdopen(fd, "rb") as fh:
            for _ in range(lines):
                line = fh.readline(2000)
                if not line:
                    break
                out.append(line.decode(errors="replace").rstrip("\n"))
        return _not_a_secret_store(path, "\n".join(out))

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
            raise ToolError("name must match ^[A-Za-z0-9._+][A-Za-z0-9._+-]*$")
        if not shutil.which(name):
            return f"{name}: not installed"
        # the name came from the model: the program runs only inside the confinement
        text, code = lookup.confined_help([name, "--help"])
        if code != 0 or not text.strip():
            man = process.run(
                ["man", "-P", "cat", "--", name],
                timeout=self.timeout,
                env={**os.environ, "MANWIDTH": "100"},
            )
            text = man.stdout or text
        return text or f"{name}: no help available"

    def tool_grep(self, pattern: str, path: str = ".") -> str:
        p = self._path(path)
        if not pattern:
            raise ToolError("pattern must be a non-empty string")
        rg = shutil.which("rg")
        if rg:
            skip = [a for d in CREDENTIAL_DIRS for a in ("-g", f"!{d}")]
            skip += [a for g in CREDENTIAL_GLOBS for a in ("-g", f"!{g}")]
            argv = [rg, "-n", "-H", "--no-messages", "--max-count", "20", *skip]
        else:
            skip = [f"--exclude-dir={d}" for d in CREDENTIAL_DIRS]
            skip += [f"--exclude={g}" for g in CREDENTIAL_GLOBS]
            argv = ["grep", "-rIHn", "-s", "-D", "skip", "-m", "20", *skip]
        res = process.run([*argv, "-e", pattern, "--", str(p)], timeout=self.timeout)
        found = self._visible_lines(res.stdout)
        if found:
            return found
        if res.timed_out:
            return f"no matches within {self.timeout:g}s"
        return "no matches" if res.returncode in (0, 1) else res.stderr

    def tool_find_files(self, pattern: str, path: str = ".") -> str:
        p = self._path(path)
        if not pattern:
            raise ToolError("pattern must be a non-empty glob")
        fd = shutil.which("fd") or shutil.which("fdfind")
        argv = (
            [fd, "--glob", "--max-results", "100", "--", pattern, str(p)]  # "-x" is not an option
            if fd
            else ["find", str(p), "-name", pattern]
        )
        res = process.run(argv, timeout=self.timeout)
        lines = self._visible_lines("\n".join(res.stdout.splitlines()[:100]))
        return lines or "no files found"

    def tool_env_get(self, name: str) -> str:
        if not name:
            raise ToolError("name must be a variable name")
        if is_secret_name(name):
            return f"{name}: value withheld (looks secret)"
        value = os.environ.get(name)
        if value is None:
            return f"{name} is not set"
        # a known format (a webhook URL, a token, user:password@) is masked where it stands;
        # a random-looking value the redactor has no rule for is withheld whole
        shown = redact(f"{name}={value}")
        if shown == f"{name}={value}" and holds_secret(value):
            return f"{name}: value withheld (looks secret)"
        return shown

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


def _not_a_secret_store(path: str, text: str) -> str:
    """A file read by its contents: a kubeconfig holding keys is a credential store whatever
    its name."""
    if re.search(r"(?m)^kind:\s*Config\b", text) and KUBECONFIG_SECRET.search(text):
        raise ToolError(f"{path} is a kubeconfig holding credentials: its contents are not read")
    return text


def _kind(mode: int) -> str:
    if stat_mod.S_ISFIFO(mode):
        return "FIFO"
    if stat_mod.S_ISSOCK(mode):
        return "socket"
    if stat_mod.S_ISCHR(mode) or stat_mod.S_ISBLK(mode):
        return "device"
    if stat_mod.S_ISDIR(mode):
        return "directory"
    return "special file"


def _checked(name: str, fn: Callable[..., str], arguments: dict[str, Any]) -> dict[str, Any]:
    """The arguments, checked against the tool's signature: known names, required ones present,
    strings without NUL and of sane length, whole numbers (a digit string is accepted)."""
    params = inspect.signature(fn).parameters
    unknown = [k for k in arguments if k not in params]
    if unknown:
        raise ToolError(f"{name} takes no argument {unknown[0]!r}; it takes: {', '.join(params)}")
    missing = [
        k for k, v in params.items() if v.default is inspect.Parameter.empty and k not in arguments
    ]
    if missing:
        raise ToolError(f"{name} needs the argument {missing[0]!r}")
    out: dict[str, Any] = {}
    for key, value in arguments.items():
        if params[key].annotation in (int, "int"):
            if isinstance(value, str) and value.strip().isdigit():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ToolError(f"{name}: {key} must be a whole number, not {value!r}"[:200])
        else:
            if not isinstance(value, str):
                raise ToolError(f"{name}: {key} must be a string, not {type(value).__name__}")
            if "\0" in value:
                raise ToolError(f"{name}: {key} contains a NUL character")
            if len(value) > ARG_CAP:
                raise ToolError(f"{name}: {key} is longer than {ARG_CAP} characters")
        out[key] = value
    return out


def cap(text: str, limit: int = RESULT_CAP) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n[... truncated {len(text) - limit} characters]"


def git_summary(cwd: Path, *, detailed: bool = False) -> str:
    """Branch and dirty or not, read from `.git` without starting git (turn/gitstate says why)."""
    from intent.turn import gitstate

    return gitstate.summary(cwd, detailed=detailed)
