"""Tasks on text: grep, sed, awk, sort/uniq/head/tail, cut/tr/wc, jq."""

from __future__ import annotations

from bench.tasks import make as T

TASKS = [
    # grep
    T("grep", "todo", "search for TODO in this project", "grep -rn TODO .", "names"),
    T("grep", "ci-files", "list the files in logs that mention error, ignoring case", "grep -ril error logs", "names"),
    T("grep", "count", "count the lines containing ERROR in logs/app.log", "grep -c ERROR logs/app.log", "numbers"),
    T("grep", "invert", "show the lines of logs/app.log that do not contain INFO", "grep -v INFO logs/app.log"),
    T("grep", "n", "show the lines with ERROR in logs/app.log with their line numbers", "grep -n ERROR logs/app.log"),
    T("grep", "ips", "extract all IP addresses from logs/access.log", "grep -oE '[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+' logs/access.log", "lines"),
    T("grep", "context", "show 2 lines of context around each Traceback in logs/error.log", "grep -C 2 Traceback logs/error.log"),
    T("grep", "include", "search only python files for 'import os'", "grep -rn 'import os' --include='*.py' .", "names"),
    T("grep", "l-docs", "which files in docs mention install", "grep -rl install docs", "names"),
    T("grep", "csv", "show the rows of data/users.csv for people in Berlin", "grep Berlin data/users.csv"),
    T("grep", "word", "show the lines in notes.txt containing the whole word log", "grep -w log notes.txt"),
    T("grep", "L", "list the files in src that do not contain TODO", "grep -rL TODO src", "names"),
    T("grep", "o-count", "count how many requests in logs/access.log were POST requests", "grep -c POST logs/access.log", "numbers"),
    # sed
    T("sed", "replace", "replace every foo with bar in config.txt", "sed -i 's/foo/bar/g' config.txt", "effect"),
    T("sed", "range", "print lines 5 to 10 of logs/app.log", "sed -n '5,10p' logs/app.log"),
    T("sed", "blank", "delete the blank lines from notes.txt in place", "sed -i '/^$/d' notes.txt", "effect"),
    T("sed", "trailing", "remove trailing whitespace from every line of todo.txt, editing the file", "sed -i 's/[[:space:]]*$//' todo.txt", "effect"),
    T("sed", "first", "delete the first line of data/users.csv in place", "sed -i '1d' data/users.csv", "effect"),
    T("sed", "print-sub", "print logs/app.log with ERROR replaced by ALERT", "sed 's/ERROR/ALERT/g' logs/app.log"),
    T("sed", "comment", "comment out the lines containing debug in .config/settings.ini with a #", "sed -i '/debug/s/^/#/' .config/settings.ini", "effect"),
    T("sed", "insert", "insert a line saying Hello at the top of todo.txt", "sed -i '1i Hello' todo.txt", "effect"),
    # awk
    T("awk", "col2", "print the second column of data/users.csv", "awk -F, '{print $2}' data/users.csv"),
    T("awk", "sum", "sum the numbers in data/numbers.txt", "awk '{s+=$1} END {print s}' data/numbers.txt", "numbers"),
    T("awk", "long", "print the lines of notes.txt longer than 10 characters", "awk 'length > 10' notes.txt"),
    T("awk", "avg", "compute the average age in data/users.csv", "awk -F, 'NR>1 {s+=$2; n++} END {print s/n}' data/users.csv", "numbers"),
    T("awk", "cols", "print the name and city columns of data/users.csv", "awk -F, '{print $1, $3}' data/users.csv", "tokens"),
    T("awk", "status", "count the requests per HTTP status code in logs/access.log", "awk '{print $9}' logs/access.log | sort | uniq -c", "words"),
    T("awk", "users", "print the user names from passwd.txt", "cut -d: -f1 passwd.txt"),
    T("awk", "field", "print the lines of logs/app.log whose third field is WARN", "awk '$3 == \"WARN\"' logs/app.log"),
    # sort / uniq / head / tail
    T("sort", "uniq", "sort data/words.txt alphabetically without duplicates", "sort -u data/words.txt"),
    T("sort", "freq", "count how often each word appears in data/words.txt, most frequent first", "sort data/words.txt | uniq -c | sort -rn", "tokens"),
    T("sort", "num-desc", "sort data/numbers.txt numerically, largest first", "sort -nr data/numbers.txt"),
    T("sort", "head3", "show the first 3 lines of data/users.csv", "head -n 3 data/users.csv"),
    T("sort", "tail20", "show the last 20 lines of logs/app.log", "tail -n 20 logs/app.log"),
    T("sort", "skip-header", "show data/users.csv without its header line", "tail -n +2 data/users.csv"),
    T("sort", "by-age", "sort the rows of data/users.csv by age, without the header", "tail -n +2 data/users.csv | sort -t, -k2 -n"),
    T("sort", "once", "show the lines of data/words.txt that appear only once", "sort data/words.txt | uniq -u"),
    T("sort", "dupes", "show the duplicated lines of data/words.txt", "sort data/words.txt | uniq -d"),
    T("sort", "reverse", "sort data/words.txt in reverse alphabetical order", "sort -r data/words.txt"),
    T("sort", "max", "show the largest number in data/numbers.txt", "sort -n data/numbers.txt | tail -n 1", "numbers"),
    T("sort", "top-ip", "show the 3 IP addresses with the most requests in logs/access.log", "awk '{print $1}' logs/access.log | sort | uniq -c | sort -rn | head -n 3", "words"),
    # cut / tr / wc
    T("cut", "first", "print the first column of data/users.csv", "cut -d, -f1 data/users.csv"),
    T("cut", "wc-l", "count the lines in logs/app.log", "wc -l < logs/app.log", "numbers"),
    T("cut", "wc-w", "count the words in docs/readme.md", "wc -w < docs/readme.md", "numbers"),
    T("cut", "upper", "print notes.txt in uppercase", "tr a-z A-Z < notes.txt"),
    T("cut", "shells", "print each user name and login shell from passwd.txt", "cut -d: -f1,7 passwd.txt", "tokens"),
    T("cut", "chars", "count the characters in notes.txt", "wc -c < notes.txt", "numbers"),
    T("cut", "tabs", "print data/users.csv with the commas replaced by tabs", "tr ',' '\\t' < data/users.csv"),
    T("cut", "digits", "print data/numbers.txt with every 7 removed", "tr -d 7 < data/numbers.txt"),
    # jq
    T("jq", "name", "print the value of the name field in data/config.json", "jq -r .name data/config.json", "ref_in_out"),
    T("jq", "pretty", "pretty-print data/items.json", "jq . data/items.json", "json"),
    T("jq", "names", "list the names of all items in data/items.json", "jq -r '.[].name' data/items.json", "words"),
    T("jq", "length", "count the items in data/items.json", "jq length data/items.json", "numbers"),
    T("jq", "select", "show the items in data/items.json that cost more than 10", "jq '.[] | select(.price > 10)' data/items.json", "json"),
    T("jq", "ports", "print the port of each server listed in data/config.json", "jq '.servers[].port' data/config.json", "numbers"),
    T("jq", "set", "set debug to true in data/config.json", "jq '.debug = true' data/config.json > c.tmp && mv c.tmp data/config.json", "effect"),
    T("jq", "keys", "list the top-level keys of data/config.json", "jq -r 'keys[]' data/config.json", "words"),
]
