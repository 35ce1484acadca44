"""Where `i explain` finds its words: man pages, `--help` (confined) and bash's `help`, cached on disk,
and the paragraph that documents one option, normalised to read as plain prose."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from intent import confine, process

MAX_DOC = 600


class Docs:
    """Documentation per utility, cached on disk per utility path and mtime."""

    def __init__(self, cache_dir: Path | None, *, use_man: bool = True) -> None:
        self.cache_dir = cache_dir
        self.use_man = use_man and shutil.which("man") is not None
        self.memory: dict[str, tuple[str, str]] = {}

    def get(self, name: str) -> tuple[str, str]:
        if not NAME.match(name):
            return "none", ""  # not a program name; also never a cache file name ("../x")
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
        return lookup(name, installed=installed, use_man=self.use_man)


# A name that may reach `man` or the program table: no shell metacharacter, no leading dash
# (which `man` or the program would read as an option). Anything else is not looked up.
NAME = re.compile(r"^[A-Za-z0-9._+][A-Za-z0-9._+-]{0,99}$")


def lookup(name: str, *, installed: bool, use_man: bool = True) -> tuple[str, str]:
    """The documentation for `name`: its man page, then `NAME --help` inside the confinement
    (read-only, no network, no credentials, 5 s, 256 KB; not at all where the confinement does
    not work), then bash's `help` for bash's own builtins. The name usually came from a model or
    a pasted command, so it never reaches a shell: it is checked, passed after `--`, and `help`
    gets it as a positional parameter, never as shell text."""
    if not NAME.match(name):
        return "none", ""
    env = {
        **os.environ,
        "MANWIDTH": "80",
        "MAN_KEEP_FORMATTING": "",
        "MANPAGER": "cat",
        "PAGER": "cat",
    }
    if use_man and shutil.which("man"):
        res = process.run(["man", "-P", "cat", "--", name], timeout=10, env=env)
        if res.returncode == 0 and res.stdout.strip():
            return "man", _plain(res.stdout)
    if installed:
        # a subcommand without a page of its own: `docker run --help`
        argv = [*name.split("-", 1), "--help"] if "-" in name else [name, "--help"]
        text, code = confined_help(argv, env)
        if text.strip() and ("-" in text) and code in (0, 1, 2):
            return "help", _plain(text)
    if name in bash_builtins():
        res = process.run(["bash", "-c", 'help -- "$1"', "bash", name], timeout=5)
        if res.returncode == 0 and res.stdout.strip():
            return "builtin", res.stdout
    return "none", ""


def confined_help(argv: list[str], env: dict[str, str] | None = None) -> tuple[str, int]:
    """`PROGRAM --help`, run only inside the confinement; ("", -1) where it does not work."""
    with confine.probe(argv, Path("/")) as confined:
        if confined is None:
            return "", -1
        try:
            res = process.run(
                confined.argv,
                timeout=5,
                env=env,
                pass_fds=confined.fds,
                output_cap=256 * 1024,
            )
        except OSError:
            return "", -1
    text = res.stdout if len(res.stdout) > len(res.stderr) else res.stderr
    return text, res.returncode


@functools.cache
def bash_builtins() -> frozenset[str]:
    """bash's own builtin names, asked once with a fixed argv."""
    if not shutil.which("bash"):
        return frozenset()
    try:
        res = process.run(["bash", "-c", "compgen -b"], timeout=5)
    except OSError:
        return frozenset()
    return frozenset(res.stdout.split()) if res.returncode == 0 else frozenset()


def _plain(text: str) -> str:
    return re.sub(r".\x08", "", text).replace("\u2010", "-").replace("‐\n", "")


def header_lines(text: str) -> list[tuple[int, str]]:
    return [
        (i, line)
        for i, line in enumerate(text.splitlines())
        if re.match(r"^\s{1,16}(?:[○•·*]\s+)?-{1,2}[\w?<]", line)  # jq's man page uses bullets
    ]


@dataclass(frozen=True)
class OptionDoc:
    doc: str  # the whole paragraph, synopsis first ("-f, --file=ARCHIVE Use archive file ...")
    brief: str  # the first sentence of the description, without the synopsis
    takes: bool  # the option takes an argument (the next word, or after "=")


_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|.\x08")


def normalise(text: str) -> str:
    """Man text as prose: no formatting, one space between words, line-end hyphenation joined
    ("pat- tern" -> "pattern"; lines are joined with a space before this runs)."""
    text = _ESCAPES.sub("", text).replace("\u2010", "-").replace("\u00ad", "")
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def first_sentence(text: str) -> str:
    """Up to the first full stop that ends a sentence (not "e.g." or "1.5")."""
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)\.(?=\s+[A-Z(\"']|$)", text)
    return text[: match.end()] if match else text


def option_doc(text: str, option: str) -> OptionDoc | None:
    """The paragraph documenting `option` (a dash option, or a BSD-style letter such as ps's
    `a`), normalised, with its first sentence and whether it takes an argument."""
    if not text:
        return None
    lines = text.splitlines()
    pat = re.compile(rf"(?:^|[\s,\[|]){re.escape(option)}(?=$|[\s,=\[<]|\.\.\.)")
    headers = header_lines(text) if option.startswith("-") else _letter_lines(text, option)
    for i, line in headers:
        head = re.split(r"\s{2,}", re.sub(r"^[○•·*]\s+", "", line.strip()), maxsplit=1)
        synopsis = head[0].rstrip(":")  # "--raw-output / -r:"
        if not pat.search(" " + synopsis):
            continue
        takes = bool(
            re.search(
                rf"{re.escape(option)}(?:=|\s)(?:\[\w+:\])?(?:<[^>]+>|[A-Z][A-Z_\-]*\b|[a-z][a-z_]*\b)(?!\S*\])",
                synopsis,
            )
        ) or bool(re.search(r"--[\w-]+(?:=|\s)(?:<[^>]+>|[A-Z][A-Z_\-]*|[a-z]+$)", synopsis))
        described = [head[1]] if len(head) > 1 else []
        indent = len(line) - len(line.lstrip())
        for nxt in lines[i + 1 : i + 12]:
            if not nxt.strip():
                if described:
                    break
                continue
            nxt_indent = len(nxt) - len(nxt.lstrip())
            if nxt.lstrip().startswith("-") and (nxt_indent <= indent or len(head) > 1):
                break  # the next option (--help lists put the description on the same line)
            if nxt_indent < indent:
                break
            described.append(nxt.strip())
        description = normalise(" ".join(described))
        doc = normalise(f"{synopsis} {description}")
        doc = doc[:MAX_DOC] + "…" if len(doc) > MAX_DOC else doc
        return OptionDoc(doc, first_sentence(description) or doc, takes)
    return None


def find_option(text: str, option: str) -> tuple[str, bool] | None:
    """The paragraph documenting `option`, and whether the option takes an argument."""
    found = option_doc(text, option)
    return (found.doc, found.takes) if found else None


def _letter_lines(text: str, letter: str) -> list[tuple[int, str]]:
    """Lines that document a BSD-style option letter: `       a      Lift the BSD-style ...`."""
    pat = re.compile(rf"^\s{{1,16}}{re.escape(letter)}(\s{{2,}}\S|$)")
    return [(i, line) for i, line in enumerate(text.splitlines()) if pat.match(line)]


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
