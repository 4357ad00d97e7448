"""LTI 1.3 protocol on pylti1p3 / django-lti, with the checks they leave out.

django-lti 0.10 + pylti1p3 2.0 validate a launch's signature and message, but accept a replayed
launch and a reused nonce, have no clock-skew leeway, accept a token without ``exp``, ignore
``azp``, fetch the platform's JWKS on every launch, create a deployment row for any unknown
deployment id, need a session cookie to hold the OIDC state, and turn every failure into a 500.
This module closes those gaps:

- :class:`ToolConfig`: registrations and deployments from django-lti's tables, never creating one;
- :func:`begin_login`: the OIDC login initiation. The state is tied to the browser by a secret
  the login page keeps in the frame's own storage (``localStorage``, or the platform's storage
  over ``postMessage`` when the platform offers ``lti_storage_target``), not by a cookie, so it
  works when the browser blocks third-party cookies; the launch page hands the secret back;
- :class:`SocialMessageLaunch`: pylti1p3's message launch, validated in this order: id_token
  format, state and browser binding, registration, signature against the platform's JWKS (cached,
  refetched once for an unknown ``kid``), ``iss``/``aud``/``azp``, ``exp`` required and ``iat``
  with a small leeway, the nonce of this login, a known and active deployment, the message
  itself, and finally the nonce consumed atomically (``cache.add``), so a replayed POST fails.

Every failure raises :class:`LaunchError` with a status and a message a person can act on;
nothing here writes to the database.
"""
import hashlib
import hmac
import json
import logging
import secrets
import time
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.core.cache import cache
from django.utils.translation import gettext as _
from jwcrypto.jwk import JWK
from lti_tool.models import LtiDeployment, LtiRegistration
from pylti1p3.contrib.django import DjangoMessageLaunch
from pylti1p3.contrib.django.request import DjangoRequest
from pylti1p3.deployment import Deployment
from pylti1p3.exception import LtiException
from pylti1p3.launch_data_storage.cache import CacheDataStorage
from pylti1p3.message_validators import get_validators
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract

from . import keys, safe_fetch
from .conf import conf

log = logging.getLogger(__name__)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEPLOYMENT_ID = CLAIM + "deployment_id"
MESSAGE_TYPE = CLAIM + "message_type"
ALGORITHMS = ["RS256", "RS384", "RS512"]
STATE_PREFIX = "sls:lti:state:"
NONCE_PREFIX = "sls:lti:nonce:"
JWKS_PREFIX = "sls:lti:jwks:"


class LaunchError(Exception):
    """A launch or login refused: ``status`` (4xx), a message for people, a code for logs and tests, and the
    platform's ``issuer`` and ``client_id`` when known, and the ``host`` the tool refused to call (for the log)."""

    def __init__(self, message, status=403, code="launch_refused", issuer=None, client_id=None, host=None):
        super().__init__(str(message))
        self.message = str(message)
        self.status = status
        self.code = code
        self.issuer = issuer
        self.client_id = client_id
        self.host = host


def already_used():
    return LaunchError(_("This launch was already used: each opening of an activity works once, so reloading the "
                         "page or going back to it cannot open it again. To start again, open the activity again "
                         "from your course."), 403, "replayed")


def check_jwt_size(value):
    """Refuse a JWT over ``MAX_JWT_BYTES`` before reading it."""
    limit = conf("MAX_JWT_BYTES")
    if isinstance(value, str) and len(value) > limit:
        raise LaunchError(_("The message from your course platform is too large ({size} KB; the tool reads at most "
                            "{limit} KB), so it was not read.").format(size=len(value) // 1024, limit=limit // 1024),
                          413, "token_too_large")


def _digest(*parts):
    return hashlib.sha256("\n".join(str(p) for p in parts).encode()).hexdigest()


def http_session(*tool_urls):
    """A requests session for calling a platform, guarded (:mod:`lti.safe_fetch`: https, public addresses or
    hosts the administrator allows, no redirects, timeouts, a size cap)."""
    return safe_fetch.session(*tool_urls)


# ----- registrations and deployments ---------------------------------------------------------
def find_registration(issuer, client_id=None):
    """The active registration of a platform, or None. Without a client id, only when there is one."""
    if not issuer:
        return None
    registrations = LtiRegistration.objects.active().filter(issuer=issuer)
    if client_id:
        return registrations.filter(client_id=client_id).first()
    found = list(registrations[:2])
    return found[0] if len(found) == 1 else None


def registration_without_key(row):
    """pylti1p3's view of a registration, without the tool's signing key: checking a launch needs the
    platform's keys only (django-lti's ``to_registration`` also reads the tool's key)."""
    registration = (Registration().set_auth_login_url(row.auth_url).set_auth_token_url(row.token_url)
                    .set_client_id(row.client_id).set_key_set_url(row.keyset_url).set_issuer(row.issuer))
    if row.audience:
        registration.set_auth_audience(row.audience)
    return registration


class ToolConfig(ToolConfAbstract):
    """pylti1p3's tool configuration over django-lti's tables; unlike django-lti's, never writes."""

    def __init__(self):
        super().__init__()
        self.registration = None
        self.deployment = None

    def check_iss_has_one_client(self, iss):
        return False

    def check_iss_has_many_clients(self, iss):
        return True

    def find_registration_by_issuer(self, iss, *args, **kwargs):
        return self.find_registration_by_params(iss, None)

    def find_registration_by_params(self, iss, client_id, *args, **kwargs):
        self.registration = find_registration(iss, client_id)
        if self.registration is None:
            return None
        return registration_without_key(self.registration)

    def find_deployment(self, iss, deployment_id):
        return self.find_deployment_by_params(iss, deployment_id, None)

    def find_deployment_by_params(self, iss, deployment_id, client_id, *args, **kwargs):
        if self.registration is None:
            return None
        self.deployment = LtiDeployment.objects.filter(registration=self.registration,
                                                       deployment_id=deployment_id).first()
        if self.deployment is None:
            return None
        return Deployment().set_deployment_id(self.deployment.deployment_id)


class LaunchDataCache(CacheDataStorage):
    """pylti1p3's launch data in Django's cache, keyed by launch id alone: no session cookie needed."""

    def __init__(self):
        super().__init__()
        self._cache = cache

    def get_session_cookie_name(self):
        return None


# ----- OIDC login initiation -------------------------------------------------------------------
def begin_login(params, launch_url):
    """Validate an OIDC login initiation and prepare its state.

    ``params``: the request's GET or POST. Returns a dict for the login page: ``auth_url`` (where
    the browser goes next), ``state``, ``secret`` (the browser keeps it), ``storage_target`` and
    ``platform_origin`` (for the platform's storage over postMessage).
    """
    issuer = (params.get("iss") or "").strip()
    login_hint = params.get("login_hint")
    if not issuer:
        raise LaunchError(_("The login request from your course platform has no issuer (iss)."), 400, "no_issuer")
    if not login_hint:
        raise LaunchError(_("The login request from your course platform has no login_hint."), 400, "no_login_hint")
    client_id = params.get("client_id") or None
    registration = find_registration(issuer, client_id)
    if registration is None:
        raise LaunchError(
            _("This course platform is not registered with the tool (issuer “{issuer}”, client ID “{client}”). "
              "Ask your administrator to register it.").format(issuer=issuer, client=client_id or "-"),
            403, "unknown_registration", issuer, client_id)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    secret = secrets.token_urlsafe(32)
    storage_target = (params.get("lti_storage_target") or "").strip()[:64]
    cache.set(STATE_PREFIX + _digest(state), {
        "nonce": nonce,
        "binding": _digest("binding", secret),
        "registration": registration.pk,
        "storage_target": storage_target,
    }, conf("STATE_SECONDS"))
    auth_params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": registration.client_id,
        "redirect_uri": launch_url,
        "state": state,
        "nonce": nonce,
        "login_hint": login_hint,
    }
    if params.get("lti_message_hint"):
        auth_params["lti_message_hint"] = params.get("lti_message_hint")
    separator = "&" if "?" in registration.auth_url else "?"
    auth = urlsplit(registration.auth_url)
    return {
        "auth_url": registration.auth_url + separator + urlencode(auth_params),
        "state": state,
        "secret": secret,
        "storage_target": storage_target,
        "platform_origin": f"{auth.scheme}://{auth.netloc}",
    }


def pending_login(state):
    """The login waiting for this state, or None (unknown, expired); ``{"used": True}`` once its launch was
    accepted (:meth:`SocialMessageLaunch.consume_nonce`)."""
    if not state or not isinstance(state, str) or len(state) > 200:
        return None
    return cache.get(STATE_PREFIX + _digest(state))


# ----- the launch -------------------------------------------------------------------------------
class SocialMessageLaunch(DjangoMessageLaunch):
    """A pylti1p3 message launch with every check of the module docstring, in that order."""

    def __init__(self, request, binding=None):
        tool_config = ToolConfig()
        super().__init__(DjangoRequest(request, post_only=True), tool_config,
                         launch_data_storage=LaunchDataCache(), requests_session=http_session())
        self._binding = binding
        self._login = None
        self.registration_row = None
        self.deployment_row = None

    # pylti1p3 raises LtiException with technical text; each step here raises LaunchError instead.
    def validate(self):
        if self._restored:
            raise LtiException("Can't validate restored launch")
        self._validated = True
        try:
            self.check_format()
            self.check_state()
            self.check_registration()
            self.check_signature_and_claims()
            self.check_nonce()
            self.check_deployment()
            self.check_message()
            self.consume_nonce()
            self.save_launch_data()
        except LaunchError as err:
            self._validated = False
            err.issuer, err.client_id = err.issuer or self.claimed("iss"), err.client_id or self.claimed("aud")
            raise
        except Exception:
            self._validated = False
            raise
        return self

    def claimed(self, claim):
        """For the log: the registration's issuer or client id once known, else what the message claims."""
        if self.registration_row is not None:
            return self.registration_row.issuer if claim == "iss" else self.registration_row.client_id
        body = self._jwt.get("body") if isinstance(self._jwt, dict) else None
        value = body.get(claim) if isinstance(body, dict) else None
        if isinstance(value, list):
            value = value[0] if value else None
        return value if isinstance(value, str) else None

    def check_format(self):
        if not self._get_request_param("id_token"):
            raise LaunchError(_("The launch request carried no id_token. Open the activity again from your course."),
                              400, "no_id_token")
        check_jwt_size(self._get_request_param("id_token"))
        try:
            self.validate_jwt_format()
        except LtiException as err:
            raise LaunchError(_("The launch message from your course platform is not a valid JWT."),
                              400, "malformed_jwt") from err
        body = self._jwt.get("body")
        if not isinstance(body, dict) or not isinstance(self._jwt.get("header"), dict):
            raise LaunchError(_("The launch message from your course platform is not a valid JWT."), 400, "malformed_jwt")

    def check_state(self):
        state = self._get_request_param("state")
        self._login = pending_login(state)
        if self._login is None:
            raise LaunchError(_("This launch has expired or did not start in this browser. "
                                "Open the activity again from your course."), 403, "unknown_state")
        if self._login.get("used"):
            raise already_used()
        binding = self._binding or ""
        if not hmac.compare_digest(_digest("binding", binding), self._login["binding"]):
            raise LaunchError(_("This launch could not be tied to your browser, so it was refused. If your browser "
                                "blocks storage in embedded pages, open the activity in a new window."),
                              403, "browser_mismatch")

    def check_registration(self):
        body = self._jwt["body"]
        issuer = body.get("iss")
        client_id = self.get_client_id() if body.get("aud") else None
        if not isinstance(issuer, str) or not issuer or not isinstance(client_id, str) or not client_id:
            raise LaunchError(_("The launch message names no issuer (iss) or audience (aud)."), 400, "no_issuer")
        self._tool_config.find_registration_by_params(issuer, client_id)
        registration = self._tool_config.registration
        if registration is None or registration.pk != self._login["registration"]:
            raise LaunchError(
                _("This course platform is not registered with the tool (issuer “{issuer}”, client ID “{client}”). "
                  "Ask your administrator to register it.").format(issuer=issuer, client=client_id),
                403, "unknown_registration")
        self.registration_row = registration
        self._registration = registration_without_key(registration)

    # -- signature: the platform's JWKS, cached ---------------------------------------------------
    def _keyset(self, refresh=False):
        url = self.registration_row.keyset_url
        key = JWKS_PREFIX + _digest(url)
        keyset = None if refresh else cache.get(key)
        if keyset is not None:
            return keyset, True
        try:
            response = self._requests_session.get(url)
            response.raise_for_status()
            keyset = response.json()
        except safe_fetch.Refused as err:
            raise LaunchError(err.message, err.status, err.code, host=err.host) from err
        except (requests.RequestException, ValueError) as err:
            log.warning("Could not fetch the JWKS of %s: %s", url, err)
            raise LaunchError(_("The tool could not fetch your course platform's public keys to check this launch. "
                                "Please try again in a moment."), 424, "jwks_unavailable") from err
        if not isinstance(keyset, dict) or not isinstance(keyset.get("keys"), list):
            raise LaunchError(_("Your course platform's public key set is not valid, so the launch cannot be checked."),
                              403, "jwks_invalid")
        cache.set(key, keyset, conf("JWKS_CACHE_SECONDS"))
        return keyset, False

    def _find_key(self, keyset, kid, alg):
        for candidate in keyset["keys"]:
            if isinstance(candidate, dict) and candidate.get("kid") == kid and candidate.get("alg", "RS256") == alg:
                try:
                    return JWK.from_json(json.dumps(candidate)).export_to_pem()
                except Exception:  # pylint: disable=broad-except  # jwcrypto raises several kinds
                    return None
        return None

    def public_key(self):
        header = self._jwt["header"]
        kid, alg = header.get("kid"), header.get("alg")
        if alg not in ALGORITHMS:
            raise LaunchError(_("The launch message is not signed with an accepted algorithm (RS256)."),
                              403, "bad_signature")
        if not kid:
            raise LaunchError(_("The launch message does not say which key signed it (kid)."), 403, "bad_signature")
        keyset, from_cache = self._keyset()
        pem = self._find_key(keyset, kid, alg)
        # A new kid may mean the platform rotated its keys: refetch, at most once a minute per URL.
        if pem is None and from_cache and cache.add(JWKS_PREFIX + "refresh:" + _digest(self.registration_row.keyset_url),
                                                    1, 60):
            keyset, _cached = self._keyset(refresh=True)
            pem = self._find_key(keyset, kid, alg)
        if pem is None:
            raise LaunchError(_("The launch message was signed with a key your course platform does not publish."),
                              403, "bad_signature")
        return pem, alg

    def check_signature_and_claims(self):
        pem, alg = self.public_key()
        client_id = self.registration_row.client_id
        try:
            body = jwt.decode(
                self._get_id_token(), pem, algorithms=[alg], audience=client_id, issuer=self.registration_row.issuer,
                leeway=conf("LEEWAY_SECONDS"),
                options={"require": ["exp", "iat", "iss", "aud", "sub", "nonce"], "verify_signature": True,
                         "verify_exp": True, "verify_iat": True, "verify_aud": True, "verify_iss": True},
            )
        except jwt.InvalidSignatureError as err:
            raise LaunchError(_("The launch message's signature is not valid: it was not signed by your course "
                                "platform, or it was changed on the way."), 403, "bad_signature") from err
        except jwt.MissingRequiredClaimError as err:
            raise LaunchError(_("The launch message has no “{claim}” claim, which is required.").format(claim=err.claim),
                              403, f"missing_{err.claim}") from err
        except jwt.ExpiredSignatureError as err:
            raise LaunchError(_("The launch message has expired. Open the activity again from your course; if this "
                                "keeps happening, check the clocks of the platform and the tool."), 403, "expired") from err
        except jwt.ImmatureSignatureError as err:
            raise LaunchError(_("The launch message was issued in the future (iat). Check the clocks of the platform "
                                "and the tool."), 403, "issued_in_future") from err
        except jwt.InvalidAudienceError as err:
            raise LaunchError(_("The launch message is meant for another tool (aud)."), 403, "bad_audience") from err
        except jwt.InvalidIssuerError as err:
            raise LaunchError(_("The launch message's issuer (iss) does not match the registration."),
                              403, "bad_issuer") from err
        except jwt.InvalidTokenError as err:
            raise LaunchError(_("The launch message could not be verified: {reason}").format(reason=err),
                              403, "invalid_token") from err
        aud = body.get("aud")
        azp = body.get("azp")
        if isinstance(aud, list) and len(aud) > 1 and azp is None:
            raise LaunchError(_("The launch message names several audiences but no authorized party (azp)."),
                              403, "bad_azp")
        if azp is not None and azp != client_id:
            raise LaunchError(_("The launch message's authorized party (azp) is another tool."), 403, "bad_azp")
        # From here on, only the verified body counts.
        self._jwt["body"] = body

    def check_nonce(self):
        if not hmac.compare_digest(str(self._jwt["body"].get("nonce")), self._login["nonce"]):
            raise LaunchError(_("The launch message does not belong to this login (nonce). "
                                "Open the activity again from your course."), 403, "bad_nonce")

    def check_deployment(self):
        deployment_id = self._jwt["body"].get(DEPLOYMENT_ID)
        if not deployment_id or not isinstance(deployment_id, str):
            raise LaunchError(_("The launch message names no deployment."), 400, "no_deployment")
        self._tool_config.find_deployment_by_params(self.registration_row.issuer, deployment_id, None)
        deployment = self._tool_config.deployment
        if deployment is None:
            raise LaunchError(_("Deployment “{id}” of this course platform is not registered with the tool. "
                                "Ask your administrator to add it.").format(id=deployment_id), 403, "unknown_deployment")
        if not deployment.is_active:
            raise LaunchError(_("Deployment “{id}” of this course platform is registered but not active yet. "
                                "Ask your administrator to activate it.").format(id=deployment_id),
                              403, "inactive_deployment")
        self.deployment_row = deployment

    def check_message(self):
        body = self._jwt["body"]
        matching = [v for v in get_validators() if v.can_validate(body)]
        if len(matching) != 1:
            raise LaunchError(_("The tool does not handle this kind of launch ({kind}).").format(
                kind=body.get(MESSAGE_TYPE) or "-"), 400, "unsupported_message")
        try:
            matching[0].validate(body)
        except LtiException as err:
            raise LaunchError(_("The launch message is incomplete: {reason}.").format(reason=err), 400,
                              "invalid_message") from err
        roles = body.get(CLAIM + "roles")
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise LaunchError(_("The launch message's roles are not a list of roles."), 400, "invalid_message")

    def consume_nonce(self):
        """Single use: the first launch with this nonce wins, atomically, in the shared cache."""
        body = self._jwt["body"]
        lifetime = max(int(body["exp"]) - int(time.time()), 0) + conf("LEEWAY_SECONDS") + conf("STATE_SECONDS")
        if not cache.add(NONCE_PREFIX + _digest(body["iss"], body["nonce"]), 1, lifetime):
            raise already_used()
        # The platform's post may come again (reload, back): say it was used, not that the browser differs.
        cache.set(STATE_PREFIX + _digest(self._get_request_param("state")),
                  {"used": True, "registration": self.registration_row.pk}, conf("STATE_SECONDS"))

    def save_launch_data(self):
        # Kept only so a Deep Linking launch can be answered from a later request (by launch id).
        if self.is_deep_link_launch():
            self._session_service.save_launch_data(self._launch_id, self._jwt["body"])
        return self

    # convenience
    @property
    def body(self):
        return self._jwt["body"]


def restore_launch(request, launch_id):
    """A launch validated earlier (Deep Linking), by id, or None when it has expired or its
    registration or deployment was deactivated since."""
    launch = SocialMessageLaunch(request)
    body = launch.get_session_service().get_launch_data(launch_id) if launch_id else None
    if not isinstance(body, dict):
        return None
    launch.set_launch_id(launch_id).set_auto_validation(enable=False).set_jwt({"body": body}).set_restored()
    config = launch.get_tool_conf()
    config.find_registration_by_params(body.get("iss"), launch.get_client_id())
    if config.registration is None:
        return None
    config.find_deployment_by_params(body.get("iss"), body.get(DEPLOYMENT_ID), None)
    if config.deployment is None or not config.deployment.is_active:
        return None
    launch.registration_row = config.registration
    launch.deployment_row = config.deployment
    keys.current_key()  # the tool's signing key (made on first use), for the Deep Linking response
    launch._registration = config.registration.to_registration()  # pylint: disable=protected-access
    return launch
