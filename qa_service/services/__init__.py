"""Service functions: one unit of work each, called by the Celery tasks, the embedded local worker
and the CLI alike (the same code path on both ways of running)."""
