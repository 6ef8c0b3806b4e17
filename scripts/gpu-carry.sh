#!/usr/bin/env bash
# Prepares what a lent GPU machine needs besides this checkout: it has PyTorch, CMake and ninja,
# but no -dev packages, no Qt and no network. Into DIR (default .gpu-carry, which git ignores
# through .git/info/exclude) go
#   debs/    the Debian 12 packages of the engine's libraries, Qt Core/Test, moc, qmake and
#            pkgconf, fetched with `apt-get download` (nothing is installed here or there)
#   golden/  a copy of the golden reference tensors (../shared/golden), which tst_cuda compares
#            against
# about 45 MB in all, under the 64 MiB a device run may carry. Then, on the device:
#   TESSERA_DEPS_DEBS=$PWD/DIR/debs TESSERA_GOLDEN_DIR=$PWD/DIR/golden scripts/gpu-check.sh OUT_DIR
# with DIR carried along.
#
#   scripts/gpu-carry.sh [DIR]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=$(realpath -m "${1:-$ROOT/.gpu-carry}")
GOLDEN=${TESSERA_GOLDEN_DIR:-$ROOT/../shared/golden}

# The engine's libraries (-dev for headers and CMake/pkg-config files, the runtime for the
# shared objects), Qt Core/Test with moc and qmake (tst_cuda is a Qt Test program), and the
# runtime libraries these need that an Ubuntu GPU image may lack.
PACKAGES=(
  libsqlite3-dev libsqlite3-0 libssl-dev libssl3 libpng-dev libpng16-16 zlib1g-dev zlib1g
  libjpeg62-turbo-dev libjpeg62-turbo libwebp-dev libwebp7 libwebpdemux2 libwebpmux3
  libzstd-dev libzstd1 libxxhash-dev libxxhash0 libicu-dev libicu72 libyaml-cpp-dev libyaml-cpp0.7
  nlohmann-json3-dev
  qt6-base-dev qt6-base-dev-tools libqt6core6 libqt6test6 libdouble-conversion3 libpcre2-16-0
  libb2-1 libglib2.0-0 qmake6 qmake6-bin
  pkgconf pkgconf-bin libpkgconf3
)

if [[ ! -d "$GOLDEN/tiny-sd2" ]]; then
  echo "gpu-carry: no golden data at $GOLDEN (set TESSERA_GOLDEN_DIR)" >&2
  exit 1
fi
mkdir -p "$DIR/debs"
rm -f "$DIR"/debs/*.deb
# apt-get download needs current package lists; an hour-old set is fine.
if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -1)" ]]; then
  if [[ "$(id -u)" = 0 ]]; then apt-get update -qq; else sudo apt-get update -qq; fi
fi
(cd "$DIR/debs" && apt-get download -qq "${PACKAGES[@]}")
rm -rf "$DIR/golden"
cp -a "$GOLDEN" "$DIR/golden"

# Keep it out of git without touching .gitignore (only the default folder inside the checkout).
if [[ "$DIR" == "$ROOT/.gpu-carry" ]] && ! grep -qxF "/.gpu-carry/" "$ROOT/.git/info/exclude" 2>/dev/null; then
  echo "/.gpu-carry/" >>"$ROOT/.git/info/exclude"
fi
echo "gpu-carry: $(ls "$DIR"/debs/*.deb | wc -l) packages and the golden data in $DIR ($(du -sh "$DIR" | cut -f1))"
