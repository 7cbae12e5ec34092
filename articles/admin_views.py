"""Admin pages beyond the model admins: the translation status matrix and the paste-and-import page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .forms import ImportReviewForm, ImportSourceForm, MatrixFilterForm
from .importer import ArticleImportError, write_article
from .models import Article, Translation
from .rendering import render_markdown
from .workflow import InvalidTransition

Status = Translation.Status
MATRIX_PAGE_SIZE = 50


# --- Status matrix ---------------------------------------------------------------------------------

def outdated_condition():
    """SQL twin of Translation.is_outdated: a version made from an older source text than its article's."""
    return Q(source_version__lt=F("article__source_version")) & ~Q(language=F("article__original_language"))


def _outdated_q():
    # In the matrix an archived version shows as archived, however old.
    return outdated_condition() & ~Q(status=Status.ARCHIVED)


def _state_q(state, now):
    """SQL for a version whose matrix cell shows `state` (any state but "missing")."""
    if state == "outdated":
        return _outdated_q()
    by_status = {
        "draft": Q(status=Status.DRAFT),
        "in_review": Q(status=Status.IN_REVIEW),
        "scheduled": Q(status=Status.SCHEDULED, published_at__gt=now),
        # A scheduled version whose time has come is what readers see: published.
        "published": Q(status=Status.PUBLISHED) | Q(status=Status.SCHEDULED, published_at__lte=now),
        "archived": Q(status=Status.ARCHIVED),
    }
    return by_status[state] & ~_outdated_q()


def cell_state(article, version, now):
    """The same rule as `_state_q`, for a version already in memory."""
    if version is None:
        return "missing"
    if (version.language != article.original_language and version.status != Status.ARCHIVED
            and version.source_version < article.source_version):
        return "outdated"
    if version.status == Status.SCHEDULED and version.published_at and version.published_at <= now:
        return "published"
    return version.status


def filter_articles(articles, *, section=None, language=None, state=None, now):
    if section is not None:
        articles = articles.filter(section=section)
    languages = [language] if language else [code for code, _name in settings.CONTENT_LANGUAGES]
    if state == "missing":
        gaps = Q()
        for code in languages:
            gaps |= ~Exists(Translation.objects.filter(article=OuterRef("pk"), language=code))
        articles = articles.filter(gaps)
    elif state:
        versions = Translation.objects.filter(_state_q(state, now), article=OuterRef("pk"))
        if language:
            versions = versions.filter(language=language)
        articles = articles.filter(Exists(versions))
    return articles


def status_matrix(request, model_admin):
    """Articles against content languages; each cell says the version's state and links to act on it."""
    if not request.user.has_perm("articles.view_translation"):
        raise PermissionDenied
    form = MatrixFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    now = timezone.now()
    versions = Translation.objects.only(
        "id", "article_id", "language", "title", "status", "source_version", "published_at",
    )
    articles = filter_articles(
        Article.objects.select_related("section").prefetch_related(Prefetch("translations", queryset=versions)),
        section=filters.get("section"), language=filters.get("language"), state=filters.get("state"), now=now,
    ).order_by("-created_at", "-pk")
    page = Paginator(articles, MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))

    names = dict(settings.CONTENT_LANGUAGES)
    codes = [filters["language"]] if filters.get("language") else list(names)
    labels = dict(MatrixFilterForm.STATES)
    add_url = reverse("admin:articles_translation_add")
    rows = []
    for article in page:
        by_language = {v.language: v for v in article.translations.all()}
        cells = []
        for code in codes:
            version = by_language.get(code)
            state = cell_state(article, version, now)
            if version is None:
                url = f"{add_url}?{urlencode({'article': article.pk, 'language': code})}"
                hint = _("Add the %(language)s version") % {"language": names[code]}
            else:
                url = reverse("admin:articles_translation_change", args=[version.pk])
                hint = version.title
            cells.append({
                "language": code, "state": state, "label": labels[state], "url": url, "hint": hint,
                "is_original": code == article.original_language,
            })
        rows.append({
            "article": article,
            "url": reverse("admin:articles_article_change", args=[article.pk]),
            "cells": cells,
        })
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(request, "admin/articles/status_matrix.html", {
        **model_admin.admin_site.each_context(request),
        "title": _("Translation status matrix"),
        "opts": model_admin.opts,
        "form": form,
        "columns": [(code, names[code]) for code in codes],
        "rows": rows,
        "page_obj": page,
        "query": query.urlencode(),
        "legend": MatrixFilterForm.STATES,
    })


# --- Paste and import ------------------------------------------------------------------------------

def _log(request, result):
    for obj, created in ((result.article, result.created), (result.translation, result.created)):
        LogEntry.objects.log_actions(
            user_id=request.user.pk,
            queryset=[obj],
            action_flag=ADDITION if created else CHANGE,
            change_message=_("Imported from the paste-and-import page."),
            single_object=True,
        )


def import_article(request, model_admin):
    """Paste or upload -> see and correct what was recognised -> confirm. Only confirming writes."""
    user = request.user
    if not (user.has_perm("articles.add_article") and user.has_perm("articles.add_translation")
            and user.has_perm("articles.change_article")):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Paste and import an article"),
        "opts": model_admin.opts,
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step in ("preview", "confirm"):
        review = ImportReviewForm(request.POST)
        if review.is_valid():
            parsed = review.to_parsed()
            if step == "confirm":
                try:
                    result = write_article(parsed, publish=review.cleaned_data["publish"], by=user)
                except (ArticleImportError, InvalidTransition, PermissionDenied) as problem:
                    # write_article runs in one transaction: a refusal leaves nothing behind.
                    review.add_error(None, _("Nothing was written: %(problem)s") % {
                        "problem": str(problem) or _("You are not allowed to do this."),
                    })
                else:
                    _log(request, result)
                    messages.success(request, _(
                        "Imported “%(title)s” (%(language)s). Check it below, then publish it when ready."
                    ) % {"title": result.translation.title, "language": result.translation.language})
                    return HttpResponseRedirect(
                        reverse("admin:articles_article_change", args=[result.article.pk])
                    )
            else:
                context["preview_html"] = render_markdown(parsed.body)
            context["report"] = parsed.report()
        return TemplateResponse(request, "admin/articles/import_review.html", {**context, "form": review})

    source = ImportSourceForm(request.POST or None, request.FILES or None)
    if source.is_bound and source.is_valid():
        try:
            parsed = source.parse()
        except ArticleImportError as problem:
            source.add_error(None, _("This text cannot be imported: %(problem)s") % {"problem": problem})
        else:
            text, is_markdown = source.source()
            review = ImportReviewForm(initial=ImportReviewForm.initial_from(parsed, text, is_markdown))
            return TemplateResponse(request, "admin/articles/import_review.html", {
                **context, "form": review, "report": parsed.report(),
                "preview_html": render_markdown(parsed.body),
            })
    return TemplateResponse(request, "admin/articles/import_source.html", {**context, "form": source})
