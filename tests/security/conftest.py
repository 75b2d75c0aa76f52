import pytest

# The comments' documented settings and immediate background tasks, as in tests/comments/.
from tests.comments.conftest import comment_settings, immediate_tasks  # noqa: F401
from tests.factories import make_editor, make_journalist


@pytest.fixture
def journalist(db):
    return make_journalist(username="julie")


@pytest.fixture
def editor(db):
    return make_editor(username="edouard")
