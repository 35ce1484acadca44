"""`i explain`: map every token of a command to the local documentation that defines it.

One parser (`shellparse`) serves both the guard and this module. Excerpts are sliced from
man pages, `--help` output or `help` for builtins; nothing here is written by a model.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from intent import process
from intent.guard import walk as safety
from intent.guard.parser import Simple, parse

OPERATORS = {
    "|": "pipe: the output of the command on the left becomes the input of the command on the right",
    "|&": "pipe both standard output and standard error into the next command",
    "&&": "run the next command only if the previous one succeeded",
    "||": "run the next command only if the previous one failed",
    ";": "run the next command after this one, whatever its result",
    "\n": "run the next command after this one, whatever its result",
    "&": "run the command in the background",
}
REDIRECTS = {
    ">": "redirect standard output into the file (create it or overwrite it)",
    ">>": "redirect standard output to the end of the file (append)",
    "<": "read standard input from the file",
    "<<": "here-document: the following lines up to the delimiter are standard input",
    "<<-": "here-document (leading tabs removed): the following lines are standard input",
    "<<<": "here-string: the word is standard input",
    ">&": "duplicate a file descriptor (2>&1: send errors where output goes)",
    "&>": "redirect both standard output and standard error into the file",
    "&>>": "append both standard output and standard error to the file",
    ">|": "redirect standard output, overwriting even with noclobber set",
    "<&": "duplicate an input file descriptor",
}
WRAPPERS = {
    "sudo",
    "doas",
    "env",
    "nice",
    "nohup",
    "time",
    "timeout",
    "xargs",
    "command",
    "exec",
    "builtin",
    "stdbuf",
    "ionice",
    "watch",
}
SUBCOMMAND_TOOLS = {
    "git",
    "docker",
    "podman",
    "apt",
    "apt-get",
    "kubectl",
    "systemctl",
    "npm",
    "cargo",
    "pip",
    "pip3",
    "brew",
    "go",
    "dnf",
    "snap",
    "journalctl",
    "ip",
    "gh",
}
TAR_LETTERS = set("AcdrtuxzjJvfCkmpPsSwWOlgGhiaqT")
MAX_DOC = 600


@dataclass
class Item:
    token: str
    kind: str  # flag | operand | operator | redirect | subcommand | assignment
    doc: str
    argument: str | None = None


@dataclass
class Part:
    utility: str
    source: str  # man | help | builtin | none
    items: list[Item] = field(default_factory=list)
    note: str | None = None


# ---- documentation ---------------------------------------------------------------------------


class Docs:
    """Documentation per utility, cached on disk per utility path and mtime."""

    def __init__(self, cache_dir: Path | None, *, use_man: bool = True) -> None:
        self.cache_dir = cache_dir
        self.use_man = use_man and shutil.which("man") is not None
        self.memory: dict[str, tuple[str, str]] = {}

    def get(self, name: str) -> tuple[str, str]:
        if name in self.memory:
            return self.memory[name]
        base = name.split("-")[0]
        path = shutil.which(base) or shutil.which(name)
        stamp = ""
        if path:
            st = os.stat(path)
            stamp = f"{path}:{st.st_mtime_ns}"
        cache_file = self.cache_dir / "docs" / f"{name}.json" if self.cache_dir else None
        if cache_file and cache_file.exists():
            try:
                data = json.loads(cache_file.read_text())
                if data.get("stamp") == stamp and data.get("man") == self.use_man:
                    self.memory[name] = (data["source"], data["text"])
                    return self.memory[name]
            except ValueError:
                pass
        found = self._lookup(name, bool(path))
        self.memory[name] = found
        if cache_file:
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                cache_file.write_text(
                    json.dumps(
                        {"stamp": stamp, "man": self.use_man, "source": found[0], "text": found[1]}
                    )
                )
            except OSError:
                pass
        return found

    def _lookup(self, name: str, installed: bool) -> tuple[str, str]:
        env = {
            **os.environ,
            "MANWIDTH": "80",
            "MAN_KEEP_FORMATTING": "",
            "MANPAGER": "cat",
            "PAGER": "cat",
        }
        if self.use_man:
            res = process.run(["man", "-P", "cat", name], timeout=10, env=env)
            if res.returncode == 0 and res.stdout.strip():
                return "man", _plain(res.stdout)
        if installed:
            # a subcommand without a page of its own: `docker run --help`
            argv = [*name.split("-", 1), "--help"] if "-" in name else [name, "--help"]
            res = process.run(argv, timeout=5, env=env)
            text = res.stdout if len(res.stdout) > len(res.stderr) else res.stderr
            if text.strip() and ("-" in text) and res.returncode in (0, 1, 2):
                return "help", _plain(text)
        if shutil.which("bash"):
            res = process.run(["bash", "-c", f"help {name}"], timeout=5)
            if res.returncode == 0 and res.stdout.strip():
                return "builtin", res.stdout
        return "none", ""


def _plain(text: str) -> str:
    return re.sub(r".\x08", "", text).replace("\u2010", "-").replace("‐\n", "")


def _header_lines(text: str) -> list[tuple[int, str]]:
    return [
        (i, line)
        for i, line in enumerate(text.splitlines())
        if re.match(r"^\s{1,16}-{1,2}[\w?<]", line)
    ]


def find_option(text: str, option: str) -> tuple[str, bool] | None:
    """The paragraph documenting `option`, and whether the option takes an argument."""
    if not text:
        return None
    lines = text.splitlines()
    pat = re.compile(rf"(?:^|[\s,\[|]){re.escape(option)}(?=$|[\s,=\[<]|\.\.\.)")
    for i, line in _header_lines(text):
        head = re.split(r"\s{2,}", line.strip(), maxsplit=1)
        synopsis = head[0]
        if not pat.search(" " + synopsis):
            continue
        takes = bool(
            re.search(
                rf"{re.escape(option)}(?:=|\s)(?:<[^>]+>|[A-Z][A-Z_\-]*\b|[a-z]+\b)(?!\S*\])",
                synopsis,
            )
        ) or bool(re.search(r"--[\w-]+=(?:<[^>]+>|[A-Z][A-Z_\-]*)", synopsis))
        para = [line.strip()]
        indent = len(line) - len(line.lstrip())
        for nxt in lines[i + 1 : i + 12]:
            if not nxt.strip():
                if len(para) > 1:
                    break
                continue
            nxt_indent = len(nxt) - len(nxt.lstrip())
            if nxt_indent <= indent and nxt.lstrip().startswith("-"):
                break
            if nxt_indent < indent:
                break
            para.append(nxt.strip())
        doc = " ".join(para)
        return (doc[:MAX_DOC] + "…" if len(doc) > MAX_DOC else doc), takes
    return None


def name_line(text: str) -> str:
    """The one-line description from a man page's NAME section, or the first help line."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip() == "NAME" and i + 1 < len(lines):
            return lines[i + 1].strip()
    for line in lines:
        if line.strip():
            return line.strip()[:200]
    return ""


# ---- walking the command -----------------------------------------------------------------------


class Explainer:
    def __init__(self, docs: Docs) -> None:
        self.docs = docs

    def explain(self, command: str) -> list[Part]:
        script = parse(command)
        parts: list[Part] = []
        for cmd in script.commands:
            parts.extend(self._simple(cmd))
            if cmd.op_after and cmd.op_after in OPERATORS:
                parts.append(
                    Part(
                        "shell",
                        "builtin",
                        [
                            Item(
                                cmd.op_after.replace("\n", "newline"),
                                "operator",
                                OPERATORS[cmd.op_after],
                            )
                        ],
                    )
                )
        return parts

    def _simple(self, cmd: Simple) -> list[Part]:
        parts = self._argv([w.text for w in cmd.words])
        extra = [
            Item(a.text, "assignment", "sets an environment variable for this command")
            for a in cmd.assignments
        ]
        for r in cmd.redirects:
            key = r.op
            doc = REDIRECTS.get(key, "redirection")
            if r.op == ">&" and r.fd == "2" and r.target == "1":
                doc = "send standard error (2) to wherever standard output (1) goes"
            elif r.fd == "2" and r.op in (">", ">>"):
                doc = doc.replace("standard output", "standard error")
            extra.append(
                Item(
                    r.raw,
                    "redirect",
                    f"{doc}: {r.target}" if r.target and not r.target.isdigit() else doc,
                )
            )
        for w in cmd.words:
            for sub in w.substitutions:
                extra.append(
                    Item(
                        f"$({sub})",
                        "operand",
                        "command substitution: replaced by the output of the inner command",
                    )
                )
                parts.extend(self.explain(sub))
        if extra:
            if parts:
                parts[0].items.extend(extra)
            else:
                parts.append(Part("shell", "builtin", extra))
        return parts

    def _argv(self, argv: list[str]) -> list[Part]:
        if not argv:
            return []
        word0 = argv[0]
        name = os.path.basename(word0) if "/" in word0 else word0
        args = argv[1:]
        sub = None
        if name in SUBCOMMAND_TOOLS:
            sub = next((a for a in args if not a.startswith("-")), None)
        source, text = self.docs.get(name)
        page = name
        if sub:
            s_source, s_text = self.docs.get(f"{name}-{sub}")
            if s_source != "none":
                # the subcommand's page first; the parent's page still documents global options
                source, text, page = s_source, f"{s_text}\n\n{text}", f"{name}-{sub}"
        part = Part(name, source)
        if source == "none":
            part.note = f"no local documentation found for {name}"
        parts = [part]
        if name in ("sh", "bash", "zsh", "dash") and "-c" in args:
            i = args.index("-c")
            part.items.append(
                Item(
                    "-c",
                    "flag",
                    (find_option(text, "-c") or ("read commands from the next argument", False))[0],
                )
            )
            if i + 1 < len(args):
                part.items.append(
                    Item(args[i + 1], "operand", "the commands to run (explained below)")
                )
                parts.extend(self.explain(args[i + 1]))
            return parts
        i = 0
        operand_n = 0
        if name == "tar" and args and not args[0].startswith("-") and set(args[0]) <= TAR_LETTERS:
            args = ["-" + args[0], *args[1:]]
        while i < len(args):
            a = args[i]
            if (
                sub
                and a == sub
                and page != name
                and not part.items
                or (sub and a == sub and not any(it.kind == "subcommand" for it in part.items))
            ):
                doc = (
                    name_line(text)
                    if page != name and source == "man"
                    else f"{name} subcommand {a}"
                )
                part.items.append(Item(a, "subcommand", doc))
                i += 1
                continue
            if (
                name in WRAPPERS
                and not a.startswith("-")
                and (name != "env" or "=" not in a)
                and (name != "timeout" or any(it.kind == "operand" for it in part.items))
            ):
                parts.extend(self._argv(args[i:]))
                return parts
            if name == "find" and a in ("-exec", "-execdir", "-ok", "-okdir"):
                j = i + 1
                while j < len(args) and args[j] not in (";", "+", "\\;"):
                    j += 1
                exec_doc = find_option(text, a)
                part.items.append(
                    Item(
                        a, "flag", exec_doc[0] if exec_doc else f"{a}: run a command for each file"
                    )
                )
                nested = args[i + 1 : j]
                if j < len(args):
                    term = args[j]
                    part.items.append(
                        Item(
                            term,
                            "operator",
                            "end of the -exec command: run it with as many file names as fit at once"
                            if term == "+"
                            else "end of the -exec command: run it once per file",
                        )
                    )
                parts.extend(self._argv(nested))
                i = j + 1
                continue
            if a.startswith("-") and a != "-" and a != "--":
                consumed = self._option(part, text, a, args[i + 1] if i + 1 < len(args) else None)
                i += 1 + consumed
                continue
            if a == "--":
                part.items.append(Item(a, "operator", "end of options: what follows are operands"))
                i += 1
                continue
            operand_n += 1
            what = "a starting point of the search" if name == "find" else f"operand {operand_n}"
            if a == "{}":
                what = "replaced by the current file name"
            part.items.append(Item(a, "operand", what))
            i += 1
        return parts

    def _option(self, part: Part, text: str, token: str, following: str | None) -> int:
        """Add items for one option token; return how many following words it consumed."""
        opt, eq, value = token.partition("=")
        if part.utility in ("kill", "pkill", "killall") and re.fullmatch(r"-(\d+|[A-Z]+)", opt):
            signal_doc = find_option(text, "-s") or find_option(text, "--signal")
            doc = f"send signal {opt[1:]} instead of TERM" + (
                f" (see: {signal_doc[0]})" if signal_doc else ""
            )
            part.items.append(Item(token, "flag", doc))
            return 0
        found = find_option(text, opt)
        if found:
            doc, takes = found
            arg = value if eq else (following if takes and following is not None else None)
            part.items.append(Item(token, "flag", doc, arg))
            return 1 if (takes and not eq and following is not None) else 0
        if not token.startswith("--") and len(opt) > 2:
            letters = opt[1:]
            consumed = 0
            for k, letter in enumerate(letters):
                f = find_option(text, f"-{letter}")
                if f is None:
                    part.items.append(Item(f"-{letter}", "flag", "", None))
                    continue
                doc, takes = f
                arg = None
                if takes and k == len(letters) - 1 and following is not None:
                    arg, consumed = following, 1
                elif takes and k < len(letters) - 1:
                    arg = letters[k + 1 :]
                    part.items.append(Item(f"-{letter}", "flag", doc, arg))
                    return 0
                part.items.append(Item(f"-{letter}", "flag", doc, arg))
            return consumed
        part.items.append(Item(token, "flag", ""))
        return 0


def explain(command: str, *, cache_dir: Path | None, use_man: bool = True) -> dict:
    """The structure that `i explain --json` prints (without the summary)."""
    verdict = safety.assess(command)
    parts = Explainer(Docs(cache_dir, use_man=use_man)).explain(command)
    return {
        "command": command,
        "risk": verdict.risk,
        "hard_reject": verdict.hard_reject,
        "reasons": verdict.reasons,
        "parts": [_part_dict(p) for p in parts],
        "summary": None,
    }


def _part_dict(p: Part) -> dict:
    d = asdict(p)
    d["items"] = [
        {k: v for k, v in it.items() if v is not None or k in ("token", "kind", "doc")}
        for it in d["items"]
    ]
    if d["note"] is None:
        d.pop("note")
    return d


def coverage(result: dict) -> tuple[int, int]:
    """(flags with an excerpt, flags) in one explanation."""
    flags = [it for p in result["parts"] for it in p["items"] if it["kind"] == "flag"]
    return sum(1 for f in flags if f["doc"]), len(flags)


SUMMARY_SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string", "minLength": 1, "maxLength": 400}},
    "required": ["summary"],
    "additionalProperties": False,
}


def summary_messages(result: dict) -> list[dict[str, str]]:
    lines = [f"Command: {result['command']}", "Documentation excerpts:"]
    for p in result["parts"]:
        for it in p["items"]:
            if it["doc"]:
                lines.append(f"- {p['utility']} {it['token']}: {it['doc'][:300]}")
    return [
        {
            "role": "system",
            "content": "Summarise in 1 to 4 plain sentences what the command does, using only "
            "the documentation excerpts given. Do not add facts that are not in the excerpts. "
            'Reply as JSON: {"summary": "..."}',
        },
        {"role": "user", "content": "\n".join(lines)},
    ]


__all__ = ["explain", "coverage", "Docs", "Explainer"]
