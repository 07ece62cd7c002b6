#!/usr/bin/env bash
# Install eCRM on this machine: a Python 3.11 virtualenv in .venv with the
# pinned Tryton 8.0 stack, every addon under addons/ (editable), and the sao
# web client in var/sao.  Needs python3.11 and npm; downloads only from PyPI
# and the npm registry.  Safe to run again: finished steps are skipped.
#
#   ./setup/install.sh            install or bring up to date
#   ./setup/install.sh --force    redo every step
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SAO_VERSION=8.0.11
PYTHON="${PYTHON:-python3.11}"
VENV="$ROOT/.venv"
FORCE=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
started=$(date +%s)
mkdir -p var

# -- 1. virtualenv --------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    command -v "$PYTHON" >/dev/null || {
        echo "install.sh: $PYTHON not found (Python 3.11 is required)" >&2
        exit 1; }
    say "creating virtualenv .venv with $PYTHON"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' \
    || { echo "install.sh: .venv is not Python 3.11; remove it" >&2; exit 1; }

# -- 2. Python packages ---------------------------------------------------
# The stamp records what was installed; the step is skipped while the
# requirement files, the addons' pyproject.toml and the set of addons are
# unchanged and every addon is still importable as a Tryton module.
# An addon is installed once it has both pyproject.toml and tryton.cfg: trytond
# reads tryton.cfg of every registered module, so one without it (still being
# written) would break every other module.
ADDONS=()
for f in addons/*/pyproject.toml; do
    [ -e "$f" ] || continue
    m=$(basename "$(dirname "$f")")
    if [ -f "addons/$m/tryton.cfg" ]; then
        ADDONS+=("$m")
    else
        say "skipping addons/$m: no tryton.cfg yet"
    fi
done
stamp_file=var/.install-python.stamp
stamp=$( { cat requirements.txt requirements-test.txt \
    setup/requirements-postgresql.txt;
    for m in "${ADDONS[@]+"${ADDONS[@]}"}"; do
        echo "$m"; cat "addons/$m/pyproject.toml"; done
    } | sha256sum | cut -d' ' -f1)

addons_registered() {
    "$PY" - "${ADDONS[@]+"${ADDONS[@]}"}" <<'EOF'
import sys
from importlib.metadata import entry_points
names = {e.name for e in entry_points(group='trytond.modules')}
sys.exit(0 if set(sys.argv[1:]) <= names else 1)
EOF
}

if [ "$FORCE" = 1 ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ] \
        || ! addons_registered; then
    say "installing Python packages (requirements-test.txt, PostgreSQL driver)"
    "$PY" -m pip install --quiet --disable-pip-version-check \
        -r requirements-test.txt -r setup/requirements-postgresql.txt
    if [ "${#ADDONS[@]}" -gt 0 ]; then
        say "installing addons (editable): ${ADDONS[*]}"
        editable=()
        for m in "${ADDONS[@]}"; do editable+=(-e "addons/$m"); done
        "$PY" -m pip install --quiet --disable-pip-version-check \
            "${editable[@]}"
    fi
    addons_registered || {
        echo "install.sh: an addon did not register its trytond.modules" \
            "entry point" >&2; exit 1; }
    echo "$stamp" > "$stamp_file"
else
    say "Python packages up to date (.venv)"
fi

# -- 3. sao web client ----------------------------------------------------
# trytond serves [web] root = var/sao; sao's index.html loads node_modules/
# relative to itself, so its npm dependencies are installed inside it.
# setup/sao/package-lock.json pins those dependencies.
SAO=var/sao
sao_ok() {
    [ -f "$SAO/index.html" ] && [ -f "$SAO/dist/tryton-sao.js" ] \
        && [ -f "$SAO/node_modules/jquery/dist/jquery.js" ] \
        && [ "$(cat "$SAO/.ecrm-sao-version" 2>/dev/null)" = "$SAO_VERSION" ] \
        && cmp -s setup/sao/package-lock.json "$SAO/.ecrm-package-lock.json"
}
if [ "$FORCE" = 1 ] || ! sao_ok; then
    command -v npm >/dev/null || {
        echo "install.sh: npm not found (needed for the sao web client)" >&2
        exit 1; }
    say "installing sao web client tryton-sao@$SAO_VERSION into $SAO"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    (cd "$tmp" && npm pack --silent "tryton-sao@$SAO_VERSION" >/dev/null)
    tar -xzf "$tmp"/tryton-sao-*.tgz -C "$tmp"
    cp setup/sao/package-lock.json "$tmp/package/package-lock.json"
    # `npm ci --omit=dev` is `npm install --production` held to the lock file;
    # fall back to a plain install if the lock does not fit package.json.
    (cd "$tmp/package" && {
        npm ci --omit=dev --legacy-peer-deps --no-audit --no-fund \
            --loglevel=error \
        || { rm -f package-lock.json;
             npm install --omit=dev --legacy-peer-deps --no-audit --no-fund \
                --loglevel=error; }; })
    cp setup/sao/custom.js setup/sao/custom.css "$tmp/package/"
    echo "$SAO_VERSION" > "$tmp/package/.ecrm-sao-version"
    cp setup/sao/package-lock.json "$tmp/package/.ecrm-package-lock.json"
    rm -rf "$SAO.old"
    [ -e "$SAO" ] && mv "$SAO" "$SAO.old"
    mv "$tmp/package" "$SAO"
    rm -rf "$SAO.old"
else
    # keep the eCRM customisation in step with the repository
    cp setup/sao/custom.js setup/sao/custom.css "$SAO/"
    say "sao web client up to date ($SAO, tryton-sao@$SAO_VERSION)"
fi

say "install done in $(( $(date +%s) - started ))s; next: ./setup/run.sh"
