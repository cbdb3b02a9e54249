from alembic import context

from app.storage.migrate import run_migrations_in_env

run_migrations_in_env(context)
