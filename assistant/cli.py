"""The `assistant` command: index, serve, ask, chat, eval."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from assistant.settings import Settings
from index.errors import AssistantError

app = typer.Typer(
    help="Ask questions of a folder of documents; answers quote the documents verbatim.",
    no_args_is_help=True,
    add_completion=False,
)

CorpusOpt = Annotated[Path | None, typer.Option("--corpus", help="Folder of documents [env ASSISTANT_CORPUS].")]
IndexOpt = Annotated[Path | None, typer.Option("--index-dir", help="Index folder [env ASSISTANT_INDEX_DIR].")]


def _settings(corpus: Path | None, index_dir: Path | None, **extra) -> Settings:
    overrides = {k: v for k, v in {"corpus": corpus, "index_dir": index_dir, **extra}.items() if v is not None}
    return Settings(**overrides)


def _fail(exc: Exception) -> typer.Exit:
    typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
    return typer.Exit(code=1)


@app.command()
def index(
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    rebuild: Annotated[bool, typer.Option(help="Embed everything again instead of reusing the current index.")] = False,
) -> None:
    """Build or update the index of the corpus, and report what changed."""
    from assistant.service import build_from_settings
    from index.embedder import SentenceTransformerEmbedder

    settings = _settings(corpus, index_dir)
    try:
        embedder = SentenceTransformerEmbedder(settings.model_dir)
        report = build_from_settings(settings, embedder, rebuild=rebuild, progress=sys.stderr.isatty())
    except AssistantError as exc:
        raise _fail(exc) from exc
    for label, paths in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        for p in paths:
            typer.echo(f"  {label}: {p}")
    for s in report.skipped:
        typer.echo(f"  skipped: {s['path']} ({s['reason']})")
    typer.echo(f"indexed {settings.corpus}: {report.summary()}")


@app.command()
def serve(
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on [env ASSISTANT_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env ASSISTANT_PORT].")] = None,
    watch: Annotated[
        bool, typer.Option("--watch", help="Re-index by itself when files in the corpus change [env ASSISTANT_WATCH].")
    ] = False,
) -> None:
    """Build the index if it is missing or stale, then serve the chat page and the API."""
    import uvicorn

    settings = _settings(corpus, index_dir, host=host, port=port)
    # The web app reads its settings from the environment; pass ours on.
    os.environ.update(
        {
            "ASSISTANT_CORPUS": str(settings.corpus),
            "ASSISTANT_INDEX_DIR": str(settings.index_dir),
            "ASSISTANT_BUILD_ON_START": "1",
        }
    )
    if watch:
        os.environ["ASSISTANT_WATCH"] = "1"
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    typer.echo(f"serving {settings.corpus} on http://{settings.host}:{settings.port}")
    uvicorn.run("web.app:create_app", factory=True, host=settings.host, port=settings.port, log_level="info")


def _print_answer(question: str, answer, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.text)
    if answer.citations:
        typer.echo("")
        for c in answer.citations:
            typer.echo(f"[{c.n}] {c.title} — {c.document}, characters {c.start}–{c.end}")
    if answer.query != question.strip():
        typer.secho(f"(searched for: {answer.query})", dim=True)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer as the JSON /ask returns.")] = False,
    conversation: Annotated[
        str | None, typer.Option("--conversation", help="Continue this conversation (its id is printed each time).")
    ] = None,
) -> None:
    """Answer one question in the terminal."""
    from assistant.service import Assistant

    settings = _settings(corpus, index_dir)
    try:
        assistant = Assistant.open(settings)
        answer = assistant.ask(question, conversation_id=conversation)
    except AssistantError as exc:
        raise _fail(exc) from exc
    _print_answer(question, answer, as_json)
    if not as_json:
        typer.secho(f"(conversation: {answer.conversation_id})", dim=True)


@app.command()
def chat(corpus: CorpusOpt = None, index_dir: IndexOpt = None) -> None:
    """Ask questions one after another in the terminal; follow-ups are understood. An empty line or Ctrl-D ends."""
    from assistant.service import Assistant

    settings = _settings(corpus, index_dir)
    try:
        assistant = Assistant.open(settings)
    except AssistantError as exc:
        raise _fail(exc) from exc
    conversation = None
    typer.echo("Ask a question (an empty line ends the conversation).")
    while True:
        try:
            question = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question:
            break
        try:
            answer = assistant.ask(question, conversation_id=conversation)
        except AssistantError as exc:
            typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
            continue
        conversation = answer.conversation_id
        _print_answer(question, answer, False)
        typer.echo("")


@app.command(name="eval")
def eval_(
    files: Annotated[list[Path], typer.Argument(help="Eval sets (JSONL): questions and/or conversations.")],
    corpus: CorpusOpt = None,
    index_dir: IndexOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON.")] = False,
    responses: Annotated[
        Path | None,
        typer.Option(help="Also write every response here (JSONL), as the shared scorer reads them."),
    ] = None,
) -> None:
    """Run eval sets through the assistant (in-process) and print hit@1, hit@3, MRR, abstention and latency."""
    from assistant import evaluate
    from assistant.service import Assistant

    settings = _settings(corpus, index_dir)
    try:
        rows = evaluate.load_rows(files)
        assistant = Assistant.open(settings, build=True, progress=sys.stderr.isatty())
        results = evaluate.run(rows, lambda q, cid: assistant.ask(q, conversation_id=cid).to_dict())
    except (AssistantError, OSError, ValueError) as exc:
        raise _fail(exc) from exc
    texts = {Path(p).name: d.text for p, d in assistant.snapshot.documents.items()}
    metrics = evaluate.score(evaluate.flatten(rows), results, texts)
    if responses:
        responses.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    typer.echo(json.dumps(metrics) if as_json else evaluate.format_table(metrics))


if __name__ == "__main__":  # pragma: no cover
    app()
