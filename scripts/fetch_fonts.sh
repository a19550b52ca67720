#!/usr/bin/env bash
# More freely licensed Thai fonts (SIL OFL, Google Fonts) for training the digit reader only: the
# @expo-google-fonts packages on the npm registry carry the fonts' full TTF files. Each family's light,
# regular, bold and italic styles go to build/fonts/google/<Family>/ (not committed; nothing here is used at
# run time). Versions are pinned; npm checks each package's integrity against the registry.
# Called by `scripts/bootstrap.sh --train`; quick when the fonts are there.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=build/fonts/google
# Text faces with Thai digits. Left out: the script and display faces (Charm, Charmonman, Srisakdi,
# Pattaya, Sriracha, Chonburi), whose digits are drawn unlike any table's.
pkgs="sarabun@0.4.1 kanit@0.4.1 prompt@0.4.1 mitr@0.4.1 chakra-petch@0.4.1 bai-jamjuree@0.4.1 k2d@0.4.1
koho@0.1.0 kodchasan@0.4.1 niramit@0.2.3 fahkwang@0.1.0 athiti@0.1.0 maitree@0.3.0 pridi@0.2.0 taviraj@0.2.3
trirong@0.2.3 itim@0.4.1 mali@0.4.1 noto-sans-thai@0.4.2 noto-sans-thai-looped@0.4.2 ibm-plex-sans-thai@0.4.1
ibm-plex-sans-thai-looped@0.4.1 anuphan@0.4.1"
need=()
for p in $pkgs; do
  [ -f "$dest/.done-${p%@*}" ] || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
command -v npm >/dev/null || { echo "fetch_fonts: npm is needed (apt-get install npm)" >&2; exit 1; }
echo "fetch_fonts: fetching ${#need[@]} font packages from the npm registry" >&2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$dest"
for p in "${need[@]}"; do
  name=${p%@*}
  (cd "$tmp" && npm pack -q "@expo-google-fonts/$p" >/dev/null)
  mkdir -p "$tmp/x-$name"
  tar xzf "$tmp"/expo-google-fonts-"$name"-*.tgz -C "$tmp/x-$name" --wildcards '*.ttf'
  fam=$(basename "$(find "$tmp/x-$name" -name '*_400Regular.ttf' | head -1)" _400Regular.ttf)
  mkdir -p "$dest/$fam"
  find "$tmp/x-$name" \( -name '*_300Light.ttf' -o -name '*_400Regular.ttf' -o -name '*_700Bold.ttf' \
       -o -name '*_400Regular_Italic.ttf' \) -exec mv {} "$dest/$fam/" \;
  touch "$dest/.done-$name"
done
