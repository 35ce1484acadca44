# The standard fixture every task starts from, built in an empty directory that is also $HOME.
# Content is deterministic (no random bytes) so two builds compare equal; times are relative
# to now so "modified in the last 3 days" means the same thing on every run.
set -e
mkdir -p src/lib src/__pycache__ docs logs data build old photos backup emptydir scripts .config
cat > src/main.py <<'PY'
import sys
from lib import helpers

# TODO: parse arguments
def main():
    print("hello")  # TODO: greet properly
    return helpers.run(sys.argv)


if __name__ == "__main__":
    main()
PY
cat > src/lib/helpers.py <<'PY'
import os


def run(argv):
    return len(argv) + len(os.environ)
PY
: > src/lib/__init__.py
printf 'console.log("app");\n// TODO: routing\n' > src/app.js
printf 'body { margin: 0; }\n' > src/style.css
printf '\x00\x01compiled' > src/__pycache__/main.cpython-311.pyc
printf '\x00\x01compiled' > src/lib/helpers.pyc
printf '# Demo\n\nTo install, run make install.\nSee the guide for details.\n' > docs/readme.md
printf 'Guide\n=====\n\nStep one: install the tools.\nStep two: run them.\n' > docs/guide.md
printf 'misc notes\n' > docs/notes.txt
printf 'meeting at ten\n' > 'docs/meeting notes.txt'
ln -s readme.md docs/latest
for i in $(seq 1 60); do
  case $((i % 6)) in 0) lvl=ERROR ;; 1|3) lvl=WARN ;; *) lvl=INFO ;; esac
  printf '2024-05-%02d 10:%02d:00 %s request %d handled\n' $((i % 28 + 1)) $((i % 60)) $lvl $i
done > logs/app.log
printf 'Traceback (most recent call last):\n  File "main.py", line 3\nValueError: bad value\nretrying\nok\nTraceback (most recent call last):\n  File "util.py", line 9\nKeyError: id\n' > logs/error.log
for i in $(seq 1 24); do
  ip="10.0.0.$((i % 5 + 1))"; code=200; path=/index.html
  [ $((i % 4)) -eq 0 ] && code=404 && path=/missing
  [ $((i % 7)) -eq 0 ] && code=500 && path=/api
  method=GET; [ $((i % 5)) -eq 0 ] && method=POST
  printf '%s - - [01/May/2024:10:%02d:00 +0000] "%s %s HTTP/1.1" %d %d\n' $ip $i $method $path $code $((i * 10))
done > logs/access.log
yes 'old log line' | head -c 20000 > logs/old.log.1
yes 'huge log line with some text' | head -c 2000000 > logs/huge.log
cat > data/users.csv <<'CSV'
name,age,city,email
alice,31,Berlin,alice@example.com
bob,25,Paris,bob@example.com
carol,42,Berlin,carol@example.com
dave,38,Madrid,dave@example.com
erin,29,Paris,erin@example.com
frank,55,Rome,frank@example.com
CSV
printf '{\n  "name": "demo",\n  "version": "1.2.3",\n  "port": 8080,\n  "debug": false,\n  "servers": [\n    {"host": "alpha", "port": 7001},\n    {"host": "beta", "port": 7002}\n  ]\n}\n' > data/config.json
printf '[\n  {"id": 1, "name": "lamp", "price": 25, "tags": ["home"]},\n  {"id": 2, "name": "pen", "price": 2, "tags": ["office"]},\n  {"id": 3, "name": "desk", "price": 120, "tags": ["office", "home"]},\n  {"id": 4, "name": "mug", "price": 8, "tags": ["kitchen"]}\n]\n' > data/items.json
printf '42\n7\n19\n7\n100\n3\n58\n19\n' > data/numbers.txt
printf 'pear\napple\nfig\napple\npear\napple\nkiwi\nplum\napple\npear\nfig\n' > data/words.txt
yes 'binary-ish data' | head -c 3145728 > data/big.bin
yes 'medium data' | head -c 1536000 > data/medium.bin
yes 'INSERT INTO t VALUES (1);' | head -c 50000 | gzip -n > data/dump.sql.gz
yes 'jpeg' | head -c 307200 > photos/a.jpg
yes 'png' | head -c 122880 > photos/b.png
yes 'jpeg' | head -c 81920 > photos/c.jpg
yes 'sql' | head -c 716800 > backup/db.sql
printf 'report 2023\n' > old/report-2023.txt
printf 'draft\n' > old/draft.txt
printf '#!/bin/sh\necho deploying\n' > scripts/deploy.sh
printf '#!/bin/sh\necho building\n' > scripts/build.sh
chmod 644 scripts/deploy.sh; chmod 755 scripts/build.sh
printf 'key\n' > secret.key; chmod 600 secret.key
printf 'everyone may write\n' > public.txt; chmod 666 public.txt
: > empty.txt
printf 'buy milk\n\nfix the log rotation\n\ncall bob\n' > notes.txt
printf 'write report   \nreview  code\t\nship it \n' > todo.txt
printf 'say foo to the foo fighters\nfoo=1\n' > config.txt
printf 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000:Alice:/home/alice:/bin/zsh\nbob:x:1001:1001:Bob:/home/bob:/bin/bash\n' > passwd.txt
printf 'alpha\nbeta\ngamma\n' > names.txt
printf 'personal notes\n' > 'my notes.txt'
printf '[main]\ndebug = true\nname = demo\ndebug_level = 2\n' > .config/settings.ini
printf 'TOKEN=abc\n' > .env
printf 'obj' > build/a.o; printf 'obj' > build/b.o; printf 'tmp' > build/out.tmp; printf 'tmp' > cache.tmp
mkdir -p pkg/bin pkg/etc
printf 'package readme\n' > pkg/README; printf '#!/bin/sh\n' > pkg/bin/run.sh; printf 'x=1\n' > pkg/etc/app.conf
tar -czf archive.tar.gz pkg && rm -r pkg
mkdir -p bundle-src && printf 'one\n' > bundle-src/one.txt && printf 'two\n' > bundle-src/two.txt
(cd bundle-src && zip -qX ../bundle.zip one.txt two.txt) && rm -r bundle-src
printf '0 1 * * * /usr/bin/true\n' > .crontab
touch -d '4 days ago' photos/a.jpg photos/b.png photos/c.jpg
touch -d '10 days ago' old/report-2023.txt old/draft.txt
touch -d '40 days ago' logs/old.log.1
touch -d '3 hours ago' docs/readme.md
touch -d '2 hours ago' docs/notes.txt 'docs/meeting notes.txt'
touch -d '1 hour ago' docs/guide.md
