"""The guard: pure code that decides how risky a shell command is, and whether to refuse it.

It parses the command (see `shellparse`), strips wrappers such as `sudo`, `env`, `xargs`,
`find -exec` and `sh -c`, resolves `/bin/rm` to `rm`, and classifies each utility with its
arguments. It only ever raises risk. No I/O: callers may pass `exists` to say whether a path
exists (for `mv` onto a file and overwriting redirections) and `cwd`/`home` for `rm -rf .`.
"""

from __future__ import annotations

from intent.guard import families as guard_tools
from intent.guard.parser import Script, Simple, parse, substitutions
from intent.guard.rules import HANDLERS as FILE_RULES
from intent.guard.rules import (
    LEVELS,
    Context,
    Findings,
    Verdict,
    base_name,
    higher,
    normalise,
    operands,
    rank,
    shell_like,
    unwrap,
)
from intent.guard.words import (
    DESTRUCTIVE,
    DISK,
    FORK_BOMB,
    HARMLESS_TARGETS,
    INTERPRETERS,
    NETWORK,
    PRIV,
    SAFE,
    SHELLS,
    WRITES,
)

RULES = {**FILE_RULES, **guard_tools.HANDLERS}

__all__ = ["LEVELS", "Context", "Verdict", "assess", "higher", "rank"]


def assess(command: str, *, context: Context | None = None) -> Verdict:
    """The guard's verdict on `command`: its risk, whether to refuse it, and why."""
    ctx = context or Context()
    acc = Findings(
        script=lambda text, c, depth: _assess_script(text, acc, c, depth),
        simple=lambda cmd, c, depth: _assess_simple(cmd, acc, c, depth),
    )
    if not command.strip():
        acc.raise_to("mutates", "empty command")
        return Verdict(acc.risk, acc.hard, acc.reasons)
    if FORK_BOMB.search(command):
        acc.reject("fork bomb")
    _assess_script(command, acc, ctx, depth=0)
    return Verdict(acc.risk, acc.hard, acc.reasons)


def _assess_script(command: str, acc: Findings, ctx: Context, depth: int) -> None:
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
        argv = unwrap(cmd.argv)[0]
        if argv and base_name(argv[0]) in SHELLS:
            bodies.extend(cmd.heredoc_bodies)
    return bodies


def _check_download_to_shell(pipeline: list[Simple], acc: Findings) -> None:
    downloading = False
    for cmd in pipeline:
        argv, _ = unwrap(cmd.argv)
        if not argv:
            continue
        name = base_name(argv[0])
        if downloading and name in INTERPRETERS and not _has_script_operand(argv):
            acc.reject(f"download piped into a shell ({name})")
        if name in NETWORK or (name in ("git",) and "clone" in argv):
            downloading = True


def _has_script_operand(argv: list[str]) -> bool:
    rest = [a for a in argv[1:] if not a.startswith("-")]
    return bool(rest) and "-c" not in argv and "-e" not in argv


def _assess_simple(cmd: Simple, acc: Findings, ctx: Context, depth: int) -> None:
    _assess_redirects(cmd, acc, ctx)
    argv, wrappers = unwrap(cmd.argv)
    for w in wrappers:
        if w in PRIV:
            acc.raise_to("sudo", f"{w}: runs as another user (sudo)")
    if not argv:
        return
    word0 = argv[0]
    if word0.startswith("$") or "`" in word0 or "$(" in word0:
        acc.raise_to("destructive", f"the command name {word0!r} is only known at run time")
        return
    name = base_name(word0)
    args = argv[1:]
    if name.startswith("mkfs") or name in ("mke2fs", "mkswap", "wipefs", "mkdosfs", "newfs"):
        devices = [a for a in operands(args) if a.startswith("/dev/")]
        if devices:
            acc.reject(f"{name} formats device {devices[0]}")
        else:
            acc.raise_to("destructive", f"{name}: creates a file system (destructive)")
        return
    handler = RULES.get(name)
    if handler is not None:
        handler(name, args, acc, ctx, depth)
        return
    if name in SHELLS or name in ("eval",):
        shell_like(name, args, acc, ctx, depth)
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


def _assess_redirects(cmd: Simple, acc: Findings, ctx: Context) -> None:
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
    norm = normalise(target, ctx)
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
