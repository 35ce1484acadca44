"""A request only to look at something, answered with a command that changes files.

"print app.log with ERROR replaced by ALERT" got `sed -i 's/ERROR/ALERT/g' app.log`: the guard
rates it `mutates` and the user would be asked, but the answer is still wrong, and a user who
only wanted to look might confirm it without reading. A lone `sed -i` is repaired (the -i
dropped); anything else costs the engine one retry.
"""

from __future__ import annotations

import re

from intent import safety
from intent.reply.types import Reply
from intent.turn.verify import Problem

# a request that starts with one of these asks to see something ...
_SHOW_WORDS = frozenset("print show display list count find which what how compute".split())
# ... unless it also asks for a change
_CHANGE_WORDS = re.compile(
    r"\b(?:delete|remove|rm|rmdir|move|rename|copy|edit|editing|change|compress|gzip|zip|tar|"
    r"extract|unpack|archive|write|save|store|create|make|mkdir|touch|link|kill|stop|install|"
    r"set|add|append|replace|update|fix|clean|truncate|overwrite|chmod|chown|chgrp|into|"
    r"in[ -]place|to a file)\b"
    # "find the .sh files and chmod +x them": a second verb acting on what was found
    r"|\band\s+(?:then\s+)?\S+(?:\s+\S+)?\s+(?:them|it|each|all of them)\b",
    re.IGNORECASE,
)


# `sed -i 's/a/b/' FILE`: the edit in place of a request to print the edited text
_SED_IN_PLACE = re.compile(r"^sed\s+(?:-i|--in-place)\s+(?=['\"-])")


def asks_only_to_look(request: str) -> bool:
    words = request.lower().split()
    return bool(words) and words[0] in _SHOW_WORDS and not _CHANGE_WORDS.search(request)


def repaired(reply: Reply, request: str, context: safety.Context) -> Reply:
    """A request to print something answered with `sed -i` (the model's habit): the same sed
    without -i prints what was asked and changes nothing. Only a lone sed command, and only
    when the result is rated read-only."""
    command = reply.get("command")
    if not command or not asks_only_to_look(request) or not _SED_IN_PLACE.match(command):
        return reply
    fixed = _SED_IN_PLACE.sub("sed ", command, count=1)
    if safety.assess(fixed, context=context).risk != "safe":
        return reply
    return {**reply, "command": fixed}


def unasked_change(reply: Reply, request: str, context: safety.Context) -> list[Problem]:
    """A request only to see something ("print app.log with ERROR replaced by ALERT") answered
    with a command the guard rates as changing files (`sed -i`): worth one retry, since
    running it would change what the user only wanted to look at."""
    if not asks_only_to_look(request):
        return []
    words = request.lower().split()
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
