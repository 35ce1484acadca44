"""The one secret redactor, used by every sink: `--json` stdout, the audit log and `i history`,
the answer cache, tool results sent to the model, and the executed command's captured output.

Two kinds of rule: token formats recognisable on their own (cloud keys, GitHub/GitLab/Slack/
Stripe/Google/OpenAI/Hugging Face tokens, JWTs, private-key blocks), and a value in a place
that holds secrets (an `Authorization` header, `user:pass@` in a URL, `curl -u`, `mysql -p…`,
`--password X`, `password=` / `"token": "…"` / `secret: …` in env, JSON and YAML). The second
kind keeps the name and masks only the value, so the text still reads. tests/test_redact.py
holds the table.
"""

from __future__ import annotations

import math
import re
from typing import Any

MASK = "[REDACTED]"

_TOKENS = [
    re.compile(
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----.*?"
        r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)",
        re.S,
    ),
    re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b"),  # AWS key ids
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{30,}\b"),  # GitHub
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{22,}\b"),
    re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}\b"),  # GitLab
    re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}\b"),  # Slack
    re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9/]+"),
    re.compile(r"https://(?:canary\.|ptb\.)?discord(?:app)?\.com/api/webhooks/\d+/[\w-]+"),
    re.compile(r"https://[\w.-]+\.webhook\.office\.com/[^\s\"']+"),
    re.compile(r"https://hooks\.zapier\.com/hooks/catch/[^\s\"']+"),
    re.compile(r"\bwhsec_[A-Za-z0-9+/=]{16,}"),  # Stripe webhook signing secret
    re.compile(r"\bhv[sbr]\.[A-Za-z0-9_-]{20,}"),  # Vault tokens
    re.compile(r"\b(?:glrt|gldt|glptt|glcbt)-[A-Za-z0-9_-]{20,}"),  # GitLab runner/deploy
    re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b"),  # Stripe
    re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),  # Google API key
    re.compile(r"\bya29\.[0-9A-Za-z_-]{20,}"),  # Google OAuth access token
    re.compile(r"\bsk-(?:proj-|ant-|svcacct-)?[A-Za-z0-9_-]{20,}"),  # OpenAI, Anthropic
    re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"),  # Hugging Face
    re.compile(r"\bnpm_[A-Za-z0-9]{36}\b"),
    re.compile(r"\bpypi-[A-Za-z0-9_-]{50,}"),
    re.compile(r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}"),  # SendGrid
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),  # JWT
    re.compile(r"\b[0-9a-fA-F]{40,}\b"),
]

_NAME = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|client[_-]?secret|auth[_-]?token|credentials?|account[_-]?key|"
    r"session[_-]?id|cookie)"
)
_VALUE = r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s'\";&|,}]+)"


def _masked(m: re.Match[str]) -> str:
    """Keep everything up to the value group (the last one), mask the value."""
    value = m.group(m.lastindex or 0)
    if MASK in value:  # a token rule already took it
        return m.group(0)
    if value.startswith(("'", '"')) and len(value) >= 2:
        masked = value[0] + MASK + value[-1]
    else:
        masked = MASK
    return m.group(0)[: m.start(m.lastindex or 0) - m.start(0)] + masked


_CONTEXT = [
    # Authorization: Bearer <token> / Basic <b64>: keep the scheme, mask the credential
    re.compile(
        r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*[\"']?(?:bearer|basic|token|digest|apikey)?\s*)"
        r"([^\s\"']+)"
    ),
    re.compile(r"(?i)\b(x-api-key|api-key|x-auth-token|private-token)(\s*:\s*)([^\s\"']+)"),
    # scheme://user:pass@host
    re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^/\s:@]*:)([^/\s@]+)(?=@)"),
    # curl -u user:pass, --user user:pass, -uuser:pass
    re.compile(r"(?:^|(?<=\s))((?:-u|--user|--proxy-user)(?:\s+|=)?[\"']?[^\s:\"']*:)([^\s\"']+)"),
    # smbclient -U user%pass, --user=user%pass
    re.compile(r"(?:^|(?<=\s))((?:-U|--user)(?:\s+|=)?[\"']?[^\s%\"']*%)([^\s\"']+)"),
    # zip -P pass, 7z -pSECRET, unzip -P pass
    re.compile(r"\b((?:zip|unzip|7z|7za|7zz|rar|unrar|zipcloak)\b[^\n;&|]*?\s-[Pp]\s*)([^\s-]\S*)"),
    # openssl -passin pass:X, -pass pass:X
    re.compile(r"(-pass(?:in|out)?\s+pass:)(\S+)"),
    # .netrc: machine HOST login USER password PASS
    re.compile(r"(?im)(\b(?:machine|default)\b[^\n]*?\bpassword\s+)(\S+)"),
    re.compile(r"(?im)^(\s*password\s+)(\S+)"),
    # docker config.json: "auth": "base64(user:pass)", "identitytoken": "..."
    re.compile(r"(?i)(\"(?:auth|identitytoken|registrytoken)\"\s*:\s*)(\"[^\"\n]+\")"),
    # NAME_KEY=, DB_PW=, APP_SECRET=, SOME_AUTH= assignments (env files, exports)
    re.compile(
        r"(\b[A-Za-z][A-Za-z0-9_]*_(?:KEY|PW|PWD|PASS|SECRET|TOKEN|AUTH|CREDENTIALS?|DSN)"
        r"\s*[=:]\s*)" + r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s'\";&|,}]+)"
    ),
    # mysql -pSECRET (a value glued to -p), mysql --password=...
    re.compile(r"\b((?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)\b[^\n;&|]*?\s-p)(\S+)"),
    # sshpass -p X, docker/podman/helm login -p X, redis-cli -a X
    re.compile(
        r"\b((?:sshpass|(?:docker|podman|nerdctl|buildah)\s+login|helm\s+registry\s+login)\b"
        r"[^\n;&|]*?\s-p\s*)(\S+)"
    ),
    re.compile(r"\b(redis-cli\b[^\n;&|]*?\s-a\s+)(\S+)"),
    # --password X, --token=X, --api-key X, --client-secret X
    re.compile(rf"(?i)(--[\w-]*{_NAME}[\w-]*(?:=|\s+))" + _VALUE),
    # "password": "x" in JSON
    re.compile(rf"(?i)(\"[\w.-]*{_NAME}[\w.-]*\"\s*:\s*)(\"(?:[^\"\\\n]|\\.)*\")"),
    # password=x, PASSWORD: x, export GITHUB_TOKEN=x, secret_key: x (env, YAML, INI, query)
    re.compile(rf"(?i)(\b[\w.-]*{_NAME}[\w.-]*\s*[=:]\s*)" + _VALUE),
]


def redact(text: str) -> str:
    if "\0" in text:
        # NUL-separated arguments (`/proc/PID/cmdline`, `find -print0`): read as spaces, so
        # `--password\0x` is seen as `--password x`; kept as they were when nothing is masked
        spaced = redact(text.replace("\0", " "))
        return text if spaced == text.replace("\0", " ") else spaced
    for pat in _TOKENS:
        text = pat.sub(MASK, text)
    for pat in _CONTEXT:
        text = pat.sub(_masked, text)
    return text


def redact_obj(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [redact_obj(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_obj(v) for k, v in value.items()}
    return value


_SECRET_NAME = re.compile(r"(?i)(pass|secret|token|key|auth|credential|cookie|session|private)")


def is_secret_name(name: str) -> bool:
    return bool(_SECRET_NAME.search(name))


_CANDIDATE = re.compile(r"[A-Za-z0-9+/_=.-]{24,}")


def _random_looking(word: str) -> bool:
    """A long word of mixed letters and digits with high entropy: a key nobody named."""
    word = word.strip("=.-_")
    if len(word) < 24 or "/" in word.strip("/") and word.count("/") > 2:
        return False
    classes = sum(bool(re.search(p, word)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    if classes < 3 and not (classes == 2 and re.search(r"[0-9]", word) and len(word) >= 32):
        return False
    counts = {c: word.count(c) for c in set(word)}
    entropy = -sum(n / len(word) * math.log2(n / len(word)) for n in counts.values())
    return entropy >= 4.0


def holds_secret(text: str) -> bool:
    """Whether `text` holds a secret: one the redactor knows, or a random-looking key."""
    return redact(text) != text or any(
        _random_looking(m.group(0)) for m in _CANDIDATE.finditer(text)
    )
