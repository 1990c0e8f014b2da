"""Notice bodies: staff write Markdown, visitors get a small, safe subset of HTML."""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Dropped with everything inside them, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "svg", "math",
                        "template", "noscript", "textarea", "select", "title"}
# The notice page's own headings are h1 and h2, so the body's start at h3.
HEADING_LEVELS = {"h1": "h3", "h2": "h4", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4"}
ABSOLUTE_URL = re.compile(r"^(https?|mailto|tel):", re.IGNORECASE)
# A path on this site; `//host` and `/\host` lead to another host.
SITE_PATH = re.compile(r"^/(?![/\\])")


def _keep_safe_href(tag, attribute, value):
    if attribute == "href" and not (ABSOLUTE_URL.match(value) or SITE_PATH.match(value)):
        return None
    return value


class _ShiftHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter():
            if element.tag in HEADING_LEVELS:
                element.tag = HEADING_LEVELS[element.tag]


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 0)


def render_body(markdown_text):
    """Markdown → HTML → sanitized: no scripts, styles, event handlers or unsafe links."""
    html = markdown.markdown(markdown_text or "", output_format="html",
                             extensions=[_ShiftHeadingsExtension()])
    return mark_safe(nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_safe_href,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ))
