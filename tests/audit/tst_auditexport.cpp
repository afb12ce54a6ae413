// The exporters: CSV quoting and formula-injection safety, JSON shape, Markdown
// escaping.
#include "audit/auditexporter.h"
#include "audit/namingauditor.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/checklistevaluator.h"
#include "trust/truststore.h"
#include "trust/workspaceaudit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

namespace {
AuditReport reportWith(const QString& cohort, const QString& message = QStringLiteral("m"))
{
    AuditReport r;
    r.generatedAtMs = 1'767'225'600'000;
    r.pattern = QStringLiteral("CIO | {intent} | {window} [| v{version}]");
    r.mappingCount = 1;
    AuditFinding f;
    f.severity = FindingSeverity::Error;
    f.code = QStringLiteral("missing_prefix");
    f.mappingId = 3;
    f.segmentId = 44;
    f.segmentName = QStringLiteral("Seg");
    f.cohortName = cohort;
    f.message = message;
    f.suggestedName = QStringLiteral("CIO | ") + cohort;
    r.findings.append(f);
    return r;
}

// Report 'reportWith' plus two mappings' checklists: one ready, one missing two items.
AuditReport reportWithChecklists()
{
    AuditReport r = reportWith(QStringLiteral("CIO | Winback | 45-60d"));
    auto items = [](int missing) {
        QList<ChecklistItem> out;
        const char* keys[] = {
            "identity_verified",        "rehearsal_passed", "name_convention",
            "segment_owner_set",        "decision_set",     "latency_expectation_set",
            "cohort_definition_created"};
        for (int i = 0; i < 7; ++i) {
            const bool done = i >= missing;
            out.append(
                ChecklistItem{QString::fromLatin1(keys[i]), QStringLiteral("Title %1").arg(i), done,
                              done ? QStringLiteral("ok, see =A1") : QStringLiteral("run x, y")});
        }
        return out;
    };
    r.checklists.append(AuditChecklist{3, 44, QStringLiteral("Seg"),
                                       QStringLiteral("CIO | Winback | 45-60d"), items(0)});
    r.checklists.append(AuditChecklist{4, 45, QStringLiteral("Other"),
                                       QStringLiteral("CIO | VIP | 30d"), items(2)});
    return r;
}

// A small RFC 4180 reader, to prove the output parses back to the same cells.
QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    cell += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row.append(cell);
            cell.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() &&
                   text[i + 1] == QLatin1Char('\n')) {
            row.append(cell);
            rows.append(row);
            row.clear();
            cell.clear();
            ++i;
        } else {
            cell += c;
        }
    }
    return rows;
}
} // namespace

class TestAuditExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void csvField_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("cellAfterParse");
        QTest::newRow("plain") << QStringLiteral("CIO | Winback | 30d")
                               << QStringLiteral("CIO | Winback | 30d")
                               << QStringLiteral("CIO | Winback | 30d");
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"")
                               << QStringLiteral("a,b");
        QTest::newRow("quotes") << QStringLiteral("say \"hi\"")
                                << QStringLiteral("\"say \"\"hi\"\"\"")
                                << QStringLiteral("say \"hi\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"")
                                 << QStringLiteral("a\nb");
        QTest::newRow("crlf") << QStringLiteral("a\r\nb") << QStringLiteral("\"a\r\nb\"")
                              << QStringLiteral("a\r\nb");
        QTest::newRow("non-ASCII")
            << QStringLiteral("Rückkehr 日本 🎯") << QStringLiteral("Rückkehr 日本 🎯")
            << QStringLiteral("Rückkehr 日本 🎯");
        QTest::newRow("formula =") << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
                                   << QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
                                   << QStringLiteral("'=HYPERLINK(\"http://x\",\"y\")");
        QTest::newRow("formula +")
            << QStringLiteral("+1+2") << QStringLiteral("'+1+2") << QStringLiteral("'+1+2");
        QTest::newRow("formula -")
            << QStringLiteral("-2+3+cmd|' /C calc'!A0") << QStringLiteral("'-2+3+cmd|' /C calc'!A0")
            << QStringLiteral("'-2+3+cmd|' /C calc'!A0");
        QTest::newRow("formula @") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)")
                                   << QStringLiteral("'@SUM(A1)");
        QTest::newRow("tab") << QStringLiteral("\t=1") << QStringLiteral("'\t=1")
                             << QStringLiteral("'\t=1");
        QTest::newRow("carriage return")
            << QStringLiteral("\r=1") << QStringLiteral("\"'\r=1\"") << QStringLiteral("'\r=1");
        QTest::newRow("leading spaces then =")
            << QStringLiteral("  =1") << QStringLiteral("'  =1") << QStringLiteral("'  =1");
        QTest::newRow("fullwidth =")
            << QStringLiteral("＝1+1") << QStringLiteral("'＝1+1") << QStringLiteral("'＝1+1");
        QTest::newRow("= later is fine")
            << QStringLiteral("a=1") << QStringLiteral("a=1") << QStringLiteral("a=1");
        QTest::newRow("empty") << QString() << QString() << QString();
    }
    void csvField()
    {
        QFETCH(QString, text);
        QFETCH(QString, field);
        QFETCH(QString, cellAfterParse);
        QCOMPARE(lockstep::csvField(text), field);
        // Whole document: the cell comes back intact (bar the neutralising apostrophe) and
        // the row keeps its 9 columns.
        const QByteArray csv = toCsv(reportWith(text, text));
        const auto rows = parseCsv(QString::fromUtf8(csv));
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0].size(), 9);
        QCOMPARE(rows[1].size(), 9);
        QCOMPARE(rows[1][5], cellAfterParse);
        QCOMPARE(rows[1][6], cellAfterParse);
    }

    void csvHeaderBomAndNumbers()
    {
        const QByteArray plain = toCsv(reportWith(QStringLiteral("x")), false);
        QVERIFY(plain.startsWith("severity,code,mapping_id,segment_id,segment_name,cohort_name,"
                                 "message,suggested_name,related_mapping_id\r\n"));
        QVERIFY(plain.contains("\r\nerror,missing_prefix,3,44,Seg,x,m,CIO | x,\r\n"));
        const QByteArray bom = toCsv(reportWith(QStringLiteral("x")), true);
        QVERIFY(bom.startsWith("\xEF\xBB\xBF"
                               "severity,"));
        QCOMPARE(bom.mid(3), plain);
        // Non-ASCII is UTF-8.
        QVERIFY(toCsv(reportWith(QStringLiteral("Rückkehr")))
                    .contains("R\xC3\xBC"
                              "ckkehr"));
    }

    void json()
    {
        AuditReport r = reportWith(QStringLiteral("=evil,\"x\"\n"));
        r.findings.first().relatedMappingId = 9;
        AuditFinding info;
        info.severity = FindingSeverity::Info;
        info.code = QStringLiteral("version_gap");
        r.findings.append(info);
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(toJson(r), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonObject o = doc.object();
        QCOMPARE(o.value(QStringLiteral("generated_at")).toString(),
                 QStringLiteral("2026-01-01T00:00:00Z"));
        QCOMPARE(o.value(QStringLiteral("mapping_count")).toInt(), 1);
        QCOMPARE(
            o.value(QStringLiteral("summary")).toObject().value(QStringLiteral("error")).toInt(),
            1);
        QCOMPARE(
            o.value(QStringLiteral("summary")).toObject().value(QStringLiteral("info")).toInt(), 1);
        const QJsonArray f = o.value(QStringLiteral("findings")).toArray();
        QCOMPARE(f.size(), 2);
        // JSON carries the name as is: no spreadsheet neutralising there.
        QCOMPARE(f[0].toObject().value(QStringLiteral("cohort_name")).toString(),
                 QStringLiteral("=evil,\"x\"\n"));
        QCOMPARE(f[0].toObject().value(QStringLiteral("related_mapping_id")).toInt(), 9);
        QVERIFY(f[1].toObject().value(QStringLiteral("suggested_name")).isNull());
        QVERIFY(f[1].toObject().value(QStringLiteral("related_mapping_id")).isNull());
    }

    void markdownCell_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("cell");
        QTest::newRow("pipes") << QStringLiteral("CIO | Winback | 30d")
                               << QStringLiteral("CIO \\| Winback \\| 30d");
        QTest::newRow("markup") << QStringLiteral("*bold* _it_ `code` [l](u)")
                                << QStringLiteral("\\*bold\\* \\_it\\_ \\`code\\` \\[l\\](u)");
        QTest::newRow("html") << QStringLiteral("<script>&")
                              << QStringLiteral("&lt;script&gt;&amp;");
        QTest::newRow("newlines") << QStringLiteral("a\nb\r\nc") << QStringLiteral("a<br>b<br>c");
        QTest::newRow("backslash") << QStringLiteral("a\\|b") << QStringLiteral("a\\\\\\|b");
        QTest::newRow("non-ASCII") << QStringLiteral("Rückkehr") << QStringLiteral("Rückkehr");
    }
    void markdownCell()
    {
        QFETCH(QString, text);
        QFETCH(QString, cell);
        QCOMPARE(lockstep::markdownCell(text), cell);
    }

    void markdownTableKeepsColumns()
    {
        const QString md = QString::fromUtf8(
            toMarkdown(reportWith(QStringLiteral("CIO | a\nb"), QStringLiteral("x | y"))));
        QVERIFY(md.startsWith(QStringLiteral("# Cohort naming audit")));
        QVERIFY(md.contains(QStringLiteral("1 errors, 0 warnings, 0 notes")));
        const QStringList lines = md.split(QLatin1Char('\n'));
        const qsizetype header = lines.indexOf(QStringLiteral("|---|---|---:|---|---|---|"));
        QVERIFY(header > 0);
        const QString row = lines[header + 1];
        // Unescaped pipes delimit exactly 6 cells.
        int pipes = 0;
        for (qsizetype i = 0; i < row.size(); ++i)
            if (row[i] == QLatin1Char('|') && (i == 0 || row[i - 1] != QLatin1Char('\\')))
                ++pipes;
        QCOMPARE(pipes, 7);
        QVERIFY(toMarkdown(AuditReport{}).contains("No findings"));
    }

    // Names, messages and the pattern are text: arg() placeholders in them stay as typed,
    // and no cell shifts into another.
    void placeholdersInTextStayText()
    {
        AuditReport r = reportWithChecklists();
        r.pattern = QStringLiteral("CIO %1 | {intent}");
        AuditFinding& f = r.findings.first();
        f.cohortName = QStringLiteral("x %1 %4");
        f.message = QStringLiteral("m %2 %1");
        f.suggestedName = QStringLiteral("s %3 %6");
        r.checklists.first().cohortName = QStringLiteral("c %1 %5");
        const QString md = QString::fromUtf8(toMarkdown(r));
        QVERIFY2(md.contains(QStringLiteral("against `CIO %1 | {intent}`.")), qPrintable(md));
        const QString finding =
            QStringLiteral("| error | %1 | 3 | %2 | %3 | %4 |")
                .arg(lockstep::markdownCell(f.code), lockstep::markdownCell(f.cohortName),
                     lockstep::markdownCell(f.message), lockstep::markdownCell(f.suggestedName));
        QVERIFY2(md.contains(finding), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| 3 | c %1 %5 | yes | 7 of 7 |  |")), qPrintable(md));
        // The CSV and JSON writers quote and escape; the text arrives the same.
        const auto rows = parseCsv(QString::fromUtf8(toCsv(r)));
        QCOMPARE(rows[1][5], QStringLiteral("x %1 %4"));
        QCOMPARE(rows[1][6], QStringLiteral("m %2 %1"));
    }

    // Issue 9: the rollout checklist is exported with the audit, added after the
    // findings without touching their columns or keys.
    void checklistInCsv()
    {
        const AuditReport r = reportWithChecklists();
        const QByteArray csv = toCsv(r);
        QVERIFY(csv.startsWith("severity,code,mapping_id,segment_id,segment_name,cohort_name,"
                               "message,suggested_name,related_mapping_id\r\n"));
        const auto rows = parseCsv(QString::fromUtf8(csv));
        // header + 1 finding + 2 mappings x (summary + 7 items)
        QCOMPARE(rows.size(), 1 + 1 + 2 * 8);
        for (const QStringList& row : rows)
            QCOMPARE(row.size(), 9);
        QCOMPARE(rows[1][0], QStringLiteral("error")); // the finding keeps its place
        const QStringList ready = rows[2];
        QCOMPARE(ready[0], QStringLiteral("checklist"));
        QCOMPARE(ready[1], QStringLiteral("checklist.ready"));
        QCOMPARE(ready[2], QStringLiteral("3"));
        QCOMPARE(ready[3], QStringLiteral("44"));
        QCOMPARE(ready[5], QStringLiteral("CIO | Winback | 45-60d"));
        QCOMPARE(ready[6], QStringLiteral("Ready (7 of 7)"));
        const QStringList notReady = rows[10];
        QCOMPARE(notReady[1], QStringLiteral("checklist.ready"));
        QCOMPARE(notReady[2], QStringLiteral("4"));
        QCOMPARE(notReady[6], QStringLiteral("Not ready (5 of 7): missing Title 0; Title 1"));
        QCOMPARE(rows[11][1], QStringLiteral("checklist.identity_verified"));
        QCOMPARE(rows[11][6], QStringLiteral("[ ] Title 0: run x, y"));
        QCOMPARE(rows[17][1], QStringLiteral("checklist.cohort_definition_created"));
        QVERIFY(rows[17][6].startsWith(QStringLiteral("[x] Title 6: ok")));
        // Formula-looking evidence cannot become a formula: messages start with "[".
        for (const QStringList& row : rows)
            QVERIFY(!row[6].startsWith(QLatin1Char('=')));
    }

    void checklistInJson()
    {
        const QJsonObject o = QJsonDocument::fromJson(toJson(reportWithChecklists())).object();
        // Existing keys unchanged.
        QCOMPARE(o.value(QStringLiteral("findings")).toArray().size(), 1);
        QCOMPARE(
            o.value(QStringLiteral("summary")).toObject().value(QStringLiteral("error")).toInt(),
            1);
        const QJsonArray lists = o.value(QStringLiteral("checklists")).toArray();
        QCOMPARE(lists.size(), 2);
        const QJsonObject a = lists[0].toObject();
        QCOMPARE(a.value(QStringLiteral("mapping_id")).toInt(), 3);
        QCOMPARE(a.value(QStringLiteral("cohort_name")).toString(),
                 QStringLiteral("CIO | Winback | 45-60d"));
        QCOMPARE(a.value(QStringLiteral("ready")).toBool(), true);
        QCOMPARE(a.value(QStringLiteral("done")).toInt(), 7);
        QCOMPARE(a.value(QStringLiteral("total")).toInt(), 7);
        const QJsonObject b = lists[1].toObject();
        QCOMPARE(b.value(QStringLiteral("ready")).toBool(), false);
        QCOMPARE(b.value(QStringLiteral("done")).toInt(), 5);
        const QJsonObject items = b.value(QStringLiteral("items")).toObject();
        QCOMPARE(items.size(), 7);
        QCOMPARE(items.value(QStringLiteral("rehearsal_passed"))
                     .toObject()
                     .value(QStringLiteral("done"))
                     .toBool(),
                 false);
        QCOMPARE(items.value(QStringLiteral("segment_owner_set"))
                     .toObject()
                     .value(QStringLiteral("done"))
                     .toBool(),
                 true);
        QCOMPARE(items.value(QStringLiteral("identity_verified"))
                     .toObject()
                     .value(QStringLiteral("evidence"))
                     .toString(),
                 QStringLiteral("run x, y"));
        // A report without checklists still has the key, empty.
        QVERIFY(QJsonDocument::fromJson(toJson(reportWith(QStringLiteral("x"))))
                    .object()
                    .value(QStringLiteral("checklists"))
                    .toArray()
                    .isEmpty());
    }

    void checklistInMarkdown()
    {
        const QString md = QString::fromUtf8(toMarkdown(reportWithChecklists()));
        QVERIFY(md.contains(QStringLiteral("|---|---|---:|---|---|---|"))); // findings table kept
        QVERIFY(md.contains(QStringLiteral("## Rollout checklist")));
        QVERIFY(md.contains(QStringLiteral("**1 of 2 mappings ready.**")));
        QVERIFY2(
            md.contains(QStringLiteral("| 3 | CIO \\| Winback \\| 45-60d | yes | 7 of 7 |  |")),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral(
                     "| 4 | CIO \\| VIP \\| 30d | no | 5 of 7 | Title 0; Title 1 |")),
                 qPrintable(md));
        AuditReport empty;
        empty.checklists = reportWithChecklists().checklists;
        const QString md2 = QString::fromUtf8(toMarkdown(empty));
        QVERIFY(md2.contains(QStringLiteral("No findings")));
        QVERIFY(md2.contains(QStringLiteral("## Rollout checklist")));
    }

    // auditWorkspace (lockstep audit, the Audit page) fills the checklist from the
    // workspace's evidence, the same the checklist evaluator reads.
    void auditWorkspaceCarriesChecklists()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.filePath(QStringLiteral("audit.sqlite")));
        QVERIFY(ws);
        Mapping a;
        a.segmentId = 7;
        a.segmentName = QStringLiteral("Lapsed");
        a.cohortName = QStringLiteral("CIO | Winback | 45-60d");
        a.owner = QStringLiteral("Maya");
        a.healthMonitor = QStringLiteral("Jon");
        a.decision = QStringLiteral("Winback offer");
        a.setReportUrl(QStringLiteral("https://mixpanel.com/project/1/view/2/app/boards#id=3"));
        Mapping b;
        b.segmentId = 8;
        b.cohortName = QStringLiteral("bad name");
        auto idA = MappingRepository(**ws).add(a);
        auto idB = MappingRepository(**ws).add(b);
        QVERIFY(idA && idB);
        QVERIFY(TrustStore(**ws).setLatencyExpectationMinutes(*idA, 30));

        auto report = auditWorkspace(**ws, ChecklistRules{});
        QVERIFY(report);
        QCOMPARE(report->checklists.size(), 2);
        const AuditChecklist* ca = nullptr;
        const AuditChecklist* cb = nullptr;
        for (const AuditChecklist& c : report->checklists)
            (c.mappingId == *idA ? ca : cb) = &c;
        QVERIFY(ca && cb);
        QCOMPARE(ca->cohortName, a.cohortName);
        QCOMPARE(ca->segmentName, a.segmentName);
        QCOMPARE(ca->items.size(), 10);
        // Name, both owners, decision, latency and report are set for a; no checks were run.
        QCOMPARE(ca->doneCount(), 6);
        QVERIFY(!ca->ready());
        QVERIFY(ca->missingTitles().contains(QStringLiteral("Rehearsal on a test segment passed")));
        QCOMPARE(cb->doneCount(), 0);
        const QJsonArray lists = QJsonDocument::fromJson(toJson(*report))
                                     .object()
                                     .value(QStringLiteral("checklists"))
                                     .toArray();
        QCOMPARE(lists.size(), 2);
        QVERIFY(toCsv(*report).contains("checklist.latency_expectation_set"));
        QVERIFY(toCsv(*report).contains("checklist.reporting_plan_set"));
        QVERIFY(toMarkdown(*report).contains("Segment stability reviewed"));
    }
};

QTEST_GUILESS_MAIN(TestAuditExport)
#include "tst_auditexport.moc"
