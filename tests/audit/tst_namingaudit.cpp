// Every naming finding: per-name checks (data-driven, with the suggested name), the
// window format, and the findings that compare mappings.
#include "audit/namechecker.h"
#include "audit/namingauditor.h"
#include "audit/windowformat.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "trust/workspaceaudit.h"
#include "util/clock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

namespace {
Mapping mapping(qint64 id, qint64 segment, const QString& name)
{
    Mapping m;
    m.id = id;
    m.segmentId = segment;
    m.segmentName = QStringLiteral("Segment %1").arg(segment);
    m.cohortName = name;
    m.owner = QStringLiteral("ana@example.com");
    m.decision = QStringLiteral("winback budget");
    return m;
}

QStringList codes(const AuditReport& r, qint64 mappingId = 0)
{
    QStringList out;
    for (const AuditFinding& f : r.findings)
        if (!mappingId || f.mappingId == mappingId)
            out.append(f.code);
    out.sort();
    return out;
}
} // namespace

class TestNamingAudit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void name_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QString>("suggestion");
        auto row = [](const char* tag, const QString& name, QStringList codes,
                      const QString& sugg) {
            codes.sort();
            QTest::newRow(tag) << name << codes << sugg;
        };
        const QString none;
        row("valid", QStringLiteral("CIO | Winback | 30d"), {}, none);
        row("valid versioned range", QStringLiteral("CIO | Winback | 45-60d | v2"), {}, none);
        row("valid hours", QStringLiteral("CIO | Cart abandoners | 0-24h"), {}, none);
        row("valid non-ASCII", QStringLiteral("CIO | Rückkehr | 30d"), {}, none);
        row("missing prefix", QStringLiteral("Winback | 30d"), {QStringLiteral("missing_prefix")},
            QStringLiteral("CIO | Winback | 30d"));
        row("prefix case", QStringLiteral("cio | Winback | 30d"), {QStringLiteral("prefix_case")},
            QStringLiteral("CIO | Winback | 30d"));
        row("too few parts", QStringLiteral("CIO | Winback"), {QStringLiteral("part_count")}, none);
        row("too many parts", QStringLiteral("CIO | Winback | 30d | v2 | extra"),
            {QStringLiteral("part_count")}, none);
        row("no separators", QStringLiteral("Winback 30 days"),
            {QStringLiteral("missing_prefix"), QStringLiteral("part_count")},
            QStringLiteral("CIO | Winback | 30d"));
        row("no separators, range in words", QStringLiteral("winback 60-90 days"),
            {QStringLiteral("missing_prefix"), QStringLiteral("part_count")},
            QStringLiteral("CIO | Winback | 60-90d"));
        row("no separators after the prefix", QStringLiteral("CIO cart abandoners 0-24h"),
            {QStringLiteral("missing_prefix"), QStringLiteral("part_count")},
            QStringLiteral("CIO | Cart abandoners | 0-24h"));
        row("no separators, no window", QStringLiteral("Winback"),
            {QStringLiteral("missing_prefix"), QStringLiteral("part_count")}, none);
        row("window in words", QStringLiteral("CIO | Winback | 45-60 days"),
            {QStringLiteral("window_format")}, QStringLiteral("CIO | Winback | 45-60d"));
        row("window upper case", QStringLiteral("CIO | Winback | 30D"),
            {QStringLiteral("window_format")}, QStringLiteral("CIO | Winback | 30d"));
        row("window in weeks", QStringLiteral("CIO | Winback | 1w"),
            {QStringLiteral("window_format")}, QStringLiteral("CIO | Winback | 7d"));
        row("window reversed", QStringLiteral("CIO | Winback | 60-45d"),
            {QStringLiteral("window_format")}, QStringLiteral("CIO | Winback | 45-60d"));
        row("window in months", QStringLiteral("CIO | Winback | 3m"),
            {QStringLiteral("window_format")}, none);
        row("window nonsense", QStringLiteral("CIO | Winback | soon"),
            {QStringLiteral("window_format")}, none);
        row("double space", QStringLiteral("CIO | Win  back | 30d"), {QStringLiteral("spacing")},
            QStringLiteral("CIO | Win back | 30d"));
        row("no spaces around separators", QStringLiteral("CIO|Winback|30d"),
            {QStringLiteral("spacing")}, QStringLiteral("CIO | Winback | 30d"));
        row("trailing space", QStringLiteral("CIO | Winback | 30d "), {QStringLiteral("spacing")},
            QStringLiteral("CIO | Winback | 30d"));
        row("intent lower case", QStringLiteral("CIO | winback | 30d"),
            {QStringLiteral("intent_case")}, QStringLiteral("CIO | Winback | 30d"));
        row("intent non-ASCII lower case", QStringLiteral("CIO | über-fans | 30d"),
            {QStringLiteral("intent_case")}, QStringLiteral("CIO | Über-fans | 30d"));
        row("empty intent", QStringLiteral("CIO | | 30d"), {QStringLiteral("empty_part")}, none);
        row("version upper case", QStringLiteral("CIO | Winback | 30d | V2"),
            {QStringLiteral("version_format")}, QStringLiteral("CIO | Winback | 30d | v2"));
        row("version leading zero", QStringLiteral("CIO | Winback | 30d | v02"),
            {QStringLiteral("version_format")}, QStringLiteral("CIO | Winback | 30d | v2"));
        row("version not a number", QStringLiteral("CIO | Winback | 30d | v2b"),
            {QStringLiteral("version_format")}, none);
        row("version zero", QStringLiteral("CIO | Winback | 30d | v0"),
            {QStringLiteral("version_format")}, none);
        row("version without v", QStringLiteral("CIO | Winback | 30d | 2"),
            {QStringLiteral("pattern_mismatch")}, none);
        row("everything at once", QStringLiteral("cio|winback|30 Days"),
            {QStringLiteral("prefix_case"), QStringLiteral("spacing"),
             QStringLiteral("intent_case"), QStringLiteral("window_format")},
            QStringLiteral("CIO | Winback | 30d"));
    }
    void name()
    {
        QFETCH(QString, name);
        QFETCH(QStringList, expected);
        QFETCH(QString, suggestion);
        auto report = auditMappings({mapping(1, 10, name)}, NamingConvention{});
        QVERIFY(report.ok());
        QCOMPARE(codes(*report), expected);
        for (const AuditFinding& f : report->findings) {
            QCOMPARE(f.suggestedName, suggestion);
            QCOMPARE(f.mappingId, 1);
            QCOMPARE(f.segmentId, 10);
            QVERIFY(!f.message.isEmpty());
        }
        // A suggestion is itself clean.
        if (!suggestion.isEmpty()) {
            auto again = auditMappings({mapping(1, 10, suggestion)}, NamingConvention{});
            QCOMPARE(codes(*again), QStringList());
        }
    }

    // The part count is said as written: a name without any separator is told so, never
    // "2 parts separated by |" (the prefix the checker puts back is not the name's part).
    void partCountSaysWhatIsWritten()
    {
        auto message = [](const QString& name) {
            const auto r = *auditMappings({mapping(1, 1, name)}, NamingConvention{});
            for (const AuditFinding& f : r.findings)
                if (f.code == QLatin1String("part_count"))
                    return f.message;
            return QString();
        };
        const QString none = message(QStringLiteral("winback 60-90 days"));
        QVERIFY2(none.contains(QStringLiteral("has no “|” between its parts")), qPrintable(none));
        QVERIFY2(!none.contains(QStringLiteral("2 parts")), qPrintable(none));
        QVERIFY(message(QStringLiteral("CIO | Winback"))
                    .endsWith(QStringLiteral("has 2 parts separated by “|”; the convention “CIO | "
                                             "{intent} | {window} [| v{version}]” has 3 to 4")));
        const QString few = message(QStringLiteral("Winback | x | y | z | w"));
        QVERIFY2(few.contains(QStringLiteral("has 5 parts separated by")), qPrintable(few));
    }

    void severities()
    {
        auto r = *auditMappings({mapping(1, 1, QStringLiteral("Winback")),
                                 mapping(2, 2, QStringLiteral("CIO | Winback | 30D")),
                                 mapping(3, 3, QStringLiteral("CIO | winback | 30d"))},
                                NamingConvention{});
        for (const AuditFinding& f : r.findings) {
            if (f.code == QLatin1String("missing_prefix") || f.code == QLatin1String("part_count"))
                QCOMPARE(f.severity, FindingSeverity::Error);
            if (f.code == QLatin1String("window_format"))
                QCOMPARE(f.severity, FindingSeverity::Warning); // fixable
            if (f.code == QLatin1String("intent_case"))
                QCOMPARE(f.severity, FindingSeverity::Info);
        }
        QVERIFY(r.count(FindingSeverity::Error) >= 2);
    }

    void window_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("suggestion");
        QTest::newRow("30d") << QStringLiteral("30d") << true << QString();
        QTest::newRow("0-24h") << QStringLiteral("0-24h") << true << QString();
        QTest::newRow("45-60d") << QStringLiteral("45-60d") << true << QString();
        QTest::newRow("45-60 days")
            << QStringLiteral("45-60 days") << false << QStringLiteral("45-60d");
        QTest::newRow("30D") << QStringLiteral("30D") << false << QStringLiteral("30d");
        QTest::newRow("1w") << QStringLiteral("1w") << false << QStringLiteral("7d");
        QTest::newRow("2 weeks") << QStringLiteral("2 weeks") << false << QStringLiteral("14d");
        QTest::newRow("24 hours") << QStringLiteral("24 hours") << false << QStringLiteral("24h");
        QTest::newRow("45d-60d") << QStringLiteral("45d-60d") << false << QStringLiteral("45-60d");
        QTest::newRow("en dash") << QStringLiteral("45–60d") << false << QStringLiteral("45-60d");
        QTest::newRow("07d") << QStringLiteral("07d") << false << QStringLiteral("7d");
        QTest::newRow("mixed units") << QStringLiteral("1h-2d") << false << QString();
        QTest::newRow("no unit") << QStringLiteral("30") << false << QString();
        QTest::newRow("months") << QStringLiteral("1 month") << false << QString();
        QTest::newRow("zero") << QStringLiteral("0d") << false << QString();
        QTest::newRow("empty range") << QStringLiteral("5-5d") << false << QString();
        QTest::newRow("unit first") << QStringLiteral("d30") << false << QString();
    }
    void window()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, suggestion);
        const WindowCheck c = checkWindow(text);
        QCOMPARE(c.valid, valid);
        QCOMPARE(c.suggestion, suggestion);
        QCOMPARE(c.problem.isEmpty(), valid);
    }

    void nearDuplicates_data()
    {
        QTest::addColumn<QString>("first");
        QTest::addColumn<QString>("second");
        QTest::addColumn<double>("threshold");
        QTest::addColumn<bool>("flagged");
        QTest::newRow("hyphen") << QStringLiteral("CIO | Winback | 30d")
                                << QStringLiteral("CIO | Win-back | 30d") << 0.2 << true;
        QTest::newRow("typo") << QStringLiteral("CIO | Winback | 30d")
                              << QStringLiteral("CIO | Winbak | 30d") << 0.2 << true;
        QTest::newRow("case only") << QStringLiteral("CIO | Winback | 30d")
                                   << QStringLiteral("CIO | winback | 30d") << 0.2 << true;
        QTest::newRow("window spelling")
            << QStringLiteral("CIO | Winback | 30d") << QStringLiteral("CIO | Winback | 30 days")
            << 0.2 << true;
        QTest::newRow("threshold 0") << QStringLiteral("CIO | Winback | 30d")
                                     << QStringLiteral("CIO | Win-back | 30d") << 0.0 << false;
        QTest::newRow("other window") << QStringLiteral("CIO | Winback | 30d")
                                      << QStringLiteral("CIO | Winback | 60d") << 0.2 << false;
        QTest::newRow("other version")
            << QStringLiteral("CIO | Winback | 30d") << QStringLiteral("CIO | Winback | 30d | v2")
            << 0.2 << false;
        QTest::newRow("different intent") << QStringLiteral("CIO | Winback | 30d")
                                          << QStringLiteral("CIO | Cashback | 30d") << 0.2 << false;
        QTest::newRow("unstructured")
            << QStringLiteral("winback thirty") << QStringLiteral("winback thirtyy") << 0.2 << true;
    }
    void nearDuplicates()
    {
        QFETCH(QString, first);
        QFETCH(QString, second);
        QFETCH(double, threshold);
        QFETCH(bool, flagged);
        NamingConvention c;
        c.nearDuplicateThreshold = threshold;
        auto r = *auditMappings({mapping(1, 10, first), mapping(2, 20, second)}, c);
        const bool found = codes(r).contains(QStringLiteral("near_duplicate"));
        QCOMPARE(found, flagged);
        for (const AuditFinding& f : r.findings) {
            if (f.code != QLatin1String("near_duplicate"))
                continue;
            QCOMPARE(f.mappingId, 2);
            QCOMPARE(f.relatedMappingId, 1);
            QCOMPARE(f.suggestedName, first);
        }
    }

    void crossMappingFindings()
    {
        Mapping noOwner = mapping(5, 50, QStringLiteral("CIO | Loyal | 90d"));
        noOwner.owner = QStringLiteral("  ");
        Mapping noDecision = mapping(6, 60, QStringLiteral("CIO | Churn risk | 14d"));
        noDecision.decision.clear();
        auto r = *auditMappings(
            {mapping(1, 10, QStringLiteral("CIO | Winback | 30d")),
             mapping(2, 10, QStringLiteral("CIO | Winback | 30d | v2")), // same segment
             mapping(3, 30, QStringLiteral("CIO | VIP | 30d")),
             mapping(4, 40, QStringLiteral("CIO | VIP | 30d")), // same name
             noOwner, noDecision, mapping(7, 70, QStringLiteral("CIO | Sunset | 7d")),
             mapping(8, 80, QStringLiteral("CIO | Sunset | 7d | v3"))}, // v2 missing
            NamingConvention{});
        QCOMPARE(codes(r, 1), QStringList());
        QCOMPARE(codes(r, 2), QStringList{QStringLiteral("segment_mapped_twice")});
        QCOMPARE(codes(r, 3), QStringList());
        QCOMPARE(codes(r, 4), QStringList{QStringLiteral("name_on_two_segments")});
        QCOMPARE(codes(r, 5), QStringList{QStringLiteral("missing_owner")});
        QCOMPARE(codes(r, 6), QStringList{QStringLiteral("missing_decision")});
        QCOMPARE(codes(r, 7), QStringList());
        QCOMPARE(codes(r, 8), QStringList{QStringLiteral("version_gap")});
        for (const AuditFinding& f : r.findings) {
            if (f.code == QLatin1String("name_on_two_segments")) {
                QCOMPARE(f.severity, FindingSeverity::Error);
                QCOMPARE(f.relatedMappingId, 3);
            }
            if (f.code == QLatin1String("version_gap"))
                QVERIFY2(f.message.contains(QStringLiteral("v2")), qPrintable(f.message));
        }
        QCOMPARE(r.mappingCount, 8);
        // No gap once v2 exists.
        auto ok = *auditMappings({mapping(7, 70, QStringLiteral("CIO | Sunset | 7d")),
                                  mapping(9, 90, QStringLiteral("CIO | Sunset | 7d | v2")),
                                  mapping(8, 80, QStringLiteral("CIO | Sunset | 7d | v3"))},
                                 NamingConvention{});
        QCOMPARE(codes(ok), QStringList());
    }

    void customConvention()
    {
        NamingConvention c;
        c.pattern = QStringLiteral("MKT / {team} / {window}");
        c.separator = QLatin1Char('/');
        c.capitalizeText = false;
        auto r = *auditMappings({mapping(1, 1, QStringLiteral("MKT / growth / 30d")),
                                 mapping(2, 2, QStringLiteral("CIO | Winback | 30d"))},
                                c);
        QCOMPARE(codes(r, 1), QStringList());
        QVERIFY(codes(r, 2).contains(QStringLiteral("missing_prefix")));
        c.pattern = QStringLiteral("{oops");
        QVERIFY(!auditMappings({}, c).ok());
    }

    void wholeNameFallback()
    {
        // An optional group inside a part: diagnosed as a whole.
        NamingConvention c;
        c.pattern = QStringLiteral("CIO | {intent}[ ({window})]");
        auto checker = NameChecker::create(c);
        QVERIFY(checker.ok());
        QVERIFY(!checker->diagnosesParts());
        QVERIFY(checker->check(QStringLiteral("CIO | Winback (30d)")).ok());
        QVERIFY(checker->check(QStringLiteral("CIO | Winback")).ok());
        const NameCheck bad = checker->check(QStringLiteral("CIO | Winback (30 days)"));
        QCOMPARE(bad.problems.size(), 1);
        QCOMPARE(bad.problems.first().code, QStringLiteral("window_format"));
        QCOMPARE(checker->check(QStringLiteral("XYZ")).problems.first().code,
                 QStringLiteral("pattern_mismatch"));
    }

    void auditsAWorkspace()
    {
        QTemporaryDir dir;
        auto ws = Workspace::open(dir.filePath(QStringLiteral("ws.sqlite")));
        QVERIFY(ws.ok());
        Mapping m = mapping(0, 10, QStringLiteral("CIO | Winback | 30 days"));
        QVERIFY(MappingRepository(**ws).add(m).ok());
        ManualClock clock(1'767'225'600'000);
        auto r = auditWorkspace(**ws, ChecklistRules{}, clock);
        QVERIFY2(r.ok(), qPrintable(r.error().toString()));
        QCOMPARE(r->generatedAtMs, clock.nowMs());
        QCOMPARE(r->mappingCount, 1);
        QCOMPARE(codes(*r), QStringList{QStringLiteral("window_format")});
        QCOMPARE(r->findings.first().suggestedName, QStringLiteral("CIO | Winback | 30d"));
    }
};

QTEST_GUILESS_MAIN(TestNamingAudit)
#include "tst_namingaudit.moc"
