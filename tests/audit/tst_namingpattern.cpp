// The naming pattern parser: what parses (and prints back the same), what is rejected
// and where.
#include "audit/namingpattern.h"

#include <QRandomGenerator>
#include <QTest>

using namespace lockstep;

class TestNamingPattern : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("matches");
        QTest::addColumn<QString>("rejects");
        QTest::newRow("default") << QStringLiteral("CIO | {intent} | {window} [| v{version}]")
                                 << QStringList{QStringLiteral("intent"), QStringLiteral("window"),
                                                QStringLiteral("version")}
                                 << QStringLiteral("CIO | Winback | 30d | v2")
                                 << QStringLiteral("CIO Winback 30d");
        QTest::newRow("without version")
            << QStringLiteral("CIO | {intent} | {window} [| v{version}]")
            << QStringList{QStringLiteral("intent"), QStringLiteral("window"),
                           QStringLiteral("version")}
            << QStringLiteral("CIO | Winback | 30d") << QStringLiteral("XYZ | Winback | 30d");
        QTest::newRow("typed") << QStringLiteral("{team:text}-{n:int}")
                               << QStringList{QStringLiteral("team"), QStringLiteral("n")}
                               << QStringLiteral("growth-3") << QStringLiteral("growth");
        QTest::newRow("escapes") << QStringLiteral("\\[{a}\\] \\{x\\}")
                                 << QStringList{QStringLiteral("a")} << QStringLiteral("[hi] {x}")
                                 << QStringLiteral("hi {x}");
        QTest::newRow("nested optional") << QStringLiteral("A[-{b}[-{c}]]")
                                         << QStringList{QStringLiteral("b"), QStringLiteral("c")}
                                         << QStringLiteral("A-1-2") << QStringLiteral("B-1");
        QTest::newRow("regex characters are literal")
            << QStringLiteral("a.b+({x})") << QStringList{QStringLiteral("x")}
            << QStringLiteral("a.b+(y)") << QStringLiteral("aXb+(y)");
        QTest::newRow("non-ASCII literal")
            << QStringLiteral("Kohorte » {name}") << QStringList{QStringLiteral("name")}
            << QStringLiteral("Kohorte » Rückkehr") << QStringLiteral("Kohorte Rückkehr");
    }
    void valid()
    {
        QFETCH(QString, pattern);
        QFETCH(QStringList, fields);
        QFETCH(QString, matches);
        QFETCH(QString, rejects);
        auto p = NamingPattern::parse(pattern);
        QVERIFY2(p.ok(), qPrintable(p.error().toString()));
        QCOMPARE(p->fieldNames(), fields);
        QVERIFY(p->toRegex().isValid());
        QVERIFY2(p->toRegex().match(matches).hasMatch(), qPrintable(p->toRegex().pattern()));
        QVERIFY(!p->toRegex().match(rejects).hasMatch());
        // Printing and parsing again gives the same tree.
        auto again = NamingPattern::parse(p->toString());
        QVERIFY2(again.ok(), qPrintable(p->toString()));
        QVERIFY(again->nodes() == p->nodes());
    }

    void defaultTypes()
    {
        auto p = NamingPattern::parse(QStringLiteral("{intent}|{window}|{version}|{w:window}"));
        QVERIFY(p.ok());
        const auto& n = p->nodes();
        QCOMPARE(n[0].type, FieldType::Text);
        QCOMPARE(n[2].type, FieldType::Window);
        QCOMPARE(n[4].type, FieldType::Int);
        QCOMPARE(n[6].type, FieldType::Window);
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("column");
        QTest::addColumn<QString>("words");
        QTest::newRow("empty") << QString() << QStringLiteral("column 1")
                               << QStringLiteral("empty");
        QTest::newRow("blank") << QStringLiteral("   ") << QStringLiteral("column 1")
                               << QStringLiteral("empty");
        QTest::newRow("unclosed field")
            << QStringLiteral("CIO | {intent") << QStringLiteral("column 7")
            << QStringLiteral("never closed");
        QTest::newRow("stray brace") << QStringLiteral("CIO }") << QStringLiteral("column 5")
                                     << QStringLiteral("without a matching");
        QTest::newRow("unclosed group") << QStringLiteral("A [| {b}") << QStringLiteral("column 3")
                                        << QStringLiteral("never closed");
        QTest::newRow("stray bracket") << QStringLiteral("A ]") << QStringLiteral("column 3")
                                       << QStringLiteral("without a matching");
        QTest::newRow("empty name")
            << QStringLiteral("{}") << QStringLiteral("column 1") << QStringLiteral("needs a name");
        QTest::newRow("bad name") << QStringLiteral("{In tent}") << QStringLiteral("column 1")
                                  << QStringLiteral("must start");
        QTest::newRow("bad name chars") << QStringLiteral("{in-tent}") << QStringLiteral("column 1")
                                        << QStringLiteral("may only use");
        QTest::newRow("unknown type") << QStringLiteral("{x:date}") << QStringLiteral("column 1")
                                      << QStringLiteral("unknown field type");
        QTest::newRow("duplicate")
            << QStringLiteral("{a}-{a}") << QStringLiteral("column 5") << QStringLiteral("twice");
        QTest::newRow("adjacent fields") << QStringLiteral("{a}{b}") << QStringLiteral("column 4")
                                         << QStringLiteral("literal text");
        QTest::newRow("empty group") << QStringLiteral("A[]") << QStringLiteral("column 2")
                                     << QStringLiteral("empty optional");
        QTest::newRow("trailing backslash") << QStringLiteral("A\\") << QStringLiteral("column 2")
                                            << QStringLiteral("escapes nothing");
        QTest::newRow("too deep") << QStringLiteral("[[[[[[[[[a]]]]]]]]]")
                                  << QStringLiteral("column 9") << QStringLiteral("too deep");
        QTest::newRow("too long") << QString(1001, QLatin1Char('a'))
                                  << QStringLiteral("column 1001") << QStringLiteral("longer than");
        // 900 characters typed, 1580 written out ("{f0}" is "{f0:text}"): found by the fuzzer.
        QString shorthand;
        for (int i = 0; shorthand.size() < 890; ++i)
            shorthand += QStringLiteral("{f%1}-").arg(i);
        QTest::newRow("too long written out")
            << shorthand << QStringLiteral("column 1001") << QStringLiteral("written out in full");
    }
    void invalid()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, column);
        QFETCH(QString, words);
        auto p = NamingPattern::parse(pattern);
        QVERIFY(!p.ok());
        QCOMPARE(p.error().category, SyncError::Category::Config);
        QVERIFY2(p.error().message.contains(column), qPrintable(p.error().message));
        QVERIFY2(p.error().message.contains(words), qPrintable(p.error().message));
    }

    // A taste of the fuzzing to come: random inputs from the pattern alphabet never
    // crash, and whatever parses round-trips.
    void randomInputsAreTotal()
    {
        const QString alphabet = QStringLiteral("ab {}[]:|\\vx_9");
        QRandomGenerator rng(1234);
        int parsed = 0;
        for (int i = 0; i < 20000; ++i) {
            QString s;
            const int len = int(rng.bounded(1, 16));
            for (int j = 0; j < len; ++j)
                s += alphabet[qsizetype(rng.bounded(alphabet.size()))];
            auto p = NamingPattern::parse(s);
            if (!p.ok())
                continue;
            ++parsed;
            auto again = NamingPattern::parse(p->toString());
            QVERIFY2(again.ok() && again->nodes() == p->nodes(), qPrintable(s));
            QVERIFY2(p->toRegex().isValid(), qPrintable(s));
        }
        QVERIFY(parsed > 100);
    }
};

QTEST_GUILESS_MAIN(TestNamingPattern)
#include "tst_namingpattern.moc"
