"""Read-only utilities: `safe` only with options from their table, and the few readers whose
operands or options can act (find actions, tar programs, pagers, `hash -p`, `alias`)."""

from __future__ import annotations

import re

from intent.guard.options import parse_args
from intent.guard.parser import Simple, Word
from intent.guard.rules import (
    Context,
    Findings,
    Rule,
    archive_removes,
    catastrophic_target,
    rate_write,
)
from intent.guard.tables import TABLES
from intent.guard.wrappers import base_name

# the last operand of these is an output file: `uniq in out`, `xxd in out`
_OUTPUT_OPERAND = {"uniq": 2, "xxd": 2, "iconv": 99, "look": 99}


def table_checked(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    spec = TABLES[name]
    parsed = parse_args(spec, args)
    for opt in parsed.unknown[:3]:
        acc.raise_to("mutates", f"{name} {opt}: option not known to be read-only (mutates)")
    for opt in parsed.unknown:
        effect = _OPTION_EFFECTS.get((name, opt))
        if effect:
            acc.raise_to("destructive", f"{name} {opt}: {effect} (destructive)")
    for i, a in enumerate(args):
        for opt in _OUTPUT_OPTION.get(name, ()):
            if a == opt and i + 1 < len(args):
                rate_write(args[i + 1], f"{name} {opt}", acc, ctx, append=False)
            elif a.startswith(opt + "=") or (
                not opt.startswith("--") and a.startswith(opt) and len(a) > 2
            ):
                rate_write(a[len(opt) :].lstrip("="), f"{name} {opt}", acc, ctx, append=False)
    limit = _OUTPUT_OPERAND.get(name)
    if limit and len(parsed.operands) >= limit:
        rate_write(parsed.operands[-1], name, acc, ctx, append=False)
    if name == "date" and any(not o.startswith("+") for o in parsed.operands):
        acc.raise_to("mutates", "date MMDDhhmm: sets the clock (mutates)")
    if name == "hostname" and parsed.operands:
        acc.raise_to("mutates", "hostname NAME: sets the host name (mutates)")
    if name == "printf" and any(o == "-v" for o, _ in parsed.options):
        return  # only sets a shell variable (subscripts are checked as arithmetic)


# options outside a utility's read-only table that destroy state
# options that name an output file
_OUTPUT_OPTION = {
    "sort": ("-o", "--output"),
    "shuf": ("-o", "--output"),
    "tree": ("-o",),
    "info": ("-o", "--output"),
    "xxd": (),
}

_OPTION_EFFECTS = {
    ("dmesg", "-C"): "clears the kernel ring buffer",
    ("dmesg", "-c"): "clears the kernel ring buffer",
    ("dmesg", "--clear"): "clears the kernel ring buffer",
    ("dmesg", "--read-clear"): "clears the kernel ring buffer",
    ("ss", "-K"): "kills the matching sockets",
    ("ss", "--kill"): "kills the matching sockets",
}

_SHELL_LIKE = frozenset("sh bash dash zsh ksh ash fish python python3 perl ruby node php".split())
# programs whose first operand is program text a pasted file name can change
_PROGRAM_TEXT = frozenset("awk gawk mawk nawk sed gsed jq".split())

_FIND_TESTS = frozenset(
    """-name -iname -path -ipath -wholename -iwholename -regex -iregex -lname -ilname -type
    -xtype -size -mtime -mmin -atime -amin -ctime -cmin -newer -anewer -cnewer -perm -user
    -group -uid -gid -links -inum -samefile -maxdepth -mindepth -regextype -fstype -used
    -newermt -newerct -newerat -newermm -context""".split()
)
_FIND_FLAGS = frozenset(
    """-empty -print -print0 -ls -prune -quit -not -a -o -and -or -xdev -mount -follow -depth
    -nouser -nogroup -readable -writable -executable -true -false -daystart -noleaf
    -ignore_readdir_race -noignore_readdir_race ! ( ) , -d""".split()
)
_NAME_SCOPED = frozenset("-name -iname -path -ipath -wholename -iwholename -regex -iregex".split())


def find_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    i = 0
    while (
        i < len(args)
        and args[i] in ("-L", "-H", "-P", "-D", "-O")
        or (i < len(args) and re.fullmatch(r"-O\d", args[i]))
    ):
        i += 2 if args[i] == "-D" else 1
    roots = []
    while i < len(args) and not args[i].startswith("-") and args[i] not in ("(", "!", ")"):
        roots.append(args[i])
        i += 1
    roots = roots or ["."]
    scoped = bool(set(args) & _NAME_SCOPED)
    while i < len(args):
        a = args[i]
        if a == "-delete":
            _catastrophic_roots(roots, scoped, "find -delete", acc, ctx)
            acc.raise_to("destructive", "find -delete: deletes files (destructive)")
        elif a in ("-exec", "-execdir", "-ok", "-okdir"):
            j = i + 1
            while j < len(args) and args[j] not in (";", "+", "\\;"):
                j += 1
            inner = args[i + 1 : j]
            if (
                len(inner) > 2
                and base_name(inner[0]) in _SHELL_LIKE
                and any("{}" in w for w in inner[1:])
                and any(w.startswith("-") and set(w[1:]) & {"c", "e"} for w in inner[1:])
            ) or (
                # awk and sed read their program text too: `awk 'BEGIN{print "{}"}'`
                len(inner) > 1
                and base_name(inner[0]) in _PROGRAM_TEXT
                and any("{}" in w and w != "{}" for w in inner[1:])
            ):
                acc.raise_to(
                    "mutates", f"find {a}: file names are pasted into shell code (mutates)"
                )
            if inner:
                if base_name(inner[0]) in ("rm", "shred", "unlink") or inner[:2] == ["rm", "-rf"]:
                    _catastrophic_roots(roots, scoped, f"find {a} {inner[0]}", acc, ctx)
                acc.simple(Simple(words=[Word(x, x) for x in inner]), ctx, depth + 1)
            i = j
        elif a in ("-fprint", "-fprint0", "-fprintf", "-fls"):
            target = args[i + 1] if i + 1 < len(args) else ""
            rate_write(target, f"find {a}", acc, ctx, append=False)
            i += 2 if a == "-fprintf" else 1
        elif a in _FIND_TESTS or a == "-printf":
            i += 1
        elif a not in _FIND_FLAGS and a.startswith("-"):
            acc.raise_to("mutates", f"find {a}: not known to be read-only (mutates)")
        i += 1


def _catastrophic_roots(
    roots: list[str], scoped: bool, what: str, acc: Findings, ctx: Context
) -> None:
    for root in roots:
        why = catastrophic_target(root, ctx)
        if why and not scoped:
            acc.reject(why.replace("recursive delete", what))


_TAR_PROGRAM = re.compile(
    r"^(-I|-F|--use-compress-program|--to-command|--checkpoint-action|"
    r"--info-script|--new-volume-script|--rsh-command|--rmt-command)"
)


def tar_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    first = args[0] if args else ""
    letters = first if first and not first.startswith("-") else ""
    shorts = "".join(a[1:] for a in args if a.startswith("-") and not a.startswith("--"))
    modes = set(letters + shorts)
    for a in args:
        if _TAR_PROGRAM.match(a) or (a.startswith("--use-comp") or a.startswith("--to-c")):
            acc.raise_to("mutates", f"tar {a}: runs a program (mutates)")
    if ("I" in letters or "F" in letters) and not first.startswith("-"):
        acc.raise_to("mutates", f"tar {first}: runs a program (mutates)")
    if any(re.match(r"^[\w.-]+@?[\w.-]*:", a) for a in args[1:] if not a.startswith("-")):
        acc.raise_to("mutates", "tar: a remote archive runs rsh (mutates)")
    if any(a.startswith("--remove") for a in args):
        archive_removes(name, [a for a in args[1:] if not a.startswith("-")], acc, ctx)
    listing = "t" in modes or "--list" in args
    if listing and not modes & set("xcruA") and "--extract" not in args:
        return
    acc.raise_to("mutates", f"{name}: creates or extracts files (mutates)")


def pager_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    for a in args:
        if name == "man" and (
            a.startswith(("-P", "--pager", "-H", "--html", "-p")) or a.startswith("--prep")
        ):
            acc.raise_to("mutates", f"man {a}: runs another program (mutates)")
        if (
            name in ("less", "more", "most")
            and a.startswith("+")
            and not re.fullmatch(r"\+[FG]|\+\d+|\+/[\w .-]*", a)
        ):
            acc.raise_to("mutates", f"{name} {a}: runs a pager command at start (mutates)")
        if name == "less" and a.startswith(("-o", "-O", "--log-file", "--LOG-FILE")):
            acc.raise_to("mutates", f"less {a}: writes a log file (mutates)")
        if name == "less" and a.startswith(("-k", "--lesskey")):
            acc.raise_to("mutates", f"less {a}: loads key bindings (mutates)")


def pydoc_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """pydoc imports what it documents: a path, a `.py` file or a local module runs its code."""
    for a in args:
        if a.startswith("-") and a not in ("--help",):
            acc.raise_to("mutates", f"{name} {a}: writes files or starts a server (mutates)")
        elif "/" in a or a.endswith(".py") or a.startswith("."):
            acc.raise_to("mutates", f"{name} {a}: imports (runs) that file (mutates)")


def shell_state(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`hash -p`, `alias x=`, `enable -f`, `set`, `unset`, `trap`: change what later commands do."""
    if name == "hash" and not {a for a in args if a.startswith("-")} - {"-r", "-l", "-t"}:
        return
    if name == "alias":
        for a in args:
            if "=" in a:
                acc.script(a.split("=", 1)[1], ctx, depth + 1)
        if not any("=" in a for a in args):
            return
    if name == "enable" and set(args) <= {"-a", "-p", "-s"}:
        return
    if name == "trap" and (not args or args[0] in ("-l", "-p")):
        return
    if name == "trap" and args:
        acc.script(args[0], ctx, depth + 1)
    if name == "set" and all(
        re.fullmatch(r"[-+][euxvo]+|pipefail|errexit|nounset|xtrace", a) for a in args
    ):
        return
    acc.raise_to(
        "mutates",
        f"{name} {' '.join(args[:2])}: changes what later commands run (mutates)".replace(
            "  ", " "
        ),
    )


def unzip_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`unzip -l` lists; `unzip` without a listing option extracts."""
    if not any(a.startswith("-") and set(a[1:]) & set("lvtZz") for a in args):
        acc.raise_to("mutates", "unzip: extracts files (mutates)")
        return
    table_checked(name, args, acc, ctx, depth)


def kill_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if name == "kill" and args and (args[0] in ("-0", "-l", "-L") or args[0].startswith("-0")):
        return
    if name == "kill" and "-1" in args and any(a in ("-9", "-KILL", "-s") for a in args):
        acc.raise_to("destructive", "kill -9 -1: kills every process you own (destructive)")
    acc.raise_to("mutates", f"{name}: stops processes (mutates)")


def fuser_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`fuser 8080/tcp` only names the processes; -k (alone or in a bundle: `-vk`) kills them."""
    for a in args:
        if a == "--":
            break
        if a in ("-k", "--kill") or (a.startswith("-") and not a.startswith("--") and "k" in a):
            acc.raise_to("mutates", "fuser -k: stops the processes using it (mutates)")
            return


HANDLERS: dict[str, Rule] = {
    **{n: table_checked for n in TABLES},
    "find": find_rule,
    "tar": tar_rule,
    "man": pager_rule,
    "less": pager_rule,
    "more": pager_rule,
    "most": pager_rule,
    "hash": shell_state,
    "alias": shell_state,
    "enable": shell_state,
    "trap": shell_state,
    "set": shell_state,
    "kill": kill_rule,
    "unzip": unzip_rule,
    "pkill": kill_rule,
    "killall": kill_rule,
    "fuser": fuser_rule,
    **{n: pydoc_rule for n in ("pydoc", "pydoc3", "pydoc3.11", "pydoc3.12", "pydoc3.13")},
}
