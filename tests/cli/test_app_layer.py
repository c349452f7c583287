"""The faces reach the database only through app/: the import-linter contract holds, and it fails on a
planted violation (a CLI module importing the store directly)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
CONTRACT = "The command line and the web routes reach the database only through app/"

pytestmark = pytest.mark.skipif(
    not LINT.exists(), reason="import-linter is not installed (pip install -e .[test])"
)


def _lint(src: Path, cwd: Path, contract: str = "faces-through-app") -> subprocess.CompletedProcess[str]:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(LINT), "--no-cache", "--contract", contract],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package and its contracts, to plant violations in."""
    top = tmp_path_factory.mktemp("layers")
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "src" / "liftsafe", top / "src" / "liftsafe", ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", top / "pyproject.toml")
    return top


def test_the_faces_reach_the_store_only_through_app(tree: Path) -> None:
    done = _lint(tree / "src", tree)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "KEPT" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "imported"),
    [
        ("cli/log.py", "from liftsafe.store import repository  # planted", "liftsafe.store"),
        ("web/routers/train.py", "import sqlalchemy  # planted", "sqlalchemy"),
    ],
)
def test_a_planted_store_import_breaks_the_contract(
    tree: Path, module: str, line: str, imported: str
) -> None:
    path = tree / "src" / "liftsafe" / module
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n" + line + "\n", encoding="utf-8")
        done = _lint(tree / "src", tree)
    finally:
        path.write_text(original, encoding="utf-8")
    assert done.returncode != 0
    out = " ".join(done.stdout.split())  # long contract names wrap
    assert f"{CONTRACT} BROKEN" in out, out
    assert imported in out, out


def test_the_web_training_service_goes_through_app(tree: Path) -> None:
    assert _lint(tree / "src", tree, "web-training-through-app").returncode == 0
    path = tree / "src" / "liftsafe" / "web" / "services" / "training.py"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\nfrom liftsafe.store import repository  # planted\n", encoding="utf-8")
        done = _lint(tree / "src", tree, "web-training-through-app")
    finally:
        path.write_text(original, encoding="utf-8")
    out = " ".join(done.stdout.split())
    assert done.returncode != 0 and "BROKEN" in out and "liftsafe.store.repository" in out, out
