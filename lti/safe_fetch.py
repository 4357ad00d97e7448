"""Every HTTP call the tool makes to a course platform, guarded against being pointed at the wrong place.

Where the tool calls is not always chosen by an administrator: Dynamic Registration fetches the
``openid_configuration`` URL a request names and posts to the ``registration_endpoint`` that
configuration names; a platform registered that way chooses its JWKS and token URLs; a signed launch
names the roster (NRPS) and gradebook (AGS) URLs. So every call goes through :func:`session`, which

- calls ``https`` addresses only (``http`` only for a host the administrator allows);
- refuses the tool's own host names (Django's ``ALLOWED_HOSTS``, ``BASE_URL``, the request's host);
- resolves the host once, refuses it when any of its addresses is loopback, private (RFC 1918),
  shared (100.64/10), link-local (169.254/16, cloud metadata included), unique-local or link-local
  IPv6, multicast, unspecified or reserved, or an IPv6 form of one of those (IPv4-mapped, NAT64,
  6to4, Teredo), and connects to the very addresses it checked (no second lookup, so a name cannot
  change its address between the check and the connection);
- follows no redirect, ignores proxy environment variables (it connects directly), times out
  (``HTTP_TIMEOUT_SECONDS`` for connecting, for each read, and for the whole answer) and reads at most
  ``MAX_ANSWER_BYTES`` of an answer.

A host in ``SOCIAL_LEARNING_LTI["ALLOWED_PLATFORM_HOSTS"]`` (``"moodle.intranet"``, or
``"moodle.intranet:8443"`` for one port) is exempt from the address, own-host and https checks: that is
how an administrator lets the tool reach a platform on a private network. A refusal raises
:class:`Refused` (a ``requests.RequestException``) with a code, the host, a status and a message for
people; the caller logs it once.
"""
import ipaddress
import os
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings as django_settings
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import LocationParseError, NameResolutionError
from urllib3.util import parse_url

from .conf import conf

USER_AGENT = "SocialLearningSuite-LTI"
CHUNK_BYTES = 16 * 1024
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(requests.RequestException):
    """A call the guard would not make or an answer it would not read: ``code``, ``host``, ``status`` (4xx),
    ``message`` for people."""

    def __init__(self, code, host, message, status=403):
        super().__init__(f"{code}: {host}")
        self.code = code
        self.host = host
        self.message = str(message)
        self.status = status


class _AddressRefused(Exception):
    """Raised inside urllib3 by a connection whose host resolves to an address the guard refuses. Not an
    ``OSError``, so urllib3 does not retry it or bury it in a ``MaxRetryError``; :class:`GuardedSession`
    turns it into :class:`Refused`."""


# ----- what is allowed ----------------------------------------------------------------------------
def _normal(host):
    return (host or "").strip().strip("[]").rstrip(".").lower()


def host_allowed(host, port=None):
    """True when the administrator allows this host (any port) or this host and port."""
    host = _normal(host)
    for entry in conf("ALLOWED_PLATFORM_HOSTS") or ():
        entry = str(entry).strip().lower()
        if entry.startswith("["):  # [::1] or [::1]:8443
            name, _sep, rest = entry[1:].partition("]")
            entry_port = rest[1:] if rest.startswith(":") else ""
        elif entry.count(":") == 1:
            name, _sep, entry_port = entry.partition(":")
        else:
            name, entry_port = entry, ""
        if _normal(name) == host and (not entry_port or (port is not None and entry_port == str(port))):
            return True
    return False


def own_hosts(*urls):
    """The tool's own host names: exact entries of ``ALLOWED_HOSTS`` (``.example.org`` counts as
    ``example.org``; ``*`` names none), ``BASE_URL``'s host, and the hosts of ``urls`` (the tool's URLs as
    the request built them)."""
    names = set()
    for entry in getattr(django_settings, "ALLOWED_HOSTS", ()) or ():
        entry = _normal(str(entry).lstrip("."))
        if entry and "*" not in entry:
            names.add(entry)
    for url in (conf("BASE_URL"), *urls):
        if url:
            names.add(_normal(urlsplit(url).hostname))
    names.discard("")
    return frozenset(names)


def address_refused(address):
    """True for an address the tool must not call: anything not globally routable. An IPv6 address that carries
    an IPv4 one (IPv4-mapped, NAT64, which DNS64 gives for every IPv4 host on an IPv6-only network) is judged by
    that IPv4 address; a 6to4 or Teredo one is refused when its IPv4 address would be."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return address_refused(str(ip.ipv4_mapped))
        if ip in NAT64:
            return address_refused(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
        embedded = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and address_refused(str(embedded)):
            return True
    return bool(not ip.is_global or ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast
                or ip.is_reserved or ip.is_unspecified or getattr(ip, "is_site_local", False))


def _parts(url):
    """(scheme, host, port) as requests and urllib3 will read the URL (their parser, not urllib's: both checks
    must see the host the connection goes to); ("", "", None) for what is not a URL."""
    try:
        parts = parse_url(url) if isinstance(url, str) else None
    except LocationParseError:
        parts = None
    if parts is None or not parts.scheme:
        return "", "", None
    scheme = parts.scheme.lower()
    return scheme, _normal(parts.host), parts.port or {"https": 443, "http": 80}.get(scheme)


def private_address(host):
    return Refused("private_address", host, _(
        "The tool does not contact {host}: that address is on a private, local or reserved network. If your "
        "course platform is on your own network, ask the tool's administrator to allow its host.").format(host=host))


def check_url(url, own=frozenset(), resolve=False):
    """Refuse (:class:`Refused`) a URL the tool must not call; with ``resolve``, also look the host up now and
    refuse it when any of its addresses is one the guard refuses (for addresses the tool stores to call
    later; the call itself checks again)."""
    scheme, host, port = _parts(url)
    if scheme not in ("http", "https") or not host:
        raise Refused("bad_address", host or "-", _("“{url}” is not a web address the tool can call.").format(
            url=str(url)[:200]), 400)
    if host_allowed(host, port):
        return host
    if scheme != "https":
        raise Refused("insecure_address", host, _(
            "The tool contacts course platforms over HTTPS only, and {host} was given over plain HTTP. If your "
            "platform is on your own network, ask the tool's administrator to allow its host.").format(host=host))
    if host in own:
        raise Refused("tool_address", host, _(
            "The tool does not contact {host}: that is the tool's own address.").format(host=host))
    if resolve:
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
        except (OSError, UnicodeError) as err:
            raise requests.ConnectionError(f"{host} could not be resolved: {err}") from err
        if not addresses or any(address_refused(a) for a in addresses):
            raise private_address(host)
    return host


# ----- connections to checked addresses ----------------------------------------------------------
class _CheckedAddresses:
    """urllib3 connection mix-in: resolve the host once, refuse it unless every address is public (or the
    host is allowed), then connect to those addresses themselves."""

    def _new_conn(self):
        host = self._dns_host
        if host_allowed(host, self.port):
            return super()._new_conn()
        try:
            infos = socket.getaddrinfo(host, self.port, type=socket.SOCK_STREAM)
        except socket.gaierror as err:
            raise NameResolutionError(self.host, self, err) from err
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        if not addresses or any(address_refused(a) for a in addresses):
            raise _AddressRefused(host)
        error = None
        for address in addresses:
            self._dns_host = address  # no second lookup: connect to the address just checked
            try:
                return super()._new_conn()
            except OSError as err:  # urllib3's NewConnectionError / ConnectTimeoutError
                error = err
            finally:
                self._dns_host = host
        raise error


class _HTTPConnection(_CheckedAddresses, HTTPConnection):
    pass


class _HTTPSConnection(_CheckedAddresses, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        # Connect directly: through a proxy the checked address would be the proxy's.
        return super().send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=None)


class GuardedSession(requests.Session):
    """A requests session whose every call is checked (see the module's docstring)."""

    def __init__(self, own=frozenset()):
        super().__init__()
        self.own = own
        # No proxy, .netrc or other environment settings (a .netrc password must not reach a host a request
        # chose); a CA bundle named in the environment still counts.
        self.trust_env = False
        self.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self.headers["User-Agent"] = USER_AGENT
        self.headers["Accept-Encoding"] = "identity"
        self.mount("https://", _Adapter(max_retries=0))
        self.mount("http://", _Adapter(max_retries=0))

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        host = check_url(url, self.own)
        timeout = conf("HTTP_TIMEOUT_SECONDS")
        deadline = time.monotonic() + timeout
        kwargs.update(allow_redirects=False, stream=True)
        kwargs.setdefault("timeout", timeout)
        try:
            response = super().request(method, url, *args, **kwargs)
        except _AddressRefused:
            raise private_address(host) from None
        if response.is_redirect or response.is_permanent_redirect:
            response.close()
            target = _parts(response.headers.get("Location", ""))[1] or "-"
            raise Refused("redirect_refused", host, _(
                "{host} answered with a redirect (to {target}), and the tool follows none. Give the platform's "
                "final address.").format(host=host, target=target), 424)
        _read(response, host, deadline)
        return response


def _too_large(host, limit):
    return Refused("answer_too_large", host, _(
        "The answer from {host} is larger than the tool reads ({limit} KB), so it was not read.").format(
            host=host, limit=limit // 1024), 424)


def _read(response, host, deadline):
    """Read the whole answer into the response, refusing one over ``MAX_ANSWER_BYTES`` or slower than the
    timeout."""
    limit = conf("MAX_ANSWER_BYTES")
    try:
        declared = int(response.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        response.close()
        raise _too_large(host, limit)
    chunks, size = [], 0
    try:
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise _too_large(host, limit)
            if time.monotonic() > deadline:
                raise requests.Timeout(f"{host} took longer than {conf('HTTP_TIMEOUT_SECONDS')} s to answer")
            chunks.append(chunk)
    finally:
        response.close()
    response._content = b"".join(chunks)  # pylint: disable=protected-access
    response._content_consumed = True  # pylint: disable=protected-access


def session(*tool_urls):
    """A guarded session; ``tool_urls``: the tool's own URLs as the current request builds them (their hosts
    are refused like the tool's other names)."""
    return GuardedSession(own_hosts(*tool_urls))
