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
    dow = fields[4].lower()
    if _WEEKDAYS.search(request) and dow not in ("1-5", "mon-fri"):
        return f"weekdays are Monday to Friday: `1-5` in the day-of-week field (this line has `{fields[4]}`)"
    if _WEEKENDS.search(request) and dow not in ("0,6", "6,0", "6-7", "sat,sun", "sun,sat", "6,7"):
        return f"the weekend is Saturday and Sunday: `6,0` in the day-of-week field (this line has `{fields[4]}`)"
    m = _EVERY.search(request)
    if m:
        n, unit = m.group(1), m.group(2).lower()
        field = fields[0] if unit == "minute" else fields[1]
        if field != f"*/{n}":
            where = "minute" if unit == "minute" else "hour"
            return f"every {n} {unit}s is `*/{n}` in the {where} field (this line has `{field}`)"
    return ""
