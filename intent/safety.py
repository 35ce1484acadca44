"""The guard: pure code that decides how risky a shell command is, and whether to refuse it.

It parses the command (see `shellparse`), strips wrappers such as `sudo`, `env`, `xargs`,
`find -exec` and `sh -c`, resolves `/bin/rm` to `rm`, and classifies each utility with its
arguments. It only ever raises risk. No I/O: callers may pass `exists` to say whether a path
exists (for `mv` onto a file and overwriting redirections) and `cwd`/`home` for `rm -rf .`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from intent.shellparse import Script, Simple, parse, substitutions

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
class _Acc:
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


SYSTEM_DIRS = {
    "/",
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/opt",
    "/proc",
    "/root",
    "/sbin",
    "/srv",
    "/sys",
    "/usr",
    "/var",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/var/lib",
    "/Users",
    "/System",
    "/Library",
    "/Applications",
}
HOME_WORDS = {"~", "$HOME", "${HOME}"}
DISK = re.compile(
    r"^/dev/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+n\d+(p\d+)?|"
    r"mmcblk\d+(p\d+)?|disk\d+(s\d+)?|rdisk\d+|md\d+|dm-\d+|mapper/.+|loop\d+)$"
)
FORK_BOMB = re.compile(r"([\w:.]+)\s*\(\s*\)\s*\{[^}]*\1\s*\|\s*&?\s*\1\s*&[^}]*\}")
HARMLESS_TARGETS = {"/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "-"}

PRIV = {"sudo", "doas", "pkexec", "su", "run0"}
SHELLS = {"sh", "bash", "zsh", "dash", "ksh", "fish", "csh", "tcsh", "ash", "busybox"}
INTERPRETERS = SHELLS | {
    "python",
    "python3",
    "python2",
    "perl",
    "ruby",
    "node",
    "php",
    "lua",
    "pwsh",
}
NETWORK = {
    "curl",
    "wget",
    "ssh",
    "scp",
    "sftp",
    "rsync",
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "ping",
    "ping6",
    "dig",
    "nslookup",
    "host",
    "traceroute",
    "tracepath",
    "mtr",
    "ftp",
    "aria2c",
    "http",
    "https",
    "whois",
    "nmap",
    "socat",
    "ssh-copy-id",
    "mosh",
    "lftp",
    "axel",
}
DESTRUCTIVE = {
    "rm",
    "shred",
    "truncate",
    "wipefs",
    "srm",
    "unlink",
    "dd",
    "mkfs",
    "mke2fs",
    "mkswap",
    "fdisk",
    "sfdisk",
    "parted",
    "gdisk",
    "sgdisk",
    "reboot",
    "shutdown",
    "poweroff",
    "halt",
    "kill -9",
    "userdel",
    "groupdel",
    "deluser",
    "delgroup",
}
WRITES = {
    "cp",
    "mv",
    "mkdir",
    "touch",
    "tee",
    "ln",
    "install",
    "rmdir",
    "patch",
    "chmod",
    "chown",
    "chgrp",
    "unzip",
    "zip",
    "gzip",
    "gunzip",
    "bzip2",
    "bunzip2",
    "xz",
    "unxz",
    "zstd",
    "split",
    "csplit",
    "kill",
    "pkill",
    "killall",
    "crontab",
    "useradd",
    "usermod",
    "groupadd",
    "passwd",
    "chsh",
    "ssh-keygen",
    "mount",
    "umount",
    "systemctl",
    "service",
    "launchctl",
    "rename",
    "mktemp",
    "setfacl",
    "chattr",
    "renice",
    "source",
    ".",
    "make",
    "cmake",
    "ninja",
    "cargo",
    "go",
    "npm",
    "npx",
    "yarn",
    "pnpm",
    "pip",
    "pip3",
    "pipx",
    "uv",
    "poetry",
    "gem",
    "bundle",
    "apt",
    "apt-get",
    "dpkg",
    "dnf",
    "yum",
    "rpm",
    "pacman",
    "zypper",
    "brew",
    "snap",
    "flatpak",
    "port",
    "docker",
    "podman",
    "kubectl",
    "helm",
    "terraform",
    "ansible",
    "tmux",
    "screen",
    "at",
    "git",
    "sqlite3",
    "psql",
    "mysql",
    "redis-cli",
    "convert",
    "ffmpeg",
    "openssl",
    "gpg",
    "xdg-open",
    "open",
    "vim",
    "vi",
    "nano",
    "emacs",
    "code",
    "hostnamectl",
    "timedatectl",
    "sysctl",
    "ip",
    "iptables",
    "ufw",
    "nft",
    "modprobe",
    "insmod",
    "rmmod",
    "swapon",
    "swapoff",
    "tar",
    "sed",
    "perl",
    "sort",
    "ex",
    "ed",
    "nohup",
    "watch",
    "export",
    "alias",
    "unset",
    "set",
}
SAFE = {
    "ls",
    "cat",
    "head",
    "tail",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "find",
    "fd",
    "du",
    "df",
    "wc",
    "sort",
    "uniq",
    "awk",
    "gawk",
    "mawk",
    "echo",
    "printf",
    "pwd",
    "whoami",
    "id",
    "date",
    "uname",
    "hostname",
    "ps",
    "top",
    "htop",
    "btop",
    "free",
    "uptime",
    "which",
    "type",
    "file",
    "stat",
    "less",
    "more",
    "most",
    "tree",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "env",
    "printenv",
    "seq",
    "cut",
    "tr",
    "jq",
    "yq",
    "column",
    "diff",
    "cmp",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "shasum",
    "cksum",
    "b2sum",
    "xxd",
    "hexdump",
    "od",
    "strings",
    "man",
    "help",
    "history",
    "lsof",
    "ss",
    "netstat",
    "lsblk",
    "blkid",
    "journalctl",
    "dmesg",
    "nproc",
    "lscpu",
    "lsusb",
    "lspci",
    "true",
    "false",
    "test",
    "[",
    "[[",
    "sleep",
    "tac",
    "rev",
    "nl",
    "fold",
    "fmt",
    "paste",
    "join",
    "comm",
    "expand",
    "unexpand",
    "bat",
    "batcat",
    "fzf",
    "locate",
    "whereis",
    "cal",
    "bc",
    "expr",
    "tput",
    "clear",
    "sed",
    "zcat",
    "zgrep",
    "zless",
    "bzcat",
    "xzcat",
    "cd",
    "pushd",
    "popd",
    "dirs",
    "time",
    "getent",
    "groups",
    "last",
    "w",
    "who",
    "users",
    "vmstat",
    "iostat",
    "mpstat",
    "sar",
    "pgrep",
    "pstree",
    "pidof",
    "lsmod",
    "arch",
    "locale",
    "tty",
    "stty",
    "xargs",
    "command",
    "exit",
    "return",
    "read",
    "shopt",
    "hash",
    "wait",
    "jobs",
    "fg",
    "bg",
    "ldd",
    "nm",
    "objdump",
    "readelf",
    "size",
    "identify",
    "exiftool",
    "mediainfo",
    "ffprobe",
    "pdfinfo",
    "numfmt",
    "factor",
    "sum",
    "look",
    "iconv",
    "base64",
    "base32",
    "tldr",
    "apropos",
    "whatis",
    "info",
    "declare",
    "local",
    "let",
    "shuf",
    "yes",
    "ncdu",
    "dust",
    "duf",
    "eza",
    "exa",
    "lsd",
    "colordiff",
    "vimdiff",
    "pydoc",
    "systemd-analyze",
    "lsattr",
    "sw_vers",
    "system_profiler",
    "sysctl",
    "ifconfig",
    "ip",
    "route",
    "arp",
    "iwconfig",
    "nmcli",
    "resolvectl",
    "timedatectl",
    "hostnamectl",
    "loginctl",
    "sensors",
    "inxi",
    "neofetch",
    "fastfetch",
    "screenfetch",
    "docker",
    "git",
    "tar",
    "systemctl",
    "crontab",
}


def assess(command: str, *, context: Context | None = None) -> Verdict:
    """The guard's verdict on `command`: its risk, whether to refuse it, and why."""
    ctx = context or Context()
    acc = _Acc()
    if not command.strip():
        acc.raise_to("mutates", "empty command")
        return Verdict(acc.risk, acc.hard, acc.reasons)
    if FORK_BOMB.search(command):
        acc.reject("fork bomb")
    _assess_script(command, acc, ctx, depth=0)
    return Verdict(acc.risk, acc.hard, acc.reasons)


def _assess_script(command: str, acc: _Acc, ctx: Context, depth: int) -> None:
    if depth > 6:
        acc.raise_to("destructive", "nesting too deep to analyse")
        return
    script = parse(command)
    for err in script.errors:
        acc.raise_to("mutates", f"could not parse: {err}")
    for sub in substitutions(script):
        _assess_script(sub, acc, ctx, depth + 1)
    for body in _heredoc_bodies_fed_to_shells(script):
        _assess_script(body, acc, ctx, depth + 1)
    for pipeline in script.pipelines():
        _check_download_to_shell(pipeline, acc)
        for cmd in pipeline:
            _assess_simple(cmd, acc, ctx, depth)


def _heredoc_bodies_fed_to_shells(script: Script) -> list[str]:
    bodies = []
    for cmd in script.commands:
        argv = _unwrap(cmd.argv)[0]
        if argv and _base(argv[0]) in SHELLS:
            bodies.extend(cmd.heredoc_bodies)
    return bodies


def _base(word: str) -> str:
    name = posixpath.basename(word) if "/" in word else word
    return name


def _unwrap(argv: list[str]) -> tuple[list[str], list[str]]:
    """Strip wrappers; return the wrapped command and the wrapper names seen."""
    seen: list[str] = []
    argv = list(argv)
    while argv:
        name = _base(argv[0])
        rest = argv[1:]
        if name in PRIV:
            seen.append(name)
            if name == "su":
                # su -c 'cmd' [user]
                if "-c" in rest and rest.index("-c") + 1 < len(rest):
                    return ["sh", "-c", rest[rest.index("-c") + 1]], seen
                return ["sh"], seen
            argv = _skip_options(
                rest,
                with_arg={
                    "-u",
                    "-g",
                    "-C",
                    "-D",
                    "-p",
                    "-r",
                    "-t",
                    "-U",
                    "-h",
                    "--user",
                    "--group",
                    "--chdir",
                },
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
            argv = _skip_options(
                rest, with_arg={"-n", "-c", "-p", "-o", "-e", "-i", "--adjustment"}
            )
            if name in ("chrt", "taskset") and argv and argv[0][:1].isdigit():
                argv = argv[1:]
        elif name in ("nohup", "exec", "builtin", "command", "time", "caffeinate", "unbuffer"):
            if name == "command" and rest[:1] and rest[0] in ("-v", "-V"):
                return [], seen
            seen.append(name)
            argv = _skip_options(rest, with_arg=set())
        elif name == "timeout":
            seen.append(name)
            argv = _skip_options(rest, with_arg={"-s", "--signal", "-k", "--kill-after"})
            argv = argv[1:]  # the duration
        elif name == "xargs":
            seen.append(name)
            argv = _skip_options(
                rest,
                with_arg={
                    "-n",
                    "-I",
                    "-i",
                    "-P",
                    "-d",
                    "-L",
                    "-s",
                    "-a",
                    "-E",
                    "--max-args",
                    "--delimiter",
                    "--arg-file",
                    "--max-procs",
                    "--replace",
                },
            )
            if not argv:
                argv = ["echo"]
        elif name == "watch":
            seen.append(name)
            argv = _skip_options(rest, with_arg={"-n", "--interval", "-d"})
            if len(argv) == 1:
                argv = ["sh", "-c", argv[0]]
        else:
            break
    return argv, seen


def _skip_options(args: list[str], *, with_arg: set[str]) -> list[str]:
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "-":
        if args[i] == "--":
            return args[i + 1 :]
        i += 2 if args[i] in with_arg else 1
    return args[i:]


def _check_download_to_shell(pipeline: list[Simple], acc: _Acc) -> None:
    downloading = False
    for cmd in pipeline:
        argv, _ = _unwrap(cmd.argv)
        if not argv:
            continue
        name = _base(argv[0])
        if downloading and name in INTERPRETERS and not _has_script_operand(argv):
            acc.reject(f"download piped into a shell ({name})")
        if name in NETWORK or (name in ("git",) and "clone" in argv):
            downloading = True


def _has_script_operand(argv: list[str]) -> bool:
    rest = [a for a in argv[1:] if not a.startswith("-")]
    return bool(rest) and "-c" not in argv and "-e" not in argv


def _flags(args: list[str]) -> set[str]:
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


def _operands(args: list[str]) -> list[str]:
    out, after = [], False
    for a in args:
        if after or not a.startswith("-") or a == "-":
            out.append(a)
        elif a == "--":
            after = True
    return out


def _norm(path: str, ctx: Context) -> str:
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


def _catastrophic_target(raw: str, ctx: Context) -> str | None:
    """Why deleting `raw` recursively would be catastrophic, or None."""
    target = raw.rstrip()
    glob_all = target.endswith("/*") or target == "*" or target == ".*"
    base = target[:-2] if target.endswith("/*") else target
    if target in ("*", ".", "./", "./*", ".*"):
        base = "."
    norm = _norm(base or "/", ctx)
    home_norm = _norm(ctx.home, ctx) if ctx.home else None
    if norm == "/":
        return "recursive delete of /"
    if norm == "~" or (home_norm and norm == home_norm):
        return "recursive delete of the home directory"
    if norm in SYSTEM_DIRS or (glob_all and norm in SYSTEM_DIRS):
        return f"recursive delete of system directory {norm}"
    if base in (".", "./") and ctx.cwd is None and target not in ("*",):
        return None
    return None


def _assess_simple(cmd: Simple, acc: _Acc, ctx: Context, depth: int) -> None:
    _assess_redirects(cmd, acc, ctx)
    argv, wrappers = _unwrap(cmd.argv)
    for w in wrappers:
        if w in PRIV:
            acc.raise_to("sudo", f"{w}: runs as another user (sudo)")
    if not argv:
        return
    word0 = argv[0]
    if word0.startswith("$") or "`" in word0 or "$(" in word0:
        acc.raise_to("destructive", f"the command name {word0!r} is only known at run time")
        return
    name = _base(word0)
    args = argv[1:]
    if word0.startswith("/") and "/" in word0:
        name = _base(word0)
    if name.startswith("mkfs") or name in ("mke2fs", "mkswap", "wipefs", "mkdosfs", "newfs"):
        devices = [a for a in _operands(args) if a.startswith("/dev/")]
        if devices:
            acc.reject(f"{name} formats device {devices[0]}")
        else:
            acc.raise_to("destructive", f"{name}: creates a file system (destructive)")
        return
    handler = _HANDLERS.get(name)
    if handler is not None:
        handler(name, args, acc, ctx, depth)
        return
    if name in SHELLS or name in ("eval",):
        _shell_like(name, args, acc, ctx, depth)
        return
    if name in INTERPRETERS:
        acc.raise_to("mutates", f"{name}: runs a program whose effects are not analysed (mutates)")
        return
    if name in NETWORK:
        acc.raise_to("network", f"{name}: uses the network")
        return
    if name in DESTRUCTIVE:
        acc.raise_to("destructive", f"{name}: deletes or overwrites data (destructive)")
        return
    if name in SAFE:
        return
    if name in WRITES:
        acc.raise_to("mutates", f"{name}: changes files or system state (mutates)")
        return
    acc.raise_to("mutates", f"{name}: unknown utility, treated as mutating")


def _assess_redirects(cmd: Simple, acc: _Acc, ctx: Context) -> None:
    for r in cmd.redirects:
        if r.op in ("<", "<<", "<<-", "<<<", "<&"):
            continue
        if r.op in (">&", "<&") and (r.target.isdigit() or r.target == "-"):
            continue
        target = r.target
        if target in HARMLESS_TARGETS or target.startswith("/dev/fd/"):
            continue
        if DISK.match(target):
            acc.reject(f"redirection writes to raw disk {target}")
            continue
        appending = r.op in (">>", "&>>")
        if (
            not appending
            and _outside_workspace(target, ctx)
            and (ctx.exists is None or ctx.exists(target))
        ):
            acc.raise_to(
                "destructive",
                f"{r.raw}: overwrites {target} outside the working directory (destructive)",
            )
        else:
            acc.raise_to("mutates", f"{r.raw}: writes to {target} (mutates)")


def _outside_workspace(target: str, ctx: Context) -> bool:
    norm = _norm(target, ctx)
    if norm.startswith("/tmp/") or norm == "/tmp" or norm.startswith("/var/tmp/"):
        return False
    if not (
        target.startswith("/")
        or target.startswith("~")
        or target.startswith("$HOME")
        or target.startswith("${HOME}")
        or target.startswith("..")
    ):
        return False
    return not (ctx.cwd and (norm == ctx.cwd or norm.startswith(ctx.cwd.rstrip("/") + "/")))


# ---- per-utility rules -------------------------------------------------------------------


def _rm(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    flags = _flags(args)
    if "--no-preserve-root" in flags:
        acc.reject("rm --no-preserve-root")
    recursive = bool(flags & {"-r", "-R", "--recursive"})
    if recursive:
        for target in _operands(args):
            why = _catastrophic_target(target, ctx)
            if why:
                acc.reject(why)
    acc.raise_to("destructive", f"{name}: deletes files (destructive)")


def _chmod(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    flags = _flags(
        [
            a
            for a in args
            if not re.fullmatch(r"[-+=]?[rwxXstugo]+", a.lstrip("-+=")) or a.startswith("--")
        ]
    )
    if {"-R", "--recursive"} & flags or "-R" in args:
        ops = _operands(args)[1:] if name != "chown" or True else _operands(args)
        for target in ops:
            norm = _norm((target[:-2] or "/") if target.endswith("/*") else target, ctx)
            if norm == "/":
                acc.reject(f"{name} -R on /")
            elif norm in SYSTEM_DIRS or norm == "~":
                acc.raise_to("destructive", f"{name} -R on {norm} (destructive)")
    acc.raise_to("mutates", f"{name}: changes permissions or ownership (mutates)")


def _dd(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    for a in args:
        if a.startswith("of="):
            target = a[3:]
            if DISK.match(target):
                acc.reject(f"dd writes to raw disk {target}")
    acc.raise_to("destructive", "dd: overwrites data (destructive)")


def _shred(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    for target in _operands(args):
        if DISK.match(target):
            acc.reject(f"{name} writes to raw disk {target}")
    acc.raise_to("destructive", f"{name}: destroys file contents (destructive)")


def _find(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
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
                why = _catastrophic_target(root, ctx)
                if why:
                    acc.reject(why.replace("recursive delete", "find -delete"))
            acc.raise_to("destructive", "find -delete: deletes files (destructive)")
        elif a in ("-exec", "-execdir", "-ok", "-okdir"):
            j = i + 1
            while j < len(args) and args[j] not in (";", "+", "\\;"):
                j += 1
            inner = [x for x in args[i + 1 : j]]
            if inner:
                if _base(inner[0]) == "rm" and bool(
                    _flags(inner[1:]) & {"-r", "-R", "--recursive"}
                ):
                    for root in roots or ["."]:
                        why = _catastrophic_target(root, ctx)
                        if why:
                            acc.reject(why)
                sub = Simple(words=[_word(x) for x in inner])
                _assess_simple(sub, acc, ctx, depth + 1)
            i = j
        elif a in ("-fprint", "-fprint0", "-fprintf", "-fls"):
            acc.raise_to("mutates", f"find {a}: writes a file (mutates)")
        i += 1


def _word(text: str):  # a Word for re-assessing nested argv
    from intent.shellparse import Word

    return Word(text, text)


_SUBST = re.compile(r"(?:\$\(|<\(|`)(.*)", re.S)


def _runs_download(args: list[str]) -> bool:
    """Whether an argument is a substitution whose command downloads something."""
    for a in args:
        m = _SUBST.search(a)
        if m:
            for cmd in parse(m.group(1).rstrip(")`")).commands:
                argv, _ = _unwrap(cmd.argv)
                if argv and _base(argv[0]) in NETWORK:
                    return True
    return False


def _shell_like(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    if _runs_download(args):
        acc.reject(f"downloaded code run by {name}")
    if name == "eval":
        _assess_script(" ".join(args), acc, ctx, depth + 1)
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
            _assess_script(args[idx + 1], acc, ctx, depth + 1)
            return
    operands = _operands(args)
    if operands and any(o.startswith("<(") for o in operands):
        return  # the process substitution was assessed on its own (and rejected if a download)
    acc.raise_to("mutates", f"{name}: runs a script whose effects are not analysed (mutates)")


def _git(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    rest = _skip_options(args, with_arg={"-C", "-c", "--git-dir", "--work-tree"})
    sub = rest[0] if rest else ""
    more = rest[1:]
    flags = _flags(more)
    if sub in ("clone", "fetch", "pull", "push", "ls-remote", "remote") and (
        sub != "remote" or more[:1] not in ([], ["-v"], ["show"])
    ):
        acc.raise_to("network", f"git {sub}: uses the network")
        if sub in ("clone", "pull"):
            acc.raise_to("mutates", f"git {sub}: writes the working tree (mutates)")
        if sub == "push" and flags & {"-f", "--force", "--force-with-lease"}:
            acc.raise_to("destructive", "git push --force: rewrites remote history (destructive)")
        return
    if sub == "reset" and "--hard" in flags:
        acc.raise_to("destructive", "git reset --hard: discards changes (destructive)")
    elif sub == "clean" and flags & {"-f", "--force"}:
        acc.raise_to("destructive", "git clean -f: deletes untracked files (destructive)")
    elif sub in ("checkout", "restore") and (
        "--" in more or "." in more or flags & {"-f", "--force"}
    ):
        acc.raise_to("destructive", f"git {sub}: may discard local changes (destructive)")
    elif sub == "branch" and flags & {"-D"}:
        acc.raise_to("destructive", "git branch -D: deletes a branch (destructive)")
    elif sub == "stash" and more[:1] in (["drop"], ["clear"]):
        acc.raise_to("destructive", f"git stash {more[0]}: deletes stashed work (destructive)")
    elif sub in (
        "status",
        "log",
        "diff",
        "show",
        "blame",
        "grep",
        "rev-parse",
        "describe",
        "shortlog",
        "ls-files",
        "ls-tree",
        "cat-file",
        "reflog",
        "whatchanged",
        "help",
        "version",
        "config",
        "remote",
        "tag",
        "branch",
        "stash",
    ) and not (
        sub in ("config", "tag", "branch", "stash")
        and _operands(more)
        and sub != "stash"
        or (sub == "stash" and more[:1] not in ([], ["list"], ["show"]))
    ):
        return
    else:
        acc.raise_to("mutates", f"git {sub or '(no subcommand)'}: changes the repository (mutates)")


def _package_manager(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    ops = _operands(args)
    sub = ops[0] if ops else ""
    read_only = {
        "list",
        "search",
        "show",
        "info",
        "policy",
        "view",
        "outdated",
        "freeze",
        "check",
        "help",
        "--version",
        "-V",
        "madison",
        "depends",
        "rdepends",
        "ls",
        "why",
        "config",
        "doctor",
        "-Q",
        "-Ss",
        "-Si",
        "-Qi",
        "query",
        "provides",
        "whatprovides",
    }
    if sub in read_only or (not ops and name in ("pip", "pip3") and "--version" in args):
        return
    if sub in ("remove", "purge", "autoremove", "uninstall", "erase", "rm", "-R", "-Rs", "-Rns"):
        acc.raise_to("destructive", f"{name} {sub}: removes packages (destructive)")
        return
    if sub in ("install", "add", "update", "upgrade", "i", "-S", "-Syu", "dist-upgrade", "sync"):
        acc.raise_to("network", f"{name} {sub}: downloads packages")
    acc.raise_to(
        "mutates", f"{name} {sub}: installs or changes packages (mutates)".replace("  ", " ")
    )


def _copy_move(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    ops = _operands(args)
    flags = _flags(args)
    if name == "mv" and len(ops) >= 2 and not flags & {"-n", "--no-clobber"}:
        dest = ops[-1]
        if ctx.exists is not None and ctx.exists(dest) and not ctx.exists(dest.rstrip("/") + "/."):
            acc.raise_to(
                "destructive", f"mv onto existing file {dest}: overwrites it (destructive)"
            )
            return
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


def _sed(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    if any(
        a == "-i"
        or a.startswith("-i")
        or a.startswith("--in-place")
        or (a.startswith("-") and not a.startswith("--") and "i" in a[1:] and len(a) < 5)
        for a in args
    ):
        acc.raise_to("mutates", f"{name} -i: edits files in place (mutates)")


def _awk(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    program = next((a for a in args if not a.startswith("-")), "")
    if (
        re.search(r"system\s*\(|\|\s*\"|\|&|>>?\s*\"|>>?\s*[A-Za-z_]\w*\s*(?:;|}|$)", program)
        and re.search(r"print|system|printf", program)
        and ("system" in program or re.search(r"print[^;}]*>", program))
    ):
        acc.raise_to("mutates", f"{name}: the program writes files or runs commands (mutates)")


def _tee(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    targets = [t for t in _operands(args) if t not in HARMLESS_TARGETS]
    for t in targets:
        if DISK.match(t):
            acc.reject(f"tee writes to raw disk {t}")
    if targets:
        acc.raise_to("mutates", f"tee: writes to {', '.join(targets)} (mutates)")


def _curl(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    flags = _flags(args)
    out = None
    for i, a in enumerate(args):
        if a in ("-o", "--output", "-O", "--output-document") and i + 1 < len(args):
            out = args[i + 1] if a not in ("-O",) or name == "wget" else "remote name"
        elif a.startswith("--output-document=") or a.startswith("--output="):
            out = a.split("=", 1)[1]
    if name == "curl" and ("-O" in flags or "--remote-name" in flags) and out is None:
        out = "remote name"
    if name == "wget" and out is None and "--spider" not in flags:
        out = "remote name"
    if out and out not in HARMLESS_TARGETS:
        acc.raise_to("mutates", f"{name}: saves a download to {out} (mutates)")


def _rsync(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    ops = _operands(args)
    if any(re.match(r"^[\w.@-]+:", o) for o in ops) or name != "rsync":
        acc.raise_to("network", f"{name}: copies over the network")
    if "--delete" in args or any(a.startswith("--delete") for a in args):
        acc.raise_to(
            "destructive", f"{name} --delete: removes files at the destination (destructive)"
        )
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


def _tar(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    first = args[0] if args else ""
    letters = first.lstrip("-") if first and not first.startswith("--") else ""
    flags = _flags(args) | {f"-{c}" for c in letters}
    if flags & {"-t", "--list"} and not flags & {"-x", "-c", "-r", "-u"}:
        return
    acc.raise_to("mutates", f"{name}: creates or extracts files (mutates)")


def _kill(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    if name == "kill" and any(o in ("-1", "1") for o in args if o in ("-1",)) and "-9" in args:
        acc.raise_to("destructive", "kill -9 -1: kills every process you own (destructive)")
    acc.raise_to("mutates", f"{name}: stops processes (mutates)")


def _service(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    ops = _operands(args)
    sub = ops[0] if ops else ""
    if name == "systemctl" and sub in (
        "",
        "status",
        "list-units",
        "list-unit-files",
        "show",
        "cat",
        "is-active",
        "is-enabled",
        "is-failed",
        "list-timers",
    ):
        return
    if name == "crontab" and _flags(args) & {"-l"} or (name == "crontab" and not args):
        return
    if name == "crontab" and "-r" in _flags(args):
        acc.raise_to("destructive", "crontab -r: deletes the crontab (destructive)")
        return
    if name in ("docker", "podman", "kubectl") and sub in (
        "ps",
        "images",
        "logs",
        "inspect",
        "get",
        "describe",
        "version",
        "info",
        "top",
        "stats",
        "events",
        "history",
        "port",
    ):
        return
    if (
        name in ("docker", "podman", "kubectl")
        and sub in ("rm", "rmi", "delete", "prune")
        or (name in ("docker", "podman") and "prune" in ops)
    ):
        acc.raise_to("destructive", f"{name} {sub}: deletes containers or data (destructive)")
        return
    if name in ("ip", "ifconfig", "sysctl", "hostnamectl", "timedatectl") and (
        len(ops) <= 2
        and not {
            "set",
            "add",
            "del",
            "delete",
            "flush",
            "-w",
            "up",
            "down",
            "set-hostname",
            "set-time",
        }
        & set(args)
    ):
        return
    if name in ("ip", "ifconfig", "sysctl", "hostnamectl", "timedatectl"):
        if not {
            "set",
            "add",
            "del",
            "delete",
            "flush",
            "-w",
            "up",
            "down",
            "set-hostname",
            "set-time",
            "set-timezone",
        } & set(args):
            return
    acc.raise_to("mutates", f"{name} {sub}: changes system state (mutates)".replace("  ", " "))


def _sort(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    if any(
        a == "-o" or a.startswith("--output") or (a.startswith("-o") and len(a) > 2) for a in args
    ):
        acc.raise_to("mutates", "sort -o: writes a file (mutates)")


def _perl(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    if (
        any(
            a.startswith("-") and not a.startswith("--") and "i" in a[1:] and "e" not in a[1:2]
            for a in args
        )
        or "-i" in args
    ):
        acc.raise_to("mutates", "perl -i: edits files in place (mutates)")
    acc.raise_to("mutates", "perl: runs a program whose effects are not analysed (mutates)")


def _reboot(name: str, args: list[str], acc: _Acc, ctx: Context, depth: int) -> None:
    acc.raise_to("destructive", f"{name}: stops the machine (destructive)")


_HANDLERS: dict[str, Callable[[str, list[str], _Acc, Context, int], None]] = {
    "rm": _rm,
    "chmod": _chmod,
    "chown": _chmod,
    "chgrp": _chmod,
    "dd": _dd,
    "shred": _shred,
    "find": _find,
    "git": _git,
    "cp": _copy_move,
    "mv": _copy_move,
    "sed": _sed,
    "gsed": _sed,
    "awk": _awk,
    "gawk": _awk,
    "mawk": _awk,
    "tee": _tee,
    "curl": _curl,
    "wget": _curl,
    "rsync": _rsync,
    "scp": _rsync,
    "tar": _tar,
    "kill": _kill,
    "pkill": _kill,
    "killall": _kill,
    "systemctl": _service,
    "crontab": _service,
    "docker": _service,
    "podman": _service,
    "kubectl": _service,
    "ip": _service,
    "ifconfig": _service,
    "sysctl": _service,
    "hostnamectl": _service,
    "timedatectl": _service,
    "sort": _sort,
    "perl": _perl,
    "reboot": _reboot,
    "shutdown": _reboot,
    "poweroff": _reboot,
    "halt": _reboot,
    **{
        pm: _package_manager
        for pm in (
            "apt",
            "apt-get",
            "dnf",
            "yum",
            "pacman",
            "zypper",
            "brew",
            "pip",
            "pip3",
            "npm",
            "yarn",
            "pnpm",
            "gem",
            "snap",
            "flatpak",
            "port",
            "pipx",
            "cargo",
            "uv",
            "conda",
        )
    },
}
