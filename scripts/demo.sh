#!/bin/bash
# README command 1: install, build (Release) and run the demo project.
source "$(dirname "${BASH_SOURCE[0]}")/setup-common.sh"
install_packages
build_tessera
log "running the demo project"
exec "$BUILD_DIR/bin/tessera" demo --out "$BUILD_DIR/demo-project" "$@"
