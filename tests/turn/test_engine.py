"""The tool loop on the scripted mock: events, budget, retries, tool errors, byte-stable prompt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import command_reply as cmd
from conftest import drive

from intent.backends.mock import MockBackend
from intent.errors import InvalidReply, Refused
from intent.reply import schema
from intent.turn import prompt, tools
from intent.turn.engine import Engine, ModelCalled, Retrying, ToolRan


def test_tool_results_are_appended_and_history_grows(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    backend = MockBackend(
        [{"tool_call": {"name": "list_dir", "arguments": {"path": "."}}}, cmd("cat a.txt")]
    )
    proposal, events = drive(Engine(backend, tools.Toolbox(tmp_path)), "show a", tmp_path)
    assert proposal.reply["command"] == "cat a.txt" and proposal.tool_steps == 1
    assert [type(e) for e in events] == [ModelCalled, ToolRan, ModelCalled]
    second = backend.calls[1]
    assert second[: len(backend.calls[0])] == backend.calls[0], "history must be append-only"
    assert "a.txt" in second[-1]["content"]


def test_tool_results_are_cut_to_what_the_context_holds(tmp_path: Path) -> None:
    """Reads of a big file would overflow a 4096-token context (llama-server answers HTTP 400
    and the user gets an error): a result is cut to the room left; once too little is left it
    is replaced by a note, and the next reply is held to an action (no further tool call)."""
    (tmp_path / "big.txt").write_text("word " * 2000)
    read = {"tool_call": {"name": "read_file", "arguments": {"path": "big.txt"}}}
    backend = MockBackend([read] * 3 + [cmd("wc -w big.txt")])
    eng = Engine(backend, tools.Toolbox(tmp_path), context_tokens=4096, max_tokens=384)
    proposal, _ = drive(eng, "how many words are in big.txt", tmp_path)
    assert proposal.reply["command"] == "wc -w big.txt"
    last = backend.calls[-1]
    results = [m["content"] for m in last if m["content"].startswith("Tool result")]
    assert len(results) == 3 and "word word" in results[0]
    assert "no room left in the context" in results[1] + results[2]
    full_at = next(n for n, r in enumerate(results) if "no room left" in r)
    assert backend.schemas[full_at + 1] == schema.ACTION_SCHEMA
    assert backend.schemas[: full_at + 1] == [schema.RESPONSE_SCHEMA] * (full_at + 1)
    # the conversation and a whole reply fit the context, at a safe 2.5 bytes a token
    size = sum(len(m["content"].encode()) + 16 for m in last)
    assert size <= (4096 - 384) * 5 // 2


@pytest.mark.parametrize(
    ("ctx", "steps", "max_tokens"), [(4096, 8, 384), (4096, 20, 384), (4096, 8, 1024)]
)
def test_a_small_result_is_shown_whatever_the_settings(
    tmp_path: Path, ctx: int, steps: int, max_tokens: int
) -> None:
    (tmp_path / "small.txt").write_text("twelve bytes")
    read = {"tool_call": {"name": "read_file", "arguments": {"path": "small.txt"}}}
    backend = MockBackend([read, cmd("cat small.txt")])
    eng = Engine(
        backend,
        tools.Toolbox(tmp_path),
        context_tokens=ctx,
        max_tool_steps=steps,
        max_tokens=max_tokens,
    )
    drive(eng, "show small.txt", tmp_path)
    assert "twelve bytes" in backend.calls[1][-1]["content"]


def test_a_result_is_cut_to_the_room_left() -> None:
    from intent.turn.engine import _fitted

    assert _fitted("abc", 10) == "abc"
    cut = _fitted("x" * 1000, 500)
    assert len(cut) <= 500 and cut.endswith("[... truncated 580 characters]")
    assert "no room left" in _fitted("x" * 1000, 150)
    # other scripts take about a token a character: counted in UTF-8 bytes (3 each here)
    cjk = _fitted("漢" * 400, 500)
    assert len(cjk.encode()) <= 500 and cjk.startswith("漢" * 100)


def test_unknown_tool_and_bad_arguments_are_fed_back(tmp_path: Path) -> None:
    backend = MockBackend(
        [
            {"tool_call": {"name": "read_file", "arguments": {"nope": 1}}},
            {"tool_call": {"name": "read_file", "arguments": {"path": "missing.txt"}}},
            cmd("ls"),
        ]
    )
    proposal, events = drive(Engine(backend, tools.Toolbox(tmp_path)), "x", tmp_path)
    results = [e.result for e in events if isinstance(e, ToolRan)]
    assert results[0].startswith("error: read_file takes no argument") and results[1].startswith(
        "error:"
    )
    assert proposal.reply["command"] == "ls"
    assert tools.Toolbox(tmp_path).call("no_such_tool", {}) == "error: unknown tool 'no_such_tool'"


def test_budget_then_refusal(tmp_path: Path) -> None:
    backend = MockBackend([{"tool_call": {"name": "cwd", "arguments": {}}}] * 4)
    with pytest.raises(Refused, match="3 tool steps"):
        drive(Engine(backend, tools.Toolbox(tmp_path), max_tool_steps=3), "x", tmp_path)


def test_one_retry_carries_the_validation_error(tmp_path: Path) -> None:
    backend = MockBackend(['{"command": "ls", "risk": "maybe"}', cmd("ls")])
    proposal, events = drive(Engine(backend, tools.Toolbox(tmp_path)), "x", tmp_path)
    assert any(isinstance(e, Retrying) for e in events)
    assert backend.discouraged == [False, True]  # plain greedy first, repeats penalised on retry
    assert (
        "invalid" in backend.calls[1][-1]["content"] and "schema" in backend.calls[1][-1]["content"]
    )
    backend = MockBackend(["nope", "still nope"])
    with pytest.raises(InvalidReply):
        drive(Engine(backend, tools.Toolbox(tmp_path)), "x", tmp_path)


def test_a_runaway_reply_is_not_shown_back_to_the_model(tmp_path: Path) -> None:
    runaway = '{"command":"ls /tmp/test' + "_test" * 300
    backend = MockBackend([runaway, cmd("ls")])
    proposal, _ = drive(Engine(backend, tools.Toolbox(tmp_path)), "x", tmp_path)
    retry = backend.calls[1]
    assert proposal.reply["command"] == "ls"
    assert not any("_test_test" in m["content"] for m in retry)  # it would prime the same loop
    assert "not JSON" in retry[-1]["content"]


def test_a_fenced_command_that_ran_on_is_asked_again_short_and_not_shown_back(
    tmp_path: Path,
) -> None:
    runaway = "```sh\nawk '{print $0, " + ", ".join(f"${n}" for n in range(2, 120))
    backend = MockBackend([runaway, "```sh\ngrep -C 2 Traceback error.log\n```"])
    proposal, _ = drive(Engine(backend, tools.Toolbox(tmp_path)), "x", tmp_path)
    assert proposal.reply["command"] == "grep -C 2 Traceback error.log"
    retry = backend.calls[1]
    assert not any("$20" in m["content"] for m in retry)
    # told what went wrong, and the shape to answer in: not "one JSON object" alone
    assert "has no end" in retry[-1]["content"] and "```sh block" in retry[-1]["content"]


def test_guard_never_lowers_the_model_risk(tmp_path: Path) -> None:
    proposal, _ = drive(
        Engine(MockBackend([cmd("ls", "destructive")]), tools.Toolbox(tmp_path)), "x", tmp_path
    )
    assert proposal.risk == "destructive"
    proposal, _ = drive(
        Engine(MockBackend([cmd("rm x", "safe")]), tools.Toolbox(tmp_path)), "x", tmp_path
    )
    assert proposal.risk == "destructive" and proposal.actions == [
        "raised risk safe -> destructive"
    ]


def test_system_prompt_is_byte_identical_across_directories(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    backend = MockBackend([cmd("ls"), cmd("ls")])
    drive(Engine(backend, tools.Toolbox(a)), "x", a)
    drive(Engine(backend, tools.Toolbox(b)), "x", b, intentrc="use podman")
    first, second = backend.calls
    assert first[0]["content"].encode() == second[0]["content"].encode()
    assert first[1]["content"] != second[1]["content"] and "use podman" in second[1]["content"]


def test_the_machine_ends_the_system_message_and_the_user_message_has_only_this_call(
    tmp_path: Path,
) -> None:
    """OS, shell and utilities are the same for every call on a machine: they are part of the
    system message (covered by its KV snapshot), so a call reads only cwd, git and the request."""
    backend = MockBackend([cmd("ls")])
    drive(Engine(backend, tools.Toolbox(tmp_path)), "list the files", tmp_path)
    system, user = backend.calls[0][0]["content"], backend.calls[0][1]["content"]
    assert system.startswith(prompt.SYSTEM_PROMPT) and system == prompt.system_message()
    assert "\nMachine:\n- OS: " in system and "- available: " in system
    assert "- available: " not in user and "- OS: " not in user
    assert user.endswith("Request: list the files")
    assert str(tmp_path) not in user  # its name is not a path the model should use: it is "."
    assert 'The current directory is "."' in system


def test_piped_stdin_is_framed_and_truncated(tmp_path: Path) -> None:
    ctx = prompt.gather(tmp_path, stdin_text="x" * 5000)
    text = ctx.render()
    b = ctx.boundary
    assert f"<<<STDIN-{b}" in text and f"STDIN-{b}>>>" in text and "3000 more characters" in text


def test_tools_cap_redact_and_refuse_credentials(tmp_path: Path) -> None:
    box = tools.Toolbox(tmp_path)
    (tmp_path / "big.txt").write_text("y" * 20000)
    assert len(box.call("read_file", {"path": "big.txt"})) < tools.RESULT_CAP + 100
    (tmp_path / "conf.ini").write_text("password=hunter2\ntoken ghp_" + "a" * 36)
    out = box.call("read_file", {"path": "conf.ini"})
    assert "hunter2" not in out and "ghp_" not in out
    (tmp_path / ".env").write_text("SECRET=1")
    assert "credential store" in box.call("read_file", {"path": ".env"})
    assert "withheld" in box.call("env_get", {"name": "AWS_SECRET_ACCESS_KEY"})
    assert "error" in box.call("help", {"name": "ls; rm -rf /"})
    assert "error" in box.call("ask_user", {"question": "which?"})


def test_mock_script_file_errors(tmp_path: Path) -> None:
    from intent.errors import UsageError

    bad = tmp_path / "s.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError):
        MockBackend.from_file(bad)
    bad.write_text(json.dumps({"a": 1}))
    with pytest.raises(UsageError):
        MockBackend.from_file(bad)


def test_a_fenced_command_is_proposed_and_shown_back_to_the_model_fenced(tmp_path: Path) -> None:
    """A fenced reply is a command with no description or claimed risk: the guard's rating is
    the risk (no "raised risk" action), and the model sees its own answer again as it wrote it
    when the checks send it back."""
    (tmp_path / "data.db").write_text("x")
    soft = "```sh\nln -s data.db backup.db\n```"  # a symbolic link for a hard one
    backend = MockBackend([soft, "```sh\nln data.db backup.db\n```"])
    engine = Engine(backend, tools.Toolbox(tmp_path))
    proposal, events = drive(engine, "make a hard link backup.db for data.db", tmp_path)
    assert any(isinstance(e, Retrying) for e in events)
    assert proposal.reply == {"command": "ln data.db backup.db"}
    assert proposal.risk == "mutates" and proposal.actions == []
    assistant, ask = backend.calls[1][-2:]
    assert assistant == {"role": "assistant", "content": soft}
    assert ask["content"].endswith("Reply again with the fixed command.")
