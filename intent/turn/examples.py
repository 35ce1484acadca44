"""Examples chosen per request: a small bank of requests and their right commands, of which the
few closest to the user's request go into the user message, after the cached system prompt (so
the KV snapshot of the system prompt still applies).

A 1.5B model copies the nearest example more faithfully than it follows a rule: shown
`ln data.db backup.db` for a hard link, it stops writing `ln -s`; shown the crontab pipe, it
stops proposing `crontab -e` for a schedule it was given. The bank covers the utilities people
ask about; closeness is shared words, rarer words counting more, utility names most.
bench/quality.py measures the bank against the fixed examples alone (`--variant nobank`).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Example:
    request: str
    command: str
    description: str
    risk: str

    def render(self) -> str:
        reply = {"command": self.command, "description": self.description, "risk": self.risk}
        return f"Request: {self.request}\n{json.dumps(reply, separators=(',', ':'))}"


def _e(request: str, command: str, description: str, risk: str = "safe") -> Example:
    return Example(request, command, description, risk)


# one example per two lines reads as a table
# fmt: off
BANK: tuple[Example, ...] = (
    # find
    _e("find files bigger than 50 MB in Downloads", "find ~/Downloads -type f -size +50M",
       "Lists files over 50 MB below ~/Downloads."),
    _e("find files changed in the last 2 days", "find . -type f -mtime -2",
       "Lists files modified less than 2 days ago."),
    _e("find files nobody touched for a month", "find . -type f -mtime +30",
       "Lists files not modified for over 30 days."),
    _e("find empty folders below here", "find . -type d -empty", "Lists empty directories."),
    _e("delete log files older than a week", "find . -name '*.log' -mtime +7 -delete",
       "Deletes .log files not modified for 7 days.", "destructive"),
    _e("how many .js files are below src", "find src -name '*.js' | wc -l",
       "Counts the .js files below src."),
    # ls / stat
    _e("show the biggest files in src first", "ls -lS src", "Lists src by size, largest first."),
    _e("show the newest files in Downloads first", "ls -lt ~/Downloads",
       "Lists ~/Downloads by modification time, newest first."),
    _e("show the permissions and owner of config.yml", "ls -l config.yml",
       "Shows mode, owner and size of config.yml."),
    _e("when was setup.cfg last modified", "stat -c %y setup.cfg",
       "Prints the modification time of setup.cfg."),
    # ln
    _e("create a hard link backup.db for data.db", "ln data.db backup.db",
       "Makes backup.db a second name (hard link) for data.db.", "mutates"),
    _e("point the symlink current at releases/v2 instead", "ln -sfn releases/v2 current",
       "Repoints the symbolic link current to releases/v2.", "mutates"),
    _e("make a symlink called tool to /opt/tool/bin/tool", "ln -s /opt/tool/bin/tool tool",
       "Creates the symbolic link tool.", "mutates"),
    # cp / mv / rm
    _e("copy report.pdf into the archive folder", "cp report.pdf archive/",
       "Copies report.pdf into archive.", "mutates"),
    _e("move every .png here into images", "mv *.png images/",
       "Moves the .png files into images.", "mutates"),
    _e("copy the src folder to src.bak", "cp -r src src.bak",
       "Copies src and its contents to src.bak.", "mutates"),
    _e("remove the build folder and everything in it", "rm -rf build",
       "Deletes build recursively.", "destructive"),
    # tar / gzip / zip
    _e("pack the logs folder into logs.tar.gz", "tar -czf logs.tar.gz logs",
       "Creates a gzipped tar archive of logs.", "mutates"),
    _e("unpack backup.tar.gz into a new folder restore",
       "mkdir -p restore && tar -xzf backup.tar.gz -C restore",
       "Extracts backup.tar.gz into restore.", "mutates"),
    _e("list what is inside site.zip", "unzip -l site.zip", "Lists the members of site.zip."),
    _e("what files are in the tarball dist.tgz", "tar -tzf dist.tgz",
       "Lists the members of dist.tgz."),
    _e("gzip data.csv but keep the original", "gzip -k data.csv",
       "Compresses data.csv to data.csv.gz, keeping data.csv.", "mutates"),
    _e("zip the docs folder into docs.zip", "zip -r docs.zip docs",
       "Creates docs.zip from docs.", "mutates"),
    # du / df
    _e("how much space does each folder here use", "du -sh */",
       "Shows the size of each subdirectory."),
    _e("list the folders in ~/projects by size, biggest first", "du -s ~/projects/*/ | sort -rn",
       "Lists the folders of ~/projects by size, largest first."),
    _e("how much free space is left on my disks", "df -h", "Shows free space per file system."),
    # grep
    _e("which files under src mention todo, any case", "grep -ril todo src",
       "Lists files below src containing todo, ignoring case."),
    _e("show lines with warning in app.log with line numbers", "grep -n warning app.log",
       "Shows matching lines of app.log with their numbers."),
    _e("how many lines of server.log contain timeout", "grep -c timeout server.log",
       "Counts the lines of server.log containing timeout."),
    _e("show the lines of out.txt that do not contain debug", "grep -v debug out.txt",
       "Prints the lines of out.txt without debug."),
    # sed / awk
    _e("print lines 20 to 30 of big.txt", "sed -n '20,30p' big.txt",
       "Prints lines 20 through 30 of big.txt."),
    _e("replace foo with bar everywhere in config.ini", "sed -i 's/foo/bar/g' config.ini",
       "Replaces every foo with bar in config.ini, in place.", "mutates"),
    _e("delete the blank lines of list.txt in place", "sed -i '/^$/d' list.txt",
       "Removes empty lines from list.txt.", "mutates"),
    _e("print the second column of data.tsv", "awk -F'\\t' '{print $2}' data.tsv",
       "Prints the second tab-separated field of each line."),
    _e("add up the third column of sales.csv", "awk -F, '{s+=$3} END {print s}' sales.csv",
       "Sums the third comma-separated field."),
    # sort / uniq / head / tail
    _e("count how often each line occurs in ips.txt, most common first",
       "sort ips.txt | uniq -c | sort -rn", "Counts repeated lines, most frequent first."),
    _e("show the last 50 lines of syslog and keep following it",
       "tail -n 50 -f /var/log/syslog", "Shows the end of syslog and new lines as they come."),
    _e("unique sorted lines of names.txt", "sort -u names.txt",
       "Prints the distinct lines of names.txt in order."),
    _e("the 3 largest numbers in scores.txt", "sort -rn scores.txt | head -n 3",
       "Prints the three largest numbers."),
    # cut / tr / wc
    _e("how many words does essay.txt have", "wc -w < essay.txt",
       "Counts the words in essay.txt."),
    _e("print name.txt in upper case", "tr '[:lower:]' '[:upper:]' < name.txt",
       "Prints name.txt converted to upper case."),
    _e("the user names in /etc/passwd", "cut -d: -f1 /etc/passwd",
       "Prints the first colon-separated field of each line."),
    # xargs
    _e("remove every .tmp file below here with xargs",
       "find . -name '*.tmp' -print0 | xargs -0 rm -f",
       "Deletes the .tmp files found below the current folder.", "destructive"),
    _e("which .c files contain main, using xargs",
       "find . -name '*.c' -print0 | xargs -0 grep -l main",
       "Lists the .c files that mention main."),
    # jq
    _e("list the name of every user in users.json", "jq -r '.[].name' users.json",
       "Prints the name field of each element."),
    _e("pretty print response.json", "jq . response.json", "Prints response.json indented."),
    _e("how many entries does the array in list.json have", "jq length list.json",
       "Prints the number of elements."),
    # date
    _e("what time is it in UTC", "date -u", "Prints the current time in UTC."),
    _e("today's date as year-month-day", "date +%F", "Prints the date as YYYY-MM-DD."),
    _e("the date 10 days from now", "date -d '+10 days' +%F", "Prints the date in 10 days."),
    # ps / kill
    _e("stop every process called node", "pkill -x node",
       "Sends SIGTERM to all processes named node.", "mutates"),
    _e("force kill all processes named java", "pkill -9 -x java",
       "Sends SIGKILL to all processes named java.", "mutates"),
    _e("which processes use the most memory", "ps aux --sort=-%mem | head",
       "Lists the processes using the most memory."),
    # ss / lsof
    _e("list listening TCP ports and their programs", "ss -ltnp",
       "Shows listening TCP sockets with their processes."),
    _e("which program listens on port 5432", "ss -ltnp 'sport = :5432'",
       "Shows the process listening on port 5432."),
    _e("which files does process 1234 have open", "lsof -p 1234",
       "Lists the open files of process 1234."),
    # git
    _e("the last 5 commits, one per line", "git log --oneline -5",
       "Shows the last five commits, one line each."),
    _e("undo the last commit but keep its changes", "git reset --soft HEAD~1",
       "Removes the last commit, keeping its changes staged.", "mutates"),
    _e("which branch am I on", "git branch --show-current", "Prints the current branch."),
    _e("show the staged changes", "git diff --cached", "Shows what is staged for commit."),
    _e("throw away my local changes to app.py", "git restore app.py",
       "Discards uncommitted changes to app.py.", "destructive"),
    _e("make a new branch fix-login and switch to it", "git switch -c fix-login",
       "Creates the branch fix-login and checks it out.", "mutates"),
    # curl
    _e("download https://example.com/file.tgz keeping its name",
       "curl -LO https://example.com/file.tgz", "Downloads file.tgz into the current folder.",
       "network"),
    _e("only the HTTP status code of https://example.com",
       "curl -s -o /dev/null -w '%{http_code}' https://example.com",
       "Prints the HTTP status code.", "network"),
    _e("send the JSON {\"a\":1} to http://localhost:8000/api with POST",
       "curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' http://localhost:8000/api",
       "Posts the JSON body to the API.", "network"),
    _e("show the response headers of https://example.com", "curl -sI https://example.com",
       "Prints the response headers.", "network"),
    # crontab lines
    _e("run /opt/clean.sh every Monday at 6:30 from my crontab",
       "(crontab -l; echo '30 6 * * 1 /opt/clean.sh') | crontab -",
       "Adds a cron job running /opt/clean.sh on Mondays at 06:30.", "mutates"),
    _e("list my cron jobs", "crontab -l", "Prints your crontab."),
    # ssh / scp
    _e("connect to server.example as admin on port 2222", "ssh -p 2222 admin@server.example",
       "Opens an SSH session.", "network"),
    _e("copy site.tar.gz to /var/www on host web1", "scp site.tar.gz web1:/var/www/",
       "Copies the file to web1.", "mutates"),
    _e("fetch the photos folder from host nas into here", "scp -r nas:photos .",
       "Copies photos from nas recursively.", "mutates"),
    # chmod / chown
    _e("make run.sh executable", "chmod +x run.sh", "Adds execute permission.", "mutates"),
    _e("make secrets.txt readable and writable only by me", "chmod 600 secrets.txt",
       "Sets mode 600 on secrets.txt.", "mutates"),
    _e("give www and everything in it to the user web", "chown -R web www",
       "Changes the owner of www recursively.", "mutates"),
)
# fmt: on

_STOP = frozenset(
    "a an the of in on at to for from by with and or all every each my me i is are be it this "
    "that these those here there what which how show list get give make into one its than "
    "then instead using".split()
)

# words people use for the same thing, mapped to one
# fmt: off
_SAME = {
    "called": "named", "name": "named",
    "stop": "kill", "terminate": "kill",
    "directory": "folder", "dir": "folder", "subdirectory": "folder", "subfolder": "folder",
    "biggest": "large", "largest": "large", "big": "large", "bigger": "large", "larger": "large",
    "space": "size", "usage": "size",
    "newest": "recent", "latest": "recent", "recently": "recent",
    "changed": "modified", "touched": "modified", "modification": "modified",
    "remove": "delete", "erase": "delete",
    "schedule": "cron", "crontab": "cron", "job": "cron", "daily": "cron", "hourly": "cron",
    "many": "count", "number": "count",
    "symlink": "symbolic",
    "tarball": "tar", "gz": "tar", "tgz": "tar", "extract": "unpack", "decompress": "unpack",
    "pid": "process", "program": "process",
    "permission": "mode", "executable": "mode",
    "owner": "ownership",
    "upload": "copy", "transfer": "copy",
    "fetch": "download",
    "occurrence": "often", "frequent": "often", "frequency": "often",
}
# fmt: on


def _stem(w: str) -> str:
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]  # processes -> process
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us")):
        return w[:-1]  # files -> file
    return w


def _words(text: str) -> list[str]:
    out = []
    for w in re.findall(r"[a-z0-9][a-z0-9+_-]*(?:\.[a-z0-9]+)*", text.lower()):
        if "." in w:
            w = w.rsplit(".", 1)[1]  # a file name says only its kind: app.log -> log
        if w.isdigit():
            continue
        w = _SAME.get(_stem(w), _stem(w))
        if w not in _STOP:
            out.append(w)
    return out


@cache
def _index() -> tuple[list[set[str]], dict[str, float]]:
    docs = [set(_words(f"{e.request} {e.command.split()[0]}")) for e in BANK]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in df.items()}
    return docs, idf


def pick(request: str, k: int = 3) -> list[Example]:
    """The `k` bank examples closest to `request`, best first; none that shares no word."""
    if k <= 0:
        return []
    docs, idf = _index()
    want = set(_words(request))
    scored = []
    for n, doc in enumerate(docs):
        score = sum(idf[w] for w in want & doc)
        if score > 0:
            scored.append((-score, n))
    return [BANK[n] for _, n in sorted(scored)[:k]]
