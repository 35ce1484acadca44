"""Confirm and run a proposal: friction by risk, re-guard edits, run in a process group."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from intent import confine, process, safety
from intent.errors import Cancelled, ConfirmationNeeded, Refused, SandboxUnavailable
from intent.run.handoff import Channel
from intent.turn.engine import Proposal, guard
from intent.vocab import AUTORUN, INTERPRETER_ARGV

# the vocabularies of settling, defined once (the audit record and --json carry them)
Action = Literal["run", "cancel", "edit", "revise"]  # what the user answered at the prompt
# handed: the shell function's calling shell runs it (run/handoff.py)
Status = Literal["proposed", "executed", "handed", "cancelled", "refused", "inform", "clarify"]
Decided = Literal[
    "dry",
    "raw",
    "explain",
    "simulated",
    "inform",
    "clarify",
    "autorun",
    "confirmed",
    "edited",
    "revised",
    "unconfined",
    "cancelled",
]


@dataclass(frozen=True)
class Decision:
    action: Action
    command: str | None = None  # the edited command (edit)
    feedback: str | None = None  # what should change (revise)


Approver = Callable[[Proposal], Decision]
Recorder = Callable[[str, str], None]  # (decision, command): writes the audit record or raises
# asks the model again with the user's feedback; None when the answer is not a new command
Reviser = Callable[[Proposal, str], Proposal | None]
Notify = Callable[[str], None]  # one line for the user (the renderer's note)
# asked after a confined run tried to write: run it again unconfined? (mutates friction: `y`)
Offer = Callable[[Proposal], bool]


@dataclass(frozen=True)
class Mode:
    yes: bool = False
    dry: bool = False
    raw: bool = False
    explain: bool = False
    tty: bool = False
    sandbox: bool = False
    read_only: bool = False
    timeout: float = 300
    capture_stdout: bool = False
    stdin_data: bytes | None = None
    confine: str = "auto"  # auto | always | never: what runs unasked runs read-only (confine.py)

    @property
    def never_runs(self) -> bool:
        return self.dry or self.raw or self.explain


@dataclass
class Settled:
    status: Status
    decision: Decided
    exit_code: int
    executed_command: str | None = None
    outcome: process.CommandOutcome | None = None
    confined: bool = False  # the (last) run was in the read-only view
    tried_to_write: bool = False  # a confined run failed on a write the view refused


def settle(
    proposal: Proposal,
    mode: Mode,
    approve: Approver,
    context: safety.Context,
    cwd: Path,
    record: Recorder | None = None,
    *,
    revise: Reviser | None = None,
    release: Callable[[], None] | None = None,
    notify: Notify | None = None,
    offer: Offer | None = None,
    record_event: Callable[[str], None] | None = None,
    hand_off: Channel | None = None,
) -> Settled:
    """Confirm (with friction by risk) and run. `record` is called just before the command
    starts; when it raises (the audit log cannot be written) nothing runs. `revise` answers the
    `r` key; `release` is called once the prompt is over and before the command runs (it stops
    the model server, which stays warm while the prompt waits so a revision does not start it
    again). What runs without a typed answer runs confined (`_confines`); when it tried to write,
    `notify` says so, `record_event` notes it for the audit log, and on a terminal `offer` may
    run it again unconfined (a typed `y`, as for `mutates`). `hand_off` is the shell function's
    channel (run/handoff.py): a command it takes is recorded, then written there for the calling
    shell to run, instead of run here."""
    if proposal.simulated:
        return Settled("proposed", "simulated", 3)
    if proposal.kind == "refuse":
        raise Refused(f"the model refused: {proposal.reply['refusal_reason']}")
    if proposal.kind == "inform":
        return Settled("inform", "inform", 0)
    if proposal.kind == "clarify":
        return Settled("clarify", "clarify", Cancelled.exit_code)
    assert proposal.verdict is not None and proposal.risk is not None
    if proposal.verdict.hard_reject:
        raise refused_by_guard(proposal.verdict)
    if mode.never_runs:
        return Settled("proposed", "raw" if mode.raw else "explain" if mode.explain else "dry", 0)
    decision: Decided = "autorun"
    if not (mode.yes and proposal.risk in AUTORUN):
        if not mode.tty:
            why = (
                f"risk is {proposal.risk}; --yes only runs safe and network commands"
                if mode.yes
                else "confirmation needs a terminal"
            )
            raise ConfirmationNeeded(
                f"not run: {why}.", hint="Run it in a terminal, or use --dry to only print it."
            )
        decision = "confirmed"
        while True:
            answer = approve(proposal)
            if answer.action == "cancel":
                return Settled("cancelled", "cancelled", Cancelled.exit_code)
            if answer.action == "edit" and answer.command:
                proposal.reply = {**proposal.reply, "command": answer.command}
                proposal.reply.pop("script", None)
                proposal.kind = "command"
                proposal.verdict, proposal.risk, proposal.actions = guard(proposal.reply, context)
                decision = "edited"
                if proposal.verdict.hard_reject:
                    raise refused_by_guard(proposal.verdict)
                continue
            if answer.action == "revise" and answer.feedback and revise is not None:
                revised = revise(proposal, answer.feedback)
                if revised is not None and revised.kind in ("command", "script"):
                    assert revised.verdict is not None
                    # in place: the caller's envelope and audit record show what finally ran
                    proposal.reply, proposal.kind = revised.reply, revised.kind
                    proposal.verdict, proposal.risk = revised.verdict, revised.risk
                    proposal.actions = revised.actions
                    decision = "revised"
                    if revised.verdict.hard_reject:
                        raise refused_by_guard(revised.verdict)
                continue
            if answer.action != "run":
                continue
            break
    if release is not None:
        release()
    argv = command_argv(proposal)
    if hand_off is not None and hand_off.takes(proposal, decision):
        if record is not None:
            record(decision, proposal.command_text or "")
        hand_off.give(proposal.command_text or "")
        return Settled("handed", decision, 0, proposal.command_text)
    confined = _confines(proposal, mode, notify)
    if record is not None:
        record(decision, proposal.command_text or "")
    outcome = _run(argv, mode, cwd, confined=confined)
    tried = confined and confine.tried_to_write(outcome.exit_code, outcome.stderr_tail)
    hid = (
        confined
        and not tried
        and outcome.exit_code not in (0, 130)
        and confine.may_need_credentials(proposal.command_text or "")
    )
    if tried or hid:
        if notify is not None:
            notify(
                f"i: rated {proposal.risk}, but it tried to change files; the read-only view "
                "stopped it (nothing was changed)."
                if tried
                else "i: it failed in the read-only view, which hides credential stores and "
                "service sockets (~/.ssh, ~/.aws, ~/.kube, docker.sock ...); it may need one."
            )
        if record_event is not None:
            record_event("tried_to_write" if tried else "failed_confined")
        if mode.tty and not outcome.interrupted and offer is not None and offer(proposal):
            decision = "unconfined"
            if record is not None:
                record(decision, proposal.command_text or "")
            outcome = _run(argv, mode, cwd, confined=False)
            confined = False
    if outcome.interrupted:
        from intent.errors import Interrupted

        raise Interrupted("interrupted; the command was stopped.")
    return Settled(
        "executed",
        decision,
        outcome.exit_code,
        proposal.command_text,
        outcome,
        confined=confined,
        tried_to_write=tried,
    )


def _confines(proposal: Proposal, mode: Mode, notify: Notify | None) -> bool:
    """Whether this run goes into the read-only view: what runs without a typed answer (rated
    `safe` or `network`) does, unless `--sandbox`/`--ro` chose a sandbox or config says never.
    With `confine = always` and no working confinement nothing runs (exit 6)."""
    if proposal.risk not in AUTORUN or mode.sandbox or mode.read_only or mode.confine == "never":
        return False
    if proposal.kind == "command" and confine.process_view(proposal.command_text or ""):
        return False  # lsof/ss -p/fuser in a shape that only lists (confine.process_view)
    st = confine.status()
    if st.works:
        return True
    if mode.confine == "always":
        raise SandboxUnavailable(
            f"not run: confine = always, and {st.reason}.",
            hint=(st.fix + "; " if st.fix else "") + "or run it with a typed answer (`e`, then y).",
        )
    if notify is not None:
        notify(f"i: running unconfined: {st.reason} (`i doctor` says how to fix it).")
    return False


def _run(argv: list[str], mode: Mode, cwd: Path, *, confined: bool) -> process.CommandOutcome:
    if (mode.sandbox or mode.read_only) and not confined:
        with confine.sandbox(argv, cwd, writable=not mode.read_only) as fenced:
            return process.run_user_command(
                fenced.argv,
                timeout=mode.timeout,
                stdin_data=mode.stdin_data,
                capture_stdout=mode.capture_stdout,
                cwd=cwd,
                pass_fds=fenced.fds,
            )
    if not confined:
        return process.run_user_command(
            argv,
            timeout=mode.timeout,
            stdin_data=mode.stdin_data,
            capture_stdout=mode.capture_stdout,
            cwd=cwd,
        )
    with confine.read_only(argv, cwd) as view:
        return process.run_user_command(
            view.argv,
            timeout=mode.timeout,
            stdin_data=mode.stdin_data,
            capture_stdout=mode.capture_stdout,
            cwd=cwd,
            pass_fds=view.fds,
        )


def refused_by_guard(verdict: safety.Verdict) -> Refused:
    """The one wording of a guard refusal: the reasons that refused (not the lesser ones)."""
    reasons = [r for r in verdict.reasons if r.startswith("refused")] or verdict.reasons
    return Refused("refused by the guard: " + "; ".join(reasons))


def command_argv(proposal: Proposal) -> list[str]:
    text = proposal.command_text or ""
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        # a lone surrogate from the reply: no byte string means it, so no shell can run it
        raise Refused(
            "the command holds text that cannot be encoded (a lone surrogate); not run."
        ) from None
    if "\0" in text:
        raise Refused("the command holds a NUL character, which no argv can carry; not run.")
    if proposal.kind == "script":
        interp = proposal.reply["script"]["interpreter"]
        if interp not in INTERPRETER_ARGV:
            raise Refused(f"unknown script interpreter {interp!r}")
        return [*INTERPRETER_ARGV[interp], proposal.reply["script"]["body"]]
    shell = "bash" if shutil.which("bash") else "sh"
    return [shell, "-c", proposal.reply["command"]]


def check_sandbox(mode: Mode) -> None:
    """Fail before asking the model when a sandbox was requested but none works here."""
    if (mode.sandbox or mode.read_only) and not mode.never_runs:
        st = confine.status()
        if not st.works:
            raise SandboxUnavailable(
                f"--sandbox needs a working sandbox: {st.reason}; nothing was run.",
                hint=st.fix or None,
            )


settle_proposal = settle  # the name the ask use case reads, beside its own `settle` step

__all__ = [
    "Decision",
    "Mode",
    "Reviser",
    "Settled",
    "settle",
    "settle_proposal",
    "check_sandbox",
]
