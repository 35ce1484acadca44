"""`i explain` splits a wrapped command where the guard does (guard/wrappers.py `wrapped_at`):
the wrapper's own words belong to the wrapper, the command it runs is a part of its own."""

from __future__ import annotations

import pytest

from intent.explain.walk import explain


@pytest.mark.parametrize(
    ("command", "parts"),
    [
        ("sudo -u bob rm x", [("sudo", ["-u", "bob"]), ("rm", ["x"])]),
        ("env FOO=1 ls -l", [("env", ["FOO=1"]), ("ls", ["-l"])]),
        ("timeout 5 ls -l", [("timeout", ["5"]), ("ls", ["-l"])]),
        ("nice -n 5 ls", [("nice", ["-n", "5"]), ("ls", [])]),
        ("nohup sudo -u bob rm x", [("nohup", []), ("sudo", ["-u", "bob"]), ("rm", ["x"])]),
        ("flock /tmp/lock ls", [("flock", ["/tmp/lock"]), ("ls", [])]),
        # runs nothing, or is given its command as one string: no part of its own
        ("command -v ls", [("command", ["-v", "ls"])]),
        ("su -c ls bob", [("su", ["-c", "ls", "bob"])]),
    ],
)
def test_a_wrapped_command_is_a_part_of_its_own(
    command: str, parts: list[tuple[str, list[str]]]
) -> None:
    result = explain(command, cache_dir=None, use_man=False)
    found = [
        (p["utility"], [t for it in p["items"] for t in (it["token"], it.get("argument")) if t])
        for p in result["parts"]
    ]
    assert found == parts
