"""The LTI tool's settings: one dict, ``settings.SOCIAL_LEARNING_LTI``, read at call time."""
from django.conf import settings as django_settings

DEFAULTS = {
    # Clock skew accepted on a platform's id_token (exp, iat), in seconds.
    "LEEWAY_SECONDS": 60,
    # How long the state of an OIDC login waits for its launch, in seconds.
    "STATE_SECONDS": 600,
    # How long a platform's JWKS is cached, in seconds (refetched once when a kid is unknown).
    "JWKS_CACHE_SECONDS": 600,
    # Timeout of every call to a platform (JWKS, token, NRPS, AGS, registration), in seconds: to connect, for
    # each read, and for the whole answer.
    "HTTP_TIMEOUT_SECONDS": 10,
    # Largest answer the tool reads from a platform, in bytes; a larger one is refused unread.
    "MAX_ANSWER_BYTES": 5 * 1024 * 1024,
    # Hosts of course platforms the tool may call although they are on a private, local or reserved network
    # address, are one of the tool's own host names, or are given over plain http: "moodle.intranet", or
    # "moodle.intranet:8443" for that port only. Every other call goes to public HTTPS addresses only
    # (lti/safe_fetch.py).
    "ALLOWED_PLATFORM_HOSTS": [],
    # Lifetime of the launch token the page carries instead of a session cookie, in seconds. The open page
    # renews it every LAUNCH_TOKEN_RENEW_SECONDS (and when it is shown again after a while), so a token copied
    # from a page is useless minutes later.
    "LAUNCH_TOKEN_SECONDS": 15 * 60,
    "LAUNCH_TOKEN_RENEW_SECONDS": 4 * 60,
    # A page renews its token at most this long after its launch (an absolute ceiling); then it needs a new
    # launch (roles and groups are those of the launch).
    "LAUNCH_MAX_SECONDS": 12 * 3600,
    # Platforms registered through Dynamic Registration get an active deployment at once.
    "DYNAMIC_REGISTRATION": True,
    # After a key rotation the previous key stays in the JWKS this long (tokens the tool signs
    # live at most 10 minutes; platforms cache JWKS for a while).
    "KEY_GRACE_SECONDS": 24 * 3600,
    # Tool name shown to platforms (Dynamic Registration) and in pages.
    "TOOL_NAME": "Social Learning Suite",
    # Largest JWT the tool reads from a request (id_token, Deep Linking token, registration token), in bytes;
    # a larger one is refused before any JWT work.
    "MAX_JWT_BYTES": 64 * 1024,
    # How long a learner's groups read from the platform (Moodle's web services) are used before they are read
    # again at their next launch, in seconds; after a failed call, the last known groups are used this long.
    "PLATFORM_GROUPS_SECONDS": 300,
    "PLATFORM_GROUPS_RETRY_SECONDS": 60,
    # Public base URL of the tool (scheme://host), when it differs from the request's.
    "BASE_URL": "",
}


def conf(name):
    overrides = getattr(django_settings, "SOCIAL_LEARNING_LTI", {}) or {}
    if name in overrides:
        return overrides[name]
    return DEFAULTS[name]
