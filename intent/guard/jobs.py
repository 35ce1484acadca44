"""Commands handed to another runner: terminal multiplexers, benchmark runners, debuggers,
`crontab` and `capsh`. The command they will run is walked like any command, so a refused
command stays refused when it is handed over (`tmux new -d 'rm -rf /'`,
`echo '@reboot rm -rf ~' | crontab -`, `hyperfine 'rm -rf ~'`)."""

from __future__ import annotations

import re

from intent.guard.families import service_rule
from intent.guard.parser import Simple, Word
from intent.guard.rules import Context, Findings, Rule

# tmux commands that run a shell command, and the tmux options that take a value
_TMUX_RUNS = frozenset(
    """new new-session new-window neww split-window splitw respawn-pane respawnp
    respawn-window respawnw run-shell run pipe-pane pipep if-shell if display-popup popup
    send-keys send""".split()
)
_TMUX_ARG = set("-t -s -n -c -x -y -F -e -l -T -f -L -S -b -d -w -h -B -M -E".split()) - {
    "-d",
    "-h",
    "-b",
    "-B",
    "-M",
    "-E",
}
_KEY_NAMES = re.compile(r"^(Enter|C-m|C-j|KPEnter|Escape|Space|Tab|BSpace|[CMS]-.)$")


def tmux_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    for a in args:
        for m in re.finditer(r"#\(([^)]*)\)", a):
            acc.script(m.group(1), ctx, depth + 1)  # a format's `#(cmd)` runs cmd
            acc.raise_to("mutates", f"{name}: a format runs #({m.group(1)}) (mutates)")
    words = [a for a in args if a not in (";", "\\;")]
    for i, a in enumerate(words):
        if a in _TMUX_RUNS:
            texts = _positional(words[i + 1 :], _TMUX_ARG)
            texts = [t for t in texts if not _KEY_NAMES.match(t)]
            if texts:
                acc.script(" ".join(texts), ctx, depth + 1)
                acc.raise_to("mutates", f"{name} {a}: runs a command (mutates)")
    service_rule(name, args, acc, ctx, depth)


def screen_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    i = 0
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        if a in ("-X", "-Q") and i + 1 < len(args):
            acc.script(
                " ".join(args[i + 1 :]).replace("stuff", "", 1).replace("\\n", "\n"), ctx, depth + 1
            )
            acc.raise_to("mutates", f"{name} {a}: sends a command to a session (mutates)")
            return
        i += 2 if a in ("-S", "-c", "-e", "-h", "-p", "-T", "-t", "-s", "-L", "-Logfile") else 1
    if args[i:]:
        acc.simple(Simple(words=[Word(x, x) for x in args[i:]]), ctx, depth + 1)
        acc.raise_to("mutates", f"{name}: runs a command in a session (mutates)")
        return
    service_rule(name, args, acc, ctx, depth)


_HYPERFINE_ARG = set(
    """-w -r -m -M -s -p -c -P -D -L -S -n -u -N -i --warmup --runs --min-runs --max-runs
    --setup --prepare --cleanup --conclude --parameter-scan --parameter-step-size
    --parameter-list --shell --style --sort --time-unit --export-asciidoc --export-csv
    --export-json --export-markdown --export-orgmode --command-name --output --input
    --reference""".split()
)
_HYPERFINE_CMD = (
    "-s",
    "-p",
    "-c",
    "--setup",
    "--prepare",
    "--cleanup",
    "--conclude",
    "--reference",
)


def hyperfine_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """Every operand, and the value of --prepare/--setup/--cleanup, is a shell command."""
    for i, a in enumerate(args):
        opt, eq, inline = a.partition("=")
        if opt in _HYPERFINE_CMD:
            cmd = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
            acc.script(cmd, ctx, depth + 1)
    for cmd in _positional(args, _HYPERFINE_ARG):
        acc.script(cmd, ctx, depth + 1)
    acc.raise_to("mutates", f"{name}: runs the commands it benchmarks (mutates)")


def capsh_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`capsh ... -- ARGS` runs `bash ARGS`; `--shell=` picks another program."""
    if "--" in args:
        rest = args[args.index("--") + 1 :]
        acc.simple(Simple(words=[Word(x, x) for x in ["bash", *rest]]), ctx, depth + 1)
    acc.raise_to("mutates", f"{name}: changes capabilities and runs a shell (mutates)")


def gdb_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`gdb -ex 'shell CMD'` and `-ex '!CMD'` run CMD; `--args PROG ...` runs PROG."""
    for i, a in enumerate(args):
        opt, eq, inline = a.partition("=")
        if opt in ("-ex", "--ex", "-iex", "--eval-command", "--init-eval-command"):
            cmd = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
            m = re.match(r"\s*(?:shell|!|pipe\s+[^|]*\|)\s*(.*)", cmd, re.S)
            if m:
                acc.script(m.group(1), ctx, depth + 1)
        if a == "--args" and i + 1 < len(args):
            acc.simple(Simple(words=[Word(x, x) for x in args[i + 1 :]]), ctx, depth + 1)
            break
    acc.raise_to("mutates", f"{name}: a debugger runs and changes programs (mutates)")


def expect_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`expect -c 'spawn CMD'`: the spawned and exec'd commands are walked."""
    for i, a in enumerate(args):
        if a == "-c" and i + 1 < len(args):
            for m in re.finditer(r"\b(?:spawn|exec|system)\s+([^;\n\]]+)", args[i + 1]):
                acc.script(m.group(1), ctx, depth + 1)
    acc.raise_to("mutates", f"{name}: runs and drives programs (mutates)")


_CRON_TIME = re.compile(r"^\s*(@\w+|(\S+\s+){5})(.*)$")


def crontab_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """A crontab read from a pipe or a here-string: each line's command is walked."""
    ops = [a for a in args if not a.startswith("-") or a == "-"]
    if acc.feed_kind and (not args or ops) and "-l" not in args:
        for source in acc.feed_sources:
            for line in source.splitlines():
                m = _CRON_TIME.match(line)
                if m and m.group(3).strip() and not line.lstrip().startswith("#"):
                    job = m.group(3).strip()
                    if re.match(r"^\S*/\S+\.(sh|py|pl|rb|bash)(\s|$)", job):
                        acc.raise_to("mutates", f"{name}: schedules the script {job.split()[0]}")
                    else:
                        acc.script(job, ctx, depth + 1)
        acc.raise_to("mutates", f"{name}: installs a crontab (mutates)")
        return
    service_rule(name, args, acc, ctx, depth)


def _positional(args: list[str], with_arg: set[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a.startswith("-") and len(a) > 1:
            i += 2 if a in with_arg else 1
            continue
        out.append(a)
        i += 1
    return out


HANDLERS: dict[str, Rule] = {
    "tmux": tmux_rule,
    "screen": screen_rule,
    "hyperfine": hyperfine_rule,
    "capsh": capsh_rule,
    "gdb": gdb_rule,
    "expect": expect_rule,
    "crontab": crontab_rule,
}
