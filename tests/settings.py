"""Test settings: the sandbox's, with fast hashing and warnings as errors where it matters."""
import atexit
import shutil
import tempfile

from sandbox.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
# Uploads go to a folder of this test run, never the sandbox's.
MEDIA_ROOT = tempfile.mkdtemp(prefix="sls-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, True)
