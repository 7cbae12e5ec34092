"""Writes content out: an article's versions as front-matter Markdown, and the whole site as an archive."""

import datetime
import io
import json
import zipfile
from pathlib import Path, PurePosixPath

import yaml
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .cache import invalidate_everything
from .models import (
    Acknowledgement, Article, ArticleCredit, Author, CommunityLink, ParagraphReview, RevisionDraft,
    Section, SourceVersion, Tag, Translation, TranslationCredit, TranslationRevision,
)
from .rendering import reading_minutes, render_markdown, word_count

# --- Markdown with YAML front matter ---------------------------------------------------------------


def _utc(moment):
    return moment.astimezone(datetime.UTC) if moment else None


def _person(author):
    person = {"name": author.name, "kind": author.kind, "slug": author.slug, "bio": author.bio,
              "website": author.website}
    # Only when set: an empty list would read back as "leave unchanged" anyway.
    for field in ("social_links", "languages"):
        if getattr(author, field):
            person[field] = list(getattr(author, field))
    return person


def ordered_versions(article):
    """The original first, then the other languages by code: the order the files import in."""
    versions = list(article.translations.all())
    return sorted(versions, key=lambda v: (v.language != article.original_language, v.language))


def _section_name(article, language):
    """The name the importer will find the section by again, or re-create it under the same slug."""
    section = article.section
    # The file's own language first, then the others in a fixed order.
    names = sorted(section.names.items(), key=lambda item: (item[0] != language, item[0]))
    for _code, name in names:
        if slugify(name) == section.slug or slugify(name, allow_unicode=True) == section.slug:
            return name
    return section.names.get(language) or section.name


def article_front_matter(version, *, section_language=None):
    """Every field the importer reads, in a fixed order, for one language version."""
    article = version.article
    meta = {
        "key": article.key,
        "language": version.language,
        "title": version.title,
        "slug": version.slug,
        "standfirst": version.standfirst,
        "status": version.status,
    }
    if version.published_at:
        meta["published_at"] = _utc(version.published_at)
    if article.section_id:
        # Every file of an article names the section alike, so re-import keeps it in one section.
        meta["section"] = _section_name(article, section_language or version.language)
        meta["section_names"] = dict(sorted(article.section.names.items()))
    if not version.is_original:
        meta["translation_source_version"] = version.source_version
    meta.update({
        "original_language": article.original_language,
        "original_title": article.original_title,
        "source_url": article.source_url,
        "source_outlet": article.source_outlet,
        "source_published_on": article.source_published_on,
        "rights_note": article.rights_note,
        "source_version": article.source_version,
        "tags": [tag.name for tag in sorted(article.tags.all(), key=lambda t: t.name)],
        "authors": [_person(credit.author) for credit in article.credits.all()],
        "translators": [_person(credit.author) for credit in version.credits.all()],
        "acknowledgements": [
            {"name": ack.name, "reasons": dict(sorted(ack.reasons.items())),
             "notes": dict(sorted(ack.notes.items())),
             "author": ack.author.name if ack.author_id else None}
            for ack in article.acknowledgements.all()
        ],
        "community_links": [
            {"label": link.label, "url": link.url}
            for link in CommunityLink.objects.filter(language=version.language).order_by("position", "pk")
        ],
    })
    if meta["source_published_on"] is None:
        del meta["source_published_on"]
    return meta


def export_markdown(version, *, section_language=None):
    """One language version as a Markdown file that `import_article` reads back unchanged."""
    meta = article_front_matter(version, section_language=section_language)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{front}---\n\n{version.body}\n"


def export_article_files(article, languages=None):
    """[(file name, text)] for an article's versions, in the order they should be imported."""
    versions = ordered_versions(article)
    if languages:
        versions = [v for v in versions if v.language in languages]
    first = versions[0].language if versions else None
    return [
        (f"{article.key}.{v.language}.md", export_markdown(v, section_language=first))
        for v in versions
    ]


def article_for_export(key):
    return (
        Article.objects.select_related("section")
        .prefetch_related("tags", "credits__author", "acknowledgements__author",
                          "translations__credits__author")
        .get(key=key)
    )


# --- Whole-site archive ----------------------------------------------------------------------------

ARCHIVE_FORMAT = "techflow-site"
ARCHIVE_VERSION = 1
CONTENT_NAME = "content.json"
MEDIA_PREFIX = "media/"
# A fixed stamp on every entry so that the same content gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ArchiveError(Exception):
    """An archive that cannot be restored, or a database it cannot be restored into."""


def _iso(moment):
    return _utc(moment).isoformat() if moment else None


def _day(value):
    return value.isoformat() if value else None


def _user_row(user, with_passwords):
    row = {
        "username": user.get_username(), "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "is_active": user.is_active, "is_staff": user.is_staff,
        "is_superuser": user.is_superuser, "date_joined": _iso(user.date_joined),
        "groups": sorted(group.name for group in user.groups.all()),
    }
    if with_passwords:
        row["password"] = user.password
    return row


def _revision_row(rev):
    return {
        "number": rev.number, "author": rev.author.get_username(), "title": rev.title,
        "standfirst": rev.standfirst, "body": rev.body,
        "base": rev.base.number if rev.base_id else None,
        "restored_from": rev.restored_from.number if rev.restored_from_id else None,
        "source_version": rev.source_version, "note": rev.note, "status": rev.status,
        "has_conflict": rev.has_conflict, "created_at": _iso(rev.created_at),
        "decided_by": rev.decided_by.get_username() if rev.decided_by_id else None,
        "decided_at": _iso(rev.decided_at), "decision_note": rev.decision_note,
        "paragraph_reviews": [
            {"index": r.index, "decision": r.decision, "comment": r.comment,
             "author": r.author.get_username(), "created_at": _iso(r.created_at)}
            for r in sorted(rev.paragraph_reviews.all(), key=lambda r: r.index)
        ],
    }


def _translation_row(version):
    return {
        "language": version.language, "title": version.title, "slug": version.slug,
        "standfirst": version.standfirst, "body": version.body, "status": version.status,
        "published_at": _iso(version.published_at), "source_version": version.source_version,
        "is_open_for_translation": version.is_open_for_translation,
        "current_revision": version.current_revision.number if version.current_revision_id else None,
        "translators": [c.author.slug for c in version.credits.all()],
        "assignees": sorted(a.slug for a in version.assignees.all()),
        "created_at": _iso(version.created_at), "updated_at": _iso(version.updated_at),
        "revisions": [_revision_row(r) for r in sorted(version.revisions.all(), key=lambda r: r.number)],
        "drafts": [
            {"author": d.author.get_username(), "title": d.title, "standfirst": d.standfirst,
             "body": d.body, "base": d.base.number if d.base_id else None,
             "source_version": d.source_version, "updated_at": _iso(d.updated_at)}
            for d in sorted(version.drafts.all(), key=lambda d: d.author.get_username())
        ],
    }


def _article_row(article):
    return {
        "key": article.key, "original_language": article.original_language,
        "original_title": article.original_title, "source_url": article.source_url,
        "source_outlet": article.source_outlet, "source_published_on": _day(article.source_published_on),
        "rights_note": article.rights_note, "section": article.section.slug if article.section_id else None,
        "tags": sorted(t.slug for t in article.tags.all()),
        "authors": [c.author.slug for c in article.credits.all()],
        "source_version": article.source_version,
        "created_at": _iso(article.created_at), "updated_at": _iso(article.updated_at),
        "acknowledgements": [
            {"name": a.name, "author": a.author.slug if a.author_id else None,
             "reasons": a.reasons, "notes": a.notes}
            for a in article.acknowledgements.all()
        ],
        "source_versions": [
            {"number": s.number, "title": s.title, "standfirst": s.standfirst, "body": s.body,
             "created_at": _iso(s.created_at)}
            for s in sorted(article.source_versions.all(), key=lambda s: s.number)
        ],
        "translations": [_translation_row(v) for v in sorted(article.translations.all(), key=lambda v: v.language)],
    }


def site_content(*, with_passwords=False):
    """The whole site's content as one JSON-ready dict, in a stable order, with no export-time data."""
    User = get_user_model()
    articles = Article.objects.select_related("section").prefetch_related(
        "tags", "credits__author", "acknowledgements__author", "source_versions",
        "translations__credits__author", "translations__assignees", "translations__current_revision",
        "translations__revisions__author", "translations__revisions__decided_by",
        "translations__revisions__base", "translations__revisions__restored_from",
        "translations__revisions__paragraph_reviews__author",
        "translations__drafts__author", "translations__drafts__base",
    ).order_by("key")
    return {
        "format": ARCHIVE_FORMAT,
        "version": ARCHIVE_VERSION,
        "users": [_user_row(u, with_passwords) for u in
                  User.objects.prefetch_related("groups").order_by(User.USERNAME_FIELD)],
        "sections": [{"slug": s.slug, "names": s.names, "position": s.position}
                     for s in Section.objects.order_by("slug")],
        "tags": [{"slug": t.slug, "name": t.name} for t in Tag.objects.order_by("slug")],
        "authors": [
            {"slug": a.slug, "name": a.name, "kind": a.kind, "bio": a.bio, "website": a.website,
             "social_links": a.social_links, "photo": a.photo.name or "", "languages": a.languages,
             "user": a.user.get_username() if a.user_id else None,
             "created_at": _iso(a.created_at), "updated_at": _iso(a.updated_at)}
            for a in Author.objects.select_related("user").order_by("slug")
        ],
        "community_links": [
            {"language": c.language, "label": c.label, "url": c.url, "position": c.position}
            for c in CommunityLink.objects.order_by("language", "position", "url")
        ],
        "articles": [_article_row(a) for a in articles],
    }


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file())


def _zip_entry(archive, name, data):
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def export_site(target, *, with_passwords=False):
    """Write the archive to `target` (a path or a binary file); returns counts for the report."""
    content = site_content(with_passwords=with_passwords)
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    root = Path(settings.MEDIA_ROOT)
    media = _media_files()
    with zipfile.ZipFile(target, "w") as archive:
        _zip_entry(archive, CONTENT_NAME, text.encode("utf-8"))
        for path in media:
            _zip_entry(archive, MEDIA_PREFIX + path.relative_to(root).as_posix(), path.read_bytes())
    return {"articles": len(content["articles"]), "authors": len(content["authors"]),
            "users": len(content["users"]), "media": len(media)}


def _content_counts():
    return {
        "articles": Article.objects.count(), "translations": Translation.objects.count(),
        "authors": Author.objects.count(), "sections": Section.objects.count(),
        "tags": Tag.objects.count(), "community links": CommunityLink.objects.count(),
    }


def _read_archive(source):
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(_("This is not a site archive (not a readable zip file: %(error)s).")
                           % {"error": error}) from None
    with archive:
        try:
            content = json.loads(archive.read(CONTENT_NAME).decode("utf-8"))
        except KeyError:
            raise ArchiveError(_("This is not a site archive: it has no %(name)s.")
                               % {"name": CONTENT_NAME}) from None
        except (ValueError, UnicodeDecodeError) as error:
            raise ArchiveError(_("The archive's %(name)s is not valid JSON (%(error)s).")
                               % {"name": CONTENT_NAME, "error": error}) from None
        if not isinstance(content, dict) or content.get("format") != ARCHIVE_FORMAT:
            raise ArchiveError(_("This is not a TechFlow site archive."))
        if content.get("version") != ARCHIVE_VERSION:
            raise ArchiveError(_("This archive has format version %(found)s; this site reads version %(expected)s.")
                               % {"found": content.get("version"), "expected": ARCHIVE_VERSION})
        media = {}
        for name in archive.namelist():
            if not name.startswith(MEDIA_PREFIX) or name.endswith("/"):
                continue
            relative = PurePosixPath(name[len(MEDIA_PREFIX):])
            # No absolute paths, no "..": nothing may land outside MEDIA_ROOT.
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                raise ArchiveError(_("The archive holds an unsafe file name: %(name)s.") % {"name": name})
            media[relative.as_posix()] = archive.read(name)
    return content, media


def _when(text):
    return datetime.datetime.fromisoformat(text) if text else None


def _put(model, **fields):
    """Insert a row as stored, the way loaddata does: stored times kept, save() hooks and signals skipped."""
    record = model(**fields)
    record.save_base(raw=True)
    return record


def import_site(source):
    """Restore an archive into an empty database, all or nothing; returns counts for the report."""
    content, media = _read_archive(source)
    counts = _content_counts()
    if any(counts.values()):
        held = ", ".join(f"{n} {label}" for label, n in counts.items() if n)
        raise ArchiveError(_("The database already holds content (%(held)s); import_site restores only "
                             "into an empty database.") % {"held": held})
    try:
        with transaction.atomic():
            _restore(content)
    except (KeyError, TypeError, ValueError, AttributeError, IntegrityError) as error:
        raise ArchiveError(_("The archive's content is incomplete or malformed (%(error)r); nothing was "
                           "imported.") % {"error": error}) from None
    # Rows went in raw, past the signals that keep the page cache true: drop every cached page.
    invalidate_everything()
    root = Path(settings.MEDIA_ROOT)
    for name, data in sorted(media.items()):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {"articles": len(content["articles"]), "authors": len(content["authors"]),
            "users": len(content["users"]), "media": len(media)}


def _restore(content):
    User = get_user_model()
    users = {}
    for row in content["users"]:
        user = User.objects.filter(**{User.USERNAME_FIELD: row["username"]}).first()
        if user is None:
            user = User(**{User.USERNAME_FIELD: row["username"]})
            for field in ("email", "first_name", "last_name", "is_active", "is_staff", "is_superuser"):
                setattr(user, field, row[field])
            if row.get("password"):
                user.password = row["password"]
            else:
                user.set_unusable_password()
            user.date_joined = _when(row["date_joined"])
            user.save()
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in row["groups"]])
        users[row["username"]] = user

    sections = {row["slug"]: _put(Section, **row) for row in content["sections"]}
    tags = {row["slug"]: _put(Tag, **row) for row in content["tags"]}
    authors = {}
    for row in content["authors"]:
        username = row["user"]
        authors[row["slug"]] = _put(Author, **{
            **row, "user": users[username] if username else None,
            "created_at": _when(row["created_at"]), "updated_at": _when(row["updated_at"]),
        })
    for row in content["community_links"]:
        _put(CommunityLink, **row)
    for row in content["articles"]:
        _restore_article(row, users, sections, tags, authors)


def _restore_article(row, users, sections, tags, authors):
    article = _put(
        Article, key=row["key"], original_language=row["original_language"],
        original_title=row["original_title"], source_url=row["source_url"], source_outlet=row["source_outlet"],
        source_published_on=datetime.date.fromisoformat(row["source_published_on"])
        if row["source_published_on"] else None,
        rights_note=row["rights_note"], section=sections[row["section"]] if row["section"] else None,
        source_version=row["source_version"],
        created_at=_when(row["created_at"]), updated_at=_when(row["updated_at"]),
    )
    article.tags.set([tags[slug] for slug in row["tags"]])
    for position, slug in enumerate(row["authors"]):
        _put(ArticleCredit, article=article, author=authors[slug], position=position)
    for position, ack in enumerate(row["acknowledgements"]):
        _put(Acknowledgement, article=article, position=position, name=ack["name"],
             author=authors[ack["author"]] if ack["author"] else None,
             reasons=ack["reasons"], notes=ack["notes"])
    for source in row["source_versions"]:
        _put(SourceVersion, article=article, **{**source, "created_at": _when(source["created_at"])})
    for version_row in row["translations"]:
        _restore_translation(article, version_row, users, authors)


def _restore_translation(article, row, users, authors):
    # A restore recreates rows as they were stored; it is not a status transition.
    words = word_count(row["body"])
    version = _put(
        Translation, article=article, language=row["language"], title=row["title"], slug=row["slug"],
        standfirst=row["standfirst"], body=row["body"], body_html=render_markdown(row["body"]),
        word_count=words, reading_minutes=reading_minutes(words), status=row["status"],
        published_at=_when(row["published_at"]), source_version=row["source_version"],
        is_open_for_translation=row["is_open_for_translation"],
        created_at=_when(row["created_at"]), updated_at=_when(row["updated_at"]),
    )
    for position, slug in enumerate(row["translators"]):
        _put(TranslationCredit, translation=version, author=authors[slug], position=position)
    version.assignees.set([authors[slug] for slug in row["assignees"]])
    revisions = {}
    for rev in row["revisions"]:
        record = _put(
            TranslationRevision, translation=version, number=rev["number"], author=users[rev["author"]],
            title=rev["title"], standfirst=rev["standfirst"], body=rev["body"],
            base=revisions.get(rev["base"]), restored_from=revisions.get(rev["restored_from"]),
            source_version=rev["source_version"], note=rev["note"], status=rev["status"],
            has_conflict=rev["has_conflict"], created_at=_when(rev["created_at"]),
            decided_by=users[rev["decided_by"]] if rev["decided_by"] else None,
            decided_at=_when(rev["decided_at"]), decision_note=rev["decision_note"],
        )
        revisions[record.number] = record
        for review in rev["paragraph_reviews"]:
            _put(ParagraphReview, revision=record, index=review["index"], decision=review["decision"],
                 comment=review["comment"], author=users[review["author"]],
                 created_at=_when(review["created_at"]))
    for draft in row["drafts"]:
        _put(RevisionDraft, translation=version, author=users[draft["author"]], title=draft["title"],
             standfirst=draft["standfirst"], body=draft["body"], base=revisions.get(draft["base"]),
             source_version=draft["source_version"], updated_at=_when(draft["updated_at"]))
    if row["current_revision"] is not None:
        version.current_revision = revisions[row["current_revision"]]
        version.save_base(raw=True)


def archive_bytes(**options):
    buffer = io.BytesIO()
    export_site(buffer, **options)
    return buffer.getvalue()


# --- Download from the admin -----------------------------------------------------------------------


def article_files_zip(article):
    """A zip of the article's Markdown files, with fixed entry times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in export_article_files(article):
            _zip_entry(archive, name, text.encode("utf-8"))
    return buffer.getvalue()


@staff_member_required
def article_markdown_download(request, key):
    """Staff who may view articles: the article's language versions as Markdown files, zipped."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    try:
        article = article_for_export(key)
    except Article.DoesNotExist:
        raise Http404 from None
    response = HttpResponse(article_files_zip(article), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{article.key}.markdown.zip"'
    return response
