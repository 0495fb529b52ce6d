"""Storage: SQLAlchemy 2 models and Alembic migrations (SQLite embedded, PostgreSQL at scale), the
content-addressed audio store, and small query modules whose functions take a Session and never
commit (the service or task that owns the unit of work commits once, see :func:`db.unit_of_work`).
"""
