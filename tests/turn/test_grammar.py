"""The compact reply grammar: what it is built from, and what a real llama-server lets through.

The real test leans on a base model's habit of continuing a repeated line: shown a reply three
times, Gemma 270M writes it a fourth time. Under the grammar it gets every allowed reply out
exactly, and a reply with spaces between tokens comes out compact instead.
"""

from __future__ import annotations

import json
import re

import pytest

from intent.backends.llama_server import LlamaServer, ServerOptions
from intent.errors import InvalidReply
from intent.reply import grammar, schema
from intent.reply.grammar import constraint
from intent.reply.types import kind_of
from intent.settings.paths import resolve

COMPACT = {"separators": (",", ":"), "ensure_ascii": False}

# one reply per branch, with the awkward parts: optional arrays, free-form tool arguments,
# escapes and non-ASCII text inside strings
REPLIES = [
    {
        "command": "find . -name '*.log' -size +1M",
        "description": "Lists big logs.",
        "risk": "safe",
        "expected_runtime": "seconds",
        "confidence": "high",
    },
    {
        "command": 'grep -rn "TODO" src',
        "description": "Finds TODO notes.",
        "risk": "safe",
        "expected_runtime": "instant",
        "confidence": "medium",
        "alternatives": [{"command": "rg TODO src", "description": "Faster.", "risk": "safe"}],
    },
    {
        "script": {"interpreter": "python3", "body": "print(1)\nprint('a\\tb')"},
        "description": "Prints.",
        "risk": "safe",
        "expected_runtime": "instant",
        "confidence": "low",
    },
    {"tool_call": {"name": "head_file", "arguments": {"path": "a b.txt", "lines": 5}}},
    {"tool_call": {"name": "cwd", "arguments": {}}},
    {"stdout_to_user": "Größe: 3 MB, “fine”."},
    {"clarifying_question": "Which folder?"},
    {"refusal_reason": "That would wipe the disk."},
]


def test_every_rule_is_defined_and_named_as_llama_cpp_expects() -> None:
    text = grammar.for_schema(schema.RESPONSE_SCHEMA)
    rules = dict(line.split(" ::= ", 1) for line in text.splitlines())
    assert "root" in rules
    for name, body in rules.items():
        assert re.fullmatch(r"[a-zA-Z0-9-]+", name), name
        outside_literals = re.sub(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]', "", body)
        for ref in re.findall(r"[a-zA-Z][a-zA-Z0-9-]*", outside_literals):
            assert ref in rules or ref == "u", f"{name} refers to undefined {ref}"


def test_properties_keep_the_schema_order_and_optional_ones_come_last() -> None:
    text = grammar.for_schema(schema.RESPONSE_SCHEMA)
    command = next(line for line in text.splitlines() if line.startswith("reply-0 ::="))
    keys = re.findall(r'\\"(\w+)\\":', command)
    assert keys == [
        "command",
        "description",
        "risk",
        "expected_runtime",
        "confidence",
        "alternatives",
    ]
    assert re.search(r'\( "," "\\"alternatives\\":" \S+ \)\?', command)


def test_unsupported_schemas_fall_back_to_llama_cpp_conversion() -> None:
    odd = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    with pytest.raises(grammar.Unsupported):
        grammar.from_schema(odd)
    assert constraint(odd)["response_format"]["json_schema"]["schema"] == odd
    assert set(constraint(schema.RESPONSE_SCHEMA)) == {"grammar"}


def test_string_lengths_and_enums_come_from_the_schema() -> None:
    text = grammar.for_schema(schema.RESPONSE_SCHEMA)
    assert 'reply-0-description ::= "\\"" char{1,160} "\\""' in text
    assert 'reply-0-risk ::= "\\"safe\\"" | "\\"network\\""' in text


@pytest.fixture(scope="module")
def server(real_parts, tmp_path_factory):
    home = tmp_path_factory.mktemp("grammar-home")
    with LlamaServer(
        ServerOptions(real_parts.server, real_parts.model), resolve({"INTENT_HOME": str(home)})
    ) as s:
        s.start()
        yield s


def _continue(server: LlamaServer, shown: str) -> str:
    data = server.post(
        "/completion",
        {
            "prompt": f"{shown}\n{shown}\n{shown}\n",
            "grammar": grammar.for_schema(schema.RESPONSE_SCHEMA),
            "temperature": 0.0,
            "n_predict": 160,
            "cache_prompt": False,
        },
    )
    return str(data["content"])


@pytest.mark.real
@pytest.mark.parametrize("reply", REPLIES, ids=[kind_of(r) for r in REPLIES])
def test_a_real_server_lets_every_reply_shape_through(server, reply) -> None:
    schema.validate(reply)
    text = json.dumps(reply, **COMPACT)
    assert _continue(server, text) == text


@pytest.mark.real
@pytest.mark.parametrize(
    "command", ["find . -name '*.py' -exec wc -l {} \\;", 'echo "a\\tb" | jq .']
)
def test_a_real_server_lets_a_fenced_command_through_and_stops_after_it(server, command) -> None:
    text = schema.FENCE[0] + command + schema.FENCE[1]
    assert _continue(server, text) == text  # nothing after the closing fence
    assert schema.validate(text) == {"command": command}


@pytest.mark.real
def test_a_real_server_keeps_control_characters_out_of_a_fenced_command(server) -> None:
    out = _continue(server, schema.FENCE[0] + "printf 'a\x1b[2Jb\rc'" + schema.FENCE[1])
    assert "\x1b" not in out and "\r" not in out


@pytest.mark.real
def test_a_real_server_keeps_a_json_reply_out_of_the_fence(server) -> None:
    """A tool call written inside the fence would slip past the JSON branch's tool names (a
    sealed-set run met `"name":"history"` that way); the shell's `{ list; }` still fits."""
    out = _continue(server, schema.FENCE[0] + '{"tool_call":{"name":"history"}}' + schema.FENCE[1])
    assert not out.startswith(schema.FENCE[0] + '{"')
    group = schema.FENCE[0] + "{ ls; pwd; } > out.txt" + schema.FENCE[1]
    assert _continue(server, group) == group


def test_the_fenced_command_is_offered_only_where_a_command_may_come() -> None:
    assert '"```sh\\n" fenced-line "\\n```" |' in grammar.from_schema(schema.RESPONSE_SCHEMA)
    assert "fenced-line" in grammar.from_schema(schema.ACTION_SCHEMA)
    questions = {
        "oneOf": [b for b in schema.RESPONSE_SCHEMA["oneOf"] if "command" not in b["required"]]
    }
    assert "fenced" not in grammar.from_schema(questions)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("```sh\nls -la\n```", "ls -la"),
        ("  ```sh\nfind . -exec ls {} +\n```\n", "find . -exec ls {} +"),
        ("```sh\nls\nwc -l\n```", None),  # two lines: a script is JSON
        ("```sh\n \n```", None),
        ("```sh\nls\n``` and more", None),
        ("```bash\nls\n```", None),
        ('{"command":"ls"}', None),
        ('```sh\n{"command":"ls"}\n```', None),  # JSON in a fence is a JSON reply
        ("```sh\n{ ls; }\n```", "{ ls; }"),
        ("```sh\nprintf 'a\tb'\n```", "printf 'a\tb'"),  # the tab is the one control kept
        ("```sh\nls\x1b[2J\n```", None),
        ("```sh\nls\rrm -rf ~\n```", None),
        ("```sh\nls\x85x\n```", None),  # NEL: a line end to Python and to some terminals
        ("```sh\nls\u2028x\n```", None),
    ],
)
def test_a_fenced_command_is_one_line_and_nothing_else(text: str, command: str | None) -> None:
    assert schema.fenced_command(text) == command


def test_a_fenced_reply_is_a_command_without_description_or_risk() -> None:
    assert schema.validate("```sh\nls -la\n```") == {"command": "ls -la"}
    with pytest.raises(InvalidReply):
        schema.validate("```sh\nls\nwc -l\n```")  # not a fenced command, and not JSON
    # the model's own answers come back to it in the shape it is asked for
    assert schema.as_text({"command": "ls", "description": "d", "risk": "safe"}) == "```sh\nls\n```"
    assert schema.as_text({"command": "a\nb"}).startswith('{"command"')  # one line only
    assert schema.as_text({"stdout_to_user": "hi"}) == '{"stdout_to_user":"hi"}'


def test_a_json_reply_after_white_space_is_json_and_an_unended_fence_is_said_so() -> None:
    # remote servers often begin with a newline (from the review of the unended-fence check)
    assert schema.validate(' {"command": "ls"}') == {"command": "ls"}
    assert schema.validate('\n{"command":"ls"}') == {"command": "ls"}
    with pytest.raises(InvalidReply, match="has no end"):
        schema.validate("\n```sh\nawk '{print $1, $2, $3")
    from intent.backends.base import looping

    assert looping("\n```sh\nawk '{print $0, " + ", ".join(f"${n}" for n in range(2, 90)))


@pytest.mark.real
def test_a_real_server_cannot_spend_tokens_on_spaces(server) -> None:
    spaced = json.dumps(REPLIES[0], indent=1, ensure_ascii=False).replace("\n", "")
    out = _continue(server, spaced)
    assert out != spaced
    assert json.loads(out)  # still a complete reply ...
    assert schema.validate(out)
    outside_strings = re.sub(r'"(?:[^"\\]|\\.)*"', "", out)
    assert not re.search(r"\s", outside_strings)  # ... with no space outside its strings


def _mutations(reply: dict) -> list[object]:
    """Valid and invalid neighbours of a reply."""
    out: list[object] = [reply, [reply], "text", {}]
    for key in reply:
        out.append({k: v for k, v in reply.items() if k != key})  # a required key missing
        out.append({**reply, key: 7})  # the wrong type
        out.append({**reply, key: ""})
        out.append({**reply, key: "x" * 5000})
    out.append({**reply, "extra": 1})
    out.append({**reply, "stdout_to_user": "two kinds"})
    if "risk" in reply:
        out.append({**reply, "risk": "harmless"})
        out.append({**reply, "alternatives": []})
        out.append({**reply, "alternatives": [{"command": "ls"}]})
        out.append({**reply, "alternatives": [REPLIES[1]["alternatives"][0]] * 4})
    if "tool_call" in reply:
        out.append({"tool_call": {"name": "rm", "arguments": {}}})
        out.append({"tool_call": {"name": "cwd", "arguments": []}})
        out.append({"tool_call": {"name": "cwd"}})
    if "script" in reply:
        out.append({**reply, "script": {"interpreter": "lua", "body": "x"}})
    return out


@pytest.mark.parametrize("reply", REPLIES, ids=[kind_of(r) for r in REPLIES])
def test_the_built_in_validator_agrees_with_jsonschema(reply) -> None:
    import jsonschema

    reference = jsonschema.Draft202012Validator(schema.RESPONSE_SCHEMA)
    for case in _mutations(reply):
        ours = schema.first_error(schema.RESPONSE_SCHEMA, case)
        assert (ours is None) == reference.is_valid(case), (case, ours)
        if isinstance(case, dict) and ours is not None:
            with pytest.raises(InvalidReply, match="does not match the schema|not a JSON object"):
                schema.validate(case)


def test_the_one_shot_retry_asks_for_the_dry_sampler(tmp_path) -> None:
    from intent.backends.one_shot import OneShot

    shot = OneShot(tmp_path / "llama-completion", tmp_path / "m.gguf")
    plain = shot.argv("sys", "user", schema.RESPONSE_SCHEMA, 64)
    retry = shot.argv("sys", "user", schema.RESPONSE_SCHEMA, 64, discourage_repeats=True)
    assert "--dry-multiplier" not in plain
    assert retry[retry.index("--dry-multiplier") + 1] == "0.8"
    assert plain[plain.index("--grammar") + 1] == grammar.for_schema(schema.RESPONSE_SCHEMA)


@pytest.mark.real
def test_a_real_server_takes_the_retry_sampler(server) -> None:
    messages = [{"role": "user", "content": "Reply with a JSON object: list the files here."}]
    # a bounded schema, so the reply must end within max_tokens (the full reply schema lets a
    # tiny base model run on inside a tool call's open `arguments` object until the cut)
    bounded = {
        "type": "object",
        "properties": {"command": {"type": "string", "minLength": 1, "maxLength": 60}},
        "required": ["command"],
        "additionalProperties": False,
    }
    reply = server.complete(messages, bounded, max_tokens=200, discourage_repeats=True)
    assert list(json.loads(reply.text)) == ["command"]  # accepted (HTTP 200), held to the grammar


@pytest.mark.parametrize(
    ("text", "loops"),
    [
        ('{"command":"ls -la /tmp/test' + "_test" * 20, True),
        ('{"stdout_to_user":"' + "ha" * 60, True),
        ('{"command":"ls -la /tmp/test' + "_test" * 10, False),  # not yet long enough
        ("{\"command\":\"find . -name '*.jpg' -o -name '*.png' -o -name '*.gif'\"", False),
        ('{"command":"echo ' + "=" * 72 + '"', False),  # a separator line is fine
        # a fenced line that counts on and on (seen: dev task grep-context, 384 tokens, 20 s)
        ("```sh\nawk '{print $0, " + ", ".join(f"${n}" for n in range(2, 90)), True),
        ("```sh\nawk '{print $0, " + ", ".join(f"${n}" for n in range(2, 60)), False),
        ("```sh\n" + "echo " + "x" * 395 + "\n```", False),  # ended: not running on
    ],
)
def test_a_loop_is_recognised_and_ordinary_repetition_is_not(text: str, loops: bool) -> None:
    from intent.backends.base import looping

    assert looping(text) is loops


@pytest.mark.real
def test_a_real_server_reply_that_loops_is_cut_off_early(server) -> None:
    laugh = json.dumps({"stdout_to_user": "ha" * 150})
    messages = [
        *[{"role": "user", "content": "Laugh."}, {"role": "assistant", "content": laugh}] * 2,
        {"role": "user", "content": "Laugh."},
    ]
    answer_only = {
        "oneOf": [b for b in schema.RESPONSE_SCHEMA["oneOf"] if "stdout_to_user" in b["properties"]]
    }
    reply = server.complete(messages, answer_only, max_tokens=384)
    assert reply.timings.get("stopped") == "repetition", reply.text
    assert len(reply.text) < 400  # far from the 384-token budget
    ping = server.complete(
        [{"role": "user", "content": "list the files here"}], schema.RESPONSE_SCHEMA, max_tokens=64
    )
    assert ping.timings.get("predicted_n")  # the cancelled task left the server answering


def test_a_reply_that_keeps_streaming_past_request_timeout_is_an_error(tmp_path) -> None:
    """Streaming resets the read timeout at every token: the whole reply still has a deadline."""
    import time

    import httpx

    from intent.errors import BackendUnavailable

    def slow_tokens():
        for _ in range(50):
            time.sleep(0.05)
            yield b'data: {"choices":[{"delta":{"content":"a b "}}]}\n\n'

    server = LlamaServer(
        ServerOptions(tmp_path / "llama-server", tmp_path / "m.gguf", request_timeout=0.3),
        resolve({"INTENT_HOME": str(tmp_path)}),
    )
    server.ready, server.proc = True, object()  # type: ignore[assignment]
    server.client = httpx.Client(
        base_url="http://127.0.0.1:9",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=slow_tokens())),
    )
    started = time.monotonic()
    with pytest.raises(BackendUnavailable, match="did not answer within 0s"):
        server.stream_chat({"messages": []})
    assert time.monotonic() - started < 1.5


@pytest.mark.real
def test_a_real_server_held_to_the_action_schema_cannot_ask(server) -> None:
    """The push after a question back uses ACTION_SCHEMA: a model that continues a run of
    questions still has to write a command, a script or a refusal."""
    question = json.dumps({"clarifying_question": "Which folder do you mean?"}, **COMPACT)
    data = server.post(
        "/completion",
        {
            "prompt": f"{question}\n{question}\n{question}\n",
            "grammar": grammar.for_schema(schema.ACTION_SCHEMA),
            "temperature": 0.0,
            "n_predict": 160,
            "cache_prompt": False,
        },
    )
    reply = schema.validate(str(data["content"]))
    assert kind_of(reply) in ("command", "script", "refuse")


def test_the_action_schema_is_the_reply_schema_without_questions_prose_or_tools() -> None:
    kinds = [b["required"][0] for b in schema.ACTION_SCHEMA["oneOf"]]
    assert kinds == ["command", "script", "refusal_reason"]
    assert all(b in schema.RESPONSE_SCHEMA["oneOf"] for b in schema.ACTION_SCHEMA["oneOf"])
