"""Persistence: SQLAlchemy 2 models, engine factory, Alembic migrations, repository functions."""
