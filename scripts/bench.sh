#!/usr/bin/env bash
# The benchmark: installs the project (bootstrap) and the img2table peer in its own venv, then runs
# `extract bench` (pass --quick for the short daily run). Report: bench/REPORT.md, bench/results-*.json
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
if [ ! -x .venv-peer/bin/python ] || ! .venv-peer/bin/python -c "import img2table" 2>/dev/null; then
  echo "bench: creating .venv-peer with img2table (the peer; it needs opencv-contrib, which clashes with ours)" >&2
  python3 -m venv .venv-peer
  .venv-peer/bin/pip install -q --disable-pip-version-check -r requirements-peer.txt
fi
export OMP_THREAD_LIMIT=1
exec .venv/bin/extract bench "$@"
