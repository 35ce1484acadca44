#!/usr/bin/env python3
"""`i` against shell_gpt on the same model and machine, interleaved in one run.

    python bench/peer.py [--runs N] [--sgpt PATH] [--model ID_OR_PATH]    # speed
    python bench/peer.py --utility [--limit N]                            # utility match

shell_gpt (`sgpt`) lives in a venv of its own, pointed at ONE llama-server that this bench starts
with the flags `i` gives its own child (the same binary, model, context size, threads and load
flags, built by intent's own `LlamaServer.argv`), waits for and warms with one request; it stays
up for the whole run, as a daemon would. shell_gpt is configured through a private HOME (its
`~/.config/shell_gpt/.sgptrc`: API_BASE_URL on loopback, OPENAI_API_KEY, DEFAULT_MODEL,
OPENAI_USE_FUNCTIONS=false, USE_LITELLM=false), so the user's own config is never read or
written. Setup: `python3 -m venv /opt/sgpt-venv && /opt/sgpt-venv/bin/pip install shell-gpt
'typer==0.24.0'` (shell_gpt 1.5.1 imports click, which typer 0.29 no longer brings).

Speed: for each of N ordinary requests, in alternating order,
  (a) `sgpt --shell --no-interaction --no-cache REQUEST` on a pty, until it exits with its answer;
  (b) `i -v --no-cache REQUEST` (this checkout, the default model, the llama-server backend) on a
      pty, from its start until the streamed command is on screen (the `[…]` line), and until
      the guarded proposal and the confirm prompt are; then `n`, so nothing runs.
Every `i` call starts cold, its own llama-server, as the product does; its INTENT_HOME is fresh
for the run but kept across the calls (data -> the real models and runtime), and one unmeasured
call first saves the KV snapshot of the system prompt, as earlier calls would for a user.
Prints a row per request, the medians and the ratio i/sgpt, where `i`'s time went (from `-v`)
and the load average before and after.

Utility (`--utility`): every request of bench/nl2bash_sample.py (NL2Bash-style, written for this
bench: NL2Bash itself is not installable here) to `i --dry --json --no-cache` and to
`sgpt --shell --no-interaction --no-cache`, interleaved; scores whether the first utility of each
proposed command (after `sudo` and VAR=value) is the expected one.
"""

from __future__ import annotations

import argparse
import codecs
import compileall
import json
import os
import re
import select
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ptydriver import Pty  # noqa: E402  (the one pty driver, shared with the tests)

from bench.nl2bash_sample import SAMPLE, Item  # noqa: E402
from intent.backends.llama_server import LlamaServer, ServerOptions, free_port  # noqa: E402
from intent.llamacpp import find as runtime  # noqa: E402
from intent.models import catalog as models  # noqa: E402
from intent.settings import paths  # noqa: E402
from intent.settings.config import Config  # noqa: E402
from intent.vocab import RISKS  # noqa: E402

REQUESTS = (
    "find large files",
    "show disk usage of this folder",
    "count lines in all python files",
    "list the ten biggest files in my home directory",
    "show which process is listening on port 8080",
    "compress the logs folder into a tar.gz archive",
    "find files changed in the last hour",
    "replace foo with bar in all txt files",
)
WARM_REQUEST = "print the current directory"  # the unmeasured first call of each tool
PROMPT_END = "[n] cancel: "  # i's confirm prompt, after the guarded proposal
PREVIEW = "[…]"  # i's streamed command, shown as soon as it is decoded
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]")
SPINNER = re.compile(r"\r[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏][^\r\n]*")
CALL = re.compile(r"model call 1: (\d+) ms([^\r\n]*)")
RISK_LINE = re.compile(r"\[(" + "|".join(RISKS) + r")\] ")  # render.proposal's first line
ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
SUDO_ARG_OPTIONS = frozenset({"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"})
# shell_gpt 1.5.1's config keys (sgpt/config.py); its environment overrides its file, so a
# caller's values are dropped from the child's environment
SGPT_KEYS = (
    "CHAT_CACHE_PATH",
    "CACHE_PATH",
    "CHAT_CACHE_LENGTH",
    "CACHE_LENGTH",
    "REQUEST_TIMEOUT",
    "DEFAULT_MODEL",
    "DEFAULT_COLOR",
    "ROLE_STORAGE_PATH",
    "DEFAULT_EXECUTE_SHELL_CMD",
    "DISABLE_STREAMING",
    "CODE_THEME",
    "OPENAI_FUNCTIONS_PATH",
    "OPENAI_USE_FUNCTIONS",
    "SHOW_FUNCTIONS_OUTPUT",
    "API_BASE_URL",
    "PRETTIFY_MARKDOWN",
    "USE_LITELLM",
    "SHELL_INTERACTION",
    "OS_NAME",
    "SHELL_NAME",
    "OPENAI_API_KEY",
)
SERVER_TIMING = re.compile(r"(prompt eval time|\|\s+eval time) =\s+([\d.]+) ms /\s+(\d+) tokens")


# -- what a tool printed ---------------------------------------------------------------------


def plain(screen: str) -> str:
    """A pty transcript as text: spinner frames and ANSI sequences removed, CRLF as LF."""
    text = ANSI.sub("", SPINNER.sub("", screen))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def command_text(answer: str) -> str:
    """The command in a tool's printed answer: its first line that is not a Markdown fence, with
    a leading `$ ` prompt and surrounding backticks removed."""
    for line in answer.splitlines():
        line = line.strip()
        if not line or line.startswith("```"):
            continue
        if line.startswith("$ "):
            line = line[2:]
        return line.strip("`").strip()
    return ""


def first_utility(command: str) -> str:
    """The first utility a command runs, as NL2Bash scores it: `VAR=value` assignments and
    `sudo` (with its options) skipped, a path reduced to its name; a pipeline counts by its first
    stage (`cat f | grep x` is `cat`)."""
    try:
        words = shlex.split(command)
    except ValueError:  # an unbalanced quote: whitespace words are enough for the first one
        words = command.split()
    i = 0
    while i < len(words):
        word = words[i]
        if ASSIGNMENT.match(word) or word in ("(", "{", "!"):
            i += 1
        elif word == "sudo":
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in SUDO_ARG_OPTIONS else 1
        else:
            return os.path.basename(word.lstrip("({!").split(";")[0].split("|")[0])
    return ""


# -- a program on a pty, timed ---------------------------------------------------------------


class Screen(Pty):  # type: ignore[misc]  # tests/ is no package mypy follows
    """A program on its own pty (the tests' driver), with the time each chunk of output arrived,
    so any text on the screen can be dated afterwards. Time runs from just before the spawn."""

    def __init__(self, argv: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        started = time.perf_counter()
        super().__init__(argv, cwd=cwd, env=env, cols=200)
        self.started = started
        self.stamps: list[tuple[int, float]] = []  # (len(seen) after a chunk, seconds)
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def read_until(self, text: str | None, timeout: float) -> bool:
        """Read until `text` is on the screen (True) or the program closed it (False); `None`
        reads to the end."""
        deadline = time.monotonic() + timeout
        while text is None or text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {text!r} within {timeout:g} s: {self.seen[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: every holder of the terminal has exited
                chunk = b""
            if not chunk:
                return False
            self.seen += self._decode.decode(chunk)
            self.stamps.append((len(self.seen), self.elapsed()))
        return True

    def at(self, index: int) -> float:
        """Seconds from the start until the screen held character `index` of `seen`."""
        for end, seconds in self.stamps:
            if end > index:
                return seconds
        raise ValueError(f"offset {index} is past what was read")

    def finish(self, timeout: float = 60) -> int:
        """Read to the end, reap the program, close the terminal; its exit status."""
        try:
            self.read_until(None, timeout)
            return int(self.proc.wait(timeout=timeout))
        finally:
            self.close()


# -- the two tools -----------------------------------------------------------------------------


@dataclass
class SgptRun:
    total: float  # start to exit, the whole answer printed
    first_output: float  # start to the first byte of the answer
    command: str
    exit_code: int
    server: dict[str, float] = field(default_factory=dict)  # the shared server's own timings


@dataclass
class IRun:
    command_on_screen: float | None  # start to the streamed command's line being complete
    proposal: float | None  # start to the confirm prompt (guarded proposal, risk)
    command: str
    outcome: str  # "proposal", or what came instead
    call: dict[str, float] = field(default_factory=dict)  # the `-v` model call line
    request_start: float | None = None  # start to the model request being sent
    command_tokens: int | None = None  # tokens decoded until the command is complete


def run_sgpt(sgpt: Path, request: str, cwd: Path, env: dict[str, str], timeout: float) -> SgptRun:
    screen = Screen(
        [str(sgpt), "--shell", "--no-interaction", "--no-cache", request], cwd=cwd, env=env
    )
    code = screen.finish(timeout)
    total = screen.elapsed()
    first = screen.stamps[0][1] if screen.stamps else total
    return SgptRun(total, first, command_text(plain(screen.seen)), code)


def i_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "intent", *args]


def call_timings(tail: str) -> dict[str, float]:
    """The figures of `-v`'s "model call" line (key=value; True/False as 1/0)."""
    out: dict[str, float] = {}
    for key, value in re.findall(r"(\w+)=(\S+)", tail):
        if value in ("True", "False"):
            out[key] = float(value == "True")
        else:
            try:
                out[key] = float(value)
            except ValueError:
                continue
    return out


def run_i(request: str, cwd: Path, env: dict[str, str], timeout: float, extra: list[str]) -> IRun:
    screen = Screen(i_argv("-v", "--no-cache", *extra, request), cwd=cwd, env=env)
    try:
        prompted = screen.read_until(PROMPT_END, timeout)
        if prompted:
            screen.send("n\r")  # cancel: nothing runs
        screen.finish(60)
    finally:
        screen.close()
    seen = screen.seen
    run = IRun(None, None, "", "proposal" if prompted else "ended without a proposal")
    if prompted:
        run.proposal = screen.at(seen.index(PROMPT_END))
        block = plain(seen[: seen.index(PROMPT_END)]).splitlines()
        risky = [ln for ln in block if RISK_LINE.match(ln)]
        if risky:
            run.command = risky[-1].split("] ", 1)[-1].strip()
        else:  # whatever the layout, the line before the description
            run.outcome = "proposal (risk line not found)"
    preview = seen.find(PREVIEW)
    if preview >= 0:
        end = seen.find("\n", preview)
        if end >= 0:
            run.command_on_screen = screen.at(end)
            if not run.command:
                run.command = plain(seen[preview + len(PREVIEW) : end]).strip()
    elif run.proposal is not None:  # no streamed preview: the command came with the proposal
        run.command_on_screen = run.proposal
    found = CALL.search(seen)
    if found:
        run.call = call_timings(found.group(2))
        run.call["call_ms"] = float(found.group(1))
        # `-v` prints the line as soon as the reply is complete
        run.request_start = screen.at(found.start()) - run.call["call_ms"] / 1000
    return run


def ask_i_json(
    request: str, cwd: Path, env: dict[str, str], timeout: float, extra: list[str]
) -> tuple[str, str, float]:
    """`i --dry --json`: (command or "", status, seconds)."""
    started = time.perf_counter()
    proc = subprocess.run(
        i_argv("--dry", "--json", "--no-cache", *extra, request),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    seconds = time.perf_counter() - started
    try:
        envelope = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return "", f"no JSON (exit {proc.returncode}): {proc.stderr.strip()[-200:]}", seconds
    response = envelope.get("response") or {}
    return str(response.get("command") or ""), str(envelope.get("status")), seconds


# -- the shared llama-server for shell_gpt -----------------------------------------------------


@dataclass
class Setup:
    work: Path
    cwd: Path
    model_id: str
    model_file: Path
    server_argv: list[str]
    api_key: str
    port: int
    i_env: dict[str, str]
    sgpt_env: dict[str, str]
    i_extra: list[str]


def prepare(args: argparse.Namespace) -> Setup:
    """Private homes for both tools, the server's argv as intent builds its own."""
    work = Path(tempfile.mkdtemp(prefix="intent-bench-peer-"))
    cwd = work / "cwd"
    cwd.mkdir()
    user = paths.resolve()  # where the caller's models and runtime are
    i_home = work / "intent-home"
    i_home.mkdir()
    (i_home / "data").symlink_to(user.data_dir)
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("INTENT_", "LLAMA_ARG_")) and k not in SGPT_KEYS
    }
    base.update(TERM="xterm", COLUMNS="200", SHELL=os.environ.get("SHELL", "/bin/bash"))
    i_env = {
        **base,
        # this checkout's code, whatever `intent` the venv has installed
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "INTENT_HOME": str(i_home),
    }
    mine = paths.resolve(i_env)
    cfg = Config(mine.config_file)
    model = models.resolve(mine, args.model or cfg.get("model"), "bench")
    model_file = models.require_file(model)
    binary = runtime.require(runtime.SERVER, mine, cfg, i_env).path
    probe = runtime.probe(binary, mine)
    options = ServerOptions(
        binary,
        model_file,
        ctx_size=cfg.get("ctx_size"),
        threads=cfg.get("threads"),
        flags=probe.flags,
        load_args=probe.load_args(repack=cfg.get("repack")),
    )
    shape = LlamaServer(options, mine)  # never started: it only builds the argv `i` uses
    port = free_port()
    sgpt_home = work / "sgpt-home"
    config_dir = sgpt_home / ".config" / "shell_gpt"
    config_dir.mkdir(parents=True)
    settings = {
        "CHAT_CACHE_PATH": str(sgpt_home / "chat_cache"),
        "CACHE_PATH": str(sgpt_home / "cache"),
        "CHAT_CACHE_LENGTH": "100",
        "CACHE_LENGTH": "100",
        "REQUEST_TIMEOUT": str(int(args.timeout)),
        "DEFAULT_MODEL": model.id,
        "DEFAULT_COLOR": "magenta",
        "ROLE_STORAGE_PATH": str(config_dir / "roles"),
        "DEFAULT_EXECUTE_SHELL_CMD": "false",
        "DISABLE_STREAMING": "false",
        "CODE_THEME": "dracula",
        "OPENAI_FUNCTIONS_PATH": str(config_dir / "functions"),
        "OPENAI_USE_FUNCTIONS": "false",  # no function schemas (the shell role drops them anyway)
        "SHOW_FUNCTIONS_OUTPUT": "false",
        "API_BASE_URL": f"http://127.0.0.1:{port}/v1",
        "PRETTIFY_MARKDOWN": "true",
        "USE_LITELLM": "false",  # the openai client, not litellm
        "SHELL_INTERACTION": "false",
        "OS_NAME": "auto",
        "SHELL_NAME": "auto",
        "OPENAI_API_KEY": shape.api_key,
    }
    (config_dir / ".sgptrc").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))
    sgpt_env = {**base, "HOME": str(sgpt_home)}
    return Setup(
        work,
        cwd,
        model.id,
        model_file,
        shape.argv(port),
        shape.api_key,
        port,
        i_env,
        sgpt_env,
        ["--model", args.model] if args.model else [],
    )


@contextmanager
def shared_server(setup: Setup, timeout: float) -> Iterator[subprocess.Popen[bytes]]:
    """The one llama-server shell_gpt talks to, up and healthy for the whole block."""
    log = open(setup.work / "sgpt-server.log", "wb")  # noqa: SIM115 -- closed below
    started = time.perf_counter()
    proc = subprocess.Popen(
        setup.server_argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        url = f"http://127.0.0.1:{setup.port}/health"
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"llama-server for shell_gpt exited: see {log.name}")
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"llama-server for shell_gpt not healthy in {timeout:g} s")
            time.sleep(0.05)
        note(
            f"shared llama-server healthy in {time.perf_counter() - started:.2f} s (port {setup.port})"
        )
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def reply_tokens(setup: Setup, command: str) -> int | None:
    """How many tokens `i`'s reply holds up to the end of the command's line (a fenced command,
    as prompt v10 asks for: ```sh, the line), counted by the shared server's tokenizer: the
    same model's."""
    if not command:
        return None
    from intent.reply.schema import FENCE

    text = f"{FENCE[0]}{command}\n"
    try:
        reply = httpx.post(
            f"http://127.0.0.1:{setup.port}/tokenize",
            json={"content": text},
            headers={"Authorization": f"Bearer {setup.api_key}"},
            timeout=30,
        )
        return len(reply.json()["tokens"])
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def server_timings(log: Path, offset: int) -> tuple[dict[str, float], int]:
    """The last request's prompt and decode figures from the shared server's log after
    `offset`, and the new offset."""
    data = log.read_bytes()
    text = data[offset:].decode(errors="replace")
    out: dict[str, float] = {}
    for name, ms, tokens in SERVER_TIMING.findall(text):
        kind = "prompt" if name.startswith("prompt") else "predicted"
        out[f"{kind}_ms"], out[f"{kind}_n"] = float(ms), float(tokens)
    return out, len(data)


# -- output ------------------------------------------------------------------------------------


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def uptime() -> str:
    found = shutil.which("uptime")
    if found:
        return subprocess.run([found], capture_output=True, text=True, check=False).stdout.strip()
    return f"load average: {load()}"


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def cell(text: str, width: int = 60) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def warm(setup: Setup, sgpt: Path, timeout: float) -> None:
    """One unmeasured call of each: shell_gpt writes its roles and the server reads its weights
    in; `i` saves the KV snapshot of its system prompt (and its probe and hash stamps)."""
    first = run_sgpt(sgpt, WARM_REQUEST, setup.cwd, setup.sgpt_env, timeout)
    note(f"warm-up sgpt: {first.total:.2f} s, exit {first.exit_code}: {first.command!r}")
    if first.exit_code != 0 or not first.command:
        raise SystemExit(f"shell_gpt did not answer; log: {setup.work / 'sgpt-server.log'}")
    for key in ("request_timeout", "startup_timeout"):  # time a loaded machine, do not fail it
        subprocess.run(
            i_argv("config", "set", key, str(int(timeout))),
            env=setup.i_env,
            check=True,
            capture_output=True,
        )
    started = time.perf_counter()
    command, status, _ = ask_i_json(WARM_REQUEST, setup.cwd, setup.i_env, timeout, setup.i_extra)
    kv = paths.resolve(setup.i_env).kv_dir
    snaps = sorted(p.name for p in kv.glob("*.bin")) if kv.is_dir() else []
    note(
        f"warm-up i: {time.perf_counter() - started:.2f} s, {status}: {command!r}; "
        f"KV snapshots: {snaps or 'none'}"
    )


# -- the two benches ---------------------------------------------------------------------------


def speed(args: argparse.Namespace, setup: Setup, sgpt: Path) -> None:
    requests = (
        list(REQUESTS[: args.runs])
        if args.runs <= len(REQUESTS)
        else [REQUESTS[n % len(REQUESTS)] for n in range(args.runs)]
    )
    log = setup.work / "sgpt-server.log"
    with shared_server(setup, args.timeout):
        warm(setup, sgpt, args.timeout)
        offset = log.stat().st_size
        rows: list[tuple[str, SgptRun, IRun, str]] = []
        for n, request in enumerate(requests):
            order = ("sgpt", "i") if n % 2 == 0 else ("i", "sgpt")
            s_run: SgptRun | None = None
            i_run: IRun | None = None
            for tool in order:
                if tool == "sgpt":
                    s_run = run_sgpt(sgpt, request, setup.cwd, setup.sgpt_env, args.timeout)
                    s_run.server, offset = server_timings(log, offset)
                else:
                    i_run = run_i(request, setup.cwd, setup.i_env, args.timeout, setup.i_extra)
                    i_run.command_tokens = reply_tokens(setup, i_run.command)
            assert s_run is not None and i_run is not None
            rows.append((request, s_run, i_run, load()))
            note(
                f"  {n + 1}/{len(requests)} {request!r} ({' then '.join(order)}): "
                f"sgpt {s_run.total:.2f} s {s_run.command!r}; i command "
                f"{fmt(i_run.command_on_screen)} s, prompt {fmt(i_run.proposal)} s "
                f"{i_run.command!r}; load {rows[-1][3]}"
            )
    report_speed(rows, setup)


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def report_speed(rows: list[tuple[str, SgptRun, IRun, str]], setup: Setup) -> None:
    print(
        "\n| request | sgpt whole answer (s) | i command on screen (s) | i/sgpt "
        "| i proposal and prompt (s) | sgpt tokens read, decoded | i tokens read, decoded "
        "(to the command's end) | load 1m 5m 15m |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for request, s, i, avg in rows:
        ratio = f"{i.command_on_screen / s.total:.2f}" if i.command_on_screen else "—"
        s_tok = f"{s.server.get('prompt_n', 0):.0f}, {s.server.get('predicted_n', 0):.0f}"
        i_tok = (
            f"{i.call.get('prompt_n', 0):.0f}, {i.call.get('predicted_n', 0):.0f} "
            f"({i.command_tokens if i.command_tokens is not None else '?'})"
        )
        print(
            f"| {cell(request, 40)} | {s.total:.2f} | {fmt(i.command_on_screen)} | {ratio} | "
            f"{fmt(i.proposal)} | {s_tok} | {i_tok} | {avg} |"
        )
    print("\n| request | sgpt's command | i's command |\n|---|---|---|")
    for request, s, i, _ in rows:
        print(
            f"| {cell(request, 40)} | `{cell(s.command, 70)}` | `{cell(i.command or i.outcome, 70)}` |"
        )
    s_total = med([s.total for _, s, _, _ in rows])
    s_first = med([s.first_output for _, s, _, _ in rows])
    i_cmd = med([i.command_on_screen for _, _, i, _ in rows if i.command_on_screen is not None])
    i_prop = med([i.proposal for _, _, i, _ in rows if i.proposal is not None])
    ratios = [
        i.command_on_screen / s.total for _, s, i, _ in rows if i.command_on_screen is not None
    ]
    print("\n| measure | median (s) | note |\n|---|---|---|")
    print(f"| sgpt, whole answer (start to exit) | {s_total:.2f} | server kept running |")
    print(f"| sgpt, first output | {s_first:.2f} | |")
    print(
        f"| **i, command on screen** | {i_cmd:.2f} | **{i_cmd / s_total:.2f}x** sgpt's whole answer "
        f"(median of per-request ratios {med(ratios):.2f}x; target ≤ 1.0x) |"
    )
    print(
        f"| i, guarded proposal and prompt | {i_prop:.2f} | {i_prop / s_total:.2f}x sgpt's whole answer |"
    )
    failed = [r for r, _, i, _ in rows if i.outcome != "proposal"]
    if failed:
        print(f"\n`i` gave no plain proposal for: {failed}")
    calls = [i.call for _, _, i, _ in rows if i.call]
    starts = [i.request_start for _, _, i, _ in rows if i.request_start is not None]
    if calls:
        m = {k: med([c[k] for c in calls if k in c]) for k in sorted({k for c in calls for k in c})}
        cmd_after_request = med(
            [
                i.command_on_screen - i.request_start
                for _, _, i, _ in rows
                if i.command_on_screen is not None and i.request_start is not None
            ]
        )
        print("\nWhere `i`'s time goes (medians; from its `-v` model-call line):\n")
        print("| stage | median | note |\n|---|---|---|")
        print(
            f"| start to model request sent | {med(starts):.2f} s | Python, imports, context; the server spawns and loads meanwhile |"
        )
        print(f"| llama-server spawn to first answer | {m.get('spawn_ms', 0):.0f} ms | spawn_ms |")
        print(
            f"| llama-server model load | {m.get('load_ms', 0):.0f} ms | load_ms (startup_ms {m.get('startup_ms', 0):.0f}) |"
        )
        print(
            f"| KV snapshot restore | {m.get('snapshot_restore_ms', 0):.0f} ms | restored in "
            f"{sum(c.get('snapshot_restored', 0) for c in calls):.0f} of {len(calls)} calls |"
        )
        print(
            f"| reading the prompt | {m.get('prompt_ms', 0):.0f} ms | {m.get('prompt_n', 0):.0f} tokens "
            f"({m.get('cache_n', 0):.0f} reused from the snapshot) |"
        )
        print(
            f"| decoding the whole reply | {m.get('predicted_ms', 0):.0f} ms | {m.get('predicted_n', 0):.0f} "
            f"tokens (the fenced command; a JSON reply adds its description and risk) |"
        )
        to_cmd = [i.command_tokens for _, _, i, _ in rows if i.command_tokens is not None]
        print(
            f"| model request to command on screen | {cmd_after_request:.2f} s | the command's end "
            f"is token {med([float(t) for t in to_cmd]):.0f} of the reply |"
        )
        print(f"| model call, whole | {m.get('call_ms', 0):.0f} ms | |")
        print(
            f"| command on screen to prompt | {i_prop - i_cmd:.2f} s | rest of the reply, guard, render |"
        )
    served = [s.server for _, s, _, _ in rows if s.server]
    if served:
        m = {
            k: med([c[k] for c in served if k in c])
            for k in ("prompt_n", "prompt_ms", "predicted_n", "predicted_ms")
        }
        print(
            f"\nshell_gpt's server per request (medians): read {m['prompt_n']:.0f} tokens in "
            f"{m['prompt_ms']:.0f} ms, decoded {m['predicted_n']:.0f} in {m['predicted_ms']:.0f} ms."
        )
    print(
        f"\nmodel {setup.model_id} ({setup.model_file.name}); server argv (both tools): "
        f"`{' '.join(a if a != setup.api_key else 'KEY' for a in setup.server_argv[1:])}`"
    )


@dataclass
class Scored:
    """One sample request as both tools answered it."""

    request: str
    expected: tuple[str, ...]
    i: str = ""
    i_status: str = ""
    i_s: float = 0.0
    sgpt: str = ""
    sgpt_s: float = 0.0

    @property
    def i_utility(self) -> str:
        return first_utility(self.i)

    @property
    def sgpt_utility(self) -> str:
        return first_utility(self.sgpt)

    @property
    def i_ok(self) -> bool:
        return self.i_utility in self.expected

    @property
    def sgpt_ok(self) -> bool:
        return self.sgpt_utility in self.expected


def utility(args: argparse.Namespace, setup: Setup, sgpt: Path) -> None:
    items: list[Item] = list(SAMPLE[: args.limit] if args.limit else SAMPLE)
    log = setup.work / "sgpt-server.log"
    results: list[Scored] = []
    with shared_server(setup, args.timeout):
        warm(setup, sgpt, args.timeout)
        offset = log.stat().st_size
        for n, item in enumerate(items):
            order = ("sgpt", "i") if n % 2 == 0 else ("i", "sgpt")
            row = Scored(item.request, item.expected)
            for tool in order:
                if tool == "sgpt":
                    s_run = run_sgpt(sgpt, item.request, setup.cwd, setup.sgpt_env, args.timeout)
                    _, offset = server_timings(log, offset)
                    row.sgpt, row.sgpt_s = s_run.command, s_run.total
                else:
                    row.i, row.i_status, row.i_s = ask_i_json(
                        item.request, setup.cwd, setup.i_env, args.timeout, setup.i_extra
                    )
            results.append(row)
            note(
                f"  {n + 1}/{len(items)} {item.request[:50]!r} want {item.expected}: "
                f"i {row.i_utility!r} {'ok' if row.i_ok else 'MISS'} ({row.i_s:.1f} s), "
                f"sgpt {row.sgpt_utility!r} {'ok' if row.sgpt_ok else 'MISS'} ({row.sgpt_s:.1f} s)"
            )
    print("\n| # | request | expected | i | sgpt |\n|---|---|---|---|---|")
    for n, row in enumerate(results, 1):
        i_mark = "✓" if row.i_ok else "✗"
        s_mark = "✓" if row.sgpt_ok else "✗"
        print(
            f"| {n} | {cell(row.request, 70)} | {'/'.join(row.expected)} | "
            f"{i_mark} `{cell(row.i or row.i_status, 45)}` | {s_mark} `{cell(row.sgpt, 45)}` |"
        )
    total = len(results)
    i_ok = sum(r.i_ok for r in results)
    s_ok = sum(r.sgpt_ok for r in results)
    print("\n| tool | utility match | median seconds per request |\n|---|---|---|")
    print(
        f"| i (`--dry --json --no-cache`, its own server per call) | {i_ok}/{total} "
        f"({100 * i_ok / total:.0f}%) | {med([r.i_s for r in results]):.2f} |"
    )
    print(
        f"| sgpt (`--shell --no-interaction --no-cache`, server kept running) | {s_ok}/{total} "
        f"({100 * s_ok / total:.0f}%) | {med([r.sgpt_s for r in results]):.2f} |"
    )
    not_proposed = [(r.request, r.i_status) for r in results if r.i_status != "proposed"]
    if not_proposed:
        print(f"\n`i` answered without a command (scored as a miss): {not_proposed}")
    if args.out:
        dump = [
            {**asdict(r), "i_utility": r.i_utility, "sgpt_utility": r.sgpt_utility} for r in results
        ]
        Path(args.out).write_text(json.dumps(dump, indent=1, ensure_ascii=False))
        note(f"per-request results: {args.out}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=8, help="requests timed (default 8)")
    ap.add_argument("--utility", action="store_true", help="the utility match instead of speed")
    ap.add_argument("--limit", type=int, default=0, help="--utility: only the first N requests")
    ap.add_argument("--out", default="", help="--utility: write per-request results as JSON")
    ap.add_argument("--sgpt", default="/opt/sgpt-venv/bin/sgpt", help="shell_gpt's executable")
    ap.add_argument(
        "--model", default=None, help="catalog id or .gguf path (default: intent's default)"
    )
    ap.add_argument("--timeout", type=float, default=900, help="seconds one call may take")
    ap.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    args = ap.parse_args()
    # killed with SIGTERM (a timeout, a CI runner), unwind like Ctrl-C: the `finally` of
    # shared_server stops its llama-server (it runs in a session of its own, so nothing else
    # would; it was left running)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: sys.exit(128 + signum))
    sgpt = Path(args.sgpt)
    if not sgpt.is_file():
        raise SystemExit(
            f"{sgpt} not found: python3 -m venv /opt/sgpt-venv && "
            "/opt/sgpt-venv/bin/pip install shell-gpt 'typer==0.24.0'"
        )
    # an installed intent runs from byte-code (install.sh compiles it); so does this checkout
    compileall.compile_dir(str(ROOT / "intent"), quiet=1)
    version = subprocess.run(
        [str(sgpt), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    setup = prepare(args)
    note(f"work dir {setup.work}")
    print(
        f"intent {commit} against {version or 'shell_gpt'}, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cpus"
    )
    print(f"before: {uptime()}")
    try:
        if args.utility:
            utility(args, setup, sgpt)
        else:
            speed(args, setup, sgpt)
    finally:
        print(f"\nafter: {uptime()}")
        if not args.keep:
            shutil.rmtree(setup.work, ignore_errors=True)
        else:
            note(f"kept {setup.work}")


if __name__ == "__main__":
    main()
