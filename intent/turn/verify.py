"""Check a proposed command with what this machine already knows, before it is shown.

`bash -n`, the guard's parser, whether each utility is installed, and whether each option
appears in the utility's local documentation (the lookup `i explain` uses). A problem found
here costs the engine one retry that quotes it; a command still failing is shown with a warning.
Mistakes seen often enough to fix without asking are fixed first, in `turn/repair.py`.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
import shlex
import shutil
import stat
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from intent import process
from intent.explain.lookup import Docs, header_lines
from intent.explain.walk import Explainer
from intent.guard.parser import parse
from intent.turn import find_expr

# words bash runs without looking on PATH
_BUILTINS = set(
    """alias bg bind break builtin caller cd command compgen complete continue declare dirs disown
    echo enable eval exec exit export false fc fg getopts hash help history jobs kill let local
    logout mapfile popd printf pushd pwd read readarray readonly return set shift shopt source
    suspend test times trap true type typeset ulimit umask unalias unset wait . : [ [[ ]] { } !
    if then else elif fi for in do done while until case esac function select time coproc""".split()
)
MAX_OPTION_LIST = 500
# utilities that read the files they are given and fail on a directory; for the first three the
# first word that is not an option is their program or pattern, not a file
_READERS = {
    "grep",
    "egrep",
    "fgrep",
    "sed",
    "awk",
    "cat",
    "head",
    "tail",
    "wc",
    "sort",
    "uniq",
    "cut",
    "less",
    "more",
    "nl",
    "tac",
}
# short options that take the next word as their argument
_TAKES_ARG = {
    "grep": "efmABCDd",
    "egrep": "efmABCDd",
    "fgrep": "efmABCDd",
    "sed": "ef",
    "awk": "fvF",
    "head": "nc",
    "tail": "ncs",
    "cut": "dfcb",
    "sort": "ktoST",
    "uniq": "fsw",
    "nl": "bsvw",
}
_PROGRAM_FIRST = {"grep", "egrep", "fgrep", "sed", "awk"}
_RECURSIVE = re.compile(
    r"-[a-zA-Z]*[rR][a-zA-Z]*|--recursive|--dereference-recursive|-d|--directories.*"
)


@dataclass(frozen=True)
class Problem:
    message: str
    docs: str = ""  # the utility's option list, short, for the retry
    # untrusted text for the model only (a file's lines), already framed as data: it goes
    # into the retry, never into the warnings shown to the user
    data: str = ""


def problems(command: str, docs: Docs | None, cwd: str | None = None) -> list[Problem]:
    """What is wrong with `command` on this machine, most basic first; empty when nothing is.
    With `cwd`, a file reader handed a directory there (`grep error logs`) is a problem too."""
    if not encodable(command):
        return []  # nothing to check against this machine: the run step refuses it (exit 4)
    if not parses(command):
        return [Problem("it is not valid shell syntax (bash -n rejects it)")]
    script = parse(command)
    if script.errors:
        return [Problem(f"it does not parse: {script.errors[0]}")]
    found: list[Problem] = []
    for argv in argvs(command):
        if find_lacks_terminator(argv):
            found.append(Problem("a find -exec has no terminator: end it with \\; or +"))
        elif argv and argv[0] == "find" and find_expr.problem(argv):
            found.append(Problem(find_expr.problem(argv)))
    moved = False  # a cd/pushd earlier in the line: names are no longer relative to cwd
    for n, cmd in enumerate(script.commands):
        if not cmd.words:
            continue
        name = cmd.words[0].text
        moved = moved or name in ("cd", "pushd", "popd")
        if "/" in name or "$" in name or name in _BUILTINS or "=" in name:
            continue
        for program in [name, *_programs_run_by(cmd.argv)]:
            if shutil.which(program) is None and program not in _BUILTINS:
                instead = _INSTEAD.get(program, "")
                found.append(Problem(f"`{program}` is not installed on this machine" + instead))
        if shutil.which(name) is None:
            continue
        if cwd is None or moved:
            continue
        # only the line's first command: an earlier one may create what a later one reads
        if name in _READERS:
            found += _operands_read(cmd.argv, cwd, missing=n == 0)
        elif name == "tar" and n == 0 and "mkdir" not in command:
            found += _tar_directory_missing(cmd.argv, cwd)
    if docs is not None and not found:
        found += _unknown_options(command, docs)
    return list(dict.fromkeys(found))  # `crontab -l; … | crontab -`: one problem, said once


# what to write instead of a program that often is not there (the retry's hint)
_INSTEAD = {
    "rename": "; rename each file with mv in a for loop over them",
    "prename": "; rename each file with mv in a for loop over them",
    "tree": "; list with find DIR (or ls -R)",
    "bc": "; compute with the shell's $(( )) arithmetic",
}


def _tar_directory_missing(argv: list[str], cwd: str) -> list[Problem]:
    """`tar -xzf a.tar.gz -C out` where out does not exist: tar fails ("Cannot open")."""
    target = ""
    for n, w in enumerate(argv[1:], 1):
        if w in ("-C", "--directory") and n + 1 < len(argv):
            target = argv[n + 1]
        elif w.startswith("--directory="):
            target = w.split("=", 1)[1]
    if target and _is_missing(cwd, target):
        return [
            Problem(
                f"tar -C needs an existing directory, and `{target}` does not exist here: "
                f"create it first (mkdir -p {target} && tar …)"
            )
        ]
    return []


def script_problems(interpreter: str, body: str) -> list[Problem]:
    """A python3 script that Python cannot compile (often a shell command put in a script:
    `jq . items.json`), or a bash/sh script that `bash -n` rejects. Compiling runs nothing."""
    if interpreter == "python3":
        try:
            with warnings.catch_warnings():  # `"\d"` warns on 3.12; an error under -W error
                warnings.simplefilter("ignore")
                tree = ast.parse(body)
        except SyntaxError as exc:
            where = f", line {exc.lineno}" if exc.lineno else ""
            return [Problem(f"it is not valid Python ({exc.msg}{where})")]
        except (ValueError, RecursionError, MemoryError):
            return [Problem("it is not valid Python")]
        unknown = _undefined_names(tree)
        if unknown:
            commands = [n for n in unknown if shutil.which(n)]
            hint = (
                f"; {', '.join(commands)} {'is a command' if len(commands) == 1 else 'are commands'}"
                ': a shell command belongs in "command"'
                if commands
                else " (a missing import?)"
            )
            return [
                Problem(f"the Python script uses {', '.join(unknown)}, defined nowhere in it{hint}")
            ]
    elif interpreter in ("bash", "sh") and encodable(body) and not parses(body, interpreter):
        return [Problem(f"it is not valid shell syntax ({interpreter} -n rejects it)")]
    return []


# a command's own length limit (schema.py): a script body may be longer
_COMMAND_MAX = 2000


def is_one_command(interpreter: str, body: str) -> bool:
    """A script reply that is one shell command line: a one-line bash script (a command runs
    with `bash -c` too; an sh one is left alone, dash reads `echo 'a\\tb'` differently), or a
    shell command labelled python3 (`shell_in_python`)."""
    line = body.strip()
    if not line or "\n" in line or len(line) > _COMMAND_MAX or not encodable(line):
        return False
    if interpreter == "bash":
        return True
    return shell_in_python(interpreter, body)


def shell_in_python(interpreter: str, body: str) -> bool:
    """A python3 "script" that is one shell command (`jq . data/items.json`, which Python
    reads as `jq.data / items.json`): its first word is a command on PATH that the script
    never defines, and the line parses as shell. Such a reply is meant as a command."""
    if interpreter != "python3" or "\n" in body.strip() or not encodable(body):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(body)
        first = shlex.split(body)[0] if body.strip() else ""
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return first in _undefined_names(tree) and shutil.which(first) is not None and parses(body)


def _undefined_names(tree: ast.AST) -> list[str]:
    """Names read but bound nowhere in the script and not built in (`jq . items.json` parses
    as Python: the attribute `jq.items.json`, and jq is defined nowhere). Any binding anywhere
    counts, so scoping mistakes are not reported: only names that can never exist."""
    # what `python3 -c` defines (no __file__ there), and `site`'s exit and quit
    bound = set(dir(builtins)) | {
        "__name__",
        "__doc__",
        "__builtins__",
        "__spec__",
        "__loader__",
        "__package__",
        "__annotations__",
        "__class__",
        "exit",
        "quit",
    }
    read: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                read.append(node.id)
            else:
                bound.add(node.id)
        elif isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
            return []  # `from x import *` may bind anything
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.update(node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            bound.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.add(node.rest)
        elif type(node).__name__ in ("TypeVar", "ParamSpec", "TypeVarTuple"):
            bound.add(node.name)  # type: ignore[attr-defined]  # Python 3.12's `def f[T]`
    return list(dict.fromkeys(n for n in read if n not in bound))


def _operands_read(argv: list[str], cwd: str, *, missing: bool) -> list[Problem]:
    """`grep -i error logs` where logs is a directory: grep reads files (and says so only when
    it runs); with `missing`, `head data.csv 3` where there is no file 3. Options (grouped
    ones letter by letter) and the program or pattern word are skipped. A long option may
    take the next word, so with one in the line no name is reported missing."""
    name, words = argv[0], argv[1:]
    if name in ("grep", "egrep", "fgrep") and any(_RECURSIVE.fullmatch(w) for w in words):
        return []
    operands, program_given = _operands(name, words)
    if name in _PROGRAM_FIRST and not program_given:
        operands = operands[1:]
    if name == "uniq":
        operands = operands[:1]  # `uniq IN OUT`: the second is written
    missing = (
        missing
        and name in _MISSING_CHECKED
        and not any(w.startswith("--") and "=" not in w for w in words)
        and not (name == "tail" and any(w.startswith(("-F", "--retry")) for w in words))
    )
    found = []
    for word in operands:
        if word in (".", "..") or _is_local_dir(cwd, word):
            hint = "; add -r to search below it" if name.endswith("grep") else ""
            found.append(Problem(f"`{word}` is a directory, and {name} reads files{hint}"))
        elif missing and _is_missing(cwd, word):
            there = elsewhere(cwd, word)
            found.append(
                Problem(
                    f"there is no file `{word}` here, and {name} reads the files it is given"
                    + (f"; `{there}` {ELSEWHERE}" if there else "")
                )
            )
    return found


def _operands(name: str, words: list[str]) -> tuple[list[str], bool]:
    """The words that are not options or option arguments, and whether the program or pattern
    came with an option (`-e PAT`, `-f FILE`, `--expression=…`). `-rnk 2`: r and n are flags,
    k takes the next word; `-n5`: n takes the rest of its word."""
    takes_arg = _TAKES_ARG.get(name, "")
    operands: list[str] = []
    program_given, skip = False, False
    for w in words:
        if skip:
            skip = False
        elif w.startswith("--"):
            program_given |= w.startswith(("--expression", "--file", "--regexp"))
        elif w.startswith("-") and w != "-":
            for i, letter in enumerate(w[1:], 1):
                if letter in takes_arg:
                    program_given |= letter in "ef"
                    skip = i == len(w) - 1  # the argument is the next word
                    break
        else:
            operands.append(w)
    return operands, program_given


# readers whose options are all in _TAKES_ARG: a name they are given must exist
_MISSING_CHECKED = frozenset("grep egrep fgrep sed awk cat head tail wc sort uniq cut".split())
_PLAIN = re.compile(r"[\w.-]+(?:/[\w.-]+)*")  # no glob, variable, quote, `~` or absolute path


def _lookup(cwd: str, word: str) -> os.stat_result | None:
    """`lstat` of a plain relative name below `cwd`, walking it one component at a time and
    following no link on the way (a link could lead to an automount or a network file
    system). Raises FileNotFoundError when a component does not exist; None when the name is
    not plain, passes through a link or a non-directory, or another error occurs."""
    if not _PLAIN.fullmatch(word) or ".." in Path(word).parts:
        return None
    path = cwd
    parts = Path(word).parts
    if not parts:
        return None
    try:
        for n, part in enumerate(parts):
            path = os.path.join(path, part)
            st = os.lstat(path)
            if n < len(parts) - 1 and not stat.S_ISDIR(st.st_mode):
                return None
    except FileNotFoundError:
        raise
    except (OSError, ValueError):
        return None
    return st


ELSEWHERE = "is a file of that name below here"


def elsewhere(cwd: str, name: str) -> str:
    """The path below `cwd` of a file named like `name`'s last part, where `name` itself is
    not (`app.log` for `logs/app.log`), or ""."""
    base = os.path.basename(name)
    if not cwd or not base or not _PLAIN.fullmatch(name):
        return ""
    for path, entry in _walk(cwd):
        if entry.name == base and path != name.removeprefix("./"):
            # a plain path only: it is shown, and the model writes it
            if entry.is_file(follow_symlinks=False) and _PLAIN.fullmatch(path):
                return path
    return ""


def has_kind(cwd: str, extension: str) -> bool:
    """Whether a file ending in `.extension` is below `cwd`."""
    end = f".{extension.lower()}"
    return bool(cwd) and any(
        entry.name.lower().endswith(end) and entry.is_file(follow_symlinks=False)
        for _, entry in _walk(cwd)
    )


def _walk(cwd: str, depth: int = 4, budget: int = 4000) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """The entries below `cwd` with their relative paths, breadth first, `depth` folders
    down, at most `budget` entries read; hidden folders and links are not followed."""
    level, seen = [""], 0
    for _ in range(depth + 1):
        following: list[str] = []
        for rel in level:
            try:
                with os.scandir(os.path.join(cwd, rel) if rel else cwd) as entries:
                    for entry in entries:
                        seen += 1
                        if seen > budget:
                            return
                        path = f"{rel}/{entry.name}" if rel else entry.name
                        if entry.is_dir(follow_symlinks=False):
                            if not entry.name.startswith("."):
                                following.append(path)
                            continue
                        yield path, entry
            except OSError:
                continue
        level = sorted(following)


def _is_missing(cwd: str, word: str) -> bool:
    """Whether the plain relative name `word` names nothing below `cwd`."""
    if word == "-":
        return False
    try:
        _lookup(cwd, word)
    except FileNotFoundError:
        return True
    return False


def _is_local_dir(cwd: str, word: str) -> bool:
    """Whether `word` names a directory below `cwd`. Model text: only plain relative names are
    looked up (no absolute, `~` or `..` paths), without following links; errors mean "no"."""
    try:
        st = _lookup(cwd, word)
    except FileNotFoundError:
        return False
    return st is not None and stat.S_ISDIR(st.st_mode)


def _unknown_options(command: str, docs: Docs) -> list[Problem]:
    found = []
    for part in Explainer(docs).explain(command):
        if part.source not in ("man", "help"):
            continue
        _, text = docs.get(part.utility)
        sub = next((it.token for it in part.items if it.kind == "subcommand"), None)
        if sub:
            source, sub_text = docs.get(f"{part.utility}-{sub}")
            if source == "none":
                continue  # the subcommand's options are not on the parent's page
            text = f"{sub_text}\n\n{text}"
        for item in part.items:
            token = item.token
            if item.kind != "flag" or item.doc or re.fullmatch(r"-\d+|-[A-Z]+", token):
                continue
            if re.search(rf"(?<![\w-]){re.escape(token.split('=', 1)[0])}(?![\w-])", text):
                continue  # named on its page outside the option list (`git diff --cached`)
            found.append(
                Problem(
                    f"`{part.utility}` has no option {token} in its local documentation",
                    _option_list(part.utility, text),
                )
            )
    return found


def _option_list(utility: str, text: str) -> str:
    heads = [re.split(r"\s{2,}", line.strip(), maxsplit=1)[0] for _, line in header_lines(text)]
    listed = ", ".join(dict.fromkeys(h for h in heads if len(h) < 40))
    if len(listed) > MAX_OPTION_LIST:
        listed = listed[:MAX_OPTION_LIST].rsplit(",", 1)[0] + ", …"
    return f"{utility} options: {listed}" if listed else ""


_XARGS_TAKES = set("-I -i -n -d -P -L -l -s -E -e -a --delimiter --max-args --max-procs".split())


def _programs_run_by(argv: list[str]) -> list[str]:
    """The programs `find -exec PROG` and `xargs PROG` start (a plain name only)."""
    return [a[0] for a in run_by(argv) if re.fullmatch(r"[\w.+-]+", a[0])]


def run_by(argv: list[str]) -> list[list[str]]:
    """The commands `find -exec … ;` and `xargs …` run, each as an argv of its own."""
    found = []
    if argv and argv[0] == "find":
        for n, word in enumerate(argv[:-1]):
            if word in _EXEC_WORDS:
                rest = argv[n + 1 :]
                end = next((i for i, w in enumerate(rest) if w in (";", "+")), len(rest))
                found.append(rest[:end] or rest[:1])
    elif argv and argv[0] == "xargs":
        skip = False
        for n, word in enumerate(argv[1:], 1):
            if skip:
                skip = False
            elif word in _XARGS_TAKES:
                skip = True
            elif not word.startswith("-"):
                found = [argv[n:]]
                break
    return found


_EXEC_WORDS = ("-exec", "-execdir", "-ok", "-okdir")


def argvs(command: str) -> list[list[str]]:
    return [c.argv for c in parse(command).commands]


def find_lacks_terminator(argv: list[str]) -> bool:
    if not argv or argv[0] != "find":
        return False
    open_exec = False
    for word in argv[1:]:
        if word in ("-exec", "-execdir", "-ok", "-okdir"):
            open_exec = True
        elif open_exec and word in (";", "+"):
            open_exec = False
    return open_exec


def parses(command: str, shell: str = "bash") -> bool:
    """`bash -n` (with extglob, which a script may switch on: `-n` runs no `shopt`), or `sh -n`
    for an sh script (dash, which rejects bash's arrays and process substitution)."""
    if not encodable(command):
        return False  # no argv can carry it, so no shell could run it
    argv = (
        ["bash", "-O", "extglob", "-n", "-c", command]
        if shell == "bash"
        else ["sh", "-n", "-c", command]
    )
    try:
        return process.run(argv, timeout=5).returncode == 0
    except OSError:
        return True  # no shell to ask: the guard's parser still checks it


def encodable(command: str) -> bool:
    """A lone surrogate or a NUL cannot become an argv for `bash -n` (or anything else)."""
    try:
        command.encode()
    except UnicodeEncodeError:
        return False
    return "\0" not in command
