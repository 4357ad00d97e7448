"""The tool calls only what it should: Dynamic Registration (whose URLs a request chooses), a registered
platform's keys, and the roster and gradebook URLs of launches go to public HTTPS addresses, or to hosts the
administrator allows (``ALLOWED_PLATFORM_HOSTS``); never to loopback, private, link-local or reserved addresses,
nor to the tool itself, nor through a redirect, nor reading an oversized answer.

Real HTTP servers on 127.0.0.1 stand for an allowed platform (``site``, allowed by its port only) and for an
internal service the tool must not reach (``internal``, never allowed), which counts every request it gets.
"""
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core.management import call_command
from lti_tool.models import LtiContext, LtiDeployment, LtiRegistration

from lti import safe_fetch, services
from tests.lti.conftest import forum_init
from tests.lti.test_launch_checks import refused

pytestmark = pytest.mark.django_db(transaction=True)

LOGGER = "social_learning.lti"
TOKEN = "registration-token-secret-123"
CONFIG_PATH = "/.well-known/openid-configuration"


class Site:
    """An HTTP server on 127.0.0.1 that answers what ``routes`` say and counts every request."""

    def __init__(self):
        self.hits = []
        self.routes = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def platform_routes(self, **overrides):
        """A platform's OpenID configuration (issuer: this site) and registration endpoint."""
        config = {"issuer": self.url, "authorization_endpoint": self.url + "/auth",
                  "token_endpoint": self.url + "/token", "jwks_uri": self.url + "/jwks",
                  "registration_endpoint": self.url + "/register", **overrides}
        self.routes[CONFIG_PATH] = (200, {"Content-Type": "application/json"}, json.dumps(config).encode())
        self.routes["/register"] = (200, {"Content-Type": "application/json"}, json.dumps({
            "client_id": "guarded-client", "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                "deployment_id": "guarded-deployment"}}).encode())

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                site.hits.append((self.command, self.path, self.headers.get("Authorization"),
                                  self.rfile.read(length) if length else b""))
                status, headers, body = site.routes.get(self.path, (404, {}, b"{}"))
                if callable(body):  # a streamed answer without Content-Length
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    try:
                        body(self.wfile)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.close_connection = True
                    return
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = _answer  # noqa: N815

        return Handler

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site():
    server = Site()
    server.platform_routes()
    yield server
    server.stop()


@pytest.fixture
def internal():
    server = Site()
    server.platform_routes()
    server.routes["/secret"] = (200, {"Content-Type": "application/json"}, b'{"keys": [], "secret": "internal"}')
    yield server
    server.stop()


@pytest.fixture
def allow(settings):
    """Allow exactly these hosts (the sandbox's own allow-list of 127.0.0.1 and localhost is replaced)."""

    def allow_hosts(*hosts):
        settings.SOCIAL_LEARNING_LTI = {**settings.SOCIAL_LEARNING_LTI, "ALLOWED_PLATFORM_HOSTS": list(hosts)}

    return allow_hosts


def registrations():
    return LtiRegistration.objects.count(), LtiDeployment.objects.count()


def register_page(tool, platform, config_url, method="GET", language=None):
    data = {"openid_configuration": config_url, "registration_token": TOKEN}
    headers = {"Accept-Language": language} if language else {}
    url = platform.tool_url + "/lti/register/"
    if method == "GET":
        return tool.http.get(url, params=data, headers=headers)
    return tool.http.post(url, data=data, headers=headers)


def warnings(caplog):
    """WARNING records but Django's own line for every 4xx answer (``django.request``: status and path)."""
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "django.request"]


def one_warning(caplog, code, host):
    """Exactly one WARNING: the refusal's, with its code and the refused host, and never the registration
    token (in no log line at all)."""
    records = warnings(caplog)
    assert [r.name for r in records] == [LOGGER], [r.getMessage() for r in records]
    line = records[0].getMessage()
    assert code in line and f"host {host}" in line, line
    assert TOKEN not in caplog.text
    caplog.clear()


# ----- the openid_configuration URL a request names --------------------------------------------------------
@pytest.mark.parametrize("url, status, code, host", [
    ("http://127.0.0.1:{internal}" + CONFIG_PATH, 403, "insecure_address", "127.0.0.1"),
    ("http://platform.example.org" + CONFIG_PATH, 403, "insecure_address", "platform.example.org"),
    ("https://127.0.0.1:{internal}" + CONFIG_PATH, 403, "tool_address", "127.0.0.1"),  # in ALLOWED_HOSTS
    ("https://localhost:{internal}" + CONFIG_PATH, 403, "tool_address", "localhost"),
    ("https://2130706433:{internal}" + CONFIG_PATH, 403, "private_address", "2130706433"),  # resolves to 127.0.0.1
    ("https://[::1]:{internal}" + CONFIG_PATH, 403, "private_address", "::1"),
    ("https://10.20.30.40" + CONFIG_PATH, 403, "private_address", "10.20.30.40"),
    ("https://192.168.1.10" + CONFIG_PATH, 403, "private_address", "192.168.1.10"),
    ("https://169.254.169.254/latest/meta-data/", 403, "private_address", "169.254.169.254"),
    ("https://[::ffff:169.254.169.254]/latest/meta-data/", 403, "private_address", "::ffff:169.254.169.254"),
    ("https://[fd00::1]" + CONFIG_PATH, 403, "private_address", "fd00::1"),
    ("https://0.0.0.0:{internal}" + CONFIG_PATH, 403, "private_address", "0.0.0.0"),
])
def test_registration_refuses_addresses_it_must_not_call(platform, tool, internal, site, allow, caplog, url, status,
                                                         code, host):
    allow(f"127.0.0.1:{site.port}")  # another port on the same machine, not the internal service's
    url = url.format(internal=internal.port)
    before = registrations()
    caplog.set_level(logging.INFO)
    for method in ("GET", "POST"):
        response = register_page(tool, platform, url, method)
        refused(response, status, host, code)
        assert "Register" not in response.text and "org.imsglobal.lti.close" not in response.text
        one_warning(caplog, code, host)
    assert internal.hits == [] and site.hits == []
    assert registrations() == before


@pytest.mark.parametrize("language, text", [
    ("en", "that address is on a private, local or reserved network"),
    ("nl", "dat adres ligt op een privé-, lokaal of gereserveerd netwerk"),
    ("fr", "cette adresse est sur un réseau privé, local ou réservé"),
])
def test_the_refusal_speaks_the_administrators_language(platform, tool, language, text):
    response = register_page(tool, platform, "https://10.1.1.1" + CONFIG_PATH, language=language)
    assert response.status_code == 403
    assert text in response.text and 'data-sls-lti-error="private_address"' in response.text


def test_registration_with_an_allowed_private_host_works(platform, tool, site, allow, caplog):
    allow(f"127.0.0.1:{site.port}")
    caplog.set_level(logging.INFO)
    page = register_page(tool, platform, site.url + CONFIG_PATH)
    assert page.status_code == 200 and site.url in page.text
    done = register_page(tool, platform, site.url + CONFIG_PATH, "POST")
    assert done.status_code == 200 and "org.imsglobal.lti.close" in done.text
    registration = LtiRegistration.objects.get(client_id="guarded-client")
    assert registration.keyset_url == site.url + "/jwks"
    assert LtiDeployment.objects.get(registration=registration).deployment_id == "guarded-deployment"
    posts = [hit for hit in site.hits if hit[0] == "POST"]
    assert [(p[1], p[2]) for p in posts] == [("/register", f"Bearer {TOKEN}")]
    assert not warnings(caplog)


# ----- what the configuration names ----------------------------------------------------------------------------
@pytest.mark.parametrize("field, value, status, code, host", [
    ("registration_endpoint", "https://10.0.0.5/register", 403, "private_address", "10.0.0.5"),
    ("registration_endpoint", "http://127.0.0.1:{internal}/register", 403, "insecure_address", "127.0.0.1"),
    ("registration_endpoint", "https://[::1]:{internal}/register", 403, "private_address", "::1"),
    ("jwks_uri", "https://169.254.169.254/latest/meta-data/", 403, "private_address", "169.254.169.254"),
    ("token_endpoint", "https://172.16.0.1/token", 403, "private_address", "172.16.0.1"),
    ("jwks_uri", "https://localhost:{internal}/secret", 403, "tool_address", "localhost"),
])
def test_urls_the_configuration_names_are_checked_before_anything_is_posted_or_stored(
        platform, tool, site, internal, allow, caplog, field, value, status, code, host):
    allow(f"127.0.0.1:{site.port}")
    site.platform_routes(**{field: value.format(internal=internal.port)})
    before = registrations()
    caplog.set_level(logging.INFO)
    for method in ("GET", "POST"):
        response = register_page(tool, platform, site.url + CONFIG_PATH, method)
        refused(response, status, host, code)
        one_warning(caplog, code, host)
    assert [hit[:2] for hit in site.hits] == [("GET", CONFIG_PATH)] * 2  # the configuration only, never /register
    assert internal.hits == []
    assert registrations() == before


def test_a_redirect_from_an_allowed_host_is_not_followed(platform, tool, site, internal, allow, caplog):
    allow(f"127.0.0.1:{site.port}")
    site.routes["/moved"] = (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    site.routes["/to-internal"] = (307, {"Location": f"{internal.url}/secret"}, b"")
    site.routes["/register-moved"] = (307, {"Location": f"{internal.url}/register"}, b"")
    before = registrations()
    caplog.set_level(logging.INFO)
    for path, target in (("/moved", "169.254.169.254"), ("/to-internal", "127.0.0.1")):
        response = register_page(tool, platform, site.url + path)
        refused(response, 424, f"(to {target})", "redirect_refused")
        one_warning(caplog, "redirect_refused", "127.0.0.1")
    site.platform_routes(registration_endpoint=site.url + "/register-moved")
    response = register_page(tool, platform, site.url + CONFIG_PATH, "POST")
    refused(response, 424, "follows none", "redirect_refused")
    one_warning(caplog, "redirect_refused", "127.0.0.1")
    assert internal.hits == []
    assert registrations() == before


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_answer_is_not_read(platform, tool, site, allow, caplog, declared):
    allow(f"127.0.0.1:{site.port}")
    limit = 5 * 1024 * 1024
    padding = b" " * (limit + 1)
    if declared:
        body = b'{"issuer": "' + site.url.encode() + b'"}' + padding
    else:
        def body(out):  # close-delimited, no Content-Length: only reading tells the size
            out.write(b'{"issuer": "' + site.url.encode() + b'"}')
            for _ in range(6 * 16):
                out.write(b" " * 65536)
    site.routes[CONFIG_PATH] = (200, {"Content-Type": "application/json"}, body)
    before = registrations()
    caplog.set_level(logging.INFO)
    response = register_page(tool, platform, site.url + CONFIG_PATH)
    refused(response, 424, "larger than the tool reads (5120 KB)", "answer_too_large")
    one_warning(caplog, "answer_too_large", "127.0.0.1")
    assert registrations() == before


def test_issuer_must_share_the_configurations_host(platform, tool, site, allow):
    allow(f"127.0.0.1:{site.port}")
    # A string prefix is not enough: https://moodle.example.org is not the issuer of https://moodle.example.org.evil.
    site.platform_routes(issuer=site.url[:-1])
    response = register_page(tool, platform, site.url + CONFIG_PATH)
    refused(response, 400, "issuer that does not match", "bad_registration")


# ----- calls to registered platforms ---------------------------------------------------------------------------
def allow_platform(allow, platform):
    allow(platform.url.split("://", 1)[1])  # 127.0.0.1:<its port>, not the rest of 127.0.0.1 nor localhost


def test_a_platforms_key_set_on_an_internal_address_refuses_the_launch(platform, tool, rows, internal, allow,
                                                                      caplog):
    allow_platform(allow, platform)
    platform.registration.keyset_url = f"https://[::1]:{internal.port}/secret"
    platform.registration.save()
    before = rows.count()
    caplog.set_level(logging.INFO)
    response = tool.launch(platform.consumer())
    refused(response, 403, "::1", "private_address")
    records = warnings(caplog)
    assert [r.name for r in records] == [LOGGER]
    assert f"issuer {platform.url}" in records[0].getMessage() and "host ::1" in records[0].getMessage()
    assert rows.count() == before and internal.hits == []


def test_roster_and_gradebook_urls_of_a_launch_on_internal_addresses_are_not_called(platform, tool, internal,
                                                                                   allow, caplog):
    allow_platform(allow, platform)
    custom = {"sls_settings": json.dumps({"has_score": True, "participation_required": 1}), "cohort": "A"}
    consumer = platform.consumer(custom=custom)
    consumer.enable_ags("https://10.0.0.9/lineitems", "https://10.0.0.9/lineitems/1",
                        allow_programmatic_grade_interaction=True)
    consumer.enable_nrps(f"https://localhost:{internal.port}/nrps/course-1")
    init = forum_init(tool.launch(consumer).text)
    caplog.set_level(logging.INFO)
    created = tool.http.post(platform.tool_url + init["urls"]["create_thread"],
                             json={"title": "Kept", "body": "Saved whatever the gradebook answers."},
                             headers=init["client"]["headers"])
    assert created.status_code in (200, 201), created.text
    assert created.json()["participation"]["complete"] is True
    assert platform.scores == []
    assert any("private_address: 10.0.0.9" in r.getMessage() for r in caplog.records if r.name == "lti.services")
    context = LtiContext.objects.get(id_on_platform="course-1")
    with pytest.raises(services.ServiceError):
        services.sync_roster(context)
    assert internal.hits == []


# ----- the guard itself ------------------------------------------------------------------------------------------
def test_a_name_that_resolves_to_loopback_is_refused_unless_allowed(internal, allow):
    allow()
    with pytest.raises(safe_fetch.Refused) as refusal:
        safe_fetch.GuardedSession().get(f"https://localhost:{internal.port}/secret")
    assert (refusal.value.code, refusal.value.host, refusal.value.status) == ("private_address", "localhost", 403)
    with pytest.raises(safe_fetch.Refused) as refusal:
        safe_fetch.GuardedSession().get(f"http://localhost:{internal.port}/secret")
    assert refusal.value.code == "insecure_address"
    assert internal.hits == []
    # Allowed by the administrator: plain http on loopback works (a local test platform).
    allow(f"localhost:{internal.port}")
    answer = safe_fetch.GuardedSession().get(f"http://localhost:{internal.port}/secret")
    assert answer.json()["secret"] == "internal" and len(internal.hits) == 1
    # ... on that port only.
    with pytest.raises(safe_fetch.Refused):
        safe_fetch.GuardedSession().get(f"https://localhost:{internal.port + 1}/secret")


def test_connects_to_the_address_it_checked(internal, allow, monkeypatch):
    """A name that answers a public address to the check and a private one afterwards (DNS rebinding) is
    connected to at the checked address: the tool looks the name up once per connection."""
    allow()
    lookups = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        lookups.append(host)
        if host == "rebind.example.org":
            address = "203.0.113.7" if len(lookups) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(safe_fetch, "address_refused", lambda address: address != "203.0.113.7")
    with pytest.raises(requests.RequestException) as failure:
        safe_fetch.GuardedSession().get(f"https://rebind.example.org:{internal.port}/secret", timeout=0.5)
    assert not isinstance(failure.value, safe_fetch.Refused)  # 203.0.113.7 (TEST-NET-3) does not answer
    assert lookups == ["rebind.example.org", "203.0.113.7"]  # the second lookup is of the checked address itself
    assert internal.hits == []


@pytest.mark.parametrize("address, refused_", [
    ("127.0.0.1", True), ("10.1.2.3", True), ("172.31.255.255", True), ("192.168.0.1", True),
    ("169.254.169.254", True), ("100.64.0.1", True), ("0.0.0.0", True), ("224.0.0.1", True), ("240.0.0.1", True),
    ("255.255.255.255", True), ("::1", True), ("::", True), ("fe80::1", True), ("fd12:3456::1", True),
    ("ff02::1", True), ("::ffff:10.0.0.1", True), ("64:ff9b::a9fe:a9fe", True), ("2002:a00:1::", True),
    ("93.184.215.14", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False), ("64:ff9b::808:808", False),
    ("::ffff:8.8.8.8", False), ("2002:808:808::1", False),
])
def test_which_addresses_are_refused(address, refused_):
    assert safe_fetch.address_refused(address) is refused_


def test_registering_a_platform_by_hand_warns_about_addresses_the_tool_will_not_call(transactional_db, allow,
                                                                                     capsys):
    allow()
    moodle = ["--name", "Intranet Moodle", "--issuer", "http://10.0.0.4", "--client-id", "abc",
              "--auth-url", "http://10.0.0.4/mod/lti/auth.php", "--token-url", "https://10.0.0.4/mod/lti/token.php",
              "--keyset-url", "http://10.0.0.4/mod/lti/certs.php", "--deployment", "1"]
    call_command("lti_platform", "add", *moodle)
    captured = capsys.readouterr()
    assert "Registered Intranet Moodle" in captured.out
    assert "--token-url (private_address)" in captured.err and "--keyset-url (insecure_address)" in captured.err
    assert 'add "10.0.0.4" to SOCIAL_LEARNING_LTI["ALLOWED_PLATFORM_HOSTS"]' in captured.err
    allow("10.0.0.4")
    call_command("lti_platform", "add", *moodle)
    captured = capsys.readouterr()
    assert "Updated Intranet Moodle" in captured.out and captured.err == ""


def test_the_checks_read_a_url_as_the_connection_does(allow):
    """urllib reads the host of ``https://localhost\\@platform.example.org/`` as platform.example.org; requests
    and urllib3 connect to localhost. The checks see what the connection sees."""
    allow()
    with pytest.raises(safe_fetch.Refused) as refusal:
        safe_fetch.check_url("https://localhost\\@platform.example.org/x", frozenset({"localhost"}))
    assert (refusal.value.code, refusal.value.host) == ("tool_address", "localhost")
    with pytest.raises(safe_fetch.Refused) as refusal:
        safe_fetch.check_url("not a url")
    assert refusal.value.code == "bad_address" and refusal.value.status == 400
