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
_WEEKDAY_FIELDS = ("1-5", "mon-fri")
_WEEKEND_FIELDS = ("0,6", "6,0", "6-7", "6,7", "sat,sun", "sun,sat")
_EVERY = re.compile(r"\bevery\s+(\d+)\s+(minute|hour)s?\b", re.I)


def installed_lines(command: str) -> list[str]:
    """The schedule lines `command` pipes into `crontab -` with echo, as written."""
    if not re.search(r"\|\s*crontab\s+-\s*(?:$|[;&|)])", command):
        return []
    lines = [a or b for a, b in _ECHOED.findall(command)]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def problem(command: str, request: str) -> str:
    """What is wrong with the schedule of the crontab line `command` installs, or ""."""
    for line in installed_lines(command):
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


def repaired(command: str, request: str) -> str:
    """`command` with the fields of each installed line that the request's own words fix
    set to them (weekdays: `1-5`; weekends: `6,0`; every N minutes or hours: `*/N`): the
    model often copies such a field from an example. Only a line whose fields are valid,
    written with single spaces (so it is replaced exactly)."""
    fixed = command
    for line in installed_lines(command):
        fields = line.split(" ")
        if (
            len(fields) < 6
            or "" in fields
            or any(not _valid(f, n) for n, f in enumerate(fields[:5]))
        ):
            continue  # the retry says what is wrong with it
        wanted = _wanted(fields[:5], request) + fields[5:]
        if wanted != fields:
            fixed = fixed.replace(line, " ".join(wanted), 1)
    return fixed


def _wanted(fields: list[str], request: str) -> list[str]:
    wanted = list(fields)
    if _WEEKDAYS.search(request) and fields[4].lower() not in _WEEKDAY_FIELDS:
        wanted[4] = "1-5"
    elif _WEEKENDS.search(request) and fields[4].lower() not in _WEEKEND_FIELDS:
        wanted[4] = "6,0"
    m = _EVERY.search(request)
    if m:
        wanted[0 if m.group(2).lower() == "minute" else 1] = f"*/{m.group(1)}"
    return wanted


def _valid(field: str, n: int) -> bool:
    low, high = _RANGES[n]
    names = _NAMES.get(n, [])
    for part in field.lower().split(","):
        base, _, step = part.partition("/")
        if step and not step.isdigit():
            return False
        if base == "*":
            continue
        ends = base.split("-")
        if len(ends) > 2:
            return False
        for end in ends:
            if end in names:
                continue
            if not end.isdigit() or not low <= int(end) <= high:
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
        unit = "minute" if n == 0 else "hour"
        every = f"every {want.removeprefix('*/')} {unit}s"
        return f"{every} is `{want}` in the {unit} field (this line has `{field}`)"
    return ""
