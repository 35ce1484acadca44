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

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Example:
    request: str
    command: str

    def render(self) -> str:
        """One short line: the request and its command as the reply writes it, unescaped (a
        fenced line since prompt v10); about 15 tokens."""
        return f"- {self.request}: {self.command}"


# one example per line reads as a table
# fmt: off
BANK: tuple[Example, ...] = (
    # find
    Example("find files bigger than 50 MB in Downloads", "find ~/Downloads -type f -size +50M"),
    Example("find files changed in the last 2 days", "find . -type f -mtime -2"),
    Example("find files nobody touched for a month", "find . -type f -mtime +30"),
    Example("find empty folders below here", "find . -type d -empty"),
    Example("delete log files older than a week", "find . -name '*.log' -mtime +7 -delete"),
    Example("how many .js files are below src", "find src -name '*.js' | wc -l"),
    # ls / stat
    Example("show the biggest files in src first", "ls -lS src"),
    Example("show the newest files in Downloads first", "ls -lt ~/Downloads"),
    Example("show the permissions and owner of config.yml", "ls -l config.yml"),
    Example("when was setup.cfg last modified", "stat -c %y setup.cfg"),
    Example("the day notes.md was last changed, as YYYY-MM-DD", "date -r notes.md +%F"),
    Example("the exact size of video.mp4 in bytes", "stat -c %s video.mp4"),
    # ln
    Example("create a hard link backup.db for data.db", "ln data.db backup.db"),
    Example("point the symlink current at releases/v2 instead", "ln -sfn releases/v2 current"),
    Example("make a symlink called tool to /opt/tool/bin/tool", "ln -s /opt/tool/bin/tool tool"),
    # cp / mv / rm
    Example("copy report.pdf into the archive folder", "cp report.pdf archive/"),
    Example("move every .png here into images", "mv *.png images/"),
    Example("copy the src folder to src.bak", "cp -r src src.bak"),
    Example("delete the files in cache except keep.txt", "find cache -type f ! -name keep.txt -delete"),
    Example("remove the build folder and everything in it", "rm -rf build"),
    # tar / gzip / zip
    Example("pack the logs folder into logs.tar.gz", "tar -czf logs.tar.gz logs"),
    Example("unpack backup.tar.gz into a new folder restore",
            "mkdir -p restore && tar -xzf backup.tar.gz -C restore"),
    Example("list what is inside site.zip", "unzip -l site.zip"),
    Example("what files are in the tarball dist.tgz", "tar -tzf dist.tgz"),
    Example("take only src/main.c out of code.tar.gz", "tar -xzf code.tar.gz src/main.c"),
    Example("gzip data.csv but keep the original", "gzip -k data.csv"),
    Example("compress each .txt file in notes with gzip", "gzip notes/*.txt"),
    Example("zip the docs folder into docs.zip", "zip -r docs.zip docs"),
    # du / df
    Example("how much space does each folder here use", "du -sh */"),
    Example("list the folders in ~/projects by size, biggest first",
            "du -s ~/projects/*/ | sort -rn"),
    Example("how much free space is left on my disks", "df -h"),
    # grep
    Example("which files under src mention todo, any case", "grep -ril todo src"),
    Example("show lines with warning in app.log with line numbers", "grep -n warning app.log"),
    Example("how many lines of server.log contain timeout", "grep -c timeout server.log"),
    Example("show the lines of out.txt that do not contain debug", "grep -v debug out.txt"),
    # sed / awk
    Example("print lines 20 to 30 of big.txt", "sed -n '20,30p' big.txt"),
    Example("replace foo with bar everywhere in config.ini", "sed -i 's/foo/bar/g' config.ini"),
    Example("delete the blank lines of list.txt in place", "sed -i '/^$/d' list.txt"),
    Example("strip trailing whitespace of each line of app.py, in the file",
            "sed -i 's/[[:space:]]*$//' app.py"),
    Example("print the fourth column of people.csv", "cut -d, -f4 people.csv"),
    Example("print the second field of the tab-separated data.tsv", "cut -f2 data.tsv"),
    Example("the mean of the price column of items.csv, skipping its header",
            "awk -F, 'NR>1 {s+=$2; n++} END {print s/n}' items.csv"),
    Example("add up the third column of sales.csv, below its header line",
            "awk -F, 'NR>1 {s+=$3} END {print s}' sales.csv"),
    # sort / uniq / head / tail
    Example("count how often each line occurs in ips.txt, most common first",
            "sort ips.txt | uniq -c | sort -rn"),
    Example("show the last 50 lines of syslog and keep following it",
            "tail -n 50 -f /var/log/syslog"),
    Example("unique sorted lines of names.txt", "sort -u names.txt"),
    Example("the first 10 lines of server.log", "head -n 10 server.log"),
    Example("the 3 largest numbers in scores.txt", "sort -rn scores.txt | head -n 3"),
    # cut / tr / wc
    Example("how many words does essay.txt have", "wc -w < essay.txt"),
    Example("print name.txt in upper case", "tr '[:lower:]' '[:upper:]' < name.txt"),
    Example("the user names in /etc/passwd", "cut -d: -f1 /etc/passwd"),
    # xargs
    Example("remove every .tmp file below here with xargs",
            "find . -name '*.tmp' -print0 | xargs -0 rm -f"),
    Example("which .c files contain main, using xargs",
            "find . -name '*.c' -print0 | xargs -0 grep -l main"),
    # jq
    Example("list the name of every user in users.json", "jq -r '.[].name' users.json"),
    Example("pretty print response.json", "jq . response.json"),
    Example("how many entries does the array in list.json have", "jq length list.json"),
    # date
    Example("what time is it in UTC", "date -u"),
    Example("today's date as year-month-day", "date +%F"),
    Example("the date 10 days from now", "date -d '+10 days' +%F"),
    Example("the date two weeks ago", "date -d '2 weeks ago' +%F"),
    # ps / kill
    Example("stop every process called node", "pkill -x node"),
    Example("force kill all processes named java", "pkill -9 -x java"),
    Example("the PIDs of the nginx processes", "pgrep -x nginx"),
    Example("which processes use the most memory", "ps aux --sort=-%mem | head"),
    # ss / lsof
    Example("list listening TCP ports and their programs", "ss -ltnp"),
    Example("which program listens on port 5432", "ss -ltnp 'sport = :5432'"),
    Example("stop whatever is listening on TCP port 8080", "fuser -k 8080/tcp"),
    Example("which files does process 1234 have open", "lsof -p 1234"),
    # git
    Example("the last 5 commits, one per line", "git log --oneline -5"),
    Example("undo the last commit but keep its changes", "git reset --soft HEAD~1"),
    Example("which branch am I on", "git branch --show-current"),
    Example("show the staged changes", "git diff --cached"),
    Example("throw away my local changes to app.py", "git restore app.py"),
    Example("make a new branch fix-login and switch to it", "git switch -c fix-login"),
    # curl
    Example("download https://example.com/file.tgz keeping its name",
            "curl -LO https://example.com/file.tgz"),
    Example("only the HTTP status code of https://example.com",
            "curl -s -o /dev/null -w '%{http_code}' https://example.com"),
    Example("send the JSON {\"a\":1} to localhost:8000/api with POST",
            "curl -H 'Content-Type: application/json' -d '{\"a\":1}' localhost:8000/api"),
    Example("show the response headers of https://example.com", "curl -sI https://example.com"),
    # crontab lines
    Example("run /opt/clean.sh every Monday at 6:30 from my crontab",
            "(crontab -l; echo '30 6 * * 1 /opt/clean.sh') | crontab -"),
    Example("run /opt/sync.sh at 18:00 on weekdays from my crontab",
            "(crontab -l; echo '0 18 * * 1-5 /opt/sync.sh') | crontab -"),
    Example("list my cron jobs", "crontab -l"),
    Example("delete my whole crontab", "crontab -r"),
    # ssh / scp
    Example("ssh into db1", "ssh db1"),
    Example("ssh to web1 as the user admin", "ssh admin@web1"),
    Example("ssh to web2 with the key ~/.ssh/work_ed25519", "ssh -i ~/.ssh/work_ed25519 web2"),
    Example("connect to server.example on port 2222", "ssh -p 2222 server.example"),
    Example("check the free disk space of host db2 over ssh", "ssh db2 df -h"),
    Example("copy site.tar.gz to /var/www on host web1 as user deploy",
            "scp site.tar.gz deploy@web1:/var/www/"),
    Example("fetch the photos folder from host nas into here", "scp -r nas:photos ."),
    # this machine: memory, processors, system, users, addresses
    Example("how much memory is free", "free -h"),
    Example("how many CPU cores does this machine have", "nproc"),
    Example("what processor model is in this box", "lscpu | grep 'Model name'"),
    Example("how long has the machine been running", "uptime -p"),
    Example("which kernel version is running", "uname -r"),
    Example("what linux distribution is installed", "cat /etc/os-release"),
    Example("who is logged in right now", "who"),
    Example("my IP addresses", "ip -brief address"),
    Example("the directories in my PATH, one per line", "echo \"$PATH\" | tr ':' '\\n'"),
    Example("what is eating the space in var, biggest first", "du -sh var/* | sort -rh"),
    Example("the 3 biggest files under assets", "find assets -type f -printf '%s %p\\n' | sort -rn | head -n 3"),
    Example("files changed in the last 20 minutes", "find . -type f -mmin -20"),
    # names: rename, case, extensions
    Example("rename every .htm file here to .html",
            "for f in *.htm; do mv -- \"$f\" \"${f%.htm}.html\"; done"),
    Example("count the files of each extension below here",
            "find . -type f -name '*.*' | sed 's/.*\\.//' | sort | uniq -c | sort -rn"),
    Example("what kind of file is blob.bin", "file blob.bin"),
    Example("the sha256 checksum of image.iso", "sha256sum image.iso"),
    Example("where does the link current point to", "readlink -f current"),
    Example("make the folders a/b/c in one go", "mkdir -p a/b/c"),
    Example("show hidden files here too", "ls -la"),
    Example("total lines in all the .go files below here", "find . -name '*.go' -exec cat {} + | wc -l"),
    Example("how many processes named worker are running", "pgrep -c -x worker"),
    # chmod / chown
    Example("make run.sh executable", "chmod +x run.sh"),
    Example("make secrets.txt readable and writable only by me", "chmod 600 secrets.txt"),
    Example("take away write access from others on notes.md", "chmod o-w notes.md"),
    Example("let everyone read all of site, recursively", "chmod -R a+r site"),
    Example("give www and everything in it to the user web", "chown -R web www"),
)
# fmt: on

_STOP = frozenset(
    "a an the of in on at to for from by with and or all every each my me i is are be it this "
    "that these those here there what which how show list get give make into one its than "
    "then instead using project current as".split()
)

_HOST_ENDINGS = frozenset("com org net io dev local lan internal example".split())

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
    "connect": "ssh", "login": "ssh",
    "occurrence": "often", "frequent": "often", "frequency": "often",
    "hour": "minute", "min": "minute", "ago": "last", "past": "last",
    "ram": "memory", "mem": "memory", "cpus": "cpu", "processor": "cpu", "cores": "core",
    "eating": "size", "hogging": "size", "taking": "size",
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
            if w in _HOST_ENDINGS:
                continue  # a host name says nothing about the command: db.example.com
        if w.isdigit() or w in _STOP:
            continue
        w = _SAME.get(w) or _SAME.get(_stem(w), _stem(w))
        if w not in _STOP:
            out.append(w)
    return out


@cache
def _index() -> tuple[list[set[str]], dict[str, float]]:
    docs = [set(_words(f"{e.request} {e.command.split()[0]}")) for e in BANK]
    df = Counter(w for d in docs for w in d)
    idf = {w: math.log((1 + len(docs)) / (1 + n)) + 1 for w, n in df.items()}
    return docs, idf


# An example shown for a request it barely shares a word with is copied anyway (another
# aggregate, other columns, the example's own numbers: issue 25). So an example must share at
# least one fairly rare word (MIN_SCORE: a word in about one example in eight scores 3.1, in
# one example 4.9) and come near the best match (NEAR_BEST of its score).
MIN_SCORE = 4.5
NEAR_BEST = 0.6


def pick(request: str, k: int = 3) -> list[Example]:
    """Up to `k` bank examples close to `request`, best first; none when nothing is close."""
    if k <= 0:
        return []
    docs, idf = _index()
    want = set(_words(request))
    scored = []
    for n, doc in enumerate(docs):
        score = sum(idf[w] for w in want & doc)
        if score >= MIN_SCORE:
            scored.append((-score, n))
    scored.sort()
    best = -scored[0][0] if scored else 0.0
    return [BANK[n] for s, n in scored[:k] if -s >= NEAR_BEST * best]
