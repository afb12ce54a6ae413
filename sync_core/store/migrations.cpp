#include "migrations.h"

namespace lockstep {

const std::vector<Migration>& workspaceMigrations()
{
    static const std::vector<Migration> migrations = {
        {1,
         "mappings, runs, snapshots, journal, size history, identity mismatches",
         {
             QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
             QStringLiteral(
                 "CREATE TABLE mappings (id %ID%, segment_id BIGINT NOT NULL, segment_name TEXT "
                 "NOT NULL DEFAULT '', cohort_name TEXT NOT NULL, identity_key TEXT NOT NULL, "
                 "mode TEXT NOT NULL, list_property TEXT NOT NULL, send_events INTEGER NOT NULL "
                 "DEFAULT 0, owner TEXT NOT NULL DEFAULT '', decision TEXT NOT NULL DEFAULT '', "
                 "schedule_minutes INTEGER NOT NULL DEFAULT 60, paused INTEGER NOT NULL DEFAULT "
                 "0, version INTEGER NOT NULL DEFAULT 1, created_at BIGINT NOT NULL, updated_at "
                 "BIGINT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0)"),
             QStringLiteral(
                 "CREATE TABLE runs (id %ID%, mapping_id BIGINT NOT NULL, kind TEXT NOT NULL, "
                 "status TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT NOT NULL "
                 "DEFAULT 0, segment_count BIGINT NOT NULL DEFAULT 0, synced_count BIGINT NOT "
                 "NULL DEFAULT 0, entered BIGINT NOT NULL DEFAULT 0, exited BIGINT NOT NULL "
                 "DEFAULT 0, unchanged BIGINT NOT NULL DEFAULT 0, mismatched BIGINT NOT NULL "
                 "DEFAULT 0, failed BIGINT NOT NULL DEFAULT 0, api_calls INTEGER NOT NULL DEFAULT "
                 "0, http_429 INTEGER NOT NULL DEFAULT 0, message TEXT NOT NULL DEFAULT '', "
                 "error_category TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX runs_by_mapping ON runs (mapping_id, id)"),
             // What Mixpanel has acknowledged, per mapping: the base of the next diff. The
             // keys are one sorted, newline-separated blob as of the last compaction; batches
             // acknowledged since then are replayed from the journal (state 'acked').
             QStringLiteral("CREATE TABLE snapshot_meta (mapping_id BIGINT PRIMARY KEY, "
                            "full_sync_at BIGINT NOT NULL DEFAULT 0, segment_updated_at BIGINT "
                            "NOT NULL DEFAULT 0, member_count BIGINT NOT NULL DEFAULT 0, "
                            "keys %BLOB%)"),
             // Planned batches, written before sending; state planned -> acked -> applied
             // (folded into the snapshot blob), or failed / superseded.
             QStringLiteral(
                 "CREATE TABLE journal_batches (run_id BIGINT NOT NULL, seq INTEGER NOT NULL, "
                 "mapping_id BIGINT NOT NULL, op TEXT NOT NULL, size INTEGER NOT NULL, "
                 "keys TEXT NOT NULL, state TEXT NOT NULL, error TEXT NOT NULL DEFAULT '', "
                 "PRIMARY KEY (run_id, seq))"),
             QStringLiteral(
                 "CREATE INDEX journal_open ON journal_batches (mapping_id, state, run_id)"),
             QStringLiteral(
                 "CREATE TABLE size_points (run_id BIGINT PRIMARY KEY, mapping_id BIGINT NOT "
                 "NULL, at_ms BIGINT NOT NULL, segment_count BIGINT NOT NULL, synced_count "
                 "BIGINT NOT NULL, entered BIGINT NOT NULL, exited BIGINT NOT NULL, mismatched "
                 "BIGINT NOT NULL, mixpanel_count BIGINT)"),
             QStringLiteral("CREATE INDEX size_points_by_mapping ON size_points (mapping_id, "
                            "at_ms)"),
             QStringLiteral(
                 "CREATE TABLE mismatches (run_id BIGINT NOT NULL, mapping_id BIGINT NOT NULL, "
                 "reason TEXT NOT NULL, severity TEXT NOT NULL, cio_id TEXT NOT NULL DEFAULT "
                 "'', person_id TEXT, email TEXT, distinct_id TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX mismatches_by_run ON mismatches (run_id)"),
         }},
        {2,
         "health alerts, watched cohort pairs, segment definition baselines",
         {
             // One row per alert episode: raised -> (acknowledged) -> resolved. While
             // unresolved, the same mapping + rule + subject updates its row (dedup).
             QStringLiteral(
                 "CREATE TABLE alerts (id %ID%, mapping_id BIGINT NOT NULL, rule TEXT NOT NULL, "
                 "subject TEXT NOT NULL DEFAULT '', severity TEXT NOT NULL, message TEXT NOT "
                 "NULL, value DOUBLE PRECISION NOT NULL DEFAULT 0, first_seen_at BIGINT NOT "
                 "NULL, last_seen_at BIGINT NOT NULL, occurrences INTEGER NOT NULL DEFAULT 1, "
                 "acknowledged_at BIGINT NOT NULL DEFAULT 0, acknowledged_by TEXT NOT NULL "
                 "DEFAULT '', resolved_at BIGINT NOT NULL DEFAULT 0)"),
             // Partial unique index (SQLite >= 3.8 and PostgreSQL): at most one open alert
             // per key, even with several consoles evaluating at once.
             QStringLiteral("CREATE UNIQUE INDEX alerts_open_key ON alerts (mapping_id, rule, "
                            "subject) WHERE resolved_at = 0"),
             QStringLiteral("CREATE INDEX alerts_by_mapping ON alerts (mapping_id, id)"),
             // Cohort pairs that must stay disjoint (suppression checks), a < b.
             QStringLiteral("CREATE TABLE watched_pairs (mapping_a BIGINT NOT NULL, mapping_b "
                            "BIGINT NOT NULL, label TEXT NOT NULL DEFAULT '', created_at BIGINT "
                            "NOT NULL, PRIMARY KEY (mapping_a, mapping_b))"),
             // The segment's updated_at when the mapping's current cohort version began.
             QStringLiteral("CREATE TABLE health_baselines (mapping_id BIGINT PRIMARY KEY, "
                            "version INTEGER NOT NULL, segment_updated_at BIGINT NOT NULL)"),
         }},
        {3,
         "trust checks, latency expectations, query budget use, batch timing",
         {
             // Rehearsals, spot checks and cohort-definition checks: the evidence the
             // rollout checklist reads. `result` is the check's JSON.
             QStringLiteral(
                 "CREATE TABLE trust_checks (id %ID%, mapping_id BIGINT NOT NULL, kind TEXT NOT "
                 "NULL, at_ms BIGINT NOT NULL, passed INTEGER NOT NULL, summary TEXT NOT NULL "
                 "DEFAULT '', result TEXT NOT NULL)"),
             QStringLiteral("CREATE INDEX trust_checks_by_mapping ON trust_checks (mapping_id, "
                            "kind, at_ms)"),
             // The operator's documented sync latency per mapping (0 = not set).
             QStringLiteral("CREATE TABLE trust_settings (mapping_id BIGINT PRIMARY KEY, "
                            "latency_expectation_minutes INTEGER NOT NULL DEFAULT 0)"),
             // Query API calls made by trust checks: the 60/hour budget is per project, so
             // separate CLI processes must see each other's use.
             QStringLiteral("CREATE TABLE query_usage (at_ms BIGINT NOT NULL, what TEXT NOT "
                            "NULL DEFAULT '')"),
             QStringLiteral("CREATE INDEX query_usage_by_time ON query_usage (at_ms)"),
             // When a batch was planned (its changes observed) and acknowledged: latency.
             QStringLiteral("ALTER TABLE journal_batches ADD COLUMN planned_at_ms BIGINT NOT "
                            "NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE journal_batches ADD COLUMN acked_at_ms BIGINT NOT NULL "
                            "DEFAULT 0"),
         }},
        {4,
         "change counters and notifications, so open consoles see edits made elsewhere",
         {
             // One counter per table a console shows; triggers bump it on every row
             // written, whoever writes. A console compares them with the values it last
             // read to know what another console, the CLI or a runner changed
             // (ChangeWatcher). Journal and snapshot writes are not counted on purpose:
             // they happen many times a second during a sync and no page shows them.
             QStringLiteral("CREATE TABLE change_counters (tbl TEXT PRIMARY KEY, seq BIGINT NOT "
                            "NULL DEFAULT 0)"),
             QStringLiteral("INSERT INTO change_counters (tbl, seq) VALUES ('mappings', 0), "
                            "('runs', 0), ('alerts', 0), ('watched_pairs', 0)"),
         },
         // SQLite: a trigger per table and event (no "INSERT OR UPDATE" triggers). The
         // watcher wakes on PRAGMA data_version, which moves when another connection commits.
         [] {
             QStringList sql;
             for (const char* table : {"mappings", "runs", "alerts", "watched_pairs"})
                 for (const char* event : {"INSERT", "UPDATE", "DELETE"})
                     sql << QStringLiteral("CREATE TRIGGER %1_changed_%2 AFTER %3 ON %1 BEGIN "
                                           "UPDATE change_counters SET seq = seq + 1 WHERE tbl = "
                                           "'%1'; END")
                                .arg(QLatin1String(table), QString::fromLatin1(event).toLower(),
                                     QLatin1String(event));
             return sql;
         }(),
         // PostgreSQL: the same counters, and a NOTIFY on channel lockstep_changes with the
         // table's name, delivered to listening consoles when the writer commits (several
         // rows of one transaction fold into one notification).
         [] {
             QStringList sql{QStringLiteral(
                 "CREATE OR REPLACE FUNCTION lockstep_note_change() RETURNS trigger LANGUAGE "
                 "plpgsql AS $$ BEGIN UPDATE change_counters SET seq = seq + 1 WHERE tbl = "
                 "TG_TABLE_NAME; PERFORM pg_notify('lockstep_changes', TG_TABLE_NAME); RETURN "
                 "NULL; END $$")};
             for (const char* table : {"mappings", "runs", "alerts", "watched_pairs"})
                 sql << QStringLiteral("CREATE TRIGGER %1_changed AFTER INSERT OR UPDATE OR DELETE "
                                       "ON %1 FOR EACH ROW EXECUTE FUNCTION lockstep_note_change()")
                            .arg(QLatin1String(table));
             return sql;
         }()},
        {5,
         "snapshot keys and the resolver's mismatches in tables of their own, the synced "
         "count beside the snapshot",
         {
             // SQLite rewrites a whole row on any UPDATE: with the keys (tens of MB) in
             // snapshot_meta, recording the segment's updated_at or a count rewrote them.
             QStringLiteral("CREATE TABLE snapshot_keys (mapping_id BIGINT PRIMARY KEY, keys "
                            "%BLOB% NOT NULL)"),
             QStringLiteral("INSERT INTO snapshot_keys (mapping_id, keys) SELECT mapping_id, keys "
                            "FROM snapshot_meta WHERE keys IS NOT NULL"),
             QStringLiteral("UPDATE snapshot_meta SET keys = NULL"),
             // Members Mixpanel holds (the keys with the acknowledged journal folded in),
             // as of the last run that ended; -1 while unknown (a run has planned batches
             // since). Lets a settled run leave its acknowledged batches in the journal
             // instead of rewriting every key (SnapshotStore::settle).
             QStringLiteral("ALTER TABLE snapshot_meta ADD COLUMN synced_count BIGINT NOT NULL "
                            "DEFAULT -1"),
             // The rows the resolver finds, replaced as a whole by every run, as one JSON
             // array per mapping (UTF-8): one value to write, not tens of thousands of rows.
             // The checks' rows (vanished_after_merge, unknown_to_mixpanel) stay rows.
             QStringLiteral("CREATE TABLE mismatch_sets (mapping_id BIGINT PRIMARY KEY, run_id "
                            "BIGINT NOT NULL, row_count BIGINT NOT NULL, rows %BLOB% NOT NULL)"),
         },
         {QStringLiteral(
              "INSERT INTO mismatch_sets (mapping_id, run_id, row_count, rows) SELECT mapping_id, "
              "MAX(run_id), COUNT(*), CAST(json_group_array(json_array(reason, severity, cio_id, "
              "person_id, email, distinct_id)) AS BLOB) FROM mismatches WHERE reason NOT IN "
              "('unknown_to_mixpanel', 'vanished_after_merge') GROUP BY mapping_id"),
          QStringLiteral("DELETE FROM mismatches WHERE reason NOT IN ('unknown_to_mixpanel', "
                         "'vanished_after_merge')")},
         {QStringLiteral(
              "INSERT INTO mismatch_sets (mapping_id, run_id, row_count, rows) SELECT mapping_id, "
              "MAX(run_id), COUNT(*), convert_to(json_agg(json_build_array(reason, severity, "
              "cio_id, person_id, email, distinct_id))::text, 'UTF8') FROM mismatches WHERE reason "
              "NOT IN ('unknown_to_mixpanel', 'vanished_after_merge') GROUP BY mapping_id"),
          QStringLiteral("DELETE FROM mismatches WHERE reason NOT IN ('unknown_to_mixpanel', "
                         "'vanished_after_merge')")}},
        {6,
         "token buckets shared by every process on the workspace",
         {
             // The vendors' request limits are per credential, not per process: every
             // console, runner and CLI command on a workspace draws from one bucket per
             // limit key (WorkspaceRateGate). The key names the credential by a hash only.
             QStringLiteral("CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE "
                            "PRECISION NOT NULL, refilled_at_ms BIGINT NOT NULL)"),
         }},
        {7,
         "each run's verification of its entered keys in Mixpanel",
         {
             // What the entry check found, kept with the run: the health rules and the
             // verdict of every process read it, not only the process that ran the sync.
             QStringLiteral("ALTER TABLE runs ADD COLUMN verify_status TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("ALTER TABLE runs ADD COLUMN verify_entered BIGINT NOT NULL DEFAULT 0"),
             QStringLiteral(
                 "ALTER TABLE runs ADD COLUMN verify_checked INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral(
                 "ALTER TABLE runs ADD COLUMN verify_unknown INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral(
                 "ALTER TABLE runs ADD COLUMN verify_value_missing INTEGER NOT NULL DEFAULT 0"),
             QStringLiteral("ALTER TABLE runs ADD COLUMN verify_note TEXT NOT NULL DEFAULT ''"),
         }},
        {8,
         "no personal data past its use: deleted mappings' members, people's identifiers in "
         "stored check results",
         {
             // Deleting a mapping now takes its members with it (Retention); mappings
             // deleted before that still have theirs.
             QStringLiteral("DELETE FROM snapshot_keys WHERE mapping_id IN (SELECT id FROM "
                            "mappings WHERE deleted <> 0)"),
             QStringLiteral("DELETE FROM snapshot_meta WHERE mapping_id IN (SELECT id FROM "
                            "mappings WHERE deleted <> 0)"),
             QStringLiteral("DELETE FROM journal_batches WHERE mapping_id IN (SELECT id FROM "
                            "mappings WHERE deleted <> 0)"),
             QStringLiteral("DELETE FROM mismatches WHERE mapping_id IN (SELECT id FROM "
                            "mappings WHERE deleted <> 0)"),
             QStringLiteral("DELETE FROM mismatch_sets WHERE mapping_id IN (SELECT id FROM "
                            "mappings WHERE deleted <> 0)"),
         },
         // Spot checks and rehearsals stored each person's ids, e-mail, key and a sentence
         // naming them; they keep the flags and reason codes now, as withoutIdentifiers()
         // (trust/trustrecords.h) writes new ones.
         {QStringLiteral(
              "UPDATE trust_checks SET result = json_set(result, '$.people', (SELECT "
              "json_group_array(json_remove(p.value, '$.cio_id', '$.id', '$.email', "
              "'$.distinct_id', '$.named', '$.detail')) FROM json_each(trust_checks.result, "
              "'$.people') AS p)) WHERE json_valid(result) AND json_type(result, '$.people') = "
              "'array'"),
          QStringLiteral("UPDATE trust_checks SET result = json_remove(json_set(result, "
                         "'$.unexpected_count', json_array_length(result, '$.unexpected')), "
                         "'$.unexpected') WHERE json_valid(result) AND json_type(result, "
                         "'$.unexpected') = 'array'")},
         {QStringLiteral(
              "UPDATE trust_checks SET result = jsonb_set(result::jsonb, '{people}', "
              "COALESCE((SELECT jsonb_agg(e.p - 'cio_id' - 'id' - 'email' - 'distinct_id' - "
              "'named' - 'detail' ORDER BY e.i) FROM jsonb_array_elements(result::jsonb -> "
              "'people') WITH ORDINALITY AS e(p, i)), '[]'::jsonb))::text WHERE "
              "jsonb_typeof(result::jsonb -> 'people') = 'array'"),
          QStringLiteral("UPDATE trust_checks SET result = ((result::jsonb - 'unexpected') || "
                         "jsonb_build_object('unexpected_count', jsonb_array_length(result::jsonb "
                         "-> 'unexpected')))::text WHERE jsonb_typeof(result::jsonb -> "
                         "'unexpected') = 'array'")}},
        {9,
         "a stable key per mapping (mappings files), and a revision against lost updates",
         {
             // The name a team gives a mapping in its mappings file; it survives renames
             // of the cohort and follows the newest version. Unique among live mappings.
             QStringLiteral("ALTER TABLE mappings ADD COLUMN mapping_key TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("UPDATE mappings SET mapping_key = 'mapping-' || id"),
             QStringLiteral("CREATE UNIQUE INDEX mappings_by_key ON mappings (mapping_key) WHERE "
                            "deleted = 0"),
             // Bumped by every edit: an edit made from a stale copy (a console's editor
             // open while a file was applied) is refused instead of undoing the other one.
             QStringLiteral("ALTER TABLE mappings ADD COLUMN revision BIGINT NOT NULL DEFAULT 0"),
         }},
        {10,
         "the rollout checklist's owners split in two, and each cohort's reporting plan",
         {
             // Who answers the alerts, beside who edits the segment (`owner`). The one
             // owner a mapping had answered for both, so both start as that person.
             QStringLiteral(
                 "ALTER TABLE mappings ADD COLUMN health_monitor TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("UPDATE mappings SET health_monitor = owner"),
             // The Mixpanel board or report that uses the cohort, and the cohort name it was
             // set for: a new version (another name) needs the report pointed at it again.
             QStringLiteral("ALTER TABLE mappings ADD COLUMN report_url TEXT NOT NULL DEFAULT ''"),
             QStringLiteral(
                 "ALTER TABLE mappings ADD COLUMN report_cohort TEXT NOT NULL DEFAULT ''"),
         }},
        {11,
         "held mass exits, a per-mapping mass-exit share, the people behind each snapshot",
         {
             // The share of the last synced size past which a run holds its exits, in
             // percent; -1: the workspace's mass_exit_percent.
             QStringLiteral("ALTER TABLE mappings ADD COLUMN mass_exit_percent DOUBLE PRECISION "
                            "NOT NULL DEFAULT -1"),
             // Exits a run held instead of sending (they stay in the cohort).
             QStringLiteral("ALTER TABLE runs ADD COLUMN held_exits BIGINT NOT NULL DEFAULT 0"),
             // One row per hold: held -> applied (an operator's --accept-exits or Apply),
             // discarded (kept in the cohort), or superseded (a later run decided again).
             // Written in the transaction that journals the run's batches, so a run killed
             // at any moment leaves either no hold or all of it. `keys`: sorted, joined by
             // newlines.
             QStringLiteral(
                 "CREATE TABLE held_exits (id %ID%, mapping_id BIGINT NOT NULL, run_id BIGINT NOT "
                 "NULL, held_at BIGINT NOT NULL, reason TEXT NOT NULL, last_size BIGINT NOT NULL, "
                 "segment_count BIGINT NOT NULL, exit_count BIGINT NOT NULL, share_percent DOUBLE "
                 "PRECISION NOT NULL, keys %BLOB% NOT NULL, state TEXT NOT NULL, decided_at "
                 "BIGINT NOT NULL DEFAULT 0, decided_by TEXT NOT NULL DEFAULT '', decided_run_id "
                 "BIGINT NOT NULL DEFAULT 0)"),
             QStringLiteral("CREATE INDEX held_exits_by_mapping ON held_exits (mapping_id, state, "
                            "id)"),
             // The Customer.io people (cio_id) behind the keys of the mapping's snapshot, as
             // of the last run that settled it: overlap by person whatever key a mapping
             // sends. One cio_id a line, in no particular order.
             QStringLiteral("CREATE TABLE snapshot_people (mapping_id BIGINT PRIMARY KEY, run_id "
                            "BIGINT NOT NULL, people_count BIGINT NOT NULL, people %BLOB% NOT "
                            "NULL)"),
         }},
        {12,
         "health thresholds a mapping sets for itself over the workspace's",
         {
             // Setting name and canonical text, as the workspace's settings table keeps
             // them (config/mappingthresholds.h); no row: the workspace's value.
             // IF NOT EXISTS: a workspace rolled back to an older schema keeps the table.
             QStringLiteral("CREATE TABLE IF NOT EXISTS mapping_thresholds (mapping_id BIGINT "
                            "NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY "
                            "(mapping_id, name))"),
         }},
        {13,
         "notification channels and the alert outbox",
         {
             // Where alerts go. Only what may be shown and shared: the secret parts (a
             // webhook's URL, its signing secret, header values, the SMTP password) live in
             // the keychain or the environment of each delivering process.
             QStringLiteral(
                 "CREATE TABLE notify_channels (id %ID%, kind TEXT NOT NULL, name TEXT NOT NULL "
                 "DEFAULT '', severities TEXT NOT NULL, mapping_ids TEXT NOT NULL DEFAULT '', "
                 "target TEXT NOT NULL DEFAULT '', smtp_url TEXT NOT NULL DEFAULT '', "
                 "mail_from TEXT NOT NULL DEFAULT '', mail_to TEXT NOT NULL DEFAULT '', "
                 "header_names TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL, "
                 "deleted INTEGER NOT NULL DEFAULT 0, mail_monitor INTEGER NOT NULL DEFAULT 0)"),
             // One row per alert state change and subscribed channel, written in the
             // transaction that changes the alert. Deliverers lease rows (lease_owner,
             // lease_until); a process that dies leaves its lease to run out.
             QStringLiteral(
                 "CREATE TABLE notify_outbox (id %ID%, event_id TEXT NOT NULL, channel_id "
                 "BIGINT NOT NULL, alert_id BIGINT NOT NULL, mapping_id BIGINT NOT NULL, "
                 "change TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL, "
                 "state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, "
                 "next_attempt_at BIGINT NOT NULL DEFAULT 0, lease_owner TEXT NOT NULL DEFAULT "
                 "'', lease_until BIGINT NOT NULL DEFAULT 0, last_status INTEGER NOT NULL "
                 "DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', finished_at BIGINT NOT NULL "
                 "DEFAULT 0)"),
             QStringLiteral("CREATE UNIQUE INDEX notify_outbox_event ON notify_outbox (event_id, "
                            "channel_id)"),
             QStringLiteral("CREATE INDEX notify_outbox_due ON notify_outbox (state, "
                            "next_attempt_at)"),
             QStringLiteral("CREATE INDEX notify_outbox_by_channel ON notify_outbox (channel_id, "
                            "id)"),
         }},
        {14,
         "a stable key per notification channel (mappings files, secrets by key)",
         {
             // The name a team gives a channel in its mappings file; a delivering process
             // also finds the channel's secrets under it (LOCKSTEP_NOTIFY_<KEY>_URL). Unique
             // among live channels.
             QStringLiteral(
                 "ALTER TABLE notify_channels ADD COLUMN channel_key TEXT NOT NULL DEFAULT ''"),
             QStringLiteral("UPDATE notify_channels SET channel_key = kind || '-' || id"),
             QStringLiteral("CREATE UNIQUE INDEX notify_channels_by_key ON notify_channels "
                            "(channel_key) WHERE deleted = 0"),
         }},
    };
    return migrations;
}

} // namespace lockstep
