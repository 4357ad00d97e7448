"""One factory per model (factory-boy)."""
import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from xblocks.cohort_forum.models import Post, Thread
from xblocks.core.models import LocalGroup, LocalGroupMembership, Placement, RoleAssignment
from xblocks.core.text import render_markdown

COURSE_KEY = "course-v1:Test+SLS+2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"learner{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement
        django_get_or_create = ("context_key", "resource_key")

    platform = Placement.LOCAL
    context_key = COURSE_KEY
    resource_key = factory.Sequence(lambda n: f"forum-{n}")


class LocalGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGroup

    context_key = COURSE_KEY
    kind = LocalGroup.COHORT
    name = factory.Sequence(lambda n: f"Cohort {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalGroupMembership

    group = factory.SubFactory(LocalGroupFactory)
    user = factory.SubFactory(UserFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    context_key = COURSE_KEY
    user = factory.SubFactory(UserFactory)
    role = RoleAssignment.STAFF


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    placement = factory.SubFactory(PlacementFactory)
    group_key = "course"
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    body = "Some **text** to discuss."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
    created = factory.LazyFunction(timezone.now)
    last_activity = factory.LazyAttribute(lambda o: o.created)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    author = factory.SubFactory(UserFactory)
    body = "A reply."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body))
