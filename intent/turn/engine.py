"""The tool loop: ask the backend, run read-only tools, validate, guard.

The engine never prints and never reads stdin. It yields events the CLI may render, and
returns a `Proposal`. Confirming and running a proposal is `execute.settle`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intent import safety
from intent.backends.base import Backend
from intent.errors import BackendUnavailable, InvalidReply, Refused, ReplyNotJSON
from intent.explain.lookup import Docs
from intent.reply import schema
from intent.reply.types import Kind, Reply, kind_of
from intent.trial import Outcome as Trial
from intent.turn import copied, cronline, implied, peek, readonly, repair, verify
from intent.turn import prompt as prompt_mod
from intent.turn.tools import Toolbox
from intent.turn.verify import Problem
from intent.vocab import RISKS, Risk


@dataclass(frozen=True)
class ModelCalled:
    step: int
    ms: float
    timings: dict[str, Any]


@dataclass(frozen=True)
class ToolRan:
    name: str
    arguments: dict[str, Any]
    result: str


@dataclass(frozen=True)
class Retrying:
    error: str


@dataclass
class Proposal:
    reply: Reply
    kind: Kind  # command | script | inform | clarify | refuse (never tool_call)
    verdict: safety.Verdict | None
    risk: Risk | None
    actions: list[str] = field(default_factory=list)
    tool_steps: int = 0
    model_ms: float = 0.0
    simulated: bool = False
    timings: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what verification still found
    trial: Trial | None = None  # the command tried on a throwaway copy (intent/trial.py)

    @property
    def command_text(self) -> str | None:
        # the reply passed the schema, so these are strings
        if self.kind == "command":
            return str(self.reply["command"])
        if self.kind == "script":
            return str(self.reply["script"]["body"])
        return None


Event = ModelCalled | ToolRan | Retrying


def guard(reply: Reply, context: safety.Context) -> tuple[safety.Verdict, Risk, list[str]]:
    """Guard a command or script reply; return the verdict, the final risk and the actions."""
    if "script" in reply:
        interp = reply["script"]["interpreter"]
        body = reply["script"]["body"]
        verdict = (
            safety.assess(body, context=context)
            if interp in ("bash", "sh")  # the shells the guard can read
            else safety.Verdict(
                "mutates", False, [f"{interp} script: effects not analysed (mutates)"]
            )
        )
    else:
        verdict = safety.assess(reply["command"], context=context)
    # the schema admitted only vocab.RISKS; a fenced command claims none: the guard's rating
    claimed: Risk = reply.get("risk", verdict.risk)
    final = safety.higher(claimed, verdict.risk)
    actions = []
    if verdict.hard_reject:
        actions.append("hard_reject")
    if final != claimed:
        actions.append(f"raised risk {claimed} -> {final}")
    return verdict, final, actions


def proposal_for(reply: Reply, context: safety.Context) -> Proposal:
    """A validated reply as a proposal; commands and scripts go through the guard."""
    kind = kind_of(reply)
    proposal = Proposal(reply, kind, None, None)
    if kind in ("command", "script"):
        proposal.verdict, proposal.risk, proposal.actions = guard(reply, context)
    return proposal


@dataclass
class Engine:
    backend: Backend
    toolbox: Toolbox
    max_tool_steps: int = 8
    max_tokens: int = 384
    # the model's context (ctx_size): tool results are cut to what still fits in it
    context_tokens: int = 4096
    guard_context: safety.Context = field(default_factory=safety.Context)
    clock: Callable[[], float] = time.monotonic
    # sees each reply's text as it streams in (a fresh reply starts again from "")
    watch: Callable[[str], None] | None = None
    # the conversation so far, ending with the user's last message: what `revise` continues
    messages: list[dict[str, str]] = field(default_factory=list)
    verify: bool = True
    # the first line of the data files a request names goes into its context (`peek`)
    peek: bool = True
    docs: Docs | None = None  # local documentation for the option check; None skips it
    # tries a command on a throwaway copy of the working directory before it is shown
    # (intent/trial.py); None: no trial
    trial: Callable[[str, safety.Verdict], Trial] | None = None
    _trials: dict[str, Trial] = field(default_factory=dict)

    def run(
        self,
        request: str,
        ctx: prompt_mod.RequestContext,
        history: list[dict[str, str]] | None = None,
    ) -> Generator[Event, None, Proposal]:
        if self.peek and not ctx.peeks:
            ctx = dataclasses.replace(ctx, peeks=peek.first_lines(request, self.toolbox))
        self.messages = [
            {"role": "system", "content": prompt_mod.system_message(ctx)},
            *(history or []),
            {"role": "user", "content": prompt_mod.user_message(request, ctx)},
        ]
        # with piped input, prose about it ("summarise the errors") is a fair answer
        return (yield from self._loop(self.messages, "" if ctx.stdin_excerpt else request))

    def revise(self, proposal: Proposal, feedback: str) -> Generator[Event, None, Proposal]:
        """Ask again in the same conversation: the proposal as the model's answer (as edited,
        if the user edited it), then what the user wants changed. The backend is the one that
        answered before, so a llama-server child reuses its loaded weights and KV cache."""
        if not self.messages:
            raise ValueError("revise() needs a conversation: call run() first")
        self.messages += [
            {"role": "assistant", "content": schema.as_text(proposal.reply)},
            {"role": "user", "content": prompt_mod.revision_message(feedback)},
        ]
        return (yield from self._loop(self.messages))

    def _loop(
        self, messages: list[dict[str, str]], request: str = ""
    ) -> Generator[Event, None, Proposal]:
        """The tool loop. `request` is the user's own request, given by `run` (never read back
        out of the messages, where tool results could imitate it); empty, as for a revision,
        means a question or prose back is taken as it comes."""
        steps = 0
        model_ms = 0.0
        all_timings: list[dict[str, Any]] = []
        simulated = False
        pushed = False
        full = False  # the context holds no more tool output
        while True:
            # after the push below, or with the context full, only an action: the grammar
            # leaves no room to ask again or to call another tool
            shape = schema.ACTION_SCHEMA if pushed or full else schema.RESPONSE_SCHEMA
            reply, ms, simulated, timings = yield from self._ask_valid(messages, steps, shape)
            model_ms += ms
            all_timings.append(timings)
            if "tool_call" not in reply:
                if (
                    not self.verify
                    or pushed
                    or simulated
                    or not request
                    or not _asks_instead(reply, request)
                ):
                    break
                # a request to do something got a question or prose: once, ask for a default
                pushed = True
                yield Retrying(f"the model answered a request with {next(iter(reply))}")
                messages += [
                    {"role": "assistant", "content": schema.as_text(reply)},
                    {"role": "user", "content": _PUSH.format(request=request)},
                ]
                continue
            if steps >= self.max_tool_steps:
                raise Refused(
                    f"the model used all {self.max_tool_steps} tool steps without an answer.",
                    hint="Rephrase the request or raise `max_tool_steps` (`i config set max_tool_steps N`).",
                )
            steps += 1
            call = reply["tool_call"]
            result = self.toolbox.call(call["name"], call.get("arguments", {}))
            yield ToolRan(call["name"], call.get("arguments", {}), result)
            result = _fitted(result, self._room(messages))
            full = result == _NO_ROOM
            messages.append({"role": "assistant", "content": schema.as_text(reply)})
            messages.append(
                {
                    "role": "user",
                    "content": f"Tool result ({call['name']}):\n{result}\n\nNow answer the original request.",
                }
            )
        warnings: list[str] = []
        if self.verify and ("command" in reply or "script" in reply):
            reply, warnings, ms = yield from self._verified(reply, messages, steps, request)
            model_ms += ms
        proposal = proposal_for(reply, self.guard_context)
        proposal.warnings = warnings
        if proposal.kind == "command" and proposal.verdict is not None:
            proposal.trial = self.tried(reply["command"], proposal.verdict)
        proposal.tool_steps, proposal.model_ms = steps, model_ms
        proposal.simulated, proposal.timings = simulated, all_timings
        return proposal

    def _room(self, messages: list[dict[str, str]]) -> int:
        """Characters of tool output the context still holds, after room for a whole reply.
        Counted in UTF-8 bytes at 2.5 a token (listings and code tokenize at 3–4 characters,
        other scripts at about one per character, three bytes), so the estimate errs on the
        safe side: a request over the context is an error, not an answer."""
        budget = (self.context_tokens - self.max_tokens - 128) * 5 // 2
        used = sum(len(m["content"].encode(errors="replace")) + 16 for m in messages)
        return budget - used - 200  # the tool result's own framing

    def _verified(
        self, reply: Reply, messages: list[dict[str, str]], step: int, request: str
    ) -> Generator[Event, None, tuple[Reply, list[str], float]]:
        """The reply whose command or script passes the machine's checks, after at most one
        retry that quotes the problem; else the better of the two, with what is still wrong."""
        reply = self._repaired(reply, request)
        found = self._problems(reply, request)
        if not found:
            return reply, [], 0.0
        yield Retrying("; ".join(p.message for p in found))
        what = (
            f"The command `{reply['command']}`"
            if "command" in reply
            else f"The {reply['script']['interpreter']} script"
        )
        ask = "{} has a problem: {}.".format(
            what, "; ".join(p.message + (f"; {p.data}" if p.data else "") for p in found)
        )
        notes = "\n".join(dict.fromkeys(p.docs for p in found if p.docs))
        if notes:
            ask += f"\nLocal documentation:\n{notes}"
        ask += (
            "\nReply again with the fixed command."
            if "command" in reply
            else "\nReply again with one JSON object that fixes this."
        )
        retry_msgs = [
            *messages,
            {"role": "assistant", "content": schema.as_text(reply)},
            {"role": "user", "content": ask},
        ]
        try:
            second, ms, _, _ = yield from self._ask_valid(retry_msgs, step)
        except (InvalidReply, BackendUnavailable):
            # a retry that fails (or no longer fits the context) leaves the first answer
            return reply, [p.message for p in found], 0.0
        if "command" not in second and "script" not in second:
            return reply, [p.message for p in found], ms
        second = self._repaired(second, request)
        still = self._problems(second, request)
        # as many problems as before is no gain when the new answer is also riskier
        if len(still) < len(found) or (
            len(still) == len(found) and self._risk(second) <= self._risk(reply)
        ):
            return second, [p.message for p in still], ms
        return reply, [p.message for p in found], ms

    def _repaired(self, reply: Reply, request: str) -> Reply:
        """`reply` with every repair of its text, then those its trial makes possible."""
        return self._mended_by_trial(repair.reply(reply, request, self.guard_context), request)

    def _mended_by_trial(self, reply: Reply, request: str) -> Reply:
        """A jq command mended by what its trial shows (the trial of a command with a jq in
        it runs here, before its checks: it would run after them): `.people[]` on a file
        that is one array becomes `.[]`; output of quoted JSON strings only gets -r."""
        command = reply.get("command", "")
        if not re.search(r"(?:^|\|)\s*jq\s", command):
            return reply
        outcome = self.tried(command)
        if outcome is not None and outcome.ran and outcome.exit_code == 5:
            indexed = repair.jq_top_array(command, outcome.stderr)
            if indexed != command:
                command, outcome = indexed, self.tried(indexed)
        if outcome is None or not outcome.ran or outcome.timed_out or outcome.exit_code != 0:
            return reply
        fixed = repair.jq_raw(command, outcome.stdout, request)
        return {**reply, "command": fixed} if fixed != reply["command"] else reply

    def _risk(self, reply: Reply) -> int:
        return RISKS.index(proposal_for(reply, self.guard_context).risk or "safe")

    def _problems(self, reply: Reply, request: str) -> list[Problem]:
        if "command" in reply:
            found = verify.problems(reply["command"], self.docs, self.guard_context.cwd)
            # a missing file the request itself names is the user's premise, not a mistake:
            # asking again made the model create or list files instead
            found = [p for p in found if not _named_by(p.message, request)]
        else:
            found = verify.script_problems(reply["script"]["interpreter"], reply["script"]["body"])
        if found:
            return found
        schedule = cronline.problem(reply.get("command", ""), request)
        if schedule:
            return [Problem(schedule)]
        left_out = implied.problem(reply.get("command", ""), request) or (
            implied.folder_left_out(reply["command"], request, self._folders_named_here(request))
            or implied.file_left_out(reply["command"], self._files_named_here(request))
            if "command" in reply
            else ""
        )
        if left_out:
            return [Problem(left_out)]
        taken = (
            copied.problem(reply["command"], request, self.guard_context.cwd)
            if ("command" in reply and request)
            else ""
        )
        if taken:
            return [Problem(taken)]
        found = readonly.unasked_change(reply, request, self.guard_context)
        if found or "command" not in reply:
            return found
        outcome = self.tried(reply["command"])
        if outcome is None:
            return []
        cwd = self.guard_context.cwd or ""
        said = outcome.problem(request, lambda name: verify.elsewhere(cwd, name))
        if not said and outcome.ran and not outcome.timed_out and outcome.exit_code == 0:
            said = implied.output_problem(request, outcome.stdout)
        if said:
            return [Problem(said)]
        unchanged = self._unchanged(reply["command"], request, outcome)
        return [unchanged] if unchanged else []

    def _unchanged(self, command: str, request: str, outcome: Trial) -> Problem | None:
        """A trial that changed nothing, for a request to change something: a silent failure;
        a file the request names (one that is here), with its lines about the request as
        data; files of a kind that is here."""
        if (
            not outcome.ran
            or outcome.timed_out
            or outcome.outside
            or outcome.effect is None
            or not outcome.effect.empty
            or not implied.copy_shows(command)
        ):
            return None
        if outcome.exit_code != 0:
            # a silent failure: a message would have been said by the trial itself; a test
            # that comes out false (`grep -q foo f && sed -i …`) is no failure
            if (
                outcome.stderr.strip()
                or outcome.stdout.strip()
                or not implied.asks_to_alter(request)
                or _CONDITIONAL.search(command)
            ):
                return None
            return Problem(
                f"it failed when tried on a copy of this directory (exit {outcome.exit_code}), "
                "with no message, and changed nothing"
            )
        named = self._files_named_here(request) if implied.asks_change(request) else []
        if not named:
            return self._changed_nothing_here(command, request, outcome)
        printed = bool(outcome.stdout.strip())
        lines = [] if printed else peek.lines_about(request, named[0], self.toolbox)
        return implied.unchanged_problem(command, named[0], outcome.stdout, lines)

    def _changed_nothing_here(self, command: str, request: str, outcome: Trial) -> Problem | None:
        """A request to do something to files of a kind that is here (`.jpg` files, the
        folder `logs`) whose trial exited 0, printed nothing and changed nothing. In an
        empty directory (nothing of the kind here) nothing is the right answer."""
        if (
            outcome.stdout.strip()
            or not implied.asks_to_alter(request)
            or implied.conditional(request)
            or _CONDITIONAL.search(command)
        ):
            return None
        cwd = self.guard_context.cwd or ""
        here = [k for k in implied.kinds_named(request) if verify.has_kind(cwd, k)]
        if not here and not self._folders_named_here(request):
            return None
        what = f"the .{here[0]} files here" if here else "what is here"
        return Problem(
            f"it changed nothing when tried on a copy of this directory, and the request asks "
            f"for a change to {what}: check what it matches"
        )

    def _folders_named_here(self, request: str) -> list[str]:
        """The folders of the working directory the request points at: a word after in,
        inside, under, below or from (`in old`), or written as a folder (`src/`)."""
        cwd = self.guard_context.cwd
        if not cwd or not request:
            return []
        words = [m.group(1) or m.group(2) for m in _FOLDER_WORD.finditer(request)]
        return [
            w
            for w in dict.fromkeys(words)
            if w not in (".", "..")
            and peek.below(Path(cwd), w)
            and os.path.isdir(os.path.join(cwd, w))
        ]

    def _files_named_here(self, request: str) -> list[str]:
        """The files the request names that are in the working directory (`config.json`,
        `data/users.csv`), in the order named."""
        cwd = self.guard_context.cwd
        if not cwd:
            return []
        return [
            name
            for name in dict.fromkeys(implied.files_named(request))
            if peek.below(Path(cwd), name) and os.path.isfile(os.path.join(cwd, name))
        ]

    def tried(self, command: str, verdict: safety.Verdict | None = None) -> Trial | None:
        """The trial of `command` (one per command text and turn), or None without one."""
        if self.trial is None:
            return None
        if command not in self._trials:
            if verdict is None:
                verdict = safety.assess(command, context=self.guard_context)
            self._trials[command] = self.trial(command, verdict)
        return self._trials[command]

    def _ask_valid(
        self,
        messages: list[dict[str, str]],
        step: int,
        shape: dict[str, Any] = schema.RESPONSE_SCHEMA,
    ) -> Generator[Event, None, tuple[Reply, float, bool, dict[str, Any]]]:
        error: InvalidReply | None = None
        attempt_msgs = messages
        for attempt in range(2):
            started = self.clock()
            streaming: dict[str, Any] = (
                {"on_text": self.watch} if self.watch is not None and self.backend.streams else {}
            )
            completion = self.backend.complete(
                attempt_msgs,
                shape,
                max_tokens=self.max_tokens,
                discourage_repeats=attempt > 0,  # a runaway loop is the usual invalid reply
                **streaming,
            )
            ms = (self.clock() - started) * 1000
            yield ModelCalled(step, ms, completion.timings)
            try:
                return (
                    schema.validate(completion.text),
                    ms,
                    completion.simulated,
                    completion.timings,
                )
            except InvalidReply as exc:
                error = exc
                yield Retrying(exc.message)
                attempt_msgs = [*messages, *_correction(completion.text, exc)]
        assert error is not None
        raise InvalidReply(
            f"the model's reply was invalid twice: {error.message}",
            hint="Try again, or try a larger model (`i model list`).",
        )


_NO_ROOM = "(not shown: no room left in the context; answer now, without more tool calls)"


def _fitted(result: str, room: int) -> str:
    """The tool result cut to `room` UTF-8 bytes, saying so; a note when too little is left."""
    size = len(result.encode(errors="replace"))
    if size <= room:
        return result
    if room < 200:
        return _NO_ROOM
    kept = result.encode(errors="replace")[: room - 80].decode(errors="ignore")
    return kept + f"\n[... truncated {len(result) - len(kept)} characters]"


_PUSH = (
    "Do not ask and do not explain. Reply with the command that does this, using the names "
    "exactly as given: {request}"
)
_QUESTION_WORDS = frozenset(
    "what why how who when where which is are does do did can could should would explain".split()
)


def _asks_instead(reply: Reply, request: str) -> bool:
    """A clarifying question, or prose, for a request that is not itself a question. A
    question about facts ("what is a symlink?") may be answered in prose. The push that
    follows is held to ACTION_SCHEMA (a command, a script or a refusal)."""
    if "clarifying_question" not in reply and "stdout_to_user" not in reply:
        return False
    words = request.lower().split()
    if _WANTS_COMMAND.search(request):
        return True
    return not (request.endswith("?") or (words and words[0] in _QUESTION_WORDS))


# a question that still wants a command: "how do I …", or one about this machine, whose
# answer the model cannot know without running something ("what is my ip?", "which process
# uses port 80?")
_WANTS_COMMAND = re.compile(
    r"^\s*(?:how\s+(?:do|can|would|should)\s+i\b|how\s+to\b|what(?:'s|\s+is)?\s+(?:the\s+)?"
    r"command\b|which\s+command\b|is\s+there\s+a\s+(?:way|command)\b)"
    r"|\b(?:my|mine|here|this\s+(?:machine|computer|box|server|folder|directory|repo)|"
    r"these\s+files|the\s+current\s+(?:folder|directory))\b"
    r"|\b[\w./-]+\.\w{1,5}\b",
    re.IGNORECASE,
)


# `in old`, `under src`: a folder word; `logs/`: one written as a folder
_FOLDER_WORD = re.compile(
    r"\b(?:in|inside|under|below|beneath|within|from|into)\s+(?:the\s+)?([\w.-]+(?:/[\w-][\w.-]*)*)"
    r"(?:/\.?)?(?![\w/])"
    r"|(?<![\w./-])([\w.-]+(?:/[\w-][\w.-]*)*)/(?![\w.])",
    re.IGNORECASE,
)

# a command whose change depends on a test: changing nothing may be its right answer
_CONDITIONAL = re.compile(r"&&|\|\||\bif\b|\btest\b|\[\s|\bgrep\s+-\w*[ql]")

_NO_FILE = re.compile(r"^there is no (?:file|directory) `([^`]+)` here")


def _named_by(problem: str, request: str) -> bool:
    m = _NO_FILE.match(problem)
    if not m or not request or not re.search(r"[A-Za-z]", m.group(1)):
        return False  # `head data.csv 3`: a number taken for a file is a mistake
    if verify.ELSEWHERE in problem:
        return False  # the user's file is here, at another path
    return os.path.basename(m.group(1)).lower() in request.lower()


def _correction(text: str, error: InvalidReply) -> list[dict[str, str]]:
    """The messages that ask for a second try. A reply that is not even JSON is usually a
    runaway loop cut off by the token budget: shown back to the model, it primes the same loop,
    so only the error goes back."""
    ask = {
        "role": "user",
        "content": f"That reply was invalid: {error.message}. "
        "Reply again, short: a command alone in a ```sh block, or one JSON object.",
    }
    if isinstance(error, ReplyNotJSON):
        return [{"role": "assistant", "content": "(an invalid reply)"}, ask]
    return [{"role": "assistant", "content": text[:2000]}, ask]
