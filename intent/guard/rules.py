"""The guard's per-utility rules and the argument helpers they share.

Each rule gets the utility's name, its arguments (wrappers already stripped), the accumulator
and the context. Nested commands (`find -exec`, `sh -c`) go back to the walk through
`acc.script` / `acc.simple`, so this module does not import `safety`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from intent.guard.parser import Simple, parse
from intent.guard.words import (
    DISK,
    HARMLESS_TARGETS,
    NETWORK,
    PRIV,
    SYSTEM_DIRS,
)

LEVELS = ("safe", "network", "mutates", "destructive", "sudo")


def rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS) - 1


def higher(a: str, b: str) -> str:
    return a if rank(a) >= rank(b) else b


@dataclass(frozen=True)
class Verdict:
    risk: str
    hard_reject: bool
    reasons: list[str] = field(default_factory=list)


@dataclass
class Findings:
    """What the walk has found so far; `script`/`simple` let a rule assess nested commands."""

    script: Callable[[str, Context, int], None]
    simple: Callable[[Simple, Context, int], None]
    risk: str = "safe"
    hard: bool = False
    reasons: list[str] = field(default_factory=list)

    def raise_to(self, level: str, reason: str) -> None:
        self.risk = higher(self.risk, level)
        if reason not in self.reasons:
            self.reasons.append(reason)

    def reject(self, reason: str) -> None:
        self.hard = True
        self.raise_to("destructive", f"refused: {reason}")


@dataclass(frozen=True)
class Context:
    cwd: str | None = None
    home: str | None = None
    exists: Callable[[str], bool] | None = None


def base_name(word: str) -> str:
    name = posixpath.basename(word) if "/" in word else word
    return name


def unwrap(argv: list[str]) -> tuple[list[str], list[str]]:
    """Strip wrappers; return the wrapped command and the wrapper names seen."""
    seen: list[str] = []
    argv = list(argv)
    while argv:
        name = base_name(argv[0])
        rest = argv[1:]
        if name in PRIV:
            seen.append(name)
            if name == "su":
                # su -c 'cmd' [user]
                if "-c" in rest and rest.index("-c") + 1 < len(rest):
                    return ["sh", "-c", rest[rest.index("-c") + 1]], seen
                return ["sh"], seen
            argv = skip_options(
                rest,
                with_arg=frozenset("-u -g -C -D -p -r -t -U -h --user --group --chdir".split()),
            )
        elif name == "env":
            seen.append(name)
            i = 0
            while i < len(rest):
                tok = rest[i]
                if tok in ("-u", "--unset", "-C", "--chdir"):
                    i += 2
                elif tok in ("-S", "--split-string") and i + 1 < len(rest):
                    rest = rest[:i] + rest[i + 1].split() + rest[i + 2 :]
                elif tok.startswith("-") or ("=" in tok and not tok.startswith("=")):
                    i += 1
                else:
                    break
            argv = rest[i:]
        elif name in ("nice", "ionice", "chrt", "taskset", "stdbuf"):
            seen.append(name)
            argv = skip_options(rest, with_arg={"-n", "-c", "-p", "-o", "-e", "-i", "--adjustment"})
            if name in ("chrt", "taskset") and argv and argv[0][:1].isdigit():
                argv = argv[1:]
        elif name in ("nohup", "exec", "builtin", "command", "time", "caffeinate", "unbuffer"):
            if name == "command" and rest[:1] and rest[0] in ("-v", "-V"):
                return [], seen
            seen.append(name)
            argv = skip_options(rest, with_arg=set())
        elif name == "timeout":
            seen.append(name)
            argv = skip_options(rest, with_arg={"-s", "--signal", "-k", "--kill-after"})
            argv = argv[1:]  # the duration
        elif name == "xargs":
            seen.append(name)
            argv = skip_options(
                rest,
                with_arg=frozenset(
                    "-n -I -i -P -d -L -s -a -E --max-args --delimiter --arg-file --max-procs --replace".split()
                ),
            )
            if not argv:
                argv = ["echo"]
        elif name == "watch":
            seen.append(name)
            argv = skip_options(rest, with_arg={"-n", "--interval", "-d"})
            if len(argv) == 1:
                argv = ["sh", "-c", argv[0]]
        else:
            break
    return argv, seen


def skip_options(args: list[str], *, with_arg: AbstractSet[str]) -> list[str]:
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            return args[i + 1 :]
        i += 2 if args[i] in with_arg else 1
    return args[i:]


def flags_in(args: list[str]) -> set[str]:
    """Short flag letters and long options present in `args`, clusters split."""
    found: set[str] = set()
    for a in args:
        if a == "--":
            break
        if a.startswith("--"):
            found.add(a.split("=", 1)[0])
        elif a.startswith("-") and len(a) > 1:
            found.update(f"-{c}" for c in a[1:])
    return found


def operands(args: list[str]) -> list[str]:
    out, after = [], False
    for a in args:
        if after or not a.startswith("-") or a == "-":
            out.append(a)
        elif a == "--":
            after = True
    return out


def normalise(path: str, ctx: Context) -> str:
    """Normalise a path for the catastrophic-target checks (no filesystem access)."""
    p = path.strip()
    for home in ("${HOME}", "$HOME", "~"):
        if p == home or p.startswith(home + "/"):
            p = "~" + p[len(home) :]
            break
    if p.startswith("~"):
        rest = posixpath.normpath("/" + p[1:].lstrip("/")) if p[1:].strip("/") else "/"
        return "~" if rest == "/" else "~" + rest
    if p.startswith("/"):
        norm = posixpath.normpath(p)
        return "/" if norm.startswith("//") and norm.strip("/") == "" else norm
    if ctx.cwd:
        return posixpath.normpath(posixpath.join(ctx.cwd, p))
    return posixpath.normpath(p)


def catastrophic_target(raw: str, ctx: Context) -> str | None:
    """Why deleting `raw` recursively would be catastrophic, or None."""
    target = raw.rstrip()
    glob_all = target.endswith("/*") or target == "*" or target == ".*"
    base = target[:-2] if target.endswith("/*") else target
    if target in ("*", ".", "./", "./*", ".*"):
        base = "."
    norm = normalise(base or "/", ctx)
    home_norm = normalise(ctx.home, ctx) if ctx.home else None
    if norm == "/":
        return "recursive delete of /"
    if norm == "~" or (home_norm and norm == home_norm):
        return "recursive delete of the home directory"
    if norm in SYSTEM_DIRS or (glob_all and norm in SYSTEM_DIRS):
        return f"recursive delete of system directory {norm}"
    return None


def _rm(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    flags = flags_in(args)
    if "--no-preserve-root" in flags:
        acc.reject("rm --no-preserve-root")
    recursive = bool(flags & {"-r", "-R", "--recursive"})
    if recursive:
        for target in operands(args):
            why = catastrophic_target(target, ctx)
            if why:
                acc.reject(why)
    acc.raise_to("destructive", f"{name}: deletes files (destructive)")


def _chmod(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    # "R" is never a mode letter, so `-R`, `-Rf` and `--recursive` mean recursion, `-w` does not
    recursive = any(
        a == "--recursive" or (a[:1] == "-" and a[1:2] != "-" and "R" in a) for a in args
    )
    if recursive:
        for target in operands(args)[1:]:  # the first operand is the mode or the owner
            norm = normalise((target[:-2] or "/") if target.endswith("/*") else target, ctx)
            if norm == "/":
                acc.reject(f"{name} -R on /")
            elif norm in SYSTEM_DIRS or norm == "~":
                acc.raise_to("destructive", f"{name} -R on {norm} (destructive)")
    acc.raise_to("mutates", f"{name}: changes permissions or ownership (mutates)")


def _dd(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    for a in args:
        if a.startswith("of="):
            target = a[3:]
            if DISK.match(target):
                acc.reject(f"dd writes to raw disk {target}")
    acc.raise_to("destructive", "dd: overwrites data (destructive)")


def _shred(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    for target in operands(args):
        if DISK.match(target):
            acc.reject(f"{name} writes to raw disk {target}")
    acc.raise_to("destructive", f"{name}: destroys file contents (destructive)")


def _find(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    roots = []
    for a in args:
        if a.startswith("-") or a in ("(", "!", ")"):
            break
        roots.append(a)
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-delete":
            for root in roots or ["."]:
                why = catastrophic_target(root, ctx)
                if why:
                    acc.reject(why.replace("recursive delete", "find -delete"))
            acc.raise_to("destructive", "find -delete: deletes files (destructive)")
        elif a in ("-exec", "-execdir", "-ok", "-okdir"):
            j = i + 1
            while j < len(args) and args[j] not in (";", "+", "\\;"):
                j += 1
            inner = [x for x in args[i + 1 : j]]
            if inner:
                if base_name(inner[0]) == "rm" and bool(
                    flags_in(inner[1:]) & {"-r", "-R", "--recursive"}
                ):
                    for root in roots or ["."]:
                        why = catastrophic_target(root, ctx)
                        if why:
                            acc.reject(why)
                sub = Simple(words=[_word(x) for x in inner])
                acc.simple(sub, ctx, depth + 1)
            i = j
        elif a in ("-fprint", "-fprint0", "-fprintf", "-fls"):
            acc.raise_to("mutates", f"find {a}: writes a file (mutates)")
        i += 1


def _word(text: str):  # a Word for re-assessing nested argv
    from intent.guard.parser import Word

    return Word(text, text)


_SUBST = re.compile(r"(?:\$\(|<\(|`)(.*)", re.S)


def _runs_download(args: list[str]) -> bool:
    """Whether an argument is a substitution whose command downloads something."""
    for a in args:
        m = _SUBST.search(a)
        if m:
            for cmd in parse(m.group(1).rstrip(")`")).commands:
                argv, _ = unwrap(cmd.argv)
                if argv and base_name(argv[0]) in NETWORK:
                    return True
    return False


def shell_like(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if _runs_download(args):
        acc.reject(f"downloaded code run by {name}")
    if name == "eval":
        acc.script(" ".join(args), ctx, depth + 1)
        return
    if "-c" in args or any(
        a.startswith("-") and "c" in a[1:] and not a.startswith("--") for a in args
    ):
        idx = next(
            i
            for i, a in enumerate(args)
            if a == "-c" or (a.startswith("-") and not a.startswith("--") and "c" in a[1:])
        )
        if idx + 1 < len(args):
            acc.script(args[idx + 1], ctx, depth + 1)
            return
    ops = operands(args)
    if ops and any(o.startswith("<(") for o in ops):
        return  # the process substitution was assessed on its own (and rejected if a download)
    acc.raise_to("mutates", f"{name}: runs a script whose effects are not analysed (mutates)")


def _copy_move(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    ops = operands(args)
    flags = flags_in(args)
    if name == "mv" and len(ops) >= 2 and not flags & {"-n", "--no-clobber"}:
        dest = ops[-1]
        if ctx.exists is not None and ctx.exists(dest) and not ctx.exists(dest.rstrip("/") + "/."):
            acc.raise_to(
                "destructive", f"mv onto existing file {dest}: overwrites it (destructive)"
            )
            return
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


def _sed(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if any(
        a == "-i"
        or a.startswith("-i")
        or a.startswith("--in-place")
        or (a.startswith("-") and not a.startswith("--") and "i" in a[1:] and len(a) < 5)
        for a in args
    ):
        acc.raise_to("mutates", f"{name} -i: edits files in place (mutates)")


def _awk(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    program = next((a for a in args if not a.startswith("-")), "")
    if (
        re.search(r"system\s*\(|\|\s*\"|\|&|>>?\s*\"|>>?\s*[A-Za-z_]\w*\s*(?:;|}|$)", program)
        and re.search(r"print|system|printf", program)
        and ("system" in program or re.search(r"print[^;}]*>", program))
    ):
        acc.raise_to("mutates", f"{name}: the program writes files or runs commands (mutates)")


def _tee(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    targets = [t for t in operands(args) if t not in HARMLESS_TARGETS]
    for t in targets:
        if DISK.match(t):
            acc.reject(f"tee writes to raw disk {t}")
    if targets:
        acc.raise_to("mutates", f"tee: writes to {', '.join(targets)} (mutates)")


def _tar(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    first = args[0] if args else ""
    letters = first.lstrip("-") if first and not first.startswith("--") else ""
    flags = flags_in(args) | {f"-{c}" for c in letters}
    if flags & {"-t", "--list"} and not flags & {"-x", "-c", "-r", "-u"}:
        return
    acc.raise_to("mutates", f"{name}: creates or extracts files (mutates)")


def _sort(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if any(
        a == "-o" or a.startswith("--output") or (a.startswith("-o") and len(a) > 2) for a in args
    ):
        acc.raise_to("mutates", "sort -o: writes a file (mutates)")


def _perl(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if (
        any(
            a.startswith("-") and not a.startswith("--") and "i" in a[1:] and "e" not in a[1:2]
            for a in args
        )
        or "-i" in args
    ):
        acc.raise_to("mutates", "perl -i: edits files in place (mutates)")
    acc.raise_to("mutates", "perl: runs a program whose effects are not analysed (mutates)")


Rule = Callable[[str, list[str], Findings, Context, int], None]

HANDLERS: dict[str, Rule] = {
    "rm": _rm,
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "dd": _dd,
    "shred": _shred,
    "find": _find,
    "cp": _copy_move,
    "mv": _copy_move,
    "sed": _sed,
    "gsed": _sed,
    "awk": _awk,
    "gawk": _awk,
    "mawk": _awk,
    "tee": _tee,
    "tar": _tar,
    "sort": _sort,
    "perl": _perl,
}
