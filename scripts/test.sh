#!/usr/bin/env bash
# Install liftsafe with its test extras into .venv, check style, types and the import direction,
# then run the test suite (README: "Run the tests").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]"
echo "ruff: style, imports, bugbear, docstrings, complexity" >&2
.venv/bin/ruff check src tests benchmarks scripts
echo "mypy: types of the core packages" >&2
.venv/bin/mypy
echo "import-linter: one import direction" >&2
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
