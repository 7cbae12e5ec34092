"""Uploaded media on S3-compatible storage: chosen by the environment, proved against a local S3 server."""

import json
import os
import re
import runpy
import subprocess
import sys
import urllib.request
import uuid
from io import BytesIO
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
# A dev dependency (pyproject.toml): missing, this module fails rather than skips, under CI too.
from moto.server import ThreadedMotoServer
from PIL import Image

from tests.test_admin import editor, editor_client  # noqa: F401  (fixtures)
from tests.test_security import production_env
from tests.test_uploads import image_bytes, stored_files, upload

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "techflow" / "settings.py"
REGION = "eu-west-3"
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "test-key-id", "MEDIA_S3_SECRET_ACCESS_KEY": "test-secret-key"}
CDN = "media.techflow.example"
IMMUTABLE = "public, max-age=31536000, immutable"

# Run in a fresh process: settings as a server reads them at start-up, then a save, a read and a URL.
PROBE = """
import json, django
django.setup()
from django.core.files.base import ContentFile
from django.conf import settings
from django.core.files.storage import default_storage
name = default_storage.save("uploads/probe.txt", ContentFile(b"round trip"))
with default_storage.open(name) as stored:
    data = stored.read().decode()
backend = type(default_storage._wrapped)
print(json.dumps({"backend": f"{backend.__module__}.{backend.__qualname__}", "name": name,
                  "url": default_storage.url(name), "read": data, "exists": default_storage.exists(name),
                  "img_src": [str(source) for source in settings.SECURE_CSP["img-src"]]}))
"""


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION,
                          aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
                          aws_secret_access_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"])
    bucket = f"techflow-media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    return client, bucket


def s3_env(endpoint, bucket, **extra):
    return {"MEDIA_S3_BUCKET": bucket, "MEDIA_S3_ENDPOINT_URL": endpoint, "MEDIA_S3_REGION": REGION,
            **KEYS, **extra}


def server_env(**variables):
    """A production server's environment with these variables, and no storage choice or credentials of this machine's."""
    env = {k: v for k, v in production_env().items() if not k.startswith(("MEDIA_S3_", "AWS_"))}
    return {**env, "DJANGO_DEBUG": "false", **variables}


def run_probe(tmp_path, **variables):
    env = server_env(DJANGO_SETTINGS_MODULE="techflow.settings", MEDIA_ROOT=str(tmp_path), **variables)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def settings_from(monkeypatch, **variables):
    """Run techflow/settings.py afresh under these variables; return its module namespace."""
    for name in [name for name in os.environ if name.startswith("MEDIA_S3_")]:
        monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


# --- Settings from the environment, in a process of their own ---------------------------------------------------

def test_without_a_bucket_uploads_stay_on_local_disk(tmp_path):
    report = run_probe(tmp_path)
    assert report["backend"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert (tmp_path / report["name"]).read_bytes() == b"round trip"


def test_with_a_bucket_and_a_custom_domain_media_go_to_the_bucket_and_urls_to_the_domain(tmp_path, s3, s3_endpoint):
    client, bucket = s3
    report = run_probe(tmp_path, **s3_env(s3_endpoint, bucket, MEDIA_S3_CUSTOM_DOMAIN=CDN))
    assert report["backend"] == "storages.backends.s3.S3Storage"
    assert report["read"] == "round trip" and report["exists"] is True
    assert report["url"] == f"https://{CDN}/{report['name']}"
    # The Content-Security-Policy lets readers' browsers load images from there.
    assert f"https://{CDN}" in report["img_src"]
    stored = client.get_object(Bucket=bucket, Key=report["name"])
    assert stored["Body"].read() == b"round trip"
    assert stored["CacheControl"] == IMMUTABLE and stored["ContentType"] == "text/plain"
    assert stored_files(tmp_path) == []


def test_without_a_custom_domain_urls_point_at_the_bucket_unsigned(tmp_path, s3, s3_endpoint):
    client, bucket = s3
    # The read-only public policy docs/deployment.md gives; the server refuses anonymous reads without it.
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    report = run_probe(tmp_path, **s3_env(s3_endpoint, bucket, MEDIA_S3_PREFIX="/techflow/"))
    assert report["name"] == "uploads/probe.txt"
    # A public, cacheable address: the bucket's, with no signature that would expire.
    assert report["url"] == f"{s3_endpoint}/{bucket}/techflow/uploads/probe.txt"
    assert s3_endpoint in report["img_src"]
    with urllib.request.urlopen(report["url"], timeout=10) as response:
        assert response.read() == b"round trip"
    assert client.head_object(Bucket=bucket, Key="techflow/uploads/probe.txt")["CacheControl"] == IMMUTABLE


@pytest.mark.parametrize("with_s3", [False, True], ids=["local-disk", "s3"])
def test_check_deploy_is_clean_with_and_without_a_bucket(with_s3):
    variables = s3_env("https://s3.fr-par.scw.cloud", "techflow-media", MEDIA_S3_CUSTOM_DOMAIN=CDN) if with_s3 else {}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=server_env(**variables),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize("variables, message", [
    ({"MEDIA_S3_ENDPOINT_URL": "s3.fr-par.scw.cloud"}, "MEDIA_S3_ENDPOINT_URL must start with"),
    ({"MEDIA_S3_CUSTOM_DOMAIN": f"https://{CDN}"}, "MEDIA_S3_CUSTOM_DOMAIN is a host name"),
    ({"MEDIA_S3_ADDRESSING_STYLE": "dns"}, "MEDIA_S3_ADDRESSING_STYLE must be"),
    ({"MEDIA_S3_ACCESS_KEY_ID": "only-the-id"}, "Set both MEDIA_S3_ACCESS_KEY_ID"),
])
def test_malformed_s3_settings_stop_the_start_up(monkeypatch, variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_from(monkeypatch, MEDIA_S3_BUCKET="techflow-media", **variables)


def test_without_keys_boto3_finds_its_own_credentials(monkeypatch):
    options = settings_from(monkeypatch, MEDIA_S3_BUCKET="techflow-media")["STORAGES"]["default"]["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options
    assert options["querystring_auth"] is False


# --- The editor's upload, through the settings above ------------------------------------------------------------

@pytest.mark.django_db
def test_editor_upload_is_stored_in_the_bucket_under_the_custom_domain(editor_client, s3, s3_endpoint, monkeypatch,
                                                                        settings, tmp_path):
    client, bucket = s3
    settings.MEDIA_ROOT = tmp_path
    # Assigning STORAGES makes Django drop the default storage it built, so the next save uses this one.
    from_env = settings_from(monkeypatch, **s3_env(s3_endpoint, bucket, MEDIA_S3_CUSTOM_DOMAIN=CDN))
    settings.STORAGES = from_env["STORAGES"]
    response = upload(editor_client, "holiday.png", image_bytes("PNG"))
    assert response.status_code == 200, response.content
    code = response.json()["image_code"]
    match = re.fullmatch(rf"!\[\]\(https://{re.escape(CDN)}/(uploads/\d{{4}}/\d{{2}}/[0-9a-f]{{32}}\.png)\)", code)
    assert match, code
    stored = client.get_object(Bucket=bucket, Key=match.group(1))
    assert stored["ContentType"] == "image/png" and stored["CacheControl"] == IMMUTABLE
    with Image.open(BytesIO(stored["Body"].read())) as image:
        assert image.format == "PNG" and image.size == (40, 30)
    assert [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]] == [match.group(1)]
    assert stored_files(tmp_path) == []
