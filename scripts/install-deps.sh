#!/usr/bin/env bash
# Installs the system packages the toolkit needs, only if they are missing:
#   libcairo2-dev      Cairo headers and cairo.pc (the runtime library alone is not enough to build)
#   zlib1g-dev         zlib's header and zlib.pc: the PNG writer deflates with it (libcairo2-dev
#                      pulls it in; named here because the toolkit links it directly)
#   fonts-dejavu-core  DejaVu Sans (regular and bold), the one font every figure uses
#   fonts-dejavu-extra DejaVu Sans Oblique: italic labels (without it fontconfig fakes the slant)
#   pkg-config         how SwiftPM finds Cairo's compiler and linker flags
# With arguments, installs those packages instead (scripts/book-check.sh: chromium and what
# its Python client needs).
set -euo pipefail

needed=(libcairo2-dev zlib1g-dev fonts-dejavu-core fonts-dejavu-extra pkg-config)
if [[ $# -gt 0 ]]; then needed=("$@"); fi
missing=()
for pkg in "${needed[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "Installing missing packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null; then sudo="sudo"; else
    echo "error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists; refresh them before installing.
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
