"""Guard rules for tools with subcommands: git, package and service managers, containers,
power and network state. A subcommand is `safe` only when it is on the tool's read-only list."""

from __future__ import annotations

import re

from intent.guard.git import git_rule
from intent.guard.network import send
from intent.guard.rules import Context, Findings, Rule, rate_write

_PKG_READ = frozenset(
    """list search show info policy view outdated freeze check help --version -V -v version
    madison depends rdepends ls why config doctor -Q -Qi -Qs -Ss -Si -Ql query provides
    whatprovides -l -L -s -S --list -qa -qi -ql -qf showpkg stats dump pkgnames env
    leaves deps uses home audit""".split()
)
_PKG_REMOVE = frozenset("remove purge autoremove uninstall erase rm -R -Rs -Rns -r -e".split())


def package_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    words = [a for a in args if not a.startswith("-")]
    sub = words[0] if words else (args[0] if args else "")
    if (sub in _PKG_READ or (not words and args and args[0] in _PKG_READ)) and not set(words) & {
        "fix",
        "set",
        "add",
        "install",
        "update",
    }:
        return
    if sub in _PKG_REMOVE:
        acc.raise_to("destructive", f"{name} {sub}: removes packages (destructive)")
        return
    acc.raise_to("network", f"{name} {sub}: may download packages".replace("  ", " "))
    acc.raise_to("mutates", f"{name} {sub}: installs or changes packages (mutates)")


_READ_SUBS: dict[str, frozenset[str]] = {
    "systemctl": frozenset(
        "'' status list-units list-unit-files list-sockets list-timers "
        "list-dependencies list-jobs show cat is-active is-enabled "
        "is-failed is-system-running get-default show-environment "
        "--version".split()
    ),
    "loginctl": frozenset(
        "'' list-sessions list-users list-seats show-session show-user "
        "session-status user-status seat-status".split()
    ),
    "docker": frozenset(
        "ps images logs inspect version info top stats events history port diff search".split()
    ),
    "podman": frozenset(
        "ps images logs inspect version info top stats events history port diff search".split()
    ),
    "kubectl": frozenset(
        "get describe logs version explain top api-resources api-versions cluster-info".split()
    ),
    "nmcli": frozenset("'' monitor".split()),
    "tmux": frozenset(
        "ls list-sessions list-windows list-panes list-clients list-keys "
        "list-buffers has-session -V display-message info".split()
    ),
    "screen": frozenset("-ls -list --version -v".split()),
    "brew": frozenset(
        "list ls info search outdated deps uses leaves config doctor --version --prefix".split()
    ),
}
_DOCKER_NESTED = {
    ("compose", "ps"),
    ("compose", "ls"),
    ("compose", "logs"),
    ("compose", "config"),
    ("system", "df"),
    ("system", "info"),
    ("image", "ls"),
    ("container", "ls"),
    ("volume", "ls"),
    ("network", "ls"),
    ("context", "ls"),
    ("config", "view"),
    ("config", "current-context"),
    ("config", "get-contexts"),
    ("image", "inspect"),
    ("container", "inspect"),
    ("volume", "inspect"),
    ("network", "inspect"),
}
_POWER = re.compile(
    r"^(poweroff|reboot|halt|kexec|suspend|hibernate|hybrid-sleep|"
    r"suspend-then-hibernate|rescue|emergency|isolate|soft-reboot|"
    r"default|terminate-\w+|kill-\w+)$"
)
_NET_DOWN = re.compile(
    r"^(off|down|disconnect|delete|del|flush|-F|--flush|-X|-P|-D|--delete|"
    r"-Z|reset|disable|block)$"
)


def service_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    words = [a for a in args if not a.startswith("-") or a in ("-ls", "-list", "-V")]
    sub = words[0] if words else "''"
    nested = tuple(words[:2])
    if name == "nmcli" and set(words) & {"off", "down", "disconnect", "delete"}:
        acc.raise_to("destructive", f"nmcli {' '.join(words[:3])}: cuts the network (destructive)")
        return
    if sub in _READ_SUBS.get(name, ()) or nested in _DOCKER_NESTED:
        if name != "nmcli" or not set(args) & {"off", "down"}:
            return
    if name in ("nmcli",) and (
        sub
        in ("device", "dev", "d", "connection", "con", "c", "radio", "r", "networking", "n", "g")
    ):
        if (
            len(words) <= 2
            and not set(words) & {"off", "down", "disconnect", "delete"}
            or (words[1:2] in (["show"], ["status"], ["list"], ["wifi"]) and "connect" not in words)
        ):
            return
    if name in ("systemctl", "loginctl") and _POWER.match(sub):
        acc.raise_to("destructive", f"{name} {sub}: stops the machine or the session (destructive)")
        return
    if name == "nmcli" and set(words) & {"off", "down", "disconnect", "delete"}:
        acc.raise_to("destructive", f"nmcli {' '.join(words[:3])}: cuts the network (destructive)")
        return
    if name in ("docker", "podman", "kubectl") and (
        set(words) & {"rm", "rmi", "delete", "prune", "down", "kill"}
    ):
        acc.raise_to("destructive", f"{name} {sub}: deletes containers or data (destructive)")
        return
    if (
        name in ("docker", "podman")
        and sub in ("run", "exec", "create")
        and any(re.match(r"^(-v|--volume|--mount)", a) or a == "--privileged" for a in args)
    ):
        acc.raise_to("destructive", f"{name} {sub}: mounts the host into a container (destructive)")
        return
    if name == "crontab":
        if not args or "-l" in args:
            return
        if "-r" in args:
            acc.raise_to("destructive", "crontab -r: deletes the crontab (destructive)")
            return
    what = name if sub == "''" else f"{name} {sub}"
    acc.raise_to("mutates", f"{what}: changes system state (mutates)")


def netstate_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """ip, ifconfig, route, iptables, nft, ufw, rfkill, sysctl, hostnamectl, timedatectl."""
    if name == "ifdown":
        acc.raise_to("destructive", f"ifdown {' '.join(args)}: cuts the network (destructive)")
        return
    if name == "ifup":
        acc.raise_to("mutates", "ifup: changes the network (mutates)")
        return
    if name == "ip" and any(a in ("-b", "-batch", "--batch", "-force") for a in args):
        acc.raise_to("mutates", "ip -batch: runs the ip commands in a file (mutates)")
    words = [a for a in args if not (a.startswith("-") and len(a) == 2 and a[1] in "46brs")]
    down = [w for w in words if _NET_DOWN.match(w)]
    if down and name not in ("sysctl", "hostnamectl", "timedatectl"):
        acc.raise_to("destructive", f"{name} {' '.join(args[:4])}: cuts the network (destructive)")
        return
    setting = {
        "set",
        "add",
        "change",
        "replace",
        "append",
        "up",
        "-A",
        "-I",
        "-N",
        "-w",
        "--write",
        "set-hostname",
        "set-time",
        "set-timezone",
        "set-ntp",
        "enable",
        "allow",
        "deny",
        "insert",
        "create",
        "unblock",
        "-p",
        "--load",
        "-f",
        "--system",
        "hostname",
        "icon-name",
        "chassis",
        "deployment",
        "location",
    }
    if (
        set(args) & setting
        or (name == "ifconfig" and len(words) > 1)
        or (name == "sysctl" and any("=" in a for a in args))
    ):
        acc.raise_to("mutates", f"{name}: changes system state (mutates)")
        return
    if name in ("iptables", "ip6tables", "nft", "ufw") and not set(args) & {
        "-L",
        "--list",
        "-S",
        "--list-rules",
        "list",
        "status",
        "-n",
        "-v",
        "show",
    }:
        acc.raise_to("mutates", f"{name}: changes the firewall (mutates)")


_SQL_DESTROYS = re.compile(
    r"(?i)\b(drop\s+(table|database|schema|index|view|user|role|keyspace|collection)|"
    r"truncate\b|delete\s+from|flushall|flushdb|dropDatabase|\.drop\s*\(|deleteMany|"
    r"\.remove\s*\(|unlink\b|del\b)"
)
_SQL_TEXT_OPTS = ("-e", "-c", "--execute", "--command", "--eval", "-q", "--query", "-cmd")


def sql_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """Database clients: statements that drop or delete data are `destructive`."""
    texts = [a for a in args if not a.startswith("-")] + list(acc.feed_sources)
    for i, a in enumerate(args):
        if a in _SQL_TEXT_OPTS and i + 1 < len(args):
            texts.append(args[i + 1])
        elif a.startswith(tuple(o + "=" for o in _SQL_TEXT_OPTS)):
            texts.append(a.split("=", 1)[1])
    if name in ("dropdb", "dropuser") or (name == "mysqladmin" and "drop" in args):
        texts.append("drop database")
    for text in texts:
        if _SQL_DESTROYS.search(text):
            acc.raise_to("destructive", f"{name}: drops or deletes data (destructive)")
            return
    acc.raise_to("mutates", f"{name}: may change a database (mutates)")


def power_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if name in ("init", "telinit") and args[:1] not in (["0"], ["6"], ["1"], ["s"], ["S"]):
        acc.raise_to("mutates", f"{name}: changes the run level (mutates)")
        return
    acc.raise_to("destructive", f"{name}: stops the machine (destructive)")


def gpg_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    reading = {
        "--list-keys",
        "-k",
        "--list-secret-keys",
        "-K",
        "--fingerprint",
        "--version",
        "--list-sigs",
        "--check-sigs",
        "--verify",
        "--list-packets",
        "--with-colons",
        "--keyid-format",
        "--show-keys",
    }
    if (
        args
        and set(args) <= reading | {a for a in args if not a.startswith("-")}
        and set(args) & reading
    ):
        return
    acc.raise_to("mutates", f"{name}: changes the keyring or writes files (mutates)")


def openssl_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if args[:1] in (
        ["version"],
        ["x509"],
        ["req"],
        ["rsa"],
        ["s_client"],
        ["crl"],
        ["verify"],
        ["ciphers"],
    ) and ("-noout" in args or args[0] in ("version", "ciphers", "verify")):
        if args[0] == "s_client":
            acc.raise_to("network", "openssl s_client: uses the network")
        return
    if args[:1] == ["s_client"]:
        acc.raise_to("network", "openssl s_client: uses the network")
        if acc.feed_kind:
            send("openssl s_client", "stdin", [], acc)
    for i, a in enumerate(args):
        if a in ("-out", "-keyout") and i + 1 < len(args):
            rate_write(args[i + 1], f"openssl {a}", acc, ctx, append=False)
    if args[:1] != ["s_client"]:
        acc.raise_to("mutates", f"openssl {' '.join(args[:1])}: writes files (mutates)")


def ssh_keygen_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if any(re.fullmatch(r"-[lvEf]*l[vEf]*", a) for a in args) or "-F" in args or "-B" in args:
        if not {"-R", "-p", "-c", "-i", "-e", "-y"} & set(args):
            return
    acc.raise_to("mutates", "ssh-keygen: creates or changes keys (mutates)")


def version_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if (
        args
        in (
            [],
            ["version"],
            ["--version"],
            ["-V"],
            ["-v"],
            ["-version"],
            ["env"],
            ["-l"],
            ["-qa"],
            ["list"],
            ["-L"],
        )
        or (
            name == "dpkg"
            and args[:1] in (["-l"], ["-L"], ["-s"], ["-S"], ["--get-selections"], ["--list"])
        )
        or (name == "rpm" and args[:1] and re.fullmatch(r"-q\w*", args[0]))
    ):
        if name in ("go", "cargo", "rustc", "make", "node", "java", "gcc") and not args:
            acc.raise_to("mutates", f"{name}: builds or runs code (mutates)")
        return
    if name == "apt-cache" or (name == "go" and args[:1] in (["env"], ["list"], ["doc"])):
        return
    acc.raise_to(
        "mutates",
        f"{name} {' '.join(args[:1])}: builds, runs or changes things (mutates)".replace("  ", " "),
    )


HANDLERS: dict[str, Rule] = {
    "git": git_rule,
    **{
        n: service_rule
        for n in (
            "systemctl",
            "loginctl",
            "crontab",
            "docker",
            "podman",
            "kubectl",
            "nmcli",
            "tmux",
            "screen",
            "service",
        )
    },
    **{
        n: netstate_rule
        for n in (
            "ip",
            "ifconfig",
            "route",
            "iptables",
            "ip6tables",
            "nft",
            "ufw",
            "rfkill",
            "sysctl",
            "hostnamectl",
            "timedatectl",
            "ifdown",
            "ifup",
            "wg-quick",
            "tc",
        )
    },
    **{
        n: sql_rule
        for n in "mysql mariadb psql sqlite3 redis-cli mongo mongosh clickhouse-client cqlsh "
        "dropdb dropuser mysqladmin".split()
    },
    **{n: power_rule for n in ("reboot", "shutdown", "poweroff", "halt", "init", "telinit")},
    "gpg": gpg_rule,
    "gpg2": gpg_rule,
    "openssl": openssl_rule,
    "ssh-keygen": ssh_keygen_rule,
    **{
        n: version_rule
        for n in (
            "go",
            "rustc",
            "cargo",
            "java",
            "javac",
            "gcc",
            "g++",
            "clang",
            "make",
            "cmake",
            "dpkg",
            "rpm",
            "apt-cache",
            "deno",
            "bun",
            "helm",
            "terraform",
            "kubeadm",
            "dotnet",
            "swift",
            "zig",
            "nvcc",
            "conda",
        )
    },
    **{
        n: package_rule
        for n in (
            "apt",
            "apt-get",
            "dnf",
            "yum",
            "pacman",
            "zypper",
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
            "uv",
            "brew",
        )
    },
}
