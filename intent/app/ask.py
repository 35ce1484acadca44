"""The ask use case: one request, from the prompt to a settled `Turn`, as named steps.

    build    the backend, the model, the answer cache and the request's context
    propose  the model's answer (or the cache's), guarded, shown through the `Screen`
    settle   confirmation friction, the audit line before the run, the run (confined when it
             runs unasked)
    finish   the backend stopped, the turn's last audit line

Nothing here prints or reads the keyboard: what the user sees and answers goes through the
`Screen` the caller passes in (the CLI's is `cli/ask.TerminalScreen`). Every error ends up in the
`Turn` (`Turn.fail`), so the audit record and the `--json` envelope say what happened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from intent import safety, trial
from intent.app import wiring
from intent.app.turn import Timings, Turn
from intent.errors import (
    AuditFailed,
    BackendUnavailable,
    IntentError,
    Interrupted,
    InvalidReply,
    Refused,
    UsageError,
)
from intent.explain.lookup import Docs
from intent.models import catalog
from intent.reply.types import Reply
from intent.run import audit, handoff
from intent.run.settle import Decision, Mode, Reviser, Settled, check_sandbox, settle_proposal
from intent.settings import paths, trust
from intent.settings.config import Config
from intent.turn import cache, engine, tools
from intent.turn import prompt as prompt_mod


def _no_stdin() -> bytes | None:
    return None


@dataclass(frozen=True)
class Request:
    """One `i "…"` call: the prompt and the flags that shape it (cli/app.py parses them), and
    what the terminal says (cli/ask.py adds it)."""

    prompt: str
    yes: bool = False
    dry: bool = False
    json: bool = False
    raw: bool = False
    quiet: bool = False
    explain: bool = False
    no_cache: bool = False
    no_snapshot: bool = False
    context: tuple[str, ...] = ()  # --context KEY=VALUE, as typed (build() parses them)
    model: str | None = None
    backend: str | None = None
    timeout: int | None = None
    sandbox: bool = False
    ro: bool = False
    verbose: bool = False
    history: list[dict[str, str]] | None = None
    # piped stdin, capped: read by build() once the flags are known to be good
    read_stdin: Callable[[], bytes | None] = _no_stdin
    tty: bool = False  # stdin and stderr are a terminal: the user can be asked
    # INTENT_HANDOFF(_SHELL) from the shell function (`i shell-init`): its private channel
    shell_channel: dict[str, str] = field(default_factory=dict)


class Screen(Protocol):
    """What the use case shows and asks; the CLI renders it, tests may record it."""

    def note(self, line: str) -> None: ...
    def waiting(self, line: str) -> None: ...  # a busy remote server is being waited out
    def ask_user(self, question: str) -> str | None: ...  # the model's ask_user tool
    def watch(self, text: str) -> None: ...  # the reply as it streams (the preview)
    def drive(
        self, gen: Generator[engine.Event, None, engine.Proposal], label: str
    ) -> engine.Proposal: ...
    def proposal(self, proposal: engine.Proposal, *, cached: bool) -> None: ...
    def confirm(self, proposal: engine.Proposal) -> Decision: ...
    def offer_unconfined(self, proposal: engine.Proposal) -> bool: ...
    def revised(self, revised: engine.Proposal | None, error: IntentError | None) -> None: ...
    def simulated(self, text: str) -> None: ...  # the mock's answer, model text
    def stage(self, label: str) -> None: ...  # what start-up is waiting for (the spinner)
    def first_use(
        self, choice: wiring.Choice, *, tty: bool, resolve: Callable[[], wiring.Choice]
    ) -> wiring.Choice: ...  # nothing installed: offer `i init` (or say how), then answer


@dataclass
class Asked:
    """The use case's result: the turn, and what the CLI needs to render the end of it."""

    turn: Turn
    proposal: engine.Proposal | None = None
    settled: Settled | None = None
    timeout: float | None = None
    error: IntentError | None = None  # why the turn failed (also in turn.failure)
    bug: Exception | None = None  # an internal error's exception, for the traceback under -v


class Ask:
    def __init__(
        self,
        request: Request,
        screen: Screen,
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.request = request
        self.screen = screen
        self.cwd = cwd or Path.cwd()
        self.env = dict(os.environ) if env is None else env
        self.paths = paths.resolve(self.env)
        self.turn = Turn(request.prompt, str(self.cwd))
        self.result = Asked(self.turn)
        self.backend: Any = None
        self.audit_broken = False
        # set by build()
        self.config: Config
        self.mode: Mode
        self.answer_cache: cache.AnswerCache | None = None
        self.hit: Reply | None = None
        self.ctx: prompt_mod.RequestContext
        self.guard_ctx: safety.Context
        self.engine: engine.Engine
        self.channel: handoff.Channel | None = None

    def run(self) -> Asked:
        started = time.monotonic()
        try:
            self.build()
            proposal = self.propose()
            self.settle(proposal)
        except KeyboardInterrupt:
            self._fail(Interrupted("interrupted."))
        except RecursionError:  # JSON nested beyond Python's parser, from any backend
            self._fail(
                InvalidReply(
                    "the model's reply is nested too deeply to be a valid answer.",
                    hint="Try again, or try a larger model (`i model list`).",
                )
            )
        except IntentError as exc:
            self._fail(exc)
        except Exception as exc:  # a bug: still one line and the JSON object
            self.result.bug = exc
            self._fail(IntentError(f"internal error: {type(exc).__name__}: {exc}"))
        finally:
            self.finish(started)
        return self.result

    def _fail(self, exc: IntentError) -> None:
        self.turn.fail(exc)
        self.result.error = exc

    # -- the steps ------------------------------------------------------------------------

    def build(self) -> None:
        """The backend and model (and why), the answer cache, the context of the request."""
        r, turn = self.request, self.turn
        extra = parse_context(r.context)
        stdin = r.read_stdin()
        if not r.prompt.strip():
            raise UsageError('no prompt given; try: i "find large files"')
        self.config = config = Config(self.paths.config_file)
        timeout = r.timeout if r.timeout is not None else config.get("timeout")
        self.result.timeout = timeout
        self.mode = Mode(
            yes=r.yes,
            dry=r.dry,
            raw=r.raw,
            explain=r.explain,
            tty=r.tty,
            sandbox=r.sandbox,
            read_only=r.ro,
            timeout=timeout,
            capture_stdout=r.json,
            stdin_data=stdin,
            confine=config.get("confine"),
        )
        check_sandbox(self.mode)
        if r.tty and not (self.mode.never_runs or r.json or r.sandbox or r.ro):
            # the shell function takes what may run in the user's shell (run/handoff.py)
            self.channel = handoff.Channel.from_env(r.shell_channel, turn.id, r.prompt)
        if r.model and catalog.looks_like_path(r.model):
            catalog.require_gguf_path(r.model)  # a typo is a usage error, not a missing model
        choice = wiring.resolve_backend(r.backend, self.paths, config, self.env, model_flag=r.model)
        turn.backend, turn.backend_source = choice.backend, choice.source
        # nothing to answer with: offered once on a terminal, else exit 3 (never the mock)
        choice = self.screen.first_use(
            choice,
            tty=r.tty and not r.json,
            resolve=lambda: wiring.resolve_backend(
                r.backend, self.paths, config, self.env, model_flag=r.model
            ),
        )
        turn.backend, turn.backend_source = choice.backend, choice.source
        if r.verbose:
            self.screen.note(f"backend: {choice.backend} ({choice.source})")
        self.backend, turn.model = wiring.build_backend(
            choice,
            self.paths,
            config,
            self.env,
            model_flag=r.model,
            snapshots=not r.no_snapshot,
            progress=None if r.quiet else self.screen.waiting,
            stage=self.screen.stage,
        )
        stdin_text = stdin.decode(errors="replace") if stdin else ""
        if (
            config.get("answer_cache")
            and not r.no_cache
            and not r.history
            and self.backend.cacheable
        ):
            key = cache.key(r.prompt, self.cwd, turn.model, extra, stdin_text)
            self.answer_cache = cache.AnswerCache(self.paths.answers_dir, key)
        self.hit = self.answer_cache.get() if self.answer_cache is not None else None
        if self.hit is None:
            # the model loads while the context is gathered (measured: ~0.1 s sooner on 2
            # cores now that httpx is imported after the spawn)
            self.backend.prestart()
        rc_text, rc_untrusted = trust.read_rc(self.paths, self.cwd)
        if rc_untrusted and (r.verbose or (r.tty and not r.quiet)):
            self.screen.note("i: ignoring ./.intentrc (not trusted); run `i trust` to use it")
        self.ctx = prompt_mod.gather(
            self.cwd,
            extra=extra,
            stdin_text=stdin_text,
            git_status=tools.git_summary(self.cwd),
            intentrc=rc_text,
        )
        cwd = self.cwd
        self.guard_ctx = safety.Context(
            cwd=str(cwd),
            home=str(Path.home()),
            exists=lambda t: (cwd / os.path.expanduser(t)).exists(),
        )
        self.engine = engine.Engine(
            self.backend,
            tools.Toolbox(cwd, ask=self.screen.ask_user if r.tty else None),
            max_tool_steps=config.get("max_tool_steps"),
            max_tokens=config.get("max_tokens"),
            context_tokens=wiring.context_tokens(self.backend, config),
            guard_context=self.guard_ctx,
            watch=self.screen.watch,
            docs=Docs(self.paths.cache_dir),
        )
        if config.get("trial"):
            piped = bool(stdin)
            self.engine.trial = lambda command, verdict: trial.run(
                command, cwd, verdict, stdin=piped
            )

    def propose(self) -> engine.Proposal:
        """The answer, from the cache (guarded again) or the model, shown with its risk."""
        r, turn = self.request, self.turn
        if self.hit is not None:
            if r.verbose:
                self.screen.note("answer cache: hit (re-guarded)")
            proposal, cached = engine.proposal_for(self.hit, self.guard_ctx), True
            if proposal.kind == "command" and proposal.verdict is not None:
                proposal.trial = self.engine.tried(str(proposal.command_text), proposal.verdict)
        else:
            proposal = self.screen.drive(
                self.engine.run(r.prompt, self.ctx, r.history), "asking the model…"
            )
            cached = False
            if (
                self.answer_cache is not None
                and proposal.kind in ("command", "script")
                and not proposal.tool_steps
            ):
                self.answer_cache.put(proposal.reply)
        self.result.proposal = proposal
        turn.proposed, turn.cached = True, cached
        if (answered := wiring.answered_by(self.backend)) is not None:  # after a failover
            turn.backend, turn.backend_source, turn.model = answered
            if r.verbose:
                self.screen.note(f"backend: {answered[0]} ({answered[1]})")
        turn.response, turn.risk = proposal.reply, proposal.risk
        turn.timings = Timings(self.backend.startup_ms, proposal.model_ms, proposal.tool_steps)
        if proposal.trial is not None:
            turn.trial = proposal.trial.as_json()
            if r.verbose:
                self.screen.note(f"trial: {proposal.trial.said()}")
        if proposal.verdict is not None:
            turn.guard = {
                "hard_reject": proposal.verdict.hard_reject,
                "actions": proposal.actions,
                "reasons": proposal.verdict.reasons,
            }
        for line in self.backend.notes:
            self.screen.note(line)
        if not (r.json or r.raw) and proposal.kind in ("command", "script"):
            self.screen.proposal(proposal, cached=cached)
        return proposal

    def settle(self, proposal: engine.Proposal) -> None:
        """Friction by risk, the audit line before the run, the run; the turn says how."""
        turn = self.turn
        settled = settle_proposal(
            proposal,
            self.mode,
            self.screen.confirm,
            self.guard_ctx,
            self.cwd,
            record=self._record_before_run(proposal),
            revise=self._reviser(),
            # the server stays warm while the prompt waits (for `r`); the model is freed
            # before the user's command runs
            release=self.backend.close,
            notify=self.screen.note,
            offer=self.screen.offer_unconfined,
            record_event=turn.events.append,
            hand_off=self.channel,
        )
        self.result.settled = settled
        turn.settled, turn.confined = True, settled.confined
        if self.channel is not None and self.channel.place is not None:
            self._handed(self.channel, self.channel.place, settled, proposal.kind)
        if settled.decision in ("edited", "revised"):
            turn.response, turn.risk = proposal.reply, proposal.risk
        if settled.decision == "simulated":
            if not self.request.json and proposal.kind == "inform":
                self.screen.simulated(proposal.reply["stdout_to_user"])
            raise BackendUnavailable(
                "this answer is simulated: no local model or runtime is installed.",
                hint="Run `i init` (or `i runtime install` and `i model pull`).",
            )
        turn.decision, turn.status, turn.exit_code = (
            settled.decision,
            settled.status,
            settled.exit_code,
        )
        turn.executed_command, turn.command_known = settled.executed_command, True
        turn.outcome = settled.outcome

    def finish(self, started: float) -> None:
        """The backend stopped on every path, and the turn's last audit line."""
        if self.backend is not None:
            self.backend.close()
        turn = self.turn
        turn.total_s = round(time.monotonic() - started, 3)
        if turn.exit_code is None:
            turn.exit_code = turn.failure.exit_code if turn.failure is not None else 1
        try:
            audit.append(self.paths.audit_log, turn.record())
        except AuditFailed as exc:
            if not self.audit_broken:
                self.screen.note(f"i: {exc.message.replace('; nothing was run.', '.')} {exc.hint}")

    # -- what settle calls back -----------------------------------------------------------

    def _handed(
        self, channel: handoff.Channel, place: handoff.Place, settled: Settled, kind: str
    ) -> None:
        """Say where the command ran (under -v). A command that ran here still goes to the
        shell's history, so Up-arrow recalls it either way (a script's body is not a line)."""
        if self.request.verbose:
            self.screen.note(f"i: {place.reason}")
        if settled.status == "handed":
            self.turn.ran_in = channel.shell
        elif settled.status == "executed" and settled.executed_command and kind == "command":
            channel.ran(settled.executed_command)

    def _record_before_run(self, proposal: engine.Proposal) -> Callable[[str, str], None]:
        def record(decision: str, command: str) -> None:
            turn = self.turn
            turn.decision, turn.executed_command, turn.command_known = decision, command, True
            turn.response = proposal.reply
            try:
                audit.append(self.paths.audit_log, turn.started_record())
            except AuditFailed:
                self.audit_broken = True  # reported once, as the turn's error
                raise

        return record

    def _reviser(self) -> Reviser:
        def revise(current: engine.Proposal, feedback: str) -> engine.Proposal | None:
            self.turn.revisions.append(feedback)
            eng = self.engine
            if self.turn.cached:  # a cached answer has no conversation on a server yet
                eng.messages = eng.messages or messages_for(
                    self.request.prompt, self.ctx, self.request.history
                )
            try:
                revised = self.screen.drive(eng.revise(current, feedback), "revising…")
            except (InvalidReply, Refused) as exc:
                self.screen.revised(None, exc)
                return None
            self.screen.revised(revised, None)
            return revised if revised.kind in ("command", "script") else None

        return revise


def parse_context(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--context KEY=VALUE` pairs as the request's extra context."""
    out = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--context takes KEY=VALUE, not {pair!r}")
        out[key.strip()] = value
    return out


def messages_for(
    prompt_text: str, ctx: prompt_mod.RequestContext, history: list[dict[str, str]] | None
) -> list[dict[str, str]]:
    return [
        {"role": "system", "content": prompt_mod.system_message(ctx)},
        *(history or []),
        {"role": "user", "content": prompt_mod.user_message(prompt_text, ctx)},
    ]


def ask(request: Request, screen: Screen) -> Asked:
    return Ask(request, screen).run()
