"""The guard's verdict types, path canonicalisation, and the rules for files and disks.

Each rule gets the utility's name, its arguments (wrappers already stripped), the accumulator
and the context. Nested commands go back to the walk through `acc.script` / `acc.simple`, so
the rule modules never import the walk.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from intent.guard.options import Spec, parse_args
from intent.guard.parser import Simple
from intent.guard.words import DISK, HARMLESS_TARGETS, STARTUP, SYSTEM_DIRS
from intent.guard.wrappers import base_name, skip_options
from intent.vocab import RISKS, Risk

__all__ = ["base_name", "skip_options"]

LEVELS = RISKS  # the guard's ordered levels are the shared risk vocabulary


def rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS) - 1


def higher(a: Risk, b: Risk) -> Risk:
    return a if rank(a) >= rank(b) else b


@dataclass(frozen=True)
class Verdict:
    risk: Risk
    hard_reject: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    cwd: str | None = None
    home: str | None = None
    exists: Callable[[str], bool] | None = None


@dataclass
class Findings:
    """What the walk has found so far; `script`/`simple` let a rule assess nested commands."""

    script: Callable[[str, Context, int], None]
    simple: Callable[[Simple, Context, int], None]
    risk: Risk = "safe"
    hard: bool = False
    reasons: list[str] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)  # defined in the command; bodies walked
    # what feeds the current command's stdin: "" (nothing), "pipe", "file" or "text", and the
    # words of whatever feeds it (upstream commands, input files, here-documents)
    feed_kind: str = ""
    feed_sources: list[str] = field(default_factory=list)
    text: str = ""  # the whole command: arithmetic looks for where its variables were set
    # variables set earlier in the command to values the guard can read (`x=/`, `for d in / ~`)
    values: dict[str, list[str]] = field(default_factory=dict)

    def raise_to(self, level: Risk, reason: str) -> None:
        self.risk = higher(self.risk, level)
        if reason not in self.reasons:
            self.reasons.append(reason)

    def reject(self, reason: str) -> None:
        self.hard = True
        self.raise_to("destructive", f"refused: {reason}")


Rule = Callable[[str, list[str], Findings, Context, int], None]

# Spellings of the home directory that a shell expands to the same place as `~`.
_HOME_SPELLINGS = re.compile(
    r"^(\$\{HOME(:[?\-=+][^}]*)?\}|\$HOME|/home/\$\{?USER\}?|/home/\$\{?LOGNAME\}?|"
    r"/Users/\$\{?USER\}?|~\$\{?USER\}?|\$\(\s*(echo|printf\s+%s)\s+(~|\"?\$HOME\"?)\s*\)|"
    r"`\s*echo\s+(~|\$HOME)\s*`|\$\(\s*getent passwd[^)]*\)|\$\{HOME%/\})(?=/|$)"
)


def canon(word: str) -> str:
    """`$HOME`, `${HOME:?}`, `/home/$USER`, `$(echo ~)` ... all become `~`."""
    return _HOME_SPELLINGS.sub("~", word, count=1)


def normalise(path: str, ctx: Context) -> str:
    """Normalise a path for the catastrophic-target checks (no filesystem access)."""
    p = canon(path.strip())
    if p.startswith("~") and not p.startswith("~/") and p != "~":
        user = p[1:].split("/", 1)[0]
        p = "/home/" + user + p[1 + len(user) :]  # `~alice` is alice's home
    if ctx.home and (p == ctx.home or p.startswith(ctx.home.rstrip("/") + "/")):
        p = "~" + p[len(ctx.home.rstrip("/")) :]
    if p.startswith("~"):
        inside = posixpath.normpath("/HOME/" + p[1:].lstrip("/"))
        if not (inside == "/HOME" or inside.startswith("/HOME/")):
            return "/"  # climbed out of the home directory: rate as the worst place it can be
        return "~" + inside[len("/HOME") :]
    if p.startswith("/"):
        norm = posixpath.normpath(p)
        return "/" + norm.lstrip("/")  # POSIX keeps a leading `//`; Linux treats it as `/`
    if ctx.cwd:
        return normalise(posixpath.join(ctx.cwd, p), Context(home=ctx.home))
    return posixpath.normpath(p)


def _is_home(norm: str, ctx: Context) -> bool:
    return norm == "~" or (norm.startswith("/home/") and norm.count("/") == 2) or norm == "/root"


def catastrophic_target(raw: str, ctx: Context) -> str | None:
    """Why deleting `raw` recursively would be catastrophic, or None."""
    target = raw.rstrip()
    if len(target) > 1 and target.endswith("/"):
        target = target.rstrip("/") or "/"  # `/*/` is `/*`
    base = re.sub(r"(/\.?\*)+$", "", target) if target.endswith("*") else target
    if target in ("*", ".", "./", "./*", ".*", "./.*"):
        base = "."
    if target.endswith("*") and not base:
        base = "/"
    norm = normalise(base or "/", ctx)
    if norm == "/":
        return "recursive delete of /"
    if _is_home(norm, ctx):
        return "recursive delete of the home directory"
    if norm in SYSTEM_DIRS:
        return f"recursive delete of system directory {norm}"
    return None


def rate_write(target: str, what: str, acc: Findings, ctx: Context, *, append: bool) -> None:
    """Rate writing `target`: raw disks are refused, startup files and system paths are
    destructive, anything else mutates."""
    if target in HARMLESS_TARGETS or target.startswith("/dev/fd/"):
        return
    if "/dev/tcp/" in target or "/dev/udp/" in target:
        acc.reject(f"{what}: opens a network connection from the shell ({target})")
        return
    if DISK.match(target):
        acc.reject(f"{what}: writes to raw disk {target}")
        return
    norm = normalise(target, ctx)
    if STARTUP.match(norm):
        acc.raise_to(
            "destructive",
            f"{what}: writes {norm}, read when a shell or a tool starts (destructive)",
        )
        return
    if _outside_workspace(norm, target, ctx) and (
        not append and (ctx.exists is None or ctx.exists(target))
    ):
        acc.raise_to(
            "destructive",
            f"{what}: overwrites {target} outside the working directory (destructive)",
        )
        return
    acc.raise_to("mutates", f"{what}: writes to {target} (mutates)")


def _outside_workspace(norm: str, target: str, ctx: Context) -> bool:
    # classifying a path, not creating a temporary file
    if norm == "/tmp" or norm.startswith(("/tmp/", "/var/tmp/")):  # noqa: S108
        return False
    if not (norm.startswith(("/", "~")) or target.startswith("..")):
        return False
    return not (ctx.cwd and (norm == ctx.cwd or norm.startswith(ctx.cwd.rstrip("/") + "/")))


RM = Spec(
    "dfiIrRv",
    "force interactive= one-file-system no-preserve-root preserve-root= "
    "preserve-root recursive dir verbose",
)


def _rm(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    parsed = parse_args(RM, args)
    opts = {o for o, _ in parsed.options}
    if "--no-preserve-root" in opts:
        acc.reject("rm --no-preserve-root")
    if opts & {"-r", "-R", "--recursive"} or name == "rmdir":
        for target in parsed.operands:
            why = catastrophic_target(target, ctx)
            if why:
                acc.reject(why)
    acc.raise_to("destructive", f"{name}: deletes files (destructive)")


def _chmod(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    # "R" is never a mode letter, so `-R`, `-Rf` and `--recursive` mean recursion, `-w` does not
    recursive = any(
        (a.startswith("--rec") and "--recursive".startswith(a.split("=")[0]))
        or (a[:1] == "-" and a[1:2] != "-" and "R" in a)
        for a in args
    )
    ops = [a for a in args if not a.startswith("-") or a == "-"]
    if recursive:
        for target in ops[1:]:  # the first operand is the mode or the owner
            why = catastrophic_target(target, ctx)
            norm = normalise(target, ctx)
            if norm == "/" or (why and target.endswith("*") and "of /" in why):
                acc.reject(f"{name} -R on /")
            elif why:
                acc.raise_to("destructive", f"{name} -R on {norm} (destructive)")
    acc.raise_to("mutates", f"{name}: changes permissions or ownership (mutates)")


def _dd(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    for a in args:
        if a.startswith("of="):
            rate_write(canon(a[3:]), "dd of=", acc, ctx, append=False)
    acc.raise_to("destructive", "dd: overwrites data (destructive)")


def _disk_tool(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """Tools that erase, format or overwrite whole devices: refused on a device."""
    ops = [a for a in args if not a.startswith("-")]
    erasing = (
        name in ERASERS or name.startswith("mkfs") or any(a.lower() in ERASING_VERBS for a in args)
    )
    devices = [a for a in ops if DISK.match(a) or re.match(r"^(/dev/)?r?disk\d+", a)]
    listing = set(args) & {
        "-l",
        "--list",
        "print",
        "list",
        "info",
        "luksDump",
        "status",
        "isLuks",
        "-I",
        "--query",
    }
    pattern = _TOOL_ERASES.get(name)
    erasing = erasing or bool(pattern and any(re.match(pattern, a) for a in args))
    if devices and not erasing and acc.feed_kind and name in PARTITIONERS and not _listing(args):
        erasing = True  # partitioning commands read from a pipe or a here-string
    if devices and erasing:
        acc.reject(f"{name} overwrites device {devices[0]}")
    if listing and not erasing:
        acc.raise_to("mutates", f"{name}: a disk tool (mutates)")
    else:
        acc.raise_to("destructive", f"{name}: erases or partitions disks (destructive)")


def _listing(args: list[str]) -> bool:
    return bool(set(args) & {"-l", "--list", "print", "-d", "--dump", "-J", "--json", "-s", "-p"})


# options and subcommands that erase, secure-erase or delete partitions, per tool
_TOOL_ERASES = {
    "hdparm": r"^--(security-erase|sanitize|trim-sector|write-sector|dco-restore|"
    r"make-bad-sector|fwdownload|security-set-pass|yes-i-know)",
    "nvme": r"^(format|sanitize|delete-ns|detach-ns|write-zeroes|dsm|write-uncor|fw-download)$",
    "sgdisk": r"^(-[dZzonxgGR]\w*|--(delete|zap|clear|new|mbrtogpt|randomize|transpose|"
    r"load-backup|replicate|largest-new))",
    "gdisk": r"^(-[dZzon]\w*|--(delete|zap|clear|new))",
    "sfdisk": r"^--(delete|append|move-data|part-type|part-uuid|part-label|part-attrs|"
    r"relocate|reorder|wipe)",
    "parted": r"^(rm|mklabel|mktable|mkpart|mkpartfs|resizepart|resize|rescue|move|cp)$",
    "blkdiscard": r"^-",
    "cryptsetup": r"^(luksFormat|erase|luksErase|reencrypt|luksKillSlot|luksRemoveKey)$",
}


def archive_removes(name: str, operands: list[str], acc: Findings, ctx: Context) -> None:
    """An archiver that removes its inputs (`tar --remove-files`, `zip -m`, `7z -sdel`)."""
    for target in operands:
        why = catastrophic_target(target, ctx)
        if why:
            acc.reject(f"{name} removes its inputs: {why.replace('recursive delete of ', '')}")
    acc.raise_to("destructive", f"{name}: removes the files it archives (destructive)")


def zip_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    moving = any(
        a in ("--move", "-sdel")
        or (a.startswith("-") and not a.startswith("--") and "m" in a and name == "zip")
        for a in args
    )
    if name == "zip" and any(a in ("-T", "--test") for a in args):
        for i, a in enumerate(args):
            if a in ("-TT", "--unzip-command") and i + 1 < len(args):
                acc.script(args[i + 1], ctx, depth + 1)
    if moving:
        archive_removes(name, [a for a in args if not a.startswith("-")], acc, ctx)
    acc.raise_to("mutates", f"{name}: writes an archive (mutates)")


def compressor_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """gzip, bzip2, xz, zstd, lz4: `-r` on a system directory or the home replaces every file."""
    keep = any(
        a in ("-k", "--keep", "-c", "--stdout", "-l", "--list", "-t", "--test") for a in args
    )
    recursive = any(a in ("-r", "--recursive") or re.fullmatch(r"-\w*r\w*", a) for a in args)
    if recursive and not keep:
        for target in [a for a in args if not a.startswith("-")]:
            why = catastrophic_target(target, ctx)
            if why:
                acc.reject(
                    f"{name} -r replaces every file: {why.replace('recursive delete of ', '')}"
                )
    if set(args) <= {"-l", "--list", "-t", "--test", "-v", "--verbose"} | {
        a for a in args if not a.startswith("-")
    } and set(args) & {"-l", "--list", "-t", "--test"}:
        return
    if set(args) & {"-c", "--stdout", "-d", "--decompress", "-dc", "-cd"} and set(args) & {
        "-c",
        "--stdout",
        "-dc",
        "-cd",
    }:
        return
    acc.raise_to("mutates", f"{name}: compresses or decompresses files in place (mutates)")


ERASERS = frozenset(
    "shred wipefs mkswap blkdiscard ddrescue dd_rescue mkfs mke2fs mkdosfs newfs flashrom".split()
)
ERASING_VERBS = frozenset(
    "luksformat format erase lukserase reencrypt erasedisk erasevolume "
    "zerodisk randomdisk secureerase partitiondisk reformat "
    "mklabel mkpart --zap-all -z -o --clear".split()
)
PARTITIONERS = frozenset(
    "fdisk sfdisk gdisk sgdisk parted cfdisk diskutil cryptsetup hdparm nvme".split()
)


def _copy_move(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    ops = [a for a in args if not a.startswith("-") or a == "-"]
    if len(ops) < 2:
        acc.raise_to("mutates", f"{name}: writes files (mutates)")
        return
    *sources, dest = ops
    if name == "mv":
        for src in sources:
            why = catastrophic_target(src, ctx)
            if why:
                acc.reject(why.replace("recursive delete", "moving away"))
    rate_write(canon(dest), name, acc, ctx, append=False)
    if name == "mv" and not {"-n", "--no-clobber"} & set(args):
        if ctx.exists is not None and ctx.exists(dest) and not ctx.exists(dest.rstrip("/") + "/."):
            acc.raise_to(
                "destructive", f"mv onto existing file {dest}: overwrites it (destructive)"
            )
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


def _tee(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    append = any(a in ("-a", "--append") or a.startswith("--app") for a in args)
    for t in [a for a in args if not a.startswith("-") or a == "-"]:
        rate_write(canon(t), "tee", acc, ctx, append=append)


HANDLERS: dict[str, Rule] = {
    "rm": _rm,
    "rmdir": _rm,
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "dd": _dd,
    "cp": _copy_move,
    "mv": _copy_move,
    "install": _copy_move,
    "ln": _copy_move,
    "tee": _tee,
    **{n: _disk_tool for n in ERASERS | PARTITIONERS},
    "zip": zip_rule,
    "7z": zip_rule,
    "7za": zip_rule,
    "7zz": zip_rule,
    **{
        n: compressor_rule
        for n in "gzip bzip2 xz zstd lz4 lzma pigz pbzip2 gunzip bunzip2 unxz unzstd".split()
    },
}
