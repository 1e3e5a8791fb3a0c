"""Test settings: the real settings with a throw-away search index."""

import tempfile

from .settings import *  # noqa: F403
from .settings import HAYSTACK_CONNECTIONS

HAYSTACK_CONNECTIONS["default"]["PATH"] = tempfile.mkdtemp(prefix="newsportal-test-index-")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
