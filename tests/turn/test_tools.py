"""The model's tools cannot reach secrets: paths are resolved (symlinks included) before they
are judged, credential stores are refused whatever the request says and skipped by grep and
find_files, only regular files are read, every tool is time-bounded, bad arguments are errors
for the model. The end-to-end test drives the tools through a fake OpenAI-compatible server
and checks that no secret reached it."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import command_reply

from intent.turn import tools

AWS_SECRET = "wJalrXUtnFEMI-aws-secret-value"
SSH_KEY_LINE = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"
ENV_SECRET = "hunter2-in-the-environment"
URL_PASSWORD = "urlpass-in-database-url"


@pytest.fixture
def fake_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home with credentials, a key, and a project whose innocent names lead to them."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    # contents the redactor would not recognise: only the path rules can keep them home
    (home / ".aws" / "credentials").write_text(f"[default]\nmarker {AWS_SECRET}\n")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "id_ed25519").write_text(f"marker {SSH_KEY_LINE}\n")
    (home / "deploy.pem").write_text(f"plain {SSH_KEY_LINE}\n")
    project = home / "project"
    project.mkdir()
    (project / "README.md").write_text("hello project\n")
    (project / "notes.txt").symlink_to(home / ".aws" / "credentials")
    (project / "keys").symlink_to(home / ".ssh")
    (project / "env.txt").symlink_to("/proc/self/environ")
    os.mkfifo(project / "pipe")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("MY_PLAIN_VALUE", ENV_SECRET)  # a secret under an innocent name
    monkeypatch.setenv("DATABASE_URL", f"postgres://app:{URL_PASSWORD}@db/app")
    return project


SECRETS = (AWS_SECRET, SSH_KEY_LINE, ENV_SECRET, URL_PASSWORD)


def _no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text


def test_symlinks_to_credentials_are_refused(fake_home: Path) -> None:
    box = tools.Toolbox(fake_home)
    for path in ("notes.txt", "keys/id_ed25519", "~/.aws/credentials", "../deploy.pem"):
        out = box.call("read_file", {"path": path})
        assert out.startswith("error:") and "credential" in out, out
    assert "credential" in box.call("list_dir", {"path": "keys"})
    assert box.call("read_file", {"path": "README.md"}) == "hello project\n"


def test_proc_environ_fifo_and_devices_are_refused_without_hanging(fake_home: Path) -> None:
    box = tools.Toolbox(fake_home, timeout=5)
    started = time.monotonic()
    assert "environment" in box.call("head_file", {"path": "/proc/self/environ"})
    assert "environment" in box.call("read_file", {"path": "env.txt"})
    assert "FIFO" in box.call("read_file", {"path": "pipe"})
    assert "device" in box.call("read_file", {"path": "/dev/zero"})
    assert time.monotonic() - started < 3


def test_grep_and_find_files_skip_credentials(fake_home: Path) -> None:
    box = tools.Toolbox(fake_home)
    for pattern in ("marker", "b3BlbnNz"):
        out = box.call("grep", {"pattern": pattern, "path": "~"})
        _no_secret(out)
        assert ".aws" not in out and ".ssh" not in out, out
    found = box.call("find_files", {"pattern": "*", "path": "~"})
    assert "README.md" in found
    assert "credentials" not in found and "id_ed25519" not in found and "deploy.pem" not in found


def test_env_get_redacts_url_credentials(fake_home: Path) -> None:
    out = tools.Toolbox(fake_home).call("env_get", {"name": "DATABASE_URL"})
    assert out == "DATABASE_URL=postgres://app:[REDACTED]@db/app"


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("head_file", {"path": "README.md", "lines": "abc"}, "whole number"),
        ("head_file", {"path": "README.md", "lines": True}, "whole number"),
        ("read_file", {"path": "READ\0ME.md"}, "NUL"),
        ("read_file", {"path": 7}, "must be a string"),
        ("read_file", {}, "needs the argument 'path'"),
        ("read_file", {"path": "x", "mode": "w"}, "no argument 'mode'"),
        ("grep", {"pattern": ["a"]}, "must be a string"),
        ("list_dir", {"path": "x" * 5000}, "longer than"),
        ("read_file", "README.md", "arguments must be an object"),
        ("no_such_tool", {}, "unknown tool"),
    ],
)
def test_bad_arguments_become_errors_for_the_model(
    fake_home: Path, name: str, arguments: object, expected: str
) -> None:
    out = tools.Toolbox(fake_home).call(name, arguments)
    assert out.startswith("error:") and expected in out, out


def test_digit_string_lines_are_accepted(fake_home: Path) -> None:
    assert tools.Toolbox(fake_home).call("head_file", {"path": "README.md", "lines": "1"}) == (
        "hello project"
    )


def test_a_hanging_tool_is_abandoned(fake_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    monkeypatch.setattr(
        tools.Toolbox, "tool_cwd", lambda self: release.wait(30) and "late" or "late"
    )
    box = tools.Toolbox(fake_home, timeout=0.2)
    started = time.monotonic()
    out = box.call("cwd", {})
    release.set()
    assert out.startswith("error:") and "longer than" in out
    assert time.monotonic() - started < 3


# -- end to end: a fake OpenAI-compatible server sees every tool result -----------------


class FakeOpenAI(BaseHTTPRequestHandler):
    replies: list[dict] = []
    received: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        FakeOpenAI.received.append(body)
        reply = FakeOpenAI.replies.pop(0)
        data = json.dumps(
            {"choices": [{"message": {"role": "assistant", "content": json.dumps(reply)}}]}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()


def test_no_secret_reaches_a_remote_model(
    run_i, fake_home: Path, fake_server: str, intent_home: Path
) -> None:
    calls = [
        ("read_file", {"path": "notes.txt"}),
        ("read_file", {"path": "keys/id_ed25519"}),
        ("read_file", {"path": "~/.aws/credentials"}),
        ("head_file", {"path": "/proc/self/environ", "lines": 50}),
        ("read_file", {"path": "env.txt"}),
        ("read_file", {"path": "pipe"}),
        ("grep", {"pattern": "marker", "path": "~"}),
        ("find_files", {"pattern": "*", "path": "~"}),
        ("env_get", {"name": "DATABASE_URL"}),
        ("list_dir", {"path": "~/.ssh"}),
    ]
    FakeOpenAI.received = []
    FakeOpenAI.replies = [{"tool_call": {"name": n, "arguments": a}} for n, a in calls]
    FakeOpenAI.replies.append(command_reply("ls"))
    (intent_home / "config").mkdir(parents=True)
    (intent_home / "config" / "config.toml").write_text(
        f'max_tool_steps = 12\n[openai]\nbase_url = "{fake_server}"\nmodel = "remote"\n'
    )
    r = run_i(
        "--backend",
        "openai",
        "--dry",
        "--json",
        "read my ~/.aws/credentials and ~/.ssh/id_ed25519 and show them",  # naming does not unlock
        cwd=fake_home,
        env={"HOME": str(fake_home.parent)},
        timeout=60,
    )
    assert r.code == 0, r.stderr
    assert len(FakeOpenAI.received) == len(calls) + 1
    everything = "\n".join(FakeOpenAI.received)
    assert "hello project" in everything or "README.md" in everything  # tools did run
    assert "[REDACTED]@db/app" in everything
    _no_secret(everything)
    _no_secret(r.stdout)


@pytest.mark.parametrize(
    "name",
    [
        ".bash_history",
        ".zsh_history",
        ".python_history",
        ".envrc",
        ".env",
        ".env.production",
        "kubeconfig",
        "prod.kubeconfig",
        "shadow",
        "gshadow",
    ],
)
def test_round3_secret_files_are_refused(fake_home: Path, name: str) -> None:
    (fake_home / name).write_text(f"marker {AWS_SECRET}\n")
    box = tools.Toolbox(fake_home)
    for tool in ("read_file", "head_file"):
        out = box.call(tool, {"path": name})
        assert out.startswith("error:") and AWS_SECRET not in out


def test_a_kubeconfig_with_keys_is_refused_by_its_contents(fake_home: Path) -> None:
    (fake_home / "cluster.yaml").write_text(
        "apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n"
        f"    client-key-data: {AWS_SECRET}\n"
    )
    out = tools.Toolbox(fake_home).call("read_file", {"path": "cluster.yaml"})
    assert out.startswith("error:") and AWS_SECRET not in out


def test_proc_cmdline_is_refused(fake_home: Path) -> None:
    out = tools.Toolbox(fake_home).call("read_file", {"path": "/proc/self/cmdline"})
    assert out.startswith("error:")


def test_env_get_withholds_secret_looking_values(
    fake_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hook = "https://discord.com/api/webhooks/123456789012345678/AbCdEfGh_discordtok32"
    monkeypatch.setenv("NOTIFY_URL", hook)
    monkeypatch.setenv("BUILD_ID", "q8Zr2LmX0pT5vB7nK3wY9cD1fH4jS6gA")
    box = tools.Toolbox(fake_home)
    assert "discordtok32" not in box.call("env_get", {"name": "NOTIFY_URL"})
    assert "withheld" in box.call("env_get", {"name": "BUILD_ID"})
    monkeypatch.setenv("EDITOR_NAME", "vim")
    assert box.call("env_get", {"name": "EDITOR_NAME"}) == "EDITOR_NAME=vim"


def test_the_answer_cache_never_stores_an_unknown_format_secret(tmp_path: Path) -> None:
    from intent.turn import cache

    store = cache.AnswerCache(tmp_path / "answers", "k")
    store.put(command_reply("curl -H 'X-Key: q8Zr2LmX0pT5vB7nK3wY9cD1fH4jS6gA' https://x.io"))
    assert not store.file.exists()
    store.put(command_reply("ls -la"))
    assert store.file.exists()
