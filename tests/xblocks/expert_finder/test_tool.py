"""The expert finder through the LTI tool: people launched from a platform keep a profile and find each other,
their names from the launch, a cohort profile unseen from another cohort, as in the XBlock."""
import json
import re

import pytest
from django.test import Client

from lti.identity import context_key
from lti.models import LtiPerson
from tests.lti import platform as platforms
from tests.lti.test_queries import in_process_platform  # noqa: F401  (fixture)
from xblocks.core import groups_api

FINDER_DATA = re.compile(r'<script type="application/json" class="sls-finder-data">(.*?)</script>', re.S)


def launch(platform, user_id, name, cohort):
    custom = {"sls_component": "expert_finder", "sls_settings": json.dumps({"display_name": "Who knows?"}),
              "cohort": cohort}
    page = platforms.ClientBrowser(platform, Client()).launch(platform.consumer(
        user_id=user_id, name=name, role="student", custom=custom, resource_link_id="finder-1",
        link_title="Who knows?"))
    assert page.status_code == 200, page.content[:1000]
    html = page.content.decode()
    assert "Who knows?" in html
    init = json.loads(FINDER_DATA.search(html, html.find("data-sls-lti-root")).group(1))
    user = LtiPerson.objects.get(subject=user_id).user
    groups_api.put_in_cohort(user, context_key(platform.url, "course-1"), cohort)
    return init


def call(client, init, action, data):
    response = client.post(init["urls"][action], data=data, content_type="application/json",
                           HTTP_AUTHORIZATION=init["client"]["headers"]["Authorization"])
    return response.status_code, response.json()


@pytest.mark.django_db(transaction=True)
def test_people_launched_from_a_platform_find_each_other(in_process_platform, client):  # noqa: F811
    people = (("cara", "Cara Maes", "Antwerp"), ("ann", "Ann Peeters", "Antwerp"), ("bob", "Bob Janssens", "Brussels"))
    for person in people:  # the first launch makes the account, then the platform's cohort is set
        launch(in_process_platform, *person)
    cara, ann, bob = (launch(in_process_platform, *person) for person in people)
    status, saved = call(client, cara, "save_profile", {"headline": "Pricing analyst", "visibility": "cohort",
                                                        "skills": [{"name": "Pricing", "level": 3}]})
    assert status == 200 and saved["completeness"]["percent"] == 29
    status, found = call(client, ann, "search", {"q": "prices", "scope": "course"})
    assert status == 200
    (result,) = found["results"]
    assert result["name"] == "Cara Maes" and result["reasons"] == ["self-rated advanced in Pricing", "in their headline"]
    status, nobody = call(client, bob, "search", {"q": "pricing", "scope": "course"})
    assert status == 200 and nobody["results"] == []
    status, refused = call(client, bob, "get_profile", {"user_id": result["user_id"]})
    assert status == 404 and refused["error"]["code"] == "not_found"
    status, refused = call(client, ann, "search", {"q": "pricing", "scope": "platform"})
    assert status == 400 and "scope" in refused["error"]["fields"]
