# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Every eCRM addon activates alone and together with the others.

The addons are found in addons/*/tryton.cfg, so a new module joins the
matrix by existing.  Cases:

- each addon alone (trytond-admin -u ADDON --activate-dependencies),
- all addons together,
- all addons together with every extras_depend module that is installed
  (e.g. sale, sale_opportunity), which loads the [register <module>] classes.

Each case uses a real, fresh database: a temporary SQLite file, or a new
database on the PostgreSQL server named by TRYTOND_DATABASE__URI, dropped
afterwards.  Activation runs trytond-admin in a subprocess, as an
administrator would; setup/dbtool.py then checks that the registry loads,
that the module and everything it depends on is 'activated', and searches one
model of each module.  Cases run two at a time.
"""
import configparser
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TIMEOUT = 20 * 60


def _addons():
    return sorted(p.parent.name for p in ROOT.glob('addons/*/tryton.cfg'))


def _tryton_cfg(module):
    parser = configparser.ConfigParser()
    parser.read(ROOT / 'addons' / module / 'tryton.cfg')
    return parser


def _listed(module, option):
    parser = _tryton_cfg(module)
    value = parser.get('tryton', option, fallback='')
    return [v.strip() for v in value.splitlines() if v.strip()]


def _installed_modules():
    names = {e.name for e in entry_points(group='trytond.modules')}
    import trytond.modules
    for directory in trytond.modules.__path__:
        names.update(
            p.parent.name for p in Path(directory).glob('*/tryton.cfg'))
    return names | {'ir', 'res'}


def _cases():
    addons = _addons()
    cases = [(m, [m]) for m in addons]
    if len(addons) > 1:
        cases.append(('all', addons))
    installed = _installed_modules()
    extras = sorted({e for m in addons for e in _listed(m, 'extras_depend')
            if e in installed and e not in addons})
    if extras:
        cases.append(('all+extras', addons + extras))
    return cases


CASES = _cases()


def _backend():
    uri = os.environ.get('TRYTOND_DATABASE__URI', '')
    return 'postgresql' if uri.startswith('postgresql') else 'sqlite'


def _run(cmd, env, log):
    log.append('$ ' + ' '.join(str(c) for c in cmd))
    process = subprocess.run(
        [str(c) for c in cmd], env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=TIMEOUT)
    log.append(process.stdout[-6000:])
    return process.returncode


def activate(case, modules):
    """Activate modules in a fresh database and verify; return (ok, log)."""
    log = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='ecrm-matrix-') as tmp:
        tmp = Path(tmp)
        name = 'ecrm_matrix_%s_%s' % (
            case.replace('+', '_'), os.getpid())
        config = tmp / 'trytond.conf'
        # no uri: SQLite, unless TRYTOND_DATABASE__URI says otherwise
        config.write_text(
            '[database]\npath = %s\nlanguage = en\n' % tmp)
        password = tmp / 'password'
        password.write_text('matrix-admin\n')
        env = {k: v for k, v in os.environ.items()
            if k not in {'DB_NAME', 'DB_CACHE', 'TRYTOND_CONFIG'}}
        env['TRYTONPASSFILE'] = str(password)
        dbtool = [sys.executable, ROOT / 'setup' / 'dbtool.py', '-c', config]
        ok = False
        try:
            ok = (_run(dbtool + ['drop', '-d', name], env, log) == 0
                and _run(dbtool + ['create', '-d', name], env, log) == 0
                and _run([BIN / 'trytond-admin', '-c', config, '-d', name,
                        '-u', *modules, '--activate-dependencies',
                        '--email', 'admin@example.com'], env, log) == 0
                and _run(dbtool + ['verify', '-d', name, *modules],
                    env, log) == 0)
        except subprocess.TimeoutExpired as exception:
            log.append(f'timeout: {exception}')
        finally:
            if _backend() == 'postgresql':
                _run(dbtool + ['drop', '-d', name], env, log)
    log.append(f'{case}: {time.monotonic() - started:.0f}s')
    return ok, '\n'.join(log)


@pytest.fixture(scope='module')
def activations():
    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as executor:
        futures = {case: executor.submit(activate, case, modules)
            for case, modules in CASES}
        return {case: future.result() for case, future in futures.items()}


def test_addons_found():
    assert _addons(), "no addons/*/tryton.cfg"


@pytest.mark.parametrize('case,modules', CASES, ids=[c for c, _ in CASES])
def test_activation(activations, case, modules):
    ok, log = activations[case]
    assert ok, f"activating {' '.join(modules)} failed:\n{log}"


@pytest.mark.parametrize('module', _addons())
def test_depends_are_declared(module):
    "Every module named in depends or extras_depend is a known module"
    installed = _installed_modules() | set(_addons())
    unknown = [m for m in _listed(module, 'depends')
        if m not in installed]
    assert not unknown, f"{module} depends on unknown modules {unknown}"
