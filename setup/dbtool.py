#!/usr/bin/env python3
"""Database chores for setup/run.sh and the cross-module tests.

Works the same on SQLite and PostgreSQL: the backend comes from the
configuration files given with -c and from TRYTOND_<SECTION>__<OPTION>
environment variables, which here override the files (trytond itself lets a
file win over the environment).

    dbtool.py -c CONF backend                  print sqlite or postgresql
    dbtool.py -c CONF get SECTION OPTION       print one configuration value
    dbtool.py -c CONF create -d NAME           create the database if missing
    dbtool.py -c CONF initialized -d NAME      exit 0 if it holds Tryton tables
    dbtool.py -c CONF drop -d NAME             drop the database (if present)
    dbtool.py -c CONF states -d NAME           JSON {module: state}
    dbtool.py -c CONF verify -d NAME MODULE..  check activation (see verify)
"""
import argparse
import json
import os
import sys


def load_config(files):
    from trytond import config
    config.update_etc([f for f in files if f])
    # the environment wins over the files, as documented for eCRM
    config._config.update_environ()
    config._cache_clear()
    return config


def backend_name():
    from trytond import backend
    return backend.name


def sqlite_file(name):
    from trytond import config
    path = config.get('database', 'path')
    return os.path.join(os.path.abspath(path), name + '.sqlite')


def _pg_exists(connection, name):
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,))
        return cursor.fetchone() is not None


def create(name):
    """Create an empty database; return True if it was created."""
    if backend_name() == 'sqlite':
        filename = sqlite_file(name)
        if os.path.exists(filename):
            return False
        os.makedirs(os.path.dirname(filename), exist_ok=True)
        open(filename, 'a').close()
        return True
    from trytond import backend
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        if _pg_exists(connection, name):
            return False
        database.create(connection, name)
        return True
    finally:
        database.put_connection(connection)
        database.close()


def drop(name):
    if backend_name() == 'sqlite':
        filename = sqlite_file(name)
        if os.path.exists(filename):
            os.remove(filename)
            return True
        return False
    from psycopg.sql import SQL, Identifier

    from trytond import backend
    database = backend.Database()
    database.connect()
    connection = database.get_connection(autocommit=True)
    try:
        if not _pg_exists(connection, name):
            return False
        with connection.cursor() as cursor:
            cursor.execute(SQL('DROP DATABASE {} WITH (FORCE)').format(
                    Identifier(name)))
        return True
    finally:
        database.put_connection(connection)
        database.close()


def initialized(name):
    from trytond import backend
    if backend_name() == 'sqlite' and not os.path.exists(sqlite_file(name)):
        return False
    try:
        database = backend.Database(name).connect()
    except Exception:
        return False
    return bool(database.test())


def states(name):
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    Pool(name).init()
    with Transaction().start(name, 0, readonly=True):
        Module = Pool().get('ir.module')
        return {m.name: m.state for m in Module.search([])}


def verify(name, modules):
    """Check that each module and all it depends on are activated, that
    the registry loads, and that one model of each module can be searched.
    Return (problems, {module: searched model}); no problems: all is well."""
    from trytond.model import ModelStorage
    from trytond.pool import Pool
    from trytond.transaction import Transaction
    pool = Pool(name)
    pool.init()
    problems, searched_models = [], {}
    with Transaction().start(name, 0, readonly=True):
        Module = pool.get('ir.module')
        Model = pool.get('ir.model')
        by_name = {m.name: m for m in Module.search([])}
        todo, seen = list(modules), set()
        while todo:
            module = todo.pop()
            if module in seen:
                continue
            seen.add(module)
            record = by_name.get(module)
            if record is None:
                problems.append(f'{module}: unknown module')
                continue
            if record.state != 'activated':
                problems.append(f'{module}: state {record.state}')
            todo.extend(d.name for d in record.dependencies)
        for module in modules:
            searched = None
            for model in Model.search([('module', '=', module)],
                    order=[('name', 'ASC')]):
                try:
                    Class = pool.get(model.name)
                except KeyError:
                    problems.append(f'{module}: {model.name} not in pool')
                    break
                if (issubclass(Class, ModelStorage)
                        and not getattr(Class, '__abstract__', False)):
                    try:
                        Class.search([], limit=1)
                    except Exception as exception:
                        problems.append(
                            f'{module}: search {model.name}: {exception!r}')
                    searched = searched_models[module] = model.name
                    break
            if searched is None:
                # a module that only extends: its data must be loaded
                ModelData = pool.get('ir.model.data')
                ModelData.search([('module', '=', module)], limit=1)
                searched_models[module] = 'ir.model.data'
    return problems, searched_models


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('-c', '--config', action='append',
        help="configuration file (repeat for several)")
    parser.add_argument('-d', '--database')
    parser.add_argument('command', choices=[
            'backend', 'get', 'create', 'initialized', 'drop', 'states',
            'verify'])
    parser.add_argument('args', nargs='*')
    options = parser.parse_intermixed_args(argv)
    load_config(options.config or [os.environ.get('TRYTOND_CONFIG', '')])
    if options.command == 'backend':
        print(backend_name())
        return 0
    if options.command == 'get':
        from trytond import config
        section, option = options.args
        print(config.get(section, option, default=''))
        return 0
    if not options.database:
        parser.error('-d DATABASE is required')
    name = options.database
    if options.command == 'create':
        print('created' if create(name) else 'exists')
    elif options.command == 'drop':
        print('dropped' if drop(name) else 'absent')
    elif options.command == 'initialized':
        return 0 if initialized(name) else 1
    elif options.command == 'states':
        print(json.dumps(states(name), sort_keys=True))
    elif options.command == 'verify':
        problems, searched = verify(name, options.args)
        for problem in problems:
            print(problem)
        if problems:
            return 1
        print('ok: ' + ', '.join(
                f'{m} (searched {searched.get(m)})' for m in options.args))
    return 0


if __name__ == '__main__':
    sys.exit(main())
