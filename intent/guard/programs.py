"""Utilities that take program text: the text is analysed, not trusted.

awk and sed programs are read for the statements that run commands or write files; perl,
ruby, python and node one-liners are `safe` only when every name they use is on a short list
of names that only compute and print. What cannot be analysed is at least `mutates`.
"""

from __future__ import annotations

import base64
import binascii
import re

from intent.guard import variables
from intent.guard.rules import Context, Findings, Rule, rate_write
from intent.guard.static import static_output
from intent.guard.tables import TABLES
from intent.guard.words import (
    CREDENTIALS,
    DESTRUCTIVE,
    INTERPRETERS,
    NETWORK,
    PRIV,
    SAFE,
    SHELLS,
    WRITES,
)

_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"' + r"|'(?:[^'\\]|\\.)*'")
_HARMLESS_FILES = ('"/dev/stdout"', '"/dev/stderr"', '"/dev/null"', '"-"', '"/dev/tty"')


def shell_like(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`sh -c BODY`, `eval WORDS`, `bash script.sh`: walk the body, or rate what cannot be seen."""
    if name == "eval":
        _run_text(" ".join(args), name, acc, ctx, depth)
        return
    for i, a in enumerate(args):
        if a == "-c" or (a.startswith("-") and not a.startswith("--") and "c" in a[1:]):
            if i + 1 < len(args):
                _run_text(args[i + 1], name, acc, ctx, depth)
                dash = _as_dash_reads_it(args[i + 1])
                if name in ("sh", "dash", "ash") and dash != args[i + 1]:
                    _run_text(dash, name, acc, ctx, depth)
                return
    ops = [a for a in args if not a.startswith(("-", "+"))]
    if ops and ops[0].startswith("<("):
        _process_substitution_script(name, ops[0], acc, ctx, depth)
        return
    if ops:
        acc.raise_to(
            "mutates", f"{name} {ops[0]}: runs a script whose effects are not analysed (mutates)"
        )
    else:
        # no operand: the shell reads its commands from stdin; the walk also rates that text
        acc.raise_to("mutates", f"{name}: runs commands read from stdin (mutates)")


def _as_dash_reads_it(body: str) -> str:
    """dash (`sh` on Debian and Ubuntu) has no `&>` and no `$'...'`: `a &> f b` is `a &` then
    `> f b`, and `$'x'` is `$` then `'x'`. The same text spelled so bash reads it as dash does."""
    return body.replace("&>", "& >").replace("$'", "\\$'")


def _process_substitution_script(
    name: str, operand: str, acc: Findings, ctx: Context, depth: int
) -> None:
    """`bash <(CMD)`, `source <(CMD)`: the shell runs what CMD prints. CMD itself was walked
    on its own; its output is walked when it is fixed in the command, else `destructive`."""
    printed = static_output(operand[2:].rstrip(")")) if operand.endswith(")") else None
    if printed is not None:
        acc.script(printed, ctx, depth + 1)
    else:
        acc.raise_to(
            "destructive",
            f"{name} runs the output of {operand[:40]}, which cannot be analysed (destructive)",
        )


def source_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """`source FILE` / `. FILE` runs a script in this shell."""
    if args and args[0].startswith("<("):
        _process_substitution_script(name, args[0], acc, ctx, depth)
    acc.raise_to("mutates", f"{name}: runs a script in the current shell (mutates)")


def _run_text(body: str, name: str, acc: Findings, ctx: Context, depth: int) -> None:
    """Walk `body`; a body that is only a substitution is replaced by its static output."""
    m = re.fullmatch(r"\s*(?:\$\((.*)\)|`(.*)`)\s*", body, re.S)
    if m:
        inner = m.group(1) if m.group(1) is not None else m.group(2)
        text = static_output(inner)
        if text is not None:
            acc.script(text, ctx, depth + 1)
            return
    acc.script(body, ctx, depth + 1)


def awk_program(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    program: str | None = None
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-F", "-v") and i + 1 < len(args):
            i += 2
            continue
        if a.startswith(("-F", "-v")) or a == "--":
            i += 1
            continue
        if a.startswith("-"):
            acc.raise_to(
                "mutates", f"{name} {a}: an option that loads or runs other code (mutates)"
            )
            return
        program = a
        break
    if program is None:
        return
    program = program.replace("\\\n", "")  # a backslash-newline joins lines (and words)
    masked = _QUOTED.sub(lambda m: "S" * len(m.group(0)), program)
    if "@" in masked:
        acc.raise_to("mutates", f"{name}: an indirect call or a directive (@) (mutates)")
    for m in re.finditer(r"\(\s*(\"(?:[^\"\\]|\\.)*\")\s*\)\s*\|&?\s*getline", program):
        _nested_literal(m.group(1), f"{name} getline from a command", acc, ctx, depth)
    if re.search(r"\)\s*\|&?\s*getline", masked) and not re.search(
        r"\(\s*\"(?:[^\"\\]|\\.)*\"\s*\)\s*\|&?\s*getline", program
    ):
        acc.raise_to("mutates", f"{name}: getline from a command built at run time (mutates)")
    for m in re.finditer(r"\bsystem\s*\(\s*(\"(?:[^\"\\]|\\.)*\")\s*\)", program):
        _nested_literal(m.group(1), f"{name} system()", acc, ctx, depth)
    for m in re.finditer(r"\bsystem\s*\(([^)]*)\)", program):
        _nested_literal(m.group(1), f"{name} system()", acc, ctx, depth)
    for m in re.finditer(r'("(?:[^"\\]|\\.)*"|[\w$]+)\s*\|&?\s*getline', program):
        _nested_literal(m.group(1), f"{name} getline from a command", acc, ctx, depth)
    if "@load" in program or "@include" in program:
        acc.raise_to("mutates", f"{name}: loads an extension (mutates)")
    for stmt in re.finditer(r"\b(print|printf)\b([^;}\n]*)", masked):
        _awk_output(program[stmt.start(2) : stmt.end(2)], name, acc, ctx, depth)


def _awk_output(rest: str, name: str, acc: Findings, ctx: Context, depth: int) -> None:
    """`print ... > "f"`, `| "cmd"`: a redirection outside parentheses and strings."""
    masked = _QUOTED.sub(lambda m: "S" * len(m.group(0)), rest)
    level = 0
    for i, c in enumerate(masked):
        level += (c == "(") - (c == ")")
        if level or c not in ">|":
            continue
        target = rest[i:].lstrip(">|&").strip()
        if c == "|":
            _nested_literal(target, f"{name} print | command", acc, ctx, depth)
        elif target not in _HARMLESS_FILES:
            acc.raise_to("mutates", f"{name}: print > {target} writes a file (mutates)")
        return


def _nested_literal(expr: str, what: str, acc: Findings, ctx: Context, depth: int) -> None:
    """A command string in the program: a literal is walked and rated like any command;
    anything built at run time cannot be seen and is at least `mutates`."""
    expr = expr.strip()
    if len(expr) >= 2 and expr[0] == '"' and expr[-1] == '"' and '"' not in expr[1:-1]:
        acc.script(expr[1:-1], ctx, depth + 1)
        return
    acc.raise_to("mutates", f"{what}: runs a command built at run time (mutates)")


def sed_program(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    scripts: list[str] = []
    i, have_e = 0, False
    while i < len(args):
        a = args[i]
        i += 1
        if a in ("-e", "--expression") and i < len(args):
            scripts.append(args[i])
            have_e, i = True, i + 1
        elif a.startswith("--expression="):
            scripts.append(a.split("=", 1)[1])
            have_e = True
        elif a.startswith("--in-place") or (
            a.startswith("-") and not a.startswith("--") and "i" in a[1:]
        ):
            acc.raise_to("mutates", f"{name} {a}: edits files in place (mutates)")
        elif a in ("-f", "--file") or a.startswith("--file=") or (a[:2] == "-f"):
            acc.raise_to("mutates", f"{name} {a}: runs a sed script file (mutates)")
            i += 1 if a in ("-f", "--file") else 0
        elif a in ("-l", "--line-length") and i < len(args):
            i += 1
        elif a.startswith("-") and a != "-":
            known = a in (
                "-n",
                "--quiet",
                "--silent",
                "-E",
                "-r",
                "--regexp-extended",
                "-s",
                "--separate",
                "-z",
                "--null-data",
                "-u",
                "--unbuffered",
                "--posix",
                "--debug",
                "--sandbox",
                "--follow-symlinks",
            ) or re.fullmatch(r"-[nErsuz]+", a)
            if not known:
                acc.raise_to("mutates", f"{name} {a}: unknown option, treated as mutating")
        elif not have_e and not scripts:
            scripts.append(a)
    for script in scripts:
        _sed_script(script, name, acc, ctx, depth)


_SED_ADDR = re.compile(
    r"\s*(\d+|\$|/(?:[^/\\]|\\.)*/[IM]*|\\(.)(?:(?!\2).)*\2)?"
    r"(\s*[,~]\s*(\d+|\$|/(?:[^/\\]|\\.)*/[IM]*|\+\d+|~\d+))?\s*!?\s*"
)


def _sed_script(script: str, name: str, acc: Findings, ctx: Context, depth: int) -> None:
    i = 0
    while i < len(script):
        if script[i] in " \t\n;{}":
            i += 1
            continue
        m = _SED_ADDR.match(script, i)
        i = m.end() if m else i
        if i >= len(script):
            return
        cmd = script[i]
        i += 1
        if cmd in "sy":
            if i >= len(script):
                return
            delim, parts, j = script[i], 0, i + 1
            while j < len(script) and parts < 2:
                if script[j] == "\\":
                    j += 2
                    continue
                parts += script[j] == delim
                j += 1
            end = j
            while end < len(script) and script[end] not in ";\n}":
                end += 1
            flags = script[j:end]
            if cmd == "s" and "e" in flags.split("w")[0]:
                acc.raise_to(
                    "mutates", f"{name}: s///e runs the pattern space as a command (mutates)"
                )
            if cmd == "s" and "w" in flags:
                target = flags.split("w", 1)[1].strip()
                rate_write(target, f"{name} s///w", acc, ctx, append=True)
            i = end
        elif cmd in "eEwW":
            end = script.find("\n", i)
            arg = script[i : len(script) if end < 0 else end].strip()
            if cmd in "eE":
                if arg:
                    acc.script(arg, ctx, depth + 1)
                acc.raise_to("mutates", f"{name} e: runs a command (mutates)")
            else:
                rate_write(arg, f"{name} {cmd}", acc, ctx, append=True)
            i = len(script) if end < 0 else end
        elif cmd in "aicrRbtTvF:#lqQ":
            stop = re.search(r"[\n;}]" if cmd in "btTvqQlF:" else r"\n", script[i:])
            i = len(script) if stop is None else i + stop.start()
        elif cmd not in "pPdDnNgGhHxz=":
            acc.raise_to("mutates", f"{name}: sed command {cmd!r} is not analysed (mutates)")
            return


# names a one-liner may use and still only compute and print
_ONE_LINER_NAMES = {
    "perl": "print printf say if unless else elsif while until for foreach my our local last "
    "next split join length lc uc lcfirst ucfirst chomp chop defined exists keys values sort "
    "reverse map grep sprintf substr index rindex abs int hex oct push pop shift unshift "
    "scalar and or not eq ne lt gt le ge cmp x m s tr y q qw ord chr sum max min END BEGIN "
    "ARGV STDIN STDOUT STDERR uniq exit return",
    "ruby": "puts print p if unless else elsif while until for each map select reject "
    "sort sort_by reverse join split length size upcase downcase strip chomp to_i to_s to_f "
    "sum max min first last uniq count gets STDIN ARGF readlines lines each_line end do "
    "include? start_with? end_with? gsub sub inspect then and or not nil true false "
    "RUBY_VERSION RUBY_PLATFORM",
    "python": "print len sum min max sorted reversed enumerate zip range map filter list "
    "dict set tuple str int float abs round any all for in if else elif not and or is "
    "None True False import sys json math re stdin stdout read readlines loads dumps load "
    "dump argv split strip join upper lower format items keys values lambda indent "
    "version platform python_version datetime now today isoformat encode decode write "
    "getsizeof maxsize executable prefix path version_info byteorder getdefaultencoding "
    "environ get pi sqrt floor ceil log pow e inf nan findall search match sub group "
    "groups compile count replace startswith endswith splitlines title isdigit fromtimestamp "
    "strftime timestamp utcnow date time timedelta days seconds machine system node release "
    "python_implementation uname",
    "node": "console log JSON parse stringify process version versions argv platform arch "
    "Math max min floor round length map filter join split env cwd stdout write keys values "
    "entries toString toFixed trim toUpperCase toLowerCase forEach reduce sort",
}
# primitives that delete, and ones that run a command given as a string literal
_DELETES = re.compile(
    r"\b(unlink|rmtree|rmdir|remove|removedirs|rmSync|rm_rf|rm_r|unlinkSync|rmdirSync|"
    r"delete|truncate|shred)\b"
)
_RUNS_STRING = re.compile(
    r"\b(?:system|popen|exec\w*|spawn\w*|check_output|check_call|call|run|getoutput|"
    r"getstatusoutput|qx)\s*\(\s*(?:\[\s*)?(['\"])((?:(?!\1).)*)\1"
)
_UPLOADS = re.compile(r"\b(urlopen|post|put|patch|request|upload\w*|sendall|send|fetch)\b")

_REMOTE_SHELL = re.compile(r"socket|TCPSocket|fsockopen|IO::Socket|net\.Socket|/dev/tcp")
_RUNS = re.compile(r"exec|spawn|subprocess|system|popen|dup2|pty|/bin/\w*sh|child_process")


def one_liner(lang: str, body: str, acc: Findings, depth: int = 0) -> None:
    """Rate a `-e`/`-c` body: safe only when every name is on the language's short list."""
    if depth < 3 and _DECODES.search(body):
        for hidden in _encoded_literals(body):
            # `exec(b64decode("..."))`: the decoded program is rated too (and any command in it)
            one_liner(lang, hidden, acc, depth + 1)
    if _REMOTE_SHELL.search(body) and _RUNS.search(body):
        acc.reject(f"{lang} one-liner opens a socket and runs a shell (remote shell)")
        return
    if "`" in body or "(?{" in body or "@{[" in body or "${\\" in body:
        acc.raise_to("mutates", f"{lang}: the program runs commands (mutates)")
        return
    allowed = set(_ONE_LINER_NAMES[lang].split())
    for m in _RUNS_STRING.finditer(body):
        acc.script(m.group(2), Context(), 1)  # the command string, walked like any command
    code = _QUOTED.sub("''", body)
    code = re.sub(r"(?<![\w$@%])(?:m|qr)?/(?:[^/\\\n]|\\.)+/[a-z]*", "RE", code)
    if _DELETES.search(code):
        acc.raise_to("destructive", f"{lang}: the program deletes files (destructive)")
    if _UPLOADS.search(code) and re.search(r"\b(open|read|readFile\w*|File)\b", code):
        acc.raise_to("mutates", f"{lang}: the program sends local data (mutates)")
        for m in _QUOTED.finditer(body):
            if CREDENTIALS.search(" " + m.group(0)[1:-1]):
                acc.reject(f"{lang} one-liner sends a credential store ({m.group(0)})")
    if re.search(r"__\w+__|\bgetattr\b|\bsys\.modules\b|\bimportlib\b|\beval\b|\bexec\b", code):
        acc.raise_to("mutates", f"{lang}: the program reaches names indirectly (mutates)")
        if _DELETES.search(body):  # `getattr(shutil, "rmtree")`: the name is a string
            acc.raise_to("destructive", f"{lang}: the program deletes files (destructive)")
    # attribute names are checked too: `sys.modules[...]`, `json.__builtins__` are not printing
    unknown = sorted(
        {w for w in re.findall(r"(?<![\w$@%:])([A-Za-z_]\w*)", code) if w not in allowed} - {"RE"}
    )
    if re.search(r"\bs(.)(?:(?!\1).)*\1(?:(?!\1).)*\1[a-z]*e", body) and lang == "perl":
        unknown.append("s///e")
    if lang == "perl" and re.search(r"CORE::|readpipe|@ARGV\s*=|<\s*(?:ARGV)?\s*>", body):
        # `$s="CORE::readpipe"; $s->("id")` calls by a string, and `<>` opens the names in
        # @ARGV with a two-argument open (`|cmd` runs cmd): neither only prints
        unknown.append("CORE::/<>")
    if unknown:
        acc.raise_to(
            "mutates",
            f"{lang}: the program uses {', '.join(unknown[:3])}, "
            "not known to be read-only (mutates)",
        )


def language(name: str) -> str:
    """The one-liner language of an interpreter's name, or "" when it is not analysed."""
    if name.startswith("python"):
        return "python"
    if name in ("node", "nodejs"):
        return "node"
    return name if name in ("perl", "ruby") else ""


_DECODES = re.compile(r"b64decode|fromhex|unhexlify|decode|atob|Buffer\.from|unpack|base64")
_ENCODED = re.compile(r"""(['"])([A-Za-z0-9+/=_-]{16,}|(?:[0-9a-fA-F]{2}){8,})\1""")


def _encoded_literals(body: str) -> list[str]:
    """String literals that decode (base64 or hex) to readable text: a hidden program."""
    found = []
    for m in _ENCODED.finditer(body):
        text = m.group(2)
        for decode in (_from_hex, _from_base64):
            plain = decode(text)
            if plain and sum(c.isprintable() or c in "\n\t" for c in plain) >= 0.95 * len(plain):
                found.append(plain)
                break
    return found


def _from_hex(text: str) -> str | None:
    try:
        return bytes.fromhex(text).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def _from_base64(text: str) -> str | None:
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=False)
        return raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError, binascii.Error):
        return None


def interpreter(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    lang = language(name)
    if args in (["--version"], ["-V"], ["-v"], ["version"], ["-version"]):
        return
    if lang == "python" and args[:2] in (["-m", "json.tool"], ["-m", "this"]):
        operands = [a for a in args[2:] if not a.startswith("-")]
        if len(operands) > 1:
            rate_write(operands[-1], f"{name} -m json.tool", acc, ctx, append=False)
        return
    i = 0
    while i < len(args):
        a = args[i]
        if lang == "perl" and re.fullmatch(r"-[nlpaw0FsCE]*[eE]", a) and i + 1 < len(args):
            if re.search(r"i", a):
                acc.raise_to("mutates", f"{name} {a}: edits files in place (mutates)")
            one_liner(lang, args[i + 1], acc)
            reads_names = bool(set(a) & {"n", "p"}) or "<>" in args[i + 1]
            for operand in args[i + 2 :]:
                if reads_names and (set(operand) & set("*?[|<>&") or operand.startswith("-")):
                    # perl's two-argument open runs `|cmd` names, and a glob's names are unknown
                    acc.raise_to(
                        "mutates",
                        f"{name} {a}: opens {operand} with a two-argument open (mutates)",
                    )
                    break
            return
        if lang == "perl" and re.match(r"-[Mm]-?\w", a):
            acc.raise_to("mutates", f"{name} {a}: loads a module (mutates)")
            i += 1
            continue
        if lang == "perl" and re.fullmatch(r"-[nlpaw0]*i\S*", a):
            acc.raise_to("mutates", f"{name} {a}: edits files in place (mutates)")
            i += 1
            continue
        if (
            lang
            and a in ("-e", "-c", "-p")
            and i + 1 < len(args)
            and ((lang == "python" and a == "-c") or (lang != "python" and a in ("-e", "-p")))
        ):
            one_liner(lang, args[i + 1], acc)
            return
        if a.startswith("-") and lang == "perl" and re.fullmatch(r"-[nlaw]+", a):
            i += 1
            continue
        break
    acc.raise_to("mutates", f"{name}: runs a program whose effects are not analysed (mutates)")


def arithmetic(text: str, what: str, acc: Findings, ctx: Context, depth: int) -> None:
    """Bash evaluates `$(...)` inside array subscripts when it evaluates arithmetic, even
    when the text was quoted; a subscript that runs a command is at least `mutates`."""
    variables.check_names(text, what, acc)
    first = re.match(r"[\s(]*([\w./-]+)", text)
    quoted = any(q in text for q in "'\"\\")  # arithmetic has no quotes: bash rejects them
    if quoted or (first and (first.group(1) in _COMMAND_WORDS or "/" in first.group(1))):
        # `$(( rm -rf / ))` is an arithmetic error in bash, but some shells read `$((cmd))` as a
        # command substitution of a subshell: rated as the command it would be (fail closed)
        acc.script(text.strip().strip("()"), ctx, depth + 1)
        acc.raise_to("mutates", f"{what}: holds a command or quotes, not arithmetic")
    for m in re.finditer(r"\$\(|`", text):
        start = m.end()
        inner = text[start:]
        cut = _balanced_end(inner) if m.group(0) == "$(" else inner.find("`")
        acc.script(inner[: cut if cut >= 0 else len(inner)], ctx, depth + 1)
        if "[" in text[: m.start()]:
            acc.raise_to(
                "mutates",
                f"{what}: an array subscript runs a command substitution when evaluated (mutates)",
            )


def _balanced_end(text: str) -> int:
    level = 1
    for i, c in enumerate(text):
        level += (c == "(") - (c == ")")
        if level == 0:
            return i
    return -1


ARITH_BUILTINS = frozenset(
    {
        "let",
        "declare",
        "typeset",
        "local",
        "readonly",
        "export",
        "printf",
        "read",
        "test",
        "[",
        "[[",
        "((",
        "for",
        "unset",
        "mapfile",
    }
)

HANDLERS: dict[str, Rule] = {
    "source": source_rule,
    ".": source_rule,
    "awk": awk_program,
    "gawk": awk_program,
    "mawk": awk_program,
    "nawk": awk_program,
    "sed": sed_program,
    "gsed": sed_program,
}


# words that name a command rather than an arithmetic variable
_COMMAND_WORDS = (
    PRIV | SHELLS | INTERPRETERS | NETWORK | DESTRUCTIVE | WRITES | SAFE | frozenset(TABLES)
)
