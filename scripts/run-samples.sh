#!/usr/bin/env bash
# Quick start, command 1: install what is missing, then extract data/samples into out/ and print the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/extract run data/samples --out "${OUT:-out}" "$@"
