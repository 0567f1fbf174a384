"""Where the tests find the repository, their data files and the docs (wherever a test file lives
in the folders that mirror the package)."""

from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"  # the tests' own input files
DOCS = ROOT / "docs"
SRC = ROOT / "src" / "carbonpeak"
