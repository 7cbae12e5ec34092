"""The editors' desk: admin registrations, organised around the article."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from . import admin_integrations, admin_review  # noqa: F401  (they register their own models)
from . import admin_views, search, workflow
from .admin_views import outdated_condition
from .forms import DuplicateForm, OrderedInlineForm, ScheduleForm
from .models import (
    Acknowledgement, Article, ArticleCredit, Author, CommunityLink, Section, Tag, Translation,
    TranslationCredit,
)

Status = Translation.Status
LANGUAGE_NAMES = dict(settings.CONTENT_LANGUAGES)
BOTH_PLACES = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


# --- Shared pieces ---------------------------------------------------------------------------------

def last_editor(model_name):
    """The user name on the newest admin log entry of each row, as one correlated subquery."""
    entries = LogEntry.objects.filter(
        content_type__app_label="articles", content_type__model=model_name,
        object_id=Cast(OuterRef("pk"), output_field=TextField()),
    ).order_by("-action_time", "-pk")
    return Subquery(entries.values("user__username")[:1])


def public_link(version):
    """"View on site" for what readers see, "Preview" (through the real templates) for the rest."""
    label = _("View on site") if version.is_visible() else _("Preview")
    return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', version.get_absolute_url(), label)


def names(authors):
    return ", ".join(author.name for author in authors)


class YesNoFilter(admin.SimpleListFilter):
    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]


class OutdatedTranslationFilter(YesNoFilter):
    title = gettext_lazy("outdated")
    parameter_name = "outdated"

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(outdated_condition())
        if self.value() == "no":
            return queryset.exclude(outdated_condition())
        return queryset


class OutdatedArticleFilter(YesNoFilter):
    title = gettext_lazy("has an outdated translation")
    parameter_name = "outdated"

    def queryset(self, request, queryset):
        stale = Translation.objects.filter(outdated_condition(), article=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(stale))
        if self.value() == "no":
            return queryset.exclude(Exists(stale))
        return queryset


class PersonFilter(admin.SimpleListFilter):
    """Only the people actually credited in this role, so the list stays short and one query."""

    credit_related = ""
    credit_path = ""

    def lookups(self, request, model_admin):
        # EXISTS per person rather than DISTINCT over every credit (50,000 of them on 10,000 essays).
        credits = Author._meta.get_field(self.credit_related).related_model.objects.filter(author=OuterRef("pk"))
        people = Author.objects.filter(Exists(credits))
        return [(str(pk), name) for pk, name in people.order_by("name").values_list("pk", "name")]

    def queryset(self, request, queryset):
        if self.value():
            # A sub-query, not a join: no duplicate rows, so no DISTINCT over whole rows.
            credited = queryset.model.objects.filter(**{self.credit_path: self.value()}).values("pk")
            return queryset.filter(pk__in=credited)
        return queryset


class ArticleAuthorFilter(PersonFilter):
    title = gettext_lazy("author")
    parameter_name = "author"
    credit_related = "article_credits"
    credit_path = "credits__author"


class ArticleTranslatorFilter(PersonFilter):
    title = gettext_lazy("translator")
    parameter_name = "translator"
    credit_related = "translation_credits"
    credit_path = "translations__credits__author"


class TranslationAuthorFilter(ArticleAuthorFilter):
    credit_path = "article__credits__author"


class TranslationTranslatorFilter(ArticleTranslatorFilter):
    credit_path = "credits__author"


class VersionLanguageFilter(admin.SimpleListFilter):
    title = gettext_lazy("has a version in")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return list(settings.CONTENT_LANGUAGES)

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Exists(Translation.objects.filter(article=OuterRef("pk"), language=self.value())))
        return queryset


class VersionStatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("has a version that is")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(Exists(Translation.objects.filter(article=OuterRef("pk"), status=self.value())))
        return queryset


class OrderedSaveMixin:
    """Inlines of ordered rows (credits, acknowledgements) are renumbered 0..n from their "order"."""

    ordered_models = (ArticleCredit, TranslationCredit, Acknowledgement)

    def save_formset(self, request, form, formset, change):
        if formset.model in self.ordered_models:
            save_in_order(formset)
        else:
            super().save_formset(request, form, formset, change)


def save_in_order(formset):
    formset.save(commit=False)
    deleted = set(formset.deleted_forms)
    kept = [
        (index, f) for index, f in enumerate(formset.forms)
        if f not in deleted and (f.instance.pk is not None or f.has_changed())
    ]
    kept.sort(key=lambda pair: (pair[1].cleaned_data.get("order") or 10_000, pair[0]))
    with transaction.atomic():
        for obj in formset.deleted_objects:
            obj.delete()
        # Move the old rows out of the way first: (parent, position) is unique at every moment.
        rows = formset.model.objects.filter(**{formset.fk.name: formset.instance})
        rows.update(position=F("position") + 1000)
        for position, (_index, f) in enumerate(kept):
            f.instance.position = position
            f.instance.save()


# --- Inlines -------------------------------------------------------------------------------------

DESK_CSS = {"all": ["articles/admin/desk.css"]}


class CreditInline(admin.TabularInline):
    form = OrderedInlineForm
    fields = ("order", "author")
    autocomplete_fields = ("author",)
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["label"] = self.verbose_name
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArticleCreditInline(CreditInline):
    model = ArticleCredit
    verbose_name = gettext_lazy("author")
    verbose_name_plural = gettext_lazy("authors, in byline order")


class AcknowledgementInline(admin.TabularInline):
    model = Acknowledgement
    form = OrderedInlineForm
    fields = ("order", "name", "author", "reasons", "notes")
    autocomplete_fields = ("author",)
    extra = 1
    verbose_name_plural = gettext_lazy("acknowledgements, in order")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("reasons", "notes"):
            kwargs["widget"] = admin.widgets.AdminTextareaWidget(attrs={"class": "vJSONField-compact", "rows": 2})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class TranslationInline(admin.TabularInline):
    """Language versions on the article page; translators are edited on each version's own page."""

    model = Translation
    fields = ("language", "title", "status_label", "translator_names", "links")
    readonly_fields = ("status_label", "translator_names", "links")
    show_change_link = True
    verbose_name_plural = gettext_lazy("language versions")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").prefetch_related("credits__author")

    @admin.display(description=gettext_lazy("status"))
    def status_label(self, obj):
        if obj.pk is None:
            return "—"
        label = obj.get_status_display()
        return format_html("{} · <strong>{}</strong>", label, _("outdated")) if obj.is_outdated else label

    @admin.display(description=gettext_lazy("translators"))
    def translator_names(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("admin:articles_translation_change", args=[obj.pk])
        return format_html(
            '{} <a href="{}#credits-group">{}</a>',
            names(obj.ordered_translators()) or "—", url, _("edit translators"),
        )

    @admin.display(description=gettext_lazy("on the site"))
    def links(self, obj):
        return public_link(obj) if obj.pk is not None else "—"


class TranslationCreditInline(CreditInline):
    model = TranslationCredit
    verbose_name = gettext_lazy("translator")
    verbose_name_plural = gettext_lazy("translators, in byline order")


# --- Articles ------------------------------------------------------------------------------------

def search_words(search_term):
    """The admin's words: split as Django's own search does, quotes keeping phrases together."""
    for bit in smart_split(search_term or ""):
        if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
            bit = unescape_string_literal(bit)
        if bit:
            yield bit


def version_match(word):
    """Versions whose title, standfirst, body, original title or credited names hold `word`.

    Names are matched in sub-queries: a join repeats rows, then needs DISTINCT over whole rows.
    On PostgreSQL the standfirst and body are matched by their words (stemmed) through the GIN
    index, since a substring search reads every essay (45 s on 10,000 articles); titles and names
    stay substrings. Elsewhere every field is a substring.
    """
    # Cheapest first: PostgreSQL stops at the first branch a row satisfies.
    if connection.vendor == "postgresql":
        match = Q(pk__in=search.matching_versions(word))
    else:
        match = Q(standfirst__icontains=word) | Q(body__icontains=word)
    match |= Q(title__icontains=word) | Q(article__original_title__icontains=word)
    match |= Q(pk__in=TranslationCredit.objects.filter(author__name__icontains=word).values("translation"))
    match |= Q(article__in=ArticleCredit.objects.filter(author__name__icontains=word).values("article"))
    return match


@admin.register(Article)
class ArticleAdmin(OrderedSaveMixin, admin.ModelAdmin):
    list_display = ("__str__", "section", "languages", "author_names", "last_change", "last_editor")
    list_filter = (
        "section", "original_language", VersionLanguageFilter, VersionStatusFilter,
        ArticleAuthorFilter, ArticleTranslatorFilter, OutdatedArticleFilter,
    )
    # Searched by get_search_results; listed so that the admin shows its search box.
    search_fields = ("original_title", "key")
    date_hierarchy = "created_at"
    list_select_related = ("section",)
    autocomplete_fields = ("tags",)
    prepopulated_fields = {"key": ("original_title",)}
    inlines = (ArticleCreditInline, AcknowledgementInline, TranslationInline)

    class Media:
        css = DESK_CSS
    readonly_fields = ("markdown_files",)

    @admin.display(description=gettext_lazy("Markdown files"))
    def markdown_files(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("article_markdown_download", args=[obj.key]),
                           _("Download every language version (zip)"))

    fieldsets = (
        (None, {"fields": ("original_title", "key", "original_language", "section", "tags", "markdown_files")}),
        (gettext_lazy("Original record"), {"fields": (
            "source_url", "source_outlet", "source_published_on", "rights_note", "source_version",
        )}),
    )

    def get_queryset(self, request):
        versions = Translation.objects.only(
            "id", "article_id", "language", "status", "source_version", "published_at", "updated_at",
        )
        return super().get_queryset(request).annotate(last_editor_name=last_editor("article")).prefetch_related(
            Prefetch("translations", queryset=versions), "credits__author",
        )

    def get_search_results(self, request, queryset, search_term):
        """Every word must match the key, a thanked name, or any version as the translations list matches it."""
        for word in search_words(search_term):
            queryset = queryset.filter(
                Q(key__icontains=word)
                | Q(pk__in=Translation.objects.filter(version_match(word)).values("article"))
                | Q(pk__in=Acknowledgement.objects.filter(name__icontains=word).values("article"))
            )
        return queryset, False

    def get_urls(self):
        own = [
            path("matrix/", self.admin_site.admin_view(self.matrix_view), name="articles_article_matrix"),
            path("import/", self.admin_site.admin_view(self.import_view), name="articles_article_import"),
        ]
        return own + super().get_urls()

    def matrix_view(self, request):
        return admin_views.status_matrix(request, self)

    def import_view(self, request):
        return admin_views.import_article(request, self)

    def save_formset(self, request, form, formset, change):
        if formset.model is Translation:
            versions = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for obj in versions:
                if obj.pk is None:
                    # A new version follows the source text as it stands now.
                    obj.source_version = form.instance.source_version
                obj.save()
                workflow.record_editor_revision(obj, by=request.user)
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    @admin.display(description=gettext_lazy("languages"))
    def languages(self, obj):
        versions = sorted(obj.translations.all(), key=lambda v: (v.language != obj.original_language, v.language))
        # Published versions in bold; the status of each on hover.
        return format_html_join(
            " ", '<span title="{}">{}</span>',
            ((v.get_status_display(), format_html("<strong>{}</strong>", v.language) if v.is_visible() else v.language)
             for v in versions),
        ) or "—"

    @admin.display(description=gettext_lazy("authors"))
    def author_names(self, obj):
        return names(obj.ordered_authors()) or "—"

    @admin.display(description=gettext_lazy("last change"), ordering="updated_at")
    def last_change(self, obj):
        latest = max([obj.updated_at, *(v.updated_at for v in obj.translations.all())])
        return date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT")

    @admin.display(description=gettext_lazy("by"), ordering="last_editor_name")
    def last_editor(self, obj):
        return obj.last_editor_name or "—"


# --- Translations ----------------------------------------------------------------------------------

class TranslationChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows the text; long bodies stay in the database (search still reads them).
        return super().get_queryset(request, exclude_parameters).defer("body", "body_html")


@admin.register(Translation)
class TranslationAdmin(OrderedSaveMixin, admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An editor's edit of the text joins the revision history like any accepted revision.
        if not change or {"title", "standfirst", "body"} & set(form.changed_data):
            workflow.record_editor_revision(obj, by=request.user)

    list_display = (
        "title", "language", "status", "is_outdated_flag", "section", "published_at",
        "translator_names", "updated_at", "last_editor", "on_site",
    )
    list_filter = (
        "status", "language", "article__section",
        TranslationAuthorFilter, TranslationTranslatorFilter, OutdatedTranslationFilter,
    )
    search_fields = (
        "title", "standfirst", "body", "article__original_title", "credits__author__name",
        "article__credits__author__name",
    )
    date_hierarchy = "published_at"
    list_select_related = ("article__section",)
    # A second COUNT over every version, for "(N total)" beside filtered results, is not worth it.
    show_full_result_count = False
    # A row's dozen cells are most of the page's time: 25 rows (WordPress shows 20) stay under 200 ms.
    list_per_page = 25
    autocomplete_fields = ("article", "assignees")
    inlines = (TranslationCreditInline,)
    readonly_fields = ("status", "published_at", "revision_history", "work_files")
    fieldsets = (
        (None, {"fields": ("article", "language", "title", "slug", "standfirst", "body")}),
        (gettext_lazy("Publication"), {"fields": ("status", "published_at", "source_version")}),
        (gettext_lazy("Translation work"), {"fields": (
            "assignees", "is_open_for_translation", "revision_history", "work_files",
        )}),
    )

    @admin.display(description=gettext_lazy("translation files"))
    def work_files(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("translation_exchange", args=[obj.pk]),
                           _("XLIFF and PO for translators' own tools"))
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    actions = ("publish_now", "schedule", "unpublish", "archive", "duplicate")

    class Media:
        css = DESK_CSS

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            last_editor_name=last_editor("translation")
        ).prefetch_related("credits__author")

    def get_changelist(self, request, **kwargs):
        return TranslationChangeList

    def get_search_results(self, request, queryset, search_term):
        """Every word must match a title, standfirst, body, original title or credited name."""
        for word in search_words(search_term):
            queryset = queryset.filter(version_match(word))
        return queryset, False

    def get_changeform_initial_data(self, request):
        """?article=<pk>&language=<code> (the status matrix's links) prefill the form."""
        initial = super().get_changeform_initial_data(request)
        article_pk = str(initial.get("article", ""))
        article = Article.objects.filter(pk=article_pk).first() if article_pk.isdigit() else None
        if article is not None:
            initial.setdefault("source_version", article.source_version)
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["is_visible"] = bool(obj and obj.is_visible())
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_translation")

    # Columns: a page shows 100 rows, so each cell avoids per-call work that gives the same HTML.

    def action_checkbox(self, obj):
        # Django's own renders a form widget through the template engine: a quarter millisecond a row.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            admin.helpers.ACTION_CHECKBOX_NAME, obj.pk,
            format_html(_("Select this object for an action - {}"), str(obj)),
        )

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language(self, obj):
        # The field's choices are a callable, flattened again for every cell.
        return LANGUAGE_NAMES.get(obj.language, obj.language)

    @admin.display(description=gettext_lazy("outdated"), boolean=True)
    def is_outdated_flag(self, obj):
        return obj.is_outdated

    @admin.display(description=gettext_lazy("section"), ordering="article__section")
    def section(self, obj):
        return obj.article.section or "—"

    @admin.display(description=gettext_lazy("translators"))
    def translator_names(self, obj):
        return names(obj.ordered_translators()) or "—"

    @admin.display(description=gettext_lazy("by"), ordering="last_editor_name")
    def last_editor(self, obj):
        return obj.last_editor_name or "—"

    @admin.display(description=gettext_lazy("on the site"))
    def on_site(self, obj):
        return public_link(obj)

    @admin.display(description=gettext_lazy("revisions"))
    def revision_history(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = []
        for revision in obj.revisions.select_related("author").order_by("-number"):
            try:
                url = reverse("admin:articles_translationrevision_change", args=[revision.pk])
            except NoReverseMatch:
                url = ""
            label = _("r%(number)s · %(status)s · %(who)s · %(when)s") % {
                "number": revision.number, "status": revision.get_status_display(),
                "who": revision.author.get_username(),
                "when": date_format(timezone.localtime(revision.created_at), "SHORT_DATETIME_FORMAT"),
            }
            rows.append(format_html('<li><a href="{}">{}</a></li>', url, label) if url else format_html("<li>{}</li>", label))
        if not rows:
            return _("No revision submitted yet.")
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows)))

    # Actions: each calls workflow.py and reports every success and refusal.

    def _run(self, request, queryset, transition, done_message, log_message, **extra):
        done = []
        for version in queryset.select_related("article"):
            try:
                transition(version, by=request.user)
            except workflow.InvalidTransition as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            except PermissionDenied as refusal:
                self.message_user(request, str(refusal) or _("You are not allowed to do this."), messages.ERROR)
            else:
                self.log_change(request, version, log_message)
                done.append(version)
        if done:
            self.message_user(
                request,
                done_message(len(done)) % {
                    "n": len(done), "titles": ", ".join(f"“{v.title}” ({v.language})" for v in done), **extra,
                },
                messages.SUCCESS,
            )

    @admin.action(
        permissions=["publish"], location=BOTH_PLACES,
        description=gettext_lazy("Publish now"),
        description_plural=gettext_lazy("Publish the selected translations now"),
    )
    def publish_now(self, request, queryset):
        self._run(
            request, queryset, workflow.publish_translation,
            lambda n: ngettext("Published %(titles)s.", "Published %(n)s translations: %(titles)s.", n),
            _("Published."),
        )

    @admin.action(
        permissions=["publish"], location=BOTH_PLACES,
        description=gettext_lazy("Schedule…"),
        description_plural=gettext_lazy("Schedule the selected translations…"),
    )
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            at = form.cleaned_data["publish_at"]
            when = date_format(timezone.localtime(at), "DATETIME_FORMAT")
            self._run(
                request, queryset, lambda v, by: workflow.schedule_translation(v, at, by=by),
                lambda n: ngettext(
                    "Scheduled %(titles)s for %(when)s.", "Scheduled %(n)s translations for %(when)s: %(titles)s.", n,
                ),
                _("Scheduled for %(when)s.") % {"when": when}, when=when,
            )
            return None
        return self._action_page(request, queryset, form, "schedule", _("Schedule for publication"))

    @admin.action(
        permissions=["publish"], location=BOTH_PLACES,
        description=gettext_lazy("Unpublish"),
        description_plural=gettext_lazy("Unpublish the selected translations"),
    )
    def unpublish(self, request, queryset):
        self._run(
            request, queryset, workflow.unpublish_translation,
            lambda n: ngettext(
                "Unpublished %(titles)s; it is a draft again.",
                "Unpublished %(n)s translations; they are drafts again: %(titles)s.", n,
            ),
            _("Unpublished."),
        )

    @admin.action(
        permissions=["publish"], location=BOTH_PLACES,
        description=gettext_lazy("Archive"),
        description_plural=gettext_lazy("Archive the selected translations"),
    )
    def archive(self, request, queryset):
        self._run(
            request, queryset, workflow.archive_translation,
            lambda n: ngettext("Archived %(titles)s.", "Archived %(n)s translations: %(titles)s.", n),
            _("Archived."),
        )

    @admin.action(
        permissions=["add"], location=BOTH_PLACES,
        description=gettext_lazy("Duplicate into another language…"),
        description_plural=gettext_lazy("Duplicate the selected translations into another language…"),
    )
    def duplicate(self, request, queryset):
        form = DuplicateForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return self._action_page(request, queryset, form, "duplicate", _("Duplicate into another language"))
        language = form.cleaned_data["language"]
        for version in queryset.select_related("article"):
            if version.article.translations.filter(language=language).exists():
                self.message_user(request, _(
                    "“%(title)s” was not copied: its article already has a version in %(language)s."
                ) % {"title": version.title, "language": language}, messages.ERROR)
                continue
            copy = Translation.objects.create(
                article=version.article, language=language, title=version.title,
                standfirst=version.standfirst, body=version.body,
                source_version=version.article.source_version if version.is_original else version.source_version,
            )
            self.log_addition(request, copy, _("Copied from “%(title)s” (%(language)s).") % {
                "title": version.title, "language": version.language,
            })
            url = reverse("admin:articles_translation_change", args=[copy.pk])
            self.message_user(request, format_html(
                _("Made a {language} draft from “{title}”: <a href=\"{url}\">translate it</a>."),
                language=language, title=version.title, url=url,
            ), messages.SUCCESS)
        return None

    def _action_page(self, request, queryset, form, action, title):
        """The intermediate page of an action that needs an answer; it posts back to the same URL."""
        passthrough = [
            (key, value) for key in request.POST
            if key in ("action", "index", "select_across") or key.endswith(("-action", "-select_across"))
            for value in request.POST.getlist(key)
        ]
        return TemplateResponse(request, f"admin/articles/translation/action_{action}.html", {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "queryset": queryset.select_related("article"),
            "passthrough": passthrough,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        })


# --- The rest of the content model -----------------------------------------------------------------

@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "website", "user")
    list_filter = ("kind",)
    search_fields = ("name", "bio")
    raw_id_fields = ("user",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "slug", "position")
    list_editable = ("position",)
    search_fields = ("slug",)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Acknowledgement)
class AcknowledgementAdmin(admin.ModelAdmin):
    list_display = ("name", "article", "position", "author")
    list_select_related = ("article", "author")
    search_fields = ("name", "article__original_title")
    autocomplete_fields = ("article", "author")


@admin.register(CommunityLink)
class CommunityLinkAdmin(admin.ModelAdmin):
    list_display = ("label", "language", "url", "position")
    list_editable = ("position",)
    list_filter = ("language",)
    search_fields = ("label", "url")
