"""Benchmark tasks: a request, a reference command and how to compare a proposed command with it.

Every task runs on the standard fixture (`fixture.sh`) plus its own `setup`, in a sandbox
(`sandbox.py`). `check` names how outputs or effects are compared (see `sandbox.CHECKS`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    id: str
    request: str
    reference: str
    check: tuple[str, ...] = ("out",)
    setup: str = ""  # extra shell lines run in the fixture after fixture.sh
    prelude: str = ""  # run in the sandbox before the command (background processes)
    probe: str = ""  # run after the command; its output is what "probe" compares
    expect: tuple[str, ...] = ()  # strings "contains" requires in the output
    group: str = ""


def make(
    group: str,
    id: str,
    request: str,
    reference: str,
    *check: str,
    setup: str = "",
    prelude: str = "",
    probe: str = "",
    expect: tuple[str, ...] = (),
) -> Task:
    """A task, compactly: its id is `group-id`; checks default to comparing the output."""
    return Task(
        f"{group}-{id}", request, reference, check or ("out",), setup, prelude, probe, expect, group
    )


def all_tasks() -> list[Task]:
    from bench.tasks import files, system, text

    tasks = [*files.TASKS, *text.TASKS, *system.TASKS]
    ids = [t.id for t in tasks]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate task ids: {sorted(dupes)}")
    return tasks
