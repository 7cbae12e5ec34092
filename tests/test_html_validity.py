"""The W3C Nu HTML checker (vnu-jar) finds no errors in the reader pages, saved from the test client."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from articles.models import Translation

pytestmark = pytest.mark.django_db

VNU = Path(__file__).resolve().parents[1] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_vnu():
    missing = [what for what, ok in (("vnu.jar (run `npm ci`)", VNU.exists()), ("java", shutil.which("java"))) if not ok]
    if not missing:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but missing: {', '.join(missing)}")
    pytest.skip(f"missing {', '.join(missing)}: needed for the Nu HTML checker")


def test_reader_pages_are_valid_html(client, sample, tmp_path):
    require_vnu()
    seed = Translation.objects.get(article__key="sam-altman-reflections", language="fr")
    demo = Translation.objects.get(language="en")  # the sample's hosted English original
    urls = []
    for language in ("fr", "en"):
        urls += [
            f"/{language}/",
            f"/{language}/articles/fr/{seed.slug}/",
            f"/{language}/authors/techflow/",
            f"/{language}/authors/sam-altman/",
            f"/{language}/sections/techflow-selection/",
            f"/{language}/tags/openai/",
            f"/{language}/search/",
            f"/{language}/search/?q=Altman",
            f"/{language}/search/?q=traduction&language=fr",
            f"/{language}/no-such-page/",
        ]
    urls += [seed.get_absolute_url(), demo.get_absolute_url()]
    files = {}
    for index, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        path = tmp_path / f"page{index:02d}.html"
        path.write_bytes(response.content)
        files[str(path)] = url
    # One JVM for every file: each start costs about two seconds.
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--stdout", "--errors-only", *files],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(run.stdout or "{}").get("messages", [])
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr
