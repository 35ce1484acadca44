"""Ollama: its OpenAI-compatible API at `<host>/v1`, its own `/api/tags` for the installed models.

The host comes from `OLLAMA_HOST` (Ollama's own variable, so a user's existing setup just
works), else `ollama.base_url`. The model is checked against what is installed before the first
request, so a typo is one line naming what is there and the `ollama pull` that fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from intent.backends.openai_compat import OpenAICompat
from intent.errors import BackendUnavailable

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_MODEL = "qwen2.5-coder:1.5b"  # the catalog's default model, as Ollama names it
SETTING = "OLLAMA_HOST or ollama.base_url"


@dataclass(frozen=True)
class Installed:
    name: str
    size: int
    details: str  # "1.5B Q4_K_M"


def host_url(env: dict[str, str], configured: str) -> tuple[str, str]:
    """(the server's root URL, where it came from). `OLLAMA_HOST` may be `host`, `host:port`,
    `:port` or a URL; a bind-all address means this machine."""
    raw, source = env.get("OLLAMA_HOST", "").strip(), "OLLAMA_HOST"
    if not raw:
        raw, source = configured.strip() or DEFAULT_HOST, "ollama.base_url"
    scheme, _, rest = raw.rpartition("://")
    rest = rest.split("/", 1)[0]
    host, _, port = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if host in ("", "0.0.0.0"):  # noqa: S104 -- a server bound to all addresses, reached locally
        host = "127.0.0.1"
    return f"{scheme or 'http'}://{host}:{port or '11434'}", source


def installed(root: str, *, transport: Any = None, timeout: float = 5.0) -> list[Installed]:
    """The models `ollama list` would show; BackendUnavailable when the server does not answer."""
    import httpx

    try:
        with httpx.Client(transport=transport, timeout=timeout) as client:
            resp = client.get(root + "/api/tags")
            data = resp.json() if resp.status_code == 200 else None
    except httpx.HTTPError as exc:
        raise BackendUnavailable(
            f"Ollama does not answer at {root} ({type(exc).__name__}).",
            hint=f"Start it with `ollama serve`, or set {SETTING}.",
        ) from None
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise BackendUnavailable(
            f"{root}/api/tags did not answer like Ollama (HTTP {resp.status_code}).",
            hint=f"Check {SETTING}; for another OpenAI-compatible server use `--backend openai`.",
        )
    out = []
    for m in data["models"]:
        if isinstance(m, dict) and isinstance(m.get("name"), str):
            d: dict[str, Any] = m["details"] if isinstance(m.get("details"), dict) else {}
            details = f"{d.get('parameter_size', '')} {d.get('quantization_level', '')}".strip()
            out.append(Installed(m["name"], int(m.get("size") or 0), details))
    return out


def pick_model(wanted: str, named: bool, models: list[Installed], root: str) -> str:
    """The installed tag for `wanted` (`qwen2.5-coder` means `qwen2.5-coder:latest`)."""
    names = [m.name for m in models]
    for candidate in (wanted, f"{wanted}:latest"):
        if candidate in names:
            return candidate
    have = ", ".join(names) if names else "none"
    how = "" if named else " (no model named: set `ollama.model` or pass --model)"
    raise BackendUnavailable(
        f"Ollama at {root} has no model {wanted!r}{how}; installed: {have}.",
        hint=f"Run `ollama pull {wanted}` or choose an installed one with --model.",
    )


def make(
    root: str, model: str, named: bool, *, transport: Any = None, **options: Any
) -> OpenAICompat:
    """The backend for `model` on the Ollama server at `root`, the model checked first."""
    tag = pick_model(model, named, installed(root, transport=transport), root)
    return OpenAICompat(
        base_url=root + "/v1",
        model=tag,
        transport=transport,
        setting=SETTING,
        name="ollama",
        **options,
    )
