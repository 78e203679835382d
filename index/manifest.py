"""The index manifest: how an index was built, and the refusal to read it with anything else."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index import __version__
from index.errors import IndexCorruptError, IndexMismatchError

FORMAT = 1
REBUILD_HINT = "run `assistant index --rebuild` to build it again"


@dataclass
class FileEntry:
    sha256: str
    title: str
    passages: int
    sentences: int


@dataclass
class Manifest:
    model_name: str
    model_sha256: str
    dim: int
    chunker: dict
    files: dict[str, FileEntry]
    skipped: list[dict[str, str]]
    built_at: str
    version: str
    counts: dict[str, int] = field(default_factory=dict)
    package_version: str = __version__
    format: int = FORMAT

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, indent=2, ensure_ascii=False)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            data["files"] = {k: FileEntry(**v) for k, v in data["files"].items()}
            return cls(**data)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise IndexCorruptError(f"cannot read the index manifest {path}: {exc}; {REBUILD_HINT}") from exc

    def check_compatible(self, *, model_sha256: str, chunker: dict) -> None:
        """Refuse an index built with another model or other chunker settings.

        Raises:
            IndexMismatchError: with what differs and how to rebuild.
        """
        if self.format != FORMAT:
            raise IndexMismatchError(f"the index has format {self.format}, this version reads {FORMAT}; {REBUILD_HINT}")
        if self.model_sha256 != model_sha256:
            raise IndexMismatchError(
                f"the index was built with the model {self.model_name} (weights {self.model_sha256[:12]}…), "
                f"not the one configured now (weights {model_sha256[:12]}…); {REBUILD_HINT}"
            )
        if self.chunker != chunker:
            raise IndexMismatchError(
                f"the index was built with chunker settings {self.chunker}, not {chunker}; {REBUILD_HINT}"
            )
