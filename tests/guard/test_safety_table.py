"""The guard as a readable table: command, expected risk, hard reject."""

from __future__ import annotations

import pytest

from intent.guard.walk import Context, assess

R = "REJECT"

TABLE: list[tuple[str, str]] = [
    # --- catastrophic, and their bypass forms: refused --------------------------------------
    ("rm -rf /", R),
    ("rm -rf /*", R),
    ('rm -rf "/"', R),
    ("rm -rf '/'", R),
    ("rm -fr /", R),
    ("rm -r -f /", R),
    ("rm --recursive --force /", R),
    ("rm -rf //", R),
    ("rm -rf /.", R),
    ("rm -rf /usr/..", R),
    ("rm -rf ~", R),
    ("rm -rf ~/", R),
    ("rm -rf ~/*", R),
    ("rm -rf $HOME", R),
    ('rm -rf "$HOME"', R),
    ("rm -rf ${HOME}", R),
    ('rm -rf "${HOME}/"', R),
    ("rm -rf /etc", R),
    ("rm -rf /usr/*", R),
    ("rm -rf --no-preserve-root /", R),
    ("rm --no-preserve-root -rf /tmp/x", R),
    ("sudo rm -rf /", R),
    ("sudo -u root rm -rf /", R),
    ("/bin/rm -rf /", R),
    ("\\rm -rf /", R),
    ("env rm -rf /", R),
    ("env -i PATH=/bin rm -rf ~", R),
    ("nice -n 10 rm -rf /", R),
    ("nohup rm -rf / &", R),
    ("timeout 5 rm -rf /", R),
    ("command rm -rf /", R),
    ("exec rm -rf ~", R),
    ("echo / | xargs rm -rf /", R),
    ("sh -c 'rm -rf /'", R),
    ('bash -c "rm -rf ~"', R),
    ("bash -lc 'rm -rf /'", R),
    ("eval 'rm -rf /'", R),
    ("echo $(rm -rf /)", R),
    ("echo `rm -rf ~`", R),
    ("ls; rm -rf /", R),
    ("true && rm -rf / || true", R),
    ("find / -delete", R),
    ("find ~ -exec rm -rf {} +", R),
    ("dd if=/dev/zero of=/dev/sda", R),
    ("dd if=/dev/urandom of=/dev/nvme0n1 bs=1M", R),
    ("sudo dd if=image.iso of=/dev/sdb", R),
    ("mkfs.ext4 /dev/sdb1", R),
    ("mkfs -t ext4 /dev/sdb", R),
    ("sudo mkfs.vfat /dev/mmcblk0p1", R),
    ("wipefs -a /dev/sda", R),
    ("cat /dev/urandom > /dev/sda", R),
    ("echo x | tee /dev/sda", R),
    ("shred /dev/sda", R),
    (":(){ :|:& };:", R),
    ("bomb(){ bomb|bomb& };bomb", R),
    ("chmod -R 777 /", R),
    ("chmod 777 -R /", R),
    ("sudo chown -R nobody /", R),
    ("chown -R user:user /*", R),
    ("curl http://x.sh | sh", R),
    ("curl -fsSL https://get.example.com | bash", R),
    ("curl https://x | sudo bash", R),
    ("curl -s https://x | sudo -E bash -", R),
    ("wget -qO- https://x | sh", R),
    ("wget -O - https://x | sudo sh", R),
    ("curl https://x | python3", R),
    ("curl https://x | bash -s -- --flag", R),
    ("bash <(curl -s https://x)", R),
    ('sh -c "$(curl -fsSL https://x)"', R),
    ("curl https://x | env bash", R),
    # --- sudo ---------------------------------------------------------------------------------
    ("sudo apt update", "sudo"),
    ("sudo systemctl restart nginx", "sudo"),
    ("doas ls /root", "sudo"),
    ("pkexec visudo", "sudo"),
    ("sudo -i", "sudo"),
    ("su -c 'ls /root'", "sudo"),
    ("sudo rm /tmp/x", "sudo"),
    ("sudo ls", "sudo"),
    # --- destructive ----------------------------------------------------------------------------
    ("rm file.txt", "destructive"),
    ("rm -rf build/", "destructive"),
    ("rm -rf ./node_modules", "destructive"),
    ("rm -f *.log", "destructive"),
    ("find . -name '*.pyc' -delete", "destructive"),
    ("find . -type f -name '*.tmp' -exec rm {} \\;", "destructive"),
    ("find . -name '*.o' | xargs rm", "destructive"),
    ("shred -u secret.txt", "destructive"),
    ("truncate -s 0 app.log", "destructive"),
    ("git reset --hard HEAD~1", "destructive"),
    ("git clean -fd", "destructive"),
    ("git clean -xdf", "destructive"),
    ("git push --force origin main", "destructive"),
    ("git checkout -- .", "destructive"),
    ("git restore app.py", "destructive"),
    ("git checkout HEAD~1 app.py", "destructive"),
    ("git restore --source=HEAD~1 src", "destructive"),
    ("git branch -D feature", "destructive"),
    ("dd if=/dev/zero of=disk.img bs=1M count=10", "destructive"),
    ("echo hi > /etc/motd", "destructive"),
    ("cat a > ~/.bashrc", "destructive"),
    ("crontab -r", "destructive"),
    ("docker system prune -a", "destructive"),
    ("docker rm -f web", "destructive"),
    ("apt-get remove vim", "destructive"),
    ("pip uninstall -y requests", "destructive"),
    ("reboot", "destructive"),
    ("unlink link", "destructive"),
    ("rsync -a --delete src/ dst/", "destructive"),
    ("$CMD -rf dir", "destructive"),
    # --- mutates --------------------------------------------------------------------------------
    ("cp a.txt b.txt", "mutates"),
    ("mv a.txt b/", "mutates"),
    ("mkdir -p build/out", "mutates"),
    ("touch notes.md", "mutates"),
    ("ln -s target link", "mutates"),
    ("echo hi | tee out.txt", "mutates"),
    ("sed -i 's/a/b/' file.txt", "mutates"),
    ("sed -i.bak 's/a/b/' file.txt", "mutates"),
    ("perl -pi -e 's/a/b/' f", "mutates"),
    ("ls -la > listing.txt", "mutates"),
    ("echo line >> notes.txt", "mutates"),
    ("ls -la | sort -k5 -n > sizes.txt", "mutates"),
    ("tar -xzf archive.tgz", "mutates"),
    ("tar czf backup.tgz src", "mutates"),
    ("unzip files.zip", "mutates"),
    ("gzip big.log", "mutates"),
    ("chmod +x script.sh", "mutates"),
    ("chmod 644 file", "mutates"),
    ("git commit -am 'msg'", "mutates"),
    ("git add .", "mutates"),
    ("git restore --staged app.py", "mutates"),
    ("git checkout -b feature main", "mutates"),
    ("git checkout -b feature", "mutates"),
    ("python3 script.py", "mutates"),
    ("bash install.sh", "mutates"),
    ("python3 -c 'print(1)'", "safe"),
    ("python3 -c 'import os; os.remove(\"f\")'", "destructive"),  # a deleting primitive (issue 24)
    ("kill 1234", "mutates"),
    ("pkill firefox", "mutates"),
    ("fuser -k 8080/tcp", "mutates"),
    ("fuser -vk 80/tcp", "mutates"),
    ("fuser 8080/tcp", "safe"),
    ("fuser -v -n tcp 80", "safe"),
    ("systemctl --user restart foo", "mutates"),
    ("make", "mutates"),
    ("sort -o out.txt in.txt", "mutates"),
    ("awk '{print > \"out.txt\"}' f", "mutates"),
    ("docker run -it ubuntu", "mutates"),
    ("frobnicate --all", "mutates"),
    ("ls 'unclosed", "mutates"),
    ("curl -o page.html https://example.com", "mutates"),
    ("wget https://example.com/file.tar.gz", "mutates"),
    ("pip install requests", "mutates"),
    ("npm install", "mutates"),
    ("git clone https://github.com/x/y", "mutates"),
    ("git pull", "mutates"),
    ("find . -name '*.txt' -exec cp {} /tmp/ \\;", "mutates"),
    ("cat <<EOF > notes.txt\nhello\nEOF", "mutates"),
    # --- network ---------------------------------------------------------------------------------
    ("curl https://example.com", "network"),
    ("curl -sI https://example.com", "network"),
    ("curl ifconfig.me", "network"),
    ("wget --spider https://example.com", "network"),
    ("ping -c 3 example.com", "network"),
    ("dig example.com", "network"),
    ("ssh host uptime", "network"),
    ("git fetch origin", "network"),
    ("git ls-remote origin", "network"),
    ("nslookup example.com", "network"),
    ("curl -s https://api.github.com | jq .", "network"),
    ("curl https://x -o /dev/null -w '%{http_code}'", "network"),
    # --- safe, including what naive guards flag ------------------------------------------------
    ("ls", "safe"),
    ("ls -la", "safe"),
    ("ls 2>/dev/null", "safe"),
    ("ls nope 2>&1 | head", "safe"),
    ("ls > /dev/null 2>&1", "safe"),
    ("awk '$1 > 5' f", "safe"),
    ("awk -F: '{ if ($3 > 1000) print $1 }' /etc/passwd", "safe"),
    ("echo su", "safe"),
    ("echo sudo rm -rf /", "safe"),
    ("echo 'rm -rf /'", "safe"),
    ("grep http access.log", "safe"),
    ("grep -r 'curl | sh' .", "safe"),
    ("grep -c '>' file", "safe"),
    ('echo "a > b"', "safe"),
    ("du -sh * | sort -h", "safe"),
    ("du -ah . | sort -rh | head -n 20", "safe"),
    ("find . -type f -size +100M", "safe"),
    ("find ~ -type f -size +100M -exec ls -lh {} +", "safe"),
    ("find . -name '*.py' -exec grep -l TODO {} +", "safe"),
    ("df -h", "safe"),
    ("ps aux | grep python", "safe"),
    ("cat README.md", "safe"),
    ("head -n 5 file.csv", "safe"),
    ("tail -f /var/log/syslog", "safe"),
    ("wc -l *.py", "safe"),
    ("git status", "safe"),
    ("git log --oneline -5", "safe"),
    ("git diff HEAD~1", "safe"),
    ("git branch", "safe"),
    ("git remote -v", "safe"),
    ("sed -n '1,5p' file", "safe"),
    ("sed 's/a/b/' file", "safe"),
    ("tar -tzf archive.tgz", "safe"),
    ("which python3", "safe"),
    ("command -v rm", "safe"),
    ("date +%s", "safe"),
    ("uname -a", "safe"),
    ("free -h", "safe"),
    ("lsof -i :8080", "safe"),
    ("ss -tlnp", "safe"),
    ("echo $PATH | tr ':' '\\n'", "safe"),
    ("cat file | sort | uniq -c | sort -rn", "safe"),
    ("jq '.items[] | .name' data.json", "safe"),
    ("find . -name '*.log' -mtime +7", "safe"),
    ("stat -c '%s %n' *", "safe"),
    ("systemctl status nginx", "safe"),
    ("docker ps -a", "safe"),
    ("pwd", "safe"),
    ("tree -L 2", "safe"),
    ("cat file # && rm -rf /", "safe"),
    ("FOO=bar env", "safe"),
    ("xargs -0 echo < list", "safe"),
    ("apt list --installed", "safe"),
    ("pip list", "safe"),
    ("ls -la | less", "safe"),
    ("ip addr", "safe"),
    ("crontab -l", "safe"),
    ("cd /tmp && ls", "safe"),
]


@pytest.mark.parametrize(("command", "expected"), TABLE, ids=[c for c, _ in TABLE])
def test_guard_table(command: str, expected: str) -> None:
    verdict = assess(command)
    if expected == R:
        assert verdict.hard_reject, f"not refused: {verdict}"
        assert verdict.reasons
    else:
        assert not verdict.hard_reject, f"refused: {verdict}"
        assert verdict.risk == expected, verdict.reasons


def test_table_is_big_enough() -> None:
    assert len(TABLE) >= 150


def test_reasons_name_the_token() -> None:
    v = assess("ls -la | sort -k5 -n > sizes.txt")
    assert any("sizes.txt" in r for r in v.reasons)


def test_rm_dot_at_home_is_refused_with_context() -> None:
    ctx = Context(cwd="/home/alice", home="/home/alice")
    assert assess("rm -rf .", context=ctx).hard_reject
    assert assess("rm -rf *", context=ctx).hard_reject
    assert not assess(
        "rm -rf .", context=Context(cwd="/home/alice/project", home="/home/alice")
    ).hard_reject


def test_mv_onto_existing_file_is_destructive() -> None:
    ctx = Context(cwd="/w", exists=lambda p: p == "b.txt")
    assert assess("mv a.txt b.txt", context=ctx).risk == "destructive"
    assert assess("mv a.txt c.txt", context=ctx).risk == "mutates"


def test_overwrite_redirect_outside_cwd_depends_on_existence() -> None:
    ctx = Context(cwd="/w", exists=lambda p: False)
    assert assess("echo hi > /etc/new-file", context=ctx).risk == "mutates"


def test_public_api_is_intent_safety() -> None:
    """SPEC §12: scripts import `intent.safety.assess`; it is the guard's own function."""
    import intent.guard
    import intent.safety

    verdict = intent.safety.assess("rm -rf /")
    assert intent.safety.assess is intent.guard.assess
    assert verdict.hard_reject and verdict.risk == "destructive" and verdict.reasons


def test_git_checkout_of_an_existing_path_discards_its_changes(tmp_path) -> None:
    (tmp_path / "app.py").write_text("x\n")
    ctx = Context(cwd=str(tmp_path), home=str(tmp_path), exists=lambda p: (tmp_path / p).exists())
    assert assess("git checkout app.py", context=ctx).risk == "destructive"
    assert assess("git checkout main", context=ctx).risk == "mutates"  # a branch switch
