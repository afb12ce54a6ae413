// Writes an AuditReport as CSV, JSON or Markdown for `lockstep audit --format ...` and
// the Audit page's export button.
#pragma once

#include "auditreport.h"

#include <QByteArray>

namespace lockstep {

// RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, quote,
// CR or LF, quotes doubled. Text cells that a spreadsheet would run as a formula
// (first character, after any spaces, one of = + - @ tab CR) get a leading apostrophe.
// `bom` prepends the UTF-8 byte order mark so Excel reads non-ASCII names correctly.
// After the findings, each mapping's rollout checklist in the same columns: severity
// "checklist", code "checklist.ready" (message "Ready (7 of 7)" or "Not ready (n of 7):
// missing ...") then "checklist.<item key>" per item (message "[x] title: evidence").
QByteArray toCsv(const AuditReport& report, bool bom = false);
// Indented UTF-8 JSON: {generated_at_ms, generated_at, pattern, mapping_count, summary,
// findings: [{severity, code, mapping_id, segment_id, segment_name, cohort_name,
// message, suggested_name, related_mapping_id}], checklists: [{mapping_id, segment_id,
// segment_name, cohort_name, ready, done, total, items: {key: {done, title, evidence}}}]}.
QByteArray toJson(const AuditReport& report);
// A heading, a summary line and a table, then a "Rollout checklist" table; cell text is escaped so
// names with | * _ ` [ ] < > or line breaks cannot break the table or add markup.
QByteArray toMarkdown(const AuditReport& report);

// "Ready (7 of 7)" or "Not ready (5 of 7): missing <titles>".
QString checklistSummary(const AuditChecklist& c);
// The findings as a Markdown table (header, separator, one row per finding).
QString findingsTable(const AuditReport& report);

// One CSV field, quoted and neutralised as described above (exposed for tests).
QString csvField(const QString& text);
// One Markdown table cell's text, escaped.
QString markdownCell(const QString& text);

} // namespace lockstep
