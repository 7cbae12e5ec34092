"""Admin for the translation workflow: the review queue, the review screen, history and restore."""

from functools import update_wrapper

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import workflow
from .diffing import align, paragraph_diff
from .models import ParagraphReview, TranslationRevision
from .rendering import split_paragraphs

Status = TranslationRevision.Status


class LanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        from django.conf import settings

        return settings.CONTENT_LANGUAGES

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(translation__language=self.value())
        return queryset


@admin.register(TranslationRevision)
class TranslationRevisionAdmin(admin.ModelAdmin):
    """The review queue: submitted revisions, oldest first; every revision is kept here forever."""

    list_display = ("revision", "language", "author", "created_at", "status", "has_conflict", "review_link")
    list_filter = ("status", LanguageFilter, "author", "has_conflict")
    list_select_related = ("translation", "author")
    search_fields = ("translation__title", "title", "note", "author__username")
    ordering = ("created_at",)
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in TranslationRevision._meta.fields]
    change_list_template = "review/revision_queue.html"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # nothing a translator submitted is ever lost

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("revision"), ordering="translation__title")
    def revision(self, obj):
        return format_html('<span lang="{}">{}</span> · r{}', obj.translation.language, obj.translation.title, obj.number)

    @admin.display(description=gettext_lazy("language"), ordering="translation__language")
    def language(self, obj):
        return obj.translation.language

    @admin.display(description="")
    def review_link(self, obj):
        label = _("Review") if obj.status == Status.SUBMITTED else _("Open")
        return format_html('<a href="{}">{}</a>', reverse("admin:articles_translationrevision_review", args=[obj.pk]), label)

    def changelist_view(self, request, extra_context=None):
        if not request.GET and not request.META.get("QUERY_STRING"):
            # The queue is what editors come for; the full history is one click away.
            return redirect(f"{request.path}?status__exact={Status.SUBMITTED}")
        waiting = (
            TranslationRevision.objects.filter(status=Status.SUBMITTED)
            .values("translation__language").annotate(n=Count("pk")).order_by("translation__language")
        )
        extra_context = {**(extra_context or {}), "waiting": list(waiting),
                         "waiting_total": sum(row["n"] for row in waiting)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect("admin:articles_translationrevision_review", object_id)

    def _staff_view(self, view):
        """Admin views that answer 403 (not a login page) to signed-in users who are not staff."""
        wrapped = self.admin_site.admin_view(view)

        def inner(request, *args, **kwargs):
            if request.user.is_authenticated and not request.user.is_staff:
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return update_wrapper(inner, view)

    def get_urls(self):
        return [
            path("<int:pk>/review/", self._staff_view(self.review_view),
                 name="articles_translationrevision_review"),
            path("<int:pk>/restore/", self._staff_view(self.restore_view),
                 name="articles_translationrevision_restore"),
            *super().get_urls(),
        ]

    def _get_revision(self, request, pk):
        if not request.user.has_perm("articles.view_translationrevision"):
            raise PermissionDenied
        return get_object_or_404(
            TranslationRevision.objects.select_related(
                "translation__article", "author", "decided_by", "base", "restored_from"
            ),
            pk=pk,
        )

    def review_view(self, request, pk):
        revision = self._get_revision(request, pk)
        version = revision.translation
        if request.method == "POST":
            return self._decide(request, revision)
        current = split_paragraphs(version.body)
        rows = paragraph_diff(current, revision.paragraphs())
        original = version.article.translations.filter(language=version.article.original_language).first()
        source = split_paragraphs(original.body) if original and not version.is_original else []
        source_for = {}
        for row in align(source, revision.paragraphs()):
            for index in row.target_indices:
                source_for[index] = "\n\n".join(row.source)
        reviews = {r.index: r for r in revision.paragraph_reviews.select_related("author")}
        conflicts = []
        if revision.has_conflict:
            others = version.revisions.filter(
                Q(base=revision.base) | Q(status=Status.SUBMITTED)
            ).exclude(pk=revision.pk).select_related("author").order_by("number")
            conflicts = [
                {"revision": other, "rows": [r for r in paragraph_diff(current, other.paragraphs()) if r.is_change]}
                for other in others
            ]
        changes = workflow.source_changes(version) if revision.source_version < version.article.source_version else None
        previous = revision.base
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Review revision %(n)s") % {"n": revision.number},
            "revision": revision,
            "translation": version,
            "rows": [
                {"row": row, "source": source_for.get(row.new_index, ""),
                 "review": reviews.get(row.new_index) if row.new_index is not None else None}
                for row in rows
            ],
            "changed": sum(row.is_change for row in rows),
            "conflicts": conflicts,
            "source_changes": changes[2] if changes else None,
            "title_diff": paragraph_diff([version.title], [revision.title])[0],
            "standfirst_diff": paragraph_diff([version.standfirst], [revision.standfirst])[0],
            "previous_rows": [r for r in paragraph_diff(previous.paragraphs(), revision.paragraphs()) if r.is_change]
            if previous else None,
            "history": version.revisions.select_related("author", "decided_by").order_by("-number"),
            "can_review": revision.status == Status.SUBMITTED
            and request.user.has_perm("articles.review_translation")
            and revision.author_id != request.user.pk,
            "is_own": revision.author_id == request.user.pk,
            "can_restore": request.user.has_perm("articles.review_translation")
            and version.current_revision_id != revision.pk,
            "Decision": ParagraphReview.Decision,
            "Status": Status,
        }
        return TemplateResponse(request, "review/revision_review.html", context)

    def _decide(self, request, revision):
        decision = request.POST.get("decision", "")
        paragraphs = {}
        for index in range(len(revision.paragraphs())):
            choice = request.POST.get(f"decision-{index}", "")
            if choice not in ParagraphReview.Decision.values:
                choice = ""
            comment = request.POST.get(f"comment-{index}", "")
            if choice or comment.strip():
                paragraphs[index] = (choice, comment)
        try:
            workflow.review_revision(
                revision, by=request.user, decision=decision, note=request.POST.get("note", ""),
                paragraphs=paragraphs,
            )
        except workflow.InvalidTransition as error:
            messages.error(request, str(error))
            return redirect("admin:articles_translationrevision_review", revision.pk)
        labels = {Status.ACCEPTED: _("accepted"), Status.CHANGES_REQUESTED: _("sent back for changes"),
                  Status.REJECTED: _("rejected")}
        messages.success(request, _("Revision %(n)s %(what)s.") % {"n": revision.number, "what": labels[decision]})
        return redirect(f"{reverse('admin:articles_translationrevision_changelist')}?status__exact={Status.SUBMITTED}")

    def restore_view(self, request, pk):
        revision = self._get_revision(request, pk)
        if request.method != "POST":
            return redirect("admin:articles_translationrevision_review", pk)
        restored = workflow.restore_revision(revision, by=request.user)
        messages.success(request, _("Revision %(old)s restored as revision %(new)s.")
                         % {"old": revision.number, "new": restored.number})
        return redirect("admin:articles_translationrevision_review", restored.pk)
