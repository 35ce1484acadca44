"""The shared JSON extractor: what servers that do not constrain their output wrap replies in."""

from __future__ import annotations

import json

import pytest

from intent.backends.extract import json_text

OBJ = {"command": "ls -la", "description": "list {all} files", "risk": "safe"}
TEXT = json.dumps(OBJ)


@pytest.mark.parametrize(
    "raw",
    [
        TEXT,
        f"```json\n{TEXT}\n```",
        f"```\n{TEXT}\n```\n",
        f"Sure! Here is the command:\n{TEXT}\nHope this helps {{you}}.",
        f"<think>The user wants {{files}}. I will use ls.</think>\n{TEXT}",
        f'<think>\nlong thought with {{"a": 1}} inside\n</think>\n\n```json\n{TEXT}\n```',
        f'the template opened the block; thinking {{"x": 2}} </think>{TEXT}',
        f"<THINKING>x</THINKING>{TEXT}",
        f"{TEXT}\n> EOF by user",
    ],
)
def test_finds_the_reply_object(raw: str) -> None:
    assert json.loads(json_text(raw)) == OBJ


def test_a_reply_cut_off_while_thinking_has_no_object() -> None:
    # the object inside an unfinished thought is not the reply
    assert json_text('<think>maybe {"command": "rm -rf /"} ...') == ""


def test_text_without_an_object_is_returned_stripped() -> None:
    assert json_text("  I cannot help with that.  ") == "I cannot help with that."
    assert json_text("use {braces} carefully") == "use {braces} carefully"


def test_a_fenced_command_is_the_reply_even_with_braces_in_it() -> None:
    fenced = "```sh\nfind . -name '*.py' -exec wc -l {} +\n```"
    assert json_text(f"  {fenced}\n") == fenced
    assert json_text(f"<think>a {{}}</think>{fenced}") == fenced
    assert json_text(f"{fenced} [end of text]\n\n") == fenced  # llama-completion's trailer


@pytest.mark.parametrize(
    ("raw", "reply"),
    [
        ("```bash\r\nls -la \r\n```", "```sh\nls -la\n```"),
        ("Run this:\n```\nfind . -exec ls {} +\n```\nDone.", "```sh\nfind . -exec ls {} +\n```"),
        ('{"command":"ls"} and ```sh\nrm -rf ~\n```', '{"command":"ls"}'),  # the first wins
        ('```sh\n{"command":"ls"}\n```', '{"command":"ls"}'),  # JSON in a fence is JSON
        ("```sh\nls\x1b[2J\n```", "```sh\nls\x1b[2J\n```"),  # left for the schema to refuse
    ],
)
def test_what_an_unconstrained_model_fences_is_read_in_the_canonical_shape(
    raw: str, reply: str
) -> None:
    assert json_text(raw) == reply
