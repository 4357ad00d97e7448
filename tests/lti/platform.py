"""A test LTI 1.3 platform: Open edX's own consumer classes behind a small HTTP server.

``TestPlatform`` signs launches with lti-consumer-xblock's ``LtiAdvantageConsumer`` and serves,
on 127.0.0.1 at a random port, what a platform serves to a tool: its JWKS, the OAuth2 token
endpoint (the consumer's ``access_token``), NRPS memberships and AGS line items and scores (each
checked with the consumer's ``check_token``), the OIDC authorization endpoint (answering with an
auto-posting form, as a platform does), a Deep Linking return endpoint (the consumer's
``check_and_decode_deep_linking_token``), the OpenID configuration and registration endpoint of
Dynamic Registration, and pages that launch the tool in an iframe.
"""
import html
import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti_consumer.data import Lti1p3LaunchData
from lti_consumer.lti_1p3.consumer import LtiAdvantageConsumer

LOGIN_DATA = re.compile(r'<script id="sls-lti-login" type="application/json">(.*?)</script>', re.S)
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def new_rsa_pem():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


class TestPlatform:
    client_id = "sls-test-client"
    deployment_id = "deployment-1"

    def __init__(self, tool_url):
        self.tool_url = tool_url.rstrip("/")
        self.key_pem = new_rsa_pem()
        self.key_id = "platform-key-1"
        self.members = []
        self.scores = []
        self.lineitems = []
        self.deep_link_items = []
        self.registrations = []
        self.token_requests = 0
        self.jwks_requests = 0
        self.pages = {}
        self.auth_consumer = None  # the consumer the /auth endpoint signs with (default: a learner)
        # The tool's public key (PEM), for when the platform cannot fetch the tool's JWKS: the tool answers
        # Django's test client inside this process (see ``ClientBrowser``).
        self.tool_key = None
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # ----- tool URLs -------------------------------------------------------------------------------
    @property
    def login_url(self):
        return self.tool_url + "/lti/login/"

    @property
    def launch_url(self):
        return self.tool_url + "/lti/launch/"

    @property
    def tool_jwks_url(self):
        return self.tool_url + "/lti/jwks.json"

    # ----- the consumer ------------------------------------------------------------------------------
    def consumer(self, *, user_id="learner-1", role="student", name="Ann Peeters", email="ann@example.com",
                 resource_link_id="link-1", link_title="Week 1 forum", context_id="course-1", custom=None,
                 nrps=True, ags=True, lineitem="/lineitems/1", roles=None, deployment_id=None, client_id=None):
        consumer = LtiAdvantageConsumer(
            iss=self.url, lti_oidc_url=self.login_url, lti_launch_url=self.launch_url,
            client_id=client_id or self.client_id, deployment_id=deployment_id or self.deployment_id,
            rsa_key=self.key_pem, rsa_key_id=self.key_id, redirect_uris=[self.launch_url],
            tool_key=self.tool_key, tool_keyset_url=None if self.tool_key else self.tool_jwks_url)
        consumer.set_user_data(user_id=user_id, role=role, full_name=name, email_address=email)
        if roles is not None:
            consumer.lti_claim_user_data["https://purl.imsglobal.org/spec/lti/claim/roles"] = roles
        consumer.set_resource_link_claim(resource_link_id, title=link_title)
        consumer.set_context_claim(context_id, context_title="Leadership programme 2026", context_label="LEAD26")
        if custom:
            consumer.set_custom_parameters(custom)
        if nrps:
            consumer.enable_nrps(f"{self.url}/nrps/{context_id}")
        if ags:
            consumer.enable_ags(f"{self.url}/lineitems", f"{self.url}{lineitem}" if lineitem else None,
                                allow_programmatic_grade_interaction=True)
        consumer.enable_deep_linking(self.launch_url, f"{self.url}/deep-link-return")
        return consumer

    def preflight_url(self, consumer, message_type="LtiResourceLinkRequest", user_id="learner-1", role="student",
                      resource_link_id="link-1"):
        """The login initiation URL (the consumer caches its launch data under lti_message_hint)."""
        data = Lti1p3LaunchData(user_id=user_id, user_role=role, config_id=str(uuid.uuid4()),
                                resource_link_id=resource_link_id, message_type=message_type)
        return consumer.prepare_preflight_url(data)

    # ----- what the pages show -----------------------------------------------------------------------
    def add_page(self, name, preflight_url, storage_target="_parent"):
        """A course page on the platform that launches the tool in an iframe (offering its storage)."""
        self.pages[name] = preflight_url + (f"&lti_storage_target={storage_target}" if storage_target else "")
        return f"{self.url}/page/{name}"

    def launch_page_html(self, name):
        url = html.escape(self.pages[name])
        tool_origin = json.dumps(self.tool_url)
        # LTI platform storage (lti.put_data / lti.get_data over postMessage), as Canvas, D2L and
        # Blackboard offer it to tools whose frame cannot keep storage of its own.
        storage = (
            "<script>(function(){var store={};window.addEventListener('message',function(e){"
            f"if(e.origin!=={tool_origin}||!e.data||!e.data.subject)return;var d=e.data;"
            "if(d.subject==='lti.put_data'){store[d.key]=d.value;e.source.postMessage({subject:'lti.put_data.response',"
            "message_id:d.message_id,key:d.key,value:d.value},e.origin);}"
            "if(d.subject==='lti.get_data'){e.source.postMessage({subject:'lti.get_data.response',"
            "message_id:d.message_id,key:d.key,value:store[d.key]},e.origin);}});}());</script>")
        return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Course page</title>{storage}"
                f"</head><body><h1>Course page</h1><iframe id='tool' title='Activity' src='{url}' width='1100'"
                f" height='900' allow='clipboard-write'></iframe></body></html>")


def _handler(platform):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _send(self, status, body, content_type="application/json", headers=None):
            data = body if isinstance(body, bytes) else (
                json.dumps(body) if not isinstance(body, str) else body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _authorised(self, scope):
            header = self.headers.get("Authorization", "")
            token = header[7:] if header.startswith("Bearer ") else ""
            try:
                return bool(token) and platform.consumer().check_token(token, allowed_scopes=[scope])
            except Exception:  # pylint: disable=broad-except  # any invalid token
                return False

        def do_GET(self):  # noqa: N802
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/jwks":
                platform.jwks_requests += 1
                return self._send(200, platform.consumer().get_public_keyset())
            if parts.path.startswith("/nrps/"):
                if not self._authorised(NRPS_SCOPE):
                    return self._send(401, {"error": "unauthorised"})
                return self._send(200, {"id": platform.url + parts.path, "context": {"id": parts.path[6:]},
                                        "members": platform.members},
                                  "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
            if parts.path == "/lineitems":
                return self._send(200, platform.lineitems, "application/vnd.ims.lis.v2.lineitemcontainer+json")
            if parts.path == "/auth":
                return self.authorize(query)
            if parts.path == "/.well-known/openid-configuration":
                return self._send(200, {
                    "issuer": platform.url,
                    "authorization_endpoint": platform.url + "/auth",
                    "token_endpoint": platform.url + "/token",
                    "jwks_uri": platform.url + "/jwks",
                    "registration_endpoint": platform.url + "/register",
                    "scopes_supported": ["openid", SCORE_SCOPE, NRPS_SCOPE,
                                         "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"],
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "test-platform", "version": "1.0",
                        "messages_supported": [{"type": "LtiResourceLinkRequest"}, {"type": "LtiDeepLinkingRequest"}]},
                })
            if parts.path.startswith("/page/"):
                return self._send(200, platform.launch_page_html(parts.path[6:]), "text/html; charset=utf-8")
            return self._send(404, {"error": "not found"})

        def do_POST(self):  # noqa: N802
            parts = urlsplit(self.path)
            body = self._body()
            if parts.path == "/token":
                platform.token_requests += 1
                form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                try:
                    return self._send(200, platform.consumer().access_token(form))
                except Exception as err:  # pylint: disable=broad-except
                    return self._send(400, {"error": "invalid_grant", "error_description": str(err)})
            if parts.path.endswith("/scores"):
                if not self._authorised(SCORE_SCOPE):
                    return self._send(401, {"error": "unauthorised"})
                platform.scores.append({"lineitem": parts.path[:-7], **json.loads(body)})
                return self._send(200, {})
            if parts.path == "/lineitems":
                item = json.loads(body)
                item["id"] = f"{platform.url}/lineitems/{len(platform.lineitems) + 2}"
                platform.lineitems.append(item)
                return self._send(201, item, "application/vnd.ims.lis.v2.lineitem+json")
            if parts.path == "/deep-link-return":
                form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                try:
                    items = platform.consumer().check_and_decode_deep_linking_token(form.get("JWT", ""))
                except Exception as err:  # pylint: disable=broad-except
                    return self._send(400, f"<p>Refused: {html.escape(str(err))}</p>", "text/html")
                platform.deep_link_items.extend(items)
                return self._send(200, "<p id='added'>Activity added</p>", "text/html")
            if parts.path == "/register":
                platform.registrations.append({"authorization": self.headers.get("Authorization"),
                                               "body": json.loads(body)})
                return self._send(200, {"client_id": "dynamic-client-1",
                                        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                                            "deployment_id": "dyn-deployment-1"}})
            return self._send(404, {"error": "not found"})

        def authorize(self, query):
            """The OIDC authorization endpoint: sign the launch and post it to the tool."""
            consumer = platform.auth_consumer or platform.consumer()
            try:
                launch = consumer.generate_launch_request(query)
            except Exception as err:  # pylint: disable=broad-except
                return self._send(400, f"<p>Refused: {html.escape(str(err))}</p>", "text/html")
            action = html.escape(query["redirect_uri"])
            fields = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
                             for k, v in launch.items())
            page = (f"<!DOCTYPE html><html><body><form id='f' method='post' action='{action}'>{fields}</form>"
                    f"<script>document.getElementById('f').submit()</script></body></html>")
            return self._send(200, page, "text/html; charset=utf-8")

    return Handler


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url, **params):
    return url + ("&" if "?" in url else "?") + urlencode(params)


def register(platform, name="Test platform"):
    """Register ``platform`` in the tool with one active deployment; returns the registration."""
    from lti_tool.models import LtiDeployment, LtiRegistration  # pylint: disable=import-outside-toplevel

    registration = LtiRegistration.objects.create(
        name=name, issuer=platform.url, client_id=platform.client_id, auth_url=platform.url + "/auth",
        token_url=platform.url + "/token", keyset_url=platform.url + "/jwks")
    LtiDeployment.objects.create(registration=registration, deployment_id=platform.deployment_id, is_active=True)
    platform.registration = registration
    return registration


class ClientBrowser:
    """The browser's side of a launch, against the tool in this process through Django's test client
    (the platform's own endpoints, its JWKS first, still answer over HTTP). The platform is made with
    ``TestPlatform("http://testserver")``. Each step is one request, for tests and the benchmark."""

    def __init__(self, platform, client=None):
        from django.test import Client  # pylint: disable=import-outside-toplevel

        self.platform = platform
        self.client = client or Client()

    def login(self, consumer, message_type="LtiResourceLinkRequest", **kwargs):
        """GET the login initiation; returns (response, login data from the page or None)."""
        response = self.client.get(self.platform.preflight_url(consumer, message_type=message_type, **kwargs))
        match = LOGIN_DATA.search(response.content.decode())
        return response, (json.loads(match.group(1)) if match else None)

    @staticmethod
    def authorize(consumer, login_data):
        """What the platform's authorization endpoint signs and form-posts to the tool for this login."""
        return consumer.generate_launch_request(query_of(login_data["auth_url"]))

    def check(self, fields):
        """The platform's form post: the tool answers with the page that adds the browser's secret."""
        return self.client.post("/lti/launch/", fields)

    def post_launch(self, fields, binding):
        """The launch itself: the id_token with the browser's secret; the forum page when valid."""
        return self.client.post("/lti/launch/", {**fields, "sls_binding": binding})

    def launch(self, consumer, message_type="LtiResourceLinkRequest", **kwargs):
        """A whole launch; returns the launch's answer (the forum page itself, or an error page)."""
        response, login_data = self.login(consumer, message_type=message_type, **kwargs)
        assert login_data, response.content[:2000]
        return self.post_launch(self.authorize(consumer, login_data), login_data["secret"])
