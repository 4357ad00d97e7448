"""Test settings: the sandbox's, with fast hashing and warnings as errors where it matters."""
from sandbox.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
