#!/usr/bin/env bash
# Compiles the engine's and the tests' torch sources against LibTorch 2.x headers, without a GPU
# and without installing anything: the code must build unchanged against the LibTorch of a GPU
# node's PyTorch (2.x), while this machine has Debian 12's 1.13. Debian 13's libtorch-dev (2.6)
# is downloaded and unpacked under the work folder, its <torch/torch.h> precompiled once, and
# every translation unit of an existing build's compile_commands.json that uses torch is checked
# with -fsyntax-only (no object files, so it is quick).
#
#   scripts/check-libtorch2.sh BUILD_DIR [PATH_FILTER...]
#
# BUILD_DIR: a configured build (its compile_commands.json). PATH_FILTER: only sources whose path
# contains one of these strings (default: every engine and test source). Work folder:
# $TESSERA_LIBTORCH2_DIR (default /tmp/tessera-libtorch2). Exit status 1 when a file fails.
# TESSERA_CHECK_CUDA=1 also puts CUDA's headers on the include path (those of a CUDA toolkit in
# $CUDA_HOME or /usr/local/cuda when there is one, else Debian 13's nvidia-cuda-dev,
# non-free, a 0.9 GB download unpacked to its 16 MB of headers), so that the code a GPU build
# compiles behind __has_include(<cuda_runtime_api.h>) (CUDA graphs, the sync debug mode) is
# checked too.
set -euo pipefail

if [[ $# -lt 1 || ! -f "$1/compile_commands.json" ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
BUILD=$(realpath "$1")
shift
WORK=${TESSERA_LIBTORCH2_DIR:-/tmp/tessera-libtorch2}
mkdir -p "$WORK/lists" "$WORK/debs"

if [[ ! -f "$WORK/root/usr/include/torch/csrc/api/include/torch/torch.h" ]]; then
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
    >"$WORK/sources.list"
  apt_opts=(-oDir::Etc::SourceList="$WORK/sources.list" -oDir::Etc::SourceParts=/dev/null
            -oDir::State::Lists="$WORK/lists" -oAPT::Architecture=amd64 -qq)
  apt-get "${apt_opts[@]}" update
  (cd "$WORK/debs" && apt-get "${apt_opts[@]}" download libtorch-dev)
  dpkg-deb -x "$WORK"/debs/libtorch-dev_*.deb "$WORK/root"
fi
CUDA_INC=""
if [[ "${TESSERA_CHECK_CUDA:-}" == 1 ]]; then
  # A CUDA toolkit on this machine (CUDA 13 here, as on the GPU machines) serves as it is: its
  # CCCL headers (nv/target, which ATen's CUDA headers reach through cuda_fp16.h) sit in
  # include/cccl, where nvcc looks by itself.
  LOCAL_CUDA=${CUDA_HOME:-/usr/local/cuda}/include
  if [[ -f "$LOCAL_CUDA/cuda_runtime_api.h" ]]; then
    CUDA_HEADERS=$LOCAL_CUDA
    [[ -d "$LOCAL_CUDA/cccl" ]] && CUDA_HEADERS=$CUDA_HEADERS:$LOCAL_CUDA/cccl
  elif [[ ! -f "$WORK/cuda/usr/include/cuda_runtime_api.h" ]]; then
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main contrib non-free" \
      >"$WORK/sources-cuda.list"
    mkdir -p "$WORK/lists-cuda"
    cuda_opts=(-oDir::Etc::SourceList="$WORK/sources-cuda.list" -oDir::Etc::SourceParts=/dev/null
               -oDir::State::Lists="$WORK/lists-cuda" -oAPT::Architecture=amd64 -qq)
    apt-get "${cuda_opts[@]}" update
    (cd "$WORK/debs" && apt-get "${cuda_opts[@]}" download nvidia-cuda-dev)
    mkdir -p "$WORK/cuda"
    dpkg-deb --fsys-tarfile "$WORK"/debs/nvidia-cuda-dev_*.deb | tar -x -C "$WORK/cuda" --wildcards './usr/include/*'
    rm -f "$WORK"/debs/nvidia-cuda-dev_*.deb
  fi
  # The CPU package lacks the header a CUDA build of c10 generates; its one macro, as a CUDA
  # wheel has it.
  mkdir -p "$WORK/cuda/shim/c10/cuda/impl"
  echo "#pragma once
#define C10_CUDA_BUILD_SHARED_LIBS" >"$WORK/cuda/shim/c10/cuda/impl/cuda_cmake_macros.h"
  CUDA_INC=${CUDA_HEADERS:-$WORK/cuda/usr/include}:$WORK/cuda/shim
  echo "CUDA headers: ${CUDA_HEADERS:-$WORK/cuda/usr/include}"
fi
INC=$WORK/root/usr/include
echo "LibTorch headers: $(awk '/define TORCH_VERSION_(MAJOR|MINOR|PATCH)/ {v = v (v ? "." : "") $3} END {print v}' \
  "$INC/torch/csrc/api/include/torch/version.h")"

CUDA_INC="$CUDA_INC" python3 - "$BUILD" "$INC" "$WORK" "$@" <<'EOF'
import concurrent.futures, json, os, shlex, subprocess, sys

build, inc, work, filters = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
commands = json.load(open(os.path.join(build, "compile_commands.json")))

def uses_torch(path):
    with open(path, errors="replace") as f:
        text = f.read()
    return ("torch" in text or "<c10/" in text or '#include "models/' in text or '#include "training/' in text)

selected = [c for c in commands
            if c["file"].endswith(".cpp") and ("/engine/" in c["file"] or "/tests/" in c["file"])
            and "/fuzz/" not in c["file"] and "torch_pch" not in c["file"] and "_autogen" not in c["file"]
            and (not filters or any(f in c["file"] for f in filters)) and uses_torch(c["file"])]

def flags(c):
    """The build's own flags, with the 1.13 headers and precompiled header swapped for 2.x."""
    args, out, skip = shlex.split(c["command"]), [], False
    for i, a in enumerate(args[1:], 1):
        if skip:
            skip = False
        elif a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif a == "-include" and args[i + 1].endswith(".hxx"):
            skip = True
        elif a == "-isystem" and "/torch/csrc/api/include" in args[i + 1]:
            skip = True
        elif a in ("-c", "-Winvalid-pch", "-MD") or a.startswith("-O") or a == c["file"]:
            continue
        else:
            out.append(a)
    cuda = [a for d in os.environ.get("CUDA_INC", "").split(":") if d for a in ("-isystem", d)]
    return [args[0], "-isystem", inc + "/torch/csrc/api/include", "-isystem", inc] + out + cuda

# One precompiled <torch/torch.h> with the engine's defines (a header built with other macros
# would be ignored and every file would parse torch again).
# (The flags come from an engine source even when the filters select only tests.)
engine = next(c for c in commands if "/engine/src/" in c["file"] and c["file"].endswith(".cpp")
              and "torch_pch" not in c["file"] and uses_torch(c["file"]))
pch = os.path.join(work, "torch2.hxx")
with open(pch, "w") as f:
    f.write("#include <torch/torch.h>\n")
defines = [a for a in flags(engine) if a.startswith("-D") or a.startswith("-std") or a == "-fPIC"]
if not os.path.exists(pch + ".gch"):
    print("precompiling <torch/torch.h> ...", flush=True)
    subprocess.run(flags(engine)[:5] + defines + ["-O0", "-x", "c++-header", pch, "-o", pch + ".gch"], check=True)

def check(c):
    cmd = flags(c) + ["-include", pch, "-O0", "-fsyntax-only", c["file"]]
    r = subprocess.run(cmd, cwd=c["directory"], capture_output=True, text=True)
    return c["file"], r.returncode, r.stderr

failed = 0
with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
    for path, rc, err in pool.map(check, selected):
        print(("FAIL " if rc else "ok   ") + os.path.relpath(path), flush=True)
        if rc:
            failed += 1
            print("\n".join(line for line in err.splitlines() if "error" in line or "note:" not in line)[:4000])
print(f"{len(selected)} files checked against LibTorch 2.x headers, {failed} failed")
sys.exit(1 if failed else 0)
EOF
