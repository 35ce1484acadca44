#!/usr/bin/env python3
"""Answer quality, proven by execution: `i` against a plain prompt on the same model.

    python bench/quality.py                       # all tasks, i and the baseline, default model
    python bench/quality.py -k find -k grep       # tasks whose id contains find or grep
    python bench/quality.py --model gemma-3-270m --limit 10 --only i
    python bench/quality.py --selftest            # every reference passes its check, `true` fails
    python bench/quality.py --set sealed          # the held-out set only (bench/tasks/sealed.py)
    python bench/quality.py --set dev             # the development set (bench/tasks/dev.py)

Each task (bench/tasks/) builds a fixture in a temporary directory; the command proposed by `i`
(the engine, in process, with its system prompt, tools and checks) and the one from a plain
one-line prompt ("reply with only the shell command") sent to the same llama-server are run in a
sandbox on fresh copies of that fixture, and their output or effect is compared with the
reference command's. Scores: correct, parses (`bash -n`), non-answers (a question, an answer in
prose, no reply), refusals, and the model's time per request.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.tasks import Task, all_tasks, sandbox  # noqa: E402

BASELINE_PROMPT = "{request}\nReply with only the shell command."
REFUSAL = re.compile(r"\b(I can(no|')t|I'm sorry|I am sorry|I won't|cannot assist)\b", re.I)


@dataclass
class Answer:
    task: str
    who: str  # i | baseline
    kind: str  # command | script | inform | clarify | refuse | error
    command: str
    ms: float
    parses: bool = False
    correct: bool = False
    why: str = ""
    warnings: str = ""
    # llama-server's counts, summed over the tool loop's model calls (a verify retry not included)
    prompt_n: int = 0
    predicted_n: int = 0


def parses(command: str) -> bool:
    proc = subprocess.run(["bash", "-n", "-c", command], capture_output=True, timeout=10)
    return proc.returncode == 0


def command_of_reply(text: str) -> str:
    """The command in a plain chat reply: the fenced block if there is one, else the text."""
    fence = re.search(r"```[\w-]*\n?(.*?)```", text, re.S)
    body = fence.group(1) if fence else text
    lines = [ln.strip() for ln in body.strip().splitlines() if ln.strip()]
    lines = [ln[2:] if ln.startswith("$ ") else ln for ln in lines]
    return "\n".join(lines).strip().strip("`")


def ask_baseline(backend: Any, task: Task, max_tokens: int) -> Answer:
    payload = {
        "messages": [{"role": "user", "content": BASELINE_PROMPT.format(request=task.request)}],
        "cache_prompt": True,
        "temperature": 0.0,
        "max_tokens": max_tokens,
    }
    started = time.perf_counter()
    text, _timings, _looped = backend.stream_chat(payload)
    ms = (time.perf_counter() - started) * 1000
    command = command_of_reply(text)
    if not command:
        return Answer(task.id, "baseline", "error", "", ms, why="empty reply")
    if REFUSAL.search(command):
        return Answer(task.id, "baseline", "refuse", command, ms)
    return Answer(task.id, "baseline", "command", command, ms)


def ask_i(
    backend: Any, task: Task, shown: Path, config: Any, docs: Any = None, variant: Any = None
) -> Answer:
    from intent import safety
    from intent.errors import IntentError
    from intent.turn import engine, tools
    from intent.turn import prompt as prompt_mod

    ctx = prompt_mod.gather(shown, git_status=tools.git_summary(shown))
    guard_ctx = safety.Context(
        cwd=str(shown), home=str(shown), exists=lambda t: (shown / os.path.expanduser(t)).exists()
    )
    eng = engine.Engine(
        backend,
        tools.Toolbox(shown, ask=None),
        max_tool_steps=config.get("max_tool_steps"),
        max_tokens=config.get("max_tokens"),
        context_tokens=config.get("ctx_size"),
        guard_context=guard_ctx,
        docs=docs,
    )
    if variant is None or variant.trial:
        from intent import trial

        eng.trial = lambda command, verdict: trial.run(command, shown, verdict)
    if variant is not None:
        eng.verify = variant.verify
        eng.peek = variant.peek
        if variant.system_prompt is not None:
            prompt_mod.SYSTEM_PROMPT = variant.system_prompt  # the engine reads it per run
        if variant.examples is not None:
            prompt_mod.EXAMPLES_PER_REQUEST = variant.examples
    started = time.perf_counter()
    gen = eng.run(task.request, ctx)
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        proposal = stop.value
    except IntentError as exc:
        ms = (time.perf_counter() - started) * 1000
        return Answer(task.id, "i", "error", "", ms, why=exc.message)
    ms = (time.perf_counter() - started) * 1000
    reply = proposal.reply
    warnings = "; ".join(getattr(proposal, "warnings", []) or [])
    counts: dict[str, Any] = {
        key: sum(int(t.get(key) or 0) for t in proposal.timings or [])
        for key in ("prompt_n", "predicted_n")
    }
    if proposal.kind == "command":
        return Answer(task.id, "i", "command", reply["command"], ms, warnings=warnings, **counts)
    if proposal.kind == "script":
        interp, body = reply["script"]["interpreter"], reply["script"]["body"]
        command = body if interp in ("bash", "sh") else f"{interp} -c {shlex.quote(body)}"
        return Answer(task.id, "i", "script", command, ms, warnings=warnings, **counts)
    text = next(iter(reply.values()))
    return Answer(task.id, "i", proposal.kind, str(text)[:200], ms, **counts)


def variant_names() -> list[str]:
    from bench.variants import VARIANTS

    return list(VARIANTS)


def shown_dir(work: Path, task: Task) -> Path:
    """Where the model is told it stands. Not named after the task: the context's `cwd:` line
    would hand the model a hint (`.../cp-to-backup`) and a wrong directory to rebuild paths
    from; a user's project is just a directory."""
    digest = hashlib.sha1(task.id.encode()).hexdigest()[:6]
    return work / "shown" / digest / "project"


def score(answer: Answer, task: Task, ref: sandbox.Run, shown: Path, scratch: Path) -> None:
    if answer.kind not in ("command", "script"):
        return
    answer.parses = parses(answer.command)
    got = sandbox.run(task, answer.command, shown, scratch)
    answer.correct, answer.why = sandbox.compare(task, ref, got, str(shown))


def selftest(tasks: list[Task], work: Path) -> int:
    """Every reference passes its own check on a fresh fixture, and doing nothing fails it."""
    bad = 0
    for task in tasks:
        shown = work / "shown" / task.id
        sandbox.build(task, shown)
        ref = sandbox.run(task, task.reference, shown, work / "ref")
        again = sandbox.run(task, task.reference, shown, work / "got")
        nothing = sandbox.run(task, "true", shown, work / "got")
        ok_ref, why = sandbox.compare(task, ref, again, str(shown))
        ok_nothing, _ = sandbox.compare(task, ref, nothing, str(shown))
        if not ok_ref or ok_nothing or ref.code != 0:
            bad += 1
            print(
                f"BAD  {task.id}: reference exit {ref.code}, reference vs itself: "
                f"{why or 'same'}, `true` {'passes' if ok_nothing else 'fails'}"
            )
    print(f"{len(tasks) - bad}/{len(tasks)} tasks check out")
    return 1 if bad else 0


def summary(answers: list[Answer], who: str, asked_for_command: int) -> dict[str, Any]:
    mine = [a for a in answers if a.who == who]
    non = [a for a in mine if a.kind in ("inform", "clarify", "error")]
    commands = [a for a in mine if a.kind in ("command", "script")]
    return {
        "who": who,
        "tasks": len(mine),
        "correct": sum(a.correct for a in mine),
        "parses": sum(a.parses for a in commands),
        "commands": len(commands),
        "non_answers": len(non),
        "non_answer_pct": round(100 * len(non) / max(asked_for_command, 1), 1),
        "refusals": sum(a.kind == "refuse" for a in mine),
        "median_s": round(statistics.median(a.ms for a in mine) / 1000, 2) if mine else 0.0,
    }


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| | correct | parses (`bash -n`) | non-answers | refusals | median time |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        out.append(
            f"| {r['who']} | {r['correct']}/{r['tasks']} | {r['parses']}/{r['commands']} | "
            f"{r['non_answers']} ({r['non_answer_pct']} %) | {r['refusals']} | {r['median_s']} s |"
        )
    return "\n".join(out)


def open_backend(model: str | None, timeout: float) -> tuple[Any, Any, str]:
    from intent.app import wiring
    from intent.settings import paths
    from intent.settings.config import Config

    env = {k: v for k, v in os.environ.items() if k != "INTENT_MODEL"}
    p = paths.resolve(env)
    config = Config(p.config_file)
    choice = wiring.Choice("llama-server", "benchmark")
    backend, model_id = wiring.build_backend(
        choice, p, config, env, model_flag=model, snapshots=False
    )
    # a shared 2-core machine reads a long prompt slowly; the product's default gives up sooner
    backend.options = dataclasses.replace(backend.options, request_timeout=timeout)  # type: ignore[attr-defined]
    return backend, config, model_id


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--model", help="catalog id or GGUF path (default: the configured model)")
    ap.add_argument("-k", action="append", default=[], help="only tasks whose id contains this")
    ap.add_argument("--limit", type=int, default=0, help="at most this many tasks")
    ap.add_argument(
        "--skip", type=int, default=0, help="leave out the first N tasks (a held-out sample)"
    )
    ap.add_argument("--only", choices=("i", "baseline"), help="ask only one side")
    ap.add_argument("--json", type=Path, help="write every answer and the summary here")
    ap.add_argument("--selftest", action="store_true", help="check the tasks, ask no model")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only the table")
    ap.add_argument("--chunk", type=int, default=8, help="tasks per side in a row (default 8)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds per model request")
    ap.add_argument(
        "--variant",
        default="shipped",
        choices=sorted(variant_names()),
        help="which i to ask (bench/variants.py)",
    )
    ap.add_argument("--report", type=Path, help="print the table of a .jsonl results file")
    ap.add_argument(
        "--set",
        choices=("main", "sealed", "dev"),
        default="main",
        help="main: bench/tasks (default); sealed: the held-out bench/tasks/sealed.py;\n"
        "dev: the development set bench/tasks/dev.py",
    )
    args = ap.parse_args(argv)
    if args.report:
        return report(args.report)
    tasks = [t for t in task_set(args.set) if not args.k or any(k in t.id for k in args.k)]
    tasks = spread(tasks)[args.skip :]
    if args.limit:
        tasks = tasks[: args.limit]
    if not tasks:
        print("no task matches", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="intent-bench-") as tmp:
        work = Path(tmp)
        if args.selftest:
            server = _http_for(tasks)
            try:
                return selftest(tasks, work)
            finally:
                if server is not None:
                    server.shutdown()
        return compare_run(tasks, work, args)


def task_set(name: str) -> list[Task]:
    """The main tasks, the sealed set (written to be run, never read by the developers tuning `i`)
    or the development set (bench/tasks/dev.py, to tune on)."""
    if name == "sealed":
        from bench.tasks.sealed import TASKS

        return list(TASKS)
    if name == "dev":
        from bench.tasks.dev import TASKS as DEV

        return list(DEV)
    return all_tasks()


def spread(tasks: list[Task]) -> list[Task]:
    """Tasks interleaved by group, so that any first N are a fair sample of all of them."""
    groups: dict[str, list[Task]] = {}
    for t in tasks:
        groups.setdefault(t.group, []).append(t)
    out: list[Task] = []
    while any(groups.values()):
        for g in groups.values():
            if g:
                out.append(g.pop(0))
    return out


def _http_for(tasks: list[Task]) -> Any:
    """The local HTTP server, when a selected task needs it (it holds a fixed port)."""
    from bench.tasks import httpd

    return httpd.start() if any(t.group == "curl" for t in tasks) else None


def compare_run(tasks: list[Task], work: Path, args: argparse.Namespace) -> int:
    from bench.variants import VARIANTS

    variant = VARIANTS[args.variant]
    variant_label = "i" if args.variant == "shipped" else f"i ({args.variant})"
    sides = [args.only] if args.only else ["i", "baseline"]
    backend, config, model_id = open_backend(args.model, args.timeout)
    os.environ["PATH"] = f"{sandbox.STUBS}:{os.environ.get('PATH', '')}"  # what the sandbox has
    server = _http_for(tasks)
    from intent.explain.lookup import Docs

    docs = Docs(work / "cache")
    answers: list[Answer] = []
    started = time.monotonic()
    log = args.json.with_suffix(".jsonl").open("w") if args.json else None
    try:
        # a chunk of tasks per side: the server keeps one prompt cached, and switching between
        # i's long system prompt and the baseline's one line would re-read it every time
        for first in range(0, len(tasks), args.chunk):
            chunk = tasks[first : first + args.chunk]
            refs = {}
            for task in chunk:
                shown = shown_dir(work, task)
                sandbox.build(task, shown)
                refs[task.id] = sandbox.run(task, task.reference, shown, work / "ref")
            for who in sides:
                for n, task in enumerate(chunk, first + 1):
                    shown = shown_dir(work, task)
                    if who == "i":
                        answer = ask_i(backend, task, shown, config, docs, variant)
                        answer.who = variant_label
                    else:
                        answer = ask_baseline(backend, task, config.get("max_tokens"))
                    score(answer, task, refs[task.id], shown, work / "got")
                    answers.append(answer)
                    if log:
                        log.write(json.dumps(asdict(answer)) + "\n")
                        log.flush()
                    if not args.quiet:
                        mark = "ok " if answer.correct else answer.kind[:3].upper()
                        print(
                            f"[{n}/{len(tasks)}] {mark} {who:8} {task.id:18} "
                            f"{answer.ms / 1000:5.1f}s {answer.command[:90]!r} {answer.why}",
                            flush=True,
                        )
    finally:
        if server is not None:
            server.shutdown()
        backend.close()
        if log:
            log.close()
    done = {a.task for a in answers}
    rows = [summary(answers, variant_label if w == "i" else w, len(done)) for w in sides]
    print(f"\nmodel {model_id}, {len(done)} tasks, {time.monotonic() - started:.0f}s in all")
    print(table(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"model": model_id, "summary": rows, "answers": [asdict(a) for a in answers]},
                indent=1,
            )
        )
    return 0


def report(path: Path) -> int:
    """The table from a results file, also a partial one (`.jsonl`) from a run cut short."""
    lines = [ln for ln in path.read_text().splitlines() if ln.strip()]
    answers = [Answer(**json.loads(ln)) for ln in lines]
    sides = list(dict.fromkeys(a.who for a in answers))
    # only tasks every side answered, so the columns compare the same requests
    done = set.intersection(*({a.task for a in answers if a.who == w} for w in sides))
    answers = [a for a in answers if a.task in done]
    print(table([summary(answers, who, len(done)) for who in sides]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
