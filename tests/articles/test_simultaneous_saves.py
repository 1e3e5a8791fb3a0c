"""Two editors posting the same article's change form at the same moment, over HTTP.

Both opened the article at the same version; gunicorn (three workers, the
production settings) takes both posts at once.  Exactly one is saved, the
other gets its form back with the "someone else saved" message, nothing is
lost and nothing is a 5xx, twenty times in a row, on SQLite (WAL, writers
wait their turn) and on PostgreSQL (the row is locked from the check to
the commit).  On the suite's PostgreSQL when DATABASE_URL names one.
"""

import html
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie

import pytest

from tests.articles.test_concurrency import free_port, manage, site_database, site_env, start_gunicorn  # noqa: F401

TRIALS = 20
STALE_FA = "کس دیگری پس از باز کردن شما این خبر را ذخیره کرده است"
SETUP = """
from django.contrib.auth.models import User
from articles.models import Article
User.objects.create_superuser("editor", password="a-long-editor-password")
article = Article.objects.create(title="خبر ویرایش همزمان", body="متن خبر درباره باکو.\\n\\nپاراگراف دوم.",
                                 language="fa", status="published")
print(article.pk)
"""


class FormFields(HTMLParser):
    """What a browser would post from the form ``form_id``: inputs, checked boxes, textareas, selections."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.data, self._textarea, self._select = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and name and a.get("type") not in ("submit", "file", "checkbox", "radio"):
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea, self.data[name] = name, ""
        elif tag == "select" and name:
            self._select, self.data[name] = name, ""
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Editor:
    """An admin session over plain HTTP (the production cookies are Secure, so kept by hand)."""

    def __init__(self, base):
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Origin": self.base}
        try:
            response = self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers), timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                self.cookies.update((k, m.value) for k, m in SimpleCookie(header).items())
            return response.status, response.read().decode()

    def form(self, path, form_id):
        status, page = self.request(path)
        assert status == 200, (status, page[:500])
        fields = FormFields(form_id)
        fields.feed(page)
        return fields.data

    def log_in(self):
        data = self.form("/admin/login/", "login-form")
        data.update(username="editor", password="a-long-editor-password", next="/admin/")
        status, page = self.request("/admin/login/", data)
        assert status == 302, page[:500]


def post_together(editors, path, forms):
    """Post each editor's form at the same moment; their (status, page)s."""
    start, results = threading.Barrier(len(editors)), [None] * len(editors)

    def post(n):
        start.wait()
        results[n] = editors[n].request(path, forms[n])

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(editors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    return results


def current_title(env, pk):
    result = manage(env, "shell", "-c", f"from articles.models import Article; print(Article.objects.get(pk={pk}).title)")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1]


@pytest.mark.slow
def test_two_editors_saving_at_once_lose_no_edit(tmp_path, site_database):  # noqa: F811
    env = site_env(tmp_path, site_database)
    for args in (("migrate", "--noinput"), ("shell", "-c", SETUP)):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    pk = int(result.stdout.split()[-1])
    port = free_port()
    server = start_gunicorn(env, port, workers=3)
    path = f"/admin/articles/article/{pk}/change/"
    outcomes = []
    try:
        editors = [Editor(f"http://127.0.0.1:{port}") for _ in range(2)]
        for editor in editors:
            editor.log_in()
        for trial in range(TRIALS):
            forms = [editor.form(path, "article_form") for editor in editors]
            assert forms[0]["seen"] == forms[1]["seen"]  # both opened the same version
            for n, form in enumerate(forms):
                form.update(title=f"عنوان ویراستار {n} در نوبت {trial}", _save="1")
            outcomes.append(post_together(editors, path, forms))
        titles = current_title(env, pk)
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert [s for results in outcomes for s, _ in results if s >= 500] == []
    saved = [[n for n, (status, _) in enumerate(results) if status == 302] for results in outcomes]
    assert all(len(winners) == 1 for winners in saved), saved  # two 302s: one edit silently lost
    for results, (winner,) in zip(outcomes, saved, strict=True):
        status, page = results[1 - winner]
        assert status == 200 and STALE_FA in html.unescape(page), page[:2000]
        assert re.search(r'class="errornote"', page)
    assert titles == f"عنوان ویراستار {saved[-1][0]} در نوبت {TRIALS - 1}"
