"""A small, honest parser for the shell commands a model proposes.

It is shared by the guard (`safety.py`) and `i explain`, so both see the same structure.
It understands quotes, escapes, `$(...)`, backticks, `<(...)`, control operators, redirections
with file descriptors, subshell and brace groups, and here-documents. It does not expand
anything: `$HOME` stays `$HOME`. Input it cannot follow (an unclosed quote) is reported in
`Script.errors`, which the guard treats as risky.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intent.guard.escapes import ANSI_ESCAPE, decode_escape, skip_pattern

CONTROL = ("&&", "||", ";;", "|&", ";", "|", "&", "\n")
REDIRECT = ("&>>", "<<<", "<<-", ">>", "<<", "<>", ">&", "<&", "&>", ">|", ">", "<")


@dataclass
class Word:
    text: str  # quotes and escapes removed
    raw: str  # as written
    quoted: bool = False  # any part was quoted
    substitutions: list[str] = field(default_factory=list)  # inner commands of $(...)/`...`/<(...)


@dataclass
class Redirect:
    op: str  # > >> < 2>&1 ...
    fd: str  # "" or the digits before the operator
    target: str
    raw: str


@dataclass
class Simple:
    """One simple command: assignments, words and redirections, plus the operator after it."""

    words: list[Word] = field(default_factory=list)
    assignments: list[Word] = field(default_factory=list)
    redirects: list[Redirect] = field(default_factory=list)
    op_after: str = ""
    heredoc_bodies: list[str] = field(default_factory=list)
    redirect_substitutions: list[str] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        return [w.text for w in self.words]


@dataclass
class Script:
    commands: list[Simple]
    errors: list[str]
    arithmetic: list[str] = field(default_factory=list)  # `(( ))` and `$(( ))` bodies
    functions: list[str] = field(default_factory=list)  # names of functions defined here

    def pipelines(self) -> list[list[Simple]]:
        """Commands grouped into pipelines (split on everything but `|` and `|&`)."""
        groups: list[list[Simple]] = [[]]
        for cmd in self.commands:
            groups[-1].append(cmd)
            if cmd.op_after not in ("|", "|&"):
                groups.append([])
        return [g for g in groups if g]


class _Lexer:
    def __init__(self, text: str) -> None:
        self.s = text
        self.i = 0
        self.errors: list[str] = []
        self.arithmetic: list[str] = []  # texts bash evaluates arithmetically

    def peek(self, n: int = 1) -> str:
        return self.s[self.i : self.i + n]

    def read_balanced(self, open_: str, close: str) -> str:
        """Read up to the matching `close`, respecting quotes; the opener is already consumed."""
        depth, start = 1, self.i
        quote = ""
        while self.i < len(self.s):
            c = self.s[self.i]
            if quote:
                if c == "\\" and quote == '"':
                    self.i += 2
                    continue
                if c == quote:
                    quote = ""
            elif c in "'\"":
                quote = c
            elif c == "\\":
                self.i += 2
                continue
            elif c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    inner = self.s[start : self.i]
                    self.i += 1
                    return inner
            self.i += 1
        self.errors.append(f"unclosed {open_}")
        return self.s[start:]

    def take_substitution(self, text: list[str], subs: list[str]) -> bool:
        """Consume a `$(...)` or backtick substitution at the cursor, if there is one."""
        if self.peek(3) == "$((":
            # arithmetic expansion: not a command, but `$(...)` inside it still runs
            self.i += 3
            inner = self.read_balanced("(", ")")
            if self.peek() == ")":
                self.i += 1
            self.arithmetic.append(inner)
            text.append(f"$(({inner}))")
            return True
        if self.peek(2) == "$(":
            self.i += 2
            inner = self.read_balanced("(", ")")
            subs.append(inner)
            text.append(f"$({inner})")
            return True
        if self.peek() == "`":
            end = self.s.find("`", self.i + 1)
            if end < 0:
                self.errors.append("unclosed backtick")
                end = len(self.s)
            inner = self.s[self.i + 1 : end]
            subs.append(inner)
            text.append(f"`{inner}`")
            self.i = end + 1
            return True
        return False

    def ansi_c(self) -> str:
        """The decoded body of `$'...'` (the `$'` already consumed)."""
        out: list[str] = []
        while self.i < len(self.s) and self.s[self.i] != "'":
            c = self.s[self.i]
            if c != "\\" or self.i + 1 >= len(self.s):
                out.append(c)
                self.i += 1
                continue
            m = ANSI_ESCAPE.match(self.s, self.i)
            if m is None:
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            out.append(decode_escape(m.group(0)))
            self.i = m.end()
        if self.i >= len(self.s):
            self.errors.append("unclosed $' quote")
        self.i += 1
        return "".join(out)

    def word(self) -> Word:
        start = self.i
        text: list[str] = []
        quoted = False
        subs: list[str] = []
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\n;&|<>()" and not (
                c in "<>" and self.peek(2) in ("<(", ">(") and not text
            ):
                break
            if c == "\\":
                nxt = self.s[self.i + 1 : self.i + 2]
                if nxt == "\n":
                    self.i += 2
                    continue
                text.append(nxt)
                quoted = True
                self.i += 2
                continue
            if c == "$" and self.peek(2) == "$'":
                quoted = True
                self.i += 2
                text.append(self.ansi_c())
                continue
            if c == "'":
                quoted = True
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    self.errors.append("unclosed single quote")
                    end = len(self.s)
                text.append(self.s[self.i + 1 : end])
                self.i = end + 1
                continue
            if c == '"':
                quoted = True
                self.i += 1
                while self.i < len(self.s) and self.s[self.i] != '"':
                    ch = self.s[self.i]
                    if ch == "\\" and self.peek(2)[1:] in ('"', "\\", "$", "`"):
                        text.append(self.s[self.i + 1])
                        self.i += 2
                        continue
                    if ch in "$`" and self.take_substitution(text, subs):
                        continue
                    text.append(ch)
                    self.i += 1
                if self.i >= len(self.s):
                    self.errors.append("unclosed double quote")
                self.i += 1
                continue
            if c in "$`" and self.take_substitution(text, subs):
                continue
            if c in "<>" and self.peek(2) in ("<(", ">("):
                self.i += 2
                inner = self.read_balanced("(", ")")
                subs.append(inner)
                text.append(f"{c}({inner})")
                continue
            text.append(c)
            self.i += 1
        return Word("".join(text), self.s[start : self.i], quoted, subs)


def parse(command: str) -> Script:
    lx = _Lexer(command)
    commands: list[Simple] = []
    cur = Simple()
    pending_heredocs: list[tuple[str, bool, bool]] = []  # (delimiter, strip tabs, quoted)

    def finish(op: str) -> None:
        nonlocal cur
        cur.op_after = op
        if cur.words or cur.assignments or cur.redirects:
            commands.append(cur)
        elif commands and op in ("&", ";") and not commands[-1].op_after.strip(";&\n"):
            commands[-1].op_after = op
        elif commands and op in ("|", "|&") and commands[-1].op_after == ")":
            commands[-1].op_after = op  # `( a; b ) | c`: the group's output feeds c
        cur = Simple()

    s = command
    functions: list[str] = []
    case_depth = 0
    in_patterns = False  # inside `case ... in`, before a pattern's `)`
    while lx.i < len(s):
        c = s[lx.i]
        if c in " \t":
            lx.i += 1
            continue
        if in_patterns and c != "\n":
            if re.match(r"esac(?=$|[\s;&|)])", s[lx.i :]):
                lx.i += 4
                case_depth -= 1
                in_patterns = False
                continue
            start = lx.i
            lx.i = skip_pattern(s, lx.i)
            pattern = s[start : lx.i]
            if "$" in pattern or "`" in pattern:
                # a pattern's `$(...)`, backquotes and `$((...))` run when the case is tried
                _expand_body(pattern, commands[-1] if commands else cur, lx)
            in_patterns = False
            continue
        if c == "(" and s.startswith("((", lx.i) and [w.text for w in cur.words] in ([], ["for"]):
            # an arithmetic command `(( ... ))`: `<` and `>` in it are comparisons
            lx.i += 2
            inner = lx.read_balanced("(", ")")
            if lx.peek() == ")":
                lx.i += 1
            lx.arithmetic.append(inner)
            if not cur.words:
                cur.words.append(Word("((", "(("))
            continue
        if c == "(" and re.match(r"\(\s*\)", s[lx.i :]) and len(cur.words) == 1:
            # `name() {...}` defines a function; its body is walked where it stands
            functions.append(cur.words[0].text)
            cur.words = []
            lx.i = s.index(")", lx.i) + 1
            continue
        if c == "#" and (lx.i == 0 or s[lx.i - 1] in " \t\n;&|("):
            end = s.find("\n", lx.i)
            lx.i = len(s) if end < 0 else end
            continue
        if c == "\n" and pending_heredocs:
            lx.i += 1
            owner = cur if (cur.words or cur.redirects) else (commands[-1] if commands else cur)
            for delim, strip, quoted in pending_heredocs:
                body: list[str] = []
                while lx.i < len(s):
                    end = s.find("\n", lx.i)
                    line = s[lx.i : len(s) if end < 0 else end]
                    lx.i = len(s) if end < 0 else end + 1
                    if (line.lstrip("\t") if strip else line) == delim:
                        break
                    body.append(line)
                else:
                    lx.errors.append(f"here-document not closed by {delim}")
                owner.heredoc_bodies.append("\n".join(body))
                if not quoted:
                    # an unquoted delimiter: the shell expands `$(...)`, backquotes and `$((...))`
                    _expand_body("\n".join(body), owner, lx)
            pending_heredocs = []
            finish("\n")
            continue
        if c in "()":
            lx.i += 1
            finish(c)
            continue
        if c == "{" and s[lx.i + 1 : lx.i + 2] in (" ", "\n", "\t") and not cur.words:
            lx.i += 1
            continue
        if c == "}" and not cur.words and (lx.i + 1 == len(s) or s[lx.i + 1] in " ;&|)\n"):
            lx.i += 1
            continue
        special = c in "&|;<>\n"
        op = next((o for o in CONTROL if s.startswith(o, lx.i)), None) if special else None
        redir = next((o for o in REDIRECT if s.startswith(o, lx.i)), None) if special else None
        if redir and not (redir in ("<", ">") and s[lx.i + 1 : lx.i + 2] == "("):
            lx.i += len(redir)
            _read_redirect(lx, cur, redir, "", pending_heredocs)
            continue
        if op:
            lx.i += len(op)
            finish(op)
            if op == ";;" or s.startswith(("&", ";&"), lx.i):
                lx.i += 1 if s.startswith("&", lx.i) else (2 if s.startswith(";&", lx.i) else 0)
                in_patterns = case_depth > 0
            continue
        word = lx.word()
        if not word.raw:
            lx.i += 1
            continue
        nxt = (
            next((o for o in REDIRECT if s.startswith(o, lx.i)), None)
            if s[lx.i : lx.i + 1] in ("<", ">", "&")
            else None
        )
        if nxt and word.text.isdigit() and not word.quoted:
            lx.i += len(nxt)
            _read_redirect(lx, cur, nxt, word.text, pending_heredocs)
            continue
        if not cur.words and word.text == "function" and not word.quoted:
            name = _next_word(lx)
            if name:
                functions.append(name)
            continue
        if cur.words and cur.words[0].text == "case" and word.text == "in" and not word.quoted:
            cur.words.append(word)
            finish(";")
            case_depth += 1
            in_patterns = True
            continue
        if not cur.words and _is_assignment(word):
            cur.assignments.append(word)
        elif (
            not cur.words
            and word.text in ("!", "then", "do", "else", "elif", "if", "while", "until", "time")
            and not word.quoted
        ):
            continue
        elif not cur.words and word.text in ("fi", "done", "esac") and not word.quoted:
            continue
        else:
            cur.words.append(word)
    finish("")
    if pending_heredocs:
        lx.errors.append("here-document without a body")
    return Script(commands, lx.errors, lx.arithmetic, functions)


def _next_word(lx: _Lexer) -> str:
    while lx.i < len(lx.s) and lx.s[lx.i] in " \t":
        lx.i += 1
    return lx.word().text


def _is_assignment(word: Word) -> bool:
    name, eq, _ = word.raw.partition("=")
    return bool(eq) and name.replace("_", "a").isalnum() and not name[0].isdigit()


def _read_redirect(
    lx: _Lexer, cur: Simple, op: str, fd: str, pending: list[tuple[str, bool, bool]]
) -> None:
    while lx.i < len(lx.s) and lx.s[lx.i] in " \t":
        lx.i += 1
    target = lx.word() if lx.i < len(lx.s) and lx.s[lx.i] not in "\n;&|()" else Word("", "")
    if not target.raw:
        lx.errors.append(f"redirection {op} without a target")
    if op in ("<<", "<<-"):
        pending.append((target.text, op == "<<-", target.quoted))
    cur.redirects.append(Redirect(op, fd, target.text, f"{fd}{op}{target.raw}"))
    cur.redirect_substitutions.extend(target.substitutions)


def _expand_body(body: str, owner: Simple, lx: _Lexer) -> None:
    """The substitutions in an unquoted here-document body, which the shell runs."""
    inner = _Lexer(body)
    text: list[str] = []
    while inner.i < len(body):
        if body[inner.i] == "\\":
            inner.i += 2
        elif body[inner.i] in "$`" and inner.take_substitution(text, owner.redirect_substitutions):
            continue
        else:
            inner.i += 1
    lx.arithmetic.extend(inner.arithmetic)
    lx.errors.extend(inner.errors)


def substitutions(script: Script) -> list[str]:
    """Every command hidden inside $(...), backticks and <(...) anywhere in the script."""
    found: list[str] = []
    for cmd in script.commands:
        for w in [*cmd.words, *cmd.assignments]:
            found.extend(w.substitutions)
        found.extend(cmd.redirect_substitutions)
    return found
