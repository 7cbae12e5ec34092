"""Image upload from the Markdown editor: editors only, real images only, re-encoded under a server name."""

import re
import struct
import zlib
from io import BytesIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests import factories
from tests.test_admin import editor, editor_client  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

UPLOAD = "/markdownx/upload/"
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media):
    return sorted(p for p in media.rglob("*") if p.is_file())


def image_bytes(fmt="PNG", size=(40, 30), mode="RGB", **save):
    out = BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(out, fmt, **save)
    return out.getvalue()


def upload(client, name, data, content_type="image/png"):
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type=content_type)}, **AJAX)


def png_header_only(width, height):
    """A tiny PNG whose header claims a huge picture: a decompression bomb's opening."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_editor_uploads_a_png_which_is_re_encoded_under_a_server_name(editor_client, media):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret-metadata")
    original = image_bytes("PNG", pnginfo=info)
    response = upload(editor_client, "../../my holiday.png", original)
    assert response.status_code == 200
    code = response.json()["image_code"]
    match = re.fullmatch(r"!\[\]\(/media/uploads/\d{4}/\d{2}/([0-9a-f]{32})\.png\)", code)
    assert match, code
    [path] = stored_files(media)
    assert path.name == f"{match.group(1)}.png" and path.parent.parent.parent == media / "uploads"
    data = path.read_bytes()
    assert data != original and b"secret-metadata" not in data
    with Image.open(path) as stored:
        assert stored.format == "PNG" and stored.size == (40, 30)


@pytest.mark.parametrize("fmt, name, content_type, extension", [
    ("JPEG", "photo.JPG", "image/jpeg", "jpg"),
    ("JPEG", "photo.jpeg", "image/jpeg", "jpg"),
    ("WEBP", "pic.webp", "image/webp", "webp"),
    ("GIF", "anim.gif", "image/gif", "png"),
])
def test_other_formats_are_re_encoded_to_jpeg_png_or_webp(editor_client, media, fmt, name, content_type, extension):
    response = upload(editor_client, name, image_bytes(fmt, mode="RGB" if fmt != "GIF" else "P"), content_type)
    assert response.status_code == 200, response.content
    [path] = stored_files(media)
    assert path.suffix == f".{extension}"
    with Image.open(path) as stored:
        assert stored.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[extension]


def test_jpeg_metadata_is_dropped(editor_client, media):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker-Secret"  # Make
    response = upload(editor_client, "p.jpg", image_bytes("JPEG", exif=exif.tobytes()), "image/jpeg")
    assert response.status_code == 200
    [path] = stored_files(media)
    assert b"CameraMaker-Secret" not in path.read_bytes()


@pytest.mark.parametrize("name, data, content_type", [
    ("evil.png", b"<html><script>alert(1)</script></html>", "image/png"),
    ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ("evil.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/png"),
    ("broken.png", image_bytes("PNG")[:60], "image/png"),
])
def test_refuses_what_is_not_a_real_image(editor_client, media, name, data, content_type):
    response = upload(editor_client, name, data, content_type)
    assert response.status_code == 400
    assert response.json()["image"]
    assert stored_files(media) == []


@pytest.mark.parametrize("name", ["picture.html", "picture.svg", "picture", "picture.png.exe", "picture.jpg"])
def test_refuses_a_wrong_extension(editor_client, media, name):
    response = upload(editor_client, name, image_bytes("PNG"))
    assert response.status_code == 400
    assert stored_files(media) == []


def test_refuses_an_oversized_file(editor_client, media, settings):
    settings.UPLOAD_MAX_BYTES = 2_000
    big = image_bytes("PNG", size=(300, 300), mode="RGB")
    noisy = Image.frombytes("RGB", (300, 300), bytes((i * 7919) % 256 for i in range(300 * 300 * 3)))
    out = BytesIO()
    noisy.save(out, "PNG")
    assert len(out.getvalue()) > 2_000 and len(big) > 0
    response = upload(editor_client, "big.png", out.getvalue())
    assert response.status_code == 413
    assert stored_files(media) == []


@pytest.mark.parametrize("size", [(10_000, 10_000), (40_000, 40_000)])
def test_refuses_a_decompression_bomb(editor_client, media, size):
    bomb = png_header_only(*size)
    assert len(bomb) < 200
    response = upload(editor_client, "bomb.png", bomb)
    assert response.status_code == 400
    assert stored_files(media) == []


def test_refuses_anonymous_users(client, media):
    response = upload(client, "a.png", image_bytes())
    assert response.status_code == 302 and "login" in response["Location"]
    assert stored_files(media) == []


def test_refuses_users_who_are_not_editors(client, media):
    translator = factories.UserFactory()
    translator.save()
    translator.groups.add(Group.objects.get(name="Translator"))
    client.force_login(translator)
    assert upload(client, "a.png", image_bytes()).status_code == 403
    viewer = factories.UserFactory(is_staff=True)
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_translation"))
    client.force_login(viewer)
    assert upload(client, "a.png", image_bytes()).status_code == 403
    assert stored_files(media) == []


def test_refuses_a_post_without_the_csrf_token(editor, media):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert upload(strict, "a.png", image_bytes()).status_code == 403
    assert stored_files(media) == []


def test_refuses_get(editor_client):
    assert editor_client.get(UPLOAD).status_code == 405
