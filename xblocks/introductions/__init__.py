"""Pre-session introductions: live sessions with a countdown and calendar file, learners' introductions of
themselves, and the facilitator's view of who has introduced themselves and what the group brings."""
