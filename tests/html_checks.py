"""Parse HTML and list anything that could run script: the check every sanitising test uses."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

FORBIDDEN_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "form", "input",
                  "button", "style", "link", "meta", "base", "svg", "math", "template", "textarea"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background", "srcset"}
SAFE_SCHEMES = {"", "http", "https", "mailto"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value:
                scheme = urlsplit(value.strip().replace("\n", "").replace("\t", "")).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    self.problems.append(f"{tag}[{name}={value!r}]")

    handle_startendtag = handle_starttag


def dangerous_parts(html, *, allow_tags=()):
    """Every script-capable tag, event or style attribute and non-web URL found in `html`."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return [p for p in collector.problems if p.strip("<>").split("[")[0] not in allow_tags]
