"""Build a task's fixture, run a command in it (bwrap when available), compare with the reference.

With bwrap the whole file system is read-only except the fixture, which is mounted at the
same path the model was shown; /tmp is private and processes die with the sandbox. Without
bwrap the command runs in a throwaway copy of the fixture, and commands the guard rejects
outright are not run at all.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.tasks import Task

HERE = Path(__file__).resolve().parent
STUBS = HERE / "stubs"
MARK = "\x1e--probe--\x1e"
TIMEOUT_S = 15.0
BWRAP = shutil.which("bwrap")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench User",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench User",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_AUTHOR_DATE": "2024-05-01T10:00:00Z",
    "GIT_COMMITTER_DATE": "2024-05-01T10:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "EDITOR": "false",
    "VISUAL": "false",
}


def base_env(home: Path) -> dict[str, str]:
    return {
        "PATH": f"{STUBS}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "HOME": str(home),
        "USER": "root",
        "LOGNAME": "root",
        "LC_ALL": "C.UTF-8",
        "TZ": "UTC",
        "TERM": "dumb",
        "COLUMNS": "120",
        **GIT_ENV,
    }


def build(task: Task, where: Path) -> None:
    """The fixture for `task` in the (empty or new) directory `where`."""
    where.mkdir(parents=True, exist_ok=True)
    script = (HERE / "fixture.sh").read_text() + "\n" + task.setup
    proc = subprocess.run(
        ["bash", "-c", script],
        cwd=where,
        env=base_env(where),
        capture_output=True,
        text=True,
        timeout=60,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"fixture for {task.id} failed: {proc.stderr[-500:]}")


@dataclass
class Run:
    stdout: str
    probe: str
    code: int
    tree: dict[str, Any]
    timed_out: bool = False
    skipped: str = ""


def run(task: Task, command: str, shown_at: Path, scratch: Path) -> Run:
    """Build a fresh fixture in `scratch`, run `command` there as if at `shown_at`."""
    if scratch.exists():
        shutil.rmtree(scratch)
    build(task, scratch)
    script = (
        f"{task.prelude}\n( eval \"$1\" ) </dev/null\nstatus=$?\nprintf '\\n{MARK}\\n'\n"
        f"{task.probe}\nexit $status"
    )
    if BWRAP:
        argv = [
            BWRAP, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", "--bind", str(scratch), str(shown_at), "--chdir", str(shown_at),
            # the stand-ins again: a checkout under /tmp would be hidden by the private /tmp
            "--ro-bind", str(STUBS), str(STUBS),
            "--unshare-pid", "--die-with-parent", "--new-session",
            "bash", "-c", script, "bench", command,
        ]  # fmt: skip
        cwd, home = "/", shown_at
    else:
        from intent import safety

        if safety.assess(command).hard_reject:
            return Run("", "", 126, {}, skipped="guard rejects it and bwrap is not available")
        argv = ["bash", "-c", script, "bench", command]
        cwd, home = str(scratch), scratch
    proc = subprocess.Popen(
        argv,
        cwd=cwd,
        env=base_env(home),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    timed_out = False
    try:
        raw, _ = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
    # what the prelude or the command left in the background (a listener, a `sleep`) goes too:
    # without bwrap's pid namespace it would outlive the task and be seen by the next one
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    text = raw.decode(errors="replace")
    if not BWRAP:
        text = text.replace(str(scratch), str(shown_at))
    out, _, probe = text.partition(f"\n{MARK}\n")
    return Run(out, probe, proc.returncode, snapshot(scratch), timed_out)


def snapshot(root: Path) -> dict[str, Any]:
    """What a command may have changed: each path's type, mode, owner, links and content.
    Archives are compared by their members, not their bytes (which hold timestamps)."""
    tree: dict[str, Any] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/"):
            continue
        st = path.lstat()
        mode = stat.S_IMODE(st.st_mode)
        if stat.S_ISLNK(st.st_mode):
            target = os.readlink(path)
            resolved = os.path.normpath(os.path.join(path.parent, target))
            tree[rel] = ("link", os.path.relpath(resolved, root))
        elif stat.S_ISDIR(st.st_mode):
            tree[rel] = ("dir", mode, st.st_uid, st.st_gid)
        else:
            tree[rel] = ("file", mode, st.st_uid, st.st_gid, st.st_nlink, _content(path))
    return tree


def _content(path: Path) -> str:
    data = path.read_bytes()
    name = path.name
    try:
        if name.endswith((".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz")):
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                members = sorted(
                    (m.name.strip("./") if m.name != "." else ".", m.isdir(), _member(tar, m))
                    for m in tar.getmembers()
                )
            return "tar:" + _digest(json.dumps(members))
        if name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                zmembers = sorted(
                    (i.filename.rstrip("/"), _digest(zf.read(i)) if not i.is_dir() else "")
                    for i in zf.infolist()
                )
            return "zip:" + _digest(json.dumps(zmembers))
        if name.endswith(".gz"):
            return "gz:" + _digest(gzip.decompress(data))
        if name.endswith(".json"):
            return "json:" + _digest(json.dumps(json.loads(data), sort_keys=True))
    except (OSError, ValueError, tarfile.TarError, zipfile.BadZipFile, EOFError):
        pass
    return _digest(data)


def _member(tar: tarfile.TarFile, m: tarfile.TarInfo) -> str:
    f = tar.extractfile(m) if m.isfile() else None
    return _digest(f.read()) if f is not None else ""


def _digest(data: bytes | str) -> str:
    raw = data.encode() if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()[:16]


# -- comparing ---------------------------------------------------------------------------


def _lines(text: str, home: str) -> list[str]:
    out = []
    for line in text.replace(home + "/", "").replace(home, ".").splitlines():
        line = line.rstrip()
        if line.startswith("./"):
            line = line[2:]
        if line:
            out.append(line)
    return out


def _tokens(text: str, home: str) -> list[str]:
    toks = re.split(r"[\s,;:|\t]+", " ".join(_lines(text, home)))
    return [t.strip("\"'").removeprefix("./").rstrip("/") for t in toks if t.strip("\"'*")]


def _names(text: str, home: str, names: set[str]) -> list[str]:
    found = []
    for line in _lines(text, home):
        line = line.split(" -> ", 1)[0]  # a long listing's symlink target is not a listed name
        for part in re.split(r"[\s:\"']+|/", line):
            if part in names:
                found.append(part)
        # a name cut by whitespace splitting (`meeting notes.txt`) is matched on the whole line
        for n in names:
            if " " in n and n in line:
                found.append(n)
    return found


def _numbers(text: str) -> list[str]:
    return re.findall(r"(?<![\w.])\d+(?:\.\d+)?[KMGT]?(?![\w.])", text)


def _json_values(text: str) -> list[Any] | None:
    dec = json.JSONDecoder()
    values, i = [], 0
    text = text.strip()
    while i < len(text):
        try:
            v, end = dec.raw_decode(text, i)
        except ValueError:
            return None
        values.append(v)
        i = end
        while i < len(text) and text[i].isspace():
            i += 1
    return values


def fixture_names(tree: dict[str, Any]) -> set[str]:
    return {p.rsplit("/", 1)[-1] for p in tree}


def compare(task: Task, ref: Run, got: Run, home: str) -> tuple[bool, str]:
    """Whether `got` did what `ref` did, by each of the task's checks; a reason when not."""
    if got.skipped:
        return False, got.skipped
    if got.timed_out:
        return False, "timed out"
    names = fixture_names(ref.tree) | fixture_names(got.tree)
    for check in task.check:
        ok = CHECKS[check](task, ref, got, home, names)
        if not ok:
            return False, f"{check} differs"
    return True, ""


def _c_out(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return _lines(r.stdout, h) == _lines(g.stdout, h)


def _c_lines(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return sorted(_lines(r.stdout, h)) == sorted(_lines(g.stdout, h))


def _c_tokens(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return _tokens(r.stdout, h) == _tokens(g.stdout, h)


def _c_words(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return set(_tokens(r.stdout, h)) == set(_tokens(g.stdout, h))


def _c_names(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return set(_names(r.stdout, h, n)) == set(_names(g.stdout, h, n))


def _c_ordered(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    def dedup(xs: list[str]) -> list[str]:
        return list(dict.fromkeys(xs))

    return dedup(_names(r.stdout, h, n)) == dedup(_names(g.stdout, h, n))


def _c_numbers(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return _numbers(r.stdout) == _numbers(g.stdout)


def _c_json(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    ref = _json_values(r.stdout)
    return ref is not None and ref == _json_values(g.stdout)


def _c_effect(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return r.tree == g.tree


def _c_probe(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return _tokens(r.probe, h) == _tokens(g.probe, h)


def _c_contains(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    return all(e in g.stdout for e in t.expect)


def _c_ref_in_out(t: Task, r: Run, g: Run, h: str, n: set[str]) -> bool:
    want = " ".join(_tokens(r.stdout, h))
    return bool(want) and want in " ".join(_tokens(g.stdout, h))


CHECKS = {
    "out": _c_out,  # the same lines in the same order
    "lines": _c_lines,  # the same lines in any order
    "tokens": _c_tokens,  # the same words in the same order, whatever the separators
    "words": _c_words,  # the same set of words
    "names": _c_names,  # the same fixture file names mentioned, any order, any format
    "ordered": _c_ordered,  # the same fixture file names in the same order
    "numbers": _c_numbers,  # the same numbers in the same order
    "json": _c_json,  # the same JSON values
    "effect": _c_effect,  # the same files, modes, owners, links and contents afterwards
    "probe": _c_probe,  # the task's probe prints the same afterwards
    "contains": _c_contains,  # the output has each of `expect`
    "ref_in_out": _c_ref_in_out,  # the reference's output appears within the output
}
