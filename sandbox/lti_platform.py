"""A tiny LTI 1.3 platform inside the sandbox, to try the LTI tool without Moodle.

It is Open edX's own LTI 1.3 consumer (lti-consumer-xblock's ``LtiAdvantageConsumer``) behind a
few sandbox pages, at ``/sandbox/lti-platform/``: pick a demo person, and the page launches the
tool in an iframe, into one of the links of a course of this platform (the forum, the introductions), as that
person, through the real OIDC login and launch. The platform serves what a platform serves to a tool:

- ``jwks.json``: its public key (the private key is kept in ``SANDBOX_LTI_PLATFORM_KEY_FILE``,
  made on first use, so that launches stay valid across restarts);
- ``auth/``: the OIDC authorization endpoint, answering with a form that posts the signed launch
  to the tool (the person is the login hint: the sandbox lets anyone be anyone);
- ``token/`` and ``members/``: an OAuth2 token endpoint and the course roster (Names and Role
  Provisioning), so that the instructor's *Manage groups* page can fetch the demo people.

``register(base_url)`` registers the platform in the tool with an active deployment (``seed_demo
--base-url`` calls it, as ``make run`` does); registering again changes nothing.
"""
import json
import threading
import uuid
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from . import demo

CLIENT_ID = "sandbox-demo-platform"
DEPLOYMENT_ID = "sandbox-1"
KEY_ID = "sandbox-platform-key-1"
CONTEXT_ID = "demo-course"
CONTEXT_TITLE = "Social learning demo course (LTI)"
RESOURCE_LINK_ID = "week-1-forum"
RESOURCE_LINK_TITLE = "Week 1 forum"
# The forum's settings in the link, as a Deep Linking response would put them.
LINK_SETTINGS = {"prompt": "Introduce yourself to your cohort: **who are you**, and what do you hope to learn?",
                 "allow_anonymous": True, "participation_required": 2}
# The course's links, each to a component with its settings, as Deep Linking would have made them; the first is
# the one the page launches unless another is chosen (``?link=``).
LINKS = {
    RESOURCE_LINK_ID: {"title": RESOURCE_LINK_TITLE, "component": "cohort_forum", "settings": LINK_SETTINGS},
    "meet-your-group": {"title": "Meet your group", "component": "introductions", "settings": {
        "time_zone": "Europe/Brussels", "sessions": demo.INTRODUCTION_SESSIONS}},
    "week-1-finder": {"title": "Who knows? (expert finder)", "component": "expert_finder",
                      "settings": {"display_name": "Who knows?"}},
}
NRPS_SCOPE = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"
_key_lock = threading.Lock()


# ----- who launches --------------------------------------------------------------------------------
def people():
    """The demo people the platform knows: [(heading, [(username, role, cohort)])], as seeded."""
    advocates = {spec[0]: cohort for spec, cohort in demo.ADVOCATES}
    sections = [(name, [(spec[0], "student", name) for spec in members]
                 + [(username, "Community TA", name) for username, cohort in advocates.items() if cohort == name])
                for name, members in demo.COHORTS]
    sections.append(("", [(spec[0], "staff", "") for spec in demo.STAFF]))
    return sections


def person(username):
    """(user, LTI role, cohort name) of a demo person; Http404 for anyone else."""
    for _heading, members in people():
        for name, role, cohort in members:
            if name == username:
                user = get_user_model().objects.filter(username=name).first()
                if user is None:
                    break
                return user, role, cohort
    raise Http404("No such demo person.")


# ----- the platform's key and URLs ---------------------------------------------------------------
def key_file():
    return Path(getattr(settings, "SANDBOX_LTI_PLATFORM_KEY_FILE", Path(settings.VAR_DIR) / "lti-platform-key.pem"))


def private_key():
    """The platform's RSA private key (PEM), made and kept on first use."""
    path = key_file()
    with _key_lock:
        if not path.exists():
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".tmp")
            partial.write_bytes(pem)
            partial.chmod(0o600)
            partial.replace(path)
        return path.read_text()


def base_of(request):
    return f"{request.scheme}://{request.get_host()}"


def issuer(base):
    return base.rstrip("/") + reverse("sandbox_lti_platform")


def endpoint(base, name):
    return base.rstrip("/") + reverse(name)


def register(base):
    """Register this platform, as served at ``base`` (scheme://host:port), in the tool, with an active
    deployment. Idempotent; returns the registration."""
    from lti_tool.models import LtiDeployment, LtiRegistration  # pylint: disable=import-outside-toplevel

    registration, _created = LtiRegistration.objects.update_or_create(
        issuer=issuer(base), client_id=CLIENT_ID, defaults={
            "name": "Sandbox demo platform", "is_active": True,
            "auth_url": endpoint(base, "sandbox_lti_platform_auth"),
            "token_url": endpoint(base, "sandbox_lti_platform_token"),
            "keyset_url": endpoint(base, "sandbox_lti_platform_jwks")})
    LtiDeployment.objects.update_or_create(registration=registration, deployment_id=DEPLOYMENT_ID,
                                           defaults={"is_active": True})
    return registration


def registration_for(base):
    from lti_tool.models import LtiRegistration  # pylint: disable=import-outside-toplevel

    return LtiRegistration.objects.filter(issuer=issuer(base), client_id=CLIENT_ID, is_active=True).first()


def link_of(link_id):
    """``(id, {title, component, settings})`` of a link of the course; the first link for an unknown id."""
    return (link_id, LINKS[link_id]) if link_id in LINKS else next(iter(LINKS.items()))


def consumer(base, username=None, language="", link=RESOURCE_LINK_ID):
    """lti-consumer-xblock's consumer for this platform, launching ``username`` (None: no launch data) into
    ``link`` (a key of :data:`LINKS`)."""
    from lti_consumer.lti_1p3.consumer import LtiAdvantageConsumer  # pylint: disable=import-outside-toplevel

    tool = base.rstrip("/")
    launch_url = tool + reverse("social_lti_launch")
    platform = LtiAdvantageConsumer(
        iss=issuer(base), lti_oidc_url=tool + reverse("social_lti_login"), lti_launch_url=launch_url,
        client_id=CLIENT_ID, deployment_id=DEPLOYMENT_ID, rsa_key=private_key(), rsa_key_id=KEY_ID,
        redirect_uris=[launch_url], tool_keyset_url=tool + reverse("social_lti_jwks"))
    if username is None:
        return platform
    user, role, cohort = person(username)
    platform.set_user_data(user_id=user.username, role=role, full_name=user.get_full_name(),
                           email_address=user.email)
    link_id, spec = link_of(link)
    platform.set_resource_link_claim(link_id, title=spec["title"])
    platform.set_context_claim(CONTEXT_ID, context_title=CONTEXT_TITLE, context_label="DEMO-LTI")
    custom = {"sls_component": spec["component"], "sls_settings": json.dumps(spec["settings"])}
    if cohort:
        custom["cohort"] = cohort  # as Moodle sends a group with a custom parameter
    platform.set_custom_parameters(custom)
    platform.lti_claim_launch_presentation = {"https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
        "document_target": "iframe", **({"locale": language} if language else {})}}
    platform.enable_nrps(endpoint(base, "sandbox_lti_platform_members"))
    return platform


def preflight_url(base, username, link=RESOURCE_LINK_ID):
    """Where the iframe starts: the tool's OIDC login initiation for ``username`` into ``link``."""
    from lti_consumer.data import Lti1p3LaunchData  # pylint: disable=import-outside-toplevel

    _user, role, _cohort = person(username)
    data = Lti1p3LaunchData(user_id=username, user_role=role, config_id=str(uuid.uuid4()),
                            resource_link_id=link_of(link)[0], message_type="LtiResourceLinkRequest")
    return consumer(base).prepare_preflight_url(data)


# ----- pages and endpoints ---------------------------------------------------------------------------
@require_GET
def page(request):
    """Pick a demo person; the tool opens in an iframe, launched as them."""
    base = base_of(request)
    registered = registration_for(base) is not None
    chosen = request.GET.get("as", "")
    link_id, link = link_of(request.GET.get("link", ""))
    sections = people()
    users = get_user_model().objects.in_bulk([name for _h, found in sections for name, _r, _c in found],
                                             field_name="username")
    roles = {"student": _("Learner"), "Community TA": _("Learner and mentor"), "staff": _("Instructor")}
    context = {
        "people": [(heading or _("Course team"),
                    [(users[name], roles[role]) for name, role, _cohort in found if name in users])
                   for heading, found in sections],
        "chosen": chosen, "registered": registered, "base": base, "issuer": issuer(base), "client_id": CLIENT_ID,
        "deployment_id": DEPLOYMENT_ID, "course_title": CONTEXT_TITLE, "link_title": link["title"],
        "link": link_id, "links": [(key, spec["title"]) for key, spec in LINKS.items()],
        "username": request.user.username if request.user.is_authenticated else "",
    }
    if chosen and registered:
        user, role, cohort = person(chosen)
        context.update(launch_url=preflight_url(base, chosen, link_id), person=user, role=role, cohort=cohort)
    return render(request, "sandbox/lti_platform.html", context)


@require_GET
def jwks(request):
    return JsonResponse(consumer(base_of(request)).get_public_keyset())


@require_GET
@xframe_options_sameorigin
def auth(request):
    """The OIDC authorization endpoint: sign the launch for the login hint and post it to the tool, in the
    sandbox's language (the tool speaks the launch's ``launch_presentation.locale``)."""
    from lti_consumer.utils import get_data_from_cache  # pylint: disable=import-outside-toplevel

    query = request.GET.dict()
    # The link the login was started for, as the consumer kept it under the message hint (see preflight_url).
    launch_data = get_data_from_cache(query.get("lti_message_hint", "")) if query.get("lti_message_hint") else None
    link = getattr(launch_data, "resource_link_id", RESOURCE_LINK_ID)
    try:
        launch = consumer(base_of(request), query.get("login_hint", ""), translation.get_language() or "",
                          link).generate_launch_request(query)
    except (Http404, ValueError, KeyError) as err:
        return HttpResponse(f"The demo platform refused this login: {type(err).__name__}.", status=400,
                            content_type="text/plain; charset=utf-8")
    return render(request, "sandbox/lti_platform_post.html", {"action": query["redirect_uri"], "fields": launch})


@csrf_exempt
@require_POST
def token(request):
    """OAuth2 client credentials for the tool's service calls (the tool signs its request)."""
    try:
        return JsonResponse(consumer(base_of(request)).access_token(request.POST.dict()))
    except Exception as err:  # pylint: disable=broad-except  # the consumer raises several kinds
        return JsonResponse({"error": "invalid_grant", "error_description": type(err).__name__}, status=400)


@require_GET
def members(request):
    """The course roster (Names and Role Provisioning Services): every demo person."""
    header = request.headers.get("Authorization", "")
    try:
        allowed = header.startswith("Bearer ") and consumer(base_of(request)).check_token(
            header[7:], allowed_scopes=[NRPS_SCOPE])
    except Exception:  # pylint: disable=broad-except  # any invalid token
        allowed = False
    if not allowed:
        return JsonResponse({"error": "unauthorised"}, status=401)
    roles = {"student": [MEMBERSHIP + "Learner"], "staff": [MEMBERSHIP + "Instructor"],
             "Community TA": [MEMBERSHIP + "Learner", MEMBERSHIP + "Mentor"]}
    users = get_user_model().objects.in_bulk([name for _h, found in people() for name, _r, _c in found],
                                             field_name="username")
    found = [{"user_id": name, "name": users[name].get_full_name(), "given_name": users[name].first_name,
              "family_name": users[name].last_name, "email": users[name].email, "roles": roles[role],
              "status": "Active"}
             for _heading, group in people() for name, role, _cohort in group if name in users]
    return JsonResponse({"id": request.build_absolute_uri(), "context": {"id": CONTEXT_ID, "title": CONTEXT_TITLE},
                         "members": found}, content_type="application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
