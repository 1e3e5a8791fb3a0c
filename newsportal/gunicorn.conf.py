"""gunicorn settings for production: ``gunicorn -c newsportal/gunicorn.conf.py newsportal.wsgi``.

Every value can be changed through the environment (``GUNICORN_*``) or on
the command line.  The defaults suit a small machine behind a reverse proxy
that buffers slow clients, so plain sync workers are enough.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Search and page rendering are CPU-bound Python: one process per core;
# threads would only queue behind the GIL.
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count())))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Load Django (and open the Whoosh index) once, before forking, so workers
# share those pages of memory and start at once.
preload_app = True
# A search is bounded by its own time limit; anything slower than this is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak can never grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
