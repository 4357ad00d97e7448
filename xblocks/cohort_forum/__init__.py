"""Cohort forum: a discussion space inside a course unit, scoped to a cohort, team or course."""
