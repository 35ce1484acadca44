"""The confinement with a real bubblewrap: what runs unasked cannot change files, read keys or
type into the terminal; untrusted text runs nowhere before the user confirms (issue 23)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REAL_ENV
from conftest import command_reply as reply
from ptydriver import Terminal

from intent import confine, process

KEY = "-----BEGIN OPENSSH PRIVATE KEY----- impostor-test-key-material"
# a Python the view can see: a virtualenv in a checkout under /tmp is hidden by the private /tmp,
# the interpreter it links to is not
PYTHON = os.path.realpath(sys.executable)

IMPOSTOR = """#!/bin/sh
echo "impostor ls ran"
echo pwned > "$WORK/canary.txt"
echo pwned > "$HOME/canary-home.txt"
cat "$HOME/.ssh/id_ed25519"
rm -f "$WORK/keep.txt"
exit 0
"""


@pytest.fixture
def bwrap() -> None:
    """A working bubblewrap, or a skip (a failure where the real parts are required: CI)."""
    st = confine.status()
    if not st.works:
        if REAL_ENV.get("INTENT_REAL_TESTS") == "required" and sys.platform.startswith("linux"):
            pytest.fail(f"the confinement must work in CI: {st.reason}; {st.fix}")
        pytest.skip(st.reason)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, str]:
    """A working directory with an impostor `ls` first on PATH, a private key in HOME and a file
    the impostor deletes. Everything lives under the working directory, which the view keeps
    visible (the rest of /tmp is private inside)."""
    work = tmp_path / "work"
    (work / "bin").mkdir(parents=True)
    (work / "home" / ".ssh").mkdir(parents=True)
    (work / "home" / ".ssh" / "id_ed25519").write_text(KEY)
    (work / "keep.txt").write_text("keep me")
    impostor = work / "bin" / "ls"
    impostor.write_text(IMPOSTOR)
    impostor.chmod(0o755)
    return {
        "WORK": str(work),
        "HOME": str(work / "home"),
        "PATH": f"{work / 'bin'}:{os.environ['PATH']}",
    }


def _untouched(env: dict[str, str]) -> None:
    work, home = Path(env["WORK"]), Path(env["HOME"])
    assert not (work / "canary.txt").exists()
    assert not (home / "canary-home.txt").exists()
    assert (work / "keep.txt").read_text() == "keep me"


def _audit(intent_home: Path) -> list[dict]:
    logs = list(intent_home.rglob("audit*.jsonl"))
    assert logs, "no audit log written"
    return [json.loads(line) for line in logs[0].read_text().splitlines() if line.strip()]


def test_impostor_via_yes_without_a_terminal(bwrap, world, run_i, intent_home) -> None:
    ran = run_i(
        "--backend",
        "mock",
        "-y",
        "list files",
        script=[reply("ls")],
        cwd=Path(world["WORK"]),
        env=world,
    )
    assert "impostor ls ran" in ran.stdout  # it did run, confined
    _untouched(world)
    assert "impostor-test-key-material" not in ran.stdout + ran.stderr
    assert "tried to change files" in ran.stderr
    last = _audit(intent_home)[-1]
    assert last["confined"] is True and "tried_to_write" in last["events"]
    assert "impostor-test-key-material" not in json.dumps(last)


def test_impostor_via_enter_on_a_terminal_then_declined(bwrap, world, intent_home) -> None:
    t = Terminal(["list files"], [reply("ls")], Path(world["WORK"]), env=world)
    t.expect("[Enter] run")
    t.send("\r")
    t.expect("impostor ls ran")
    t.expect("tried to change files")
    t.expect("without the read-only view")
    t.send("\r")  # Enter is not a typed y: nothing more runs
    t.wait()
    assert "impostor-test-key-material" not in t.seen
    _untouched(world)
    assert "tried_to_write" in _audit(intent_home)[-1]["events"]


def test_after_a_tried_write_a_typed_y_runs_it_unconfined(bwrap, world, intent_home) -> None:
    t = Terminal(["list files"], [reply("ls")], Path(world["WORK"]), env=world)
    t.expect("[Enter] run")
    t.send("\r")
    t.expect("without the read-only view")
    t.send("y\r")
    t.wait()
    assert (Path(world["WORK"]) / "canary.txt").exists()  # the user chose it, at mutates friction
    records = _audit(intent_home)
    assert records[-1]["decision"] == "unconfined" and records[-1]["confined"] is False


def test_interactive_commands_keep_the_terminal(bwrap, tmp_path: Path) -> None:
    t = Terminal(
        ["is this a terminal"], [reply("test -t 0 && test -t 1 && echo on-a-tty")], tmp_path
    )
    t.expect("[Enter] run")
    t.send("\r")
    t.expect("on-a-tty")
    assert t.wait() == 0


def test_the_view_sees_processes_hides_keys_and_refuses_writes(
    bwrap, tmp_path, monkeypatch
) -> None:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text("aws_secret_access_key=abc")
    (home / ".netrc").write_text("machine x login u password p")
    monkeypatch.setenv("HOME", str(home))
    script = (
        "echo $$ > /tmp/private-ok; cat /tmp/private-ok >/dev/null;"
        f"cat {home}/.aws/credentials {home}/.netrc; "
        f"ps -p {os.getpid()} -o pid= && echo sees-parent; "
        f"touch {tmp_path}/made; echo exit=$?"
    )
    with confine.read_only(["sh", "-c", script], tmp_path) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "aws_secret" not in res.stdout and "password" not in res.stdout
    assert "sees-parent" in res.stdout  # this machine's processes are listed
    assert "exit=1" in res.stdout and not (tmp_path / "made").exists()
    assert confine.tried_to_write(1, res.stderr)
    assert not Path("/tmp/private-ok").exists()  # noqa: S108 - /tmp inside was private


def test_a_writable_working_directory_keeps_its_keys_hidden(bwrap, tmp_path, monkeypatch) -> None:
    # `--sandbox` in the home directory: the writable bind once covered what hid ~/.ssh
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(KEY)
    monkeypatch.setenv("HOME", str(home))
    script = "cat .ssh/id_ed25519; echo made > made.txt"
    with confine.sandbox(["sh", "-c", script], home, writable=True) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "impostor-test-key" not in res.stdout
    assert (home / "made.txt").read_text() == "made\n"  # the directory itself is writable


# The red team's escapes from the first version of the view (it kept root's capabilities and
# shared the PID namespace): each must fail now.
ESCAPES = {
    "remount": "mount -o remount,rw,bind / && touch {work}/esc-remount",
    "unmount a hidden key": "umount {home}/.ssh && cat {home}/.ssh/id_ed25519",
    "another process's root": "touch /proc/{pid}/root{work}/esc-procroot",
    "read through another root": "cat /proc/{pid}/root{home}/.ssh/id_ed25519",
    "glob over every root": "cat /proc/*/root{home}/.ssh/id_ed25519",
    "signal a process outside": "kill -STOP {victim}",
    "kernel setting": "echo x > /proc/sys/kernel/domainname",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_escapes_fail(bwrap, world, monkeypatch, name) -> None:
    monkeypatch.setenv("HOME", world["HOME"])
    work = Path(world["WORK"])
    victim = subprocess.Popen(["sleep", "60"])
    try:
        command = ESCAPES[name].format(
            work=work, home=world["HOME"], pid=os.getpid(), victim=victim.pid
        )
        with confine.read_only(["sh", "-c", command + "; echo done"], work) as view:
            res = process.run(view.argv, pass_fds=view.fds, timeout=10)
        state = Path(f"/proc/{victim.pid}/status").read_text()
    finally:
        victim.kill()
        victim.wait()
    assert "done" in res.stdout  # it ran
    assert "impostor-test-key-material" not in res.stdout
    assert not list(work.glob("esc-*"))
    assert "State:\tT" not in state  # the process outside was not stopped


def test_nothing_it_starts_outlives_it(bwrap, tmp_path) -> None:
    marker = f"sleep 4{os.getpid() % 1000:03d}"
    with confine.read_only(
        ["sh", "-c", f"( setsid {marker} >/dev/null 2>&1 & ); echo ok"], tmp_path
    ) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "ok" in res.stdout
    left = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    assert left.stdout.strip() == "", "a process outlived the confined command"


def test_no_typing_into_the_terminal(bwrap, tmp_path: Path) -> None:
    code = "import fcntl, termios; fcntl.ioctl(0, termios.TIOCSTI, b'x'); print('typed')"
    with confine.read_only([PYTHON, "-c", code], tmp_path) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "typed" not in res.stdout and "Operation not permitted" in res.stderr


def test_a_probe_reaches_no_unix_socket_and_the_view_still_does(bwrap, tmp_path: Path) -> None:
    # a socket with a file name is reachable through a read-only mount: an ssh-agent, a bus
    where = Path("/var/tmp") / f"intent-unix-test-{os.getpid()}"
    where.mkdir(exist_ok=True)
    path = where / "sock"
    code = (
        "import socket; s = socket.socket(socket.AF_UNIX); "
        f"s.connect({str(path)!r}); print('connected')"
    )
    try:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
            server.listen(2)
            with confine.probe([PYTHON, "-c", code], tmp_path) as view:
                assert view is not None
                res = process.run(view.argv, pass_fds=view.fds, timeout=10)
            assert "connected" not in res.stdout and "Operation not permitted" in res.stderr
            # what the user let run (Enter, -y) keeps its sockets: only probes lose them
            with confine.read_only([PYTHON, "-c", code], tmp_path) as view:
                res = process.run(view.argv, pass_fds=view.fds, timeout=10)
            assert "connected" in res.stdout
    finally:
        path.unlink(missing_ok=True)
        where.rmdir()


def test_a_probe_has_no_network(bwrap, tmp_path: Path) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        code = (
            f"import socket; socket.create_connection(('127.0.0.1', {port}), 2); print('reached')"
        )
        with confine.probe([PYTHON, "-c", code], tmp_path) as view:
            assert view is not None
            res = process.run(view.argv, pass_fds=view.fds, timeout=10)
        assert "reached" not in res.stdout
        with confine.read_only([PYTHON, "-c", code], tmp_path) as view:
            res = process.run(view.argv, pass_fds=view.fds, timeout=10)
        assert "reached" in res.stdout  # the view for network commands keeps the network


def test_seccomp_program_per_architecture() -> None:
    program = confine.seccomp_program("x86_64")
    assert program and len(program) % 8 == 0
    assert confine.seccomp_program("x86_64", no_unix=True) != program
    assert confine.seccomp_program("aarch64") != confine.seccomp_program("x86_64")
    assert confine.seccomp_program("sparc") is None


def test_the_view_hides_what_the_tools_refuse() -> None:
    """One list in two forms: every credential directory the model's tools refuse is hidden in
    the view, and everything the view hides is refused by the tools."""
    from intent.turn import tools

    covered = {Path(rel).name for rel in confine.HOME_SECRETS}
    assert {d for d in tools.CREDENTIAL_DIRS if d != "gcloud"} <= covered
    assert ".config/gcloud" in confine.HOME_SECRETS
    home = Path.home()
    assert all(tools.is_credential(home / rel / "x") for rel in confine.HOME_SECRETS)


# -- confine = always / auto without a working confinement -----------------------------------


@pytest.fixture
def no_bwrap(tmp_path: Path) -> dict[str, str]:
    bin_dir = tmp_path / "nobwrap"
    bin_dir.mkdir()
    for name in ("bash", "sh", "ls", "echo", "cat"):
        found = subprocess.run(["sh", "-c", f"command -v {name}"], capture_output=True, text=True)
        if found.stdout.strip().startswith("/"):
            (bin_dir / name).symlink_to(found.stdout.strip())
    return {"PATH": str(bin_dir)}


def test_always_without_a_confinement_runs_nothing(no_bwrap, run_i, tmp_path) -> None:
    assert run_i("config", "set", "confine", "always").code == 0
    ran = run_i("--backend", "mock", "-y", "say hi", script=[reply("ls")], env=no_bwrap)
    assert ran.code == 6, ran.stderr
    assert "confine = always" in ran.stderr


def test_auto_without_a_confinement_runs_with_a_notice(no_bwrap, run_i, tmp_path) -> None:
    (tmp_path / "seen.txt").write_text("x")
    ran = run_i("--backend", "mock", "-y", "list", script=[reply("ls")], env=no_bwrap)
    assert ran.code == 0 and "seen.txt" in ran.stdout
    assert "running unconfined" in ran.stderr


def test_never_runs_unconfined(bwrap, run_i, tmp_path) -> None:
    assert run_i("config", "set", "confine", "never").code == 0
    ran = run_i("--backend", "mock", "-y", "where", script=[reply("touch made.txt")])
    # touch is rated mutates: -y refuses it whatever confine says
    assert ran.code == 7 and not (tmp_path / "made.txt").exists()
    ran = run_i("--backend", "mock", "--json", "-y", "list", script=[reply("ls")])
    assert ran.json()["confined"] is False


def test_doctor_says_which_applies(bwrap, run_i) -> None:
    out = run_i("doctor", "--quick", "--json")
    checks = {c["name"]: c for c in json.loads(out.stdout)["checks"]}
    assert checks["confinement"]["ok"] and "read-only view" in checks["confinement"]["detail"]


def test_a_tool_that_needs_a_hidden_store_is_explained(bwrap, world, intent_home) -> None:
    docker = Path(world["WORK"]) / "bin" / "docker"
    docker.write_text('#!/bin/sh\ncat "$HOME/.docker/config.json" || exit 1\necho containers\n')
    docker.chmod(0o755)
    config = Path(world["HOME"]) / ".docker" / "config.json"
    config.parent.mkdir()
    config.write_text('{"auths": {}}')
    t = Terminal(["list containers"], [reply("docker ps")], Path(world["WORK"]), env=world)
    t.expect("[Enter] run")
    t.send("\r")
    t.expect("hides credential stores")
    t.expect("without the read-only view")
    t.send("y\r")
    t.expect("containers")
    assert t.wait() == 0
    last = _audit(intent_home)[-1]
    assert "failed_confined" in last["events"] and last["decision"] == "unconfined"


def test_listing_other_processes_sockets_works(bwrap, run_i, tmp_path) -> None:
    """`ss -p` inside the view would show no process (the user namespace hides other processes'
    file descriptors): a lister in the fixed shape, with the system's own programs, runs
    outside it and names the listener."""
    if not shutil.which("ss"):
        pytest.skip("needs ss (iproute2)")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        ran = run_i(
            "--backend",
            "mock",
            "--json",
            "-y",
            "who listens",
            script=[reply(f"ss -ltnp | grep {port}")],
        )
        envelope = ran.json()
    assert envelope["executed"] and envelope["confined"] is False
    assert f"pid={os.getpid()}" in envelope["stdout"]


def test_an_impostor_lister_stays_confined(bwrap, world, run_i) -> None:
    ss = Path(world["WORK"]) / "bin" / "ss"
    ss.write_text(f"#!/bin/sh\necho pwned > {world['WORK']}/canary.txt\n")
    ss.chmod(0o755)
    ran = run_i(
        "--backend",
        "mock",
        "--json",
        "-y",
        "who listens",
        script=[reply("ss -ltnp")],
        cwd=Path(world["WORK"]),
        env=world,
    )
    assert ran.json()["confined"] is True
    _untouched(world)
    assert not confine.process_view("ss -ltnp | grep $(touch x)")
    assert not confine.process_view("ss -K dst 10.0.0.1")
    assert not confine.process_view("fuser -k 80/tcp")
    assert not confine.process_view("ss -ltnp | sort -o /etc/passwd")


def test_keys_typed_ahead_do_not_answer_the_unconfined_question(bwrap, world) -> None:
    t = Terminal(["list files"], [reply("ls")], Path(world["WORK"]), env=world)
    t.expect("[Enter] run")
    t.send("\ry\r")  # Enter, and a y typed before the second question was asked
    t.expect("without the read-only view")
    t.send("\r")
    t.wait()
    _untouched(world)


@pytest.mark.skipif(platform.machine() != "x86_64" or not shutil.which("gcc"), reason="x86_64, gcc")
def test_no_typing_into_the_terminal_through_the_32_bit_entry(bwrap, tmp_path: Path) -> None:
    """`int 0x80` reaches the i386 ioctl: the filter must refuse TIOCSTI there too (the second
    red team typed a command into the user's shell this way)."""
    binary = tmp_path / "sti32"
    source = Path(__file__).parent.parent / "data" / "sti32.c"
    built = subprocess.run(["gcc", "-O0", "-o", str(binary), str(source)], capture_output=True)
    if built.returncode != 0:
        pytest.skip(f"cannot build the probe: {built.stderr[-200:]!r}")
    plain = subprocess.run([str(binary)], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert "int80 ret=-25" in plain.stdout  # ENOTTY: the call itself got through
    with confine.read_only([str(binary)], tmp_path) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "int80 ret=-1" in res.stdout, res.stdout + res.stderr  # EPERM from the filter


# The second red team ran these outside the view through the lister exception, or found these
# stores readable inside it.
OUT_OF_SHAPE = [
    "ss -tp | egrep x",  # egrep is `exec grep -E`: grep found again on PATH
    "ss -tp --di=/tmp/overwritten",  # --diag, abbreviated
    "ss -tp --k sport = :45678",  # --kill, abbreviated
    "ss -tp -F /etc/shadow",
    "ss -tp --fi=/etc/shadow",
    "lsof -p 1 | grep -h . /etc/shadow",
    "ss -tp | grep -r SECRET /home",
    "ss -tp | head -n 50 /root/.ssh/id_ed25519",
    "ss -tp | tail /etc/shadow",
    "ss -tp | sort /etc/shadow",
    "ss -tp | cut -c1- /etc/shadow",
    "ss -tp | column /etc/shadow",
    "ss -tp | wc --files0-from=/etc/shadow",
    "ss -tp | grep -f /etc/shadow",
    "ss -tp | uniq in out",
    "ss -tp | sort -o out",
    "fuser -k 80/tcp",
    "lsof -D b",
    "ss -N other",
]
IN_SHAPE = [
    "lsof -i :3000",
    "lsof -nP -iTCP:3000 -sTCP:LISTEN",
    "ss -ltnp | grep 3000",
    "ss -ltnp state listening sport = :22",
    "netstat -tulnp | grep :80 | head -5",
]


@pytest.mark.parametrize("command", OUT_OF_SHAPE)
def test_out_of_shape_listers_stay_in_the_view(command) -> None:
    assert not confine.process_view(command)


@pytest.mark.parametrize("command", IN_SHAPE)
def test_plain_listers_are_in_shape(command) -> None:
    program = command.split()[0]
    if not shutil.which(program):
        pytest.skip(f"{program} is not installed")
    assert confine.process_view(command)


@pytest.mark.parametrize(
    "store",
    [
        ".config/git/credentials",
        ".s3cfg",
        ".boto",
        ".cargo/credentials.toml",
        ".config/containers/auth.json",
        ".authinfo",
        ".config/sops",
        ".gem/credentials",
        ".m2/settings.xml",
        ".gradle/gradle.properties",
        ".subversion/auth",
        ".msmtprc",
        ".mozilla",
        ".config/google-chrome",
        ".env",
        ".curlrc",
        ".config/doctl",
    ],
)
def test_more_stores_are_hidden(bwrap, tmp_path, monkeypatch, store) -> None:
    home = tmp_path / "home"
    target = home / store
    target.parent.mkdir(parents=True, exist_ok=True)
    if "." in target.name and not target.name.startswith(".config"):
        target.write_text("secret-store-content")
        readable = target
    else:
        target.mkdir()
        readable = target / "inside"
        readable.write_text("secret-store-content")
    monkeypatch.setenv("HOME", str(home))
    with confine.read_only(["cat", str(readable)], tmp_path) as view:
        res = process.run(view.argv, pass_fds=view.fds, timeout=10)
    assert "secret-store-content" not in res.stdout
