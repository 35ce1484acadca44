"""`i explain`: every token mapped to local documentation, without a model."""

from __future__ import annotations

import json
import shutil

import pytest

from intent.explain.walk import Docs, Explainer, explain, find_option

pytestmark = pytest.mark.skipif(
    not shutil.which("man") or not shutil.which("tar"), reason="needs man and tar"
)


def items(result: dict, utility: str) -> dict[str, dict]:
    part = next(p for p in result["parts"] if p["utility"] == utility)
    return {it["token"]: it for it in part["items"]}


def run_json(run_i, command: str, **env: str) -> dict:
    r = run_i("explain", "--no-model", "--json", command, env=env or None)
    assert r.code == 0, r.stderr
    return json.loads(r.stdout)


def test_tar_cluster_and_arguments(run_i) -> None:
    result = run_json(run_i, "tar -xzvf archive.tgz -C /tmp")
    tar = items(result, "tar")
    for flag in ("-x", "-z", "-v", "-f", "-C"):
        assert tar[flag]["kind"] == "flag" and tar[flag]["doc"].startswith(flag), tar[flag]
    assert "extract" in tar["-x"]["doc"].lower() and "gzip" in tar["-z"]["doc"]
    assert tar["-f"]["argument"] == "archive.tgz" and tar["-C"]["argument"] == "/tmp"
    assert "archive.tgz" not in tar and "/tmp" not in tar  # attached to their options, not operands


def test_find_exec_nested_grep(run_i) -> None:
    result = run_json(run_i, "find . -name '*.py' -exec grep -l TODO {} +")
    find = items(result, "find")
    assert find["-name"]["doc"].startswith("-name pattern") and find["-name"]["argument"] == "*.py"
    assert find["-exec"]["doc"].startswith("-exec command")
    assert "as many file names" in find["+"]["doc"]
    grep = items(result, "grep")
    assert "--files-with-matches" in grep["-l"]["doc"]
    assert "current file name" in grep["{}"]["doc"]


def test_pipe_and_redirect_and_risk(run_i) -> None:
    result = run_json(run_i, "ls -la | sort -k5 -n > sizes.txt")
    kinds = {(it["token"], it["kind"]): it["doc"] for p in result["parts"] for it in p["items"]}
    assert "pipe" in kinds[("|", "operator")]
    assert (
        "sizes.txt" in kinds[(">sizes.txt", "redirect")]
        and "overwrite" in kinds[(">sizes.txt", "redirect")]
    )
    assert result["risk"] == "mutates"
    assert any("sizes.txt" in r for r in result["reasons"])
    assert items(result, "sort")["-k"]["argument"] == "5"


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_git_subcommand_page(run_i) -> None:
    result = run_json(run_i, 'git commit -am "msg"')
    git = items(result, "git")
    assert git["commit"]["kind"] == "subcommand" and "git-commit" in git["commit"]["doc"]
    assert "stage files" in git["-a"]["doc"] and git["-m"]["argument"] == "msg"


def test_unknown_utility(run_i) -> None:
    result = run_json(run_i, "frobnicate --all x")
    part = result["parts"][0]
    assert part["source"] == "none" and "no local documentation" in part["note"]


def test_without_man_pages_falls_back_to_help(run_i) -> None:
    result = run_json(run_i, "tar -xzf a.tgz", MANPATH="/nonexistent", MANPAGER="cat")
    part = result["parts"][0]
    assert part["source"] == "help"
    assert "extract" in items(result, "tar")["-x"]["doc"].lower()


def test_wrappers_nest_and_assignments() -> None:
    result = explain("LC_ALL=C nohup sort -n big.txt 2>&1", cache_dir=None)
    utilities = [p["utility"] for p in result["parts"]]
    assert utilities[:2] == ["nohup", "sort"]
    tokens = {it["token"]: it for p in result["parts"] for it in p["items"]}
    assert tokens["LC_ALL=C"]["kind"] == "assignment"
    assert "standard error" in tokens["2>&1"]["doc"]


def test_docs_are_cached_per_utility(tmp_path) -> None:
    docs = Docs(tmp_path)
    first = docs.get("tar")
    assert (tmp_path / "docs" / "tar.json").exists()
    assert Docs(tmp_path).get("tar") == first


def test_find_option_takes_argument_detection() -> None:
    text = "  -f, --file=ARCHIVE   use archive\n  -v, --verbose   chatty\n"
    assert find_option(text, "-f") == ("-f, --file=ARCHIVE   use archive", True)
    assert find_option(text, "-v")[1] is False
    assert find_option(text, "-q") is None


def test_explainer_never_calls_a_model() -> None:
    parts = Explainer(Docs(None)).explain("echo hi | wc -l")
    assert [p.utility for p in parts] == ["echo", "shell", "wc"]
