"""Where the project's data lives (the repository root for an editable install)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
EXTRACT_DATA = ROOT / "extract" / "data"
DEFAULT_CORPUS = ROOT / "data" / "corpus"


def default_store() -> Path:
    """The store used when none is given: $PSKG_STORE, else ./store in the working directory."""
    return Path(os.environ.get("PSKG_STORE") or Path.cwd() / "store")
