"""The confinement: what runs without a typed answer runs where it cannot change anything.

Two uses, one mechanism (bubblewrap on Linux, `sandbox-exec` on macOS):

- `read_only(argv, cwd)`: a command the user let run with Enter or `-y` (rated `safe` or
  `network`). The whole file system is mounted read-only, `/tmp` is private and empty, the
  credential stores are hidden, `/dev` is a minimal one that still holds the terminal, no
  capabilities. The network is shared and so is the view of processes: `ps`, `ss` and `ip addr`
  see this machine, `curl` reaches it (see `_bwrap` for why processes are seen, not reached).
- `probe(argv, cwd)`: a program `i` itself starts with text that came from somewhere untrusted
  before the user confirmed anything (`NAME --help` for the documentation). Read-only as above,
  and no network.

This module builds argv prefixes and answers whether the confinement works here; it starts
nothing itself but the one-time check (`status`), through `process`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import re
import shutil
import struct
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from intent import process

# Credential stores, hidden inside the confinement: the same stores the model's read-only tools
# refuse (turn/tools.CREDENTIAL_DIRS and CREDENTIAL_GLOBS; tests/run/test_confine.py ties them).
HOME_SECRETS = (
    ".ssh",
    ".gnupg",
    ".aws",
    ".azure",
    ".kube",
    ".docker",
    ".password-store",
    ".config/gcloud",
    ".config/gh",
    ".gh",
    ".config/hub",
    ".config/op",
    ".config/rclone",
    ".local/share/keyrings",
    ".pki",
    ".vault-token",
    ".netrc",
    "_netrc",
    ".git-credentials",
    ".pgpass",
    ".my.cnf",
    ".npmrc",
    ".pypirc",
    ".terraform.d/credentials.tfrc.json",
    ".bash_history",
    ".zsh_history",
    ".local/share/fish/fish_history",
    ".python_history",
    ".psql_history",
    ".mysql_history",
    ".sqlite_history",
    ".rediscli_history",
    ".node_repl_history",
    ".config/git/credentials",
    ".s3cfg",
    ".boto",
    ".cargo/credentials",
    ".cargo/credentials.toml",
    ".config/containers/auth.json",
    ".authinfo",
    ".authinfo.gpg",
    ".config/sops",
    ".gem/credentials",
    ".m2/settings.xml",
    ".m2/settings-security.xml",
    ".gradle/gradle.properties",
    ".subversion/auth",
    ".msmtprc",
    ".fetchmailrc",
    ".mozilla",
    ".config/google-chrome",
    ".config/chromium",
    ".config/BraveSoftware",
    ".env",
    ".envrc",
    ".curlrc",
    ".wgetrc",
    ".config/doctl",
    ".config/hcloud",
    ".oci",
    ".ibmcloud",
    ".config/netlify",
    ".config/heroku",
    ".netlify",
    ".terraformrc",
    ".config/Code/User/globalStorage",
    ".local/share/python_keyring",
    ".config/age",
    ".age",
    ".config/1Password",
    ".config/Bitwarden CLI",
    ".docker/config.json",
)
SYSTEM_SECRETS = (
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/shadow-",
    "/etc/gshadow-",
    "/etc/ssh",  # host keys
    "/etc/ssl/private",
    "/root/.ssh",
    "/var/run/docker.sock",  # a socket a read-only mount does not stop: it runs containers
    "/run/docker.sock",
    "/run/containerd",
    "/run/podman",
)

# What a program prints when the read-only view stopped a write.
WRITE_REFUSED = re.compile(
    r"read-only file system|\bEROFS\b",
    re.IGNORECASE,
)

MODES = ("auto", "always", "never")


@dataclass(frozen=True)
class Status:
    """Whether the confinement works on this machine, and if not why and how to fix it."""

    works: bool
    tool: str  # "bwrap" | "sandbox-exec" | ""
    reason: str  # one line: what was found
    fix: str = ""


@functools.cache
def status() -> Status:
    """Checked once per process: the tool is there and a confined `true` runs (a kernel that
    denies user namespaces, or a container without the mount capability, fails here)."""
    if sys.platform == "darwin":
        tool = shutil.which("sandbox-exec")
        if not tool:
            return Status(False, "", "sandbox-exec was not found", "it ships with macOS")
        res = process.run([tool, "-p", _darwin_profile(Path("/"), network=True), "true"], timeout=5)
        if res.returncode != 0:
            return Status(False, "sandbox-exec", f"sandbox-exec failed: {_line(res.stderr)}")
        return Status(True, "sandbox-exec", f"sandbox-exec at {tool}")
    if not sys.platform.startswith("linux"):
        return Status(False, "", f"no confinement is known for {sys.platform}")
    tool = shutil.which("bwrap")
    if not tool:
        return Status(
            False,
            "",
            "bubblewrap (bwrap) was not found",
            "install it: apt-get install bubblewrap (dnf/pacman: bubblewrap)",
        )
    res = process.run([*_bwrap(_system_tool("bwrap"), Path("/"), network=False), "true"], timeout=5)
    if res.returncode != 0:
        why = _line(res.stderr) or f"exit {res.returncode}"
        fix = (
            "allow unprivileged user namespaces: sysctl kernel.unprivileged_userns_clone=1 "
            "(or kernel.apparmor_restrict_unprivileged_userns=0 on Ubuntu 24.04)"
            if "namespace" in why.lower() or "permitted" in why.lower()
            else "run `bwrap --ro-bind / / true` to see why"
        )
        return Status(False, "bwrap", f"bwrap cannot confine here: {why}", fix)
    return Status(True, "bwrap", f"bubblewrap at {tool}")


@dataclass
class Confined:
    """An argv ready to run confined, and the file descriptors it needs passed (the seccomp
    program bwrap reads). Close it after the run."""

    argv: list[str]
    fds: tuple[int, ...] = ()
    _open: list[int] = field(default_factory=list)

    def close(self) -> None:
        for fd in self._open:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._open.clear()


@contextlib.contextmanager
def read_only(argv: Sequence[str], cwd: Path) -> Iterator[Confined]:
    """`argv` in a read-only view of this machine (network and processes shared)."""
    with _confined(argv, cwd, network=True) as confined:
        yield confined


@contextlib.contextmanager
def probe(argv: Sequence[str], cwd: Path) -> Iterator[Confined | None]:
    """`argv` confined for `i`'s own look at untrusted text: read-only, no network, its own
    PID namespace. None when the confinement does not work here (then do not run it)."""
    if not status().works:
        yield None
        return
    with _confined(argv, cwd, network=False) as confined:
        yield confined


@contextlib.contextmanager
def sandbox(argv: Sequence[str], cwd: Path, *, writable: bool) -> Iterator[Confined]:
    """`--sandbox` (`writable`: the working directory may change) and `--ro`: the same view,
    for a command the user confirmed and chose to fence in."""
    with _confined(argv, cwd, network=True, writable=cwd if writable else None) as confined:
        yield confined


# The trial's overlay: mounted by a shell in a user and mount namespace of its own (`unshare`,
# util-linux), which then becomes the confinement; bubblewrap 0.8 has no overlay of its own.
# The working directory is the overlay's lower layer and its mount point, so every write lands
# in `upper`; the shell's operands are paths, never text from a reply.
_OVERLAY = (
    '"$5" -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3$4" "$1" || exit 97; '
    'ulimit -f 131072; shift 5; exec "$@"'  # no file over 64 MB (512-byte blocks)
)
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
OVERLAY_FAILED = 97


@contextlib.contextmanager
def trial(argv: Sequence[str], cwd: Path, layer: Path) -> Iterator[Confined | None]:
    """`argv` on a throwaway copy-on-write view of `cwd`: what it writes there lands in
    `layer/upper` (created here), the rest is the read-only view with no network. None where
    that cannot be built (no confinement, no `unshare`, or a path overlayfs cannot name)."""
    unshare, mount, sh = (shutil.which(t, path=SYSTEM_PATH) for t in ("unshare", "mount", "sh"))
    st = status()
    if not (st.works and st.tool == "bwrap" and unshare and mount and sh) or not _overlay_safe(
        cwd, layer
    ):
        yield None
        return
    (layer / "upper").mkdir(parents=True, exist_ok=True)
    (layer / "work").mkdir(exist_ok=True)
    with _confined(argv, cwd, network=False, writable=cwd) as inner:
        inner.argv = [
            unshare,
            "--user",
            "--map-root-user",
            "--mount",
            "--",
            sh,
            "-c",
            _OVERLAY,
            "intent-trial",
            str(cwd),
            str(layer / "upper"),
            str(layer / "work"),
            ",userxattr",  # whiteouts and opaque directories as user.* attributes
            mount,
            *inner.argv,
        ]
        # credential files in the directory itself are hidden from the trial too (its errors
        # go back to the model, which may be remote): before the final "--"
        hide = [a for f in workdir_secrets(cwd) for a in ("--ro-bind", "/dev/null", str(f))]
        cut = len(inner.argv) - len(argv) - 1
        inner.argv[cut:cut] = hide
        yield inner


# names of files that hold credentials, wherever they are (the tools refuse them too)
_SECRET_FILE = re.compile(
    r"^(?:\.env(?:\..*)?|\.envrc|\.netrc|\.pgpass|\.npmrc|\.pypirc|\.git-credentials|"
    r"\.vault-token|credentials(?:\..*)?|id_(?:rsa|dsa|ecdsa|ed25519)(?!.*\.pub$).*|.*\.pem|"
    r".*\.key|.*\.p12|.*\.pfx|.*\.kdbx|.*\.tfstate)$"
)


def workdir_secrets(cwd: Path, limit: int = 400) -> list[Path]:
    """Credential files in `cwd` and the directories just below it (regular files only)."""
    found: list[Path] = []
    seen = 0
    dirs = [cwd]
    with contextlib.suppress(OSError):
        dirs += [e for e in sorted(cwd.iterdir())[:100] if e.is_dir() and not e.is_symlink()]
    for d in dirs:
        try:
            entries = sorted(d.iterdir())
        except OSError:
            continue
        for entry in entries:
            seen += 1
            if seen > limit:
                return found
            if _SECRET_FILE.match(entry.name) and entry.is_file() and not entry.is_symlink():
                found.append(entry)
    return found


def _system_tool(name: str) -> str:
    """A tool that runs outside the confinement, found on the system's own PATH (a `.` or a
    writable directory early in the user's PATH must not choose it)."""
    return shutil.which(name, path=SYSTEM_PATH) or shutil.which(name) or name


def _overlay_safe(cwd: Path, layer: Path) -> bool:
    """overlayfs splits its options at `,` and its layers at `:`; `/` has no parent to hide."""
    names = (str(cwd), str(layer))
    return (
        cwd.is_absolute() and cwd != Path("/") and not any(c in n for n in names for c in ",:\\\n")
    )


@contextlib.contextmanager
def _confined(
    argv: Sequence[str], cwd: Path, *, network: bool, writable: Path | None = None
) -> Iterator[Confined]:
    st = status()
    if not st.works:
        raise RuntimeError(st.reason)
    if st.tool == "sandbox-exec":
        profile = _darwin_profile(cwd, network=network, writable=writable)
        yield Confined(["sandbox-exec", "-p", profile, *argv])
        return
    prefix = _bwrap(_system_tool("bwrap"), cwd, network=network, writable=writable)
    confined = Confined(prefix)
    program = seccomp_program(no_unix=not network)  # the probes and the trial
    if program is not None:
        fd = _memfd(program)
        confined._open.append(fd)
        confined.fds = (fd,)
        prefix[-1:-1] = ["--seccomp", str(fd)]  # before the final "--"
    confined.argv = [*prefix, *argv]
    try:
        yield confined
    finally:
        confined.close()


# seccomp: a confined program must not type into the user's terminal. TIOCSTI pushes bytes into
# the terminal's input queue (they would run in the user's shell once `i` exits) and TIOCLINUX
# can do the same on a Linux console; both are refused with EPERM. bwrap reads the filter, a
# classic BPF program, from a file descriptor. For the trial and the probes (`no_unix`), Unix
# sockets are refused too: a socket with a file name is reachable through a read-only mount and
# outside every namespace (an ssh-agent signs, a session bus starts programs, a docker socket is
# root), and `--unshare-net` cuts only TCP and the abstract ones.
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C
_AF_UNIX = 1
# per machine: (audit arch, ioctl's number, socket's number) for the native ABI and the 32-bit
# one the kernel also accepts (`int 0x80` on x86_64, AArch32 on arm64), plus the 32-bit socket
# calls (socketcall and socket); any other ABI is refused outright
_ARCH = {
    "x86_64": ((0xC000003E, 16, 41), (0x40000003, 54, (102, 359))),
    "aarch64": ((0xC00000B7, 29, 198), (0x40000028, 54, (102, 281))),
}
_ALLOW, _EPERM = 0x7FFF0000, 0x00050000 | 1
_LD, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06


def seccomp_program(machine: str | None = None, *, no_unix: bool = False) -> bytes | None:
    """The filter for this machine's architecture, or None for one not known here."""
    abis = _ARCH.get(machine or platform.machine())
    if abis is None:
        return None
    (native, native_ioctl, native_socket), (compat, compat_ioctl, compat_sockets) = abis
    # (label, code, jump-if-true label, jump-if-false label, k); labels resolve to offsets
    prog: list[tuple[str, int, str, str, int]] = [
        ("", _LD, "", "", 4),  # seccomp_data.arch
        ("", _JEQ, "native", "", native),
        ("", _JEQ, "compat", "deny", compat),  # an ABI we do not know: nothing
        ("native", _LD, "", "", 0),  # seccomp_data.nr
        ("", _JGE, "deny", "", 0x40000000),  # x32 system calls
        ("", _JEQ, "ioctl", "", native_ioctl),
    ]
    if no_unix:
        prog.append(("", _JEQ, "socket", "", native_socket))
    prog += [("", _RET, "", "", _ALLOW), ("compat", _LD, "", "", 0)]
    prog.append(("", _JEQ, "ioctl", "", compat_ioctl))
    if no_unix:
        prog += [("", _JEQ, "deny", "", nr) for nr in compat_sockets]
    prog += [
        ("", _RET, "", "", _ALLOW),
        ("ioctl", _LD, "", "", 24),  # the low half of args[1], the request
        ("", _JEQ, "deny", "", _TIOCSTI),
        ("", _JEQ, "deny", "", _TIOCLINUX),
        ("", _RET, "", "", _ALLOW),
        ("socket", _LD, "", "", 16),  # the low half of args[0], the address family
        ("", _JEQ, "deny", "", _AF_UNIX),
        ("", _RET, "", "", _ALLOW),
        ("deny", _RET, "", "", _EPERM),
    ]
    at = {label: n for n, (label, *_rest) in enumerate(prog) if label}
    out = []
    for n, (_label, code, jt, jf, k) in enumerate(prog):
        out.append(
            struct.pack(
                "=HBBI",
                code,
                at[jt] - n - 1 if jt else 0,
                at[jf] - n - 1 if jf else 0,
                k,
            )
        )
    return b"".join(out)


def _memfd(data: bytes) -> int:
    fd = os.memfd_create("intent-seccomp", 0) if hasattr(os, "memfd_create") else -1
    if fd < 0:
        read, write = os.pipe()
        os.write(write, data)
        os.close(write)
        os.set_inheritable(read, True)
        return read
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    os.set_inheritable(fd, True)
    return fd


def tried_to_write(exit_code: int, stderr: str) -> bool:
    """A confined command that failed and said a write was refused."""
    return bool(WRITE_REFUSED.search(stderr))  # whatever it exited with: it may hide failure


# Programs that usually need a credential store, a socket or an agent the view hides: when one
# of them fails confined, the user is told why it may have failed (and may run it unconfined).
CREDENTIAL_USERS = re.compile(
    r"(?<![\w.-])(?:docker|podman|kubectl|helm|gh|hub|aws|gcloud|gsutil|az|ssh|scp|sftp|rsync|"
    r"git|gpg|pass|vault|terraform|doctl|flyctl|heroku|op|npm|pip|twine|psql|mysql)(?![\w.-])"
)


def may_need_credentials(command: str) -> bool:
    return bool(CREDENTIAL_USERS.search(command))


# -- the one exception: a look at other processes' open files -----------------------------------
#
# The user namespace that closes `/proc/PID/root` (a way out of any read-only view) also closes
# `/proc/PID/fd`, so `lsof -i :3000`, `ss -p`, `netstat -p` and `fuser` print nothing useful
# inside the view. A command made only of these listers, optionally piped into plain text
# filters, in a shape that cannot do anything else (no expansion, substitution, redirection or
# list operator; no option that writes, kills or switches namespaces), whose programs are the
# system's own (resolved on PATH to a root-owned file in a system directory nobody else can
# write), runs outside the view. Everything else runs inside.

# Each program's words, as a positive grammar: a word not matched is not in the shape. No file
# operand anywhere (a filter given a file would read it outside the view), no option that writes,
# kills, reads a file or switches namespaces, no GNU abbreviation (`--di` is `--diag`).
_PORTISH = r"(?:[\w.*-]*:[\w-]+|[\w.-]+/(?:tcp|udp)|\d{1,5})"
_SS_FILTER = (
    r"state|sport|dport|src|dst|=|==|!=|eq|neq|gt|lt|ge|le|and|or|not|all|connected"
    r"|established|listening|synchronized|time-wait|close-wait|syn-sent|syn-recv|closed"
    r"|" + _PORTISH + r"|[\d.]+(?::\d+)?|\[?[0-9a-fA-F:]+\]?(?::\d+)?"
)


@dataclass(frozen=True)
class _Words:
    """One program's words in the shape: flags (no argument), options with the argument they
    take (the next word), and how many operands of what form."""

    flags: str
    takes: dict[str, str] = field(default_factory=dict)
    operand: str | None = None
    operands: int = 0  # at most; -1: any number


_SHAPES: dict[str, _Words] = {
    "lsof": _Words(
        r"-[inPtlwVR]+|-a|-i[46]?(?:tcp|udp|TCP|UDP)?(?::[\w-]+)?|-s(?:TCP|UDP):[A-Z_]+",
        {
            "-p": r"\d+(?:,\d+)*",
            "-u": r"[a-z_][\w-]{0,31}",
            "-c": r"[\w.-]{1,15}",
            "-i": r"[46]?(?:tcp|udp|TCP|UDP)?(?::[\w-]+)?",
        },
    ),
    "ss": _Words(
        r"-[tuwxlanpeomis46rHOE]+|--(?:tcp|udp|listening|numeric|processes|all|ipv4|ipv6"
        r"|extended|info|memory|resolve|summary|no-header|oneline|unix|raw|options)",
        {"-f": r"inet6?|unix|link|netlink", "-A": r"[a-z,_]+"},
        _SS_FILTER,
        -1,
    ),
    "netstat": _Words(r"-[tulpnaeWw46]+"),
    "fuser": _Words(r"-[vau]+", {"-n": r"tcp|udp"}, _PORTISH, -1),
    "pwdx": _Words(r"(?!)", {}, r"\d+", -1),
    "grep": _Words(r"-[ivwcnoxEFH]+", {"-e": r".+"}, r"[^-].*", 1),
    "head": _Words(r"-\d+|-n[+-]?\d+", {"-n": r"[+-]?\d+", "-c": r"\d+"}),
    "tail": _Words(r"-\d+|-n[+-]?\d+", {"-n": r"[+-]?\d+", "-c": r"\d+"}),
    "wc": _Words(r"-[lwcm]+"),
    "cut": _Words(
        r"-d[^\w\s]|-[fc][\d,-]+", {"-d": r"[^\w\s]", "-f": r"[\d,-]+", "-c": r"[\d,-]+"}
    ),
    "sort": _Words(r"-[nrhuV]+|-k[\d,.a-z]+|-t[^\w\s]", {"-k": r"[\d,.a-z]+", "-t": r"[^\w\s]"}),
    "uniq": _Words(r"-[cdu]+"),
    "column": _Words(r"-t"),
}
_LISTERS = {"lsof", "ss", "netstat", "fuser", "pwdx"}
_FILTERS = {"grep", "head", "tail", "wc", "cut", "sort", "uniq", "column"}
_SYSTEM_DIRS = ("/usr/bin", "/usr/sbin", "/bin", "/sbin")
_NOT_IN_SHAPE = re.compile(r"[$`;&<>(){}\\\n\r*?\[\]!#~]|\|\|")


def _in_shape(program: str, args: list[str]) -> bool:
    shape = _SHAPES[program]
    operands = 0
    words = iter(args)
    for word in words:
        if word in shape.takes:
            value = next(words, None)
            if value is None or not re.fullmatch(shape.takes[word], value):
                if word == "-i" and program == "lsof" and value is None:
                    continue  # `lsof -i` alone lists every socket
                return False
            if word == "-e":
                operands += 1  # grep's pattern given by -e: no other operand
        elif re.fullmatch(shape.flags, word):
            continue
        elif shape.operand is not None and re.fullmatch(shape.operand, word):
            operands += 1
            if shape.operands >= 0 and operands > shape.operands:
                return False  # grep's second operand would be a file
        else:
            return False
    return True


def process_view(command: str) -> bool:
    """`command` only lists other processes' files or sockets, in the fixed shape above, with
    the system's own programs: it may run outside the view (which would hide what it lists)."""
    if not command.strip() or len(command) > 300 or _NOT_IN_SHAPE.search(command):
        return False
    import shlex

    for n, stage in enumerate(command.split("|")):
        try:
            words = shlex.split(stage)
        except ValueError:
            return False
        if not words:
            return False
        program, args = words[0], words[1:]
        allowed = _LISTERS if n == 0 else _FILTERS
        if program not in allowed or not _system_program(program):
            return False
        if not _in_shape(program, args):
            return False
    return True


def _system_program(name: str) -> bool:
    found = shutil.which(name)
    if not found:
        return False
    real = Path(os.path.realpath(found))
    if str(real.parent) not in _SYSTEM_DIRS:
        return False
    try:
        for path in (real, real.parent):
            st = path.stat()
            if st.st_uid != 0 or st.st_mode & 0o022:
                return False
        with open(real, "rb") as fh:
            if fh.read(2) == b"#!":
                return False  # a script (egrep is `exec grep -E`, found again on PATH)
    except OSError:
        return False
    return True


def hidden(home: Path | None = None) -> list[Path]:
    """The credential stores that exist on this machine (only those can be covered): under the
    user's home, under every other home this user can read (root reads them all), and the
    system's."""
    homes = [home or Path.home(), *_other_homes()]
    found = []
    seen = set()
    candidates = [h / rel for h in homes for rel in HOME_SECRETS]
    for path in (*candidates, *map(Path, SYSTEM_SECRETS)):
        if path.is_symlink():  # a dotfiles-style link: hide what it points to
            path = Path(os.path.realpath(path))
        if path not in seen and os.path.lexists(path):
            seen.add(path)
            found.append(path)
    # a store inside a hidden directory is already hidden
    return [p for p in found if not any(q in p.parents for q in found)]


def _other_homes(limit: int = 32) -> list[Path]:
    homes = []
    for base in (Path("/home"), Path("/root")):
        try:
            if base == Path("/root"):
                entries = [base] if os.access(base, os.R_OK | os.X_OK) else []
            else:
                entries = [e for e in base.iterdir() if e.is_dir() and os.access(e, os.X_OK)]
        except OSError:
            continue
        homes += entries[:limit]
    return homes[:limit]


def _bwrap(tool: str, cwd: Path, *, network: bool, writable: Path | None = None) -> list[str]:
    """The bubblewrap argv up to its final `--`.

    A user namespace of its own with every capability dropped: without it, a process as root
    keeps its capabilities (remount `/` writable, unmount what hides a key), and any process can
    reach the writable root of another process of the same user through `/proc/PID/root`; in a
    user namespace the kernel refuses both, and ptrace. A PID namespace of its own, so nothing
    it starts (`setsid … &`) outlives the command, with this machine's `/proc` (part of the
    read-only `/`), so `ps`, `top` and `pgrep` still see every process."""
    argv = [
        tool,
        "--unshare-user",
        "--unshare-pid",
        "--cap-drop",
        "ALL",
        "--ro-bind",
        "/",
        "/",
        "--dev",  # null, zero, random, tty, and the terminal as /dev/console; no disks
        "/dev",
        "--tmpfs",
        "/tmp",  # noqa: S108 - a private, empty tmpfs inside the sandbox
        "--die-with-parent",
    ]
    tmp = Path("/tmp")  # noqa: S108
    if cwd == tmp or tmp in cwd.parents:
        argv += ["--ro-bind", str(cwd), str(cwd)]  # a working directory under /tmp stays visible
    if not network:
        argv.append("--unshare-net")
    if writable is not None:
        # before the hiding: a bind mounted after it would cover the hidden stores below it
        # (`--sandbox` in the home directory showed ~/.ssh again)
        argv += ["--bind", str(writable), str(writable)]
    for path in hidden():
        if path.is_dir() and not path.is_symlink():
            argv += ["--tmpfs", str(path)]
        elif not path.is_symlink():
            argv += ["--ro-bind", "/dev/null", str(path)]
    argv += ["--chdir", str(cwd), "--"]
    return argv


def _darwin_profile(cwd: Path, *, network: bool, writable: Path | None = None) -> str:
    home = Path.home()
    deny_read = " ".join(f'(subpath "{home / rel}")' for rel in HOME_SECRETS)
    rules = [
        "(version 1)",
        "(allow default)",
        "(deny file-write*)",
        '(allow file-write* (literal "/dev/null") (regex #"^/dev/tty") (regex #"^/dev/fd/"))',
    ]
    if writable is not None:
        rules.append(f'(allow file-write* (subpath "{writable}") (subpath "/private/tmp"))')
    rules.append(f"(deny file-read* {deny_read})")
    if not network:
        rules.append("(deny network*)")
    return "".join(rules)


def _line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
