#!/usr/bin/env bash
# Create (first time) or reuse the eCRM database, then start the server with
# the sao web client on http://127.0.0.1:8000/ .
#
#   ./setup/run.sh [options]
#     --modules a,b,...     modules to activate (default: every addon in
#                           addons/*/tryton.cfg); Tryton modules allowed too
#     --demo-customers N    customers made by setup/demo_data.py (default 300)
#     --no-demo             do not load demo data
#     -c, --config FILE     trytond configuration (default $ECRM_CONFIG or
#                           config/trytond.conf)
#     -d, --database NAME   database name (default $ECRM_DATABASE or ecrm)
#     --update              update the modules even if nothing changed
#     --no-server           set the database up, then exit
#
# PostgreSQL: TRYTOND_DATABASE__URI=postgresql://user:pw@host:5432/ ./setup/run.sh
# (or -c a file made from config/trytond-postgresql.conf.example).
# Passwords: admin from $TRYTONPASSFILE (default: var/admin-password, made
# with $ECRM_ADMIN_PASSWORD or "admin-ecrm"); demo from $ECRM_DEMO_PASSWORD
# or "demo-ecrm" (set when the user is created).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CONF="${ECRM_CONFIG:-config/trytond.conf}"
DB="${ECRM_DATABASE:-ecrm}"
MODULES=""
DEMO=1
DEMO_CUSTOMERS=300
SERVER=1
FORCE_UPDATE=0
ADMIN_EMAIL="${ECRM_ADMIN_EMAIL:-admin@example.com}"
DEMO_PASSWORD="${ECRM_DEMO_PASSWORD:-demo-ecrm}"

usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --modules) MODULES="$2"; shift 2 ;;
        --modules=*) MODULES="${1#*=}"; shift ;;
        --demo-customers) DEMO_CUSTOMERS="$2"; shift 2 ;;
        --demo-customers=*) DEMO_CUSTOMERS="${1#*=}"; shift ;;
        --no-demo) DEMO=0; shift ;;
        -c|--config) CONF="$2"; shift 2 ;;
        -d|--database) DB="$2"; shift 2 ;;
        --update) FORCE_UPDATE=1; shift ;;
        --no-server) SERVER=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

say() { printf '==> %s\n' "$*"; }
VENV="$ROOT/.venv"
# bring .venv, the addons and sao up to date (about a second when they are)
if [ "${ECRM_SKIP_INSTALL:-0}" != 1 ]; then
    ./setup/install.sh
fi
if [ ! -x "$VENV/bin/trytond-admin" ]; then
    echo "run.sh: .venv is missing; run ./setup/install.sh first" >&2
    exit 1
fi
export PATH="$VENV/bin:$PATH"
PY="$VENV/bin/python"
[ -f "$CONF" ] || { echo "run.sh: no configuration file $CONF" >&2; exit 1; }
mkdir -p var/db var/run
started=$(date +%s)

# The configuration every step uses, var/run/trytond.conf: $CONF, then the
# TRYTOND_<SECTION>__<OPTION> variables on top (in Tryton 8.0 an option set in
# a file would win over the environment), with relative paths made absolute
# from the repository root (trytond's SQLite backend needs an absolute path).
EFFECTIVE_CONF="$ROOT/var/run/trytond.conf"
"$PY" - "$CONF" "$EFFECTIVE_CONF" "$ROOT" <<'EOF'
import configparser, os, sys
source, target, root = sys.argv[1:]
parser = configparser.RawConfigParser()
if not parser.read(source):
    sys.exit(f'run.sh: cannot read {source}')
for key, value in sorted(os.environ.items()):
    if key.startswith('TRYTOND_') and '__' in key:
        section, option = key[len('TRYTOND_'):].lower().split('__', 1)
        section = section.replace('wsgi_', 'wsgi ', 1)
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, option, value)
for section, option in [('database', 'path'), ('web', 'root')]:
    value = parser.get(section, option, fallback=None)
    if value and not os.path.isabs(os.path.expanduser(value)):
        parser.set(section, option, os.path.join(root, value))
fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, 'w') as f:
    f.write(f'# written by setup/run.sh from {source} and TRYTOND_* '
        'variables; edit those instead\n')
    parser.write(f)
EOF
dbtool() { "$PY" setup/dbtool.py -c "$EFFECTIVE_CONF" "$@"; }

BACKEND=$(dbtool backend)
say "database \"$DB\" on $BACKEND (configuration $CONF)"

# -- admin password ---------------------------------------------------------
if [ -z "${TRYTONPASSFILE:-}" ]; then
    export TRYTONPASSFILE="$ROOT/var/admin-password"
    if [ ! -s "$TRYTONPASSFILE" ]; then
        (umask 077; printf '%s\n' "${ECRM_ADMIN_PASSWORD:-admin-ecrm}" \
            > "$TRYTONPASSFILE")
    fi
fi
ADMIN_PASSWORD=$(head -n1 "$TRYTONPASSFILE")

# -- modules ----------------------------------------------------------------
if [ -z "$MODULES" ]; then
    MODULES=$(for f in addons/*/tryton.cfg; do
        [ -e "$f" ] && basename "$(dirname "$f")"; done | paste -sd, -)
fi
IFS=',' read -r -a MODULE_LIST <<< "$MODULES"

# -- create and initialise the database -------------------------------------
case "$(dbtool create -d "$DB")" in
    created) say "created empty database $DB" ;;
esac
if ! dbtool initialized -d "$DB"; then
    say "initialising $DB (ir, res; languages en and zh_CN)"
    trytond-admin -c "$EFFECTIVE_CONF" -d "$DB" --all -l zh_CN \
        --email "$ADMIN_EMAIL" </dev/null
    rm -f "var/run/$DB-$BACKEND.modules"
fi

# -- activate the modules (again only when the code changed) -----------------
# The stamp holds the module list, the addons' sources and the installed
# Tryton packages; a change of any of them updates the modules.
stamp_file="var/run/$DB-$BACKEND.modules"
stamp=$( { echo "${MODULE_LIST[*]}"; dbtool get database uri;
    find addons -type f \( -name '*.py' -o -name '*.xml' -o -name '*.cfg' \
        -o -name '*.po' -o -name '*.rst' \) -not -path '*/tests/*' \
        -print0 | sort -z | xargs -0 -r sha256sum;
    "$PY" -c 'import importlib.metadata as m; print(sorted(
        (d.metadata["Name"], d.version) for d in m.distributions()
        if "tryton" in d.metadata["Name"].lower()))'
    } | sha256sum | cut -d' ' -f1)
if [ "${#MODULE_LIST[@]}" -gt 0 ]; then
    if [ "$FORCE_UPDATE" = 1 ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]
    then
        say "activating/updating modules: ${MODULE_LIST[*]}"
        trytond-admin -c "$EFFECTIVE_CONF" -d "$DB" -u "${MODULE_LIST[@]}" \
            --activate-dependencies </dev/null
        echo "$stamp" > "$stamp_file"
    else
        say "modules up to date: ${MODULE_LIST[*]}"
    fi
fi

# -- company, users ---------------------------------------------------------
say "configuring company and users"
summary=$("$PY" setup/configure.py -c "$EFFECTIVE_CONF" -d "$DB" \
    --demo-password "$DEMO_PASSWORD" | tail -n1)
echo "    $summary"

# -- demo data --------------------------------------------------------------
if [ "$DEMO" = 1 ]; then
    if [ ! -f setup/demo_data.py ]; then
        say "no setup/demo_data.py yet: skipping demo data"
    elif [ "$("$PY" setup/configure.py -c "$EFFECTIVE_CONF" -d "$DB" \
            --demo-status)" = loaded ]; then
        say "demo data already loaded"
    else
        say "loading demo data ($DEMO_CUSTOMERS customers)"
        "$PY" setup/demo_data.py --database "$DB" --config "$EFFECTIVE_CONF" \
            --customers "$DEMO_CUSTOMERS" </dev/null
    fi
fi

# -- start ------------------------------------------------------------------
LISTEN=$(dbtool get web listen)
HOST=${LISTEN%:*}; PORT=${LISTEN##*:}
case "$HOST" in ''|0.0.0.0|'*'|'[::]') HOST=127.0.0.1 ;; esac
cat <<EOF

  eCRM is ready ($(( $(date +%s) - started ))s)
  web client : http://$HOST:$PORT/   (database: $DB)
  XML-RPC    : http://$HOST:$PORT/$DB/rpc/
  logins     : admin / $ADMIN_PASSWORD   (administrator, all CRM groups)
               demo  / $DEMO_PASSWORD   (CRM User, zh_CN; password as set
                                      when the user was created)

EOF
if [ "$SERVER" = 0 ]; then
    exit 0
fi
say "starting trytond (Ctrl-C stops it)"
exec trytond -c "$EFFECTIVE_CONF" -d "$DB"
