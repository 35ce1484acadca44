"""The schedule of a crontab line a command installs, against its own syntax and the request.

"add a cron job running report.sh at 9:30 on weekdays" got `30 9 * * 1 …`: a valid line that
runs on Mondays only. `bash -n` and the option check see nothing wrong; this reads the five
time fields of the line that `echo '…' | crontab -` installs, checks each against its range,
and checks the words of the request that fix a field (weekdays, weekends, every N minutes or
hours) against it. A problem costs the engine one retry, like any other.
"""

from __future__ import annotations

import re

# the quoted line an `echo` hands to `crontab -`
_ECHOED = re.compile(r"""\becho\s+(?:-e\s+)?(?:'([^']*)'|"([^"$`\\]*)")""")
_FIELDS = ("minute", "hour", "day of month", "month", "day of week")
_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 7))
_NAMES = {
    3: "jan feb mar apr may jun jul aug sep oct nov dec".split(),
    4: "sun mon tue wed thu fri sat".split(),
}
_WEEKDAYS = re.compile(
    r"\b(?:on\s+)?(?:week\s?days|every\s+weekday|monday\s+(?:to|through)\s+friday)\b", re.I
)
_WEEKENDS = re.compile(r"\b(?:on\s+)?(?:week\s?ends?|saturdays?\s+and\s+sundays?)\b", re.I)
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: `'¹'.isdigit()` is true, and int() rejects it
_WEEKDAY_FIELDS = ("1-5", "mon-fri")
_WEEKEND_FIELDS = ("0,6", "6,0", "6-7", "6,7", "sat,sun", "sun,sat")
_EVERY = re.compile(r"\bevery\s+(\d+)\s+(minute|hour)s?\b", re.I)


def installed_lines(command: str) -> list[str]:
    """The schedule lines `command` pipes into `crontab -` with echo, as written."""
    return [line for line, _ in _installed(command)]


def _installed(command: str) -> list[tuple[str, int]]:
    """Each installed line and where it starts in `command`: only echoes before the last
    pipe into `crontab -` (an `&& echo 'added'` after it installs nothing)."""
    pipes = list(re.finditer(r"\|\s*crontab\s+-\s*(?:$|[;&|)])", command))
    if not pipes:
        return []
    found = []
    for m in _ECHOED.finditer(command[: pipes[-1].start()]):
        group = 1 if m.group(1) is not None else 2
        line = m.group(group)
        if line.strip() and not line.lstrip().startswith("#"):
            found.append((line, m.start(group)))
    return found


# the current crontab printed into the same pipe as the new line: `(crontab -l; echo …) |`
_KEEPS_PIPED = re.compile(
    r"[({]\s*crontab\s+(?:-u\s+\S+\s+)?-l\b[^)}]*[)}]\s*\|\s*crontab\s+-"
    r"|\bcrontab\s+(?:-u\s+\S+\s+)?-l\b[^;&|]*\|"
)
_REPLACE = re.compile(r"\b(?:replace|overwrite|only|instead|wipe|reset)\b", re.I)


def problem(command: str, request: str) -> str:
    """What is wrong with the schedule of the crontab line `command` installs, or ""."""
    lines = installed_lines(command)
    piped = re.search(r"\|\s*crontab\s+-\s*(?:$|[;&|)])", command)
    if piped and not _KEEPS_PIPED.search(command) and not _REPLACE.search(request):
        # `echo LINE | crontab -` installs a crontab of that one line: the others are gone
        return (
            "piping only the new line into `crontab -` replaces the whole crontab and drops "
            "the jobs already in it; keep them: (crontab -l 2>/dev/null; echo 'LINE') | crontab -"
        )
    for line in lines:
        fields = line.split()
        if fields and fields[0].startswith("@"):
            continue  # @daily, @reboot: no fields to check
        if len(fields) < 6:
            return (
                f"the crontab line `{line}` needs five time fields (minute hour day-of-month "
                "month day-of-week) and then the command"
            )
        for n, (field, name) in enumerate(zip(fields[:5], _FIELDS, strict=True)):
            if not _valid(field, n):
                low, high = _RANGES[n]
                return f"`{field}` is not a valid {name} field (values {low}-{high}, *, */N, lists)"
        wrong = _against_request(fields[:5], request)
        if wrong:
            return wrong
    return ""


# what a command that only installs crontab lines is made of
_INSTALLER = frozenset({"crontab", "echo", "printf", "cat", "true"})
_PRINTF_LINE = re.compile(r"""\bprintf\s+(?:'%s\\n'|"%s\\n")\s+((?:'[^'\n]*'\s*)+)""")


def kept(command: str, request: str) -> str:
    """`command` rewritten to keep the crontab's other lines, when all it does is pipe new
    lines into `crontab -` (with echo or printf '%s\\n'), perhaps after `crontab -e`/`-l`
    run on their own: `(crontab -l 2>/dev/null; echo 'LINE') | crontab -`. Else `command`."""
    piped = re.search(r"\|\s*crontab\s+-\s*$", command.strip())
    if not piped or _KEEPS_PIPED.search(command) or _REPLACE.search(request):
        return command
    from intent.guard.parser import parse

    try:
        names = {c.argv[0] for c in parse(command).commands if c.argv}
    except Exception:  # noqa: BLE001 - not a command this can rewrite
        return command
    if not names <= _INSTALLER:
        return command
    lines = installed_lines(command)
    for m in _PRINTF_LINE.finditer(command):
        lines += re.findall(r"'([^']*)'", m.group(1))
    lines = [ln for ln in lines if ln.strip() and "'" not in ln]
    if not lines:
        return command
    echoes = "; ".join(f"echo '{ln}'" for ln in lines)
    return f"(crontab -l 2>/dev/null; {echoes}) | crontab -"


def repaired(command: str, request: str) -> str:
    """`command` with the fields of each installed line that the request's own words fix
    set to them (weekdays: `1-5`; weekends: `6,0`; every N minutes or hours: `*/N`): the
    model often copies such a field from an example. Only a line whose fields are valid,
    written with single spaces, and replaced where it stands (nothing else is touched)."""
    fixed = command
    for line, start in reversed(_installed(command)):  # from the end: earlier spans hold
        fields = line.split(" ")
        if (
            len(fields) < 6
            or "" in fields
            or any(not _valid(f, n) for n, f in enumerate(fields[:5]))
        ):
            continue  # the retry says what is wrong with it
        wanted = _wanted(fields[:5], request) + fields[5:]
        if wanted != fields:
            fixed = fixed[:start] + " ".join(wanted) + fixed[start + len(line) :]
    return fixed


def _wanted(fields: list[str], request: str) -> list[str]:
    """The fields with what the request's words fix. Both weekdays and weekends named (two
    lines, one each?) fix nothing; "every N" only when */N means it (N divides 60 or 24:
    `*/45` also fires at :00)."""
    wanted = list(fields)
    weekdays, weekends = _WEEKDAYS.search(request), _WEEKENDS.search(request)
    if weekdays and not weekends and fields[4].lower() not in _WEEKDAY_FIELDS:
        wanted[4] = "1-5"
    elif weekends and not weekdays and fields[4].lower() not in _WEEKEND_FIELDS:
        wanted[4] = "6,0"
    m = _EVERY.search(request)
    if m:
        n, minutes = int(m.group(1)), m.group(2).lower() == "minute"
        if 0 < n < (60 if minutes else 24) and (60 if minutes else 24) % n == 0:
            if minutes:
                wanted[0] = f"*/{n}"
            else:
                wanted[1] = f"*/{n}"
                if fields[0] == "*":
                    wanted[0] = "0"  # `* */2` runs every minute of those hours
    return wanted


def _valid(field: str, n: int) -> bool:
    low, high = _RANGES[n]
    names = _NAMES.get(n, [])
    for part in field.lower().split(","):
        base, _, step = part.partition("/")
        if step and not _DIGITS.fullmatch(step):
            return False
        if base == "*":
            continue
        ends = base.split("-")
        if len(ends) > 2:
            return False
        for end in ends:
            if end in names:
                continue
            if not _DIGITS.fullmatch(end) or not low <= int(end) <= high:
                return False
    return True


def _against_request(fields: list[str], request: str) -> str:
    wanted = _wanted(fields, request)
    for n, (field, want) in enumerate(zip(fields, wanted, strict=True)):
        if field == want:
            continue
        if n == 4 and want == "1-5":
            return f"weekdays are Monday to Friday: `1-5` in the day-of-week field (this line has `{field}`)"
        if n == 4:
            return f"the weekend is Saturday and Sunday: `6,0` in the day-of-week field (this line has `{field}`)"
        if n == 0 and want == "0":
            return "a schedule every N hours runs at minute `0` of them, not every minute (`*`)"
        unit = "minute" if n == 0 else "hour"
        every = f"every {want.removeprefix('*/')} {unit}s"
        return f"{every} is `{want}` in the {unit} field (this line has `{field}`)"
    return ""
