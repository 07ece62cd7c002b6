# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""A real trytond server on a fresh database, for the cross-module tests.

``running_server()`` is a context manager that

1. writes a configuration file into a temporary directory: SQLite in that
   directory, or the PostgreSQL server named by TRYTOND_DATABASE__URI (the
   database gets a unique name and is dropped at the end); [web] root is the
   sao web client in var/sao;
2. creates the database and initialises it as an administrator would:
   ``trytond-admin --all -u crm_core --activate-dependencies -l zh_CN``
   (admin password through TRYTONPASSFILE), then ``setup/configure.py``
   (currency, company, the admin's groups and the zh_CN user "demo");
3. starts ``trytond -c CONF -d NAME`` on 127.0.0.1 and a free port, waits
   until it answers and yields a ``Server``;
4. stops the process (also when the body fails), drops the database and
   removes the temporary directory.

Every step has a time limit; a failing step raises ``ServerError`` with the
end of its output or of the server log.

``Server.command()`` runs another program against the same database and
configuration, as a second process of the deployment would (e.g.
``trytond-cron --once``).
"""
import base64
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SAO = ROOT / 'var' / 'sao'
ADMIN_PASSWORD = 'admin-' + secrets.token_hex(6)
DEMO_LOGIN = 'demo'
DEMO_PASSWORD = 'demo-' + secrets.token_hex(6)
SETUP_TIMEOUT = 15 * 60
START_TIMEOUT = 90
STOP_TIMEOUT = 15
RPC_TIMEOUT = 120
# Variables a developer's shell may hold that would change which database
# or configuration the child processes use; the configuration file says it.
_PRIVATE_ENVIRON = {'DB_NAME', 'DB_CACHE', 'TRYTOND_CONFIG', 'TRYTONPASSFILE'}


class ServerError(Exception):
    pass


class _Unmarshaller(xmlrpc.client.Unmarshaller):
    "Also reads the <bigdecimal> of trytond's Numeric fields."
    dispatch = dict(xmlrpc.client.Unmarshaller.dispatch)

    def end_bigdecimal(self, data):
        self.append(Decimal(data))
        self._value = 0
    dispatch['bigdecimal'] = end_bigdecimal


class _Transport(xmlrpc.client.Transport):

    def __init__(self, timeout, authorization=None):
        super().__init__(use_builtin_types=True)
        self._timeout = timeout
        self._authorization = authorization

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection

    def send_headers(self, connection, headers):
        if self._authorization:
            headers = [*headers, ('Authorization', self._authorization)]
        super().send_headers(connection, headers)

    def getparser(self):
        unmarshaller = _Unmarshaller(
            use_datetime=self._use_datetime,
            use_builtin_types=self._use_builtin_types)
        return xmlrpc.client.ExpatParser(unmarshaller), unmarshaller


def proxy(url, timeout=RPC_TIMEOUT, authorization=None):
    return xmlrpc.client.ServerProxy(
        url, transport=_Transport(timeout, authorization), allow_none=True)


class Client:
    """One user's XML-RPC connection, sending with every call the context
    that the user's preferences give (language, company...):

        client('party.party', 'search', [], 0, None, None)

    It logs in once (common.db.login) and sends the session, as Tryton's
    clients do; basic=True sends login and password with every call
    instead (HTTP basic auth, http://LOGIN:PASSWORD@HOST:PORT/DB/rpc/),
    which costs a password check per call.
    """

    def __init__(self, url, login, password, basic=False, context=None):
        self.url, self.login, self.password = url, login, password
        if basic:
            scheme, address = url.split('://', 1)
            self.proxy = proxy(f'{scheme}://{login}:{password}@{address}')
        else:
            user_id, key, *_ = proxy(url).common.db.login(
                login, {'password': password}, 'en')
            token = base64.b64encode(
                f'{login}:{user_id}:{key}'.encode()).decode()
            self.proxy = proxy(url, authorization=f'Session {token}')
        if context is None:
            context = self.proxy.model.res.user.get_preferences(True, {})
        self.context = context

    def __call__(self, model, method, *args):
        return getattr(self.proxy, f'model.{model}.{method}')(
            *args, self.context)

    def get_id(self, name):
        "The database id of the record with XML id 'module.fs_id'."
        return self.proxy.model.ir.model.data.get_id(
            *name.split('.', 1), self.context)


@dataclass
class Server:
    "What a test needs to reach the running server"
    url: str
    database: str
    backend: str
    log: Path
    admin_password: str = ADMIN_PASSWORD
    demo_login: str = DEMO_LOGIN
    demo_password: str = DEMO_PASSWORD
    config: Path | None = None
    environ: dict = field(default_factory=dict, repr=False)
    # kill(): SIGKILL trytond, as a crash would; restart(): start it again
    kill: object = field(default=None, repr=False)
    restart: object = field(default=None, repr=False)

    @property
    def rpc_url(self):
        "The XML-RPC and JSON-RPC address of the database"
        return f'{self.url}{self.database}/rpc/'

    def client(self, login, password, basic=False, **context):
        "A Client of the user, its context updated with context."
        client = Client(self.rpc_url, login, password, basic=basic)
        client.context.update(context)
        return client

    def admin(self, **context):
        return self.client('admin', self.admin_password, **context)

    def command(self, *cmd, timeout=RPC_TIMEOUT):
        """Run cmd with the server's environment, e.g.
        (BIN / 'trytond-cron', '-c', server.config, '-d', server.database,
        '--once'); return its output, raise ServerError if it fails."""
        return _run(cmd, self.environ, timeout=timeout)

    def log_tail(self, lines=60):
        try:
            text = self.log.read_text(errors='replace')
        except OSError as exception:
            return f'(no server log: {exception})'
        return '\n'.join(text.splitlines()[-lines:])

    def create_user(self, login, password, groups=(), language='en'):
        """Create a user of the company, as configure.py does for "demo",
        in the groups named 'module.fs_id'; return its id."""
        admin = self.admin()
        company_ids = admin(
            'company.company', 'search', [], 0, 1, [('id', 'ASC')])
        language_ids = admin(
            'ir.lang', 'search', [('code', '=', language)], 0, 1, None)
        values = {
            'login': login,
            'name': login.title(),
            'password': password,
            'language': language_ids[0] if language_ids else None,
            'groups': [('add', [admin.get_id(g) for g in groups])],
            }
        if company_ids:
            values.update(
                companies=[('add', company_ids)], company=company_ids[0])
        user_id, = admin('res.user', 'create', [values])
        return user_id


def database_uri():
    "The PostgreSQL server of TRYTOND_DATABASE__URI, or '' for SQLite."
    uri = os.environ.get('TRYTOND_DATABASE__URI', '')
    return uri if uri.startswith('postgresql') else ''


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _write_config(path, directory, uri, port):
    database = [f'path = {directory}', 'language = en']
    if uri:
        database.insert(0, f'uri = {uri}')
    path.write_text('\n'.join([
                '# written by tests/server.py for one test session',
                '[database]', *database, '',
                '[web]', f'listen = 127.0.0.1:{port}', f'root = {SAO}', '',
                '[session]', 'timeout = 3600', '',
                '[password]', 'length = 8', '',
                ]))


def _environ(passfile):
    env = {k: v for k, v in os.environ.items()
        if not k.startswith('TRYTOND_') and k not in _PRIVATE_ENVIRON}
    env['TRYTONPASSFILE'] = str(passfile)
    return env


def _run(cmd, env, timeout=SETUP_TIMEOUT):
    "Run a setup command; its output goes into the ServerError if it fails"
    cmd = [str(c) for c in cmd]
    try:
        process = subprocess.run(
            cmd, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=timeout)
    except subprocess.TimeoutExpired as exception:
        raise ServerError(
            f'timeout after {timeout}s: {" ".join(cmd)}\n'
            f'{_text(exception.output)[-4000:]}') from exception
    if process.returncode:
        raise ServerError(
            f'exit {process.returncode}: {" ".join(cmd)}\n'
            f'{process.stdout[-4000:]}')
    return process.stdout


def _text(output):
    if isinstance(output, bytes):
        return output.decode(errors='replace')
    return output or ''


def _answers(url):
    try:
        return bool(proxy(url + 'rpc/', timeout=5).common.server.version())
    except (OSError, xmlrpc.client.Error):
        return False


def _die_with_parent():
    "Linux: SIGTERM the server when the test process dies unexpectedly."
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(process):
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT)


def _start(config, database, env, log, port):
    """Start trytond; return the process once it answers on port, or None
    when the port was taken meanwhile."""
    with open(log, 'wb') as output:
        process = subprocess.Popen(
            [BIN / 'trytond', '-c', config, '-d', database, '-vv'],
            env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent)
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                if 'Address already in use' in log.read_text(
                        errors='replace'):
                    return None
                raise ServerError(f'trytond exited with {process.returncode}')
            if _answers(f'http://127.0.0.1:{port}/'):
                return process
            time.sleep(0.2)
        raise ServerError(f'trytond did not answer in {START_TIMEOUT}s')
    except BaseException:
        _stop(process)
        raise


def _prepare(dbtool, config, database, env, modules, languages):
    "Create the database, activate the modules, set company and users up."
    admin = [BIN / 'trytond-admin', '-c', config, '-d', database]
    configure = [sys.executable, ROOT / 'setup' / 'configure.py',
        '-c', config, '-d', database]
    _run([*dbtool, 'create', '-d', database], env)
    _run(admin + ['--all', '-u', *modules, '--activate-dependencies',
            '-l', *languages, '--email', 'admin@example.com'], env)
    _run([*configure, '--demo-password', DEMO_PASSWORD], env)


@contextmanager
def running_server(modules=('crm_core',), languages=('zh_CN',)):
    uri = database_uri()
    with tempfile.TemporaryDirectory(prefix='ecrm-server-') as tmp:
        tmp = Path(tmp)
        server = Server(
            url='',
            database=f'ecrm_test_{os.getpid()}_{secrets.token_hex(3)}',
            backend='postgresql' if uri else 'sqlite',
            log=tmp / 'trytond.log')
        config = tmp / 'trytond.conf'
        passfile = tmp / 'admin-password'
        passfile.write_text(ADMIN_PASSWORD + '\n')
        env = _environ(passfile)
        server.config, server.environ = config, env
        dbtool = [sys.executable, ROOT / 'setup' / 'dbtool.py', '-c', config]
        process = None
        try:
            _write_config(config, tmp, uri, 0)
            _prepare(dbtool, config, server.database, env, modules,
                languages)
            for _ in range(5):
                port = free_port()
                _write_config(config, tmp, uri, port)
                try:
                    process = _start(config, server.database, env,
                        server.log, port)
                except ServerError as exception:
                    raise ServerError(f'{exception}\n--- server log ---\n'
                        f'{server.log_tail()}') from exception
                if process:
                    break
            else:
                raise ServerError('no free port for trytond')
            server.url = f'http://127.0.0.1:{port}/'

            def kill():
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(STOP_TIMEOUT)

            def restart():
                nonlocal process
                process = _start(config, server.database, env,
                    server.log, port)
                if process is None:
                    raise ServerError(f'port {port} is taken')
            server.kill, server.restart = kill, restart
            yield server
        finally:
            if process:
                _stop(process)
            if server.backend == 'postgresql':
                _run([*dbtool, 'drop', '-d', server.database], env,
                    timeout=120)
