"""Wrappers: utilities that run another command. The guard strips them and rates what they run.

`unwrap` returns the wrapped command and the wrappers seen. A wrapper that takes the command as
one string (`su -c`, `script -c`, `watch 'cmd'`) becomes `sh -c STRING`, so the string is
walked like any shell body. Wrappers that change who runs the command are reported so the walk
can rate them `sudo`; wrappers whose own options write files (`strace -o`, `time -o`,
`script FILE`) are reported as writing.
"""

from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from intent.guard.words import PRIV


@dataclass
class Unwrapped:
    argv: list[str]
    wrappers: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)  # "wrapper option: what it writes"
    assignments: list[str] = field(default_factory=list)  # `env NAME=VALUE`: walked like `NAME=`
    cwd: str | None = None  # `env -C DIR`, `sudo -D DIR`: where the command runs
    placeholders: list[str] = field(default_factory=list)  # `xargs -I X`: file names pasted in


def base_name(word: str) -> str:
    return posixpath.basename(word) if "/" in word else word


def skip_options(args: list[str], *, with_arg: AbstractSet[str]) -> list[str]:
    """The arguments after the leading options (`with_arg` options take the next word)."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            return args[i + 1 :]
        opt = args[i]
        takes = opt in with_arg or (not opt.startswith("--") and len(opt) == 2 and opt in with_arg)
        # a long option with `=value`, or a short option with its value attached
        if "=" in opt or (not opt.startswith("--") and len(opt) > 2 and opt[:2] in with_arg):
            takes = False
        i += 2 if takes else 1
    return args[i:]


def _opt_value(args: list[str], names: tuple[str, ...]) -> str | None:
    if "--" in args:
        args = args[: args.index("--")]  # what follows `--` belongs to the wrapped command
    for i, a in enumerate(args):
        for n in names:
            if a == n and i + 1 < len(args):
                return args[i + 1]
            if n.startswith("--") and a.startswith(n + "="):
                return a.split("=", 1)[1]
            if not n.startswith("--") and a.startswith(n) and len(a) > len(n) and a[:1] == "-":
                return a[len(n) :]
            if (
                not n.startswith("--")
                and re.fullmatch(r"-[A-Za-z]+", a)
                and a.endswith(n[1])
                and i + 1 < len(args)
            ):
                return args[i + 1]  # a cluster such as `-qc CMD`
    return None


_WITH_ARG = {
    "sudo": "-u -g -C -D -p -r -t -T -U -h --user --group --chdir --prompt --role --type "
    "--close-from --host --other-user --command-timeout",
    "doas": "-u -C",
    "pkexec": "--user",
    "runuser": "-u -g -G -s -w --user --group --supp-group --shell --whitelist-environment",
    "nice": "-n --adjustment",
    "ionice": "-c -n -p -P -u --class --classdata --pid --pgid --uid",
    "chrt": "-T -P -D",
    "taskset": "",
    "stdbuf": "-i -o -e --input --output --error",
    "setsid": "",
    "nohup": "",
    "unshare": "-S -G -R -w --setuid --setgid --root --wd --map-user --map-group "
    "--propagation --setgroups --kill-child --map-users --map-groups",
    "flock": "-w -E --timeout --conflict-exit-code",
    "strace": "-e -o -p -s -a -b -I -O -S -u -P -X -E --output --signal --trace",
    "ltrace": "-e -o -p -s -a -n -u -F",
    "systemd-run": "-p -u -E -M -H --unit --property --description --slice --setenv "
    "--on-active --on-boot --on-calendar --on-unit-active --working-directory --uid --gid "
    "--machine --host --nice --service-type",
    "timeout": "-s -k --signal --kill-after",
    "watch": "-n -d --interval --differences -q --equexit",
    "xargs": "-n -I -i -P -d -L -l -s -a -E -e --max-args --delimiter --arg-file "
    "--max-procs --replace --max-lines --max-chars --eof --process-slot-var",
    "time": "-f -o --format --output",
    "exec": "-a",
    "busybox": "",
    "command": "",
    "builtin": "",
    "coproc": "",
    "caffeinate": "-t -w",
    "unbuffer": "",
    "chroot": "--userspec --groups",
    "firejail": "",
    "nsenter": "-t -S -G --target --setuid --setgid",
    "catchsegv": "",
    "valgrind": "",
    "torsocks": "-u -p -a -P -i",
    "torify": "",
    "proxychains": "-f",
    "proxychains4": "-f",
    "faketime": "-f",
    "setarch": "",
    "linux32": "",
    "linux64": "",
    "chpst": "-u -U -b -e -/ -n -l -L -m -d -o -p -f -c -r -t",
    "ssh-agent": "-a -E -t -P -O",
    "dbus-run-session": "--config-file --dbus-daemon",
    "xvfb-run": "-n -s -f -e -p --server-num --server-args --auth-file --error-file",
    "numactl": "-C -N -m -p -i --physcpubind --cpunodebind --membind --preferred --interleave",
    "cgexec": "-g",
    "rlwrap": "-a -f -H -P -S -t",
    "tsp": "-L -D -N",
    "entr": "",
    "multitime": "-n -s",
    "sem": "-j --id",
    "trickle": "-u -d -w -t -l -n",
    "cpulimit": "-l -p -e --limit --pid --exe",
    "prlimit": "-p --pid",
    "perf": "-e -o -p -t -C -c -F -G -r -x -I -j --event --output --pid --tid --cpu --repeat",
    "batch": "",
    "fakeroot": "-l -s -i --lib --faked",
    "schedtool": "-a -M -p",
    "daemonize": "-a -c -e -o -p -l -u -E",
    "start-stop-daemon": "-p -u -g -n -c -d -r -x -a --exec --startas --chuid --chdir",
}
WRAPPERS = frozenset(_WITH_ARG) | PRIV | frozenset({"env", "su", "sg", "script", "parallel", "at"})
# `ip netns exec NS CMD`, `ip vrf exec NAME CMD`: a wrapper only in that form
_IP_EXEC = frozenset({"netns", "vrf"})
# run the command as another user: rated `sudo`
AS_OTHER_USER = PRIV | {"runuser", "chroot"}
# run the command later or in another context: at least `mutates`
CHANGES_CONTEXT = frozenset(
    {
        "systemd-run",
        "at",
        "batch",
        "unshare",
        "sg",
        "firejail",
        "nsenter",
        "ip netns exec",
        "chpst",
        "tsp",
        "daemonize",
        "start-stop-daemon",
        "fakeroot",
        # their own options write files, sockets or limits (`valgrind --log-file`,
        # `xvfb-run -e`, `rlwrap -H`, `ssh-agent -a`, `perf record -o`, `prlimit --pid`)
        "valgrind",
        "xvfb-run",
        "rlwrap",
        "ssh-agent",
        "perf",
        "sem",
        "entr",
        "dbus-run-session",
        "cgexec",
        "schedtool",
        "prlimit",
    }
)


def unwrap(argv: list[str]) -> Unwrapped:
    """Strip wrappers; the result's argv is the command that finally runs."""
    out = Unwrapped(list(argv))
    for _ in range(32):
        inner = _unwrap_one(out.argv, out)
        if inner is None:
            return out
        out.argv = inner
    return out


def wrapped_at(argv: list[str]) -> int | None:
    """Where the command that `argv[0]` wraps starts in argv, when the wrapper runs the rest of
    its words as they stand (`sudo -u bob rm x`: 3); None when argv[0] is no wrapper, runs
    nothing (`command -v ls`) or is given its command another way (`su -c 'rm x'`, `watch
    'ls -l'`). `i explain` splits a wrapped command here."""
    inner = _unwrap_one(argv, Unwrapped(list(argv)))
    cut = len(argv) - len(inner) if inner else 0
    return cut if cut >= 1 and argv[cut:] == inner else None


def _unwrap_one(args: list[str], out: Unwrapped) -> list[str] | None:
    """The argv that the wrapper `args[0]` runs (what it writes, its assignments and the like
    noted in `out`), or None when `args[0]` wraps nothing."""
    if not args:
        return None
    name = base_name(args[0])
    rest = args[1:]
    if name == "ip" and "exec" in rest and _IP_EXEC & set(rest[: rest.index("exec")]):
        cut = rest.index("exec")
        out.wrappers.append("ip netns exec")
        every = {"-all", "-a", "--all"} & set(rest[:cut])
        return rest[cut + 1 :] if every else rest[cut + 2 :]
    if name not in WRAPPERS:
        return None
    if name == "command" and rest[:1] and rest[0] in ("-v", "-V"):
        return []
    out.wrappers.append(name)
    if name in ("at", "batch"):
        # `at TIME` runs its stdin later; the walk feeds it the piped or here-string text
        return ["sh"]
    return _inner(name, rest, out)


def _inner(name: str, rest: list[str], out: Unwrapped) -> list[str]:
    cmd: str | None
    if name == "su":
        cmd = _opt_value(rest, ("-c", "--command", "--session-command"))
        return ["sh", "-c", cmd] if cmd is not None else ["sh"]
    if name == "sg":
        cmd = _opt_value(rest, ("-c",))
        if cmd is not None:
            return ["sh", "-c", cmd]
        tail = [a for a in rest if not a.startswith("-")][1:]
        return ["sh", "-c", " ".join(tail)] if tail else ["sh"]
    if name == "script":
        cmd = _opt_value(rest, ("-c", "--command"))
        ops = skip_options(
            [a for a in rest if a != cmd],
            with_arg={"-c", "--command", "-t", "-T", "-I", "-O", "-B", "-m"},
        )
        log = ops[0] if ops else "typescript"
        if log != "/dev/null":
            out.writes.append(f"script: writes its log to {log}")
        return ["sh", "-c", cmd] if cmd is not None else ["sh"]
    if name == "flock":
        tail = skip_options(rest, with_arg=_set("flock") | {"-c", "--command"})
        head = rest[: len(rest) - len(tail)]
        # `flock [opts] FILE -c CMD` or `flock [opts] FILE CMD ARGS`: options end at the command
        cmd = _opt_value(head + tail[1:3], ("-c", "--command"))
        if cmd is not None and (not tail[1:2] or tail[1].startswith("-") or not tail):
            return ["sh", "-c", cmd]
        return tail[1:]  # after the lock file or descriptor
    if name == "env":
        return _env(rest, out)
    if name == "entr" and "-s" in rest:
        cmd = _opt_value(rest, ("-s",))
        return ["sh", "-c", cmd] if cmd else ["sh"]
    if name == "xargs":
        repl = _opt_value(rest, ("-I", "--replace"))
        if repl is None and any(a == "-i" or a.startswith("--replace") for a in rest):
            repl = "{}"
        if repl is None:
            repl = next((a[2:] for a in rest if a.startswith("-i") and len(a) > 2), None)
        if repl:
            out.placeholders.append(repl)
    if name == "sudo":
        cwd = _opt_value(rest, ("-D", "--chdir"))
        if cwd:
            out.cwd = cwd
    if name == "parallel":
        out.placeholders.extend(["{}", "{.}", "{/}", "{//}", "{/.}", "{#}", "{%}"])
        return _parallel(rest, out)
    if name in ("strace", "ltrace", "time"):
        trace = _opt_value(rest, ("-o", "--output"))
        if trace and trace != "/dev/null":
            out.writes.append(f"{name} -o: writes {trace}")
    if name == "runuser":
        cmd = _opt_value(rest, ("-c", "--command"))
        if cmd is not None:
            return ["sh", "-c", cmd]
        tail = skip_options(rest, with_arg=_set(name))
        return tail[1:] if tail and "-u" not in rest and "--user" not in rest else tail
    if name == "perf":
        sub = rest[:1]
        if sub and sub[0] in ("stat", "record", "trace", "top", "mem", "c2c", "lock", "sched"):
            rest = rest[1:]
        if "--" in rest:
            return rest[rest.index("--") + 1 :]
    tail = skip_options(rest, with_arg=_set(name))
    if name in ("timeout", "chroot", "faketime", "setarch"):
        return tail[1:]  # the duration, the new root, the fake time, the architecture
    if name in ("chrt", "taskset") and tail and tail[0][:1].isdigit():
        return tail[1:]
    if name == "watch" and len(tail) == 1 and "-x" not in rest and "--exec" not in rest:
        return ["sh", "-c", tail[0]]
    if name == "xargs" and not tail:
        return ["echo"]
    return tail


def _set(name: str) -> frozenset[str]:
    return frozenset(_WITH_ARG.get(name, "").split())


def _env(rest: list[str], out: Unwrapped) -> list[str]:
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok in ("-C", "--chdir") and i + 1 < len(rest):
            out.cwd = rest[i + 1]
            i += 2
        elif tok.startswith("--chdir=") or (tok.startswith("-C") and len(tok) > 2):
            out.cwd = tok.split("=", 1)[1] if tok.startswith("--") else tok[2:]
            i += 1
        elif tok in ("-u", "--unset"):
            i += 2
        elif tok in ("-S", "--split-string") and i + 1 < len(rest):
            rest = rest[:i] + _split(rest[i + 1]) + rest[i + 2 :]
        elif tok.startswith("--split-string="):
            rest = rest[:i] + _split(tok.split("=", 1)[1]) + rest[i + 1 :]
        elif tok.startswith("-") and not tok.startswith("--") and "S" in tok[1:]:
            # `-S'CMD'` and `-iS CMD`: the string after S is split into the command
            cut = tok.index("S")
            attached = tok[cut + 1 :]
            if attached:
                rest = rest[:i] + _split(attached) + rest[i + 1 :]
            elif i + 1 < len(rest):
                rest = rest[:i] + _split(rest[i + 1]) + rest[i + 2 :]
            else:
                i += 1
        elif tok.startswith("-"):
            i += 1
        elif "=" in tok and not tok.startswith("="):
            out.assignments.append(tok)
            i += 1
        else:
            break
    return rest[i:]


def _split(text: str) -> list[str]:
    """`env -S` splits its string with its own quote rules, close to the shell's."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _parallel(rest: list[str], out: Unwrapped | None = None) -> list[str]:
    """`parallel CMD ::: ARGS`: the template with the arguments appended, or each argument."""
    for sep in (":::", "::::", ":::+"):
        if sep in rest:
            cut = rest.index(sep)
            template = skip_options(rest[:cut], with_arg={"-j", "-n", "-S", "--jobs", "-I"})
            values = [a for a in rest[cut + 1 :] if not a.startswith(":::")]
            if template:
                return [*template, *values]
            return ["sh", "-c", "; ".join(values)]
    template = skip_options(rest, with_arg={"-j", "-n", "-S", "--jobs", "-I"})
    return template or ["sh"]
