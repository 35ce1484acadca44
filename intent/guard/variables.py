"""Variables in the command: values the guard can follow, and the forms that run their values.

`x=/; rm -rf $x`, `for d in / ~; do rm -rf $d; done`, `rm -rf ${PWD:0:1}` and
`rm -rf "$(echo /)"` name the same place as `rm -rf /`. Bash also runs code hidden in a value
when it evaluates it: arithmetic (`$((x))`, `let`, `declare -i`, `[[ x -eq 1 ]]`) evaluates a
value such as `a[$(cmd)]`, and `${!x}` / `${x@P}` expand one. Those are `mutates` unless every
variable they read was set to a number earlier in the same command.
"""

from __future__ import annotations

import re

from intent.guard.parser import Simple
from intent.guard.rules import Context, Findings, canon
from intent.guard.static import static_output

_REF = re.compile(r"\$\{(\w+)(?::(\d*)(?::(\d*))?)?\}|\$([A-Za-z_]\w*)")
# variables that always hold an absolute path: their first character is `/`
_ABSOLUTE = frozenset({"PWD", "HOME", "OLDPWD", "SHELL", "TMPDIR", "BASH"})
_WHOLE_SUBST = re.compile(r"\$\((.*)\)|`(.*)`", re.S)
# the parent of the home directory: `${HOME%/*}`, `$(dirname ~)`
_HOME_PARENT = re.compile(
    r"^(\$\{HOME%/\*\}|\$\(\s*dirname\s+\"?(~|\$HOME|\$\{HOME\})\"?\s*\)|"
    r"`\s*dirname\s+\"?(~|\$HOME)\"?\s*`)(?=/|$)"
)
_LIMIT = 8


def value_of(text: str, values: dict[str, list[str]], pick: int = 0) -> str:
    """`text` with the variables the guard knows replaced by their value."""
    if "$" not in text and "`" not in text:
        return text
    text = _HOME_PARENT.sub("/home", text, count=1)

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        known = values.get(name)
        if known:
            value = known[min(pick, len(known) - 1)]
        elif name in _ABSOLUTE and m.group(2) is not None:
            value = "/"  # only its first characters are taken: they start with `/`
        else:
            return m.group(0)
        if m.group(2) is not None:
            start = int(m.group(2) or 0)
            value = value[start : start + int(m.group(3))] if m.group(3) else value[start:]
        return value

    text = _REF.sub(sub, text)
    whole = _WHOLE_SUBST.fullmatch(text.strip())
    if whole:
        printed = static_output(whole.group(1) if whole.group(1) is not None else whole.group(2))
        if printed is not None and printed.strip() and "\n" not in printed.strip():
            return canon(printed.strip())
    return text


def choices(cmd: Simple, acc: Findings) -> int:
    """How many values the variables `cmd` reads can take (each is rated)."""
    most = 1
    if not acc.values:
        return most
    for w in cmd.words:
        for m in _REF.finditer(w.text):
            most = max(most, len(acc.values.get(m.group(1) or m.group(4), ())))
    return min(most, _LIMIT)


def remember(cmd: Simple, acc: Findings) -> None:
    """Record `x=VALUE`, `export x=VALUE` and `for x in A B` for the commands that follow."""
    words = [w.text for w in cmd.words]
    pairs: list[str] = []
    if not words:
        pairs = [w.text for w in cmd.assignments]
    elif words[0] in ("export", "declare", "typeset", "local", "readonly"):
        pairs = [a for a in words[1:] if "=" in a and not a.startswith("-")]
    elif words[0] == "for" and len(words) > 2 and words[2] == "in":
        _add(acc, words[1], [canon(value_of(v, acc.values)) for v in words[3:]])
    for pair in pairs:
        name, _, value = pair.partition("=")
        if re.fullmatch(r"[A-Za-z_]\w*", name):
            _add(acc, name, [canon(value_of(value, acc.values))])


def _add(acc: Findings, name: str, values: list[str]) -> None:
    """Every value a variable is given is kept: `x=rm || x=ls` may leave either."""
    known = acc.values.setdefault(name, [])
    known.extend(v for v in values if v not in known)
    del known[_LIMIT:]


_SUBSCRIPT = re.compile(r"\$\{\w+\[([^\]@*]*[A-Za-z_$][^\]]*)\]")
_INDIRECT = re.compile(r"\$\{!\w+(?:\}|\[(?![@*]\]))|\$\{\w+(?:\[[^\]]*\])?@P\}")


def indirect(cmd: Simple, acc: Findings) -> None:
    """`${!x}` and `${x@P}` expand a value, and a value such as `a[$(cmd)]` runs cmd."""
    texts = [w.raw for w in [*cmd.words, *cmd.assignments]] + cmd.heredoc_bodies
    for text in texts:
        for sub in _SUBSCRIPT.finditer(text):
            # `${a[$k]}`: an indexed array evaluates its subscript as arithmetic
            check_names(sub.group(1), f"${{...[{sub.group(1)}]}}", acc)
        m = _INDIRECT.search(text) if "${" in text else None
        if m:
            acc.raise_to(
                "mutates", f"{m.group(0)}: expands a variable's value, which may run code (mutates)"
            )
            return


_ARITH_TEST = frozenset("-eq -ne -lt -le -gt -ge".split())
_NUMERIC_SPECIAL = frozenset(
    """RANDOM SRANDOM SECONDS LINENO BASHPID PPID UID EUID EPOCHSECONDS EPOCHREALTIME COLUMNS
    LINES OPTIND HISTCMD""".split()
)
_NUMBER_PRODUCERS = (
    r"(wc|nproc|expr|id\s+-[ug]\w*|date\s+\+%[sYmdHMSj]+|stat\s+-c\s*['\"]?%[sYXZ]|seq|getconf|"
    r"tput\s+(cols|lines)|grep\s+-c|du\s+-s?b?k?)\b"
)


def check_names(text: str, what: str, acc: Findings) -> None:
    """Arithmetic that reads a variable not set to a number in the command: `mutates`."""
    clean = re.sub(r"\$\{#[^}]*\}|\$[#?$!0-9]|\$\{[#?$!0-9]\}|\[[@*]\]", "0", text)
    clean = re.sub(r"\d+#\w+|0[xX][0-9a-fA-F]+", "0", clean)
    names = set(re.findall(r"(?<![\w.#])[A-Za-z_]\w*", clean)) - _NUMERIC_SPECIAL
    for name in sorted(names):
        if not _numeric(name, acc.text):
            acc.raise_to(
                "mutates",
                f"{what}: evaluates {name} as arithmetic; a value such as a[$(cmd)] runs cmd "
                "(mutates)",
            )
            return


def _numeric(name: str, text: str) -> bool:
    q = re.escape(name)
    return bool(
        re.search(rf"(?<![\w$]){q}\s*=\s*[-+]?\d+\s*(?=[;,)\n&|\s]|$)", text)
        or re.search(
            rf"\bfor\s+{q}\s+in\s+([\d\s]+|\{{-?\d+\.\.-?\d+(\.\.\d+)?\}}|\$\(\s*seq\b[^)]*\))\s*;",
            text,
        )
        or re.search(rf"(?<![\w$]){q}=[\"']?\$\(\s*{_NUMBER_PRODUCERS}", text)
    )


def arithmetic_operands(name: str, args: list[str], acc: Findings) -> None:
    """`let EXPR`, `declare -i x=EXPR`, `[[ A -eq B ]]` evaluate their operands."""
    if name == "let":
        for a in args:
            check_names(a, "let", acc)
    elif name in ("declare", "typeset", "local", "export", "readonly") and any(
        a.startswith("-") and "i" in a for a in args
    ):
        for a in args:
            if "=" in a and not a.startswith("-"):
                check_names(a.partition("=")[2], f"{name} -i", acc)
    elif name == "[[":
        for i, a in enumerate(args):
            if a in _ARITH_TEST:
                for operand in (args[i - 1] if i else "", args[i + 1] if i + 1 < len(args) else ""):
                    if "$" in operand or re.fullmatch(r"[A-Za-z_]\w*", operand):
                        check_names(operand, f"[[ {a} ]]", acc)


def callback(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`mapfile -C CMD` runs CMD every few lines."""
    for i, a in enumerate(args):
        if a.startswith("-") and "C" in a:
            cmd = a[a.index("C") + 1 :] or (args[i + 1] if i + 1 < len(args) else "")
            if cmd:
                acc.script(cmd, ctx, depth + 1)
            acc.raise_to("mutates", f"{name} -C: runs a callback command (mutates)")
            return
