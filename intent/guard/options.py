"""Option parsing for the per-utility option tables (the tables are in `tables.py`).

A read-only utility is `safe` only when every option it is given is in its table; an option
the table does not know raises the command to `mutates` with a reason naming it. Tables use
getopt's notation: a short letter followed by `:` takes an argument, a long option ending in
`=` takes one. `#` allows numeric options (`head -5`). GNU long options may be abbreviated to
any unique prefix (`--recu`), so `expand_long` resolves prefixes the way getopt_long does.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Spec:
    short: str
    long: str = ""
    exact: bool = False  # long options must be spelled out (not a getopt_long program)

    def takes_arg(self, letter: str) -> bool | None:
        """True/False for a known short option, None for an unknown one."""
        i = self.short.find(letter)
        if i < 0 or letter in ":#":
            return None
        return self.short[i + 1 : i + 2] == ":"

    def longs(self) -> dict[str, bool]:
        return {w.rstrip("="): w.endswith("=") for w in self.long.split()}


@dataclass
class Parsed:
    options: list[tuple[str, str | None]]  # (option, its argument)
    operands: list[str]
    unknown: list[str]


# Options every read-only utility answers without acting.
_COMMON = " help version"


def expand_long(option: str, longs: dict[str, bool]) -> str:
    """`--recu` -> `--recursive` when the prefix is unique among `longs`, else unchanged."""
    name, eq, value = option[2:].partition("=")
    if name in longs:
        return option
    hits = [n for n in longs if n.startswith(name)] if name else []
    if len(hits) == 1:
        return f"--{hits[0]}{eq}{value}"
    return option


def parse_args(spec: Spec, args: list[str]) -> Parsed:
    """Split `args` into options (abbreviations expanded), operands and unknown options."""
    longs = spec.longs()
    for common in _COMMON.split():
        longs.setdefault(common, False)
    out = Parsed([], [], [])
    i = 0
    while i < len(args):
        a = args[i]
        i += 1
        if a == "--":
            out.operands.extend(args[i:])
            break
        if a.startswith("--"):
            full = a if spec.exact else expand_long(a, longs)
            name, eq, value = full[2:].partition("=")
            if name not in longs:
                out.unknown.append(a)
                continue
            if longs[name] and not eq and i < len(args):
                value, i = args[i], i + 1
            out.options.append((f"--{name}", value if (eq or longs[name]) else None))
            continue
        if not a.startswith("-") or a == "-":
            out.operands.append(a)
            continue
        if a[1:].isdigit() and "#" in spec.short:
            out.options.append(("-#", a[1:]))
            continue
        j = 1
        while j < len(a):
            letter = a[j]
            takes = spec.takes_arg(letter)
            if takes is None:
                out.unknown.append(f"-{letter}")
                j += 1
                continue
            if takes:
                value = a[j + 1 :]
                if not value and i < len(args):
                    value, i = args[i], i + 1
                out.options.append((f"-{letter}", value))
                break
            out.options.append((f"-{letter}", None))
            j += 1
    return out
