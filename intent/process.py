"""The one place that starts processes.

Tools, probes and builds run through `run()` (argv lists, timeouts, never a shell). The
llama-server child is started by `spawn_child()` in its own session with a parent-death signal.
Only `run_user_command()` uses a shell, and only for a command the user has confirmed.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# the types a caller holds or catches, so that no other module needs to import subprocess
Popen = subprocess.Popen
TimeoutExpired = subprocess.TimeoutExpired

PR_SET_PDEATHSIG = 1
STDOUT_CAP = 4 << 20  # captured stdout kept for `--json`; the rest is read and dropped


@dataclass(frozen=True)
class Result:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


def run(
    argv: Sequence[str],
    *,
    timeout: float = 30,
    env: Mapping[str, str] | None = None,
    cwd: Path | str | None = None,
    stdin_text: str | None = None,
    pass_fds: Sequence[int] = (),
    output_cap: int | None = None,
) -> Result:
    """Run a program to completion and capture its output. Missing programs raise OSError.
    `pass_fds` stay open in the child (a confinement's seccomp program); with `output_cap` the
    program is killed once it has printed that many bytes (a confined `--help` may not flood)."""
    if output_cap is not None:
        return _run_capped(
            argv, timeout=timeout, env=env, cwd=cwd, pass_fds=pass_fds, cap=output_cap
        )
    try:
        proc = subprocess.run(
            list(argv),
            input=stdin_text,
            stdin=None if stdin_text is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=timeout,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            pass_fds=tuple(pass_fds),
        )
    except subprocess.TimeoutExpired as exc:
        return Result(tuple(argv), -9, _text(exc.stdout), _text(exc.stderr), timed_out=True)
    return Result(tuple(argv), proc.returncode, proc.stdout, proc.stderr)


def _run_capped(
    argv: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None,
    cwd: Path | str | None,
    pass_fds: Sequence[int],
    cap: int,
) -> Result:
    import selectors

    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env) if env is not None else None,
        cwd=cwd,
        start_new_session=True,
        pass_fds=tuple(pass_fds),
    )
    assert proc.stdout is not None and proc.stderr is not None
    buffers = {proc.stdout: bytearray(), proc.stderr: bytearray()}
    deadline = time.monotonic() + timeout
    timed_out = False
    with selectors.DefaultSelector() as sel:
        for stream in buffers:
            sel.register(stream, selectors.EVENT_READ)
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            for key, _ in sel.select(left):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buffers[key.fileobj].extend(chunk)  # type: ignore[index]
            if sum(map(len, buffers.values())) > cap:
                break
    if proc.poll() is None:
        kill_group(proc, grace=0.2)
    proc.wait()
    for stream in buffers:
        stream.close()
    out, err = (bytes(b[:cap]).decode(errors="replace") for b in buffers.values())
    return Result(tuple(argv), -9 if timed_out else proc.returncode, out, err, timed_out=timed_out)


def stream(
    argv: Sequence[str],
    *,
    on_line: Callable[[str], None],
    timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | str | None = None,
) -> int:
    """Run a long program (a build), passing each output line to `on_line`."""
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        env=dict(env) if env is not None else None,
        cwd=cwd,
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            on_line(line.rstrip("\n"))
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(list(argv), timeout)
        return proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            kill_group(proc)


def feed(argv: Sequence[str], text: str, *, timeout: float = 5) -> bool:
    """Give `text` to a program on stdin and wait for it; True when it exits 0.

    Its output goes to /dev/null rather than a pipe: clipboard tools (xclip, wl-copy) fork a
    child that keeps serving the selection, and a captured pipe would wait for that child.
    """
    try:
        proc = subprocess.run(
            list(argv),
            input=text.encode(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
            start_new_session=True,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode(errors="replace")


def _die_with_parent() -> None:
    # Linux only: the kernel sends SIGKILL to the child when `i` dies, even by SIGKILL.
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def watch(parent: int, child: int) -> None:
    """Run in a separate process where there is no PR_SET_PDEATHSIG: once `parent` (`i`) is gone,
    kill the child's group (polled twice a second)."""
    while pid_alive(child):
        if not pid_alive(parent) or os.getppid() != parent:
            kill_pgid(child, grace=2.0)
            return
        time.sleep(0.5)


WATCHDOG = "import sys; from intent.process import watch; watch(int(sys.argv[1]), int(sys.argv[2]))"


def spawn_child(
    argv: Sequence[str], *, log_path: Path, env: Mapping[str, str], watchdog: bool | None = None
) -> subprocess.Popen[bytes]:
    """Start a long-lived helper (llama-server) that belongs to this invocation only.

    On Linux the kernel kills it when `i` dies (PR_SET_PDEATHSIG); elsewhere, or when asked,
    a watchdog process does.
    """
    linux = sys.platform.startswith("linux")
    use_watchdog = watchdog if watchdog is not None else not linux
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        child = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env),
            start_new_session=True,
            preexec_fn=None if use_watchdog else _die_with_parent,
        )
    if use_watchdog:
        subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(child.pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    return child


def kill_group(proc: subprocess.Popen[Any], grace: float = 2.0) -> None:
    """SIGTERM the child's process group, wait briefly, then SIGKILL it."""
    kill_pgid(proc.pid, grace=grace, is_done=lambda: proc.poll() is not None)
    with contextlib.suppress(Exception):
        proc.wait(timeout=1)


def kill_pgid(pgid: int, *, grace: float = 2.0, is_done: Callable[[], bool] | None = None) -> None:
    def done() -> bool:
        if is_done is not None:
            return is_done()
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if done():
                return
            time.sleep(0.02)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def process_cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return ""


@dataclass(frozen=True)
class CommandOutcome:
    exit_code: int
    stdout: str | None
    stderr_tail: str
    timed_out: bool
    interrupted: bool
    duration_s: float


def run_user_command(
    argv: Sequence[str],
    *,
    timeout: float,
    stdin_data: bytes | None = None,
    capture_stdout: bool = False,
    cwd: Path | str | None = None,
    pass_fds: Sequence[int] = (),
) -> CommandOutcome:
    """Run the confirmed command in its own process group with inherited stdio.

    Stderr is teed so the audit log and `i fix` can see its tail. Ctrl-C and the timeout kill
    the whole group, so nothing the command started is left running.
    """
    import threading

    started = time.monotonic()
    proc = subprocess.Popen(
        list(argv),
        stdin=subprocess.PIPE if stdin_data is not None else None,
        stdout=subprocess.PIPE if capture_stdout else None,
        stderr=subprocess.PIPE,
        cwd=cwd,
        process_group=0,
        pass_fds=tuple(pass_fds),
    )
    restore = _hand_terminal_to(proc.pid)
    tail = bytearray()
    out = bytearray()

    def pump_err() -> None:
        assert proc.stderr is not None
        for chunk in iter(lambda: proc.stderr.read1(4096), b""):  # type: ignore[union-attr,attr-defined]
            with contextlib.suppress(Exception):
                sys.stderr.buffer.write(chunk)
                sys.stderr.buffer.flush()
            tail.extend(chunk)
            del tail[:-4096]

    def pump_out() -> None:
        assert proc.stdout is not None
        for chunk in iter(lambda: proc.stdout.read1(65536), b""):  # type: ignore[union-attr,attr-defined]
            if len(out) < STDOUT_CAP:  # keep draining past the cap so the command never blocks
                out.extend(chunk[: STDOUT_CAP - len(out)])

    def feed_in() -> None:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.write(stdin_data or b"")
        with contextlib.suppress(BrokenPipeError, OSError):
            proc.stdin.close()

    threads = [threading.Thread(target=pump_err, daemon=True)]
    if capture_stdout:
        threads.append(threading.Thread(target=pump_out, daemon=True))
    if stdin_data is not None:
        threads.append(threading.Thread(target=feed_in, daemon=True))
    for t in threads:
        t.start()
    timed_out = interrupted = False
    try:
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            code = 124
        except KeyboardInterrupt:
            interrupted = True
            kill_group(proc, grace=1.0)
            code = 130
        if code == -signal.SIGINT:
            interrupted = True
    finally:
        restore()
    for t in threads:
        t.join(timeout=2)
    return CommandOutcome(
        exit_code=code if code >= 0 else 128 - code,
        stdout=out.decode(errors="replace") if capture_stdout else None,
        stderr_tail=tail.decode(errors="replace"),
        timed_out=timed_out,
        interrupted=interrupted,
        duration_s=time.monotonic() - started,
    )


def _hand_terminal_to(pgid: int) -> Callable[[], None]:
    """Make the command's group the terminal's foreground group, as a shell does, so that
    interactive programs can read the terminal and Ctrl-C reaches them. Returns the undo."""
    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return lambda: None
        ours = os.tcgetpgrp(fd)
    except (OSError, ValueError, AttributeError):
        return lambda: None
    old = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(fd, pgid)
    except OSError:
        signal.signal(signal.SIGTTOU, old)
        return lambda: None

    def undo() -> None:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(fd, ours)
        signal.signal(signal.SIGTTOU, old)

    return undo
