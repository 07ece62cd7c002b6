# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""pytest glue for Tryton module tests (loaded for every pytest run here).

- Test files under addons/<module>/tests/ are imported under their installed
  name, trytond.modules.<module>.tests.<file>, exactly as Tryton's own
  ``python -m unittest`` run imports them (no second copy of the module).
- A test file with a ``load_tests`` function (Tryton's scenario doctests,
  ``load_doc_tests``) gets one pytest item per test that function returns
  beyond the TestCase classes pytest finds by itself.
- Environment defaults for trytond.tests.test_tryton, set before it is
  imported: DB_CACHE=var/test-cache/<hash of the addons' sources> (activated
  test databases are reused between runs until an addon changes) and
  TEST_NETWORK=0.  Set DB_CACHE= (empty) to disable the cache.
"""
import doctest
import hashlib
import importlib
import os
import shutil
import time
import unittest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
ADDONS = ROOT / 'addons'
_SOURCE_SUFFIXES = {'.py', '.xml', '.cfg', '.po', '.rst', '.json', '.toml'}


def _addons_digest():
    digest = hashlib.sha256()
    for path in sorted(ADDONS.rglob('*')):
        relative = path.relative_to(ADDONS)
        if (not path.is_file() or path.suffix not in _SOURCE_SUFFIXES
                or 'tests' in relative.parts
                or '__pycache__' in relative.parts
                or any(p.endswith('.egg-info') for p in relative.parts)):
            continue
        digest.update(str(relative).encode())
        digest.update(path.read_bytes())
    try:
        from importlib.metadata import distributions
        digest.update(repr(sorted(
                    (d.metadata['Name'] or '', d.version)
                    for d in distributions()
                    if 'tryton' in (d.metadata['Name'] or '').lower())
                ).encode())
    except Exception:
        pass
    return digest.hexdigest()[:16]


def _set_test_environment():
    os.environ.setdefault('TEST_NETWORK', '0')
    if 'DB_CACHE' in os.environ:
        if not os.environ['DB_CACHE']:
            del os.environ['DB_CACHE']
        return
    base = ROOT / 'var' / 'test-cache'
    cache = base / _addons_digest()
    if base.is_dir():
        # caches of older sources are of no more use; keep those of the last
        # day, another pytest run may be using one
        for old in base.iterdir():
            if (old != cache and old.is_dir()
                    and time.time() - old.stat().st_mtime > 24 * 60 * 60):
                shutil.rmtree(old, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    os.environ['DB_CACHE'] = str(cache)


_set_test_environment()


def _tryton_module_name(path):
    """trytond.modules.<m>.tests.<stem> for addons/<m>/tests/<stem>.py"""
    try:
        relative = Path(path).resolve().relative_to(ADDONS)
    except ValueError:
        return None
    parts = relative.with_suffix('').parts
    if len(parts) >= 3 and parts[1] == 'tests':
        return '.'.join(('trytond', 'modules') + parts)
    return None


class TrytonTestFailure(Exception):
    pass


class UnittestItem(pytest.Item):
    """Run one unittest test (e.g. a scenario doctest) as a pytest item."""

    def __init__(self, *, case, **kwargs):
        super().__init__(**kwargs)
        self.case = case

    def runtest(self):
        result = unittest.TestResult()
        self.case(result)
        problems = result.errors + result.failures
        if problems:
            raise TrytonTestFailure('\n'.join(text for _, text in problems))
        if result.skipped:
            pytest.skip(result.skipped[0][1])

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, TrytonTestFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, self.name


def _flatten(suite):
    for test in suite:
        if isinstance(test, unittest.TestSuite):
            yield from _flatten(test)
        else:
            yield test


class TrytonModule(pytest.Module):

    def _getobj(self):
        name = _tryton_module_name(self.path)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            # the addon is not installed (pip install -e addons/<m>)
            return super()._getobj()
        if Path(module.__file__).resolve() != Path(self.path).resolve():
            return super()._getobj()
        return module

    def collect(self):
        items = list(super().collect())
        load_tests = getattr(self.obj, 'load_tests', None)
        if not callable(load_tests):
            return items
        suite = load_tests(unittest.TestLoader(), unittest.TestSuite(), None)
        seen = {}
        for case in _flatten(suite or []):
            if not isinstance(case, doctest.DocTestCase):
                # TestCase classes are collected by pytest itself
                continue
            name = os.path.basename(case._dt_test.filename or case.id())
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f'{name}[{seen[name]}]'
            items.append(UnittestItem.from_parent(self, name=name, case=case))
        return items


def pytest_pycollect_makemodule(module_path, parent):
    if _tryton_module_name(module_path):
        return TrytonModule.from_parent(parent, path=module_path)
    return None
