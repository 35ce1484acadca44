"""Tasks on the system: date, ps/kill, ss/lsof, git, curl, crontab lines, ssh/scp forms."""

from __future__ import annotations

from bench.tasks import make as T
from bench.tasks.httpd import URL

SLEEPERS = "sleep 1001 >/dev/null 2>&1 &\nsleep 1002 >/dev/null 2>&1 &\nsleep 0.2"
LISTENER = (
    "python3 -m http.server 18181 --bind 127.0.0.1 >/dev/null 2>&1 &\n"
    "for _ in 1 2 3 4 5 6 7 8 9 10; do ss -ltn | grep -q :18181 && break; sleep 0.3; done"
)
SLEEP_COUNT = "sleep 0.3; pgrep -c -x sleep || true"
REPO = """
git init -q -b main
git add docs src && git commit -qm 'initial import'
printf 'More text.\\n' >> docs/readme.md && git commit -qam 'update readme'
git checkout -qb feature && printf 'feature\\n' > src/feature.py && git add src/feature.py && git commit -qm 'add feature'
git checkout -q main
git remote add origin https://example.com/team/demo.git
printf '# changed\\n' >> src/main.py
printf 'new\\n' > untracked.txt
"""
GIT_STATE = "git log --all --format='%s|%D'; git status --porcelain; git stash list | wc -l"
CRON = "grep -v '^#' \"$HOME/.crontab\" 2>/dev/null | tr -s ' \\t' ' '"

TASKS = [
    # date
    T("date", "iso", "print today's date in YYYY-MM-DD format", "date +%F"),
    T("date", "ago", "print the date 3 days ago in YYYY-MM-DD format", "date -d '3 days ago' +%F"),
    T(
        "date",
        "weekday",
        "print the weekday name of 2024-12-25 using date",
        "date -d 2024-12-25 +%A",
        "ref_in_out",
    ),
    T(
        "date",
        "epoch",
        "convert the unix timestamp 1700000000 to a human readable date",
        "date -d @1700000000",
        "contains",
        expect=("2023", "22:13:20"),
    ),
    T("date", "monday", "print the date of next Monday as YYYY-MM-DD", "date -d 'next monday' +%F"),
    T(
        "date",
        "mtime",
        "print the last modification date of notes.txt as YYYY-MM-DD",
        "date -r notes.txt +%F",
    ),
    # ps / kill
    T(
        "ps",
        "pkill",
        "kill all processes named sleep",
        "pkill -x sleep",
        "probe",
        prelude=SLEEPERS,
        probe=SLEEP_COUNT,
    ),
    T(
        "ps",
        "kill9",
        "force kill every sleep process with SIGKILL",
        "pkill -9 -x sleep",
        "probe",
        prelude=SLEEPERS,
        probe=SLEEP_COUNT,
    ),
    T(
        "ps",
        "pid",
        "show the PIDs of the sleep processes",
        "pgrep -x sleep",
        "words",
        prelude=SLEEPERS,
    ),
    T(
        "ps",
        "cmdline",
        "show the full command line of the running sleep processes",
        "pgrep -a -x sleep",
        "contains",
        prelude=SLEEPERS,
        expect=("sleep 1001", "sleep 1002"),
    ),
    # ss / lsof
    T(
        "ss",
        "who",
        "which process is listening on port 18181",
        "ss -ltnp 'sport = :18181'",
        "contains",
        prelude=LISTENER,
        expect=("python",),
    ),
    T(
        "ss",
        "ports",
        "list all listening TCP ports",
        "ss -ltn",
        "contains",
        prelude=LISTENER,
        expect=("18181",),
    ),
    T(
        "ss",
        "kill",
        "kill the process listening on TCP port 18181",
        "fuser -k 18181/tcp",
        "probe",
        prelude=LISTENER,
        probe="sleep 0.3; ss -ltn | grep -c ':18181 ' || true",
    ),
    # git
    T(
        "git",
        "branch",
        "show my current git branch",
        "git branch --show-current",
        "ref_in_out",
        setup=REPO,
    ),
    T("git", "log3", "show the last 3 commits, one line each", "git log --oneline -3", setup=REPO),
    T(
        "git",
        "diff",
        "show what changed in src/main.py since the last commit",
        "git diff src/main.py",
        setup=REPO,
    ),
    T(
        "git",
        "commit",
        "stage all changes and commit them with the message wip",
        "git add -A && git commit -m wip",
        "probe",
        setup=REPO,
        probe=GIT_STATE,
    ),
    T(
        "git",
        "new-branch",
        "create a new branch called hotfix and switch to it",
        "git checkout -b hotfix",
        "probe",
        setup=REPO,
        probe="git branch --show-current; git branch --format='%(refname:short)'",
    ),
    T(
        "git",
        "undo",
        "undo the last commit but keep its changes staged",
        "git reset --soft HEAD~1",
        "probe",
        setup=REPO,
        probe=GIT_STATE,
    ),
    T("git", "branches", "list all local branches", "git branch", "words", setup=REPO),
    T(
        "git",
        "modified",
        "show the names of tracked files with uncommitted changes",
        "git diff --name-only",
        "names",
        setup=REPO,
    ),
    T(
        "git",
        "discard",
        "discard my local changes to src/main.py",
        "git checkout -- src/main.py",
        "effect",
        setup=REPO,
    ),
    T(
        "git",
        "blame",
        "show who last changed each line of docs/readme.md",
        "git blame docs/readme.md",
        "contains",
        setup=REPO,
        expect=("Bench User", "More text."),
    ),
    T(
        "git",
        "merge",
        "merge the feature branch into the current branch",
        "git merge feature",
        "probe",
        setup=REPO,
        probe=GIT_STATE,
    ),
    T(
        "git",
        "stash",
        "stash my uncommitted changes",
        "git stash",
        "probe",
        setup=REPO,
        probe=GIT_STATE,
    ),
    T(
        "git",
        "remote",
        "show the URL of the origin remote",
        "git remote get-url origin",
        "ref_in_out",
        setup=REPO,
    ),
    T(
        "git",
        "untracked",
        "list the untracked files in this repository",
        "git ls-files --others --exclude-standard",
        "names",
        setup=REPO,
    ),
    # curl
    T(
        "curl",
        "save",
        f"download {URL}/hello.txt and save it as hello.txt",
        f"curl -o hello.txt {URL}/hello.txt",
        "effect",
    ),
    T(
        "curl",
        "O",
        f"download {URL}/files/report.pdf keeping its file name",
        f"curl -O {URL}/files/report.pdf",
        "effect",
    ),
    T(
        "curl",
        "status",
        f"show only the HTTP status code of {URL}/missing",
        f"curl -s -o /dev/null -w '%{{http_code}}' {URL}/missing",
        "numbers",
    ),
    T(
        "curl",
        "post",
        f'send a POST request with the JSON {{"name":"test"}} to {URL}/echo',
        f"curl -s -X POST -H 'Content-Type: application/json' -d '{{\"name\":\"test\"}}' {URL}/echo",
        "json",
    ),
    T(
        "curl",
        "head",
        f"show the response headers of {URL}/hello.txt",
        f"curl -sI {URL}/hello.txt",
        "contains",
        expect=("200", "Content-Length"),
    ),
    T(
        "curl",
        "follow",
        f"fetch {URL}/redirect, following redirects, and print the body",
        f"curl -sL {URL}/redirect",
    ),
    T(
        "curl",
        "jq",
        f"fetch {URL}/data.json and print its version field",
        f"curl -s {URL}/data.json | jq -r .version",
        "ref_in_out",
    ),
    # crontab lines
    T(
        "cron",
        "daily",
        "add a cron job that runs /usr/local/bin/backup.sh every day at 3am",
        "(crontab -l; echo '0 3 * * * /usr/local/bin/backup.sh') | crontab -",
        "probe",
        probe=CRON,
    ),
    T(
        "cron",
        "15min",
        "schedule /usr/local/bin/sync.sh to run every 15 minutes in my crontab",
        "(crontab -l; echo '*/15 * * * * /usr/local/bin/sync.sh') | crontab -",
        "probe",
        probe=CRON,
    ),
    T("cron", "list", "list my cron jobs", "crontab -l"),
    T("cron", "remove", "remove all my cron jobs", "crontab -r", "probe", probe=CRON),
    T(
        "cron",
        "weekdays",
        "add a cron job running /usr/local/bin/report.sh at 9:30 on weekdays",
        "(crontab -l; echo '30 9 * * 1-5 /usr/local/bin/report.sh') | crontab -",
        "probe",
        probe=CRON,
    ),
    # ssh / scp
    T("ssh", "port", "ssh into localhost on port 10022", "ssh -p 10022 localhost"),
    T(
        "ssh",
        "user",
        "ssh to server.example.com as the user deploy",
        "ssh deploy@server.example.com",
    ),
    T("ssh", "run", "run uptime on web1.example.com over ssh", "ssh web1.example.com uptime"),
    T(
        "ssh",
        "key",
        "ssh to host.example.com using the key ~/.ssh/id_ed25519",
        "ssh -i ~/.ssh/id_ed25519 host.example.com",
    ),
    T(
        "ssh",
        "scp",
        "copy notes.txt to /tmp on backup.example.com",
        "scp notes.txt backup.example.com:/tmp/",
    ),
    T(
        "ssh",
        "scp-r",
        "copy the docs folder recursively to /srv/docs on host.example.com as user admin",
        "scp -r docs admin@host.example.com:/srv/docs",
    ),
    T(
        "ssh",
        "scp-get",
        "copy /var/log/syslog from server.example.com into the current directory",
        "scp server.example.com:/var/log/syslog .",
    ),
]
