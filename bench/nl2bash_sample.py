"""Fifty requests in the style of NL2Bash (Lin et al., 2018), each with the utility a right answer
starts with: the sample behind `bench/peer.py --utility`.

NL2Bash itself is not installable here: no PyPI or npm package ships it (checked 5 December 2026:
`pip download nl2bash` and `npm view nl2bash` find nothing). So these are written for this
bench in its style: one imperative sentence, precise, often naming paths, files and patterns,
with NL2Bash's mix of utilities (`find` the most common). They are not copied from NL2Bash and
not taken from intent's own prompt examples.

`expected` is the set of first utilities that count as a match (the first word of the command
after `sudo` and `VAR=value` assignments, see `bench.peer.first_utility`). Most requests have
one; a few whose plain answer is honestly either of two tools (`pkill` or `killall`, `curl` or
`wget`) list both. A pipeline is scored by its first utility, as NL2Bash's utility metric does:
`cat f | grep x` is `cat`, not `grep`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    request: str
    expected: tuple[str, ...]


def _item(request: str, *expected: str) -> Item:
    return Item(request, expected)


SAMPLE: tuple[Item, ...] = (
    # find: the largest share of NL2Bash
    _item("Find all files named '*.log' under /var/log and delete them", "find"),
    _item(
        "Find all regular files under the current directory modified in the last 24 hours", "find"
    ),
    _item("Search the current directory tree for files larger than 10 megabytes", "find"),
    _item("Find all empty directories under /tmp", "find"),
    _item("Find all symbolic links under /usr/lib", "find"),
    _item("Find all files under /home owned by the user 'alice'", "find"),
    _item(
        "Find all *.txt files in the current directory tree and set their permissions to 644",
        "find",
    ),
    _item("Find all directories named 'node_modules' below the current directory", "find"),
    _item("Find files under /var/www that have not been accessed in more than 30 days", "find"),
    _item(
        "Find all files with the extension '.bak' under ~/projects and move them to /tmp/backup",
        "find",
    ),
    _item("Find all executable regular files in /usr/local/bin", "find"),
    _item("Recursively find all '*.pyc' files in the current directory and remove them", "find"),
    # grep
    _item("Search for the string 'TODO' recursively in all files under src/", "grep"),
    _item("Print all lines of /etc/passwd that contain 'bash'", "grep"),
    _item("Count the lines containing 'ERROR' in app.log", "grep"),
    _item("Print the lines of config.ini that do not start with '#'", "grep"),
    _item("List the names of files in the current directory tree that contain 'password'", "grep"),
    # text
    _item("Print the first 20 lines of /var/log/syslog", "head"),
    _item(
        "Print the last 50 lines of access.log and keep printing lines as they are appended", "tail"
    ),
    _item("Sort the lines of names.txt alphabetically and remove duplicate lines", "sort"),
    _item("Count the lines, words and characters in README.md", "wc"),
    _item("Replace every occurrence of 'foo' with 'bar' in file.txt in place", "sed"),
    _item("Print the number of lines of every .csv file in the directory 'data'", "wc"),
    _item("Show the differences between file1.txt and file2.txt", "diff"),
    _item("Print the SHA-256 checksum of archive.tar.gz", "sha256sum"),
    _item(
        "Print the first field of every line of /etc/passwd, using ':' as the delimiter",
        "cut",
        "awk",
    ),
    # files and permissions
    _item("Create the directory 'build/output' along with any missing parent directories", "mkdir"),
    _item("Copy the directory 'src' and all of its contents to /tmp/src_backup", "cp"),
    _item("Rename the file 'draft.txt' to 'final.txt'", "mv"),
    _item("Create a symbolic link named 'latest' that points to /opt/app/releases/v2", "ln"),
    _item(
        "Recursively change the owner of /var/www/html and everything in it to www-data", "chown"
    ),
    _item("Make the script deploy.sh executable", "chmod"),
    _item("Remove the directory 'old_build' and everything in it", "rm"),
    _item(
        "Update the modification time of notes.txt, creating the file if it does not exist", "touch"
    ),
    _item("List all files in the current directory, including hidden ones, newest first", "ls"),
    # archives
    _item("Create a gzip-compressed tar archive 'backup.tar.gz' of the directory 'project'", "tar"),
    _item("Extract the archive 'release.tar.gz' into /opt", "tar"),
    _item("Compress the file 'big.log' with gzip", "gzip"),
    _item("Create a zip archive 'docs.zip' that contains the directory 'docs'", "zip"),
    # system
    _item(
        "Show the disk usage of each subdirectory of the current directory in human-readable form",
        "du",
    ),
    _item("Show the free space on all mounted filesystems in human-readable units", "df"),
    _item("Kill all processes named 'firefox'", "pkill", "killall"),
    _item("Show how long the system has been running", "uptime"),
    _item("Print the amount of free and used memory in megabytes", "free"),
    _item("List the current user's cron jobs", "crontab"),
    _item("Print the current date in the format YYYY-MM-DD", "date"),
    # git and network
    _item(
        "Show the last 5 commits of the git repository in the current directory, one line each",
        "git",
    ),
    _item("Download https://example.com/file.tar.gz and save it as file.tar.gz", "curl", "wget"),
    _item(
        "Copy the file report.pdf to the home directory of the user bob on the host server1 over SSH",
        "scp",
        "rsync",
    ),
    _item(
        "Synchronize the directory 'site/' into /var/www/html, deleting files that are not in the source",
        "rsync",
    ),
)
