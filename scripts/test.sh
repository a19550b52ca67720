#!/usr/bin/env bash
# Quick start, command 2: install what is missing, then run the test suite (real Tesseract).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export OMP_THREAD_LIMIT=1
exec .venv/bin/python -m pytest "$@"
