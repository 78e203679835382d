"""Index build, save/load and refusal of mismatched indexes (fake embedder: fast and deterministic)."""

import json

import pytest
from conftest import write

from index.build import build_index, build_lock
from index.chunking import ChunkerSettings
from index.errors import BuildLockedError, IndexMismatchError, IndexNotFoundError
from index.snapshot import IndexSnapshot


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    write(root / "alpha.txt", "Alpha Title\n\nThe alpha plant grows in Shenzhen. It was founded in 1987.")
    write(root / "sub/beta.md", "# Beta notes\n\nBBK owns Oppo and Vivo. They are based in Dongguan.")
    return root


def test_build_save_load_round_trip(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    report = build_index(corpus, index_dir, fake_embedder)
    assert report.swapped and sorted(report.added) == ["alpha.txt", "sub/beta.md"]
    snap = IndexSnapshot.load(index_dir)
    assert set(snap.documents) == {"alpha.txt", "sub/beta.md"}
    assert snap.documents["sub/beta.md"].title == "Beta notes"
    for span in snap.passages + snap.sentences:
        assert snap.documents[span.doc].text[span.start : span.end] == span.text
    assert len(snap.passage_vectors) == len(snap.passages)
    manifest = json.loads((index_dir / "versions" / snap.version / "manifest.json").read_text())
    assert manifest["model_name"] == fake_embedder.name
    assert manifest["files"]["alpha.txt"]["sha256"] == snap.documents["alpha.txt"].sha256
    assert manifest["chunker"] == ChunkerSettings().as_dict()
    assert manifest["counts"]["documents"] == 2


def test_unchanged_corpus_is_not_rebuilt(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    first = build_index(corpus, index_dir, fake_embedder)
    again = build_index(corpus, index_dir, fake_embedder)
    assert not again.swapped and again.embedded == 0 and again.version == first.version


def test_changed_and_removed_files(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    write(corpus / "alpha.txt", "Alpha Title\n\nThe alpha plant grows in Shenzhen. It moved in 2001.")
    (corpus / "sub/beta.md").unlink()
    report = build_index(corpus, index_dir, fake_embedder)
    assert report.changed == ["alpha.txt"] and report.removed == ["sub/beta.md"]
    # Only the new sentence and the passage holding it are embedded again.
    assert report.embedded == 2
    snap = IndexSnapshot.load(index_dir)
    assert set(snap.documents) == {"alpha.txt"}
    assert all(s.doc == "alpha.txt" for s in snap.sentences)
    assert not any("1987" in s.text for s in snap.sentences)


def test_undecodable_and_unknown_files_are_skipped_not_fatal(tmp_path, corpus, fake_embedder):
    write(corpus / "broken.txt", b"\xff\xfe\x00bad bytes \xc3\x28")
    write(corpus / "empty.md", "   \n")
    write(corpus / "image.png", b"\x89PNG")
    report = build_index(corpus, tmp_path / "index", fake_embedder)
    reasons = {s["path"]: s["reason"] for s in report.skipped}
    assert "UTF-8" in reasons["broken.txt"]
    assert "no text" in reasons["empty.md"]
    assert "unsupported" in reasons["image.png"]
    assert report.documents == 2
    assert IndexSnapshot.load(tmp_path / "index").manifest.skipped == report.skipped


def test_index_from_another_model_or_chunker_is_refused(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    manifest = IndexSnapshot.load(index_dir).manifest
    with pytest.raises(IndexMismatchError, match="assistant index --rebuild"):
        manifest.check_compatible(model_sha256="1" * 64, chunker=ChunkerSettings().as_dict())
    with pytest.raises(IndexMismatchError, match="chunker settings"):
        manifest.check_compatible(
            model_sha256=fake_embedder.weights_sha256, chunker=ChunkerSettings(max_chars=500).as_dict()
        )
    # A build with other chunker settings does not reuse the old index: it embeds everything.
    report = build_index(corpus, index_dir, fake_embedder, ChunkerSettings(max_chars=500))
    assert report.swapped and report.reused == 0


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexNotFoundError, match="assistant index"):
        IndexSnapshot.load(tmp_path / "nothing")


def test_concurrent_build_is_refused(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    with build_lock(index_dir):
        with pytest.raises(BuildLockedError, match="another build"):
            build_index(corpus, index_dir, fake_embedder)


def test_old_versions_are_cleaned_up(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    for i in range(4):
        write(corpus / "alpha.txt", f"Alpha Title\n\nVersion {i} of the text.")
        build_index(corpus, index_dir, fake_embedder)
    assert len(list((index_dir / "versions").iterdir())) == 2


def test_a_sentence_pointing_back_is_embedded_in_context_and_again_when_that_changes(tmp_path, corpus, fake_embedder):
    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    snap = IndexSnapshot.load(index_dir)
    row = next(i for i, s in enumerate(snap.sentences) if s.text == "They are based in Dongguan.")
    expected = fake_embedder.embed_passages(["BBK, Oppo, Vivo: They are based in Dongguan."])[0]
    assert snap.sentence_matrix[row] == pytest.approx(expected, abs=1e-6)
    # The sentence is unchanged but what it points back to is not: it is embedded again, with the new names.
    write(corpus / "sub/beta.md", "# Beta notes\n\nTCL owns Oppo and Vivo. They are based in Dongguan.")
    report = build_index(corpus, index_dir, fake_embedder)
    assert report.embedded == 3  # the changed sentence, the one pointing back to it, their passage
    snap = IndexSnapshot.load(index_dir)
    row = next(i for i, s in enumerate(snap.sentences) if s.text == "They are based in Dongguan.")
    expected = fake_embedder.embed_passages(["TCL, Oppo, Vivo: They are based in Dongguan."])[0]
    assert snap.sentence_matrix[row] == pytest.approx(expected, abs=1e-6)


def test_every_vector_is_made_from_what_its_row_embeds_and_a_new_rule_embeds_again(
    tmp_path, corpus, fake_embedder, monkeypatch
):
    from index import chunking

    index_dir = tmp_path / "index"
    build_index(corpus, index_dir, fake_embedder)
    write(corpus / "gamma.txt", "Gamma\n\nAcme Robotics is in Shenzhen. They make arms. They sell them.")
    build_index(corpus, index_dir, fake_embedder)

    def check(snap):
        embedded = {}
        for doc in snap.documents:
            rows = snap.sentences_of_doc[doc]
            spans = [snap.sentences[i] for i in rows]
            embedded.update(zip(rows, chunking.embedded_texts(snap.documents[doc].text, spans), strict=True))
        for row, text in embedded.items():
            assert snap.sentence_matrix[row] == pytest.approx(fake_embedder.embed_passages([text])[0], abs=1e-6)
        for row, p in enumerate(snap.passages):
            assert snap.passage_matrix[row] == pytest.approx(fake_embedder.embed_passages([p.text])[0], abs=1e-6)

    check(IndexSnapshot.load(index_dir))
    # What is embedded for a sentence changes with the rule, not the document: the next build embeds it again
    # rather than reusing the vector of the old text, or finding the index up to date.
    monkeypatch.setattr(chunking, "MAX_CONTEXT_NAMES", 1)
    report = build_index(corpus, index_dir, fake_embedder)
    # The two "They…" sentences of gamma.txt and the one of beta.md, read with fewer names.
    assert report.swapped and report.embedded == 3
    check(IndexSnapshot.load(index_dir))
    assert not build_index(corpus, index_dir, fake_embedder).swapped
