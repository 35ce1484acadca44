"""The guard: pure code that decides how risky a shell command is, and whether to refuse it.

It parses the command, visits every simple command (through wrappers, substitutions, function
bodies and text fed to shells), and rates each one. A command is `safe` only on positive
evidence: a read-only utility with options from its table. Everything else is at least
`network` or `mutates`. It only ever raises risk. No I/O: callers may pass `exists` to say
whether a path exists (for `mv` onto a file and overwriting redirections) and `cwd`/`home`.
"""

from __future__ import annotations

import dataclasses
import re

from intent.guard import families, jobs, knowledge, network, programs, readers, rules, variables
from intent.guard.parser import Script, Simple, Word, parse, substitutions
from intent.guard.rules import (
    LEVELS,
    Context,
    Findings,
    Verdict,
    base_name,
    canon,
    higher,
    normalise,
    rank,
    rate_write,
)
from intent.guard.static import pipeline_output, stdin_of
from intent.guard.tables import TABLES
from intent.guard.words import (
    DESTRUCTIVE,
    EXEC_VARS,
    FORK_BOMB,
    INTERPRETERS,
    LOADER_VARS,
    NETWORK,
    SAFE,
    SHELLS,
    WRITES,
)
from intent.guard.wrappers import AS_OTHER_USER, CHANGES_CONTEXT, WRAPPERS, unwrap

RULES = {
    **readers.HANDLERS,
    **rules.HANDLERS,
    **programs.HANDLERS,
    **network.HANDLERS,
    **families.HANDLERS,
    **jobs.HANDLERS,
}

__all__ = ["LEVELS", "Context", "Verdict", "assess", "higher", "rank"]

# shell words that are not commands; what they hold is walked on its own
_KEYWORDS = frozenset(
    """for case select (( in coproc : exit return break continue shift wait getopts dirs bg fg
    times cd pushd popd unset read mapfile readarray let""".split()
    # their dash words are operands, not options: they only print or test
    + ["echo", "test", "[", "[[", "true", "false"]
)
_DECLARING = frozenset({"export", "declare", "typeset", "local", "readonly"})
_SETS = _DECLARING | {"for"}  # commands that give a variable a value the guard can follow
# known utilities whose `--help` / `--version` only print (not shells: `bash --help` is fine,
# but a shell is never proven by its name alone)
_DOCUMENTED = (WRITES | DESTRUCTIVE | SAFE | NETWORK | frozenset(RULES)) - SHELLS
_STDIN_INTERPRETERS = INTERPRETERS | {"at", "batch"}
_MAY_READ_STDIN = _STDIN_INTERPRETERS | WRAPPERS


_FUNSUB = re.compile(r"\$\{(?:\|[ \t\n]*|[ \t\n]+)(.*?);?\s*\}", re.S)


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
    acc.text = command
    _assess_script(command, acc, ctx, depth=0)
    return Verdict(acc.risk, acc.hard, acc.reasons)


def _assess_script(command: str, acc: Findings, ctx: Context, depth: int) -> None:
    # a nested walk (`ssh host CMD`) must not forget what feeds the outer command
    saved = acc.feed_kind, list(acc.feed_sources)
    try:
        _walk_script(command, acc, ctx, depth)
    finally:
        acc.feed_kind, acc.feed_sources = saved


def _walk_script(command: str, acc: Findings, ctx: Context, depth: int) -> None:
    if depth > 8:
        acc.raise_to("destructive", "nesting too deep to analyse")
        return
    if FORK_BOMB.search(command):
        acc.reject("fork bomb")
    script = parse(command)
    for err in script.errors:
        acc.raise_to("mutates", f"could not parse: {err}")
    _fork_bombs(command, script, acc)
    for funsub in _FUNSUB.finditer(command):
        # bash 5.3's `${ cmd; }` and `${| cmd; }` run cmd in the current shell (older bash
        # rejects them, so the parser reads a parameter): walk the body as a command
        acc.raise_to("mutates", "a ${ cmd; } substitution (bash 5.3) runs a command (mutates)")
        _assess_script(funsub.group(1), acc, ctx, depth + 1)
    acc.functions.update(script.functions)
    for text in script.arithmetic:
        programs.arithmetic(text, "(( ))", acc, ctx, depth)
    for sub in substitutions(script):
        _assess_script(sub, acc, ctx, depth + 1)
    for pipeline in script.pipelines():
        for i, cmd in enumerate(pipeline):
            _feed(pipeline, i, acc)
            _stdin_to_shell(pipeline, i, acc, ctx, depth)
            _assess_simple(cmd, acc, ctx, depth)
            acc.feed_kind, acc.feed_sources = "", []
        ctx = _after_cd(pipeline, ctx)
        if len(pipeline) == 1 and (
            pipeline[0].assignments or (pipeline[0].words and pipeline[0].words[0].text in _SETS)
        ):
            variables.remember(pipeline[0], acc)


def _fork_bombs(command: str, script: Script, acc: Findings) -> None:
    """A function that calls itself twice, or in the background, under any name."""
    for name in script.functions:
        q = re.escape(name)
        for m in re.finditer(
            rf"(?:function\s+)?{q}\s*(?:\(\s*\))?\s*[{{(](.*?)[}})]", command, re.S
        ):
            body = m.group(1)
            calls = len(re.findall(rf"(?<![\w.-]){q}(?![\w.-])", body))
            if calls >= 2 or (calls and "&" in body):
                acc.reject(f"fork bomb (function {name} calls itself)")


def _after_cd(pipeline: list[Simple], ctx: Context) -> Context:
    """`cd DIR` earlier in a list makes later relative paths relative to DIR."""
    if len(pipeline) != 1:
        return ctx
    argv = _expand(pipeline[0].words)
    if not argv or argv[0] not in ("cd", "pushd", "chdir"):
        return ctx
    ops = [a for a in argv[1:] if not a.startswith("-") or a == "-"]
    target = ops[0] if ops else "~"
    if target == "-" or target.startswith("$") or "`" in target:
        return dataclasses.replace(ctx, cwd=None)
    base = ctx.cwd if ctx.cwd is not None or target.startswith(("/", "~")) else None
    if base is None and not target.startswith(("/", "~")):
        return ctx
    return dataclasses.replace(ctx, cwd=normalise(target, dataclasses.replace(ctx, cwd=base)))


def _feed(pipeline: list[Simple], i: int, acc: Findings) -> None:
    cmd = pipeline[i]
    acc.feed_kind, acc.feed_sources = "", []
    if i > 0:
        acc.feed_kind = "pipe"
        for up in pipeline[:i]:
            acc.feed_sources.extend([*up.argv, *(r.target for r in up.redirects if r.op == "<")])
            acc.feed_sources.extend(up.heredoc_bodies)
    for r in cmd.redirects:
        if r.op in ("<", "<>") and r.target != "/dev/null" and r.fd in ("", "0"):
            acc.feed_kind = "file"
            acc.feed_sources.append(canon(r.target))
    text = stdin_of(cmd)
    if text is not None:
        acc.feed_kind = acc.feed_kind or "text"
        acc.feed_sources.append(text)


def _stdin_to_shell(
    pipeline: list[Simple], i: int, acc: Findings, ctx: Context, depth: int
) -> None:
    """A shell or interpreter reading its commands from stdin: rate the text it will read."""
    cmd = pipeline[i]
    first = base_name(cmd.words[0].text) if cmd.words else ""
    if i == 0 and not cmd.redirects and not cmd.heredoc_bodies and first not in _MAY_READ_STDIN:
        return  # a fast path: nothing feeds its stdin and it is no shell
    un = unwrap(_expand(cmd.words))
    if not un.argv:
        return
    name, args = base_name(un.argv[0]), un.argv[1:]
    if name not in _STDIN_INTERPRETERS:
        return
    if name in SHELLS:
        ops = [a for a in args if not a.startswith(("-", "+"))]
        if _has_flag(args, "c") or (ops and "-s" not in args):
            return
    elif _has_flag(args, "c") or _has_flag(args, "e") or any(not a.startswith("-") for a in args):
        return
    text = stdin_of(cmd)
    if text is None and i > 0:
        text = pipeline_output(pipeline[:i])
        if text is None:
            upstream = [base_name(c.argv[0]) for c in pipeline[:i] if c.argv]
            if (
                set(upstream) & (NETWORK | {"git", "openssl"})
                or set(base_name(c.argv[0]) for c in pipeline if c.argv) & NETWORK
            ):
                acc.reject(f"network data piped into a shell ({name})")
            else:
                acc.raise_to(
                    "destructive",
                    f"{name} runs commands read from a pipe that cannot be analysed (destructive)",
                )
            return
    if text is None:
        if any(r.op == "<" for r in cmd.redirects):
            acc.raise_to("mutates", f"{name}: runs a script file (mutates)")
        elif set(base_name(c.argv[0]) for c in pipeline if c.argv) & NETWORK:
            acc.reject(f"a shell ({name}) connected to the network (remote shell)")
        elif name in SHELLS or name == "at":
            acc.raise_to("mutates", f"{name}: starts a shell (mutates)")
        return
    if name in SHELLS or name == "at" or {"at", "batch"} & set(un.wrappers):
        acc.script(text, ctx, depth + 1)
    elif programs.language(name):
        # `python3 - <<EOF ... EOF`: the program is fixed in the command; read it like `-c`
        programs.one_liner(programs.language(name), text, acc)
    else:
        acc.raise_to("mutates", f"{name}: runs a program read from stdin (mutates)")


def _has_flag(args: list[str], letter: str) -> bool:
    return any(a.startswith("-") and not a.startswith("--") and letter in a[1:] for a in args)


_BRACE = re.compile(r"\{([^{}]*,[^{}]*)\}")


def _expand(words: list[Word], acc: Findings | None = None, pick: int = 0) -> list[str]:
    """Words as the shell would see them: braces expanded, `${IFS}` split, home canonical,
    variables set earlier in the command replaced by their value (value `pick`, when several)."""
    out: list[str] = []
    values = acc.values if acc else {}
    for w in words:
        text = w.text
        texts = [variables.value_of(text, values, pick) if "$" in text or "`" in text else text]
        if not w.quoted and _BRACE.search(w.text):
            texts = _braces(w.text)
        for t in texts:
            if ("$IFS" in t or "${IFS}" in t) and _unquoted_ifs(w.raw):
                out.extend(p for p in re.split(r"\$\{IFS\}|\$IFS", t) if p)
            else:
                out.append(canon(t))
    return out


def _unquoted_ifs(raw: str) -> bool:
    """Whether `$IFS` appears outside quotes in `raw` (only there does it split words)."""
    quote = ""
    for i, c in enumerate(raw):
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif raw.startswith(("$IFS", "${IFS}"), i):
            return True
    return False


def _braces(text: str) -> list[str]:
    results = [text]
    for _ in range(6):
        nxt: list[str] = []
        for t in results:
            m = _BRACE.search(t)
            if not m:
                nxt.append(t)
                continue
            nxt.extend(t[: m.start()] + alt + t[m.end() :] for alt in m.group(1).split(","))
        results = nxt[:64]
    # `{rm,-rf,/}` as the only word is the command `rm -rf /`
    return results


def _assess_simple(cmd: Simple, acc: Findings, ctx: Context, depth: int) -> None:
    _assess_redirects(cmd, acc, ctx)
    for assigned in cmd.assignments:
        _assignment(assigned.text, acc, ctx, depth, exported=bool(cmd.words))
    if cmd.heredoc_bodies or cmd.assignments or "${" in " ".join([w.raw for w in cmd.words]):
        variables.indirect(cmd, acc)
    if acc.values:
        for pick in range(1, variables.choices(cmd, acc)):
            # `for d in build ~; do rm -rf $d; done`: every value the variable takes is rated
            _assess_words(_expand(cmd.words, acc, pick), cmd, acc, ctx, depth)
    _assess_words(_expand(cmd.words, acc), cmd, acc, ctx, depth)


def _assess_words(words: list[str], cmd: Simple, acc: Findings, ctx: Context, depth: int) -> None:
    _expanded_into_code(cmd, acc)
    un = unwrap(words)
    for assigned_text in un.assignments:
        _assignment(assigned_text, acc, ctx, depth, exported=True)
    if un.cwd is not None:
        where = canon(un.cwd)
        if where.startswith("$") or "`" in where:
            ctx = dataclasses.replace(ctx, cwd=None)
        else:
            ctx = dataclasses.replace(ctx, cwd=normalise(where, ctx))
    for w in un.wrappers:
        if w in AS_OTHER_USER:
            acc.raise_to("sudo", f"{w}: runs as another user (sudo)")
        elif w in CHANGES_CONTEXT:
            acc.raise_to("mutates", f"{w}: runs the command later or in another context (mutates)")
    for what in un.writes:
        acc.raise_to("mutates", f"{what} (mutates)")
    argv = un.argv
    if not argv:
        return
    word0 = argv[0]
    if "$" in word0 or "`" in word0:
        acc.raise_to("destructive", f"the command name {word0!r} is only known at run time")
        return
    name, args = base_name(word0), argv[1:]
    if (
        un.placeholders
        and (name in SHELLS | INTERPRETERS | {"awk", "gawk", "mawk", "nawk", "sed", "gsed", "jq"})
        and any(p in a for a in args for p in un.placeholders)
    ):
        acc.raise_to(
            "mutates", f"xargs -I: file names are pasted into {name} program text (mutates)"
        )
    if name in programs.ARITH_BUILTINS:
        for a in args:
            if re.search(r"\[[^\]]*(\$\(|`)", a) or (name in ("let", "((") and "$(" in a):
                programs.arithmetic(a, name, acc, ctx, depth)
        variables.arithmetic_operands(name, args, acc)
    if name in ("mapfile", "readarray"):
        variables.callback(name, args, acc, ctx, depth)
    if name in _DECLARING:
        exported = name == "export" or any(a.startswith("-") and "x" in a for a in args)
        for a in args:
            if "=" in a and not a.startswith("-"):
                _assignment(a, acc, ctx, depth, exported=exported)
        return
    if name in acc.functions or name in _KEYWORDS:
        return
    if name.startswith("mkfs") or name in ("mke2fs", "mkdosfs", "newfs"):
        rules.HANDLERS["wipefs"](name, args, acc, ctx, depth)
        return
    if name in SHELLS | INTERPRETERS | {"eval", "source", "."} and _runs_download(args):
        acc.reject(f"downloaded code run by {name}")
    if name in knowledge.KNOWN and _known(name, args, acc):
        return
    if args in (["--help"], ["--version"]) and name in _DOCUMENTED:
        return  # a known utility asked for its help or version only prints it
    handler = RULES.get(name)
    if handler is not None:
        handler(name, args, acc, ctx, depth)
    elif name in SHELLS or name == "eval":
        programs.shell_like(name, args, acc, ctx, depth)
    elif name in INTERPRETERS or name in ("nodejs",):
        programs.interpreter(name, args, acc, ctx, depth)
    elif name in DESTRUCTIVE:
        acc.raise_to("destructive", f"{name}: deletes or overwrites data (destructive)")
    elif name in SAFE and name not in TABLES:
        if any(a.startswith("-") and a not in ("--help", "--version") for a in args):
            acc.raise_to(
                "mutates",
                f"{name} {next(a for a in args if a.startswith('-'))}: "
                "option not known to be read-only (mutates)",
            )
    elif name in WRITES:
        acc.raise_to("mutates", f"{name}: changes files or system state (mutates)")
    elif name not in NETWORK:
        acc.raise_to("mutates", f"{name}: unknown utility, treated as mutating")
        if args and depth < 8:
            # an unknown program may be a wrapper: rate its arguments as a command too
            acc.simple(Simple(words=[Word(a, a) for a in args]), ctx, depth + 1)
    if name in NETWORK:
        acc.raise_to("network", f"{name}: uses the network")
        network.leaks(name, args, acc)


def _known(name: str, args: list[str], acc: Findings) -> bool:
    """The read-only knowledge table: True when it settles the rating on its own."""
    option = knowledge.denied(name, args)
    if option:
        acc.raise_to(
            "mutates",
            f"{name} {option}: runs or loads code, or sends credentials elsewhere (mutates)",
        )
    verdict = knowledge.rate(name, args)
    if verdict is None and name in knowledge.STRICT and args:
        acc.raise_to("mutates", f"{name} {' '.join(args[:2])}: not known to be read-only (mutates)")
    if verdict == "delete":
        acc.raise_to("destructive", f"{name} {' '.join(args[:3])}: deletes (destructive)")
    if verdict != "read":
        return False
    if knowledge.networked(name) or name in NETWORK:
        acc.raise_to("network", f"{name}: talks to a server")
    return True


_SUBST = re.compile(r"(?:\$\(|<\(|`)(.*)", re.S)


def _runs_download(args: list[str]) -> bool:
    """Whether an argument is a substitution whose command downloads something."""
    for a in args:
        m = _SUBST.search(a)
        if m:
            for cmd in parse(m.group(1).rstrip(")`")).commands:
                argv = unwrap(cmd.argv).argv
                if argv and base_name(argv[0]) in NETWORK:
                    return True
    return False


def _assignment(
    text: str, acc: Findings, ctx: Context, depth: int, *, exported: bool = False
) -> None:
    var, _, value = text.partition("=")
    if "[" in var:
        programs.arithmetic(var, f"{var}=", acc, ctx, depth)
    # a loader variable matters once a program sees it in its environment
    if EXEC_VARS.match(var.split("[")[0]) or (exported and LOADER_VARS.match(var.split("[")[0])):
        if value:
            acc.script(value.lstrip("|!").replace("%s", "f"), ctx, depth + 1)
        acc.raise_to("mutates", f"{var}=: changes which program runs or what it loads (mutates)")


def _assess_redirects(cmd: Simple, acc: Findings, ctx: Context) -> None:
    for r in cmd.redirects:
        target = canon(r.target)
        if "/dev/tcp/" in target or "/dev/udp/" in target:
            acc.reject(f"{r.raw}: opens a network connection from the shell (remote shell)")
            continue
        if r.op in ("<", "<<", "<<-", "<<<"):
            continue
        if r.op in (">&", "<&") and (target.isdigit() or target in ("-", "")):
            continue
        rate_write(target, r.raw, acc, ctx, append=r.op in (">>", "&>>"))


def _expanded_into_code(cmd: Simple, acc: Findings) -> None:
    """`sh -c "echo $f"` and `eval echo "$f"`: a variable the outer shell expands becomes program
    text for the inner one (a file name `$(reboot)` in a `for f in *` loop runs). Only single
    quotes keep it data."""
    raws = [w.raw for w in cmd.words]
    if not raws:
        return
    name = base_name(cmd.words[0].text)
    code_words: list[str] = []
    if name == "eval":
        code_words = raws[1:]
    elif name in SHELLS and "-c" in [w.text for w in cmd.words[1:3]]:
        at = [w.text for w in cmd.words].index("-c")
        code_words = raws[at + 1 : at + 2]
    for raw in code_words:
        unquoted_or_double = re.sub(r"'[^']*'", "", raw)
        if "$" in unquoted_or_double or "`" in unquoted_or_double:
            acc.raise_to(
                "mutates",
                f"{name}: a value the shell expands becomes program text (mutates)",
            )
            return
