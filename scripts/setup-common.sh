# Shared by demo.sh and test.sh (sourced, not run): install what Tessera needs from Debian 12's
# apt repositories and build it in Release. Both steps skip what is already done.

set -euo pipefail

TESSERA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${TESSERA_BUILD_DIR:-$TESSERA_ROOT/build}
JOBS=${TESSERA_JOBS:-$(nproc)}

# Everything the build, the tests and their services need, by Debian package name.
TESSERA_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git binutils clang libclang-rt-14-dev
  # engine: LibTorch (CPU, Gloo), a fast BLAS (the reference BLAS is ~40x slower), formats
  libtorch-dev libgloo-dev libopenblas0-pthread nlohmann-json3-dev libyaml-cpp-dev libicu-dev
  libzstd-dev libxxhash-dev libpng-dev libjpeg62-turbo-dev libwebp-dev libsqlite3-dev libssl-dev
  # studio and remote: Qt 6, QCustomPlot (Qt 6 flavour), libssh
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqt6svg6 libgl-dev
  libqcustomplot-dev libssh-dev
  # test services: sshd + SFTP, Slurm + munge, a virtual display for screenshots
  openssh-server openssh-sftp-server openssh-client slurm-wlm munge xvfb xauth iproute2
)

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

install_packages() {
  local missing=()
  for p in "${TESSERA_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    log "packages: all ${#TESSERA_PACKAGES[@]} present"
    return
  fi
  log "installing ${#missing[@]} package(s): ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build_tessera() {
  if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
    log "configuring $BUILD_DIR (Release)"
    cmake -S "$TESSERA_ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release
  fi
  log "building with $JOBS job(s)"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}
