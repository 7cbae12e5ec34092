"""Benchmark: the site under gunicorn with production settings on PostgreSQL, loaded by wrk on loopback.

Usage: python bench/run.py [--database-url URL] [--duration 5] [--connections 4] [--workers 2]
Needs: content (`TECHFLOW_BENCH=true python manage.py generate_content --articles 10000`), Redis, wrk.
Prints one table per cache mode (cold: page cache off; cached: on) and writes bench/last-results.md.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

SETUP = r"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Count
from django.utils import translation
from articles.models import Author, Section, Translation

User = get_user_model()
admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
admin.is_staff = admin.is_superuser = True
admin.set_password(str(__import__("uuid").uuid4()))
admin.save()
session = SessionStore()
session["_auth_user_id"] = str(admin.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = admin.get_session_auth_hash()
session.create()
visible = Translation.objects.published().filter(language="fr").order_by("-published_at")
article = visible[visible.count() // 2]
section = Section.objects.annotate(n=Count("articles")).order_by("-n").first()
authors = Author.objects.annotate(n=Count("article_credits")).order_by("-n")
author = authors[authors.count() // 2]
with translation.override("fr"):
    print("SETUP " + json.dumps({
        "session": session.session_key,
        "article": article.get_absolute_url(),
        "section": section.get_absolute_url(),
        "author": author.get_absolute_url(),
        "static": staticfiles_storage.url("css/site.css"),
        "articles": Translation.objects.published().values("article").distinct().count(),
        "translations": Translation.objects.count(),
    }))
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(args, cache_on, stored_on=True):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "TECHFLOW_TESTING")}
    env.update({
        "DJANGO_DEBUG": "false",
        # One key for the whole run: the admin rows' session is signed with it.
        "DJANGO_SECRET_KEY": args.secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "TECHFLOW_CACHE_PREFIX": args.prefix,
        "TECHFLOW_PAGE_CACHE": "true" if cache_on else "false",
        "TECHFLOW_STORED_PAGES": "true" if stored_on else "false",
        "TECHFLOW_BENCH": "true",
        "TASKS_BACKEND": "database",
        "DJANGO_LOG_LEVEL": "ERROR",
        # A runaway query ends as an error in the table instead of holding a worker for minutes.
        "PGOPTIONS": f"-c statement_timeout={args.statement_timeout * 1000}",
    })
    return env


def manage(env, *command, capture=False):
    result = subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout


def start_gunicorn(env, workers):
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "techflow.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--worker-class", "sync", "--timeout", "120", "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
         "--error-logfile", "-"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/bench/trivial/", timeout=20).read()
            return process, base
        except OSError:
            if process.poll() is not None:
                sys.exit(process.stderr.read().decode())
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=150) as response:
        response.read()
        if response.url != url:  # e.g. the admin sending an unknown session to its login page
            return f"redirected to {urllib.parse.urlsplit(response.url).path}", response.headers
        return response.status, response.headers


def wait_idle(base):
    """Slow pages leave requests running after wrk stops: wait until both workers are free again."""
    deadline = time.time() + 300
    while time.time() < deadline:
        start = time.time()
        try:
            fetch(base + "/bench/trivial/")
            if time.time() - start < 0.5:
                return
        except OSError:
            pass
        time.sleep(1)


def wrk(url, args, cookie=None, connections=None):
    command = ["wrk", "-t1", f"-c{connections or args.connections}", f"-d{args.duration}s", "--timeout", "20s", "-s", str(ROOT / "bench" / "report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    data = json.loads(line[6:])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def served_from(headers):
    if headers.get("X-Page-Cache") == "hit":
        return "page cache"
    if headers.get("X-Stored-Page") == "hit":
        return "stored page"
    return "view"


def run_mode(args, setup, cache_on, stored_on=True, only=None):
    env = production_env(args, cache_on, stored_on)
    process, base = start_gunicorn(env, args.workers)
    cookie = f"sessionid={setup['session']}"
    pages = [
        ("trivial view", "/bench/trivial/", None),
        ("static file", setup["static"], None),
        ("home", "/fr/", None),
        ("article", setup["article"], None),
        ("section", setup["section"], None),
        ("author", setup["author"], None),
        ("search, common words", "/fr/search/?q=mod%C3%A8le+donn%C3%A9es", None),
        ("search, common word, all languages", "/fr/search/?q=r%C3%A9seau&language=", None),
        ("search, rare word", "/fr/search/?q=4999&language=fr", None),
        ("feed (RSS)", "/fr/feeds/rss/", None),
        ("sitemap index", "/sitemap.xml", None),
        ("sitemap page (500 URLs)", "/sitemap-translations.xml?p=2", None),
        ("admin change list", "/fr/admin/articles/translation/", cookie),
        ("admin status matrix", "/fr/admin/articles/article/matrix/", cookie),
    ]
    if args.pages or only:
        wanted = {"trivial view", "static file", *(only or args.pages.split(","))}
        pages = [page for page in pages if page[0] in wanted]
    rows = []
    try:
        for name, path, page_cookie in pages:
            url = base + path
            wait_idle(base)
            try:
                fetch(url, page_cookie)
                status, headers = fetch(url, page_cookie)  # the second request shows the steady state
            except OSError as error:  # an HTTP error or a timeout: measured anyway, it shows as errors
                status, headers = getattr(error, "code", "timeout"), getattr(error, "headers", None) or {}
            result = wrk(url, args, page_cookie)
            result.update(window=args.duration, name=name, path=path, status=status, queries=headers.get("X-Query-Count", "-"),
                          cache=served_from(headers))
            if not cache_on and name.startswith(LATENCY_PAGES):
                # Response time without queueing: one request at a time (under -c4, two wait for a worker).
                wait_idle(base)
                result["alone"] = wrk(url, args, page_cookie, connections=1)
            rows.append(result)
            print(f"  {name:<20} {result['rps']:8.0f} req/s  p50 {result['p50'] / 1000:7.1f} ms  "
                  f"p95 {result['p95'] / 1000:7.1f} ms  errors {result['errors']}  from {result['cache']}",
                  flush=True)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # workers still busy with abandoned slow requests
            process.kill()
            process.wait()
    return rows


# Pages with a response-time target (search p95 < 100 ms, admin lists < 200 ms).
LATENCY_PAGES = ("search", "admin")


def latency_table(rows):
    lines = [
        "**Response time, one request at a time (no page cache)**", "",
        "| page | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        if "alone" in r:
            a = r["alone"]
            lines.append(f"| {r['name']} | {a['p50'] / 1000:.1f} | {a['p95'] / 1000:.1f} | {a['p99'] / 1000:.1f} | {a['errors']} |")
    return "\n".join(lines)


def table(title, rows):
    trivial = next(r for r in rows if r["name"] == "trivial view")["rps"]
    static = next(r for r in rows if r["name"] == "static file")["rps"]
    lines = [
        f"**{title}**", "",
        "| page | status | req/s | p50 ms | p95 ms | p99 ms | errors | queries | served from | vs trivial | vs static |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        if not r["requests"]:
            lines.append(f"| {r['name']} | {r['status']} | 0 | — | — | — | no answer within {r['window']} s | {r['queries']} "
                         f"| {r['cache']} | 0% | 0% |")
            continue
        lines.append(
            f"| {r['name']} | {r['status']} | {r['rps']:.0f} | {r['p50'] / 1000:.1f} | {r['p95'] / 1000:.1f} | {r['p99'] / 1000:.1f} "
            f"| {r['errors']} | {r['queries']} | {r['cache']} | {r['rps'] / trivial:.0%} | {r['rps'] / static:.0%} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/techflow_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--duration", type=int, default=5, help="Seconds of load per page.")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
    parser.add_argument("--pages", default="", help="Only these pages (comma-separated names from the table).")
    parser.add_argument("--statement-timeout", type=int, default=30, help="PostgreSQL statement timeout, s.")
    args = parser.parse_args()
    args.prefix = f"bench-{uuid.uuid4().hex[:8]}"  # a cold cache for this run
    args.secret = "bench-" + uuid.uuid4().hex
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    env = production_env(args, cache_on=False)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    out = manage(env, "shell", "-c", SETUP)
    setup = json.loads(next(line for line in out.splitlines() if line.startswith("SETUP "))[6:])
    print(f"{setup['articles']} published articles, {setup['translations']} versions; "
          f"{args.workers} gunicorn sync workers; wrk -c{args.connections} for {args.duration} s per page; "
          f"{os.cpu_count()} CPUs")
    print("Without the page cache:")
    cold = run_mode(args, setup, cache_on=False)
    print("Without the page cache or stored pages (every article request renders):")
    rendered = run_mode(args, setup, cache_on=False, stored_on=False, only=["article"])
    print("With the page cache:")
    warm = run_mode(args, setup, cache_on=True)
    report = "\n\n".join([
        f"{setup['articles']} published articles ({setup['translations']} versions) on PostgreSQL, "
        f"gunicorn with {args.workers} sync workers, wrk -t1 -c{args.connections} -d{args.duration}s on loopback, "
        f"{os.cpu_count()} CPUs. Latencies from wrk; queries from X-Query-Count on a warm request.",
        table("Without the page cache (article pages stored on write, read with one query)", cold),
        latency_table(cold),
        table("Without the page cache or stored pages (the article page rendered on every request)", rendered),
        table("With the page cache (Redis)", warm),
    ])
    if not args.pages:
        (ROOT / "bench" / "last-results.md").write_text(report + "\n")
    print()
    print(report)


if __name__ == "__main__":
    main()
