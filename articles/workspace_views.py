"""The translators' workspace: their translations, a side-by-side editor, drafts and submissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Prefetch, Q
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import workflow
from .diffing import align, block_kind
from .models import ParagraphReview, RevisionDraft, Translation, TranslationRevision
from .rendering import render_markdown, split_paragraphs, word_count

RevisionStatus = TranslationRevision.Status


def _require_workspace_user(user):
    if not (user.has_perm("articles.translate_translation") or user.has_perm("articles.review_translation")):
        raise PermissionDenied(_("Your account has no access to the translators' workspace."))


def get_translation_for_translator(request, pk):
    """The version `pk` if the user may work on it: 403 without the role, 404 outside their remit."""
    _require_workspace_user(request.user)
    version = get_object_or_404(
        Translation.objects.select_related("article__section", "current_revision"), pk=pk
    )
    if not workflow.can_translate(request.user, version):
        raise Http404
    return version


def get_revision_for_translator(request, pk):
    """A revision its author (or an editor) may read; other translators' work stays invisible."""
    _require_workspace_user(request.user)
    revision = get_object_or_404(
        TranslationRevision.objects.select_related("translation__article", "author", "decided_by"), pk=pk
    )
    is_editor = request.user.has_perm("articles.review_translation")
    if not is_editor and revision.author_id != request.user.pk:
        raise Http404
    return revision


def _worklist(user):
    """The versions a user may work on, with their own revisions and draft, in fixed queries."""
    versions = Translation.objects.exclude(language=F("article__original_language"))
    if not user.has_perm("articles.review_translation"):
        author = getattr(user, "author", None)
        if author is None:
            return Translation.objects.none()
        versions = versions.filter(language__in=author.languages or []).filter(
            Q(assignees=author) | Q(is_open_for_translation=True)
        )
    return (
        versions.distinct()
        .select_related("article")
        .annotate(last_review_at=Max("revisions__decided_at", filter=Q(revisions__author=user)))
        .prefetch_related(
            Prefetch("revisions", queryset=TranslationRevision.objects.filter(author=user).order_by("-number"),
                     to_attr="my_revisions"),
            Prefetch("drafts", queryset=RevisionDraft.objects.filter(author=user), to_attr="my_drafts"),
        )
        .order_by("-updated_at")
    )


def work_state(version):
    """The translator's view of a version: to start, draft, submitted, changes requested, accepted…"""
    latest = version.my_revisions[0] if version.my_revisions else None
    if version.my_drafts and (latest is None or version.my_drafts[0].updated_at > latest.created_at):
        return "draft", _("Draft")
    if latest is None:
        return "to_start", _("To start")
    return latest.status, latest.get_status_display()


@login_required
@require_GET
def workspace_home(request):
    _require_workspace_user(request.user)
    rows = []
    for version in _worklist(request.user):
        state, label = work_state(version)
        rows.append({"version": version, "state": state, "label": label,
                     "is_outdated": version.source_version < version.article.source_version})
    return render(request, "workspace/home.html", {"rows": rows})


def _starting_point(request, version):
    """Text to edit and the revision it is based on: my draft, else my revision under review, else current."""
    draft = RevisionDraft.objects.filter(translation=version, author=request.user).select_related("base").first()
    if draft:
        return draft.title, draft.standfirst, draft.body, draft.base, draft
    mine = (
        version.revisions.filter(author=request.user)
        .exclude(status=RevisionStatus.ACCEPTED).order_by("-number").select_related("base").first()
    )
    if mine and (version.current_revision_id is None or mine.number > version.current_revision.number):
        return mine.title, mine.standfirst, mine.body, mine.base, None
    return version.title, version.standfirst, version.body, version.current_revision, None


def _source(version):
    """The original's text at its current version, when the original is hosted here."""
    original = version.article.translations.filter(language=version.article.original_language).first()
    return original


@login_required
@require_GET
def workspace_edit(request, pk):
    version = get_translation_for_translator(request, pk)
    title, standfirst, body, base, draft = _starting_point(request, version)
    original = _source(version) if not version.is_original else None
    source_paragraphs = split_paragraphs(original.body) if original else []
    target_paragraphs = split_paragraphs(body)
    last_reviewed = (
        version.revisions.filter(author=request.user).exclude(status=RevisionStatus.SUBMITTED)
        .order_by("-number").prefetch_related("paragraph_reviews").first()
    )
    comments = {}
    if last_reviewed and split_paragraphs(last_reviewed.body) == target_paragraphs:
        comments = {r.index: r for r in last_reviewed.paragraph_reviews.all()}
    rows = []
    for number, row in enumerate(align(source_paragraphs, target_paragraphs)):
        rows.append({
            "number": number,
            "source_html": [render_markdown(p) for p in row.source],
            "source_kind": block_kind(row.source[0]) if row.source else "",
            "source_words": sum(word_count(p) for p in row.source),
            "text": "\n\n".join(row.target),
            "words": sum(word_count(p) for p in row.target),
            "reviews": [comments[i] for i in row.target_indices if i in comments],
        })
    changes = workflow.source_changes(version)
    return render(request, "workspace/edit.html", {
        "translation": version,
        "article": version.article,
        "original": original,
        "title": title,
        "standfirst": standfirst,
        "base": base,
        "draft": draft,
        "rows": rows,
        "preview_html": render_markdown(body),
        "source_words": sum(word_count(p) for p in source_paragraphs),
        "words": word_count(body),
        "last_reviewed": last_reviewed,
        "source_changes": changes[2] if changes else None,
        "source_from": changes[0] if changes else None,
        "source_to": changes[1] if changes else None,
        "my_revisions": version.revisions.filter(author=request.user).order_by("-number")[:20],
        "has_pending": version.revisions.filter(author=request.user, status=RevisionStatus.SUBMITTED).exists(),
    })


def _posted_text(request, version):
    """Title, standfirst, body and base from the editor form; the body joins the paragraph boxes."""
    rows = sorted(
        (int(key.split("-", 1)[1]), value)
        for key, value in request.POST.items() if key.startswith("para-") and key[5:].isdecimal() and key[5:].isascii()
    )
    body = "\n\n".join(text.strip() for _, text in rows if text.strip())
    if "body" in request.POST and not rows:
        body = request.POST["body"]
    base = None
    if request.POST.get("base"):
        try:
            base = version.revisions.get(pk=int(request.POST["base"]))
        except (ValueError, TranslationRevision.DoesNotExist):
            raise Http404 from None
    try:
        source_version = int(request.POST.get("source_version") or version.article.source_version)
    except ValueError:
        source_version = version.article.source_version
    source_version = max(1, min(source_version, version.article.source_version))
    return {
        "title": request.POST.get("title", ""), "standfirst": request.POST.get("standfirst", ""),
        "body": body, "base": base, "source_version": source_version,
    }


def _wants_json(request):
    return request.headers.get("X-Requested-With") == "fetch"


@login_required
@require_POST
def workspace_save_draft(request, pk):
    """Autosave (JSON for the page's script) and the plain "Save draft" button (redirect)."""
    version = get_translation_for_translator(request, pk)
    try:
        draft = workflow.save_draft(version, by=request.user, **_posted_text(request, version))
    except workflow.InvalidTransition as error:
        if _wants_json(request):
            return JsonResponse({"error": str(error)}, status=400)
        messages.error(request, str(error))
        return redirect("workspace:edit", pk=version.pk)
    if _wants_json(request):
        return JsonResponse({"saved_at": timezone.localtime(draft.updated_at).strftime("%H:%M:%S")})
    messages.success(request, _("Draft saved."))
    return redirect("workspace:edit", pk=version.pk)


@login_required
@require_POST
def workspace_submit(request, pk):
    version = get_translation_for_translator(request, pk)
    text = _posted_text(request, version)
    try:
        revision = workflow.submit_revision(version, by=request.user, note=request.POST.get("note", ""), **text)
    except workflow.InvalidTransition as error:
        # Keep what was typed: it goes into the draft, and the message says what to fix.
        workflow.save_draft(version, by=request.user, **text)
        messages.error(request, str(error))
        return redirect("workspace:edit", pk=version.pk)
    if revision.has_conflict:
        messages.warning(request, _(
            "Revision %(n)s is saved. It was made from a text that has changed since, or alongside "
            "another revision: the editor will compare both."
        ) % {"n": revision.number})
    else:
        messages.success(request, _("Revision %(n)s submitted for review.") % {"n": revision.number})
    return redirect("workspace:revision", pk=revision.pk)


@login_required
@require_POST
def workspace_preview(request):
    """The live preview: the same sanitising renderer as the public site."""
    _require_workspace_user(request.user)
    body = request.POST.get("body", "")
    if len(body) > 1_000_000:
        return HttpResponseBadRequest(_("The text is too long."))
    return JsonResponse({"html": render_markdown(body), "words": word_count(body)})


@login_required
@require_GET
def workspace_revision(request, pk):
    """A revision with the editor's decision and per-paragraph comments."""
    revision = get_revision_for_translator(request, pk)
    reviews = {r.index: r for r in revision.paragraph_reviews.all()}
    paragraphs = [
        {"index": i, "html": render_markdown(text), "review": reviews.get(i)}
        for i, text in enumerate(revision.paragraphs())
    ]
    return render(request, "workspace/revision.html", {
        "revision": revision, "translation": revision.translation, "paragraphs": paragraphs,
        "Decision": ParagraphReview.Decision,
    })
