"""The official files the project reads are in the repository, byte for byte as docs/specs/SOURCES.md records."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "docs" / "specs" / "SOURCES.md"
ROW = re.compile(r"^\| `(?P<path>[^`]+)` \|.*\| `(?P<sha>[0-9a-f]{64})` \|", re.MULTILINE)


def test_every_vendored_file_matches_its_recorded_sha256():
    rows = ROW.findall(SOURCES.read_text(encoding="utf-8"))
    assert len(rows) >= 3
    for path, sha in rows:
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == sha, path


def test_nothing_in_the_repository_points_outside_it():
    """Whoever clones the project has no sibling folder: no file may cite one."""
    offenders = []
    for path in ROOT.rglob("*"):
        parts = set(path.relative_to(ROOT).parts)
        skipped = {".git", ".venv", ".venv-serve", "node_modules", "instance", "__pycache__", "test-artifacts"}
        if parts & skipped or not path.is_file():
            continue
        if path.suffix not in {".py", ".md", ".html", ".toml", ".yml", ".yaml", ".cfg", ".ini", ".txt", ""}:
            continue
        if path.parent.name == "specs":  # the official files themselves
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"\.\./shared|shared/(docs|specs|CONTRACT)|\u00a7", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
