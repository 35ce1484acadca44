"""A request only to look at something, answered with a command that changes files.

"print app.log with ERROR replaced by ALERT" got `sed -i 's/ERROR/ALERT/g' app.log`: the guard
rates it `mutates` and the user would be asked, but the answer is still wrong, and a user who
only wanted to look might confirm it without reading. The engine spends one retry on it.
"""

from __future__ import annotations

import re
from typing import Any

from intent.guard import walk as safety
from intent.turn.verify import Problem

# a request that starts with one of these asks to see something ...
_SHOW_WORDS = frozenset("print show display list count find which what how compute".split())
# ... unless it also asks for a change
_CHANGE_WORDS = re.compile(
    r"\b(?:delete|remove|rm|move|rename|copy|edit|editing|change|compress|gzip|zip|tar|extract|"
    r"unpack|write|save|store|create|make|kill|stop|install|set|add|update|fix|clean|truncate|"
    r"overwrite|sort them|into|in[ -]place|to a file)\b",
    re.IGNORECASE,
)


def unasked_change(reply: dict[str, Any], request: str, context: safety.Context) -> list[Problem]:
    """A request only to see something ("print app.log with ERROR replaced by ALERT") answered
    with a command the guard rates as changing files (`sed -i`): worth one retry, since
    running it would change what the user only wanted to look at."""
    words = request.lower().split()
    if not words or words[0] not in _SHOW_WORDS or _CHANGE_WORDS.search(request):
        return []
    if "script" in reply and reply["script"]["interpreter"] not in ("bash", "sh"):
        return []
    text = reply["command"] if "command" in reply else reply["script"]["body"]
    verdict = safety.assess(text, context=context)
    if verdict.risk not in ("mutates", "destructive"):
        return []
    why = f" ({verdict.reasons[0]})" if verdict.reasons else ""
    return [
        Problem(
            f"the request asks only to {words[0]} something, and this changes files{why}: "
            "show the result without changing any file"
        )
    ]
