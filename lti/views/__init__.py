"""The tool's HTTP endpoints, one module per concern; thin over :mod:`lti.protocol`, :mod:`lti.identity` and
:mod:`lti.door`."""
from .deep_linking import deep_link
from .groups import groups, switch_group
from .launch import jwks, launch, login
from .pages import assets, component_api, component_page, renew
from .reach import open_activity
from .registration import register

__all__ = ["assets", "component_api", "component_page", "deep_link", "groups", "jwks", "launch", "login", "open_activity", "register", "renew",
           "switch_group"]
