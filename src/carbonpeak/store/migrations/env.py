"""Alembic environment: uses the engine handed over in ``config.attributes``."""

from alembic import context

from carbonpeak.store.models import Base
from carbonpeak.store.partitions import include_object

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTERs go through batch mode
        compare_type=True,
        include_object=include_object,  # month partitions of meter_readings (PostgreSQL)
    )
    context.run_migrations()
