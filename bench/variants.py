"""Variants of `i` the benchmark can compare (`--variant NAME`), kept so every one stays measurable.

A variant swaps the system prompt, turns verification off and/or changes how many bank
examples (intent/turn/examples.py) go into the user message; the default is `i` as shipped.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    system_prompt: str | None  # None: the shipped prompt
    verify: bool
    note: str
    examples: int | None = None  # bank examples per request; None: as shipped
    peek: bool = True  # first lines of the data files a request names, in its context
    trial: bool = True  # the command tried on a throwaway copy before it is shown (issue 25)


# The system prompt before issue 13 (prompt version 3), as the "today" reference.
PROMPT_V3 = """\
You turn a user's request into one shell command for their machine. Reply with exactly one JSON object.

Reply shapes (choose one):
- {"command":"...","description":"...","risk":R,"expected_runtime":T,"confidence":C}
- {"script":{"interpreter":"python3|node|ruby|perl|bash|sh","body":"..."},"description":"...","risk":R,"expected_runtime":T,"confidence":C}
- {"tool_call":{"name":TOOL,"arguments":{...}}} to look at the machine first (read-only)
- {"stdout_to_user":"..."} to answer a question that needs no command
- {"clarifying_question":"..."} only when no reasonable default exists
- {"refusal_reason":"..."} when the request is harmful

R (risk): "safe" only reads; "network" uses the network; "mutates" changes files or state; "destructive" deletes or overwrites data; "sudo" needs root.
T: "instant", "seconds", "minutes" or "long". C (confidence): "low", "medium" or "high".

Rules:
- Prefer one short command built from the utilities listed in the context; use a script only when a command would be unreadable.
- Pick sensible defaults instead of asking: the current directory is "." and the user's home is "~".
- The command must run as written: complete quoting, every find -exec ends with \\; or +.
- Never invent file names: use a tool call to look when it matters.
- Keep "description" to one short sentence. Rate risk honestly; a guard checks it.

Tools (arguments in parentheses):
list_dir(path), read_file(path), head_file(path, lines), stat(path), which(name), help(name), grep(pattern, path), find_files(pattern, path), env_get(name), cwd(), os_info(), git_status(), ask_user(question)

Examples:
Request: find large files
{"command":"find . -type f -size +100M -exec ls -lh {} +","description":"Lists files over 100 MB below the current folder.","risk":"safe","expected_runtime":"seconds","confidence":"high"}
Request: show disk usage of this folder
{"command":"du -sh .","description":"Total size of the current folder.","risk":"safe","expected_runtime":"seconds","confidence":"high"}
Request: which process uses port 3000
{"command":"lsof -i :3000","description":"Shows the process listening on port 3000.","risk":"safe","expected_runtime":"instant","confidence":"high"}
Request: delete all .pyc files below here
{"command":"find . -name '*.pyc' -delete","description":"Deletes compiled Python files below the current folder.","risk":"destructive","expected_runtime":"seconds","confidence":"high"}
Request: search my home for notes mentioning invoice
{"command":"grep -rl invoice ~/notes","description":"Lists files under ~/notes that mention invoice.","risk":"safe","expected_runtime":"seconds","confidence":"medium"}
Request: what does the Makefile build?
{"tool_call":{"name":"read_file","arguments":{"path":"Makefile"}}}
Request: what is a symlink?
{"stdout_to_user":"A symbolic link is a file that points to another path."}
"""


def _with_word_rules() -> str:
    """The shipped system prompt with one more rule: what common words of a request fix
    (read once into the KV snapshot; nothing per request)."""
    from intent.turn import prompt as prompt_mod

    rule = (
        "- Honour what the words fix: only here/not in subfolders: -maxdepth 1; the word: grep -w; "
        "any case: grep -i, find -iname; older than: -mtime +; in the last: -mtime - (hours: -mmin); "
        "no header: skip line 1; keep the original: -k; which files: names only; mention/contain: "
        "grep the text; called/named: find -name; a .json file: jq.\n"
    )
    anchor = "- Never invent file names"
    return prompt_mod.SYSTEM_PROMPT.replace(anchor, rule + anchor, 1)


def _bank_in_system() -> str:
    """The shipped system prompt with the whole bank after its examples: read once into the
    KV snapshot instead of three lines per request."""
    from intent.turn import examples
    from intent.turn import prompt as prompt_mod

    lines = "\n".join(e.render() for e in examples.BANK)
    return f"{prompt_mod.SYSTEM_PROMPT}\nMore requests and their commands:\n{lines}\n"


VARIANTS = {
    v.name: v
    for v in (
        Variant("shipped", None, True, "as shipped (prompt v10: the command as a fenced line)"),
        Variant(
            "today",
            PROMPT_V3,
            False,
            "prompt v3, no verification: i before issue 13",
            examples=0,
            peek=False,
            trial=False,
        ),
        Variant("noverify", None, False, "prompt v7 and bank examples, no verification"),
        Variant(
            "nobank", None, True, "no bank examples per request (as shipped since issue 25)", 0
        ),
        Variant("bank3", None, True, "3 bank examples per request (shipped until issue 25)", 3),
        Variant("bank2", None, True, "2 bank examples per request", 2),
        Variant("nopeek", None, True, "as shipped, no first lines of data files", peek=False),
        Variant("notrial", None, True, "as shipped, no trial run on a copy", trial=False),
        Variant("wordrules", _with_word_rules(), True, "a rule line on what common words fix"),
        Variant(
            "banksys",
            _bank_in_system(),
            True,
            "the whole bank in the cached system prompt, none per request",
            examples=0,
        ),
    )
}
