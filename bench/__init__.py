"""Benchmarks of the suite's requests on a throwaway database (``python -m bench.forum``)."""
