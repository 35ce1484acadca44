"""The redaction table: every form, through every sink (the redactor itself, the `--json`
envelope, the audit log, `i history show`, the answer cache, tool results, and a real run's
captured stdout and stderr)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import command_reply
from typer.testing import CliRunner

from intent.app.turn import Turn
from intent.cli import history
from intent.process import CommandOutcome
from intent.redact import MASK, redact
from intent.run import audit
from intent.turn import cache, tools

A40 = "A1b2C3d4E5" * 4
# (form, text containing the secret, the secret that must not survive)
TABLE: list[tuple[str, str, str]] = [
    ("aws key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("aws temp key id", "key ASIAY34FZKBOKMUTVV7A used", "ASIAY34FZKBOKMUTVV7A"),
    (
        "aws secret",
        "aws_secret_access_key=wJalrXUtnFEMIK7MDENGbPxRfiCY",
        "wJalrXUtnFEMIK7MDENGbPxRfiCY",
    ),
    ("github classic", "push with ghp_" + A40[:36], "ghp_" + A40[:36]),
    ("github oauth", "gho_" + A40[:36], "gho_" + A40[:36]),
    ("github fine-grained", "github_pat_11ABCDEFG0" + A40, "github_pat_11ABCDEFG0" + A40),
    ("gitlab", "GITLAB=glpat-xxYYzz11223344556677", "glpat-xxYYzz11223344556677"),
    ("slack bot", "xoxb-1234567890-abcdefghijkl", "xoxb-1234567890-abcdefghijkl"),
    (
        "slack webhook",
        "https://hooks.slack.com/services/T000/B000/XXXXsecretYYYY",
        "XXXXsecretYYYY",
    ),
    ("stripe live", "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe test", "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc"),
    ("stripe restricted", "rk_live_51H8abcdefghijklmnopq", "51H8abcdefghijklmnopq"),
    (
        "google api key",
        "key=AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
        "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY",
    ),
    ("google oauth", "ya29.a0AfH6SMBx3kjdsfkj23kjKJHkjh2", "a0AfH6SMBx3kjdsfkj23kjKJHkjh2"),
    ("openai", "sk-" + A40[:48], A40[:48]),
    ("openai project", "sk-proj-" + A40, A40),
    ("anthropic", "sk-ant-api03-" + A40, A40),
    ("hugging face", "hf_" + A40[:34], "hf_" + A40[:34]),
    ("npm", "npm_" + A40[:36], "npm_" + A40[:36]),
    (
        "sendgrid",
        "SG.abcdefghijklmnopqrstuv.ABCDEFGHIJKLMNOPQRSTUVWXYZ01",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ01",
    ),
    (
        "jwt",
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
    (
        "rsa private key",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAkeyMaterial\n-----END RSA PRIVATE KEY-----",
        "MIIEpAIBAAKCAQEAkeyMaterial",
    ),
    (
        "openssh private key",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEAAAA",
    ),
    ("long hex", "secret hex " + "0123456789abcdef" * 3, "0123456789abcdef" * 3),
    ("bearer header", "curl -H 'Authorization: Bearer opaqueTokenValue123'", "opaqueTokenValue123"),
    ("basic header", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "dXNlcjpwYXNzd29yZA=="),
    ("api key header", "curl -H 'X-Api-Key: hdrsecret987' https://x", "hdrsecret987"),
    ("mysql -p", "mysql -u root -pHunter2Pass mydb", "Hunter2Pass"),
    ("mysqldump -p", "mysqldump -uroot -pDumpPw42 db > d.sql", "DumpPw42"),
    ("curl -u", "curl -u alice:curlpass99 https://api.example.com", "curlpass99"),
    ("curl --user", "curl --user alice:userpass77 https://x", "userpass77"),
    ("url credentials", "git clone https://bob:urlpass55@git.example.com/r.git", "urlpass55"),
    ("db url", "DATABASE_URL=postgres://app:dbpass66@db:5432/app", "dbpass66"),
    ("sshpass -p", "sshpass -p sshpw123 ssh host", "sshpw123"),
    ("docker login -p", "docker login -u me -p dockerpw1 registry.io", "dockerpw1"),
    ("docker login --password", "docker login --password dockerpw2 r.io", "dockerpw2"),
    ("redis-cli -a", "redis-cli -h h -a redispw3 ping", "redispw3"),
    ("--password X", "tool --password flagpw4 run", "flagpw4"),
    ("--password=X", "tool --password=flagpw5", "flagpw5"),
    ("--token X", "gh --token flagtok6 api", "flagtok6"),
    ("--api-key X", "cli --api-key flagkey7", "flagkey7"),
    ("--client-secret", "az login --client-secret cs8secret", "cs8secret"),
    ("json password", '{"user": "a", "password": "jsonpw9"}', "jsonpw9"),
    ("json api_key", '{"api_key": "jsonkey10"}', "jsonkey10"),
    ("json nested token", '{"auth": {"access_token": "jsontok11"}}', "jsontok11"),
    ("yaml password", "db:\n  password: yamlpw12\n", "yamlpw12"),
    ("yaml secret_key", "secret_key: yamlsk13", "yamlsk13"),
    ("env password", "PASSWORD=envpw14", "envpw14"),
    ("env export token", "export GITHUB_TOKEN=envtok15", "envtok15"),
    ("env quoted", "DB_PASSWORD='quoted pw 16'", "quoted pw 16"),
    ("pgpassword", "PGPASSWORD=pgpw17 psql -h db", "pgpw17"),
    ("query token", "https://x.io/cb?access_token=qtok18&x=1", "qtok18"),
    ("azure account key", "AccountName=a;AccountKey=azkey19==;", "azkey19=="),
    ("ini secret", "client_secret = inisecret20", "inisecret20"),
    # round 3 (issue 24)
    ("netrc line", "machine api.x.io login bob password netrcpw21", "netrcpw21"),
    ("netrc multi-line", "machine api.x.io\n  login bob\n  password netrcpw22\n", "netrcpw22"),
    ("curl -u glued", "curl -ubob:gluedpw23 https://x.io", "gluedpw23"),
    ("smbclient -U", "smbclient //srv/share -U bob%smbpw24", "smbpw24"),
    ("zip -P", "zip -P zippw25 out.zip a.txt", "zippw25"),
    ("7z -p glued", "7z a -p7zpw26secret x.7z dir", "7zpw26secret"),
    ("openssl pass:", "openssl rsa -in k.pem -passin pass:sslpw27", "sslpw27"),
    (
        "docker auth",
        '{"auths": {"ghcr.io": {"auth": "Ym9iOmRvY2tlcnB3Mjg="}}}',
        "Ym9iOmRvY2tlcnB3Mjg=",
    ),
    ("NAME_KEY=", "STRIPE_KEY=namekey29", "namekey29"),
    ("NAME_PW=", "DB_PW=namepw30", "namepw30"),
    ("NAME_SECRET=", "export APP_SECRET=namesecret31", "namesecret31"),
    ("vault hvs", "VAULT=hvs.CAESIJlU9JMYEhOPYv4KMsSS5qKo", "hvs.CAESIJlU9JMYEhOPYv4KMsSS5qKo"),
    (
        "discord webhook",
        "https://discord.com/api/webhooks/123456789012345678/AbCdEfGh_discordtok32",
        "AbCdEfGh_discordtok32",
    ),
    ("stripe whsec", "signing whsec_Zx81kLq0aB3cD4eF5gH6iJ7k", "whsec_Zx81kLq0aB3cD4eF5gH6iJ7k"),
    ("cmdline NUL", "mysql\0--password\0nulpw33\0-h\0db", "nulpw33"),
]


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 40
    assert len({form for form, _, _ in TABLE}) == len(TABLE)


@pytest.mark.parametrize(("form", "text", "secret"), TABLE, ids=[t[0] for t in TABLE])
def test_redactor(form: str, text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out, out
    assert MASK in out


def test_ordinary_text_is_left_alone() -> None:
    for text in (
        "git log --author=John --format=%h",
        "find . -name '*.py' -size +1M",
        "ls -la ~/projects",
        "docker run -p 8080:80 nginx",
        "mysql -u root -p",  # -p alone asks for the password: nothing to hide
        "grep -rn password src/",
    ):
        assert redact(text) == text


ALL = "\n".join(text for _, text, _ in TABLE)
SECRETS = [secret for _, _, secret in TABLE]


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def test_json_envelope_sink() -> None:
    turn = Turn(ALL, "/tmp")  # noqa: S108 - a label, not a file
    turn.proposed, turn.response = True, command_reply("echo x", description=ALL)
    turn.status, turn.exit_code = "executed", 0
    turn.outcome = CommandOutcome(0, ALL, "", False, False, 0.1)
    obj = turn.envelope()
    assert _leaks(json.dumps(obj)) == []


def test_audit_and_history_sinks(tmp_path: Path, intent_home: Path) -> None:
    log = intent_home / "state" / "audit.jsonl"
    audit.append(log, {"id": "t1", "prompt": ALL, "stderr": ALL, "executed_command": ALL})
    assert _leaks(log.read_text()) == []
    shown = CliRunner().invoke(history.app, ["show", "t1"])
    assert shown.exit_code == 0 and "[REDACTED]" in shown.output
    assert _leaks(shown.output) == []
    listed = CliRunner().invoke(history.app, ["list"])
    assert _leaks(listed.output) == []


def test_answer_cache_sink(tmp_path: Path) -> None:
    for i, (_, text, _) in enumerate(TABLE):
        cache.AnswerCache(tmp_path / "answers", f"k{i}").put(command_reply(f"echo {text}"))
    stored = "".join(f.read_text() for f in (tmp_path / "answers").glob("*"))
    assert _leaks(stored) == []
    ok = cache.AnswerCache(tmp_path / "answers", "plain")
    ok.put(command_reply("ls -la"))
    assert ok.file.stat().st_mode & 0o777 == 0o600
    assert ok.file.parent.stat().st_mode & 0o777 == 0o700


def test_tool_result_sink(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text(ALL)
    box = tools.Toolbox(tmp_path)
    results = box.call("read_file", {"path": "notes.txt"}) + box.call(
        "head_file", {"path": "notes.txt", "lines": 200}
    )
    assert "[REDACTED]" in results
    assert _leaks(results) == []


def test_captured_output_sink(run_i, tmp_path: Path, intent_home: Path) -> None:
    (tmp_path / "s.txt").write_text(ALL)
    r = run_i(
        "--backend",
        "mock",
        "--yes",
        "--json",
        "show it",
        script=[command_reply("cat s.txt && cat s.txt >&2")],
    )
    assert r.code == 0, r.stderr
    assert "[REDACTED]" in r.json()["stdout"]
    assert _leaks(r.stdout) == []
    assert _leaks((intent_home / "state" / "audit.jsonl").read_text()) == []


def test_piped_stdin_is_masked_before_it_reaches_the_model(tmp_path: Path) -> None:
    from intent.turn import prompt

    ctx = prompt.gather(tmp_path, stdin_text=ALL)
    assert _leaks(ctx.stdin_excerpt) == []
