#!/usr/bin/env bash
# Installs what the project needs, once; quick (a few hashes and checks) when all is there.
# System: tesseract (tha, eng, osd), TLWG Thai fonts, poppler-utils (with --train also Arundina, Noto, FreeSerif, and Google's Thai fonts from npm). Python: .venv from requirements.lock.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/tha.traineddata 2>/dev/null)" ] || need_apt+=(tesseract-ocr-tha)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/osd.traineddata 2>/dev/null)" ] || need_apt+=(tesseract-ocr-osd)
[ -d /usr/share/fonts/truetype/tlwg ] || need_apt+=(fonts-thai-tlwg)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ "${1:-}" = "--train" ]; then  # more Thai fonts for training the digit reader (scripts/train_digits.py)
  [ -d /usr/share/fonts/truetype/arundina ] || need_apt+=(fonts-arundina)
  [ -f /usr/share/fonts/truetype/noto/NotoSansThai-Regular.ttf ] || need_apt+=(fonts-noto-core)
  [ -f /usr/share/fonts/truetype/freefont/FreeSerif.ttf ] || need_apt+=(fonts-freefont-ttf)
  command -v npm >/dev/null 2>&1 || need_apt+=(npm)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${need_apt[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then echo "bootstrap: need root for apt-get (or install: ${need_apt[*]})" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if [ "${1:-}" = "--train" ]; then scripts/fetch_fonts.sh; fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$PY" -m venv .venv
fi
stamp=.venv/.stamp-$(cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python packages (requirements.lock)" >&2
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  rm -f .venv/.stamp-*
  touch "$stamp"
fi
