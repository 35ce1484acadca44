"""The guard's shell parser read directly: words, quoting, operators, redirections,
substitutions, here-documents and the errors it reports (the guard fails closed on them)."""

from __future__ import annotations

from intent.guard.parser import parse, substitutions


def test_words_assignments_and_operators() -> None:
    script = parse("FOO=1 ls -la 'a b' | grep x; echo done && true")
    first, second, third, fourth = script.commands
    assert first.argv == ["ls", "-la", "a b"] and first.op_after == "|"
    assert [w.text for w in first.assignments] == ["FOO=1"]
    assert first.words[2].quoted and first.words[2].raw == "'a b'"
    assert second.argv == ["grep", "x"] and second.op_after == ";"
    assert third.argv == ["echo", "done"] and third.op_after == "&&"
    assert fourth.argv == ["true"] and script.errors == []
    assert [[c.argv[0] for c in p] for p in script.pipelines()] == [
        ["ls", "grep"],
        ["echo"],
        ["true"],
    ]


def test_redirections_keep_operator_fd_and_target() -> None:
    (cmd,) = parse("grep x > out 2>&1 < in").commands
    assert [(r.op, r.fd, r.target) for r in cmd.redirects] == [
        (">", "", "out"),
        (">&", "2", "1"),
        ("<", "", "in"),
    ]
    assert cmd.argv == ["grep", "x"]


def test_substitutions_are_found_inside_words_and_quotes() -> None:
    script = parse('echo "today $(date)" `whoami` <(ls /)')
    assert script.commands[0].words[1].substitutions == ["date"]
    assert sorted(substitutions(script)) == sorted(["date", "whoami", "ls /"])


def test_here_document_body_is_kept_for_the_guard() -> None:
    (cmd,) = parse("cat <<EOF\nrm -rf /\nEOF\n").commands
    assert cmd.argv == ["cat"] and cmd.heredoc_bodies == ["rm -rf /"]


def test_function_definitions_are_named() -> None:
    assert parse("f() { rm -rf x; }; f").functions == ["f"]


def test_unterminated_quote_is_an_error_not_a_guess() -> None:
    assert parse('echo "unterminated').errors == ["unclosed double quote"]
    assert parse("echo 'open").errors
