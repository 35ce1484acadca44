"""The house rules the architecture depends on, checked on the source tree itself: only the
renderer prints or reads the keyboard, only `process` starts processes (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import intent

ROOT = Path(intent.__file__).parent

# module -> why it may do what others may not
MAY_PRINT = {
    "cli/render.py": "the renderer",
    "cli/__init__.py": "`i --version`, answered before Typer or the renderer is imported",
    "process.py": "the user's command's own stderr passing through",
}
MAY_SPAWN = {"process.py": "the one place that starts processes"}
_SPAWNING_OS = {"system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def _prints(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if (
            name in ("print", "input", "typer.echo", "typer.secho", "click.echo", "typer.prompt")
            or name.startswith("traceback.print")
            or name.startswith(("sys.stdout.", "sys.stderr."))
            and name.endswith(".write")
        ):
            found.append(f"{name}() line {node.lineno}")
    return found


def _spawns(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if a.name in ("subprocess", "pty")]
        elif isinstance(node, ast.ImportFrom) and node.module in ("subprocess", "pty"):
            found.append(f"from {node.module} import ...")
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name.startswith("os.") and (
                name[3:] in _SPAWNING_OS or name[3:].startswith(("exec", "spawn"))
            ):
                found.append(f"{name}() line {node.lineno}")
    return found


def _modules() -> dict[str, ast.AST]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text(), str(path))
        for path in sorted(ROOT.rglob("*.py"))
    }


def test_only_the_renderer_prints_or_reads_the_keyboard() -> None:
    offenders = {
        name: found
        for name, tree in _modules().items()
        if name not in MAY_PRINT and (found := _prints(tree))
    }
    assert offenders == {}


def test_only_process_starts_processes() -> None:
    offenders = {
        name: found
        for name, tree in _modules().items()
        if name not in MAY_SPAWN and (found := _spawns(tree))
    }
    assert offenders == {}


def test_the_checks_see_what_they_forbid() -> None:
    # a check that finds nothing anywhere could be broken: each must flag its own examples
    assert _prints(ast.parse("print(1)\ntyper.echo(2)\nsys.stderr.buffer.write(b'')\nx = input()"))
    assert len(_spawns(ast.parse("import subprocess\nos.execvp('a', [])\nos.system('x')"))) == 3
    assert _prints(_modules()["cli/render.py"]) and _spawns(_modules()["process.py"])


# The house's floors, lowest first: a package may import from its own floor or those below,
# never from above. `reply` (the model contract) sits below both `turn` and `backends`, so the
# two cannot import each other again.
FLOORS = [
    {
        "__init__",
        "errors",
        "vocab",
        "process",
        "redact",
        "digest",
        "confine",
        "trial",
        "reply",
        "guard",
        "safety",
    },
    {"settings", "models", "llamacpp", "explain"},
    {"backends"},
    {"turn"},
    {"run"},
    {"app"},
    {"cli", "__main__"},
]


def _package(rel: str) -> str:
    first = rel.split("/")[0]
    return first.removesuffix(".py")


def _floor(package: str) -> int:
    return next(n for n, floor in enumerate(FLOORS) if package in floor)


def _imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("intent"):
            parts = node.module.split(".")
            found |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("intent.")}
    return found


def test_no_package_imports_from_a_floor_above_it() -> None:
    upward = []
    for rel, tree in _modules().items():
        here = _package(rel)
        for target in _imports(tree):
            if target in ("__version__",):
                continue
            if _floor(target) > _floor(here):
                upward.append(f"{rel} imports intent.{target}")
    assert upward == []


def test_no_two_files_import_each_other() -> None:
    modules = {
        "intent." + rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        for rel in _modules()
    }
    names = {}
    for rel, tree in _modules().items():
        dotted = "intent." + rel.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
        targets = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("intent")
            ):
                # `from intent.guard import parser` imports the module intent.guard.parser (and
                # runs the package's __init__, which is not a circle of files)
                subs = {f"{node.module}.{a.name}" for a in node.names}
                targets |= (subs & modules) or {node.module}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names}
        names[dotted] = targets
    circles = sorted(
        f"{a} <-> {b}" for a in names for b in names[a] if b in names and a < b and a in names[b]
    )
    assert circles == []


def test_the_cli_holds_no_use_case_logic() -> None:
    """cli/ parses and renders: no function there grows past 60 lines (the use cases are in
    app/)."""
    long = []
    for rel, tree in _modules().items():
        if not rel.startswith("cli/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    long.append(f"{rel}:{node.name} ({length} lines)")
    assert long == []
