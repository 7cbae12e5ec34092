"""The models, split by concern and re-exported here: `from articles.models import Translation`."""

from .content import (  # noqa: F401
    Acknowledgement, Article, ArticleCredit, Author, CommunityLink, Section, Tag, Translation,
    TranslationCredit, content_language_choices, localized, translation_url, unique_slug,
)
from .integrations import ApiKey, WebhookDelivery, WebhookEndpoint  # noqa: F401
from .pages import RenderedPage, RenderGeneration  # noqa: F401
from .revisions import (  # noqa: F401
    ParagraphReview, RevisionDraft, SourceVersion, TranslationRevision,
)
