#include "auditexporter.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace lockstep {

namespace {

bool looksLikeFormula(const QString& s)
{
    // Spreadsheets skip leading spaces before deciding a cell is a formula in some
    // versions, so look past them.
    qsizetype i = 0;
    while (i < s.size() && s[i] == QLatin1Char(' '))
        ++i;
    if (i >= s.size())
        return false;
    switch (s[i].unicode()) {
    case '=':
    case '+':
    case '-':
    case '@':
    case '\t':
    case '\r':
    case 0xFF1D: // fullwidth = + - @, which some spreadsheets fold to ASCII
    case 0xFF0B:
    case 0xFF0D:
    case 0xFF20:
        return true;
    default:
        return false;
    }
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

QString checklistSummary(const AuditChecklist& c)
{
    if (c.ready())
        return QStringLiteral("Ready (%1 of %2)").arg(c.doneCount()).arg(c.items.size());
    return QStringLiteral("Not ready (%1 of %2): missing %3")
        .arg(QString::number(c.doneCount()), QString::number(c.items.size()),
             c.missingTitles().join(QStringLiteral("; ")));
}

QString csvField(const QString& text)
{
    QString s = looksLikeFormula(text) ? QLatin1Char('\'') + text : text;
    const bool quote = s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"')) ||
                       s.contains(QLatin1Char('\n')) || s.contains(QLatin1Char('\r'));
    if (!quote)
        return s;
    s.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + s + QLatin1Char('"');
}

QByteArray toCsv(const AuditReport& report, bool bom)
{
    QString out;
    out += QStringLiteral("severity,code,mapping_id,segment_id,segment_name,cohort_name,message,"
                          "suggested_name,related_mapping_id\r\n");
    for (const AuditFinding& f : report.findings) {
        const QStringList cells = {findingSeverityName(f.severity),
                                   csvField(f.code),
                                   QString::number(f.mappingId),
                                   QString::number(f.segmentId),
                                   csvField(f.segmentName),
                                   csvField(f.cohortName),
                                   csvField(f.message),
                                   csvField(f.suggestedName),
                                   f.relatedMappingId ? QString::number(f.relatedMappingId)
                                                      : QString()};
        out += cells.join(QLatin1Char(','));
        out += QLatin1String("\r\n");
    }
    // The rollout checklist rides in the same columns (one table for spreadsheets):
    // severity "checklist", code "checklist.ready" then one "checklist.<item>" per item.
    for (const AuditChecklist& c : report.checklists) {
        auto row = [&](const QString& code, const QString& message) {
            const QStringList cells = {QStringLiteral("checklist"),
                                       csvField(code),
                                       QString::number(c.mappingId),
                                       QString::number(c.segmentId),
                                       csvField(c.segmentName),
                                       csvField(c.cohortName),
                                       csvField(message),
                                       QString(),
                                       QString()};
            out += cells.join(QLatin1Char(','));
            out += QLatin1String("\r\n");
        };
        row(QStringLiteral("checklist.ready"), checklistSummary(c));
        for (const ChecklistItem& i : c.items)
            row(QStringLiteral("checklist.") + i.key,
                QStringLiteral("%1 %2: %3")
                    .arg(i.done ? QStringLiteral("[x]") : QStringLiteral("[ ]"), i.title,
                         i.evidence));
    }
    QByteArray bytes = bom ? QByteArray("\xEF\xBB\xBF") : QByteArray();
    bytes += out.toUtf8();
    return bytes;
}

QByteArray toJson(const AuditReport& report)
{
    QJsonObject root;
    root.insert(QStringLiteral("generated_at_ms"), report.generatedAtMs);
    root.insert(QStringLiteral("generated_at"), isoTime(report.generatedAtMs));
    root.insert(QStringLiteral("pattern"), report.pattern);
    root.insert(QStringLiteral("mapping_count"), report.mappingCount);
    QJsonObject summary;
    summary.insert(QStringLiteral("error"), report.count(FindingSeverity::Error));
    summary.insert(QStringLiteral("warning"), report.count(FindingSeverity::Warning));
    summary.insert(QStringLiteral("info"), report.count(FindingSeverity::Info));
    root.insert(QStringLiteral("summary"), summary);
    QJsonArray findings;
    for (const AuditFinding& f : report.findings) {
        QJsonObject o;
        o.insert(QStringLiteral("severity"), findingSeverityName(f.severity));
        o.insert(QStringLiteral("code"), f.code);
        o.insert(QStringLiteral("mapping_id"), f.mappingId);
        o.insert(QStringLiteral("segment_id"), f.segmentId);
        o.insert(QStringLiteral("segment_name"), f.segmentName);
        o.insert(QStringLiteral("cohort_name"), f.cohortName);
        o.insert(QStringLiteral("message"), f.message);
        o.insert(QStringLiteral("suggested_name"),
                 f.suggestedName.isEmpty() ? QJsonValue() : QJsonValue(f.suggestedName));
        o.insert(QStringLiteral("related_mapping_id"),
                 f.relatedMappingId ? QJsonValue(f.relatedMappingId) : QJsonValue());
        findings.append(o);
    }
    root.insert(QStringLiteral("findings"), findings);
    // Items keyed like `lockstep status --json` and `lockstep checklist --json`.
    QJsonArray checklists;
    for (const AuditChecklist& c : report.checklists) {
        QJsonObject items;
        for (const ChecklistItem& i : c.items) {
            QJsonObject item{{QStringLiteral("done"), i.done},
                             {QStringLiteral("title"), i.title},
                             {QStringLiteral("evidence"), i.evidence}};
            if (!i.url.isEmpty())
                item.insert(QStringLiteral("url"), i.url);
            items.insert(i.key, item);
        }
        checklists.append(QJsonObject{{QStringLiteral("mapping_id"), c.mappingId},
                                      {QStringLiteral("segment_id"), c.segmentId},
                                      {QStringLiteral("segment_name"), c.segmentName},
                                      {QStringLiteral("cohort_name"), c.cohortName},
                                      {QStringLiteral("ready"), c.ready()},
                                      {QStringLiteral("done"), c.doneCount()},
                                      {QStringLiteral("total"), int(c.items.size())},
                                      {QStringLiteral("items"), items}});
    }
    root.insert(QStringLiteral("checklists"), checklists);
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QString markdownCell(const QString& text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        switch (c.unicode()) {
        case '\\':
        case '|':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
            out += QLatin1Char('\\');
            out += c;
            break;
        case '<':
            out += QLatin1String("&lt;");
            break;
        case '>':
            out += QLatin1String("&gt;");
            break;
        case '&':
            out += QLatin1String("&amp;");
            break;
        case '\r':
            if (i + 1 < text.size() && text[i + 1] == QLatin1Char('\n'))
                ++i;
            out += QLatin1String("<br>");
            break;
        case '\n':
            out += QLatin1String("<br>");
            break;
        default:
            out += c;
        }
    }
    return out;
}

QByteArray toMarkdown(const AuditReport& report)
{
    QString out;
    out += QStringLiteral("# Cohort naming audit\n\n");
    out += QStringLiteral("Generated %1 for %2 mappings against `%3`.\n\n")
               .arg(isoTime(report.generatedAtMs), QString::number(report.mappingCount),
                    QString(report.pattern).replace(QLatin1Char('`'), QLatin1Char('\'')));
    out += QStringLiteral("**%1 errors, %2 warnings, %3 notes.**\n\n")
               .arg(report.count(FindingSeverity::Error))
               .arg(report.count(FindingSeverity::Warning))
               .arg(report.count(FindingSeverity::Info));
    if (report.findings.isEmpty())
        out += QStringLiteral("No findings: every name follows the convention.\n");
    else
        out += findingsTable(report);
    if (!report.checklists.isEmpty()) {
        int ready = 0;
        for (const AuditChecklist& c : report.checklists)
            ready += c.ready() ? 1 : 0;
        out += QStringLiteral("\n## Rollout checklist\n\n**%1 of %2 mappings ready.**\n\n")
                   .arg(ready)
                   .arg(report.checklists.size());
        out += QStringLiteral("| Mapping | Cohort name | Ready | Done | Missing |\n"
                              "|---:|---|---|---:|---|\n");
        for (const AuditChecklist& c : report.checklists)
            out += QStringLiteral("| %1 | %2 | %3 | %4 of %5 | %6 |\n")
                       .arg(QString::number(c.mappingId), markdownCell(c.cohortName),
                            c.ready() ? QStringLiteral("yes") : QStringLiteral("no"),
                            QString::number(c.doneCount()), QString::number(c.items.size()),
                            markdownCell(c.missingTitles().join(QStringLiteral("; "))));
    }
    return out.toUtf8();
}

QString findingsTable(const AuditReport& report)
{
    QString out;
    out +=
        QStringLiteral("| Severity | Finding | Mapping | Cohort name | Details | Suggested name |\n"
                       "|---|---|---:|---|---|---|\n");
    for (const AuditFinding& f : report.findings) {
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                   .arg(findingSeverityName(f.severity), markdownCell(f.code),
                        QString::number(f.mappingId), markdownCell(f.cohortName),
                        markdownCell(f.message), markdownCell(f.suggestedName));
    }
    return out;
}

} // namespace lockstep
