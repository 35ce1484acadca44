"""The answer cache: an identical request in the same context reuses the model's answer.

Only command and script answers are stored (never `inform`, which may be time-sensitive), and
every hit goes through the guard again before anything is shown or run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import time
from pathlib import Path

from intent.reply.types import Reply
from intent.turn import gitstate, prompt

TTL_S = 7 * 24 * 3600


def _git_remote(cwd: Path) -> str:
    return gitstate.remote_url(cwd)  # read from .git/config: git itself would run repo config


def key(request: str, cwd: Path, model: str, context: dict[str, str], stdin_text: str) -> str:
    try:
        st = cwd.stat()
        ident = f"{cwd}:{st.st_dev}:{st.st_ino}"
    except OSError:
        ident = str(cwd)
    material = json.dumps(
        {
            "prompt": " ".join(request.lower().split()),
            "cwd": ident,
            "remote": _git_remote(cwd),
            "os": f"{platform.system()} {platform.machine()}",
            "model": model,
            "prompt_version": prompt.PROMPT_VERSION,
            "system": prompt.system_prompt_hash(),
            "context": sorted(context.items()),
            "stdin": hashlib.sha256(stdin_text.encode()).hexdigest(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()


class AnswerCache:
    def __init__(self, directory: Path, key: str) -> None:
        self.file = directory / f"{key}.json"

    def get(self) -> Reply | None:
        try:
            data = json.loads(self.file.read_text())
        except (OSError, ValueError):
            return None
        if time.time() - data.get("saved", 0) > TTL_S or not isinstance(data.get("reply"), dict):
            return None
        from intent.reply import schema

        try:
            return schema.validate(data["reply"])
        except Exception:  # a stale or edited entry is simply a miss
            return None

    def put(self, reply: Reply) -> None:
        """Store a reply, private to the user. A reply holding a secret is not stored at all,
        known format or not (a random-looking key counts): a redacted copy would come back as a
        different (broken) command, and the cache is a file that outlives the turn."""
        from intent.redact import holds_secret, redact_obj

        if redact_obj(reply) != reply or holds_secret(json.dumps(reply, ensure_ascii=False)):
            return
        directory = self.file.parent
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        if directory.stat().st_mode & 0o077:
            directory.chmod(0o700)
        tmp = self.file.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(json.dumps({"saved": time.time(), "reply": reply}))
        os.replace(tmp, self.file)
