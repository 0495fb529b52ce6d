"""Benchmarks: scripts run as ``.venv/bin/python bench/<name>.py``; each prints its figures."""
