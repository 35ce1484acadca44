"""Mistakes in a model's answer seen often enough to fix without asking it again.

Each repair is deterministic, narrow, and checked: the fixed command must parse (and, where
it applies, pass the check that found the mistake), else the answer is left as it was for
`verify` to report. The engine repairs an answer before checking it; every repaired command
still goes through the guard. Repairs that read the request (a lone `sed -i` for a request to
print, a crontab field the request's words fix) live with their checks, in `readonly` and
`cronline`, and are applied here in `reply`.
"""

from __future__ import annotations

import re
import shlex
import shutil
from typing import cast

from intent import safety
from intent.reply.types import Reply
from intent.turn import cronline, find_expr, findwords, readonly
from intent.turn.verify import argvs, encodable, find_lacks_terminator, is_one_command, parses

# `-exec CMD {}` and what a JSON slip left after it instead of `\;`: nothing, `\"`, `\",`,
# `\\;` (a literal backslash, then `;` ends the line), `";`
_EXEC = re.compile(
    r"(-(?:exec|execdir|ok|okdir)\s(?:[^|&;]*?\s)?\{\})\s*(?:[\\\";,]*)\s*(?=$|\|{1,2}|&&|>)"
)


_JSON_TAIL = re.compile(r"\s[\\\";,]+\s*$")


def reply(answer: Reply, request: str, context: safety.Context) -> Reply:
    """`answer` (a validated reply) with every repair that applies. A one-line bash script,
    or a shell command labelled python3, becomes the command it is first, so it is repaired,
    checked and guarded as one."""
    script = answer.get("script")
    if script and is_one_command(script["interpreter"], script["body"]):
        rest = {k: v for k, v in answer.items() if k != "script"}
        answer = cast(Reply, {"command": script["body"].strip(), **rest})
    if "command" not in answer:
        return answer
    fixed = cronline.repaired(cronline.kept(command(answer["command"]), request), request)
    fixed = findwords.repaired(fixed, request)
    if fixed != answer["command"]:
        answer = {**answer, "command": fixed}
    return readonly.repaired(answer, request, context)


def command(command: str) -> str:
    """`find … -exec cmd {}` missing its `\\;` (often ending in a stray `"`): add it. A
    crontab pipeline that would drop the existing table: group it. A second `find P` inside
    one find expression: drop it. A backspace or form feed where the model wrote `\\b` or
    `\\f` in JSON (a regex word boundary became the control character): the two characters
    it meant."""
    command = _tool_as_command(command)
    command = _escapes_restored(command)
    command = _grep_not_itself(command)
    command = _digit_class(command)
    command = _untracked_by_name(command)
    command = _sed_text_piped(command)
    command = _exec_plus_last(command)
    command = _count_after_file(command)
    command = _pkill_for_ps_grep(command)
    command = _jq_compact_for_wc(command)
    command = _crontab_grouped(command)
    command = _second_find_joined(command)
    if ("-exec" not in command and "-ok" not in command) or not encodable(command):
        return command
    if not any(find_lacks_terminator(argv) for argv in argvs(command)) and parses(command):
        return command
    tail = _JSON_TAIL.search(command)
    if tail is not None and "{}" in command[: tail.start()]:
        # `-exec cp {} backup/ \",`: what a JSON slip left where `\;` belongs, after the
        # exec'd command's last word
        fixed = command[: tail.start()].rstrip() + " \\;"
        if parses(fixed) and not any(find_lacks_terminator(a) for a in argvs(fixed)):
            return fixed
    m = _EXEC.search(command)
    if m is None or not _outside_quotes(command[: m.end(1)]):
        return command  # a `{}` inside quotes: adding `\;` there would change the words
    fixed = command[: m.end(1)] + " \\;" + (" " if m.end() < len(command) else "")
    fixed += command[m.end() :]
    return fixed if fixed != command and parses(fixed) else command


def _outside_quotes(prefix: str) -> bool:
    try:
        shlex.split(prefix)
    except ValueError:  # "No closing quotation"
        return False
    return True


def _escapes_restored(command: str) -> str:
    if "\b" not in command and "\f" not in command:
        return command
    fixed = command.replace("\b", "\\b").replace("\f", "\\f")
    return fixed if encodable(fixed) and parses(fixed) else command


# `find . -type d -empty -o find . -type f -empty`: the second `find .` repeated in one expression
_SECOND_FIND = re.compile(r"^(find\s+(\S+)\s+.*?\s(?:-o|-or)\s+)find\s+(\S+)\s+(?=-)")


def _second_find_joined(command: str) -> str:
    """`find P A -o find P B` (find rejects the second `find`) is meant as `find P A -o B`:
    the repeated `find P` is dropped, only when both name the same starting point and find's
    shape is then right."""
    m = _SECOND_FIND.match(command.strip())
    if not m or m.group(2) != m.group(3):
        return command
    whole = argvs(command)
    if len(whole) != 1 or not find_expr.problem(whole[0]):
        return command  # one find, which find itself would reject: nothing else is touched
    fixed = m.group(1) + command.strip()[m.end() :]
    if not parses(fixed) or any(
        argv and argv[0] == "find" and find_expr.problem(argv) for argv in argvs(fixed)
    ):
        return command
    return fixed


# `crontab -l; echo 'LINE' | crontab -`: one echo of one quoted line, nothing else
_CRONTAB_LOST = re.compile(
    r"^crontab -l(\s+2>\s*/dev/null)?\s*(?:;|&&)\s*"
    r"(echo (?:'[^']*'|\"[^\"$`\\]*\"))\s*\|\s*crontab -$"
)


def _crontab_grouped(command: str) -> str:
    """`crontab -l; echo LINE | crontab -` installs only LINE (the old table goes to the
    terminal, and is lost): the two must be grouped, `(crontab -l; echo LINE) | crontab -`.
    Only a single echo of one quoted line is regrouped, so nothing else can be pulled into
    what crontab installs."""
    m = _CRONTAB_LOST.match(command.strip())
    if not m:
        return command
    fixed = f"(crontab -l{m.group(1) or ''}; {m.group(2)}) | crontab -"
    return fixed if parses(fixed) else command


# The model's own read-only tools (turn/tools.py) written as if they were shell commands:
# `list_dir .`, `read_file("notes.txt")`. None is a program; each has a plain equivalent.
_TOOLS = re.compile(
    r"^(list_dir|read_file|head_file|find_files|env_get|cwd|os_info|git_status)"
    r"\s*(?:\((?P<call>.*)\)|(?P<words>\s.*))?\s*$",
    re.DOTALL,
)


def _tool_as_command(command: str) -> str:
    """A tool name proposed as a command (the "not installed" check saw it, and the retry
    often repeated it): the shell command that does what the tool does."""
    m = _TOOLS.match(command.strip())
    if m is None or shutil.which(m.group(1)):
        return command
    raw = m.group("call") if m.group("call") is not None else (m.group("words") or "")
    try:
        args = shlex.split(raw.replace(",", " "))
    except ValueError:
        return command
    args = [a.split("=", 1)[1] if re.match(r"^\w+=", a) else a for a in args]  # path="x"
    name = m.group(1)
    q = [shlex.quote(a) for a in args]
    if name == "list_dir":
        fixed = "ls -la " + (q[0] if q else ".")
    elif name == "read_file" and q:
        fixed = f"cat {q[0]}"
    elif name == "head_file" and q:
        fixed = f"head -n {int(args[1]) if len(args) > 1 and args[1].isdigit() else 10} {q[0]}"
    elif name == "find_files" and q:
        fixed = f"find {q[1] if len(q) > 1 else '.'} -name {q[0]}"
    elif name == "env_get" and q:
        fixed = f"printenv {q[0]}"
    elif name in ("cwd", "os_info", "git_status") and not args:
        fixed = {"cwd": "pwd", "os_info": "uname -a", "git_status": "git status"}[name]
    else:
        return command
    return fixed if parses(fixed) else command


# `jq '.[] | select(.active)' a.json | wc -l`: jq's own pipes are inside its quoted filter
_JQ_WC = re.compile(r"(?:^|(?<=\|))(\s*jq)(\s+(?:'[^']*'|\"[^\"]*\"|[^|'\"])*?)\|\s*wc\s+-l\s*$")


_JQ_AT = re.compile(r"(?:^|\|\s*|&&\s*)(jq)(?=\s)")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


_JQ_INDEXED_ARRAY = re.compile(r'Cannot index array with (?:string )?"(\w+)"')


def jq_top_array(command: str, stderr: str) -> str:
    """`jq '.people[] | …' people.json` on a file that is one array (`[{…}, …]`): jq says it
    cannot index an array with "people", and `.[]` is what the filter meant. Only a filter
    that starts with `.KEY[]`, in the one jq of the command."""
    m = _JQ_INDEXED_ARRAY.search(stderr)
    if m is None or len(_JQ_AT.findall(command)) != 1:
        return command
    jq = next((a for a in argvs(command) if a and a[0] == "jq"), [])
    if any(w in ("-s", "--slurp") or (w[:1] == "-" and w[1:2] != "-" and "s" in w) for w in jq):
        return command  # with -s the array is of the files read, each maybe with KEY
    key = m.group(1)
    fixed, n = re.subn(rf"(?<=['\"])\.{re.escape(key)}\[\]", ".[]", command, count=1)
    return fixed if n and parses(fixed) else command


def jq_raw(command: str, printed: str, request: str) -> str:
    """`jq '.[] | .email' people.json`, whose trial printed only JSON strings (in quotes, with
    escapes): with -r it prints the text itself, as asked; `command` itself when it does not
    apply (a second jq, -r already, output that is not all strings, JSON asked for)."""
    lines = [ln for ln in printed.splitlines() if ln.strip()]
    if not lines or not all(_JSON_STRING.fullmatch(ln.strip()) for ln in lines):
        return command
    if re.search(r"\b(?:as|in|into|to)\s+(?:json|a\s+json\b)|\bquoted\b|\bquotes\b", request, re.I):
        return command
    stages = [a for a in argvs(command) if a and a[0] == "jq"]
    found = list(_JQ_AT.finditer(command))
    if len(stages) != 1 or len(found) != 1:
        return command
    opts = [w for w in stages[0][1:] if w.startswith("-")]
    if any(w in ("--raw-output", "--join-output", "--raw-output0") for w in opts) or any(
        not w.startswith("--") and {"r", "j"} & set(w[1:]) for w in opts
    ):
        return command
    at = found[0].end(1)
    fixed = f"{command[:at]} -r{command[at:]}"
    return fixed if parses(fixed) else command


def _jq_compact_for_wc(command: str) -> str:
    """`jq FILTER f | wc -l` counts the lines of pretty-printed JSON (five for one object):
    with -c each value is one line, so the count is of values, as asked."""
    m = _JQ_WC.search(command)
    if m is None or re.search(
        r"\s(?:-\w*[cs]\w*|--compact-output|--slurp)(?=\s)", m.group(2) + " "
    ):
        return command
    fixed = f"{command[: m.end(1)]} -c{command[m.end(1) :]}"
    return fixed if parses(fixed) else command


# programs whose regexes (POSIX basic and extended, GNU's extensions) have no `\d`
_NO_BACKSLASH_D = frozenset({"grep", "egrep", "sed", "awk", "gawk", "mawk"})
_BACKSLASH_D = re.compile(r"(?<!\\)\\([dD])(?!\d)")  # not sed's decimal `\d065`
_BRACKET = re.compile(r"\[\^?\]?[^\]]*\]")


def _digit_class(command: str) -> str:
    """`grep -E '\\d+'`, `sed 's/\\d//'`, `awk '/\\d/'`: only Perl's regexes (grep -P) know
    `\\d`; GNU grep, sed and awk read it as the letter d (or sed as a decimal escape), so the
    pattern quietly matches nothing. `[0-9]` is what was meant (`0-9` inside a bracket)."""
    if not _BACKSLASH_D.search(command):
        return command
    users = [a for a in argvs(command) if any(_BACKSLASH_D.search(w) for w in a[1:])]
    if not users:
        return command
    for a in users:
        opts = [w for w in a[1:] if w.startswith("-") and not w.startswith("--")]
        if (
            a[0] not in _NO_BACKSLASH_D
            or any({"P", "F"} & set(w[1:]) for w in opts)
            or {"--perl-regexp", "--fixed-strings"} & set(a)
        ):
            return command

    def in_bracket(m: re.Match[str]) -> str:
        if "\\D" in m.group(0) or "[:" in m.group(0):
            raise ValueError  # a negated class inside a bracket: no plain rewrite
        return _BACKSLASH_D.sub("0-9", m.group(0))

    try:
        fixed = _BRACKET.sub(in_bracket, command)
    except ValueError:
        return command
    fixed = _BACKSLASH_D.sub(lambda m: "[0-9]" if m.group(1) == "d" else "[^0-9]", fixed)
    return fixed if parses(fixed) else command


# `git status --porcelain | grep '^??' | awk '{print $2}'`: an untracked folder is one line
# (`?? dir/`), never the files in it, and a name with spaces is cut at the first one
_UNTRACKED = re.compile(
    r"^git\s+status\s+(?:--porcelain(?:=v1)?|-s|--short)(?:\s+-u(?:all|normal)?)?\s*\|\s*"
    r"grep\s+(?:-E\s+)?(['\"]?)\^(?:\\?\?){1,2}\s?\1\s*\|\s*"
    r"(?:awk\s+(['\"])\{\s*print\s+\$2;?\s*\}\2|cut\s+-c\s*4-)\s*$"
)


def _untracked_by_name(command: str) -> str:
    """The names of untracked files cut from git status's short report: git lists them
    itself, one file a line, with .gitignore applied as the report applies it."""
    if _UNTRACKED.match(command.strip()) is None:
        return command
    return "git ls-files --others --exclude-standard"


# `-exec cp {} backup/ +`: with `+`, find wants `{}` last ("missing argument to `-exec'")
_EXEC_PLUS = re.compile(
    r"(-exec(?:dir)?\s(?:[^;+|&{}]*?\s)?\{\}\s+[^;+|&{}\s][^;+|&{}]*?)\s+\+(?=\s*(?:$|\||&|;|>))"
)


def _exec_plus_last(command: str) -> str:
    """`find … -exec cp {} backup/ +`: find takes `+` only right after `{}`, so the command
    fails; `\\;` runs it once a file, with the words where they were written."""
    m = _EXEC_PLUS.search(command)
    if m is None or not _outside_quotes(command[: m.start()]):
        return command
    fixed = f"{command[: m.end(1)]} \\;{command[m.end() :]}"
    return fixed if parses(fixed) else command


# `ps aux | grep '[s]leep' | awk '{print $2}' | xargs kill`, or `kill $(…)` around it
_PS_GREP_PIDS = (
    r"ps\s+(?:aux|-ef|-e|ax|-A|-aux)\s*\|\s*grep\s+(?P<q>['\"]?)(?:\[(?P<a>\w)\]|(?P<b>\w))"
    r"(?P<rest>[\w-]*)(?P=q)\s*(?:\|\s*grep\s+-v\s+(?P<v>['\"]?)grep(?P=v)\s*)?"
    r"\|\s*awk\s+(?P<w>['\"])\{\s*print\s+\$2;?\s*\}(?P=w)\s*"
)
_SIGNAL = r"(?P<signal>\s+-(?:9|KILL|TERM|15))?"
_KILL_PIPED = re.compile(rf"^{_PS_GREP_PIDS}\|\s*xargs\s+(?:-r\s+)?kill{_SIGNAL}\s*$")
_KILL_OF = re.compile(rf"^kill{_SIGNAL}\s+\$\(\s*{_PS_GREP_PIDS}\)\s*$")


def _pkill_for_ps_grep(command: str) -> str:
    """`ps aux | grep NAME | awk '{print $2}' | xargs kill` kills every process whose command
    line mentions NAME: a shell running a script that names it, an editor, grep itself.
    `pkill NAME` matches process names only. Only for a plain word (not `server.py`), and
    grep with no options."""
    text = command.strip()
    m = _KILL_PIPED.match(text) or _KILL_OF.match(text)
    if m is None:
        return command
    name = (m.group("a") or m.group("b")) + m.group("rest")
    signal = (m.group("signal") or "").strip()
    fixed = f"pkill {signal + ' ' if signal else ''}{name}"
    return fixed if parses(fixed) else command


# `head /var/log/syslog 20`: the count written after the file, where head reads a second file
_COUNT_AFTER_FILE = re.compile(
    r"(?:^|(?<=\|)|(?<=\|\s))(head|tail)\s+([\w./~-]*[A-Za-z_][\w./~-]*)\s+(\d{1,6})(?=\s*(?:$|\|))"
)


def _count_after_file(command: str) -> str:
    """`head FILE 20` reads FILE and a file named 20: `head -n 20 FILE` is what was meant."""
    m = _COUNT_AFTER_FILE.search(command)
    if m is None or m.group(2).startswith("-"):
        return command
    fixed = f"{command[: m.start()]}{m.group(1)} -n {m.group(3)} {m.group(2)}{command[m.end() :]}"
    return fixed if parses(fixed) else command


# `echo "Hello" | sed -i '1i' todo.txt`: sed's a, i and c take their text in the script
_SED_PIPED_TEXT = re.compile(
    r"^echo\s+(?!-)(['\"]?)([^'\"\n|;&$`\\]+?)\1\s*\|\s*sed\s+-i\s+(['\"]?)(\$|\d+)([aic])\\?\3"
    r"\s+([\w./-]+)\s*$"
)


def _sed_text_piped(command: str) -> str:
    """The text of sed's a, i or c piped in with echo (sed ignores its input when it edits a
    file in place, and stops at an empty `1i`): the text goes into the script. Only with an
    address (`1i`, `$a`): without one, the text would go in at every line."""
    m = _SED_PIPED_TEXT.match(command.strip())
    if m is None:
        return command
    text, address, verb, path = m.group(2).strip(), m.group(4), m.group(5), m.group(6)
    fixed = f"sed -i {shlex.quote(f'{address}{verb} {text}')} {path}"
    return fixed if parses(fixed) else command


# `ps aux | grep nginx | wc -l`: the grep is a process too, and matches its own command line
_PS_GREP = re.compile(
    r"^(ps\b[^|;&]*\|\s*grep\s+(?:-[a-zA-Z]+\s+)*)(['\"]?)([A-Za-z0-9_][A-Za-z0-9_.-]+)\2(?=\s|$)"
)


def _grep_not_itself(command: str) -> str:
    """`ps … | grep WORD` counts or lists the grep itself: `grep '[W]ORD'` matches the same
    processes and not its own command line (unless the line already drops it)."""
    m = _PS_GREP.match(command)
    if m is None or "grep -v grep" in command:
        return command
    word = m.group(3)
    fixed = f"{m.group(1)}'[{word[0]}]{word[1:]}'{command[m.end() :]}"
    return fixed if parses(fixed) else command
