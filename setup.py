"""Social Learning Suite: Open edX XBlocks and an LTI 1.3 tool for social, informal learning."""
import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def read(*parts):
    with open(os.path.join(HERE, *parts), encoding="utf-8") as handle:
        return handle.read()


def requirements(name):
    lines = read("requirements", name).splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip() and not line.startswith("-")]


# Every Django app of the suite, registered for the LMS and for Studio so that
# `pip install` + `migrate` is the whole installation in Open edX.
DJANGO_APPS = [
    "social_core = xblocks.core.apps:CoreConfig",
    "social_cohort_forum = xblocks.cohort_forum.apps:CohortForumConfig",
    "social_reflection_blog = xblocks.reflection_blog.apps:ReflectionBlogConfig",
    "social_introductions = xblocks.introductions.apps:IntroductionsConfig",
    "social_expert_finder = xblocks.expert_finder.apps:ExpertFinderConfig",
]

setup(
    name="social-learning-suite",
    version="0.1.0",
    description="Cohort forums, expert finder, reflection blogs and pre-session introductions "
    "for Open edX (XBlocks) and any LTI 1.3 platform.",
    long_description=read("README.md"),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_packages(include=["xblocks", "xblocks.*", "lti", "lti.*"]),
    include_package_data=True,
    zip_safe=False,
    install_requires=requirements("base.txt"),
    extras_require={"mysql": ["mysqlclient>=2.2"], "lti": requirements("lti.txt")},
    entry_points={
        "xblock.v1": [
            "social_cohort_forum = xblocks.cohort_forum.block:CohortForumBlock",
            "social_reflection_blog = xblocks.reflection_blog.block:ReflectionBlogBlock",
            "social_introductions = xblocks.introductions.block:IntroductionsBlock",
            "social_expert_finder = xblocks.expert_finder.block:ExpertFinderBlock",
        ],
        "lms.djangoapp": DJANGO_APPS,
        "cms.djangoapp": DJANGO_APPS,
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
