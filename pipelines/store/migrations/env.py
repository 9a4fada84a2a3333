"""Alembic environment: runs on the connection the store hands over
(``config.attributes["connection"]``), or on ``-x url=…`` by hand."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from pipelines.store.models import Base

config = context.config
target_metadata = Base.metadata


def run(connection):
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database: alembic -x url=…")
    engine = create_engine(url)
    with engine.connect() as conn:
        run(conn)
        conn.commit()
    engine.dispose()
