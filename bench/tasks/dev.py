"""A development set: 60 everyday requests, phrased the way people type them, for tuning `i`.

Kept apart from the main tasks (`all_tasks()`) and from the sealed set; run it with
`bench/quality.py --set dev`. Every task brings its own files (`setup`) with data of its own,
so an answer has to come from the files, not from the standard fixture or a guess.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bench.tasks import Task, make


def T(group: str, id: str, request: str, reference: str, *check: str, **kw: Any) -> Task:
    """A task whose id is `d-group-id`; its group stays the plain group (find, grep, ...)."""
    task = make(group, id, request, reference, *check, **kw)
    return dataclasses.replace(task, id=f"d-{task.id}")


# a repository: main has 5 commits (2 by Dana), fix-typo is merged, feature-search is not;
# the last commit on main is Priya's (api/ and CHANGELOG.md)
REPO = """
git init -q -b main
mkdir -p api web
printf 'package api\\n' > api/server.go
printf '<h1>hi</h1>\\n' > web/index.html
printf '# shop\\n' > README.md
git add api web README.md && git commit -qm 'initial layout'
printf '// health\\n' >> api/server.go
GIT_AUTHOR_NAME='Dana Okafor' GIT_AUTHOR_EMAIL=dana@example.org git commit -qam 'api: add health check'
printf '// timeout\\n' >> api/server.go
GIT_AUTHOR_NAME='Dana Okafor' GIT_AUTHOR_EMAIL=dana@example.org git commit -qam 'api: configurable timeout'
git checkout -qb fix-typo
printf '<h1>hello</h1>\\n' > web/index.html && git commit -qam 'fix greeting typo'
git checkout -q main && git merge -q fix-typo
printf '// metrics\\n' >> api/server.go && printf 'package api\\n' > api/metrics.go
printf '## 1.4\\n- metrics\\n' > CHANGELOG.md && git add api CHANGELOG.md
GIT_AUTHOR_NAME='Priya Raman' GIT_AUTHOR_EMAIL=priya@example.org git commit -qm 'add metrics endpoint'
git checkout -qb feature-search
printf 'search()\\n' > web/search.js && printf 'search docs\\n' >> README.md
git add web/search.js README.md && git commit -qm 'add search'
git checkout -q main
"""

TASKS = [
    # find
    T(
        "find",
        "lasthour",
        "what changed in reports in the last hour",
        "find reports -type f -mmin -60",
        "names",
        setup=r"""
mkdir -p reports
printf 'q1 totals\n' > reports/q1-totals.txt && touch -d '25 minutes ago' reports/q1-totals.txt
printf 'summary\n' > reports/summary.md && touch -d '50 minutes ago' reports/summary.md
printf 'draft\n' > reports/draft-v2.md && touch -d '70 minutes ago' reports/draft-v2.md
printf 'q2\n' > reports/q2-totals.txt && touch -d '3 hours ago' reports/q2-totals.txt
printf 'old\n' > reports/legacy.csv && touch -d '2 days ago' reports/legacy.csv
""",
    ),
    T(
        "find",
        "conf-here",
        "conf files in this folder, not in subfolders",
        "find . -maxdepth 1 -name '*.conf'",
        "names",
        setup=r"""
mkdir -p nginx/sites
printf 'listen 80\n' > app.conf
printf 'pool 4\n' > db.conf
printf 'worker_processes 2;\n' > nginx/nginx.conf
printf 'server {}\n' > nginx/sites/default.conf
""",
    ),
    T(
        "find",
        "over500k",
        "anything over 500k in media?",
        "find media -type f -size +500k",
        "names",
        setup=r"""
mkdir -p media/clips
yes thumb | head -c 102400 > media/thumb.png
yes intro | head -c 307200 > media/intro.wav
yes teaser | head -c 819200 > media/clips/teaser.mp4
yes podcast | head -c 2097152 > media/podcast.mp3
yes jingle | head -c 40000 > media/clips/jingle.ogg
""",
    ),
    T(
        "find",
        "zero-bytes",
        "delete the 0 byte files anywhere under inbox",
        "find inbox -type f -empty -delete",
        "effect",
        setup=r"""
mkdir -p inbox/spam inbox/drafts
printf 'hi anna\n' > inbox/msg-anna.eml
: > inbox/msg-blank.eml
: > inbox/spam/zero.eml
printf 'win a prize\n' > inbox/spam/prize.eml
printf 'keep\n' > inbox/notes.txt
""",
    ),
    T(
        "find",
        "newer",
        "which files in app were modified after app/build.stamp",
        "find app -type f -newer app/build.stamp",
        "names",
        setup=r"""
mkdir -p app
printf 'built\n' > app/build.stamp && touch -d '2 hours ago' app/build.stamp
printf 'int a;\n' > app/parser.c && touch -d '1 hour ago' app/parser.c
printf 'int b;\n' > app/lexer.c && touch -d '3 hours ago' app/lexer.c
printf '#define X 1\n' > app/tokens.h && touch -d '10 minutes ago' app/tokens.h
printf 'all:\n' > app/Makefile && touch -d '5 hours ago' app/Makefile
""",
    ),
    T(
        "find",
        "world-read",
        "which files in keys are world readable",
        "find keys -type f -perm -o=r",
        "names",
        setup=r"""
mkdir -p keys
for f in deploy.pem backup.pem ci.pub ops.pub; do printf 'k\n' > keys/$f; done
chmod 600 keys/deploy.pem; chmod 604 keys/backup.pem; chmod 644 keys/ci.pub; chmod 640 keys/ops.pub
""",
    ),
    T(
        "find",
        "old-csv",
        "move csv files older than a week from downloads into stash",
        "find downloads -name '*.csv' -mtime +7 -exec mv {} stash/ \\;",
        "effect",
        setup=r"""
mkdir -p downloads stash
printf 'a,1\n' > downloads/jan.csv && touch -d '20 days ago' downloads/jan.csv
printf 'b,2\n' > downloads/feb.csv && touch -d '10 days ago' downloads/feb.csv
printf 'c,3\n' > downloads/mar.csv && touch -d '2 days ago' downloads/mar.csv
printf 'n\n' > downloads/old-notes.txt && touch -d '30 days ago' downloads/old-notes.txt
""",
    ),
    T(
        "find",
        "top3",
        "3 biggest files in assets incl subfolders, largest first",
        "find assets -type f -printf '%s %p\\n' | sort -rn | head -3",
        "ordered",
        setup=r"""
mkdir -p assets/img assets/fonts
yes logo | head -c 50000 > assets/logo.svg
yes hero | head -c 420000 > assets/img/hero.jpg
yes icon | head -c 90000 > assets/img/icon.png
yes font | head -c 260000 > assets/fonts/inter.woff2
yes js | head -c 310000 > assets/bundle.js
yes css | head -c 12000 > assets/site.css
""",
    ),
    T(
        "find",
        "iname",
        "find anything called invoice, upper or lower case",
        "find . -iname '*invoice*'",
        "names",
        setup=r"""
mkdir -p billing misc
printf 'x\n' > Invoice-jan.pdf
printf 'x\n' > billing/INVOICE-feb.pdf
printf 'x\n' > billing/receipt-feb.pdf
printf 'x\n' > misc/old_invoice.txt
printf 'x\n' > misc/voice-memo.m4a
""",
    ),
    # grep
    T(
        "grep",
        "count-each",
        "how many lines mention timeout in each log in svc",
        "grep -c timeout svc/*.log",
        "words",
        setup=r"""
mkdir -p svc
for i in 1 2 3 4 5; do echo "GET /a/$i upstream timeout"; echo "GET /a/$i ok time=1${i}ms"; done > svc/api.log
for i in 1 2; do echo "query $i timeout"; echo "query $i done"; echo "query $i done"; done > svc/db.log
for i in 1 2 3 4 5 6 7; do echo "evict $i"; echo "get $i timeout"; done > svc/cache.log
""",
    ),
    T(
        "grep",
        "no-comments",
        "show app.cfg without the comments and blank lines",
        "grep -v '^#' app.cfg | grep -v '^$'",
        setup=r"""
cat > app.cfg <<'EOF'
# app settings
listen=0.0.0.0:7311
# workers tuned for 2 cores

workers=3
color=#ff8800
#cache=off

timeout=45
EOF
""",
    ),
    T(
        "grep",
        "any-case",
        "which files under kb mention kubernetes? any case",
        "grep -ril kubernetes kb",
        "names",
        setup=r"""
mkdir -p kb/ops
printf 'Deploying to Kubernetes\n' > kb/deploy.md
printf 'we use kubernetes for batch jobs\n' > kb/ops/jobs.md
printf 'docker compose only\n' > kb/ops/local.md
printf 'KUBERNETES cluster notes\n' > kb/cluster.txt
printf 'nothing to see\n' > kb/misc.txt
""",
    ),
    T(
        "grep",
        "before",
        "show the panic in server.log with the 3 lines before it",
        "grep -B3 panic server.log",
        setup=r"""
cat > server.log <<'EOF'
08:00:01 boot sequence start
08:00:02 loading config /etc/srv.toml
08:00:03 binding :4431
08:00:04 accepted conn from 10.2.0.7
08:00:05 worker 3 spawned
08:00:06 cache warm (812 keys)
08:00:07 worker 3 nil map write
08:00:07 panic: assignment to entry in nil map
08:00:08 shutting down
08:00:09 exit code 2
EOF
""",
    ),
    T(
        "grep",
        "emails",
        "pull all the email addresses out of contacts.txt",
        "grep -oE '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]+' contacts.txt",
        "lines",
        setup=r"""
cat > contacts.txt <<'EOF'
Ana Lima <ana.lima@corp.test> - sales
call Ben at 555-0199
mail: j.wu@labs.example.net (weekends only)
two of them: tk_m@mailbox.io and ops-team@infra.example.org
no address here, just mentions like @rolf
EOF
""",
    ),
    T(
        "grep",
        "py-import",
        "which .py files in tools import requests",
        "grep -rl 'import requests' --include='*.py' tools",
        "names",
        setup=r"""
mkdir -p tools
printf 'import requests\n\nrequests.get("http://x")\n' > tools/fetch.py
printf 'import json\n' > tools/parse.py
printf 'import os\nimport requests\n' > tools/sync.py
printf 'remember to import requests later\n' > tools/TODO.txt
""",
    ),
    # text: sort/uniq/awk/sed/tr/cut/wc
    T(
        "text",
        "top-words",
        "top 3 most common words in essay.txt",
        "tr -s ' ' '\\n' < essay.txt | sort | uniq -c | sort -rn | head -3",
        "words",
        setup=r"""
cat > essay.txt <<'EOF'
the river ran past the old mill
a stone fell into the river
the miller saw the stone sink
river and stone and the mill
the river kept going
EOF
""",
    ),
    T(
        "text",
        "uniq-ips",
        "how many different ips are in nginx.log",
        "awk '{print $1}' nginx.log | sort -u | wc -l",
        "numbers",
        setup=r"""
for i in $(seq 1 20); do
  printf '172.16.9.%d - - [02/Jun/2024:08:%02d:11 +0000] "GET /p/%d HTTP/1.1" 200 %d\n' \
    $(( (i * 3) % 7 + 10 )) $i $i $((i * 13))
done > nginx.log
""",
    ),
    T(
        "text",
        "sum-col",
        "total units sold in sales.csv",
        "awk -F, 'NR>1 {s+=$3} END {print s}' sales.csv",
        "numbers",
        setup=r"""
cat > sales.csv <<'EOF'
region,rep,units,price
north,kim,120,15
south,lee,75,22
east,ortiz,230,9
west,ng,64,31
north,abe,318,12
EOF
""",
    ),
    T(
        "text",
        "email-col",
        "list just the emails from staff.csv, no header",
        "tail -n +2 staff.csv | cut -d, -f4",
        setup=r"""
cat > staff.csv <<'EOF'
id,name,dept,email
17,Mara Quist,ops,mquist@firm.test
23,Olu Bade,dev,obade@firm.test
31,Sven Ek,dev,sek@firm.test
44,Ines Roa,hr,iroa@firm.test
EOF
""",
    ),
    T(
        "text",
        "numbered",
        "show poem.txt with line numbers",
        "cat -n poem.txt",
        "tokens",
        setup=r"""
cat > poem.txt <<'EOF'
so much depends
upon
a red wheel
barrow
glazed with rain
water
EOF
""",
    ),
    T(
        "text",
        "dedupe-order",
        "print guests.txt without the duplicate names, keep the original order",
        "awk '!seen[$0]++' guests.txt",
        setup="printf 'zoe\\nadam\\nmila\\nadam\\nkofi\\nzoe\\nbeth\\nmila\\n' > guests.txt",
    ),
    T(
        "text",
        "over100",
        "show the rows of orders.csv where the amount is over 100, no header",
        "awk -F, 'NR>1 && $3 > 100' orders.csv",
        setup=r"""
cat > orders.csv <<'EOF'
order,customer,amount
A-1001,jung,99.5
A-1002,okoro,100
A-1003,silva,250
A-1004,dubois,101
A-1005,haddad,1200
A-1006,mori,45
EOF
""",
    ),
    T(
        "text",
        "port",
        "change the port in server.conf to 9090",
        "sed -i 's/^port = 8080$/port = 9090/' server.conf",
        "effect",
        setup=r"""
cat > server.conf <<'EOF'
# server
host = 0.0.0.0
port = 8080
admin_port = 8081
EOF
""",
    ),
    T(
        "text",
        "crlf",
        "fix the windows line endings in export.csv",
        "sed -i 's/\\r$//' export.csv",
        "effect",
        setup="printf 'id,total\\r\\n1,30\\r\\n2,45\\r\\n3,12\\r\\n' > export.csv",
    ),
    T(
        "text",
        "squeeze",
        "collapse the repeated spaces in table.txt into single spaces (edit the file)",
        "sed -i 's/  */ /g' table.txt",
        "effect",
        setup=r"""
cat > table.txt <<'EOF'
name    qty   price
bolt      12    0.40
nut   300  0.05
washer 9     0.02
EOF
""",
    ),
    T(
        "text",
        "tsv-csv",
        "make a csv copy of measurements.tsv called measurements.csv",
        "tr '\\t' ',' < measurements.tsv > measurements.csv",
        "effect",
        setup="printf 'site\\ttemp\\thumidity\\nA7\\t21.5\\t40\\nB2\\t19.0\\t55\\n' > measurements.tsv",
    ),
    # files: rename, chmod, ln, cp, mv, rm
    T(
        "files",
        "lowercase",
        "lowercase all the file names in uploads",
        'for f in uploads/*; do mv "$f" "uploads/$(basename "$f" | tr A-Z a-z)"; done',
        "effect",
        setup=r"""
mkdir -p uploads
printf 'a\n' > uploads/Photo_One.JPG
printf 'b\n' > uploads/REPORT.PDF
printf 'c\n' > uploads/Notes.Txt
printf 'd\n' > 'uploads/Team Photo.PNG'
""",
    ),
    T(
        "files",
        "jpeg-jpg",
        "rename all the .jpeg files in pics to .jpg",
        'for f in pics/*.jpeg; do mv "$f" "${f%.jpeg}.jpg"; done',
        "effect",
        setup=r"""
mkdir -p pics
for n in beach city dog; do printf '%s\n' "$n" > pics/$n.jpeg; done
printf 'cat\n' > pics/cat.png
printf 'old\n' > pics/old.jpg
""",
    ),
    T(
        "files",
        "runnable",
        "cant run ./sync.sh, it says permission denied",
        "chmod +x sync.sh",
        "probe",
        setup="printf '#!/bin/sh\\necho synced ok\\n' > sync.sh && chmod 644 sync.sh",
        probe="./sync.sh 2>/dev/null || echo cannot-run",
    ),
    T(
        "files",
        "link-newest",
        "point a symlink called current at the newest release in releases",
        "ln -s releases/v2.10.0 current",
        "probe",
        setup=r"""
mkdir -p releases/v1.9.0 releases/v2.3.1 releases/v2.10.0
for v in 1.9.0 2.3.1 2.10.0; do printf '%s\n' "$v" > releases/v$v/VERSION; done
touch -d '30 days ago' releases/v1.9.0
touch -d '10 days ago' releases/v2.3.1
touch -d '2 days ago' releases/v2.10.0
""",
        # where the link leads, seen inside the sandbox: a relative and an absolute link agree
        probe="[ -L current ] && readlink -f current || echo not-a-link; ls releases",
    ),
    T(
        "files",
        "no-clobber",
        "copy the templates into site but dont overwrite anything already there",
        "cp -n templates/* site/",
        "effect",
        setup=r"""
mkdir -p templates site
printf '<html>base</html>\n' > templates/base.html
printf '<html>about template</html>\n' > templates/about.html
printf 'body{}\n' > templates/site.css
printf '<html>about (edited by hand)</html>\n' > site/about.html
""",
    ),
    T(
        "files",
        "mv-logs",
        "move the .log files sitting in this folder into logs/",
        "mv *.log logs/",
        "effect",
        setup=r"""
mkdir -p jobs
printf 'install ok\n' > install.log
printf 'dbg\n' > debug.log
printf 'cron ran\n' > jobs/cron.log
""",
    ),
    T(
        "files",
        "empty-dir",
        "empty out tmpcache but keep the folder itself",
        "rm -rf tmpcache/*",
        "effect",
        setup=r"""
mkdir -p tmpcache/img/thumbs tmpcache/http
printf 'a' > tmpcache/img/thumbs/t1.bin
printf 'b' > tmpcache/http/resp.dat
printf 'c' > tmpcache/index.db
""",
    ),
    T(
        "files",
        "pem-private",
        "lock down the .pem files in certs so only i can read them",
        "chmod 600 certs/*.pem",
        "probe",
        setup=r"""
mkdir -p certs
for f in server.pem client.pem ca.pem README; do printf 'x\n' > certs/$f; done
chmod 644 certs/server.pem certs/ca.pem certs/README; chmod 664 certs/client.pem
""",
        probe=(
            "find certs -name '*.pem' -perm /077 | wc -l; "
            "find certs -name '*.pem' ! -perm -u=r | wc -l; stat -c %a certs/README"
        ),
    ),
    # jq
    T(
        "jq",
        "active",
        "how many accounts in accounts.json are active",
        "jq '[.[] | select(.active)] | length' accounts.json",
        "numbers",
        setup=r"""
cat > accounts.json <<'EOF'
[
  {"user": "amos", "active": true},
  {"user": "bea", "active": false},
  {"user": "cyd", "active": true},
  {"user": "dov", "active": true},
  {"user": "eli", "active": false},
  {"user": "fay", "active": true},
  {"user": "gus", "active": false},
  {"user": "hal", "active": true},
  {"user": "ivy", "active": false}
]
EOF
""",
    ),
    T(
        "jq",
        "deps",
        "list the dependencies in deps.json with their versions",
        "jq -r '.dependencies | to_entries[] | \"\\(.key) \\(.value)\"' deps.json",
        "contains",
        setup=r"""
cat > deps.json <<'EOF'
{"name": "shopfront", "version": "0.9.0",
 "dependencies": {"express": "4.19.2", "lodash": "4.17.21", "zod": "3.23.8"}}
EOF
""",
        expect=("express", "4.19.2", "lodash", "4.17.21", "zod", "3.23.8"),
    ),
    T(
        "jq",
        "over30",
        "emails of everyone over 30 in people.json",
        "jq -r '.[] | select(.age > 30) | .email' people.json",
        "words",
        setup=r"""
cat > people.json <<'EOF'
[
  {"name": "Rui", "age": 34, "email": "rui@ex.test"},
  {"name": "Kai", "age": 30, "email": "kai@ex.test"},
  {"name": "Lena", "age": 29, "email": "lena@ex.test"},
  {"name": "Omar", "age": 51, "email": "omar@ex.test"},
  {"name": "Tess", "age": 31, "email": "tess@ex.test"}
]
EOF
""",
    ),
    T(
        "jq",
        "bump",
        "bump the version in package.json to 2.0.0",
        "jq '.version = \"2.0.0\"' package.json > p.tmp && mv p.tmp package.json",
        "effect",
        setup=r"""
cat > package.json <<'EOF'
{
  "name": "widget",
  "version": "0.4.1",
  "scripts": {"test": "jest"}
}
EOF
""",
    ),
    T(
        "jq",
        "cart-total",
        "whats the total of cart.json (price times qty)",
        "jq '[.[] | .price * .qty] | add' cart.json",
        "numbers",
        setup=r"""
cat > cart.json <<'EOF'
[
  {"sku": "A1", "price": 12, "qty": 3},
  {"sku": "B7", "price": 5, "qty": 10},
  {"sku": "C3", "price": 40, "qty": 1},
  {"sku": "D9", "price": 7, "qty": 4}
]
EOF
""",
    ),
    # archives
    T(
        "archive",
        "exclude",
        "tar.gz the web folder into web.tar.gz but leave out node_modules",
        "tar -czf web.tar.gz --exclude=node_modules web",
        "effect",
        setup=r"""
mkdir -p web/css web/node_modules/lodash web/node_modules/.bin
printf '<html></html>\n' > web/index.html
printf 'main()\n' > web/app.js
printf 'a{}\n' > web/css/site.css
printf 'module.exports={}\n' > web/node_modules/lodash/index.js
printf '#!/bin/sh\n' > web/node_modules/.bin/lodash
""",
    ),
    T(
        "archive",
        "xz",
        "unpack release.tar.xz",
        "tar -xJf release.tar.xz",
        "effect",
        setup=r"""
mkdir -p release/bin release/share
printf '#!/bin/sh\necho tool\n' > release/bin/tool && chmod 755 release/bin/tool
printf 'Release notes\n' > release/share/NOTES
tar -cJf release.tar.xz release && rm -r release
""",
    ),
    T(
        "archive",
        "gzip-keep",
        "gzip the csv files in exports but keep the originals",
        "gzip -k exports/*.csv",
        "effect",
        setup=r"""
mkdir -p exports
seq 1 300 | sed 's/$/,jan/' > exports/jan.csv
seq 1 200 | sed 's/$/,feb/' > exports/feb.csv
printf 'two months\n' > exports/summary.txt
""",
    ),
    T(
        "archive",
        "zip-pdfs",
        "zip all the pdfs in this folder into papers.zip",
        "zip -q papers.zip *.pdf",
        "effect",
        setup=r"""
printf '%%PDF-1.4 thesis\n' > thesis.pdf
printf '%%PDF-1.4 poster\n' > poster.pdf
printf '%%PDF-1.4 slides\n' > slides.pdf
""",
    ),
    T(
        "archive",
        "gz-size",
        "how many bytes is metrics.csv.gz once uncompressed",
        "zcat metrics.csv.gz | wc -c",
        "ref_in_out",
        setup="seq 1 40000 | sed 's/$/,ok/' | gzip -n > metrics.csv.gz",
    ),
    # du / ls / stat
    T(
        "du",
        "biggest-dir",
        "which folder in vault takes up the most space",
        "du -s vault/* | sort -rn | head -1",
        "names",
        setup=r"""
mkdir -p vault/movies vault/music vault/docs vault/games
yes movie | head -c 3000000 > vault/movies/film.mkv
yes music | head -c 1000000 > vault/music/album.flac
yes taxes | head -c 200000 > vault/docs/taxes.pdf
yes saves | head -c 2000000 > vault/games/save.dat
""",
    ),
    T(
        "du",
        "newest3",
        "3 most recently modified files in dl",
        "ls -t dl | head -3",
        "ordered",
        setup=r"""
mkdir -p dl
for f in setup.exe:5 slides.key:40 resume.docx:15 song.flac:90 paper.pdf:25 map.gpx:180; do
  n=${f%%:*}; m=${f##*:}; printf '%s\n' "$n" > "dl/$n"; touch -d "$m minutes ago" "dl/$n"
done
""",
    ),
    T(
        "du",
        "mtime",
        "when was contract.pdf last modified",
        "stat -c %y contract.pdf",
        "contains",
        setup="printf 'signed\\n' > contract.pdf && touch -d '2023-11-05 14:30:00' contract.pdf",
        expect=("2023",),
    ),
    # git
    T(
        "git",
        "last-author",
        "who made the last commit",
        "git log -1 --format=%an",
        "ref_in_out",
        setup=REPO,
    ),
    T(
        "git",
        "count",
        "how many commits are on main",
        "git rev-list --count main",
        "numbers",
        setup=REPO,
    ),
    T(
        "git",
        "last-files",
        "what files did the last commit touch",
        "git show --name-only --format= HEAD",
        "names",
        setup=REPO,
    ),
    T(
        "git",
        "merged",
        "which branches are already merged into main",
        "git branch --merged main",
        "words",
        setup=REPO,
    ),
    T(
        "git",
        "branch-diff",
        "which files differ between main and feature-search",
        "git diff --name-only main feature-search",
        "names",
        setup=REPO,
    ),
    T(
        "git",
        "by-author",
        "how many commits did dana make",
        "git log --author=Dana --oneline | wc -l",
        "numbers",
        setup=REPO,
    ),
    T(
        "git",
        "tag",
        "tag this commit as v1.4.0",
        "git tag v1.4.0",
        "probe",
        setup=REPO,
        probe="git tag -l; git rev-parse 'v1.4.0^{commit}' 2>/dev/null || true",
    ),
    # system info, dates, checksums
    T("system", "cores", "how many cpu cores do i have", "nproc", "numbers"),
    T(
        "system",
        "free-mem",
        "how much free memory is there",
        "free -h",
        "contains",
        expect=("Mem",),
    ),
    T("system", "kernel", "what kernel version am i on", "uname -r", "ref_in_out"),
    T(
        "system",
        "plus45",
        "whats the date 45 days after feb 20 2024? as yyyy-mm-dd",
        "date -d '2024-02-20 +45 days' +%F",
    ),
    T(
        "system",
        "days-between",
        "how many days between 2024-03-01 and 2024-12-25",
        "echo $(( ($(date -d 2024-12-25 +%s) - $(date -d 2024-03-01 +%s)) / 86400 ))",
        "numbers",
    ),
    T(
        "system",
        "md5",
        "md5 of firmware.bin",
        "md5sum < firmware.bin | cut -d' ' -f1",
        "ref_in_out",
        setup="for i in $(seq 1 500); do printf 'fw-%d\\n' $i; done > firmware.bin",
    ),
]
