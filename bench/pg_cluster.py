"""A throw-away PostgreSQL cluster for the benchmarks.

The recipe of .ci/run: ``initdb`` in a temporary directory, trust
authentication on 127.0.0.1, run as the user ``postgres`` when we are
root (the server refuses to run as root), removed on exit.  Unlike CI,
fsync stays on: the benchmarks commit per batch as a real import does.

    with cluster() as uri:      # 'postgresql://postgres@127.0.0.1:PORT/'
        ...

    python bench/pg_cluster.py  # start one, print its URI, wait for Ctrl-C
"""
import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile

SETTINGS = [
    'listen_addresses=127.0.0.1',
    'max_connections=50',
    'shared_buffers=256MB',
    'work_mem=32MB',
    'maintenance_work_mem=128MB',
    ]


def pg_bin():
    "The newest installed server binaries (Debian layout)."
    found = sorted(glob.glob('/usr/lib/postgresql/*/bin/initdb'),
        key=lambda p: int(p.split('/')[4]))
    if not found:
        raise RuntimeError(
            "no PostgreSQL server binaries under /usr/lib/postgresql; "
            "apt-get install postgresql, or give --pg-uri")
    return os.path.dirname(found[-1])


def free_port(start=55460):
    for port in range(start, start + 100):
        with socket.socket() as sock:
            try:
                sock.bind(('127.0.0.1', port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port")


def _as_postgres(directory):
    if os.getuid() != 0:
        return []
    try:
        pwd.getpwnam('postgres')
    except KeyError:
        subprocess.run(['useradd', '--system', '--home-dir', directory,
                'postgres'], check=True)
    shutil.chown(directory, 'postgres')
    return ['runuser', '-u', 'postgres', '--']


@contextlib.contextmanager
def cluster(port=None):
    "Start a cluster; yield its URI; stop and remove it on exit."
    binaries = pg_bin()
    port = port or free_port()
    directory = tempfile.mkdtemp(prefix='ecrm-bench-pg.')
    os.chmod(directory, 0o755)
    as_pg = _as_postgres(directory)
    data = os.path.join(directory, 'data')
    log = os.path.join(directory, 'server.log')
    options = ' '.join(['-p %d' % port, '-k ' + directory]
        + ['-c ' + s for s in SETTINGS])
    started = False
    try:
        subprocess.run(as_pg + [os.path.join(binaries, 'initdb'),
                '-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8',
                '--no-locale'], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_pg + [os.path.join(binaries, 'pg_ctl'),
                '-D', data, '-l', log, '-w', '-t', '60', '-o', options,
                'start'], check=True, stdout=subprocess.DEVNULL)
        started = True
        yield 'postgresql://postgres@127.0.0.1:%d/' % port
    finally:
        if started:
            subprocess.run(as_pg + [os.path.join(binaries, 'pg_ctl'),
                    '-D', data, '-m', 'fast', 'stop'],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(directory, ignore_errors=True)


def main():
    with cluster() as uri:
        print(uri, flush=True)
        try:
            sys.stdin.read() if not sys.stdin.isatty() else input()
        except (KeyboardInterrupt, EOFError):
            pass


if __name__ == '__main__':
    main()
