"""Share images and timelines: real PNGs of the right size, with shaped text."""

import io
import os

import pytest
from django.core.management import call_command
from PIL import Image

from articles import images
from articles.models import Article
from entities.images import TIMELINE_SIZE
from entities.models import Event, Person
from tests.conftest import SEEDS


@pytest.fixture
def linked(transactional_db, clean_index):
    call_command("load_knowledge_base", stdout=open(os.devnull, "w"))
    call_command("import_articles", str(SEEDS), stdout=open(os.devnull, "w"))
    return {a.source_file[:3]: a for a in Article.objects.all()}


def _png(response, size):
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]  # drawn anew per request, so kept a day
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG" and image.size == size


def test_share_images_decode_as_png_of_the_right_size(linked, client):
    person = Person.objects.get(slug="sergey-lavrov")
    event = Event.objects.get(slug="khojaly-massacre")
    _png(client.get(f"/share/articles/{linked['003'].pk}.png"), images.SHARE_SIZE)
    _png(client.get(f"/people/{person.slug}/share.png"), images.SHARE_SIZE)
    _png(client.get(f"/events/{event.slug}/share.png"), images.SHARE_SIZE)
    _png(client.get(f"/people/{person.slug}/timeline.png"), TIMELINE_SIZE)


def test_pages_point_to_their_share_image(linked, client):
    html = client.get(linked["002"].get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver/share/articles/{linked["002"].pk}.png">' in html
    assert f'<meta property="og:title" content="{linked["002"].title}">' in html
    html = client.get("/people/sergey-lavrov/").content.decode()
    assert 'content="http://testserver/people/sergey-lavrov/share.png"' in html


def test_unknown_or_unpublished_share_images_are_404(linked, client):
    draft = linked["000"]
    draft.status = Article.Status.DRAFT
    draft.save()
    assert client.get(f"/share/articles/{draft.pk}.png").status_code == 404
    assert client.get("/people/nobody/share.png").status_code == 404
    assert client.post("/people/sergey-lavrov/share.png").status_code == 405


def test_text_is_shaped_and_in_visual_order():
    # "لا" becomes the lam-alef ligature and the word is drawn right to left
    shaped = images.visual("لاوروف")
    assert "\ufefb" in shaped or "\ufefc" in shaped
    assert shaped[0] != "ل"  # visual order starts with the last letter
    assert images.visual("Lavrov") == "Lavrov"
    # brackets around right-to-left text are mirrored: drawn "(" first on the left is ")" logically
    assert images.visual("روسیه (از ۲۰۰۴)").startswith("(")


def test_drawn_title_ink_is_right_aligned_for_persian():
    image = Image.open(io.BytesIO(images.share_image("دیدار وزیر امور خارجه", "", ""))).convert("L")
    band = image.crop((0, 80, image.width, 170))
    columns = [x for x in range(band.width) if any(band.getpixel((x, y)) < 128 for y in range(band.height))]
    assert columns and columns[-1] > image.width - 100 and columns[0] > 200
