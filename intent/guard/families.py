"""Guard rules for tools with subcommands or remote effects: git, package and service
managers, containers, downloads, process control, power."""

from __future__ import annotations

import re

from intent.guard.rules import Context, Findings, Rule, flags_in, operands, skip_options
from intent.guard.words import HARMLESS_TARGETS


def _git(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    rest = skip_options(args, with_arg={"-C", "-c", "--git-dir", "--work-tree"})
    sub = rest[0] if rest else ""
    more = rest[1:]
    flags = flags_in(more)
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
        and operands(more)
        and sub != "stash"
        or (sub == "stash" and more[:1] not in ([], ["list"], ["show"]))
    ):
        return
    else:
        acc.raise_to("mutates", f"git {sub or '(no subcommand)'}: changes the repository (mutates)")


def _package_manager(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    ops = operands(args)
    sub = ops[0] if ops else ""
    read_only = frozenset(
        "list search show info policy view outdated freeze check help --version -V madison depends rdepends ls why config doctor -Q -Ss -Si -Qi query provides whatprovides".split()
    )
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


def _curl(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    flags = flags_in(args)
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


def _rsync(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    ops = operands(args)
    if any(re.match(r"^[\w.@-]+:", o) for o in ops) or name != "rsync":
        acc.raise_to("network", f"{name}: copies over the network")
    if "--delete" in args or any(a.startswith("--delete") for a in args):
        acc.raise_to(
            "destructive", f"{name} --delete: removes files at the destination (destructive)"
        )
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


def _kill(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    if name == "kill" and any(o in ("-1", "1") for o in args if o in ("-1",)) and "-9" in args:
        acc.raise_to("destructive", "kill -9 -1: kills every process you own (destructive)")
    acc.raise_to("mutates", f"{name}: stops processes (mutates)")


def _service(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    ops = operands(args)
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
    if name == "crontab" and flags_in(args) & {"-l"} or (name == "crontab" and not args):
        return
    if name == "crontab" and "-r" in flags_in(args):
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
    if name in SYSTEM_SETTERS and not SETTING_WORDS & set(args):
        return  # `ip addr`, `sysctl vm.swappiness`, `hostnamectl`: only reading
    acc.raise_to("mutates", f"{name} {sub}: changes system state (mutates)".replace("  ", " "))


SYSTEM_SETTERS = frozenset("ip ifconfig sysctl hostnamectl timedatectl".split())


SETTING_WORDS = frozenset(
    "set add del delete flush -w up down set-hostname set-time set-timezone".split()
)


def _reboot(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("destructive", f"{name}: stops the machine (destructive)")


HANDLERS: dict[str, Rule] = {
    "git": _git,
    "curl": _curl,
    "wget": _curl,
    "rsync": _rsync,
    "scp": _rsync,
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
