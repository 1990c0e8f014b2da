"""The site-wide check: crawl every public page from both home pages and the sitemap.

Later issues extend `PAGE_CHECKS` (or pass `extra_checks`) to hold more rules on
every public page.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings

START_PATHS = ("/en/", "/es/")
SKIPPED_PREFIXES = ("/static/",)


class PageParser(HTMLParser):
    """Collects links, loaded resources and the document's language."""

    def __init__(self):
        super().__init__()
        self.links = []
        self.unguarded_external_links = []
        self.resources = []
        self.html_lang = None
        self.html_dir = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
            self.html_dir = attrs.get("dir")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            rel = set((attrs.get("rel") or "").split())
            if not is_internal(attrs["href"]) and urlsplit(attrs["href"]).scheme in {
                "http", "https"
            } and not {"noopener", "noreferrer"} <= rel:
                self.unguarded_external_links.append(attrs["href"])
        if tag in {"script", "img", "iframe", "audio", "video", "source", "embed"}:
            if attrs.get("src"):
                self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "alternate":
            self.resources.append(attrs["href"])
        if tag == "object" and attrs.get("data"):
            self.resources.append(attrs["data"])


def is_internal(url):
    parts = urlsplit(url)
    if parts.scheme and parts.scheme not in {"http", "https"}:
        return False
    site = urlsplit(settings.SITE_URL)
    return not parts.netloc or parts.netloc in {site.netloc, "testserver"}


def local_path(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def check_page(path, response, parser):
    """The rules every public page keeps; returns what it breaks."""
    problems = []
    if response.status_code != 200:
        problems.append(f"status {response.status_code}")
    if response.cookies:
        problems.append(f"sets cookies {sorted(response.cookies)}")
    if "Set-Cookie" in response.headers:
        problems.append("sends Set-Cookie")
    for resource in parser.resources:
        if not is_internal(resource) or resource.startswith("//"):
            problems.append(f"loads {resource} from another host")
    for link in parser.unguarded_external_links:
        problems.append(f"links to {link} without rel=\"noopener noreferrer\"")
    if not parser.html_lang:
        problems.append("no lang on <html>")
    if parser.html_dir not in {"ltr", "rtl"}:
        problems.append("no dir on <html>")
    return problems


REQUIRED_HEADERS = {
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
}
REQUIRED_CSP = ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                "base-uri 'self'", "object-src 'none'")


def check_headers(path, response, parser):
    """The privacy and security headers, and a CSP that a whole cached page can keep."""
    problems = [f"{name} is {response.headers.get(name)!r}, not {value!r}"
                for name, value in REQUIRED_HEADERS.items()
                if response.headers.get(name) != value]
    if "camera=()" not in response.headers.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy turning features off")
    csp = response.headers.get("Content-Security-Policy", "")
    problems += [f"CSP lacks {directive}" for directive in REQUIRED_CSP if directive not in csp]
    if "'nonce-" in csp:
        problems.append("CSP carries a nonce, so the page cannot be cached whole")
    if "unsafe-inline" in csp:
        problems.append("CSP allows inline code")
    return problems


PAGE_CHECKS = [check_page, check_headers]


def sitemap_paths(client):
    import xml.etree.ElementTree as ET

    response = client.get("/sitemap.xml")
    assert response.status_code == 200, "sitemap.xml must answer"
    tree = ET.fromstring(response.content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [local_path(loc.text) for loc in tree.iterfind(".//s:loc", namespace)]


def crawl(client, *, starts=START_PATHS, use_sitemap=True, extra_checks=()):
    """Visit every internal page reachable from the starts; return {path: (response, problems)}."""
    pages = {}
    todo = list(starts) + (sitemap_paths(client) if use_sitemap else [])
    while todo:
        path = todo.pop()
        if path in pages or path.startswith(SKIPPED_PREFIXES) or path.startswith(
            "/" + settings.ADMIN_URL
        ):
            continue
        response = client.get(path)
        parser = PageParser()
        if response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode())
        problems = [problem for rule in [*PAGE_CHECKS, *extra_checks]
                    for problem in rule(path, response, parser)]
        pages[path] = (response, problems)
        for link in parser.links:
            absolute = urljoin(path, link)
            if is_internal(absolute):
                todo.append(local_path(absolute).split("#")[0])
    return pages
