"""Safe defaults: nothing set means no debug pages, and a WSGI server without settings is production.

``make serve`` (what ``make run`` ends with) is started for real, on a free
port, with nothing set but where its database, index, key and collected
static files live (all in a temp folder, the static one empty).
"""

import http.client
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")


def clean_env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    (tmp_path / "static").mkdir(exist_ok=True)
    return {
        **env, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SEARCH_INDEX_PATH": str(tmp_path / "index"),
        "DJANGO_SECRET_KEY_FILE": str(tmp_path / "secret_key"), "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        **extra,
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, language="fa"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Language": language})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


class Served:
    """``make serve`` in its own process group, stopped (that group only) on exit."""

    def __init__(self, env, *make_args):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "serve", "HOST=127.0.0.1", f"PORT={self.port}", *make_args],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"make serve stopped: {self.process.stdout.read().decode()[-2000:]}")
            try:
                get(self.port, "/robots.txt")
                return self
            except OSError:
                time.sleep(0.2)
        pytest.fail("make serve did not answer within 60 s")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.mark.slow
def test_make_serve_shows_readers_the_localized_pages_with_static_files(tmp_path):
    env = clean_env(tmp_path)
    with Served(env) as server:
        for language, title in (("fa", "صفحه پیدا نشد"), ("ar", "الصفحة غير موجودة")):
            status, page = get(server.port, "/no-such-page/", language)
            assert status == 404
            assert title in page and "URLconf" not in page and "Traceback" not in page
        status, css = get(server.port, "/static/css/site.css")
        assert status == 200 and css.strip()
    key_file = tmp_path / "secret_key"
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    with Served(env, "DEBUG=1") as server:  # the documented switch: Django's debug page
        status, page = get(server.port, "/no-such-page/")
        assert status == 404 and "URLconf" in page


def manage(tmp_path, code, **extra):
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=clean_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def test_manage_py_without_settings_has_debug_off_and_keeps_its_own_key(tmp_path):
    code = "from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)"
    first = manage(tmp_path, code)
    debug, key = first.stdout.split()[-2:]
    assert debug == "False", first.stderr
    assert key == (tmp_path / "secret_key").read_text().strip()
    assert manage(tmp_path, code).stdout.split()[-1] == key  # the same key at the next start
    assert manage(tmp_path, code, DJANGO_DEBUG="1").stdout.split()[-2] == "True"


def wsgi(tmp_path, **extra):
    code = "import newsportal.wsgi; from django.conf import settings as s; print(s.SETTINGS_MODULE, s.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean_env(tmp_path, **extra),
                          capture_output=True, text=True, timeout=120)


def test_a_wsgi_server_without_settings_refuses_to_start_without_a_key(tmp_path):
    refused = wsgi(tmp_path)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in refused.stderr
    started = wsgi(tmp_path, DJANGO_SECRET_KEY="k" * 60, DJANGO_DEBUG="1")
    assert started.stdout.split()[-2:] == ["newsportal.settings_production", "False"], started.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_the_article_api_answers_a_missing_article_in_json(client, db, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/articles/999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not found"}
