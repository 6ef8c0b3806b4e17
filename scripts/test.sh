#!/bin/bash
# README command 2: install, build (Release) and run the whole test suite. CTest starts the test
# services (sshd, munge + Slurm) as fixtures; they need root, so ctest runs as root.
source "$(dirname "${BASH_SOURCE[0]}")/setup-common.sh"
install_packages
build_tessera
log "running the test suite"
cd "$BUILD_DIR"
as_root ctest --output-on-failure --timeout 1800 "$@"
