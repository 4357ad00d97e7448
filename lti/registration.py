"""LTI Dynamic Registration: a platform administrator pastes one URL and the tool is registered.

The platform opens ``/lti/register/?openid_configuration=...&registration_token=...``; the tool
fetches the platform's OpenID configuration, posts its own configuration (with an
``lti-tool-configuration`` block naming its domain, login and launch URLs, the claims and the Deep
Linking message) to the platform's registration endpoint, stores the registration and the
deployment it receives, and tells the platform to close the dialog
(``postMessage({subject: "org.imsglobal.lti.close"})``).
"""
import logging
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.utils.translation import gettext as _
from lti_tool.models import LtiDeployment, LtiRegistration

from .conf import conf
from . import safe_fetch
from .protocol import LaunchError

log = logging.getLogger(__name__)
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
SCOPES = [
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]


def _http_url(value):
    parts = urlsplit(value) if isinstance(value, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def _where(url):
    """A URL as the log shows it: scheme, host and path, without a query that may carry a token."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"


def _refusal(err, issuer=None):
    return LaunchError(err.message, err.status, err.code, issuer, host=err.host)


def _issuer_matches(issuer, url):
    """The OpenID configuration's issuer and its URL agree (LTI Dynamic Registration 1.0, 3.5.1): same scheme,
    host and port, and the URL's path starts with the issuer's, at a path boundary."""
    issuer_parts, url_parts = urlsplit(issuer), urlsplit(url)
    try:
        same_origin = (issuer_parts.scheme.lower(), issuer_parts.hostname, issuer_parts.port) == (
            url_parts.scheme.lower(), url_parts.hostname, url_parts.port)
    except ValueError:
        return False
    base = issuer_parts.path.rstrip("/")
    return same_origin and (url_parts.path == base or url_parts.path.startswith(base + "/"))


def fetch_platform_configuration(url, tool_urls=()):
    """The platform's OpenID configuration, checked; raises :class:`LaunchError`.

    ``url`` comes from the request, so it is fetched through :mod:`lti.safe_fetch`, and the JWKS, token and
    registration URLs the configuration names (which the tool calls next or later) are checked the same way,
    their hosts looked up now, before anything is posted or stored. ``tool_urls``: the tool's own URLs as this
    request builds them (their host is refused too).
    """
    if not _http_url(url):
        raise LaunchError(_("The registration link has no valid openid_configuration URL."), 400, "bad_registration")
    session = safe_fetch.session(*tool_urls)
    try:
        response = session.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        config = response.json()
    except safe_fetch.Refused as err:
        raise _refusal(err) from err
    except (requests.RequestException, ValueError) as err:
        log.warning("Could not fetch the OpenID configuration at %s: %s", _where(url), type(err).__name__)
        raise LaunchError(_("The tool could not read your platform's configuration at {url}.").format(
            url=_where(url)), 424, "platform_unreachable") from err
    if not isinstance(config, dict):
        raise LaunchError(_("Your platform's configuration is not a JSON object."), 400, "bad_registration")
    issuer = config.get("issuer")
    if not isinstance(issuer, str) or not _http_url(issuer) or not _issuer_matches(issuer, url):
        raise LaunchError(_("Your platform's configuration names an issuer that does not match its address."),
                          400, "bad_registration")
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "registration_endpoint"):
        if not _http_url(config.get(name)):
            raise LaunchError(_("Your platform's configuration has no valid “{name}”.").format(name=name),
                              400, "bad_registration")
    try:
        for name in ("jwks_uri", "token_endpoint", "registration_endpoint"):
            safe_fetch.check_url(config[name], session.own, resolve=True)
    except safe_fetch.Refused as err:
        raise _refusal(err, issuer) from err
    except requests.RequestException as err:
        raise LaunchError(_("The tool could not find your platform's address {host}.").format(
            host=urlsplit(config[name]).hostname), 424, "platform_unreachable", issuer) from err
    return config


def tool_configuration(urls, config):
    """What the tool asks the platform to register (IMS LTI Dynamic Registration, section 3.3)."""
    domain = urlsplit(urls["launch"]).netloc
    supported = set(config.get("scopes_supported") or SCOPES)
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls["login"],
        "redirect_uris": [urls["launch"]],
        "client_name": conf("TOOL_NAME"),
        "jwks_uri": urls["jwks"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(s for s in SCOPES if s in supported),
        TOOL_CONFIGURATION: {
            "domain": domain,
            "description": _("Cohort forums and other social learning activities inside your course."),
            "target_link_uri": urls["launch"],
            "custom_parameters": {},
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": urls["launch"]},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": urls["launch"],
                 "label": _("Add a social learning activity")},
            ],
        },
    }


def register(openid_configuration, registration_token, urls):
    """Register the tool with the platform; returns the stored (registration, deployment)."""
    tool_urls = list(urls.values())
    config = fetch_platform_configuration(openid_configuration, tool_urls)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    endpoint = config["registration_endpoint"]
    try:
        response = safe_fetch.session(*tool_urls).post(endpoint, json=tool_configuration(urls, config),
                                                       headers=headers)
        response.raise_for_status()
        answer = response.json()
    except safe_fetch.Refused as err:
        raise _refusal(err, config["issuer"]) from err
    except (requests.RequestException, ValueError) as err:
        log.warning("Dynamic registration at %s failed: %s", _where(endpoint), type(err).__name__)
        raise LaunchError(_("Your platform refused the registration. Check the registration link and try again."),
                          424, "registration_refused", config["issuer"]) from err
    client_id = answer.get("client_id") if isinstance(answer, dict) else None
    if not isinstance(client_id, str) or not client_id:
        raise LaunchError(_("Your platform's answer to the registration has no client_id."), 400, "bad_registration",
                          config["issuer"])
    deployment_id = (answer.get(TOOL_CONFIGURATION) or {}).get("deployment_id")
    platform = config.get(PLATFORM_CONFIGURATION) or {}
    name = f"{platform.get('product_family_code') or 'LTI platform'}: {config['issuer']}"[:255]
    with transaction.atomic():
        registration, _created = LtiRegistration.objects.update_or_create(
            issuer=config["issuer"], client_id=client_id,
            defaults={"name": name, "auth_url": config["authorization_endpoint"],
                      "token_url": config["token_endpoint"], "keyset_url": config["jwks_uri"],
                      "audience": config.get("authorization_server") or "", "is_active": True})
        deployment = None
        if isinstance(deployment_id, (str, int)) and str(deployment_id):
            deployment, _created = LtiDeployment.objects.update_or_create(
                registration=registration, deployment_id=str(deployment_id), defaults={"is_active": True})
    return registration, deployment
