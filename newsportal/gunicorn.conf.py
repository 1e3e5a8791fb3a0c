"""gunicorn settings for production: ``gunicorn -c newsportal/gunicorn.conf.py newsportal.wsgi``.

Every value can be changed through the environment (``GUNICORN_*``) or on
the command line.  The defaults suit a small machine behind a reverse proxy
that buffers slow clients (nginx does by default), so plain sync workers are
enough.

Reading this file also collects the static files (``manage.py
collectstatic``): production serves hashed, compressed copies of them
(settings_production), and with ``preload_app`` the app, and whitenoise's
list of files, loads right after the configuration.  A deployment that
collects them while building sets ``GUNICORN_COLLECTSTATIC=0``.
"""

import fcntl
import gc
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name, default):
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Rendering a page and running a search are CPU-bound Python: one process per
# core uses every core, and threads in a process only take turns on its GIL.
# On 2 busy cores (bench/page_speed.py, article page), 2 sync workers served
# 190-260 requests/s rendered and 1,150 from the page cache; 2 gthread workers
# of 2 threads 90-120 and 720-930, for the same CPU per request (more sync
# workers or threads: no better).  Threads pay off only where requests wait,
# e.g. on a database across a network: GUNICORN_WORKER_CLASS=gthread
# GUNICORN_THREADS=2 (gthread also keeps connections alive, see keepalive).
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count())))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Load Django (and open the Whoosh index) once, before forking, so workers
# share those pages of memory and start at once.
preload_app = _env_bool("GUNICORN_PRELOAD", True)
# A search is bounded by its own time limit; anything slower than this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Only the threaded and async workers keep connections open between requests
# (sync workers answer one and close); 5 s outlasts a proxy's reuse of a
# connection between two requests of a page.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never grow without bound;
# the jitter keeps both workers from restarting at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))
# Workers prove they are alive by touching a file every second; on a
# disk-backed /tmp (a container's overlay) that write can stall a worker, on
# /dev/shm it is memory only.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or ("/dev/shm" if os.path.isdir("/dev/shm") else None)
# gunicorn's control socket (``gunicornc``) sits at one path per user, so two
# servers of one user (a site and a test run) would take it from each other;
# nothing here uses it.
control_socket_disable = not _env_bool("GUNICORN_CONTROL_SOCKET", False)
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")


def collect_static():
    """Run ``collectstatic`` (one server at a time: two would overwrite each other's files)."""
    (ROOT / "var").mkdir(exist_ok=True)
    with open(ROOT / "var" / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, check=True)


def on_starting(server):
    """Retire the pages the previous server cached: this one may run newer code or
    templates.  Import the Arabic root stemmer, which takes seconds: once here, for
    the workers forked after to share, not in each worker's first Arabic search."""
    from django.apps import apps

    if apps.ready:  # with preload_app; otherwise they expire within PAGE_CACHE_SECONDS
        from articles.text import roots
        from pagecache import stamp

        stamp.renew()
        roots.isri()


def pre_fork(server, worker):
    """Move everything the master holds (Django, the loaded app, the index's readers) out of
    reach of the cyclic collector before each fork (``gc.freeze``, as Python's documentation
    advises for a pre-forking server).  Otherwise a worker's first full collection writes to
    every one of those objects' headers and so copies their pages: each worker would own a
    copy of what ``preload_app`` loaded once for all, and its full collections would walk it
    all again (``bench/server_speed.py``'s workers' memory)."""
    gc.freeze()


if _env_bool("GUNICORN_COLLECTSTATIC", True):
    collect_static()
