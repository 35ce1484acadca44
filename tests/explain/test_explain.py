"""`i explain`: every token mapped to local documentation, without a model."""

from __future__ import annotations

import json
import shutil

import pytest

from intent.cli.explain import breakdown_lines
from intent.explain.lookup import first_sentence, normalise, option_doc
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
    assert find_option(text, "-f") == ("-f, --file=ARCHIVE use archive", True)
    assert find_option(text, "-v")[1] is False
    assert find_option(text, "-q") is None


def test_explainer_never_calls_a_model() -> None:
    parts = Explainer(Docs(None)).explain("echo hi | wc -l")
    assert [p.utility for p in parts] == ["echo", "shell", "wc"]


def test_man_text_is_normalised_to_prose() -> None:
    page = (
        "       -e PATTERNS, --regexp=PATTERNS\n"
        "              Use  PATTERNS  as the pat\u2010\n"
        "              terns.  This option can be used multiple times.  Oth-\n"
        "              erwise \x1b[1mbold\x1b[0m and b\x08bo\x08ol\x08ld text.\n"
    )
    found = option_doc(page, "-e")
    assert found is not None and found.takes
    assert found.doc == (
        "-e PATTERNS, --regexp=PATTERNS Use PATTERNS as the patterns. This option can be used "
        "multiple times. Otherwise bold and bold text."
    )
    assert found.brief == "Use PATTERNS as the patterns."
    assert normalise("a  b\n\tc") == "a b c"
    assert first_sentence("Use e.g. this. Then that.") == "Use e.g. this."


def test_breakdown_wraps_with_a_hanging_indent_and_shows_first_sentences() -> None:
    result = explain("grep -r TODO src", cache_dir=None)
    lines = breakdown_lines(result, width=60, full=False, colour=False)
    assert all(len(line) <= 60 for line in lines), lines
    r_lines = lines[next(i for i, line in enumerate(lines) if line.strip().startswith("-r")) :]
    assert r_lines[0].startswith("    -r") and r_lines[0][18:].startswith("Read all files")
    continued = r_lines[1]
    assert continued.startswith(" " * 18) and continued[18] != " ", "hanging indent"
    brief = " ".join(line.strip() for line in r_lines[:3])
    assert "Note that" not in brief  # only the first sentence
    full = breakdown_lines(result, width=60, full=True, colour=False)
    assert "Note that if no file operand is given" in " ".join(line.strip() for line in full)
    assert len(full) > len(lines)


def test_colour_paints_each_part_and_its_explanation_alike() -> None:
    result = explain("grep -r TODO src", cache_dir=None)
    lines = breakdown_lines(result, width=80, full=False, colour=True)
    r_colour = next(c for c in ("36", "33", "32", "35") if f"\033[{c}m-r\033[0m" in lines[0])
    assert any(line.startswith(f"\033[{r_colour}m    -r") for line in lines[1:])
    assert "\033[" not in "".join(breakdown_lines(result, width=80, full=False, colour=False))


def test_full_flag_on_the_command_line(run_i) -> None:
    short = run_i("explain", "--no-model", "grep -r TODO src")
    full = run_i("explain", "--no-model", "--full", "grep -r TODO src")
    assert short.code == full.code == 0
    assert "Note that" not in short.stdout and "Note that" in full.stdout


def test_ps_aux_is_three_bsd_options() -> None:
    ps = items(explain("ps aux", cache_dir=None), "ps")
    assert list(ps) == ["a", "u", "x"]
    assert all(it["kind"] == "flag" for it in ps.values())
    assert "user-oriented" in ps["u"]["brief"] and "BSD-style" in ps["a"]["doc"]


@pytest.mark.parametrize(
    ("command", "utility", "program"),
    [
        ("awk '{print $1}' notes.txt", "awk", "{print $1}"),
        ("sed 's/a/b/g' notes.txt", "sed", "s/a/b/g"),
        ("jq .name package.json", "jq", ".name"),
    ],
)
def test_program_text_is_labelled_as_a_program(command: str, utility: str, program: str) -> None:
    if not shutil.which(utility):
        pytest.skip(f"{utility} is not installed")
    part = items(explain(command, cache_dir=None), utility)
    assert part[program]["kind"] == "program" and utility in part[program]["doc"]
    assert part[next(t for t in part if t.endswith(".txt") or t.endswith(".json"))]["kind"] == (
        "operand"
    )


def test_a_program_given_with_e_leaves_the_operands_as_files() -> None:
    sed = items(explain("sed -e s/a/b/ notes.txt", cache_dir=None), "sed")
    assert sed["-e"]["argument"] == "s/a/b/" and sed["notes.txt"]["kind"] == "operand"


def test_find_operators_tests_and_their_arguments() -> None:
    find = items(explain("find . -not -mmin +2880 -name '*.log'", cache_dir=None), "find")
    assert find["-not"]["kind"] == "operator" and find["-not"].get("argument") is None
    assert find["-mmin"]["argument"] == "+2880" and "minutes" in find["-mmin"]["doc"]
    assert "+2880" not in find  # attached to its test, not a starting point
    assert find["."]["doc"] == "a starting point of the search"
    lines = breakdown_lines(
        explain("find . -not -mmin +2880", cache_dir=None), width=80, full=False, colour=False
    )
    assert any(line.startswith("    -mmin +2880 ") for line in lines)


def test_bulleted_option_headers_are_found() -> None:
    """jq's man page lists options as `○   --raw-output / -r:`."""
    text = (
        "   INVOKING JQ\n"
        "       ○   --raw-output / -r:\n\n"
        "           With this option, if the filter's result is a string then it will be\n"
        "           written directly to standard output.\n\n"
        "       ○   --tab:\n\n"
        "           Use a tab for each indentation level.\n"
    )
    found = option_doc(text, "-r")
    assert found is not None and found.brief.startswith("With this option")
    assert option_doc(text, "--raw-output") is not None
    assert option_doc(text, "-q") is None


def test_a_chmod_mode_that_starts_with_a_dash_is_a_mode() -> None:
    [part] = Explainer(Docs(None)).explain("chmod -w public.txt")
    assert [(it.token, it.kind) for it in part.items] == [
        ("-w", "operand"),
        ("public.txt", "operand"),
    ]
    assert part.items[0].doc.startswith("the mode")
