"""Metamorphic property: a disguise never lowers the guard's rating, and a refusal stays one.

For a dangerous core command and one or two transformations (a wrapper, a shell form, a quoting
form, chaining behind a safe command), the transformed command is rated at least as high as
the core. Hypothesis picks the combinations; the default example count runs in CI.
"""

from __future__ import annotations

from typing import Any

from guard_cases import (
    DANGEROUS_CORES,
    PREFIX_WRAPPERS,
    QUOTING_FORMS,
    REFUSED_CORES,
    SHELL_FORMS,
    STRING_WRAPPERS,
)
from hypothesis import assume, given
from hypothesis import strategies as st

from intent.guard import rank
from intent.safety import assess

CORES = REFUSED_CORES + [core for core, _ in DANGEROUS_CORES]
# Quoting rewrites the core's own words, so it comes first; wrappers and shell forms keep the
# meaning of any command, so they compose.
quotings = st.sampled_from([lambda c: c, *QUOTING_FORMS])
outers = st.sampled_from(
    [*(lambda c, w=w: f"{w} {c}" for w in PREFIX_WRAPPERS), *STRING_WRAPPERS, *SHELL_FORMS]
)


@given(
    core=st.sampled_from(CORES),
    quoting=quotings,
    chain=st.lists(outers, min_size=1, max_size=2),
)
def test_a_disguise_never_lowers_the_rating(core: str, quoting: Any, chain: list[Any]) -> None:
    before = assess(core)
    command: str | None = quoting(core)
    assume(command is not None)
    for transform in chain:
        assert command is not None
        command = transform(command)
        assume(command is not None)
    assert command is not None
    after = assess(command)
    assert rank(after.risk) >= rank(before.risk), (command, after)
    if before.hard_reject:
        assert after.hard_reject, (command, after)


@given(
    core=st.sampled_from(CORES),
    safe=st.sampled_from(["ls", "pwd", "echo ok", "git status"]),
    op=st.sampled_from([" && ", "; ", " || ", "\n", " | "]),
)
def test_chaining_behind_a_safe_command_never_lowers_the_rating(
    core: str, safe: str, op: str
) -> None:
    before = assess(core)
    after = assess(f"{safe}{op}{core}")
    assert rank(after.risk) >= rank(before.risk)
    assert after.hard_reject or not before.hard_reject
