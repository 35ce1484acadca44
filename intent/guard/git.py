"""git: read-only subcommands are `safe`; configuration that runs programs (`-c`, aliases,
`--upload-pack`) is walked and at least `mutates`; force pushes in every spelling are
`destructive`."""

from __future__ import annotations

import re

from intent.guard.knowledge import READ_ONLY
from intent.guard.rules import Context, Findings, rate_write

_GIT_GLOBAL_ARG = {
    "-C",
    "-c",
    "--git-dir",
    "--work-tree",
    "--namespace",
    "--config-env",
    "--exec-path",
    "--super-prefix",
    "--list-cmds",
}
_GIT_SAFE_KEYS = re.compile(
    r"^(color\..*|core\.quotepath|column\..*|advice\..*|user\.name|"
    r"user\.email|init\.defaultbranch|diff\.renames|diff\.algorithm|"
    r"log\.date|log\.decorate|format\.pretty|i18n\..*)$",
    re.I,
)
_GIT_RUNS = re.compile(
    r"^(core\.(fsmonitor|pager|sshcommand|editor|askpass|hookspath|gitproxy)|"
    r"sequence\.editor|diff\.external|diff\..*\.(textconv|command)|"
    r"merge\..*\.driver|filter\..*|alias\..*|credential\..*|gpg\..*program|"
    r"pager\..*|.*uploadpack.*|.*receivepack.*|include.*|interactive\..*|"
    r"web\.browser|browser\..*)$",
    re.I,
)
_GIT_READ = frozenset(
    """status log diff show blame grep rev-parse describe shortlog ls-files ls-tree cat-file
    whatchanged help version rev-list for-each-ref count-objects merge-base name-rev show-ref
    show-branch var check-ignore check-attr cherry range-diff diff-tree diff-index diff-files
    verify-commit verify-tag annotate fsck""".split()
)
_GIT_READ = _GIT_READ | frozenset(e for e in READ_ONLY["git"] if " " not in e)
_GIT_NETWORK = frozenset("clone fetch pull push ls-remote".split())
_GIT_PATHS = frozenset(
    tuple(e.split())
    for e in READ_ONLY["git"]
    if " " in e and not any(w.startswith("-") for w in e.split())
)


def git_rule(name: str, args: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    i = 0
    while i < len(args) and args[i].startswith("-"):
        a = args[i]
        opt, _, inline = a.partition("=")
        value = inline or (args[i + 1] if i + 1 < len(args) else "")
        if opt == "-c":
            _git_config_value(value, "git -c", acc, ctx, depth)
        elif opt in ("--config-env", "--exec-path") and (inline or opt == "--config-env"):
            acc.raise_to("mutates", f"git {opt}: may run another program (mutates)")
        elif opt not in _GIT_GLOBAL_ARG | {
            "-p",
            "--paginate",
            "-P",
            "--no-pager",
            "--bare",
            "--literal-pathspecs",
            "--no-optional-locks",
            "--version",
            "--help",
            "--no-replace-objects",
        }:
            acc.raise_to("mutates", f"git {a}: option not known to be read-only (mutates)")
        i += 2 if (opt in _GIT_GLOBAL_ARG and not inline) else 1
    sub, more = (args[i], args[i + 1 :]) if i < len(args) else ("", [])
    _git_sub(sub, more, acc, ctx, depth)


def _git_config_value(kv: str, what: str, acc: Findings, ctx: Context, depth: int) -> None:
    key, _, value = kv.partition("=")
    if _GIT_SAFE_KEYS.match(key):
        return
    if _GIT_RUNS.match(key) and value:
        acc.script(value.lstrip("!"), ctx, depth + 1)
    acc.raise_to("mutates", f"{what} {key}: configuration that may run a program (mutates)")


def _git_sub(sub: str, more: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    opts = {o.split("=")[0] for o in more if o.startswith("-")}
    for a in more:
        if (
            a.startswith(
                (
                    "--upload-pack",
                    "--receive-pack",
                    "--exec=",
                    "-u",
                    "--open-files",
                    "-O",
                    "--ext-diff",
                    "--textconv",
                )
            )
            and sub != "config"
        ):
            acc.raise_to("mutates", f"git {sub} {a}: runs another program (mutates)")
        if sub in ("rebase", "bisect", "submodule") and a in ("-x", "--exec", "run", "foreach"):
            acc.raise_to("mutates", f"git {sub} {a}: runs a command (mutates)")
    for i, a in enumerate(more):
        if a == "--output" or a.startswith("--output="):
            target = a.split("=", 1)[1] if "=" in a else (more[i + 1] if i + 1 < len(more) else "")
            rate_write(target, f"git {sub} --output", acc, ctx, append=False)
    if sub in _GIT_NETWORK:
        acc.raise_to("network", f"git {sub}: uses the network")
        if sub == "push":
            _git_push(more, acc)
            acc.raise_to("mutates", "git push: changes the remote repository (mutates)")
        elif sub in ("clone", "pull"):
            acc.raise_to("mutates", f"git {sub}: writes the working tree (mutates)")
        return
    if sub == "config":
        _git_config(more, acc, ctx, depth)
        return
    if sub in _GIT_READ or (sub == "" and not more):
        return
    if (sub, *more[:1]) in _GIT_PATHS or (sub, *more[:2]) in _GIT_PATHS:
        return  # a read-only subcommand path from the knowledge table: `stash list`
    listing = {
        "branch": not [m for m in more if not m.startswith("-")]
        or bool(opts & {"--list", "-l", "--merged", "--no-merged", "--contains", "-a", "-r"})
        and not opts
        & {
            "-d",
            "-D",
            "-m",
            "-M",
            "-c",
            "-C",
            "--delete",
            "--move",
            "--copy",
            "--set-upstream-to",
            "-u",
            "--unset-upstream",
            "--edit-description",
        },
        "tag": not [m for m in more if not m.startswith("-")]
        or bool(opts & {"-l", "--list"})
        and not opts & {"-d", "--delete", "-a", "-s", "-f", "-m", "-F"},
        "stash": more[:1] in ([], ["list"], ["show"]),
        "remote": more[:1] in ([], ["-v"], ["show"], ["get-url"], ["--verbose"]),
        "worktree": more[:1] == ["list"],
        "reflog": more[:1] in ([], ["show"]) or more[:1] and more[0].startswith("-"),
        "notes": more[:1] in ([], ["list"], ["show"]),
        "submodule": more[:1] in ([], ["status"], ["summary"]),
        "symbolic-ref": len([m for m in more if not m.startswith("-")]) <= 1,
        "stripspace": True,
    }
    if listing.get(sub):
        return
    if (
        sub == "reset"
        and "--hard" in opts
        or sub == "clean"
        and (opts & {"--force"} or any(re.fullmatch(r"-\w*f\w*", o) for o in opts))
    ):
        acc.raise_to("destructive", f"git {sub}: discards work (destructive)")
    elif sub in ("checkout", "restore", "switch") and (
        "--" in more
        or "." in more
        or opts & {"-f", "--force", "--discard-changes"}
        # `git restore PATH` overwrites the working tree unless it only unstages (--staged)
        or sub == "restore"
        and not (opts & {"-S", "--staged"} and not opts & {"-W", "--worktree"})
        or sub == "checkout"
        and _checks_out_paths(more, opts, ctx)
    ):
        acc.raise_to("destructive", f"git {sub}: may discard local changes (destructive)")
    elif sub == "branch" and opts & {"-D"} or sub == "stash" and more[:1] in (["drop"], ["clear"]):
        acc.raise_to("destructive", f"git {sub} {' '.join(more[:1])}: deletes work (destructive)")
    elif sub in ("filter-branch", "filter-repo", "gc", "prune", "update-ref") or (
        sub == "reflog" and more[:1] in (["expire"], ["delete"])
    ):
        acc.raise_to("destructive", f"git {sub}: rewrites or deletes history (destructive)")
    acc.raise_to(
        "mutates",
        f"git {sub or '(no subcommand)'}: changes the repository, or is an alias (mutates)",
    )


def _checks_out_paths(more: list[str], opts: set[str], ctx: Context) -> bool:
    """`git checkout app.py` or `git checkout HEAD~1 app.py` overwrites local changes to those
    paths, like `git checkout -- app.py`. A branch switch (`git checkout main`, `-b new base`)
    does not: more than one operand, or one that names an existing path, is a path checkout."""
    if opts & {"-b", "-B", "--orphan", "--detach", "-t", "--track"}:
        return False
    operands = [m for m in more if not m.startswith("-")]
    if len(operands) > 1:
        return True
    return bool(operands) and ctx.exists is not None and ctx.exists(operands[0])


_PUSH_DANGER = ("force", "force-with-lease", "force-if-includes", "delete", "mirror", "prune")


def _git_push(more: list[str], acc: Findings) -> None:
    ops = []
    for a in more:
        if a.startswith("--"):
            # an ambiguous abbreviation (`--forc`) is rated as its most dangerous reading
            prefix = a.split("=")[0][2:]
            if prefix and any(d.startswith(prefix) for d in _PUSH_DANGER):
                acc.raise_to(
                    "destructive", f"git push {a}: rewrites or deletes remote refs (destructive)"
                )
        elif a.startswith("-") and set(a[1:]) & {"f", "d"}:
            acc.raise_to(
                "destructive", f"git push {a}: rewrites or deletes remote refs (destructive)"
            )
        else:
            ops.append(a)
    for ref in ops[1:]:
        if ref.startswith(("+", ":")) or ":+" in ref:
            acc.raise_to(
                "destructive",
                f"git push {ref}: force-updates or deletes a remote ref (destructive)",
            )


def _git_config(more: list[str], acc: Findings, ctx: Context, depth: int) -> None:
    opts = [m for m in more if m.startswith("-")]
    ops = [m for m in more if not m.startswith("-")]
    reading = {
        "--get",
        "--get-all",
        "--get-regexp",
        "--list",
        "-l",
        "--show-origin",
        "--show-scope",
        "--name-only",
        "--get-urlmatch",
        "--null",
        "-z",
    }
    if set(opts) & reading or (
        len(ops) <= 1 and not set(opts) - {"--global", "--local", "--system", "--worktree"}
    ):
        return
    if len(ops) >= 2:
        _git_config_value(f"{ops[0]}={ops[1]}", "git config", acc, ctx, depth)
    acc.raise_to("mutates", "git config: changes configuration (mutates)")
