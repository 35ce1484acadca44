"""What the model is told about the working directory's git repository, read from the files
under `.git` without starting git.

Why not `git status`: git reads the repository's own configuration, and a repository is data
that anyone may have written. `core.fsmonitor`, hooks, `core.pager`, clean/smudge filters and
diff drivers name programs that git runs, so `git status` in a cloned directory runs that
directory's code although the user never asked for git. Neutralising them with `-c` overrides is
a list that would have to know every code-loading key (filter drivers are named by
`.gitattributes`, so not even their keys are known in advance). Reading `HEAD`, `config` and the
index directly runs nothing: the branch comes from `HEAD`, the remote from `config`, and
"dirty" means a tracked file whose size or modification time differs from the index (or is gone)
— untracked files are not counted.
"""

from __future__ import annotations

import configparser
import os
import struct
from dataclasses import dataclass
from pathlib import Path

MAX_ENTRIES = 200_000  # a larger index is read as far as this


@dataclass(frozen=True)
class GitState:
    branch: str
    changed: tuple[str, ...]  # tracked paths modified or deleted (the first few)
    dirty: bool


def git_dir(cwd: Path) -> Path | None:
    """The repository's git directory for `cwd`, found as git finds it (upwards, `.git` a
    directory or a `gitdir:` file), or None."""
    for folder in (cwd, *cwd.parents):
        dot = folder / ".git"
        try:
            if dot.is_dir():
                return dot
            if dot.is_file():
                text = dot.read_text(errors="replace")[:4096]
                if text.startswith("gitdir:"):
                    target = Path(text[len("gitdir:") :].strip())
                    return target if target.is_absolute() else folder / target
        except OSError:
            return None
    return None


def state(cwd: Path, *, limit: int = 40) -> GitState | None:
    gdir = git_dir(cwd)
    if gdir is None:
        return None
    top = _worktree(gdir, cwd)
    changed = _changed(gdir, top, limit)
    return GitState(_branch(gdir), tuple(changed[:limit]), bool(changed))


def summary(cwd: Path, *, detailed: bool = False) -> str:
    found = state(cwd)
    if found is None:
        return "not a git repository"
    text = f"branch {found.branch}, {'dirty' if found.dirty else 'clean'}"
    if detailed and found.changed:
        text += "\n" + "\n".join(f" M {path}" for path in found.changed)
    return text


def remote_url(cwd: Path, name: str = "origin") -> str:
    gdir = git_dir(cwd)
    if gdir is None:
        return ""
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        parser.read_string((_common(gdir) / "config").read_text(errors="replace")[:65536])
    except (OSError, configparser.Error):
        return ""
    return parser.get(f'remote "{name}"', "url", fallback="").strip()


def _common(gdir: Path) -> Path:
    """A linked worktree's git directory names the shared one in `commondir`."""
    try:
        rel = (gdir / "commondir").read_text().strip()
    except OSError:
        return gdir
    return (gdir / rel).resolve()


def _worktree(gdir: Path, cwd: Path) -> Path:
    if gdir.name == ".git":
        return gdir.parent
    try:  # a linked worktree: gitdir points back at its `.git` file
        return Path((gdir / "gitdir").read_text().strip()).parent
    except OSError:
        return cwd


def _branch(gdir: Path) -> str:
    try:
        head = (gdir / "HEAD").read_text(errors="replace")[:1024].strip()
    except OSError:
        return "unknown"
    if head.startswith("ref:"):
        ref = head[4:].strip()
        return ref.removeprefix("refs/heads/") or "unknown"
    return f"(detached at {head[:7]})" if head else "unknown"


def _changed(gdir: Path, top: Path, limit: int) -> list[str]:
    """Tracked files whose size or mtime differ from the index, or that are gone. Index
    versions 2 and 3 (4 compresses paths and is read only for its count: dirty if unsure)."""
    try:
        with open(gdir / "index", "rb") as fh:
            data = fh.read(64 * 1024 * 1024)
    except OSError:
        return []  # no index yet: a new repository, nothing tracked
    if len(data) < 12 or data[:4] != b"DIRC":
        return []
    version, count = struct.unpack(">II", data[4:12])
    if version not in (2, 3):
        return []
    changed: list[str] = []
    pos = 12
    for _ in range(min(count, MAX_ENTRIES)):
        if pos + 62 > len(data):
            break
        (_cs, _cn, mtime_s, mtime_n, _dev, _ino, mode, _uid, _gid, size) = struct.unpack(
            ">10I", data[pos : pos + 40]
        )
        flags = struct.unpack(">H", data[pos + 60 : pos + 62])[0]
        head = 62 + (2 if version == 3 and flags & 0x4000 else 0)
        end = data.index(b"\0", pos + head)
        path = data[pos + head : end].decode(errors="replace")
        pos += (end - pos + 8) & ~7  # entries are NUL-padded to a multiple of eight
        if (mode >> 12) in (0o16, 0o12):  # a submodule or a symlink: not compared
            continue
        try:
            st = os.lstat(top / path)
        except OSError:
            changed.append(path)
        else:
            if st.st_size & 0xFFFFFFFF != size or int(st.st_mtime) & 0xFFFFFFFF != mtime_s:
                changed.append(path)
            elif mtime_n and st.st_mtime_ns % 1_000_000_000 != mtime_n:
                changed.append(path)
        if len(changed) > limit:
            break
    return changed
