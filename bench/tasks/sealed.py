"""A sealed held-out set: requests the way people type them into a terminal helper.

Written by a helper session; the developers tuning `i` run it (`bench/quality.py --set
sealed`) and never read it. It is not part of `all_tasks()`. Every id starts with `s-`.
"""

from __future__ import annotations

from bench.tasks import make as T

# two sleeps, the first started visibly earlier than the second
SLEEPS = "sleep 1001 >/dev/null 2>&1 &\nsleep 0.3\nsleep 1002 >/dev/null 2>&1 &\nsleep 0.2"
SERVER = (
    "python3 -m http.server 18282 --bind 127.0.0.1 >/dev/null 2>&1 &\n"
    "for _ in 1 2 3 4 5 6 7 8 9 10; do ss -ltn | grep -q :18282 && break; sleep 0.3; done"
)
REPO = """
git init -q -b main
git add src docs && git commit -qm 'first import'
git tag v1.0
printf 'Step three: profit.\\n' >> docs/guide.md
GIT_AUTHOR_NAME='Dana Smith' GIT_AUTHOR_EMAIL=dana@example.com \\
GIT_AUTHOR_DATE=2024-06-14T16:45:00Z GIT_COMMITTER_DATE=2024-06-14T16:45:00Z \\
  git commit -qam 'extend the guide'
git tag v1.1
git branch old-idea
git add data/users.csv
printf 'x = 1\\n' >> src/lib/helpers.py
"""
BIG_SHA = "9b33a5e4d1d7e0f5d695e8f6dd60bd25d8e16aec193822845eba5bcb07672ce6"

TASKS = [
    # finding files
    T(
        "s-find",
        "recent-min",
        "what did i edit in the last 20 minutes",
        "find . -type f -mmin -20",
        "names",
        setup=(
            "find . -exec touch -h -d '2 days ago' {} +\n"
            "touch -d '10 minutes ago' src/app.js data/words.txt\n"
            "touch -d '45 minutes ago' todo.txt"
        ),
    ),
    T(
        "s-find",
        "newest-here",
        "whats the newest file in this folder? just the name",
        "ls -t | head -n 1",
        "names",
        setup="find . -exec touch -h -d '2 days ago' {} +\ntouch -d '1 hour ago' names.txt",
    ),
    T("s-find", "spaces", "any files with spaces in the name?", "find . -name '* *'", "names"),
    T(
        "s-find",
        "broken-links",
        "are there broken symlinks anywhere in here",
        "find . -xtype l",
        "names",
        setup="ln -s gone.txt docs/old-link\nln -s ../nothing/here build/dead",
    ),
    T(
        "s-find",
        "iname",
        "find anything with config in its name, upper or lower case, files or folders",
        "find . -iname '*config*'",
        "names",
        setup="printf 'cfg\\n' > docs/CONFIG.md",
    ),
    T(
        "s-find",
        "not-exec",
        "which .sh scripts arent executable yet",
        "find . -name '*.sh' ! -perm -u+x",
        "names",
    ),
    T(
        "s-find",
        "count-src",
        "how many files are in src counting subfolders",
        "find src -type f | wc -l",
        "numbers",
    ),
    T(
        "s-find",
        "logs-over-10k",
        "how many files in logs are bigger than 10k",
        "find logs -type f -size +10k | wc -l",
        "numbers",
    ),
    T(
        "s-find",
        "jpg-bytes",
        "how many bytes do all the jpgs take up together",
        "find . -name '*.jpg' -printf '%s\\n' | awk '{s+=$1} END {print s}'",
        "numbers",
    ),
    # searching text
    T(
        "s-grep",
        "call-site",
        "where is helpers.run called",
        "grep -rn 'helpers.run' .",
        "names",
    ),
    T(
        "s-grep",
        "404s",
        "show me all the 404s in the access log",
        "grep ' 404 ' logs/access.log",
    ),
    T(
        "s-grep",
        "exceptions",
        "what kinds of exceptions are in logs/error.log, just the exception names",
        "grep -oE '[A-Za-z]+Error' logs/error.log | sort -u",
        "words",
    ),
    T(
        "s-grep",
        "one-day",
        "show the app.log entries from may 5th 2024",
        "grep '^2024-05-05' logs/app.log",
    ),
    T(
        "s-grep",
        "distinct-ips",
        "how many different ips show up in the access log",
        "awk '{print $1}' logs/access.log | sort -u | wc -l",
        "numbers",
    ),
    T(
        "s-grep",
        "after",
        "show every ERROR in logs/app.log along with the line right after it",
        "grep -A 1 ERROR logs/app.log",
    ),
    T(
        "s-grep",
        "port-where",
        "where's port 8080 set in this project",
        "grep -rl 8080 .",
        "names",
    ),
    # text files
    T(
        "s-text",
        "bytes-served",
        "add up the response sizes in logs/access.log",
        "awk '{s+=$10} END {print s}' logs/access.log",
        "numbers",
    ),
    T(
        "s-text",
        "distinct-nums",
        "how many different values are in data/numbers.txt",
        "sort -u data/numbers.txt | wc -l",
        "numbers",
    ),
    T("s-text", "numbered", "show names.txt with line numbers", "cat -n names.txt", "tokens"),
    T("s-text", "bottom-up", "print data/words.txt bottom to top", "tac data/words.txt"),
    T(
        "s-text",
        "sha",
        "sha256 of data/big.bin?",
        "sha256sum data/big.bin",
        "contains",
        expect=(BIG_SHA,),
    ),
    T(
        "s-text",
        "peek-gz",
        "peek at the first 3 lines of data/dump.sql.gz without extracting it",
        "zcat data/dump.sql.gz | head -n 3",
    ),
    # csv / json data
    T(
        "s-data",
        "oldest",
        "who's the oldest person in data/users.csv and how old",
        "sort -t, -k2 -nr data/users.csv | head -n 1",
        "contains",
        "numbers",
        expect=("frank",),
    ),
    T(
        "s-data",
        "per-city",
        "how many people per city in data/users.csv",
        "tail -n +2 data/users.csv | cut -d, -f3 | sort | uniq -c",
        "words",
    ),
    T(
        "s-data",
        "under-30",
        "names of everyone under 30 in data/users.csv",
        "awk -F, 'NR>1 && $2<30 {print $1}' data/users.csv",
        "words",
    ),
    T(
        "s-data",
        "price-total",
        "total price of all the items in data/items.json",
        "jq 'map(.price) | add' data/items.json",
        "numbers",
    ),
    T(
        "s-data",
        "priciest",
        "which item in data/items.json costs the most? just its name",
        "jq -r 'max_by(.price).name' data/items.json",
        "words",
    ),
    T(
        "s-data",
        "tagged",
        "names of the items in data/items.json tagged office",
        "jq -r '.[] | select(.tags | index(\"office\")) | .name' data/items.json",
        "words",
    ),
    T(
        "s-data",
        "paris-mail",
        "emails of the people in Paris from data/users.csv",
        "awk -F, '$3 == \"Paris\" {print $4}' data/users.csv",
        "words",
    ),
    T(
        "s-data",
        "bash-users",
        "which users in passwd.txt have bash as their shell",
        "awk -F: '$7 == \"/bin/bash\" {print $1}' passwd.txt",
        "words",
    ),
    # the machine
    T("s-sys", "ram", "am i running low on ram", "free -h", "contains", expect=("Mem",)),
    T("s-sys", "cores", "how many cpu cores does this box have", "nproc", "numbers"),
    T("s-sys", "kernel", "what kernel am i running", "uname -r", "ref_in_out"),
    T(
        "s-sys",
        "distro",
        "which linux distro is this",
        '. /etc/os-release && echo "$NAME"',
        "ref_in_out",
    ),
    T("s-sys", "up", "how long has this machine been up", "uptime", "contains", expect=("up",)),
    T(
        "s-sys",
        "room",
        "how much room is left on the disk this folder is on",
        "df -h .",
        "contains",
        expect=("Avail",),
    ),
    T(
        "s-sys",
        "cpu-model",
        "what cpu does this machine have",
        "lscpu | sed -n 's/^Model name: *//p'",
        "ref_in_out",
    ),
    T("s-sys", "me", "which user am i", "whoami", "words"),
    T(
        "s-sys",
        "py-version",
        "what version of python3 is installed",
        "python3 -c 'import platform; print(platform.python_version())'",
        "ref_in_out",
    ),
    # dates and times
    T("s-clock", "weekday", "what day of the week is it", "date +%a", "ref_in_out"),
    T(
        "s-clock",
        "tokyo",
        "whats the time in tokyo right now",
        "TZ=Asia/Tokyo date +%H",
        "ref_in_out",
    ),
    T(
        "s-clock",
        "to-epoch",
        "whats 2025-01-01 midnight utc as a unix timestamp",
        "date -u -d 2025-01-01 +%s",
        "numbers",
    ),
    T(
        "s-clock",
        "days-between",
        "how many days from march 1 2024 to christmas 2024",
        "echo $(( ($(date -u -d 2024-12-25 +%s) - $(date -u -d 2024-03-01 +%s)) / 86400 ))",
        "numbers",
    ),
    # processes and ports
    T(
        "s-proc",
        "lowest-prio",
        "drop the running sleep processes to the lowest cpu priority",
        "renice -n 19 -p $(pgrep -x sleep)",
        "probe",
        prelude=SLEEPS,
        probe="sleep 0.2; ps -o ni= -C sleep | tr -d ' '",
    ),
    T(
        "s-proc",
        "kill-oldest",
        "kill the sleep i started first, keep the newer one",
        "pkill -o -x sleep",
        "probe",
        prelude=SLEEPS,
        probe="sleep 0.3; pgrep -a -x sleep | cut -d' ' -f2-",
    ),
    T(
        "s-proc",
        "pause",
        "pause the sleep processes, dont kill them",
        "pkill -STOP -x sleep",
        "probe",
        prelude=SLEEPS,
        probe="sleep 0.2; ps -o stat= -C sleep",
    ),
    T(
        "s-proc",
        "server-port",
        "what port is my python web server listening on",
        "ss -ltnp | grep python",
        "contains",
        prelude=SERVER,
        expect=("18282",),
    ),
    # git
    T("s-git", "tags", "what tags does this repo have", "git tag", "words", setup=REPO),
    T(
        "s-git",
        "staged",
        "which files are staged right now",
        "git diff --cached --name-only",
        "names",
        setup=REPO,
    ),
    T(
        "s-git",
        "unstage",
        "unstage everything",
        "git reset -q",
        "probe",
        setup=REPO,
        probe="git status --porcelain",
    ),
    T(
        "s-git",
        "tag-head",
        "tag the current commit as v2.0",
        "git tag v2.0",
        "probe",
        setup=REPO,
        probe="git tag --points-at HEAD",
    ),
    T(
        "s-git",
        "drop-branch",
        "delete the old-idea branch",
        "git branch -d old-idea",
        "probe",
        setup=REPO,
        probe="git branch --format='%(refname:short)'",
    ),
    T(
        "s-git",
        "count",
        "how many commits are there so far",
        "git rev-list --count HEAD",
        "numbers",
        setup=REPO,
    ),
    T(
        "s-git",
        "last-when",
        "when was the last commit made",
        "git log -1 --format=%cd",
        "contains",
        setup=REPO,
        expect=("2024", "16:45"),
    ),
    T(
        "s-git",
        "last-files",
        "what files did the last commit touch",
        "git show --name-only --format= HEAD",
        "names",
        setup=REPO,
    ),
    T(
        "s-git",
        "ignore-tmp",
        "add the .tmp files to the gitignore",
        "echo '*.tmp' >> .gitignore",
        "effect",
        setup=REPO,
    ),
    # renaming, moving, making
    T(
        "s-tidy",
        "bin-dat",
        "change the .bin files in data to a .dat extension",
        'for f in data/*.bin; do mv "$f" "${f%.bin}.dat"; done',
        "effect",
    ),
    T(
        "s-tidy",
        "years",
        "make a years folder with subfolders 2021 through 2024",
        "mkdir -p years/{2021..2024}",
        "effect",
    ),
    T(
        "s-tidy",
        "objs",
        "move the .o files out of build into a new folder objs",
        "mkdir -p objs && mv build/*.o objs/",
        "effect",
    ),
    T(
        "s-tidy",
        "lowercase",
        "make all the filenames in photos lowercase",
        'cd photos && for f in *; do l=$(printf %s "$f" | tr A-Z a-z); '
        '[ "$f" = "$l" ] || mv "$f" "$l"; done',
        "effect",
        setup="mv photos/a.jpg photos/Beach.JPG && mv photos/b.png photos/DOG.png",
    ),
    T(
        "s-tidy",
        "unlink-copy",
        "docs/latest is a symlink, turn it into a real copy of the file",
        "cp --remove-destination docs/readme.md docs/latest",
        "effect",
    ),
    T(
        "s-tidy",
        "week",
        "create a folder week with empty files day1.txt to day7.txt",
        "mkdir -p week && touch week/day{1..7}.txt",
        "effect",
    ),
    T(
        "s-tidy",
        "stale-logs",
        "move whatever in logs/ hasnt been touched for over a month into old/",
        "find logs -type f -mtime +30 -exec mv {} old/ \\;",
        "effect",
    ),
    T(
        "s-tidy",
        "underscores",
        "replace the spaces in the filenames in docs with underscores",
        'for f in docs/*\\ *; do mv "$f" "${f// /_}"; done',
        "effect",
    ),
    T(
        "s-tidy",
        "howto-link",
        "add a howto.md link in docs that points at guide.md",
        "ln -s guide.md docs/howto.md",
        "effect",
    ),
    T(
        "s-tidy",
        "txt-archive",
        "stick all the .txt files from this folder (not subfolders) into a new archive dir",
        "mkdir -p archive && mv ./*.txt archive/",
        "effect",
    ),
    # deleting
    T(
        "s-clean",
        "truncate",
        "empty out every file in logs but dont delete them",
        "truncate -s 0 logs/*",
        "effect",
    ),
    T(
        "s-clean",
        "build-inside",
        "clear out the build folder but keep the folder itself",
        "rm -rf build/*",
        "effect",
    ),
    T(
        "s-clean",
        "big-bins",
        "delete the .bin files that are over 2 megs",
        "find . -name '*.bin' -size +2M -delete",
        "effect",
    ),
    T(
        "s-clean",
        "empty-files",
        "delete the empty files, except python __init__.py ones",
        "find . -type f -empty ! -name __init__.py -delete",
        "effect",
    ),
    T(
        "s-clean",
        "pycache",
        "get rid of all the __pycache__ dirs",
        "find . -type d -name __pycache__ -prune -exec rm -rf {} +",
        "effect",
    ),
    # permissions
    T(
        "s-perm",
        "src-ro",
        "make every file under src read-only for everybody, leave the folders alone",
        "find src -type f -exec chmod a-w {} +",
        "effect",
    ),
    T("s-perm", "750", "set the .sh scripts in scripts to 750", "chmod 750 scripts/*.sh", "effect"),
    T(
        "s-perm",
        "backup-700",
        "nobody but me should be able to get into the backup folder",
        "chmod 700 backup",
        "effect",
    ),
    T(
        "s-perm",
        "same-as",
        "give deploy.sh the same permissions as build.sh",
        "chmod --reference=scripts/build.sh scripts/deploy.sh",
        "effect",
    ),
    T(
        "s-perm",
        "sticky",
        "make emptydir writable by everyone but people can only delete their own files in it",
        "chmod 1777 emptydir",
        "effect",
    ),
    # archives
    T(
        "s-pack",
        "tar-exclude",
        "tar up logs into logs.tar.gz but leave huge.log out",
        "tar -czf logs.tar.gz --exclude=huge.log logs",
        "effect",
    ),
    T(
        "s-pack",
        "bz2",
        "make a bzip2 tarball of the old folder called old.tar.bz2",
        "tar -cjf old.tar.bz2 old",
        "effect",
    ),
    T(
        "s-pack",
        "zip-two",
        "zip data/users.csv and data/config.json together into data.zip",
        "zip -q data.zip data/users.csv data/config.json",
        "effect",
    ),
    T(
        "s-pack",
        "unpack-both",
        "unpack archive.tar.gz and bundle.zip into one new folder called unpacked",
        "mkdir -p unpacked && tar -xzf archive.tar.gz -C unpacked && unzip -q bundle.zip -d unpacked",
        "effect",
    ),
    T(
        "s-pack",
        "tar-then-rm",
        "archive the scripts folder as scripts.tar.gz and then remove the folder",
        "tar -czf scripts.tar.gz scripts && rm -r scripts",
        "effect",
    ),
    # editing files in place
    T(
        "s-edit",
        "port",
        "bump the port in data/config.json from 8080 to 9090",
        "sed -i 's/8080/9090/' data/config.json",
        "effect",
    ),
    T(
        "s-edit",
        "append",
        "add 'call mom' as a new line at the end of notes.txt",
        "echo 'call mom' >> notes.txt",
        "effect",
    ),
    T(
        "s-edit",
        "dedupe",
        "guests.txt has duplicates, sort it and drop them, save over the file",
        "sort -u -o guests.txt guests.txt",
        "effect",
        setup="printf 'zoe\\nadam\\nzoe\\nmia\\nadam\\nli\\n' > guests.txt",
    ),
    T(
        "s-edit",
        "crlf",
        "convert data/users.csv to windows line endings",
        "sed -i 's/$/\\r/' data/users.csv",
        "effect",
    ),
    T(
        "s-edit",
        "ini-value",
        "set debug_level to 5 in .config/settings.ini",
        "sed -i 's/^debug_level = .*/debug_level = 5/' .config/settings.ini",
        "effect",
    ),
    T(
        "s-edit",
        "drop-info",
        "strip all the INFO lines out of logs/app.log, edit it in place",
        "sed -i '/INFO/d' logs/app.log",
        "effect",
    ),
    T(
        "s-edit",
        "squeeze",
        "collapse runs of spaces in todo.txt into single spaces, in the file",
        "sed -i 's/  */ /g' todo.txt",
        "effect",
    ),
    T(
        "s-edit",
        "shebang",
        "switch the shebang in the scripts/*.sh files from sh to bash",
        "sed -i '1s|^#!/bin/sh|#!/bin/bash|' scripts/*.sh",
        "effect",
    ),
    T(
        "s-edit",
        "last-line",
        "get rid of the last line in names.txt",
        "sed -i '$d' names.txt",
        "effect",
    ),
]
