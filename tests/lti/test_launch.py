"""Resource link launches from Open edX's LTI 1.3 consumer, end to end over HTTP."""
import pytest
from django.contrib.auth import get_user_model

from lti.models import LtiPerson
from tests.lti.conftest import forum_init

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_launch_opens_the_forum(platform, tool, rows):
    before = rows.count()
    page = tool.launch(platform.consumer(custom={"cohort": "Antwerp"}))
    assert page.status_code == 200, page.text[:2000]
    init = forum_init(page.text)
    assert init["user"]["name"] == "Ann Peeters"
    assert init["roles"] == {"is_staff": False, "is_advocate": False}
    assert init["current_group"]["name"] == "Antwerp"
    assert init["client"]["headers"]["Authorization"].startswith("Bearer ")
    assert "This is the space of Antwerp" in page.text
    after = rows.count()
    assert after["User"] == before["User"] + 1
    assert after["Placement"] == before["Placement"] + 1
    person = LtiPerson.objects.get(issuer=platform.url, subject="learner-1")
    assert person.user.email == "ann@example.com"
    # No cookie is needed or set: everything rides on the token in the page.
    assert not tool.http.cookies
