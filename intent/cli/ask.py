"""Natural-language mode: propose, guard, confirm, run, audit."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from intent.app import wiring
from intent.app.turn import Timings, Turn
from intent.cli import conversation, render
from intent.errors import (
    AuditFailed,
    BackendUnavailable,
    IntentError,
    Interrupted,
    InvalidReply,
    UsageError,
)
from intent.explain.lookup import Docs
from intent.guard import walk as safety
from intent.models import catalog as models
from intent.run import audit
from intent.run import settle as execute
from intent.settings import paths, trust
from intent.settings.config import Config
from intent.turn import cache, engine, tools
from intent.turn import prompt as prompt_mod

STDIN_CAP = 1 << 20


@dataclass
class AskOptions:
    yes: bool = False
    dry: bool = False
    json: bool = False
    raw: bool = False
    quiet: bool = False
    explain: bool = False
    no_cache: bool = False
    no_snapshot: bool = False
    context: list[str] = field(default_factory=list)
    model: str | None = None
    backend: str | None = None
    timeout: int | None = None
    sandbox: bool = False
    ro: bool = False
    verbose: bool = False


def parse_context(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, eq, value = pair.partition("=")
        if not eq or not key.strip():
            raise UsageError(f"--context takes KEY=VALUE, not {pair!r}")
        out[key.strip()] = value
    return out


def read_piped_stdin() -> bytes | None:
    """Piped or redirected stdin (a pipe or a file), capped; a terminal or a socket is not read."""
    import stat

    try:
        if sys.stdin is None or sys.stdin.isatty():
            return None
        mode = os.fstat(sys.stdin.fileno()).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISREG(mode)):
            return None
        return sys.stdin.buffer.read(STDIN_CAP)
    except (OSError, ValueError, AttributeError):
        return None


def run(prompt_text: str, opts: AskOptions, *, history: list[dict[str, str]] | None = None) -> int:
    started = time.monotonic()
    cwd = Path.cwd()
    env = dict(os.environ)
    p = paths.resolve(env)
    turn = Turn(prompt_text, str(cwd))
    backend = None
    code = 1
    audit_broken: list[bool] = []
    try:
        if not prompt_text.strip():
            raise UsageError('no prompt given; try: i "find large files"')
        config = Config(p.config_file)
        extra = parse_context(opts.context)
        piped = read_piped_stdin()
        tty = sys.stdin.isatty() and sys.stderr.isatty() if sys.stdin else False
        timeout = opts.timeout if opts.timeout is not None else config.get("timeout")
        mode = execute.Mode(
            yes=opts.yes,
            dry=opts.dry,
            raw=opts.raw,
            explain=opts.explain,
            tty=tty,
            sandbox=opts.sandbox,
            read_only=opts.ro,
            timeout=timeout,
            capture_stdout=opts.json,
            stdin_data=piped,
        )
        execute.check_sandbox(mode)
        if opts.model and models.looks_like_path(opts.model):
            models.require_gguf_path(opts.model)  # a typo is a usage error, not a missing model
        choice = wiring.resolve_backend(opts.backend, p, config, env, model_flag=opts.model)
        turn.backend, turn.backend_source = choice.backend, choice.source
        choice = conversation.first_use(
            choice,
            tty=tty and not opts.json,
            resolve=lambda: wiring.resolve_backend(opts.backend, p, config, env, opts.model),
        )
        turn.backend, turn.backend_source = choice.backend, choice.source
        if opts.verbose:
            render.note(f"backend: {choice.backend} ({choice.source})")
        backend, model_id = wiring.build_backend(
            choice,
            p,
            config,
            env,
            model_flag=opts.model,
            snapshots=not opts.no_snapshot,
            progress=None if opts.quiet else _waiting,
            stage=render.stage,
        )
        turn.model = model_id
        stdin_text = piped.decode(errors="replace") if piped else ""
        answer_cache = None
        if config.get("answer_cache") and not opts.no_cache and not history and backend.cacheable:
            answer_cache = cache.AnswerCache(
                p.answers_dir, cache.key(prompt_text, cwd, model_id, extra, stdin_text)
            )
        hit = answer_cache.get() if answer_cache is not None else None
        if hit is None:
            # the model loads while the context is gathered (measured: ~0.1 s sooner on 2 cores
            # now that httpx is imported after the spawn)
            backend.prestart()
        rc_text, rc_untrusted = trust.read_rc(p, cwd)
        if rc_untrusted and (opts.verbose or (tty and not opts.quiet)):
            render.note("i: ignoring ./.intentrc (not trusted); run `i trust` to use it")
        ctx = prompt_mod.gather(
            cwd,
            extra=extra,
            stdin_text=stdin_text,
            git_status=tools.git_summary(cwd),
            intentrc=rc_text,
        )
        guard_ctx = safety.Context(
            cwd=str(cwd),
            home=str(Path.home()),
            exists=lambda t: (cwd / os.path.expanduser(t)).exists(),
        )
        toolbox = tools.Toolbox(cwd, ask=render.ask_user if tty else None)
        # the command on screen as soon as it is decoded; --json, --raw and pipes are unchanged
        preview = render.Preview(None, enabled=not (opts.json or opts.raw))
        eng = engine.Engine(
            backend,
            toolbox,
            max_tool_steps=config.get("max_tool_steps"),
            max_tokens=config.get("max_tokens"),
            context_tokens=wiring.context_tokens(backend, config),
            guard_context=guard_ctx,
            watch=preview.watch,
            docs=Docs(p.cache_dir),
        )
        proposal, cached = _propose(
            eng, prompt_text, ctx, history, answer_cache, hit, guard_ctx, opts, preview
        )
        turn.proposed, turn.cached = True, cached
        if (answered := wiring.answered_by(backend)) is not None:  # after a failover
            turn.backend, turn.backend_source, turn.model = answered
            if opts.verbose:
                render.note(f"backend: {answered[0]} ({answered[1]})")
        turn.response, turn.risk = proposal.reply, proposal.risk
        turn.timings = Timings(backend.startup_ms, proposal.model_ms, proposal.tool_steps)
        if proposal.verdict is not None:
            turn.guard = {
                "hard_reject": proposal.verdict.hard_reject,
                "actions": proposal.actions,
                "reasons": proposal.verdict.reasons,
            }
        for line in backend.notes:
            render.note(line)
        if not (opts.json or opts.raw) and proposal.kind in ("command", "script"):
            render.proposal(proposal, quiet=opts.quiet, cached=cached)

        def record_before_run(decision: str, command: str) -> None:
            turn.decision, turn.executed_command, turn.command_known = decision, command, True
            turn.response = proposal.reply
            try:
                audit.append(p.audit_log, turn.started_record())
            except AuditFailed:
                audit_broken.append(True)  # already reported as the error; not twice
                raise

        def revise(current: engine.Proposal, feedback: str) -> engine.Proposal | None:
            turn.revisions.append(feedback)
            if cached:  # a cached answer has no conversation on a server yet: start one
                eng.messages = eng.messages or conversation.messages_for(prompt_text, ctx, history)
            return conversation.revise(eng, current, feedback, preview, opts)

        settled = execute.settle(
            proposal,
            mode,
            render.confirm,
            guard_ctx,
            cwd,
            record=record_before_run,
            revise=revise,
            # the server stays warm while the prompt waits (for `r`); the model is freed before
            # the user's command runs
            release=backend.close,
        )
        turn.settled = True
        if settled.decision in ("edited", "revised"):
            turn.response, turn.risk = proposal.reply, proposal.risk
        if settled.decision == "simulated":
            if not opts.json and proposal.kind == "inform":
                answer = render.visible(proposal.reply["stdout_to_user"], newlines=True)
                render.note(f"(simulated) {answer}")
            raise BackendUnavailable(
                "this answer is simulated: no local model or runtime is installed.",
                hint="Run `i init` (or `i runtime install` and `i model pull`).",
            )
        if settled.status == "inform":
            if not opts.json:
                render.out(render.visible(proposal.reply["stdout_to_user"], newlines=True))
        elif settled.status == "clarify":
            if not opts.json:
                render.note(f"? {render.visible(proposal.reply['clarifying_question'])}")
        elif settled.decision == "raw":
            # raw is for `$(i --raw ...)` and the shell binding: exact text into a pipe, but a
            # terminal still sees it escaped
            raw = proposal.command_text or ""
            shown = render.visible(raw, newlines=True) if sys.stdout.isatty() else raw
            render.out(audit.encodable(shown))  # a lone surrogate cannot go down a pipe
        elif settled.decision == "explain" and not opts.json and proposal.kind == "command":
            from intent.cli.explain import print_breakdown
            from intent.explain import walk as explain_mod

            print_breakdown(explain_mod.explain(proposal.reply["command"], cache_dir=p.cache_dir))
        code = settled.exit_code
        turn.decision, turn.status, turn.exit_code = settled.decision, settled.status, code
        turn.executed_command, turn.command_known = settled.executed_command, True
        turn.outcome = settled.outcome
        if settled.outcome is not None and settled.outcome.timed_out:
            render.error(f"the command ran past {timeout}s and was stopped.")
        if opts.json:
            render.emit_json(turn.envelope())
        return code
    except KeyboardInterrupt:
        return _fail(Interrupted("interrupted."), opts, turn)
    except RecursionError:  # JSON nested beyond Python's parser, from any backend
        too_deep = InvalidReply(
            "the model's reply is nested too deeply to be a valid answer.",
            hint="Try again, or try a larger model (`i model list`).",
        )
        return _fail(too_deep, opts, turn)
    except IntentError as exc:
        return _fail(exc, opts, turn)
    except Exception as exc:  # a bug: still one line (traceback with -v) and the JSON object
        if opts.verbose:
            render.traceback()
        return _fail(IntentError(f"internal error: {type(exc).__name__}: {exc}"), opts, turn)
    finally:
        if backend is not None:
            backend.close()
        turn.total_s = round(time.monotonic() - started, 3)
        if turn.exit_code is None:
            turn.exit_code = code
        try:
            audit.append(p.audit_log, turn.record())
        except AuditFailed as exc:
            if not audit_broken:
                render.note(f"i: {exc.message.replace('; nothing was run.', '.')} {exc.hint}")


def _propose(
    eng: engine.Engine,
    prompt_text: str,
    ctx: prompt_mod.RequestContext,
    history: list[dict[str, str]] | None,
    answer_cache: cache.AnswerCache | None,
    hit: dict[str, Any] | None,
    guard_ctx: safety.Context,
    opts: AskOptions,
    preview: render.Preview,
) -> tuple[engine.Proposal, bool]:
    if hit is not None:
        if opts.verbose:
            render.note("answer cache: hit (re-guarded)")
        return engine.proposal_for(hit, guard_ctx), True
    proposal = conversation.drive(
        eng.run(prompt_text, ctx, history), "asking the model…", preview, opts
    )
    if (
        answer_cache is not None
        and proposal.kind in ("command", "script")
        and not proposal.tool_steps
    ):
        answer_cache.put(proposal.reply)
    return proposal, False


def _waiting(line: str) -> None:
    """A busy remote server is being waited out: say so above the spinner."""
    render.note(("\r\033[K" if render.err_tty() else "") + line)


def _fail(exc: IntentError, opts: AskOptions, turn: Turn) -> int:
    failure = turn.fail(exc)
    if opts.json:
        render.emit_json(turn.envelope())
    else:
        render.error(exc.message, exc.hint)
        if opts.verbose and exc.detail:
            render.note(render.visible(exc.detail, newlines=True))
    return failure.exit_code
