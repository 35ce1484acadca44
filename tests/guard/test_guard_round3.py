"""Guard round 3 (issue 24): the families a second red team found, ordinary commands rated
right, and a dangerous core that never rates lower in any wrapper, quoting, here-document,
script label or environment form the guard supports (`tests/guard/round3_cases.py`)."""

from __future__ import annotations

import shlex
from collections.abc import Callable

import pytest
from guard_cases import ALL_TRANSFORMS, REFUSED_CORES
from round3_cases import (
    ENCODED_PROGRAMS,
    FAMILIES,
    HANDED_RED_TEAM,
    KNOWLEDGE_RED_TEAM,
    ORDINARY_EXTRA,
    ORDINARY_ROUND3,
    RED_TEAM,
    ROUND3_CORES,
)

from intent.guard import rank
from intent.safety import assess

ROWS = [(family, *row) for family, rows in FAMILIES.items() for row in rows]


@pytest.mark.parametrize(("family", "command", "lowest", "refused"), ROWS)
def test_family_member_is_rated_at_least(
    family: str, command: str, lowest: str, refused: bool
) -> None:
    verdict = assess(command)
    assert rank(verdict.risk) >= rank(lowest), (family, verdict)
    if refused:
        assert verdict.hard_reject, (family, verdict)


@pytest.mark.parametrize(
    ("command", "lowest", "refused"),
    RED_TEAM + KNOWLEDGE_RED_TEAM + HANDED_RED_TEAM + ENCODED_PROGRAMS,
)
def test_red_team_member_is_rated_at_least(command: str, lowest: str, refused: bool) -> None:
    verdict = assess(command)
    assert rank(verdict.risk) >= rank(lowest), verdict
    if refused:
        assert verdict.hard_reject, verdict


def test_more_ordinary_commands_are_rarely_above_network() -> None:
    above = [(c, assess(c).reasons) for c in ORDINARY_EXTRA if rank(assess(c).risk) > 1]
    assert len(above) <= 0.02 * len(ORDINARY_EXTRA), above


def test_ordinary_round3_commands_are_not_false_alarms() -> None:
    above = [(c, assess(c).reasons) for c in ORDINARY_ROUND3 if rank(assess(c).risk) > 1]
    assert not above


def test_the_round3_tables_are_big_enough() -> None:
    assert len(ROWS) >= 400
    assert len(ORDINARY_ROUND3) >= 100


q = shlex.quote
# the forms added in round 3: wrappers, runners, here-documents, script labels, environments
ROUND3_FORMS: list[Callable[[str], str]] = [
    lambda c: f"ip netns exec blue {c}",
    lambda c: f"ip vrf exec red {c}",
    lambda c: f"nsenter -t 1 -m -u -n -p {c}",
    lambda c: f"perf stat {c}",
    lambda c: f"perf record -- {c}",
    lambda c: f"proxychains4 -q {c}",
    lambda c: f"faketime now {c}",
    lambda c: f"setarch x86_64 {c}",
    lambda c: f"numactl -C 0 {c}",
    lambda c: f"cgexec -g cpu:grp {c}",
    lambda c: f"dbus-run-session {c}",
    lambda c: f"xvfb-run {c}",
    lambda c: f"env -C /tmp {c}",
    lambda c: f"env FOO=1 {c}",
    lambda c: f"FOO=bar {c}",
    lambda c: f"export FOO=1; {c}",
    lambda c: f"tmux new -d {q(c)}",
    lambda c: f"tmux new-session -d -s job {q(c)}",
    lambda c: f"tmux run-shell {q(c)}",
    lambda c: f"screen -dm {c}",
    lambda c: f"screen -dmS job sh -c {q(c)}",
    lambda c: f"hyperfine {q(c)}",
    lambda c: f"hyperfine --prepare {q(c)} true",
    lambda c: f"echo {q(c)} | batch",
    lambda c: f"batch <<< {q(c)}",
    lambda c: f"echo {q('* * * * * ' + c)} | crontab -",
    lambda c: f"crontab <<< {q('@reboot ' + c)}",
    lambda c: f"gdb -batch -ex {q('shell ' + c)}",
    lambda c: f"capsh -- -c {q(c)}",
    lambda c: f"cat <<EOF\n$({c})\nEOF",
    lambda c: f"cat <<EOF\n`{c}`\nEOF",
    lambda c: f"wc -l <<-END\n\t$({c})\nEND",
    lambda c: f"dash -c {q(c)}",
    lambda c: f"sh -c {q(c)}",
    lambda c: f"ash -c {q(c)}",
    lambda c: f"python3 -c {q('import os; os.system(' + repr(c) + ')')}",
    lambda c: f"perl -e {q('system(' + repr(c) + ')')}",
    lambda c: f"awk {q('BEGIN { system(' + chr(34) + c.replace(chr(34), '') + chr(34) + ') }')}",
    lambda c: f"find . -maxdepth 0 -exec sh -c {q(c)} \\;",
    lambda c: f"x=1; {c}",
    lambda c: f"for i in 1; do {c}; done",
]


def _forms() -> list[Callable[[str], str | None]]:
    return [*ALL_TRANSFORMS, *ROUND3_FORMS]


@pytest.mark.parametrize("core", REFUSED_CORES + ROUND3_CORES)
def test_a_core_never_rates_lower_in_any_form(core: str) -> None:
    before = assess(core)
    for form in _forms():
        command = form(core)
        if command is None:
            continue
        after = assess(command)
        assert rank(after.risk) >= rank(before.risk), (command, after)
        if before.hard_reject:
            assert after.hard_reject, (command, after)


@pytest.mark.parametrize("core", ["rm -rf /", "rm -rf ~", "rm -rf /etc"])
@pytest.mark.parametrize(
    "spelling",
    [
        "x=/; rm -rf $x",
        "x=/abc; rm -rf ${x:0:1}",
        "rm -rf ${PWD:0:1}",
        'd=~; rm -rf "$d"',
        "rm -rf ${HOME%/*}",
        "rm -rf $(dirname $HOME)",
        'rm -rf "$(echo /)"',
        "rm -rf `printf /`",
        "for d in build /; do rm -rf $d; done",
        "env -C / rm -rf *",
        "sudo -D / rm -rf *",
        "rm -rf /*/",
    ],
)
def test_computed_paths_are_refused(core: str, spelling: str) -> None:
    assert assess(spelling).hard_reject, assess(spelling)
