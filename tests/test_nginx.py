"""Debian's nginx on 127.0.0.1 with the configuration shipped in
docs/guide/deploy/ (the file the deployment page offers), over a public build
at a host's root and an internal build under /anli/ with a password: every
file of both sites, the search data, the headers, the 404 status and page,
and the 404 page in Chromium under the sub-path."""

from __future__ import annotations

import getpass
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import time
from base64 import b64encode
from pathlib import Path

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, MKDOCS, ROOT

NGINX = os.environ.get("CASEBOOK_NGINX", "/usr/sbin/nginx")
DEBIAN_MAIN_CONF = Path("/etc/nginx/nginx.conf")
SHIPPED = ROOT / "docs" / "guide" / "deploy"
PUBLIC_HOST, INTERNAL_HOST, PREFIX = "anli.example", "neibu.example", "/anli/"
USER, PASSWORD = "审核人", "correct horse 电池"
AUTH = "Basic " + b64encode(f"{USER}:{PASSWORD}".encode()).decode()
IMMUTABLE = "public, max-age=31536000, immutable"
SECTIONS = ["首页", "经验做法", "警示案例", "工作报告", "按单位", "按主题", "按年份"]


def substitute(text: str, old: str, new: str, count: int) -> str:
    """Replace a deployment-specific value; the shipped file must hold it exactly ``count`` times."""
    assert text.count(old) == count, f"the shipped configuration no longer contains {old!r} {count}×"
    return text.replace(old, new)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def htpasswd_line(user: str, password: str) -> str:
    """What the deployment page tells the administrator to run."""
    if not shutil.which("openssl"):
        pytest.fail("openssl is missing: `make test` installs it with nginx")
    hashed = subprocess.run(["openssl", "passwd", "-6", "-stdin"], input=password, capture_output=True,
                            text=True, check=True).stdout.strip()
    return f"{user}:{hashed}\n"


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The public build (site root) and the internal build (for /anli/)."""
    base = tmp_path_factory.mktemp("nginx-sites")
    public, internal = base / "public", base / "internal"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CASEBOOK_")}
    for site, env in ((public, {**clean, "CASEBOOK_PROFILE": "public"}),
                      (internal, {**clean, "CASEBOOK_PROFILE": "internal",
                                  "CASEBOOK_SITE_URL": f"http://{INTERNAL_HOST}{PREFIX}"})):
        result = subprocess.run([*MKDOCS, "build", "--strict", "-d", str(site)], capture_output=True, text=True,
                                env=env, cwd=ROOT)
        assert result.returncode == 0, result.stdout + result.stderr
    return public, internal


@pytest.fixture(scope="module")
def nginx(sites, tmp_path_factory):
    """nginx with Debian's nginx.conf, whose conf.d include now reads the
    shipped casebook.conf; only ports, folders and the password file change."""
    if not Path(NGINX).exists():
        pytest.fail(f"{NGINX} is missing: `make test` installs Debian's nginx")
    public, internal = sites
    conf = tmp_path_factory.mktemp("nginx-conf")
    port = free_port()
    (conf / "snippets").mkdir()
    shutil.copy(SHIPPED / "casebook-common.conf", conf / "snippets" / "casebook-common.conf")
    (conf / "casebook.htpasswd").write_text(htpasswd_line(USER, PASSWORD), encoding="utf-8")
    site_conf = (SHIPPED / "casebook.conf").read_text(encoding="utf-8")
    site_conf = substitute(site_conf, "listen 80;", f"listen 127.0.0.1:{port};", 2)
    site_conf = substitute(site_conf, "root /srv/casebook/public;", f"root {public};", 1)
    site_conf = substitute(site_conf, "alias /srv/casebook/internal/;", f"alias {internal}/;", 1)
    site_conf = substitute(site_conf, "/etc/nginx/casebook.htpasswd", str(conf / "casebook.htpasswd"), 1)
    (conf / "casebook.conf").write_text(site_conf, encoding="utf-8")

    main = DEBIAN_MAIN_CONF.read_text(encoding="utf-8")
    main = substitute(main, "include /etc/nginx/conf.d/*.conf;", "include casebook.conf;", 1)
    main = substitute(main, "include /etc/nginx/sites-enabled/*;", "", 1)
    main = re.sub(r"(?m)^user\s+\S+;", f"user {getpass.getuser()};", main)  # reads the pytest temp folders
    main = re.sub(r"(?m)^pid\s+\S+;", f"pid {conf / 'nginx.pid'};", main)
    main = re.sub(r"(?m)^(\s*)(error_log|access_log)\s+\S+;", rf"\1\2 {conf}/\2.log;", main)
    temp = "".join(f"\t{kind}_temp_path {conf / kind};\n" for kind in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    main = substitute(main, "http {\n", "http {\n" + temp, 1)
    (conf / "nginx.conf").write_text(main, encoding="utf-8")

    command = [NGINX, "-p", str(conf), "-e", str(conf / "error_log.log"), "-c", str(conf / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"], stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read()
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.headers
        self.raw_body = raw.read()
        self.body = gzip.decompress(self.raw_body) if raw.headers.get("Content-Encoding") == "gzip" else self.raw_body

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def get(port: int, host: str, path: str, auth: str | None = AUTH, gzip_ok: bool = True) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": host, **({"Accept-Encoding": "gzip"} if gzip_ok else {}), **({"Authorization": auth} if auth else {})}
    try:
        conn.request("GET", path, headers=headers)
        return Response(conn.getresponse())
    finally:
        conn.close()


def url_of(rel: str) -> str:
    """The URL a reader uses for a built file: folders end in /, not index.html."""
    return rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel


def site_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())


def expected_cache_control(rel: str) -> str:
    if re.search(r"^assets/(javascripts|stylesheets)/[^/]+\.[0-9a-f]{8}\.min\.(js|css)$", rel):
        return IMMUTABLE
    if re.search(r"^assets/casebook/app/[^/]+\.[0-9a-f]{12}\.(js|css)$", rel):  # the search modules, hashed
        return IMMUTABLE
    if rel.startswith(("assets/casebook/search/g/", "assets/casebook/search/d/")) \
            or rel == "assets/casebook/search/facets.bin":
        return IMMUTABLE
    return "no-cache"


def assert_common_headers(response: Response) -> None:
    assert response.header("X-Content-Type-Options") == "nosniff"
    assert response.header("X-Frame-Options") == "SAMEORIGIN"
    assert response.header("Referrer-Policy") == "same-origin"
    csp = response.header("Content-Security-Policy")
    assert "default-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert response.header("Server") == "nginx"  # no version


@pytest.mark.parametrize("which", ["public", "internal"])
def test_every_file_is_served_as_built_with_its_cache_policy(nginx, sites, which):
    site = sites[0] if which == "public" else sites[1]
    host, prefix = (PUBLIC_HOST, "/") if which == "public" else (INTERNAL_HOST, PREFIX)
    files = site_files(site)
    assert len(files) > 300
    gzipped = set()
    for rel in files:
        response = get(nginx, host, prefix + url_of(rel))
        assert response.status == 200, rel
        assert response.body == (site / rel).read_bytes(), rel
        assert response.header("Cache-Control") == expected_cache_control(rel), rel
        if response.header("Content-Encoding") == "gzip":
            gzipped.add(rel.rsplit(".", 1)[-1])
            assert "Accept-Encoding" in response.header("Vary"), rel
    assert {"html", "css", "js", "json"} <= gzipped
    assert "bin" not in gzipped  # search data is gzip-packed when built: not compressed twice
    assert_common_headers(get(nginx, host, prefix))


def test_pages_have_types_and_charset_and_are_smaller_compressed(nginx, sites):
    public, _ = sites
    page = get(nginx, PUBLIC_HOST, "/practices/")
    assert page.header("Content-Type") == "text/html; charset=utf-8"
    assert page.header("Content-Encoding") == "gzip" and len(page.raw_body) < len(page.body) / 2
    assert "经验做法" in page.text
    plain = get(nginx, PUBLIC_HOST, "/practices/", gzip_ok=False)
    assert plain.header("Content-Encoding") == "" and plain.body == page.body
    scripts = sorted((public / "assets/casebook/app").glob("ui.*.js"))
    assert len(scripts) == 1, scripts  # the search entry module, under its hashed name
    script = get(nginx, PUBLIC_HOST, "/assets/casebook/app/" + scripts[0].name)
    assert script.header("Content-Type") == "application/javascript; charset=utf-8"  # a module needs a JS type
    assert script.header("Cache-Control") == IMMUTABLE
    assert get(nginx, PUBLIC_HOST, "/assets/casebook/search.js").status == 404  # no unhashed copy to go stale
    assert get(nginx, PUBLIC_HOST, "/assets/casebook/search/manifest.json").header("Content-Type") \
        == "application/json; charset=utf-8"


def test_search_data_as_the_browser_reads_it(nginx, sites):
    public, _ = sites
    manifest = get(nginx, PUBLIC_HOST, "/assets/casebook/search/manifest.json")
    assert manifest.status == 200 and manifest.header("Cache-Control") == "no-cache"
    m = json.loads(manifest.body)
    version = m["version"]
    for path in [f"g/{k}.bin" for k in range(m["shards"])] + [f"d/{i}.bin" for i in range(m["n"])] + ["facets.bin"]:
        response = get(nginx, PUBLIC_HOST, f"/assets/casebook/search/{path}?v={version}")
        assert response.status == 200, path
        assert response.body == (public / "assets/casebook/search" / path).read_bytes(), path
        assert response.header("Cache-Control") == IMMUTABLE, path
    assert get(nginx, PUBLIC_HOST, f"/assets/casebook/search/g/{m['shards']}.bin?v={version}").status == 404


def test_public_and_internal_are_separate(nginx, sites):
    public, internal = sites
    internal_only = sorted(set(site_files(internal)) - set(site_files(public)))
    entry_pages = [rel for rel in internal_only if re.match(r"(practices|warnings|reports)/[^/]+/index\.html$", rel)]
    assert entry_pages, "the sample library has internal entries"
    for rel in entry_pages:
        assert get(nginx, PUBLIC_HOST, "/" + url_of(rel)).status == 404
        assert get(nginx, INTERNAL_HOST, PREFIX + url_of(rel)).status == 200
    assert get(nginx, PUBLIC_HOST, PREFIX).status == 404  # the public host has no /anli/
    # Any other host name (an IP address, a typo) gets the public site, never the internal one.
    for host in ("127.0.0.1", "other.example"):
        assert get(nginx, host, "/").body == (public / "index.html").read_bytes()
        assert get(nginx, host, PREFIX).status == 404


def test_internal_site_asks_for_the_password(nginx):
    for auth in (None, "Basic " + b64encode(f"{USER}:wrong".encode()).decode()):
        response = get(nginx, INTERNAL_HOST, PREFIX, auth=auth)
        assert response.status == 401
        assert response.header("WWW-Authenticate").startswith("Basic ")
        assert "清廉" not in response.body.decode("utf-8", "replace")
        response = get(nginx, INTERNAL_HOST, PREFIX + "assets/casebook/search/manifest.json", auth=auth)
        assert response.status == 401
    assert get(nginx, INTERNAL_HOST, PREFIX).status == 200


def test_missing_slash_redirects_by_path(nginx):
    response = get(nginx, PUBLIC_HOST, "/practices")
    assert response.status == 301 and response.header("Location") == "/practices/"
    response = get(nginx, INTERNAL_HOST, "/anli")
    assert response.status == 301 and response.header("Location") == "/anli/"
    response = get(nginx, INTERNAL_HOST, "/anli/warnings")
    assert response.status == 301 and response.header("Location") == "/anli/warnings/"


LINK = re.compile(r'(?:href|src|action)="([^"#]+)"')


@pytest.mark.parametrize("which", ["public", "internal"])
def test_404_status_and_page(nginx, sites, which):
    site = sites[0] if which == "public" else sites[1]
    host, prefix = (PUBLIC_HOST, "/") if which == "public" else (INTERNAL_HOST, PREFIX)
    for missing in ("no-such-page/", "practices/no-such-entry/", "a/b/c/d/e.html", "assets/casebook/nothing.js"):
        response = get(nginx, host, prefix + missing)
        assert response.status == 404, missing
        assert response.body == (site / "404.html").read_bytes()
        assert response.header("Content-Type") == "text/html; charset=utf-8"
        assert response.header("Cache-Control") == "no-cache"
        assert_common_headers(response)
    page = response.text
    assert "<title>页面不存在 - 清廉机关建设案例库</title>" in page
    assert "<h1>页面不存在</h1>" in page and "Not found" not in page
    assert f'action="{prefix}search/"' in page and 'name="q"' in page
    sections = page[page.index('class="cb-notfound__sections"'):]
    for name in SECTIONS:
        assert f">{name}</a>" in sections, name
    # Every link and asset of the page resolves on this server, at this prefix.
    targets = {t for t in LINK.findall(page) if not t.startswith(("http:", "https:", "data:", "mailto:"))}
    assert len(targets) > 15
    for target in sorted(targets):
        assert target.startswith(prefix), target
        assert get(nginx, host, target).status == 200, target


@pytest.fixture(scope="module")
def chromium_for_hosts(nginx):
    """Chromium that resolves both host names to 127.0.0.1, as the intranet DNS would."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    rules = f"MAP {PUBLIC_HOST} 127.0.0.1, MAP {INTERNAL_HOST} 127.0.0.1"
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=[*CHROMIUM_ARGS, f"--host-resolver-rules={rules}"])
        yield browser
        browser.close()


def open_page(browser, origin: str):
    """A page that records failed requests, requests to other servers and CSP refusals."""
    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD})
    page = context.new_page()
    problems: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((origin, "data:", "blob:", "about:"))
            else problems.append(f"outside: {r.url}"))
    page.on("requestfailed", lambda r: None if r.failure == "net::ERR_ABORTED"  # left the page before it came
            else problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", lambda r: problems.append(f"{r.status}: {r.url}")
            if r.status >= 400 and "/no-such/" not in r.url else None)
    # Failed loads are in the responses above; any other console error (a CSP refusal) is a problem.
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    return context, page, problems


def test_404_page_under_the_sub_path_in_chromium(chromium_for_hosts, nginx):
    origin = f"http://{INTERNAL_HOST}:{nginx}"
    context, page, problems = open_page(chromium_for_hosts, origin)
    try:
        response = page.goto(f"{origin}{PREFIX}no-such/deeply/nested/page.html")
        assert response.status == 404
        assert page.title() == "页面不存在 - 清廉机关建设案例库"
        # The theme's style sheet applied: the header is fixed at the top, the tabs are there.
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        assert page.locator(".md-tabs").is_visible()
        page.fill("#cb-sbox-q", "家风")  # the header box reads the index under /anli/ too
        page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
        assert page.locator("#cb-sbox-list [role=option]").count() > 0
        assert page.locator("#cb-sbox-list a").first.get_attribute("href").startswith(origin + PREFIX)
        page.fill("#cb-notfound-q", "家风")
        page.press("#cb-notfound-q", "Enter")
        page.wait_for_url(f"{origin}{PREFIX}search/?q=*")
        page.wait_for_selector(".cb-results li")
        assert page.locator(".cb-results li").count() > 0
        page.goto(f"{origin}{PREFIX}no-such/other/")
        page.click(".cb-notfound__sections >> text=警示案例")
        page.wait_for_url(f"{origin}{PREFIX}warnings/")
        assert page.locator("h1").first.inner_text() == "警示案例"
        assert not problems, problems
    finally:
        context.close()


def test_pages_run_under_the_security_headers_in_chromium(chromium_for_hosts, nginx, sites):
    """The Content-Security-Policy refuses nothing the site itself needs."""
    public, _ = sites
    origin = f"http://{PUBLIC_HOST}:{nginx}"
    entry = next(rel for rel in site_files(public) if rel.startswith("warnings/") and rel.count("/") == 2)
    context, page, problems = open_page(chromium_for_hosts, origin)
    try:
        for path in ("/search/?q=%E5%AE%B6%E9%A3%8E", "/" + url_of(entry), "/stats/", "/guide/deploy/", "/"):
            assert page.goto(origin + path).status == 200
        page.wait_for_selector(".cb-totals")
        page.goto(origin + "/search/?q=%E5%AE%B6%E9%A3%8E")
        page.wait_for_selector(".cb-results li")
        page.goto(origin + "/")
        page.fill("#cb-sbox-q", "警示")  # the header box's instant results
        page.wait_for_selector(".cb-sbox[data-state=done]", state="attached")
        assert page.locator("#cb-sbox-list [role=option]").count() > 0
        assert not problems, problems
    finally:
        context.close()


def test_deploy_page_quotes_the_shipped_configuration():
    """The page explains excerpts; each line of them is in the shipped files,
    and the page links both files (the site offers them for download)."""
    page = (ROOT / "docs" / "guide" / "deploy.md").read_text(encoding="utf-8")
    shipped = {line.strip() for name in ("casebook.conf", "casebook-common.conf")
               for line in (SHIPPED / name).read_text(encoding="utf-8").splitlines()}
    blocks = re.findall(r"```nginx\n(.*?)```", page, re.S)
    assert len(blocks) >= 4
    for block in blocks:
        for line in filter(None, (raw.strip() for raw in block.splitlines())):
            assert line in shipped, f"the deployment page quotes a line the configuration does not have: {line}"
    assert "](deploy/casebook.conf)" in page and "](deploy/casebook-common.conf)" in page
    for header in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy"):
        assert f"`{header}`" in page and f"add_header {header} " in "\n".join(shipped)
