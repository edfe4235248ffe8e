"""The SQL that keeps `search_searchentry` current: one source SELECT per kind of thing.

PostgreSQL: row triggers on each source table call `search_refresh(kind, id)` (plpgsql),
which deletes the entry and inserts it again from the source SELECT; generated tsvector
columns and GIN indexes do the rest. The function body is not tracked as a dependency,
so other apps' migrations can alter their tables freely. Entries copy their parents' data
(code, plan, state, cycle), so triggers on the parents (CASCADES, search/0002) index the
dependents again when that data changes.

SQLite: triggers on the source tables do the same with inline SELECTs, and triggers on the
entry table keep the FTS5 table `search_fts` (stems computed by Python functions registered
on each connection). SQLite refuses to rename a table while a trigger elsewhere names it, and
Django rebuilds tables that way, so these triggers exist only outside `migrate`: dropped on
pre_migrate, created (and the index rebuilt) on post_migrate.
"""

from django.db import connections

from .text import normalised, word_similarity

ENTRY_COLUMNS = (
    "kind, object_id, code, title, title_en, body, parent_id, date, plan_id, state_id, cycle_year"
)

# Each SELECT yields ENTRY_COLUMNS for the rows of one kind; {key} is the column that
# names the object (filtered by the trigger), {agenda} the vendor's aggregate of agenda items.
SOURCES = {
    "commitment": (
        "SELECT 'commitment', c.id, c.code, COALESCE(NULLIF(c.title_es, ''), c.title_en),"
        " c.title_en, c.description || ' ' || c.problem || ' ' || c.objectives,"
        " CAST(NULL AS bigint), CAST(NULL AS date), c.action_plan_id, p.state_id, p.cycle_year"
        " FROM commitments_commitment c"
        " JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} c.id {key}"
    ),
    "milestone": (
        "SELECT 'milestone', m.id, c.code, m.title, '', m.narrative, c.id, m.due_date,"
        " c.action_plan_id, p.state_id, p.cycle_year"
        " FROM commitments_milestone m"
        " JOIN commitments_commitment c ON c.id = m.commitment_id"
        " JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} m.id {key}"
    ),
    "progress_report": (
        "SELECT 'progress_report', r.id, c.code, '', '', r.summary, c.id, r.date,"
        " c.action_plan_id, p.state_id, p.cycle_year"
        " FROM commitments_progressreport r"
        " JOIN commitments_commitment c ON c.id = r.commitment_id"
        " JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} r.id {key}"
    ),
    "evidence": (
        "SELECT 'evidence', e.id, c.code, COALESCE(NULLIF(e.title, ''), e.original_name), '', '',"
        " c.id, CAST(NULL AS date), c.action_plan_id, p.state_id, p.cycle_year"
        " FROM commitments_evidence e"
        " LEFT JOIN commitments_milestone m ON m.id = e.milestone_id"
        " LEFT JOIN commitments_progressreport r ON r.id = e.progress_report_id"
        " JOIN commitments_commitment c ON c.id = COALESCE(m.commitment_id, r.commitment_id)"
        " JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} e.id {key}"
    ),
    "meeting": (
        "SELECT 'meeting', g.id, '', g.title, '',"
        " COALESCE((SELECT {agenda} FROM coordination_agendaitem a WHERE a.meeting_id = g.id), '')"
        " || ' ' || g.minutes,"
        " g.space_id, {day}, c.action_plan_id, p.state_id, p.cycle_year"
        " FROM coordination_meeting g"
        " JOIN coordination_coordinationspace s ON s.id = g.space_id"
        " LEFT JOIN commitments_commitment c ON c.id = s.commitment_id"
        " LEFT JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} g.id {key}"
    ),
    "agreement": (
        "SELECT 'agreement', k.id, '', k.text, '', '', k.meeting_id, k.due_date,"
        " c.action_plan_id, p.state_id, p.cycle_year"
        " FROM coordination_agreement k"
        " JOIN coordination_meeting g ON g.id = k.meeting_id"
        " JOIN coordination_coordinationspace s ON s.id = g.space_id"
        " LEFT JOIN commitments_commitment c ON c.id = s.commitment_id"
        " LEFT JOIN commitments_actionplan p ON p.id = c.action_plan_id"
        " {where} k.id {key}"
    ),
    "action_plan": (
        "SELECT 'action_plan', p.id, '', p.title, '', p.note, CAST(NULL AS bigint), p.start_date,"
        " p.id, p.state_id, p.cycle_year"
        " FROM commitments_actionplan p"
        " {where} p.id {key}"
    ),
    "institution": (
        "SELECT 'institution', i.id, i.acronym, i.name, '', '', CAST(NULL AS bigint),"
        " CAST(NULL AS date), CAST(NULL AS bigint), i.state_id, CAST(NULL AS integer)"
        " FROM commitments_institution i"
        " {where} i.id {key}"
    ),
}

DAY_OF_MEETING = {"postgresql": "CAST(g.date AS date)", "sqlite": "date(g.date)"}

AGENDA = {
    "postgresql": "string_agg(a.title || ' ' || a.description, ' ' ORDER BY a.position)",
    "sqlite": "group_concat(a.title || ' ' || a.description, ' ')",
}

# Source table -> (kind it refreshes, column holding that kind's id, columns whose update
# changes the entry). Updates of other columns (progress, version, updated_at) skip the index.
TRIGGERS = {
    "commitments_commitment": (
        "commitment",
        "id",
        ("code", "title_es", "title_en", "description", "problem", "objectives", "action_plan_id"),
    ),
    "commitments_milestone": (
        "milestone",
        "id",
        ("title", "narrative", "due_date", "commitment_id"),
    ),
    "commitments_progressreport": ("progress_report", "id", ("summary", "date", "commitment_id")),
    "commitments_evidence": (
        "evidence",
        "id",
        ("title", "original_name", "milestone_id", "progress_report_id"),
    ),
    "commitments_actionplan": (
        "action_plan",
        "id",
        ("title", "note", "state_id", "cycle_year", "start_date"),
    ),
    "commitments_institution": ("institution", "id", ("name", "acronym", "state_id")),
    "coordination_meeting": ("meeting", "id", ("title", "minutes", "date", "space_id")),
    "coordination_agendaitem": ("meeting", "meeting_id", ("title", "description", "meeting_id")),
    "coordination_agreement": ("agreement", "id", ("text", "due_date", "meeting_id")),
}


# Entries copy their parents' data (a milestone carries its commitment's code, plan, state
# and cycle; a meeting its space's commitment's plan). Parent table -> (columns whose update
# changes what the dependents copy, {kind: the ids of that kind's dependents of row {id}}).
# The dependents are indexed again from their sources when one of those columns changes.
CASCADES = {
    "commitments_commitment": (
        ("code", "action_plan_id"),
        {
            "milestone": "SELECT id FROM commitments_milestone WHERE commitment_id = {id}",
            "progress_report": (
                "SELECT id FROM commitments_progressreport WHERE commitment_id = {id}"
            ),
            "evidence": (
                "SELECT id FROM commitments_evidence WHERE milestone_id IN"
                " (SELECT id FROM commitments_milestone WHERE commitment_id = {id})"
                " OR progress_report_id IN"
                " (SELECT id FROM commitments_progressreport WHERE commitment_id = {id})"
            ),
            "meeting": (
                "SELECT id FROM coordination_meeting WHERE space_id IN"
                " (SELECT id FROM coordination_coordinationspace WHERE commitment_id = {id})"
            ),
            "agreement": (
                "SELECT id FROM coordination_agreement WHERE meeting_id IN"
                " (SELECT id FROM coordination_meeting WHERE space_id IN"
                " (SELECT id FROM coordination_coordinationspace WHERE commitment_id = {id}))"
            ),
        },
    ),
    "commitments_milestone": (
        ("commitment_id",),
        {"evidence": "SELECT id FROM commitments_evidence WHERE milestone_id = {id}"},
    ),
    "commitments_progressreport": (
        ("commitment_id",),
        {"evidence": "SELECT id FROM commitments_evidence WHERE progress_report_id = {id}"},
    ),
    "coordination_coordinationspace": (
        ("commitment_id",),
        {
            "meeting": "SELECT id FROM coordination_meeting WHERE space_id = {id}",
            "agreement": (
                "SELECT id FROM coordination_agreement WHERE meeting_id IN"
                " (SELECT id FROM coordination_meeting WHERE space_id = {id})"
            ),
        },
    ),
    "coordination_meeting": (
        ("space_id",),
        {"agreement": "SELECT id FROM coordination_agreement WHERE meeting_id = {id}"},
    ),
}

# A plan's state and cycle are copied into every entry that names the plan: updated in place
# (a plan may hold thousands of entries; their texts do not change).
PLAN_CASCADE_COLUMNS = ("state_id", "cycle_year")
PLAN_CASCADE_SQL = (
    "UPDATE search_searchentry SET"
    " state_id = (SELECT state_id FROM commitments_actionplan WHERE id = {id}),"
    " cycle_year = (SELECT cycle_year FROM commitments_actionplan WHERE id = {id})"
    " WHERE plan_id = {id} AND kind <> 'action_plan'"
)


def cascade_sql(table, vendor, row):
    """The statements that index again the dependents of `row` (NEW) of a parent table."""
    if table == "commitments_actionplan":
        return [PLAN_CASCADE_SQL.format(id=f"{row}.id")]
    statements = []
    for kind, ids in CASCADES[table][1].items():
        ids = ids.format(id=f"{row}.id")
        statements += [
            f"DELETE FROM search_searchentry WHERE kind = '{kind}' AND object_id IN ({ids})",  # noqa: S608
            f"INSERT INTO search_searchentry ({ENTRY_COLUMNS}) "
            + source_sql(kind, vendor, key=ids, operator="IN"),
        ]
    return statements


def _cascade_tables():
    return {
        **{table: columns for table, (columns, _kinds) in CASCADES.items()},
        "commitments_actionplan": PLAN_CASCADE_COLUMNS,
    }


def _changed(columns, distinct):
    return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in columns)


def source_sql(kind, vendor, key=None, operator="="):
    """The SELECT of one kind's entries: all of them, or the one whose id is `key` (SQL)."""
    where, key = ("WHERE", f"{operator} ({key})") if key else ("WHERE", "IS NOT NULL")
    return SOURCES[kind].format(
        where=where, key=key, agenda=AGENDA[vendor], day=DAY_OF_MEETING[vendor]
    )


def rebuild(using="default"):
    """Index everything again (after loading data with triggers off, or to repair)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_searchentry")
        for kind in SOURCES:
            cursor.execute(
                f"INSERT INTO search_searchentry ({ENTRY_COLUMNS}) "
                + source_sql(kind, connection.vendor)
            )


# --- PostgreSQL -------------------------------------------------------------------------


def postgres_install_sql():
    """Extensions, text search configurations, columns, indexes, functions and triggers."""
    branches = "\n".join(
        f"  ELSIF entry_kind = '{kind}' THEN\n"
        f"    INSERT INTO search_searchentry ({ENTRY_COLUMNS})\n"
        f"    {source_sql(kind, 'postgresql', key='entry_id')};"
        for kind in SOURCES
    ).replace("ELSIF", "IF", 1)
    statements = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        # unaccent() is STABLE (it looks its dictionary up by name); naming the dictionary
        # makes this wrapper safe to declare IMMUTABLE, as generated columns require.
        "CREATE OR REPLACE FUNCTION search_unaccent(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        " AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$",
        "CREATE TEXT SEARCH CONFIGURATION es_unaccent (COPY = pg_catalog.spanish)",
        "ALTER TEXT SEARCH CONFIGURATION es_unaccent"
        " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem",
        "CREATE TEXT SEARCH CONFIGURATION en_unaccent (COPY = pg_catalog.english)",
        "ALTER TEXT SEARCH CONFIGURATION en_unaccent"
        " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
        "ALTER TABLE search_searchentry ADD COLUMN document_es tsvector GENERATED ALWAYS AS ("
        " setweight(to_tsvector('es_unaccent'::regconfig, code || ' ' || title), 'A')"
        " || setweight(to_tsvector('es_unaccent'::regconfig, body), 'B')) STORED",
        "ALTER TABLE search_searchentry ADD COLUMN document_en tsvector GENERATED ALWAYS AS ("
        " setweight(to_tsvector('en_unaccent'::regconfig,"
        " code || ' ' || COALESCE(NULLIF(title_en, ''), title)), 'A')"
        " || setweight(to_tsvector('en_unaccent'::regconfig, body), 'B')) STORED",
        "ALTER TABLE search_searchentry ADD COLUMN label_plain text GENERATED ALWAYS AS ("
        " lower(search_unaccent(code || ' ' || left(title, 300)))) STORED",
        "CREATE INDEX search_entry_document_es ON search_searchentry USING gin (document_es)",
        "CREATE INDEX search_entry_document_en ON search_searchentry USING gin (document_en)",
        "CREATE INDEX search_entry_label_trgm ON search_searchentry"
        " USING gin (label_plain gin_trgm_ops)",
        "CREATE OR REPLACE FUNCTION search_refresh(entry_kind text, entry_id bigint)"  # noqa: S608
        " RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN\n"
        "  DELETE FROM search_searchentry WHERE kind = entry_kind AND object_id = entry_id;\n"
        f"{branches}\n  END IF;\nEND\n$body$",
        "CREATE OR REPLACE FUNCTION search_on_write() RETURNS trigger LANGUAGE plpgsql"
        " AS $body$\nDECLARE\n  old_id bigint;\n  new_id bigint;\nBEGIN\n"
        "  IF TG_OP <> 'INSERT' THEN old_id := (to_jsonb(OLD) ->> TG_ARGV[1])::bigint; END IF;\n"
        "  IF TG_OP <> 'DELETE' THEN new_id := (to_jsonb(NEW) ->> TG_ARGV[1])::bigint; END IF;\n"
        "  IF old_id IS DISTINCT FROM new_id AND old_id IS NOT NULL THEN\n"
        "    PERFORM search_refresh(TG_ARGV[0], old_id);\n  END IF;\n"
        "  IF new_id IS NOT NULL THEN PERFORM search_refresh(TG_ARGV[0], new_id); END IF;\n"
        "  RETURN NULL;\nEND\n$body$",
    ]
    for table, (kind, key, columns) in TRIGGERS.items():
        statements.append(
            f"CREATE TRIGGER search_{table}"
            f" AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION search_on_write('{kind}', '{key}')"
        )
    return statements


def postgres_cascade_install_sql():
    """Triggers on parent tables that index their dependents again (search/0002)."""
    statements = []
    for table, columns in _cascade_tables().items():
        body = "".join(f"  {statement};\n" for statement in cascade_sql(table, "postgresql", "NEW"))
        statements += [
            f"CREATE OR REPLACE FUNCTION search_cascade_{table}() RETURNS trigger"
            f" LANGUAGE plpgsql AS $body$\nBEGIN\n{body}  RETURN NULL;\nEND\n$body$",
            f"CREATE TRIGGER search_cascade_{table}"
            f" AFTER UPDATE OF {', '.join(columns)} ON {table} FOR EACH ROW"
            f" WHEN ({_changed(columns, 'IS DISTINCT FROM')})"
            f" EXECUTE FUNCTION search_cascade_{table}()",
        ]
    return statements


def postgres_cascade_uninstall_sql():
    statements = []
    for table in _cascade_tables():
        statements += [
            f"DROP TRIGGER IF EXISTS search_cascade_{table} ON {table}",
            f"DROP FUNCTION IF EXISTS search_cascade_{table}()",
        ]
    return statements


# Inserts are indexed once per statement (search/0003): a row trigger ran the source SELECT
# once per new row, which was most of a 100,000-milestone import's time. The statement
# trigger reads the statement's new rows from its transition table and indexes them with
# one DELETE and one INSERT ... SELECT. Updates and deletes keep the row trigger: PostgreSQL
# refuses transition tables on `UPDATE OF columns`, and without the column list every
# progress or version bump would index its rows again.


def postgres_statement_install_sql():
    """search_refresh_many, the statement trigger function, and the triggers split in two."""
    branches = "\n".join(
        f"  ELSIF entry_kind = '{kind}' THEN\n"
        f"    INSERT INTO search_searchentry ({ENTRY_COLUMNS})\n"
        f"    {source_sql(kind, 'postgresql', key='entry_ids', operator='= ANY')};"
        for kind in SOURCES
    ).replace("ELSIF", "IF", 1)
    statements = [
        "CREATE OR REPLACE FUNCTION search_refresh_many(entry_kind text, entry_ids bigint[])"  # noqa: S608
        " RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN\n"
        "  DELETE FROM search_searchentry"
        " WHERE kind = entry_kind AND object_id = ANY (entry_ids);\n"
        f"{branches}\n  END IF;\nEND\n$body$",
        "CREATE OR REPLACE FUNCTION search_on_insert() RETURNS trigger LANGUAGE plpgsql"
        " AS $body$\nDECLARE\n  ids bigint[];\nBEGIN\n"
        "  EXECUTE format('SELECT array_agg(DISTINCT %1$I) FROM new_rows"
        " WHERE %1$I IS NOT NULL', TG_ARGV[1]) INTO ids;\n"
        "  IF ids IS NOT NULL THEN PERFORM search_refresh_many(TG_ARGV[0], ids); END IF;\n"
        "  RETURN NULL;\nEND\n$body$",
    ]
    for table, (kind, key, columns) in TRIGGERS.items():
        statements += [
            f"DROP TRIGGER search_{table} ON {table}",
            f"CREATE TRIGGER search_{table}"
            f" AFTER DELETE OR UPDATE OF {', '.join(columns)} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION search_on_write('{kind}', '{key}')",
            f"CREATE TRIGGER search_{table}_inserted AFTER INSERT ON {table}"
            " REFERENCING NEW TABLE AS new_rows"
            f" FOR EACH STATEMENT EXECUTE FUNCTION search_on_insert('{kind}', '{key}')",
        ]
    return statements


def postgres_statement_uninstall_sql():
    """Back to one row trigger per source table for inserts, updates and deletes."""
    statements = []
    for table, (kind, key, columns) in TRIGGERS.items():
        statements += [
            f"DROP TRIGGER IF EXISTS search_{table}_inserted ON {table}",
            f"DROP TRIGGER search_{table} ON {table}",
            f"CREATE TRIGGER search_{table}"
            f" AFTER INSERT OR DELETE OR UPDATE OF {', '.join(columns)} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION search_on_write('{kind}', '{key}')",
        ]
    return statements + [
        "DROP FUNCTION IF EXISTS search_on_insert()",
        "DROP FUNCTION IF EXISTS search_refresh_many(text, bigint[])",
    ]


def postgres_uninstall_sql():
    statements = [f"DROP TRIGGER IF EXISTS search_{table} ON {table}" for table in TRIGGERS]
    return statements + [
        "DROP FUNCTION IF EXISTS search_on_write()",
        "DROP FUNCTION IF EXISTS search_refresh(text, bigint)",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document_es",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document_en",
        "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS label_plain",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS es_unaccent",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS en_unaccent",
        "DROP FUNCTION IF EXISTS search_unaccent(text)",
    ]


# --- SQLite -----------------------------------------------------------------------------

SQLITE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    "title_es, body_es, title_en, body_en, tokenize = 'unicode61 remove_diacritics 2')"
)


def register_sqlite_functions(sender, connection, **kwargs):
    """Give every SQLite connection the stemming functions its triggers and searches call."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_function("search_stems_es", 1, lambda t: normalised(t, "es"), deterministic=True)
    raw.create_function("search_stems_en", 1, lambda t: normalised(t, "en"), deterministic=True)
    raw.create_function("search_word_similarity", 2, word_similarity, deterministic=True)


def _sqlite_trigger_sql():
    fts_row = (
        "INSERT INTO search_fts (rowid, title_es, body_es, title_en, body_en) VALUES (NEW.id,"
        " search_stems_es(NEW.code || ' ' || NEW.title), search_stems_es(NEW.body),"
        " search_stems_en(NEW.code || ' ' || COALESCE(NULLIF(NEW.title_en, ''), NEW.title)),"
        " search_stems_en(NEW.body));"
    )
    statements = [
        "CREATE TRIGGER IF NOT EXISTS search_fts_ai AFTER INSERT ON search_searchentry"
        f" BEGIN {fts_row} END",
        "CREATE TRIGGER IF NOT EXISTS search_fts_ad AFTER DELETE ON search_searchentry"
        " BEGIN DELETE FROM search_fts WHERE rowid = OLD.id; END",
        # Only the indexed texts: a cascade that moves entries to another state or cycle
        # does not stem their texts again.
        "CREATE TRIGGER IF NOT EXISTS search_fts_au"  # noqa: S608
        " AFTER UPDATE OF code, title, title_en, body ON search_searchentry"
        f" BEGIN DELETE FROM search_fts WHERE rowid = OLD.id; {fts_row} END",
    ]

    def refresh(kind, row, key):
        return (
            f"DELETE FROM search_searchentry WHERE kind = '{kind}' AND object_id = {row}.{key}; "  # noqa: S608, E501
            f"INSERT INTO search_searchentry ({ENTRY_COLUMNS}) "
            f"{source_sql(kind, 'sqlite', key=f'{row}.{key}')};"
        )

    for table, columns in _cascade_tables().items():
        body = " ".join(f"{statement};" for statement in cascade_sql(table, "sqlite", "NEW"))
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS search_cascade_{table}"
            f" AFTER UPDATE OF {', '.join(columns)} ON {table}"
            f" WHEN {_changed(columns, 'IS NOT')} BEGIN {body} END"
        )

    for table, (kind, key, columns) in TRIGGERS.items():
        events = {
            "ai": ("INSERT", refresh(kind, "NEW", key)),
            "au": (
                f"UPDATE OF {', '.join(columns)}",
                refresh(kind, "OLD", key) + " " + refresh(kind, "NEW", key),
            ),
            "ad": ("DELETE", refresh(kind, "OLD", key)),
        }
        for suffix, (event, body) in events.items():
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS search_{table}_{suffix} AFTER {event} ON {table}"
                f" BEGIN {body} END"
            )
    return statements


def _sqlite_trigger_names():
    names = ["search_fts_ai", "search_fts_ad", "search_fts_au"]
    names += [f"search_cascade_{table}" for table in _cascade_tables()]
    return names + [f"search_{t}_{s}" for t in TRIGGERS for s in ("ai", "au", "ad")]


def drop_sqlite_triggers(sender, using="default", **kwargs):
    """Before `migrate`: triggers that name other tables would make SQLite refuse rebuilds."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in _sqlite_trigger_names():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure_sqlite_triggers(sender, using="default", **kwargs):
    """After `migrate` (and flush): the triggers again, and the index rebuilt from the sources."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_fts'"
        )
        if not cursor.fetchone()[0]:
            return  # search's migrations have not run on this database
        for statement in _sqlite_trigger_sql():
            cursor.execute(statement)
        cursor.execute("DELETE FROM search_fts")
    rebuild(using)
