"""On PostgreSQL, a large import's search index computed on several cores.

The words of every new paper's title, abstract, authors and venue were computed by the
statement trigger over the inserted rows, on one core: four fifths of importing
100,000 papers. The index functions are pure, and now say so (PARALLEL SAFE), and the
trigger leaves the rows to the COPY that asked it to (`pg_index.index_new_papers`,
one parallel statement). The index holds exactly what it held. Nothing to do on SQLite.
"""

from __future__ import annotations

from alembic import op

from models.store.pg_index import ROW_FUNCTIONS, index_papers_trigger

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for function in ROW_FUNCTIONS:
            op.execute(f"ALTER FUNCTION {function} PARALLEL SAFE")
        op.execute(index_papers_trigger(deferrable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(index_papers_trigger(deferrable=False))
        for function in ROW_FUNCTIONS:
            op.execute(f"ALTER FUNCTION {function} PARALLEL UNSAFE")
