"""The expert finder: profiles, expertise that emerges from what people do in the other components, and
"who knows about X?" with the reasons shown (see docs/expert-finder.md)."""
