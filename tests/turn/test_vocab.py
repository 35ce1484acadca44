"""Each vocabulary is defined once (intent.vocab) or tied here to the code that implements it:
a word added in one place and forgotten in another fails these tests, not a user's turn."""

from __future__ import annotations

import re

from intent import vocab
from intent.cli import render
from intent.guard import rules
from intent.reply import schema
from intent.turn import prompt
from intent.turn.tools import Toolbox


def _tool_methods() -> list[str]:
    return [name.removeprefix("tool_") for name in vars(Toolbox) if name.startswith("tool_")]


def test_schema_tool_enum_is_exactly_the_toolbox_methods() -> None:
    assert sorted(schema.TOOL_NAMES) == sorted(_tool_methods())


def test_prompt_lists_exactly_the_schema_tools_in_order() -> None:
    line = next(ln for ln in prompt.SYSTEM_PROMPT.splitlines() if ln.startswith("list_dir("))
    assert re.findall(r"(\w+)\(", line) == schema.TOOL_NAMES


def test_risk_levels_are_one_ordered_vocabulary() -> None:
    assert vocab.RISKS == ("safe", "network", "mutates", "destructive", "sudo")
    assert schema.RISKS == list(vocab.RISKS)
    assert rules.LEVELS is vocab.RISKS
    assert set(render.RISK_COLOR) == set(vocab.RISKS)
    assert vocab.AUTORUN <= set(vocab.RISKS)
    assert [rules.higher("safe", level) for level in vocab.RISKS] == list(vocab.RISKS)
    assert set(vocab.FRICTION) == set(vocab.RISKS)  # every level has its confirmation
    frictions = [vocab.FRICTION[r] for r in vocab.RISKS]
    assert frictions == sorted(frictions, key=list(vocab.CONFIRMS).index)  # never weaker above
    from intent.turn import prompt

    for level in vocab.RISKS:  # the prompt tells the model every level
        assert f'"{level}"' in prompt.SYSTEM_PROMPT


def test_every_schema_interpreter_has_an_argv() -> None:
    assert schema.SCRIPT_INTERPRETERS == list(vocab.SCRIPT_INTERPRETERS)
    assert set(vocab.INTERPRETER_ARGV) == set(vocab.SCRIPT_INTERPRETERS)
    for name, argv in vocab.INTERPRETER_ARGV.items():
        # `sh` scripts run in bash's POSIX mode: the grammar the guard read them with
        assert argv[0] == name or (name, argv[:2]) == ("sh", ("bash", "--posix"))


def test_default_model_is_in_the_catalog_and_the_config_default() -> None:
    from intent.models import catalog
    from intent.settings.config import KEYS

    assert vocab.DEFAULT_MODEL in catalog.CATALOG
    assert KEYS["model"].default == vocab.DEFAULT_MODEL
