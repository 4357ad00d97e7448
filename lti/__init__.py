"""The Social Learning Suite as an LTI 1.3 tool (django-lti / pylti1p3 with the gaps closed here)."""
