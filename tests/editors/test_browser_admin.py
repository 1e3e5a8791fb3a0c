"""An editor adds an article through the real admin form in Chromium and finds it on the site."""

import pytest
from django.contrib.auth.models import Group, User

from articles.models import Article
from editors.roles import EDITORS_GROUP
from tests import factories

pytestmark = pytest.mark.browser
PASSWORD = "a-long-editor-password"


def test_an_editor_adds_an_article_and_finds_it(page, live_server, clean_index, screenshot_dir):
    editor = User.objects.create_user("sara", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))

    page.goto(live_server.url + "/admin/login/?next=/admin/articles/article/add/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_username", "sara")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.locator("#id_title").press_sequentially("میانجیگری تهران میان باکو و ایروان")
    # the slug is filled in from the title, Persian letters kept
    assert page.input_value("#id_slug").startswith("میانجیگری-تهران")
    page.fill("#id_body", "وزير امور خارجه ايران گفت تهران آماده میانجیگری است.\n\nاین سفر دو روز طول می‌کشد.")
    page.fill("#id_published", "۱۴۰۰/۰۸/۱۰ ۲۳:۵۶")
    page.select_option("#id_status", "published")
    page.screenshot(path=screenshot_dir / "admin-article-add.png", full_page=True)
    page.click("input[name=_save]")

    # saved, with the orthography warning (Arabic ي typed) and its button
    warning = page.locator(".messagelist .warning")
    assert "ي ← ی" in warning.inner_text()
    page.screenshot(path=screenshot_dir / "admin-article-list-warning.png", full_page=True)
    warning.locator("button").click()
    assert "2" in page.locator(".messagelist .success").inner_text()  # two letters normalised
    article = Article.objects.get()
    assert article.body.startswith("وزیر امور خارجه ایران")
    page.screenshot(path=screenshot_dir / "admin-article-change.png", full_page=True)

    # the public search box, typed with Arabic ي as some keyboards do
    page.goto(live_server.url + "/")
    page.fill("#site-search", "ميانجيگري")
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search/?q=*")
    page.screenshot(path=screenshot_dir / "admin-article-found.png", full_page=True)
    page.get_by_role("link", name="میانجیگری تهران میان باکو و ایروان").first.click()
    assert "آماده میانجیگری است" in page.locator("article").inner_text()
    page.screenshot(path=screenshot_dir / "admin-published-article.png", full_page=True)


def test_admin_pages_look_right(page, live_server, seeded, screenshot_dir):
    User.objects.create_superuser("admin", password=PASSWORD)
    # widgets broken by the Content-Security-Policy or by script errors show up here
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(f"{message.text} {message.location}"))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("response", lambda response: response.status >= 400 and problems.append(response.url))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    for name, url in [("index", "/admin/"), ("articles", "/admin/articles/article/"),
                      ("upload", "/admin/articles/article/upload/"),
                      ("article", f"/admin/articles/article/{Article.objects.first().pk}/change/")]:
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("dir") == "rtl"
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Vazirmatn" in font
        page.screenshot(path=screenshot_dir / f"admin-{name}.png", full_page=True)
    assert problems == []


def test_an_editor_uploads_a_zip_and_reads_the_report(page, live_server, clean_index, screenshot_dir, tmp_path):
    from tests.editors.test_admin_upload import SEED, zipped

    editor = User.objects.create_user("sara", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    archive = tmp_path / "agency.zip"
    archive.write_bytes(zipped({"000.txt": SEED.read_bytes(), "broken.txt": b"\x00\x01binary\x00" * 40}))
    page.goto(live_server.url + "/admin/login/?next=/admin/articles/article/upload/")
    page.fill("#id_username", "sara")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.set_input_files("#id_files", str(archive))
    page.click("input[type=submit].default")
    rows = page.locator(".upload-report tbody tr")
    assert rows.count() == 2
    assert "دودویی" in rows.nth(1).inner_text()  # "binary", in the editor's Persian
    page.screenshot(path=screenshot_dir / "admin-upload-report.png", full_page=True)
    assert Article.objects.count() == 1


def test_an_editor_adds_a_name_as_an_alias(page, live_server, screenshot_dir):
    from entities.models import EntityCandidate

    User.objects.create_superuser("admin", password=PASSWORD)
    person = factories.person(name_fa="کامران ولیزاده", name_ar="كامران وليزاده", name_en="Kamran Valizadeh")
    candidate = EntityCandidate.objects.create(name="کامران ولی‌زاده", key="کامران ولیزاده", language="fa", title="سفیر")
    page.goto(live_server.url + "/admin/login/?next=/admin/entities/entitycandidate/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.check(f"input[name=_selected_action][value='{candidate.pk}']")
    page.select_option("select[name=action]", "add_as_alias")
    page.click("button[name=index]")
    # the person chooser is the admin's autocomplete, searched in Arabic letters
    page.click(".select2-selection")
    page.fill(".select2-search__field", "كامران")
    page.click(f".select2-results__option:has-text('{person.name_fa}')")  # named in the Persian interface
    page.screenshot(path=screenshot_dir / "admin-candidate-alias.png", full_page=True)
    page.click("input[name=apply]")
    assert "کامران ولیزاده" in page.locator(".messagelist .success").inner_text()  # named in the interface language
    assert list(person.aliases.values_list("text", flat=True)) == ["کامران ولی‌زاده"]


def test_an_editor_follows_a_large_upload_in_the_background(page, live_server, clean_index, screenshot_dir, tmp_path,
                                                            settings, monkeypatch):
    import json

    from editors import jobs

    settings.IMPORT_BACKGROUND_BYTES = 0
    settings.IMPORT_JOBS_DIR = tmp_path / "imports"
    queued = []
    monkeypatch.setattr(jobs, "launch", queued.append)  # run below, in this process, instead of detached
    editor = User.objects.create_user("sara", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    body = "وزیران خارجه دو کشور روز یکشنبه در باکو دیدار و درباره راه‌های ارتباطی گفت‌وگو کردند."
    feed = tmp_path / "big.jsonl"
    feed.write_text("".join(json.dumps({"id": f"b-{n}", "title": f"نشست شماره {n}", "body": body, "language": "fa"},
                                       ensure_ascii=False) + "\n" for n in range(20)) + "{broken\n", encoding="utf-8")
    page.goto(live_server.url + "/admin/login/?next=/admin/articles/article/upload/")
    page.fill("#id_username", "sara")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.set_input_files("#id_files", str(feed))
    page.click("input[type=submit].default")
    assert "در انتظار آغاز" in page.inner_text(".job-status")  # "waiting to start"
    [job] = queued
    jobs.run_job(job.pk)
    page.reload()
    assert "پایان یافت" in page.inner_text(".job-status")  # "finished"
    rows = page.locator(".upload-report tbody tr")
    assert rows.count() == 1 and "big.jsonl سطر 21: JSON نامعتبر" in rows.nth(0).inner_text()
    page.screenshot(path=screenshot_dir / "admin-upload-job.png", full_page=True)
    assert Article.objects.count() == 20
