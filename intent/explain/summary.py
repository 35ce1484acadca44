"""The optional one-paragraph summary of an explanation, written by a model only from the
documentation excerpts (the CLI asks for it; nothing here talks to a model)."""

from __future__ import annotations

from typing import Any

SUMMARY_SCHEMA = {
    "type": "object",
    "properties": {"summary": {"type": "string", "minLength": 1, "maxLength": 400}},
    "required": ["summary"],
    "additionalProperties": False,
}


def summary_messages(result: dict[str, Any]) -> list[dict[str, str]]:
    lines = [f"Command: {result['command']}", "Documentation excerpts:"]
    for p in result["parts"]:
        for it in p["items"]:
            if it["doc"]:
                lines.append(f"- {p['utility']} {it['token']}: {it['doc'][:300]}")
    return [
        {
            "role": "system",
            "content": "Summarise in 1 to 4 plain sentences what the command does, using only "
            "the documentation excerpts given. Do not add facts that are not in the excerpts. "
            'Reply as JSON: {"summary": "..."}',
        },
        {"role": "user", "content": "\n".join(lines)},
    ]
