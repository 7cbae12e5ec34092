"""Endpoints behind the Markdown editor, open only to signed-in users who may edit translations."""

from django.contrib.auth.decorators import login_required, permission_required
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView

_markdownify = MarkdownifyView.as_view()


@require_POST
@login_required
@permission_required("articles.change_translation", raise_exception=True)
def markdownify(request):
    """The live preview, rendered by the same sanitising renderer as the public site."""
    return _markdownify(request)
