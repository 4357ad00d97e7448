"""The reflection blog: learners keep a blog of what they learned, answer the author's prompts, and talk
with a coach at a distance (XBlock ``social_reflection_blog`` and the same component through the LTI tool)."""
