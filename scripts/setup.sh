#!/usr/bin/env bash
# Install everything the casebook needs on a fresh Debian 12 machine, idempotently:
#   - Debian packages (chromium, TeX Live with xelatex and Chinese support, CJK fonts, poppler,
#     bubblewrap, which sandboxes each student submission when grading)
#   - a Python virtual environment in .venv with the pinned packages of requirements.lock
#   - the pinned browser test tools of package.json / package-lock.json (axe-core) in node_modules
# Usage: scripts/setup.sh [--system-only|--python-only|--node-only]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  chromium
  texlive-latex-recommended texlive-latex-extra texlive-xetex latexmk
  texlive-fonts-recommended texlive-lang-chinese tex-gyre texlive-plain-generic
  fonts-freefont-otf fonts-noto-cjk poppler-utils bubblewrap nodejs
)

system() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "setup: installing Debian packages: ${missing[*]}"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

python_env() {
  local stamp=.venv/.installed
  if [[ ! -f $stamp || requirements.lock -nt $stamp || pyproject.toml -nt $stamp ]]; then
    echo "setup: creating .venv with the pinned Python packages"
    python3 -m venv .venv
    # pip compiles each module to bytecode one at a time; compileall does the same on every core
    # (the same .pyc files, some 8 s sooner on two cores; BENCHMARKS.md, "Tests and CI")
    .venv/bin/pip install -q --no-compile -r requirements.lock
    .venv/bin/python -m compileall -q -j 0 .venv/lib >/dev/null
    .venv/bin/pip install -q --no-deps -e .
    touch "$stamp"
  fi
}

node_env() {
  # axe-core for the accessibility tests: the version pinned in package.json, installed from
  # package-lock.json (never shipped in the book; tests/browser.py loads it)
  local want
  want=$(sed -n 's/.*"axe-core": "\([^"]*\)".*/\1/p' package.json)
  if [[ -f node_modules/axe-core/package.json ]] && grep -q "\"version\": \"$want\"" node_modules/axe-core/package.json; then
    return
  fi
  if ! command -v npm >/dev/null; then
    echo "setup: installing npm (Debian package) for the pinned test tools"
    local sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends npm
  fi
  echo "setup: installing axe-core $want (package-lock.json) in node_modules"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
}

case "${1:-}" in
  --system-only) system ;;
  --python-only) python_env ;;
  --node-only) node_env ;;
  *) system; python_env; node_env ;;
esac
