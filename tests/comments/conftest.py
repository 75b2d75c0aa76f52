import pytest


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run on the spot, so their emails land in mailoutbox."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def comment_settings(settings):
    """The documented defaults, whatever the environment running the tests says."""
    settings.COMMENTS_AUTO_APPROVE_KNOWN = True
    settings.COMMENTS_MAX_LINKS = 2
    settings.COMMENTS_LINKIFY = False
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    settings.COMMENTS_MIN_SECONDS = 3
    settings.COMMENTS_FORM_MAX_AGE_HOURS = 24
    settings.COMMENTS_RATE_LIMIT = 5
    settings.COMMENTS_RATE_LIMIT_SECONDS = 600
    settings.CLIENT_IP_HEADER = ""
    settings.COMMENTS_LINK_MAX_AGE_DAYS = 7
    settings.COMMENTS_PERSONAL_DATA_DAYS = 90
    settings.SITE_URL = "http://testserver"
