"""The `assistant` command through typer's test runner, with the real model."""

import json

import pytest
from conftest import write
from typer.testing import CliRunner

from assistant.cli import app

pytestmark = pytest.mark.slow


def test_index_then_ask(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "notes.txt", "Company notes\n\nBBK owns Oppo and Vivo. The factory is in Dongguan.")
    write(corpus / "bad.txt", b"\xff\xfe broken")
    index_dir = tmp_path / "index"
    runner = CliRunner()
    r = runner.invoke(app, ["index", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert r.exit_code == 0, r.output
    assert "added: notes.txt" in r.output and "skipped: bad.txt" in r.output
    assert "1 files (1 added" in r.output and "passages" in r.output

    r = runner.invoke(app, ["ask", "Who owns Oppo?", "--corpus", str(corpus), "--index-dir", str(index_dir), "--json"])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["answered"] and "BBK owns Oppo" in body["citations"][0]["quote"]

    r = runner.invoke(app, ["ask", "Who owns Oppo?", "--corpus", str(corpus), "--index-dir", str(index_dir)])
    assert r.exit_code == 0 and "[1]" in r.output and "notes.txt" in r.output


def test_ask_without_an_index_says_what_to_do(tmp_path):
    r = CliRunner().invoke(app, ["ask", "Anything?", "--index-dir", str(tmp_path / "none")])
    assert r.exit_code == 1
    assert "assistant index" in r.output


def test_missing_corpus_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(app, ["index", "--corpus", str(tmp_path / "nope"), "--index-dir", str(tmp_path / "i")])
    assert r.exit_code == 1 and "does not exist" in r.output


def test_conversation_and_chat_loop(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "notes.txt", "Company notes\n\nBBK owns Oppo and Vivo. They are based in Dongguan, near Shenzhen.")
    index_dir = tmp_path / "index"
    runner = CliRunner()
    assert runner.invoke(app, ["index", "--corpus", str(corpus), "--index-dir", str(index_dir)]).exit_code == 0
    first = json.loads(
        runner.invoke(
            app, ["ask", "Who owns Oppo?", "--corpus", str(corpus), "--index-dir", str(index_dir), "--json"]
        ).output
    )
    cid = first["conversation_id"]
    r = runner.invoke(
        app,
        ["ask", "Where are they based?", "--index-dir", str(index_dir), "--conversation", cid, "--json"],
    )
    follow = json.loads(r.output)
    assert follow["conversation_id"] == cid and "Oppo" in follow["query"]
    assert "Dongguan" in follow["citations"][0]["quote"]

    r = runner.invoke(app, ["chat", "--index-dir", str(index_dir)], input="Who owns Oppo?\nWhere are they based?\n\n")
    assert r.exit_code == 0, r.output
    searched = [line for line in r.output.splitlines() if line.startswith("(searched for: Where are they based?")]
    assert r.output.count("[1]") >= 2 and len(searched) == 1 and "Oppo" in searched[0]
