"""Tasks on files: find, ls/stat, chmod/chown, ln, cp/mv/rm, tar/gzip/zip, du/df, xargs."""

from __future__ import annotations

from bench.tasks import make


T = make


TASKS = [
    # find
    T("find", "py", "find all .py files under this directory", "find . -name '*.py'", "names"),
    T("find", "big", "find files larger than 1MB", "find . -type f -size +1M", "names"),
    T("find", "recent", "find files modified in the last 3 days", "find . -type f -mtime -3", "names"),
    T("find", "stale", "find files not modified in the last 3 days", "find . -type f -mtime +2", "names"),
    T("find", "empty", "find empty files and empty directories", "find . -empty", "names"),
    T("find", "pyc", "delete all .pyc files below here", "find . -name '*.pyc' -delete", "effect"),
    T("find", "links", "find all symbolic links in this directory tree", "find . -type l", "names"),
    T("find", "report", "find files whose name contains report", "find . -name '*report*'", "names"),
    T("find", "count-txt", "count the .txt files in this directory tree", "find . -type f -name '*.txt' | wc -l", "numbers"),
    T("find", "dirs-build", "find directories named build", "find . -type d -name build", "names"),
    T("find", "world-w", "find files that everyone can write to", "find . -type f -perm -o+w", "names"),
    T("find", "exec", "find executable files", "find . -type f -executable", "names"),
    T("find", "images", "find all jpg and png files", "find . -type f \\( -name '*.jpg' -o -name '*.png' \\)", "names"),
    T("find", "chmod-sh", "make every .sh file below here executable", "find . -name '*.sh' -exec chmod +x {} \\;", "effect"),
    T("find", "rm-o", "delete the .o files in the build folder", "find build -name '*.o' -exec rm {} \\;", "effect"),
    T("find", "big-ls", "find files over 1MB and show their sizes", "find . -type f -size +1M -exec ls -lh {} \\;", "names"),
    T("find", "hidden", "find hidden files", "find . -type f -name '.*'", "names"),
    T("find", "cp-jpg", "copy every .jpg file below here into the backup folder", "find . -name '*.jpg' -not -path './backup/*' -exec cp {} backup/ \\;", "effect"),
    T("find", "maxdepth", "list the files in this directory only, not in subdirectories, using find", "find . -maxdepth 1 -type f", "names"),
    T("find", "older-10", "delete files in old that are older than 7 days", "find old -type f -mtime +7 -delete", "effect"),
    # ls / stat
    T("ls", "hidden", "list all files here including hidden ones", "ls -A", "names"),
    T("ls", "by-time", "list the files in docs sorted by modification time, newest first", "ls -t docs", "ordered"),
    T("ls", "by-size", "list the files in photos sorted by size, largest first", "ls -S photos", "ordered"),
    T("ls", "perms", "show the permissions of secret.key", "stat -c %A secret.key", "ref_in_out"),
    T("ls", "size-small", "show the size of notes.txt in bytes", "stat -c %s notes.txt", "numbers"),
    T("ls", "size-bytes", "show the size of data/big.bin in bytes", "stat -c %s data/big.bin", "numbers"),
    T("ls", "owner", "show the owner of secret.key", "stat -c %U secret.key", "ref_in_out"),
    T("ls", "dirs-only", "list only the directories in the current folder", "ls -d */", "names"),
    T("ls", "five-largest", "list the 5 largest files in this directory and its subdirectories", "find . -type f -printf '%s %p\\n' | sort -rn | head -5", "ordered"),
    # chmod / chown
    T("chmod", "x", "make scripts/deploy.sh executable", "chmod +x scripts/deploy.sh", "effect"),
    T("chmod", "ro", "make secret.key read-only for its owner and inaccessible to everyone else", "chmod 400 secret.key", "effect"),
    T("chmod", "go-w", "remove write permission for group and others on public.txt", "chmod go-w public.txt", "effect"),
    T("chmod", "r-docs", "give everyone read access to everything in docs, recursively", "chmod -R a+r docs", "effect", setup="chmod 600 docs/*.md docs/*.txt"),
    T("chmod", "dirs-755", "set every directory under src to permission 755", "find src -type d -exec chmod 755 {} \\;", "effect", setup="chmod 700 src/lib src/__pycache__"),
    T("chmod", "chown-r", "change the owner of the data folder and everything in it to nobody", "chown -R nobody data", "effect"),
    T("chmod", "minus-x", "make scripts/build.sh not executable for anyone", "chmod a-x scripts/build.sh", "effect"),
    # ln
    T("ln", "symlink", "create a symbolic link named latest.log pointing to logs/app.log", "ln -s logs/app.log latest.log", "effect"),
    T("ln", "hard", "create a hard link to notes.txt called notes-hard.txt", "ln notes.txt notes-hard.txt", "effect"),
    T("ln", "repoint", "make the symlink docs/latest point to guide.md instead", "ln -sfn guide.md docs/latest", "effect"),
    T("ln", "readlink", "show where the symlink docs/latest points", "readlink docs/latest", "ref_in_out"),
    # cp / mv / rm
    T("cp", "to-backup", "copy notes.txt into the backup folder", "cp notes.txt backup/", "effect"),
    T("cp", "dir", "copy the docs folder to docs-copy", "cp -r docs docs-copy", "effect"),
    T("cp", "rename", "rename todo.txt to done.txt", "mv todo.txt done.txt", "effect"),
    T("cp", "mv-jpg", "move all .jpg files from photos to backup", "mv photos/*.jpg backup/", "effect"),
    T("cp", "rm-build", "delete the build directory", "rm -r build", "effect"),
    T("cp", "rm-empty", "remove all empty directories below here", "find . -type d -empty -delete", "effect"),
    T("cp", "rm-except", "delete every file in logs except app.log", "find logs -type f ! -name app.log -delete", "effect"),
    T("cp", "mkdir-p", "create the directory path out/2024/may", "mkdir -p out/2024/may", "effect"),
    T("cp", "rm-tmp", "delete all .tmp files here and in subfolders", "find . -name '*.tmp' -delete", "effect"),
    # tar / gzip / zip
    T("tar", "create", "create a gzipped tar archive of the docs folder named docs.tar.gz", "tar -czf docs.tar.gz docs", "effect"),
    T("tar", "extract", "extract archive.tar.gz here", "tar -xzf archive.tar.gz", "effect"),
    T("tar", "extract-to", "extract archive.tar.gz into a new folder called out", "mkdir -p out && tar -xzf archive.tar.gz -C out", "effect"),
    T("tar", "list", "list the contents of archive.tar.gz", "tar -tzf archive.tar.gz", "contains", expect=("pkg/README", "pkg/bin/run.sh", "pkg/etc/app.conf")),
    T("tar", "one", "extract only pkg/README from archive.tar.gz", "tar -xzf archive.tar.gz pkg/README", "effect"),
    T("tar", "gzip", "compress logs/huge.log with gzip", "gzip logs/huge.log", "effect"),
    T("tar", "gunzip-k", "decompress data/dump.sql.gz but keep the compressed file", "gunzip -k data/dump.sql.gz", "effect"),
    T("tar", "zip", "zip the src folder into src.zip", "zip -r src.zip src", "effect"),
    T("tar", "unzip", "unzip bundle.zip into a folder named bundle", "unzip bundle.zip -d bundle", "effect"),
    T("tar", "zip-list", "list the files inside bundle.zip", "unzip -l bundle.zip", "contains", expect=("one.txt", "two.txt")),
    # du / df
    T("du", "total", "show the total disk usage of this folder in human readable form", "du -sh .", "numbers"),
    T("du", "subdirs", "show the size of each subdirectory here", "du -sh */", "names"),
    T("du", "sorted", "list the subdirectories here sorted by size, biggest first", "du -s */ | sort -rn", "ordered"),
    T("du", "df", "show free disk space on all mounted filesystems in human readable form", "df -h", "contains", expect=("Avail", "Filesystem")),
    T("du", "logs", "how much disk space does the logs folder use", "du -sh logs", "numbers"),
    # xargs
    T("xargs", "rm-tmp", "use find and xargs to delete all .tmp files", "find . -name '*.tmp' -print0 | xargs -0 rm -f", "effect"),
    T("xargs", "grep-def", "list the python files that define a function, using find and xargs", "find . -name '*.py' | xargs grep -l def", "names"),
    T("xargs", "mkdir", "make a directory for each name listed in names.txt", "xargs mkdir -p < names.txt", "effect"),
    T("xargs", "gzip", "gzip every .log file in the logs folder", "gzip logs/*.log", "effect"),
    T("xargs", "wc", "count the lines of every .py file below here", "find . -name '*.py' -exec wc -l {} +", "words"),
]
