"""Where the real files written by other tools are: `../shared/corpus` beside the clone."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
REAL = CORPUS / "real"
OTHER = CORPUS / "real-other"
#: The corpus is laid beside every clone, CI's included; a bare checkout elsewhere skips.
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
