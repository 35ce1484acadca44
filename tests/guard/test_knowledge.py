"""The read-only knowledge table (`intent/guard/knowledge.py`): big enough to cover what people
type, every entry rated read-only by the guard, deleting verbs destructive, and every entry
checked against the installed man page where there is one."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

import pytest

from intent.guard import knowledge, rank
from intent.safety import assess

# pages that do not document their subcommands (an index page, a stub): only names are checked
_INDEX_PAGES = {"perl", "pip", "pip3"}


def _entries() -> list[tuple[str, str]]:
    return [(util, e) for util, entries in knowledge.READ_ONLY.items() for e in sorted(entries)]


def test_the_table_is_large() -> None:
    assert knowledge.size() >= 1500
    assert len(knowledge.READ_ONLY) >= 250


def _command(util: str, entry: str) -> str:
    if entry == "$":
        return util
    return " ".join([util, *(("x" if w == "*" else w) for w in entry.rstrip("$").split())])


@pytest.mark.parametrize(("util", "entry"), _entries())
def test_every_entry_is_rated_read_only(util: str, entry: str) -> None:
    verdict = assess(_command(util, entry))
    assert rank(verdict.risk) <= rank("network"), (entry, verdict.reasons)


@pytest.mark.parametrize(
    "command",
    [
        "aws s3 rm s3://bucket --recursive",
        "gcloud compute instances delete vm1",
        "az group delete -n rg",
        "kubectl delete ns prod",
        "helm uninstall app",
        "terraform destroy",
        "gh repo delete o/r --yes",
        "gh api -X DELETE repos/o/r",
        "pacman -Rns pkg",
        "dpkg --purge pkg",
        "rpm -e pkg",
        "conda env remove -n env",
        "poetry remove requests",
        "cargo uninstall ripgrep",
        "npm uninstall left-pad",
        "docker volume rm data",
        "doctl compute droplet delete web",
    ],
)
def test_deleting_verbs_are_destructive(command: str) -> None:
    assert assess(command).risk in ("destructive", "sudo"), assess(command).reasons


@pytest.mark.parametrize(
    "command",
    [
        "ip link set eth0 down",
        "iw dev wlan0 set type monitor",
        "nmcli general hostname evil",
        "npm audit fix",
        "terraform fmt",
        "ulimit -n 4096",
        "kubectl --server=https://evil.example get pods",
        "stty raw",
        "resolvectl dns eth0 1.1.1.1",
        "openssl dgst -sign key.pem -out sig file",
    ],
)
def test_a_changing_form_of_a_known_utility_is_not_read_only(command: str) -> None:
    assert rank(assess(command).risk) >= rank("mutates"), assess(command).reasons


@cache
def _page(name: str) -> str | None:
    for directory in ("/usr/share/man/man1", "/usr/share/man/man8"):
        for path in sorted(Path(directory).glob(f"{name}.[18]*.gz")):
            text = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            text = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\\^", "", text).replace("\\-", "-")
            return re.sub(r"\bFl\s+(\S+)", r"-\1", text)  # mdoc: `.Fl l` is `-l`
    return None


def _documented(word: str, text: str) -> bool:
    if word in text:
        return True
    # a short option inside a cluster: `-2CDluvV` documents -V
    return bool(re.fullmatch(r"-\w", word)) and bool(re.search(rf"-\w*{word[1]}", text))


@pytest.mark.parametrize(("util", "entry"), _entries())
def test_entries_are_in_the_installed_man_page(util: str, entry: str) -> None:
    base = _page(util)
    words = [w for w in entry.rstrip("$").split() if w not in ("*", "$")]
    if not words or (base is None and _page(f"{util}-{words[0]}") is None):
        pytest.skip(f"no man page for {util}")
    if util in _INDEX_PAGES:
        pytest.skip(f"the {util} page is an index or a stub")
    first, rest = words[0], words[1:]
    sub = _page(f"{util}-{first}") if not first.startswith("-") else None
    if sub is None:
        assert base is not None and _documented(first, base), f"{util}: {first} not documented"
        rest = [] if not first.startswith("-") else rest
    for word in rest:
        page = sub or base
        assert page is not None and _documented(word, page), (
            f"{util} {first}: {word} not documented"
        )
