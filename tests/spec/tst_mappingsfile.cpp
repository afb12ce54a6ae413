// The mappings file on its own: the reader (every hostile input a clear error with its
// line and column), the writer (stable bytes that read back to the same file) and the
// planner (each kind of change, from a file and a workspace state made by hand).
#include "spec/mappingsfile.h"
#include "spec/secretscan.h"
#include "spec/specplan.h"

#include <QFile>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;

namespace {

const QByteArray kValid = R"yaml(lockstep: 1
connection:
  customerio_region: eu
  mixpanel_region: in
  project_id: 4242
settings:
  match_rate_floor: 0.9
mappings:
  - key: winback
    segment: 101
    cohort: "CIO | Winback | 45-60d"
    identity: email
    owner: "Maya (retention)"
    decision: "Winback offer"
  - key: suppressed
    segment: 104
    cohort: "CIO | Suppressed"
    identity: id
    mode: flag
    events: true
    schedule_minutes: 30
    latency_expectation_minutes: 90
    mass_exit_percent: 12.5
    paused: true
    version: 2
watched_pairs:
  - a: winback
    b: suppressed
    label: "never message the suppressed"
)yaml";

const QByteArray kChannels = R"yaml(lockstep: 1
mappings:
  - key: winback
    segment: 101
    cohort: "CIO | Winback | 45-60d"
    identity: email
  - key: suppressed
    segment: 104
    cohort: "CIO | Suppressed"
    identity: id
notifications:
  - key: oncall-slack
    kind: slack
    name: On-call
    severities: [warning, critical]
    mappings: [winback, suppressed]
  - key: ops.hook
    kind: webhook
    headers: [X-Team, X-Env]
  - key: monitors
    kind: email
    smtp: smtps://alerts@smtp.example.com:465
    from: lockstep@example.com
    to: [oncall@example.com, growth@example.com]
    to_monitor: true
    severities:
      - critical
)yaml";

MappingsFileRead parse(const QByteArray& text, const QStringList& secrets = {})
{
    MappingsFileOptions o;
    o.knownSecrets = secrets;
    return parseMappingsFile(text, o);
}

QString errorsOf(const MappingsFileRead& r)
{
    QStringList lines;
    for (const SpecError& e : r.errors)
        lines << e.toString(QStringLiteral("f"));
    return lines.join(QLatin1Char('\n'));
}

Mapping mapping(qint64 id, const QString& key, qint64 segment, const QString& cohort)
{
    Mapping m;
    m.id = id;
    m.key = key;
    m.segmentId = segment;
    m.cohortName = cohort;
    return m;
}

MappingSpec spec(const QString& key, qint64 segment, const QString& cohort)
{
    return MappingSpec::fromMapping(mapping(0, key, segment, cohort), 0);
}

} // namespace

class TestMappingsFile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsEveryField();
    void writesStableBytesThatReadBack();
    void jsonReadsLikeYaml();
    void bomAndCrlfReadAsWithout();
    void hostileInput_data();
    void hostileInput();
    void hugeFileIsRefusedBeforeReading();
    void everyErrorIsReported();
    void secretShapes_data();
    void secretShapes();
    void planEachKindOfChange();
    void planNewVersionRules();
    void planSectionsLeftOutAreLeftAlone();
    void planJsonAndSummary();
    void notificationsReadAndWrite();
    void notificationsHostile_data();
    void notificationsHostile();
    void planNotificationChannels();
};

void TestMappingsFile::readsEveryField()
{
    const MappingsFileRead r = parse(kValid);
    QVERIFY2(r.ok(), qPrintable(errorsOf(r)));
    QVERIFY(!r.json);
    const MappingsFile& f = r.file;
    QVERIFY(f.connection);
    QCOMPARE(f.connection->toSettings().customerIoUrl,
             QStringLiteral("https://api-eu.customer.io"));
    QCOMPARE(f.connection->toSettings().mixpanelQueryUrl,
             QStringLiteral("https://in.mixpanel.com/api/query"));
    QCOMPARE(f.connection->projectId, 4242);
    QVERIFY(f.settings);
    // Every workspace key: the one given, the others at their defaults.
    for (const auto& [key, value] : *f.settings) {
        if (key == keys::MatchRateFloor.row)
            QCOMPARE(value, QStringLiteral("0.9"));
        else
            QCOMPARE(value, settingDefault(*key));
    }
    QCOMPARE(f.mappings->size(), 2);
    const MappingSpec& w = f.mappings->at(0);
    QCOMPARE(w.key, QStringLiteral("winback"));
    QCOMPARE(w.segmentId, 101);
    QCOMPARE(w.identity, IdentityKey::Email);
    QCOMPARE(w.mode, SyncMode::List);
    QCOMPARE(w.scheduleMinutes, 60); // the file's default_schedule_minutes (its default)
    QCOMPARE(w.version, 1);
    QCOMPARE(w.at.line, 9);
    QCOMPARE(w.at.column, 5);
    const MappingSpec& s = f.mappings->at(1);
    QCOMPARE(s.mode, SyncMode::Flag);
    QVERIFY(s.sendEvents);
    QVERIFY(s.paused);
    QCOMPARE(s.scheduleMinutes, 30);
    QCOMPARE(s.latencyExpectationMinutes, 90);
    QCOMPARE(s.massExitPercent, 12.5);
    QVERIFY(w.massExitPercent < 0); // left out: the workspace's
    QCOMPARE(s.version, 2);
    QCOMPARE(f.watchedPairs->size(), 1);
    QCOMPARE(f.watchedPairs->first().a, QStringLiteral("suppressed")); // sorted
    QCOMPARE(f.watchedPairs->first().label, QStringLiteral("never message the suppressed"));
}

void TestMappingsFile::writesStableBytesThatReadBack()
{
    const MappingsFileRead r = parse(kValid);
    QVERIFY2(r.ok(), qPrintable(errorsOf(r)));
    MappingsFile f = r.file;
    // Awkward text survives: quotes, backslashes, YAML words, control characters, emoji.
    (*f.mappings)[0].owner = QStringLiteral("say \"hi\" \\ yes: null # not a comment");
    (*f.mappings)[0].decision = QStringLiteral("two\nlines\tand 🦊 é");
    (*f.mappings)[1].cohortName = QStringLiteral("true");
    const QByteArray once = writeMappingsFile(f);
    const MappingsFileRead back = parse(once);
    QVERIFY2(back.ok(), qPrintable(errorsOf(back) + QLatin1Char('\n') + QString::fromUtf8(once)));
    QCOMPARE(writeMappingsFile(back.file), once);
    const auto byKey = [](const MappingsFile& file, const QString& key) {
        for (const MappingSpec& m : *file.mappings)
            if (m.key == key)
                return m;
        return MappingSpec{};
    };
    QCOMPARE(byKey(back.file, QStringLiteral("winback")).owner, (*f.mappings)[0].owner);
    QCOMPARE(byKey(back.file, QStringLiteral("winback")).decision, (*f.mappings)[0].decision);
    QCOMPARE(byKey(back.file, QStringLiteral("suppressed")).cohortName, QStringLiteral("true"));
    QCOMPARE(byKey(back.file, QStringLiteral("suppressed")).massExitPercent, 12.5);
    QVERIFY(byKey(back.file, QStringLiteral("winback")).massExitPercent < 0);
    QVERIFY(once.contains("    mass_exit_percent: 12.5\n"));
    QVERIFY(once.contains("    mass_exit_percent: default\n"));
    // Order does not matter to the bytes: mappings by key, pairs by their keys.
    MappingsFile reversed = f;
    std::reverse(reversed.mappings->begin(), reversed.mappings->end());
    QCOMPARE(writeMappingsFile(reversed), writeMappingsFile(f));
}

void TestMappingsFile::jsonReadsLikeYaml()
{
    const QByteArray json = R"({"lockstep": 1,
 "mappings": [{"key": "winback", "segment": 101, "cohort": "CIO | Winback | 45-60d",
               "identity": "email", "paused": true}],
 "watched_pairs": []})";
    const MappingsFileRead r = parse(json);
    QVERIFY2(r.ok(), qPrintable(errorsOf(r)));
    QVERIFY(r.json);
    QCOMPARE(r.file.mappings->first().segmentId, 101);
    QVERIFY(r.file.mappings->first().paused);
    QVERIFY(!r.file.settings);
    // As `jq --tab` writes it: tabs are JSON whitespace, whatever YAML thinks of them.
    const MappingsFileRead tabs =
        parse("{\n\t\"lockstep\": 1,\n\t\"mappings\": [\n\t\t{\"key\": \"a\", \"segment\": 1, "
              "\"cohort\": \"A\", \"identity\": \"id\"}\n\t]\n}\n");
    QVERIFY2(tabs.ok(), qPrintable(errorsOf(tabs)));
    // Strict JSON: what YAML would forgive, a JSON file may not do; the position is exact.
    const MappingsFileRead bad = parse("{\"lockstep\": 1,\n \"mappings\": [],\n}");
    QCOMPARE(bad.errors.size(), 1);
    QVERIFY2(bad.errors.first().message.startsWith(QStringLiteral("not valid JSON")),
             qPrintable(errorsOf(bad)));
    QCOMPARE(bad.errors.first().at.line, 3);
    // Duplicate keys, which QJsonDocument alone would hide.
    const MappingsFileRead dup = parse("{\"lockstep\": 1, \"lockstep\": 1}");
    QCOMPARE(dup.errors.size(), 1);
    QVERIFY(dup.errors.first().message.contains(QStringLiteral("appears twice")));
}

void TestMappingsFile::bomAndCrlfReadAsWithout()
{
    const QByteArray plain = writeMappingsFile(parse(kValid).file);
    QByteArray windows = "\xEF\xBB\xBF" + plain;
    windows.replace("\n", "\r\n");
    const MappingsFileRead r = parse(windows);
    QVERIFY2(r.ok(), qPrintable(errorsOf(r)));
    QCOMPARE(writeMappingsFile(r.file), plain);
    // Positions are a person's: the BOM is not a column, CR not a character.
    QByteArray broken = windows;
    broken.replace("segment: 101", "segment: x01");
    const MappingsFileRead e = parse(broken);
    QCOMPARE(e.errors.size(), 1);
    const int line = int(plain.left(plain.indexOf("segment: 101")).count('\n')) + 1;
    QCOMPARE(e.errors.first().at.line, line);
    QCOMPARE(e.errors.first().at.column, 14);
}

void TestMappingsFile::hostileInput_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");

    const QByteArray head = "lockstep: 1\nmappings:\n  - key: w\n    segment: 1\n";
    QTest::newRow("malformed YAML")
        << QByteArray("lockstep: 1\nmappings: [\n  - key: w\n") << 3 << 3 << "not valid YAML";
    QTest::newRow("unclosed quote")
        << QByteArray("lockstep: 1\nsettings:\n  naming_convention: \"CIO\n") << 3 << 22
        << "not valid YAML: this quoted value is never closed";
    QTest::newRow("tab indentation") << QByteArray("lockstep: 1\nmappings:\n\t- key: w\n") << 3 << 2
                                     << "tabs cannot indent YAML";
    QTest::newRow("unknown key, near one")
        << head + "    cohort: \"C\"\n    identity: email\n    ownr: \"x\"\n"
        << 7 << 5 << "unknown key `ownr`; did you mean `owner`?";
    QTest::newRow("unknown top-level key") << QByteArray("lockstep: 1\nmapings: []\n") << 2 << 1
                                           << "unknown key `mapings`; did you mean `mappings`?";
    QTest::newRow("unknown key, nothing near")
        << head + "    cohort: \"C\"\n    identity: email\n    zzzzzzzz: 1\n"
        << 7 << 5 << "unknown key `zzzzzzzz` (known: key, segment";
    QTest::newRow("unknown setting") << QByteArray("lockstep: 1\nsettings:\n  match_rate_flor: 1\n")
                                     << 3 << 3 << "did you mean `match_rate_floor`?";
    QTest::newRow("duplicate key")
        << head + "    cohort: \"C\"\n    identity: email\n    segment: 2\n"
        << 7 << 5 << "the key `segment` appears twice in this map (first at line 4)";
    QTest::newRow("duplicate mapping key")
        << head + "    cohort: \"C\"\n    identity: email\n  - key: w\n    segment: 2\n    cohort: "
                  "\"D\"\n    identity: id\n"
        << 7 << 5 << "mapping w appears twice (first at line 3)";
    QTest::newRow("missing segment")
        << QByteArray(
               "lockstep: 1\nmappings:\n  - key: w\n    cohort: \"C\"\n    identity: email\n")
        << 3 << 5 << "mapping w: `segment` is missing";
    QTest::newRow("segment not a number")
        << head.left(head.size() - 2) + "x\n    cohort: \"C\"\n    identity: email\n"
        << 4 << 14 << "must be a whole number";
    QTest::newRow("mass-exit share past 100")
        << head + "    cohort: \"C\"\n    identity: email\n    mass_exit_percent: 101\n"
        << 7 << 24
        << "mapping w: mass_exit_percent must be a share from 0 (off) to 100, or "
           "default, not \"101\"";
    QTest::newRow("mass-exit share not a number")
        << head + "    cohort: \"C\"\n    identity: email\n    mass_exit_percent: lots\n"
        << 7 << 24 << "must be a share from 0 (off) to 100, or default, not \"lots\"";
    QTest::newRow("mass-exit share negative")
        << head + "    cohort: \"C\"\n    identity: email\n    mass_exit_percent: -1\n"
        << 7 << 24 << "must be a share from 0 (off) to 100, or default, not \"-1\"";
    QTest::newRow("mass-exit share nan")
        << head + "    cohort: \"C\"\n    identity: email\n    mass_exit_percent: nan\n"
        << 7 << 24 << "not \"nan\"";
    QTest::newRow("empty cohort name") << head + "    cohort: \"  \"\n    identity: email\n"
                                       << 3 << 5 << "mapping w: the cohort name is empty";
    QTest::newRow("cohort name past 255 bytes")
        << head + "    cohort: \"" + QByteArray(300, 'x') + "\"\n    identity: email\n"
        << 3 << 5 << "at most 255 bytes";
    QTest::newRow("cohort name with a control character")
        << head + "    cohort: \"a\\u0007b\"\n    identity: email\n"
        << 5 << 13 << "holds a control character (U+0007)";
    QTest::newRow("flag cohort starting with $")
        << head + "    cohort: \"$email\"\n    identity: email\n    mode: flag\n"
        << 3 << 5 << "may not start with '$'";
    QTest::newRow("bad identity") << head + "    cohort: \"C\"\n    identity: phone\n"
                                  << 6 << 15 << "must be email, id or cio_id, not \"phone\"";
    QTest::newRow("bad mapping key")
        << QByteArray("lockstep: 1\nmappings:\n  - key: \"a b\"\n    segment: 1\n    cohort: "
                      "\"C\"\n    identity: email\n")
        << 3 << 10 << "only letters, digits";
    QTest::newRow("yes is not a boolean")
        << head + "    cohort: \"C\"\n    identity: email\n    paused: yes\n"
        << 7 << 13 << "must be true or false";
    QTest::newRow("invalid naming pattern")
        << QByteArray("lockstep: 1\nsettings:\n  naming_convention: \"CIO | {intent\"\n") << 3 << 22
        << "settings.naming_convention";
    QTest::newRow("setting out of range")
        << QByteArray("lockstep: 1\nsettings:\n  full_resync_days: -1\n") << 3 << 21 << "0 to 3650";
    QTest::newRow("engine setting")
        << QByteArray("lockstep: 1\nsettings:\n  mixpanel_token_proven: \"x\"\n") << 3 << 3
        << "kept by Lockstep itself";
    QTest::newRow("not a lockstep file")
        << QByteArray("mappings: []\n") << 1 << 1 << "`lockstep: 1` is missing";
    QTest::newRow("future format") << QByteArray("lockstep: 2\n") << 1 << 11 << "format 1, not 2";
    QTest::newRow("empty file") << QByteArray("") << 1 << 1 << "the file is empty";
    QTest::newRow("a list, not a map") << QByteArray("- 1\n- 2\n") << 1 << 1 << "must be a map";
    QTest::newRow("empty section")
        << QByteArray("lockstep: 1\nmappings:\n") << 3 << 1 << "mappings is empty: write `[]`";
    QTest::newRow("two documents")
        << QByteArray("lockstep: 1\n---\nlockstep: 1\n") << 2 << 1 << "more than one YAML document";
    QTest::newRow("custom tag") << QByteArray("lockstep: !!python/object 1\n") << 1 << 11
                                << "the tag tag:yaml.org,2002:python/object is not supported";
    QTest::newRow("key is a map") << QByteArray("lockstep: 1\n? {a: 1}\n: 2\n") << 2 << 3
                                  << "a key must be a plain value";
    QTest::newRow("pair to an unknown mapping")
        << head + "    cohort: \"C\"\n    identity: email\nwatched_pairs:\n  - a: w\n    b: nope\n"
        << 8 << 5 << "no mapping has the key nope";
    QTest::newRow("pair with itself")
        << head + "    cohort: \"C\"\n    identity: email\nwatched_pairs:\n  - a: w\n    b: w\n"
        << 8 << 5 << "against itself";
    QTest::newRow("connection with userinfo")
        << QByteArray("lockstep: 1\nconnection:\n  customerio_url: \"https://u:p@cio.example\"\n"
                      "  mixpanel_region: us\n  project_id: 1\n")
        << 3 << 19 << "looks like a secret (it holds credentials in a URL";
    QTest::newRow("connection half given")
        << QByteArray("lockstep: 1\nconnection:\n  customerio_region: us\n  project_id: 1\n") << 3
        << 3 << "give `mixpanel_region`, or both";
    QTest::newRow("token-like owner") << head + "    cohort: \"C\"\n    identity: email\n    "
                                                "owner: \"9f86d081884c7d659a2feaa0c55ad015\"\n"
                                      << 7 << 12 << "looks like a secret";
    QTest::newRow("secret-looking unknown key is not echoed")
        << QByteArray("lockstep: 1\nab12cd34ef56ab78cd90ef12ab34cd56: 1\n") << 2 << 1
        << "an unknown key that looks like a secret";
    QTest::newRow("deep nesting") << QByteArray("lockstep: 1\nmappings: ") + QByteArray(5000, '[') +
                                         QByteArray(5000, ']') + "\n"
                                  << 2 << 26 << "nested deeper than 16 levels";
    QTest::newRow("chained deep aliases")
        << QByteArray("lockstep: 1\na0: &a0 " + QByteArray(13, '[') + "x" + QByteArray(13, ']') +
                      "\na1: &a1 " + QByteArray(13, '[') + "*a0" + QByteArray(13, ']') + "\n")
        << 3 << 22 << "nested deeper than 16 levels";
    // A billion laughs: each line ten aliases of the last, 10^9 values if expanded.
    QByteArray bomb = "lockstep: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 9; ++i) {
        bomb += QStringLiteral("a%1: &a%1 [").arg(i).toLatin1();
        for (int k = 0; k < 10; ++k)
            bomb += (k ? ", *a" : "*a") + QByteArray::number(i - 1);
        bomb += "]\n";
    }
    QTest::newRow("YAML bomb") << bomb << 7 << 10 << "expands to more than 200000 values";
    QTest::newRow("UTF-16") << QByteArray("\xFF\xFEl\0o\0", 6) << 1 << 1 << "UTF-16 or UTF-32";
    QTest::newRow("NUL byte") << QByteArray("lockstep: 1\nmap\0pings: []\n", 25) << 2 << 4
                              << "a NUL byte";
    QTest::newRow("invalid UTF-8") << QByteArray("lockstep: 1\nmappings: [] # caf\xC3\x28\n") << 2
                                   << 19 << "not valid UTF-8 (byte 0xc3)";
    QTest::newRow("overlong UTF-8")
        << QByteArray("lockstep: 1\n# \xC0\xAF\n") << 2 << 3 << "not valid UTF-8";
}

void TestMappingsFile::hostileInput()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const MappingsFileRead r = parse(text);
    QVERIFY2(!r.ok(), "the file was accepted");
    const SpecError& e = r.errors.first();
    QVERIFY2(e.message.contains(message), qPrintable(errorsOf(r)));
    QCOMPARE(e.at.line, line);
    QCOMPARE(e.at.column, column);
    // Secret-looking text never comes back in a message.
    QVERIFY(!errorsOf(r).contains(QStringLiteral("9f86d081884c7d659a2feaa0c55ad015")));
    QVERIFY(!errorsOf(r).contains(QStringLiteral("ab12cd34ef56ab78cd90ef12ab34cd56")));
    QVERIFY(!errorsOf(r).contains(QStringLiteral("u:p@")));
}

void TestMappingsFile::hugeFileIsRefusedBeforeReading()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("huge.yaml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(100 * 1024 * 1024)); // sparse: 100 MB the reader must not load
    f.close();
    const MappingsFileRead r = readMappingsFile(path);
    QCOMPARE(r.errors.size(), 1);
    QVERIFY2(r.errors.first().message.contains(
                 QStringLiteral("the file is 104857600 bytes; a mappings file may have at most "
                                "4194304")),
             qPrintable(errorsOf(r)));
    // The same limit on text handed over in memory.
    QVERIFY(!parse(QByteArray(5 * 1024 * 1024, ' ')).ok());
    const MappingsFileRead missing = readMappingsFile(dir.filePath(QStringLiteral("nope.yaml")));
    QVERIFY(missing.errors.first().message.startsWith(QStringLiteral("cannot read it")));
}

void TestMappingsFile::everyErrorIsReported()
{
    const QByteArray text = "lockstep: 1\n"
                            "mappings:\n"
                            "  - key: a\n"
                            "    segment: 0\n"
                            "    cohort: \"A\"\n"
                            "    identity: phone\n"
                            "  - key: b\n"
                            "    cohort: \"B\"\n"
                            "    identity: id\n"
                            "    colour: red\n";
    const MappingsFileRead r = parse(text);
    QCOMPARE(r.errors.size(), 4);
    QCOMPARE(r.errors[0].at.line, 4); // segment 0
    QCOMPARE(r.errors[1].at.line, 6); // identity
    QCOMPARE(r.errors[2].at.line, 7); // b: segment missing
    QCOMPARE(r.errors[3].at.line, 10);
    QVERIFY(r.errors[3].message.contains(QStringLiteral("`colour`")));
}

void TestMappingsFile::secretShapes_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("secret");
    QTest::newRow("cohort name") << "CIO | Winback | 45-60d" << false;
    QTest::newRow("spring campaign") << "cio spring launch 30 days" << false;
    QTest::newRow("key with a year") << "winback2024springcampaignv2final" << false;
    QTest::newRow("board URL")
        << "https://mixpanel.com/project/3141592/view/2718281/app/boards#id=1234567" << false;
    QTest::newRow("uuid") << "550e8400-e29b-41d4-a716-446655440000" << false;
    QTest::newRow("e-mail owner") << "maya.retention+alerts@shop.example" << false;
    QTest::newRow("hex token") << "9f86d081884c7d659a2feaa0c55ad015" << true;
    QTest::newRow("base62 secret") << "sk3Fh9QmZ2vL8xR4tY7uW1pN6cB0" << true;
    QTest::newRow("jwt")
        << "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N" << true;
    QTest::newRow("bearer") << "Authorization: Bearer abcdefgh12" << true;
    QTest::newRow("url password") << "https://user:hunter2@db.example/x" << true;
    QTest::newRow("url token parameter") << "https://hooks.example/x?token=abc" << true;
    QTest::newRow("pem") << "-----BEGIN PRIVATE KEY-----" << true;
}

void TestMappingsFile::secretShapes()
{
    QFETCH(QString, value);
    QFETCH(bool, secret);
    QCOMPARE(!secretReason(value).isEmpty(), secret);
    // Whatever its shape, a credential this process holds is refused.
    QVERIFY(
        !secretReason(QStringLiteral("owner: plainword"), {QStringLiteral("plainword")}).isEmpty());
}

void TestMappingsFile::planEachKindOfChange()
{
    WorkspaceState state;
    Mapping kept = mapping(1, QStringLiteral("kept"), 11, QStringLiteral("Kept"));
    Mapping edited = mapping(2, QStringLiteral("edited"), 12, QStringLiteral("Edited"));
    Mapping paused = mapping(3, QStringLiteral("to-pause"), 13, QStringLiteral("P"));
    Mapping resumed = mapping(4, QStringLiteral("to-resume"), 14, QStringLiteral("R"));
    resumed.paused = true;
    Mapping gone = mapping(5, QStringLiteral("gone"), 15, QStringLiteral("G"));
    Mapping rekeyed = mapping(6, QStringLiteral("rekeyed"), 16, QStringLiteral("K"));
    state.mappings = {kept, edited, paused, resumed, gone, rekeyed};
    state.pairs = {WatchedPair{1, 5, QStringLiteral("old"), 0},
                   WatchedPair{1, 2, QStringLiteral("label"), 0}};

    MappingsFile file;
    file.mappings = QList<MappingSpec>{
        MappingSpec::fromMapping(kept, 0),
        MappingSpec::fromMapping(edited, 0),
        MappingSpec::fromMapping(paused, 0),
        MappingSpec::fromMapping(resumed, 0),
        MappingSpec::fromMapping(rekeyed, 0),
        spec(QStringLiteral("new"), 17, QStringLiteral("New")),
    };
    (*file.mappings)[1].owner = QStringLiteral("Jon");
    (*file.mappings)[1].latencyExpectationMinutes = 45;
    (*file.mappings)[2].paused = true;
    (*file.mappings)[3].paused = false;
    (*file.mappings)[4].identity = IdentityKey::CioId;
    file.watchedPairs = QList<WatchedPairSpec>{
        {QStringLiteral("edited"), QStringLiteral("kept"), QStringLiteral("relabelled"), {}},
        {QStringLiteral("kept"), QStringLiteral("new"), QString(), {}}};

    const SpecPlan plan = planMappingsFile(file, state);
    QVERIFY(plan.errors.isEmpty());
    QMap<QString, MappingChange> byKey;
    for (const MappingChange& c : plan.mappings)
        byKey.insert(c.key, c);
    QCOMPARE(byKey.size(), 6); // not "kept"
    QVERIFY(!byKey.contains(QStringLiteral("kept")));
    QCOMPARE(byKey[QStringLiteral("new")].action, MappingAction::Create);
    QCOMPARE(byKey[QStringLiteral("edited")].action, MappingAction::Update);
    QCOMPARE(byKey[QStringLiteral("edited")].fields.size(), 2);
    QCOMPARE(byKey[QStringLiteral("edited")].fields[0].field, QStringLiteral("owner"));
    QCOMPARE(byKey[QStringLiteral("edited")].fields[0].to, QStringLiteral("\"Jon\""));
    QCOMPARE(byKey[QStringLiteral("edited")].fields[1].field,
             QStringLiteral("latency_expectation_minutes"));
    QCOMPARE(byKey[QStringLiteral("to-pause")].action, MappingAction::Pause);
    QCOMPARE(byKey[QStringLiteral("to-resume")].action, MappingAction::Resume);
    QCOMPARE(byKey[QStringLiteral("gone")].action, MappingAction::Delete);
    QCOMPARE(byKey[QStringLiteral("gone")].mappingId, 5);
    // A changed identity key is a new version, as in the console.
    const MappingChange& v = byKey[QStringLiteral("rekeyed")];
    QCOMPARE(v.action, MappingAction::NewVersion);
    QCOMPARE(v.why, QStringLiteral("identity"));
    QCOMPARE(v.fromVersion, 1);
    QCOMPARE(v.toVersion, 2);
    QCOMPARE(plan.touchedMappings(), (QList<qint64>{2, 3, 4, 5, 6}));

    QCOMPARE(plan.pairs.size(), 3);
    const auto pairText = [](const PairChange& p) {
        return QStringLiteral("%1 %2/%3 %4").arg(int(p.kind)).arg(p.a, p.b, p.label);
    };
    QStringList pairs;
    for (const PairChange& p : plan.pairs)
        pairs << pairText(p);
    QCOMPARE(pairs, (QStringList{QStringLiteral("2 edited/kept relabelled"),
                                 QStringLiteral("0 kept/new "), QStringLiteral("1 gone/kept ")}));

    const QString text = planText(plan);
    QVERIFY2(text.contains(QStringLiteral("! new version rekeyed (mapping 6): v1 -> v2 (identity "
                                          "changed")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("      identity: email -> cio_id")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("  - delete gone (mapping 5)")));
    QVERIFY(text.contains(QStringLiteral("  + create new")));
    QVERIFY(text.contains(QStringLiteral("  | pause to-pause (mapping 3)")));
    QVERIFY(text.contains(QStringLiteral("  > resume to-resume (mapping 4)")));
    QVERIFY(text.endsWith(QStringLiteral("Plan: mappings: 1 to create, 1 to update, 1 new "
                                         "version(s), 1 to pause, 1 to resume, 1 to delete; "
                                         "watched pairs: 3 change(s).\n")));

    // The same state as a file plans nothing.
    WorkspaceState same = state;
    QVERIFY(planMappingsFile(mappingsFileFromState(same), same).isEmpty());
}

void TestMappingsFile::planNewVersionRules()
{
    WorkspaceState state;
    Mapping m = mapping(7, QStringLiteral("k"), 11, QStringLiteral("C"));
    m.version = 3;
    state.mappings = {m};
    const auto planFor = [&](const std::function<void(MappingSpec&)>& edit) {
        MappingSpec s = MappingSpec::fromMapping(m, 0);
        edit(s);
        MappingsFile f;
        f.mappings = QList<MappingSpec>{s};
        return planMappingsFile(f, state);
    };
    // Another segment: version + 1, even when the file still says the old number.
    SpecPlan p = planFor([](MappingSpec& s) { s.segmentId = 12; });
    QCOMPARE(p.mappings.first().action, MappingAction::NewVersion);
    QCOMPARE(p.mappings.first().toVersion, 4);
    QCOMPARE(p.mappings.first().why, QStringLiteral("segment"));
    // The file may name a later one.
    p = planFor([](MappingSpec& s) {
        s.segmentId = 12;
        s.identity = IdentityKey::Id;
        s.version = 9;
    });
    QCOMPARE(p.mappings.first().toVersion, 9);
    QCOMPARE(p.mappings.first().why, QStringLiteral("segment, identity"));
    // A raised version alone asks for one.
    p = planFor([](MappingSpec& s) { s.version = 4; });
    QCOMPARE(p.mappings.first().action, MappingAction::NewVersion);
    QCOMPARE(p.mappings.first().why, QStringLiteral("version"));
    // A file behind the workspace's number asks for nothing: versions never go down.
    QVERIFY(planFor([](MappingSpec& s) { s.version = 1; }).isEmpty());
    // A new cohort name alone is an edit in place.
    p = planFor([](MappingSpec& s) { s.cohortName = QStringLiteral("C | v4"); });
    QCOMPARE(p.mappings.first().action, MappingAction::Update);
    // In flag mode the list property means nothing and is not compared.
    Mapping flag = m;
    flag.mode = SyncMode::Flag;
    flag.listProperty = QStringLiteral("other");
    state.mappings = {flag};
    MappingsFile f;
    f.mappings = QList<MappingSpec>{MappingSpec::fromMapping(flag, 0)};
    (*f.mappings)[0].listProperty = QStringLiteral("cio_cohorts");
    QVERIFY(planMappingsFile(f, state).isEmpty());
}

void TestMappingsFile::planSectionsLeftOutAreLeftAlone()
{
    WorkspaceState state;
    state.mappings = {mapping(1, QStringLiteral("a"), 1, QStringLiteral("A")),
                      mapping(2, QStringLiteral("b"), 2, QStringLiteral("B"))};
    state.connection = ConnectionSettings::forRegion(QStringLiteral("us"), 5);
    for (const SettingKey& k : settingKeys())
        if (k.scope == SettingScope::Workspace)
            state.settings.append({&k, settingDefault(k)});
    // Only pairs: nothing else is planned, and the keys are the workspace's.
    MappingsFile pairsOnly;
    pairsOnly.watchedPairs =
        QList<WatchedPairSpec>{{QStringLiteral("a"), QStringLiteral("b"), QString(), {}}};
    SpecPlan p = planMappingsFile(pairsOnly, state);
    QCOMPARE(p.pairs.size(), 1);
    QVERIFY(p.mappings.isEmpty() && p.settings.isEmpty() && p.connection.isEmpty());
    pairsOnly.watchedPairs->first().b = QStringLiteral("zz");
    p = planMappingsFile(pairsOnly, state);
    QCOMPARE(p.errors.size(), 1);
    QVERIFY(p.errors.first().message.contains(QStringLiteral("no mapping has the key zz")));

    // A settings section: what it leaves out goes back to the default.
    state.settings[0].second = QStringLiteral("ACME | {intent}");
    MappingsFile settingsOnly;
    settingsOnly.settings = parse("lockstep: 1\nsettings: {}\n").file.settings;
    p = planMappingsFile(settingsOnly, state);
    QCOMPARE(p.settings.size(), 1);
    QCOMPARE(p.settings.first().to, settingDefault(*keys::NamingConvention));

    // A connection by region matches the same region stored; another project id does not.
    MappingsFile conn;
    conn.connection = ConnectionSpec::fromSettings(*state.connection);
    QVERIFY(planMappingsFile(conn, state).isEmpty());
    conn.connection->projectId = 6;
    p = planMappingsFile(conn, state);
    QCOMPARE(p.connection.size(), 1);
    QCOMPARE(p.connection.first().field, QStringLiteral("project_id"));
}

void TestMappingsFile::planJsonAndSummary()
{
    WorkspaceState state;
    MappingsFile file;
    file.mappings = QList<MappingSpec>{spec(QStringLiteral("n"), 3, QStringLiteral("N"))};
    const SpecPlan plan = planMappingsFile(file, state);
    const QJsonObject o = planJson(plan);
    QCOMPARE(o.value(QStringLiteral("pending")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("summary")).toObject().value(QStringLiteral("create")).toInt(),
             1);
    const QJsonObject c = o.value(QStringLiteral("mappings")).toArray().first().toObject();
    QCOMPARE(c.value(QStringLiteral("action")).toString(), QStringLiteral("create"));
    QCOMPARE(c.value(QStringLiteral("key")).toString(), QStringLiteral("n"));
    QVERIFY(!c.contains(QStringLiteral("mapping_id")));
    QCOMPARE(planSummary(SpecPlan{}),
             QStringLiteral("No changes: the workspace matches the file."));
    QCOMPARE(planJson(SpecPlan{}).value(QStringLiteral("pending")).toBool(), false);
}

// Channels in the file: every field read, written sorted by key in stable bytes that read
// back the same; JSON alike.
void TestMappingsFile::notificationsReadAndWrite()
{
    const MappingsFileRead r = parse(kChannels);
    QVERIFY2(r.ok(), qPrintable(errorsOf(r)));
    QVERIFY(r.file.notifications);
    QCOMPARE(r.file.notifications->size(), 3);
    const ChannelSpec& slack = r.file.notifications->at(0);
    QCOMPARE(slack.key, QStringLiteral("oncall-slack"));
    QCOMPARE(slack.kind, ChannelKind::Slack);
    QCOMPARE(slack.name, QStringLiteral("On-call"));
    QCOMPARE(slack.severities,
             (QList<AlertSeverity>{AlertSeverity::Warning, AlertSeverity::Critical}));
    QCOMPARE(*slack.mappings,
             (QStringList{QStringLiteral("suppressed"), QStringLiteral("winback")})); // sorted
    QCOMPARE(slack.at.line, 12);
    const ChannelSpec& hook = r.file.notifications->at(1);
    QCOMPARE(hook.kind, ChannelKind::Webhook);
    QVERIFY(!hook.mappings); // every mapping
    QCOMPARE(hook.headerNames, (QStringList{QStringLiteral("X-Team"), QStringLiteral("X-Env")}));
    QCOMPARE(hook.severities, (QList<AlertSeverity>{AlertSeverity::Critical,
                                                    AlertSeverity::Warning})); // the default
    const ChannelSpec& mail = r.file.notifications->at(2);
    QCOMPARE(mail.kind, ChannelKind::Email);
    QCOMPARE(mail.smtpUrl, QStringLiteral("smtps://alerts@smtp.example.com:465"));
    QCOMPARE(mail.mailFrom, QStringLiteral("lockstep@example.com"));
    QCOMPARE(mail.mailTo.size(), 2);
    QVERIFY(mail.mailMonitor);
    QCOMPARE(mail.severities, QList<AlertSeverity>{AlertSeverity::Critical});
    const NotificationChannel row = mail.toChannel({});
    QCOMPARE(row.target, QStringLiteral("smtps://smtp.example.com:465")); // no user shown

    const QByteArray once = writeMappingsFile(r.file);
    for (const char* line :
         {"\nnotifications:\n  - key: \"monitors\"\n    kind: email\n",
          "    severities: [critical, warning]\n    mappings: [\"suppressed\", \"winback\"]\n",
          "    headers: [\"X-Team\", \"X-Env\"]\n",
          "    smtp: \"smtps://alerts@smtp.example.com:465\"\n",
          "    to: [\"oncall@example.com\", \"growth@example.com\"]\n    to_monitor: true\n"})
        QVERIFY2(once.contains(line), qPrintable(QString::fromUtf8(once)));
    QVERIFY(once.indexOf("key: \"monitors\"") < once.indexOf("key: \"oncall-slack\""));
    QVERIFY(once.indexOf("key: \"oncall-slack\"") < once.indexOf("key: \"ops.hook\""));
    const MappingsFileRead back = parse(once);
    QVERIFY2(back.ok(), qPrintable(errorsOf(back) + QLatin1Char('\n') + QString::fromUtf8(once)));
    QCOMPARE(writeMappingsFile(back.file), once);
    MappingsFile reversed = r.file;
    std::reverse(reversed.notifications->begin(), reversed.notifications->end());
    QCOMPARE(writeMappingsFile(reversed), once);

    // `notifications: []`: no channels; left out: not managed.
    QVERIFY(parse("lockstep: 1\nnotifications: []\n").file.notifications->isEmpty());
    QVERIFY(!parse("lockstep: 1\n").file.notifications);
    // `mappings: []`: none (a channel whose mappings are all gone), written back as such.
    const MappingsFileRead none =
        parse("lockstep: 1\nnotifications:\n  - key: x\n    kind: teams\n    mappings: []\n");
    QVERIFY2(none.ok(), qPrintable(errorsOf(none)));
    QVERIFY(none.file.notifications->first().mappings->isEmpty());
    QVERIFY(writeMappingsFile(none.file).contains("    mappings: []\n"));

    const MappingsFileRead json = parse(
        R"({"lockstep": 1, "notifications": [{"key": "oncall-slack", "kind": "slack",
            "name": "On-call", "severities": ["critical"], "mappings": ["winback"]}]})");
    QVERIFY2(json.ok(), qPrintable(errorsOf(json)));
    QCOMPARE(*json.file.notifications->first().mappings, QStringList{QStringLiteral("winback")});
}

void TestMappingsFile::notificationsHostile_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    const QByteArray head = "lockstep: 1\nmappings:\n  - key: w\n    segment: 1\n    cohort: "
                            "\"C\"\n    identity: email\nnotifications:\n";
    const QByteArray slack = head + "  - key: oncall-slack\n    kind: slack\n";
    const QByteArray mail = head + "  - key: mail\n    kind: email\n    from: a@example.com\n"
                                   "    to: [b@example.com]\n";
    QTest::newRow("a webhook URL")
        << slack + "    url: \"https://hooks.slack.com/services/T0/B0/xoxToken123\"\n"
        << 10 << 5
        << "notification oncall-slack: `url` is a secret, and a mappings file never holds one: "
           "give it to each process that delivers alerts as LOCKSTEP_NOTIFY_ONCALL_SLACK_URL";
    QTest::newRow("a signing secret")
        << head + "  - key: hook\n    kind: webhook\n    secret: hunter2\n"
        << 10 << 5
        << "`secret` is a secret, and a mappings file never holds one: give it to each process "
           "that delivers alerts as LOCKSTEP_NOTIFY_HOOK_HMAC_SECRET";
    QTest::newRow("an SMTP password key") << mail + "    password: hunter2\n"
                                          << 12 << 5 << "as LOCKSTEP_NOTIFY_MAIL_SMTP_PASSWORD";
    QTest::newRow("an SMTP address with a password")
        << mail + "    smtp: \"smtps://alerts:hunter2@smtp.example.com\"\n"
        << 12 << 11
        << "notification mail: smtp holds a password, and a mappings file never holds one: "
           "leave it out of the address and give it to each process that delivers alerts as "
           "LOCKSTEP_NOTIFY_MAIL_SMTP_PASSWORD";
    QTest::newRow("header values as a map")
        << head + "  - key: hook\n    kind: webhook\n    headers: {X-Team: growth}\n"
        << 10 << 14 << "headers holds header names only: a header's value is a secret";
    QTest::newRow("a header with its value")
        << head + "  - key: hook\n    kind: webhook\n    headers: [\"Authorization: Bearer x\"]\n"
        << 10 << 15
        << "give the values to each process that delivers alerts as "
           "LOCKSTEP_NOTIFY_HOOK_HEADERS";
    QTest::newRow("a token-like name") << slack + "    name: \"9f86d081884c7d659a2feaa0c55ad015\"\n"
                                       << 10 << 11 << "looks like a secret";
    QTest::newRow("unknown key, near one") << slack + "    severites: [critical]\n"
                                           << 10 << 5
                                           << "unknown key `severites`; did you mean "
                                              "`severities`?";
    QTest::newRow("unknown top-level key, near one")
        << QByteArray("lockstep: 1\nnotification: []\n") << 2 << 1
        << "unknown key `notification`; did you mean `notifications`?";
    QTest::newRow("a mapping key the file does not have")
        << slack + "    mappings: [w, nope]\n"
        << 10 << 19 << "notification oncall-slack: mappings: no mapping has the key nope";
    QTest::newRow("unknown kind") << head + "  - key: p\n    kind: pager\n"
                                  << 9 << 11
                                  << "must be slack, teams, webhook or email, not \"pager\"";
    QTest::newRow("kind missing") << head + "  - key: p\n    name: x\n"
                                  << 8 << 5 << "notification p: `kind` is missing";
    QTest::newRow("key missing") << head + "  - kind: slack\n" << 8 << 5 << "`key` is missing";
    QTest::newRow("digits alone") << head + "  - key: \"3\"\n    kind: slack\n"
                                  << 8 << 10 << "may not be digits alone";
    QTest::newRow("headers on slack") << slack + "    headers: [X-Team]\n"
                                      << 10 << 14 << "headers is for kind webhook, not slack";
    QTest::newRow("smtp on teams") << head + "  - key: t\n    kind: teams\n    smtp: smtp://h\n"
                                   << 10 << 11 << "smtp is for kind email, not teams";
    QTest::newRow("e-mail without smtp") << mail << 8 << 5 << "`smtp` is missing (kind email)";
    QTest::newRow("e-mail to nobody")
        << head + "  - key: m\n    kind: email\n    smtp: smtp://h\n    from: a@example.com\n"
        << 8 << 5 << "needs `to` or `to_monitor: true`";
    QTest::newRow("not an address") << mail + "    smtp: smtp://h\n    cc: x\n"
                                    << 13 << 5 << "unknown key `cc`";
    QTest::newRow("bad recipient")
        << head + "  - key: m\n    kind: email\n    smtp: smtp://h\n    from: a@example.com\n"
                  "    to: [\"Ana <a@x>\"]\n"
        << 12 << 10 << "not an e-mail address";
    QTest::newRow("not an SMTP address")
        << mail + "    smtp: \"https://smtp.example.com\"\n"
        << 12 << 11 << "must start with smtp:// (STARTTLS) or smtps:// (implicit TLS)";
    QTest::newRow("unknown severity")
        << slack + "    severities: [critical, urgent]\n"
        << 10 << 28 << "must be critical, warning or info, not \"urgent\"";
    QTest::newRow("no severity") << slack + "    severities: []\n"
                                 << 10 << 17 << "name at least one";
    QTest::newRow("severities not a list") << slack + "    severities: critical\n"
                                           << 10 << 17 << "must be a list";
    QTest::newRow("channel twice") << slack + "  - key: oncall-slack\n    kind: teams\n"
                                   << 10 << 5
                                   << "notification oncall-slack appears twice (first at "
                                      "line 8)";
    QTest::newRow("the same variables")
        << slack + "  - key: ONCALL_slack\n    kind: teams\n"
        << 10 << 5 << "names the same environment variables (LOCKSTEP_NOTIFY_ONCALL_SLACK_*)";
    QTest::newRow("empty section") << QByteArray("lockstep: 1\nnotifications:\n") << 3 << 1
                                   << "notifications is empty: write `[]`";
}

void TestMappingsFile::notificationsHostile()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const MappingsFileRead r = parse(text);
    QVERIFY2(!r.ok(), "the file was accepted");
    const SpecError& e = r.errors.first();
    QVERIFY2(e.message.contains(message), qPrintable(errorsOf(r)));
    QVERIFY2(e.at.line == line && e.at.column == column, qPrintable(errorsOf(r)));
    // A secret is never echoed back.
    for (const char* secret :
         {"hunter2", "xoxToken123", "growth", "Bearer x", "9f86d081884c7d659a2feaa0c55ad015"})
        QVERIFY2(!errorsOf(r).contains(QLatin1String(secret)), qPrintable(errorsOf(r)));
}

// Channels planned from a state made by hand: create, update (each field), delete; a
// channel naming a mapping the workspace has not; a file without the section leaves them.
void TestMappingsFile::planNotificationChannels()
{
    WorkspaceState state;
    state.mappings = {mapping(1, QStringLiteral("a"), 1, QStringLiteral("A")),
                      mapping(2, QStringLiteral("b"), 2, QStringLiteral("B"))};
    NotificationChannel kept;
    kept.id = 4;
    kept.key = QStringLiteral("kept");
    kept.kind = ChannelKind::Teams;
    kept.mappingIds = {2, 99}; // 99: a mapping since deleted
    NotificationChannel edited = kept;
    edited.id = 5;
    edited.key = QStringLiteral("edited");
    edited.kind = ChannelKind::Slack;
    edited.mappingIds = {};
    NotificationChannel gone = kept;
    gone.id = 6;
    gone.key = QStringLiteral("gone");
    gone.kind = ChannelKind::Webhook;
    state.channels = {kept, edited, gone};

    MappingsFile file = mappingsFileFromState(state);
    QCOMPARE(*file.notifications->at(0).mappings, QStringList{QStringLiteral("b")});
    QVERIFY(planMappingsFile(file, state).isEmpty());
    file.notifications->removeAt(2); // gone
    (*file.notifications)[1].severities = {AlertSeverity::Critical};
    (*file.notifications)[1].mappings = QStringList{QStringLiteral("a")};
    ChannelSpec added;
    added.key = QStringLiteral("added");
    added.kind = ChannelKind::Email;
    added.smtpUrl = QStringLiteral("smtp://h");
    added.mailFrom = QStringLiteral("a@example.com");
    added.mailMonitor = true;
    file.notifications->append(added);
    file.mappings.reset(); // mapping keys are the workspace's

    const SpecPlan plan = planMappingsFile(file, state);
    QVERIFY(plan.errors.isEmpty());
    QCOMPARE(plan.channels.size(), 3);
    QCOMPARE(plan.channels[0].key, QStringLiteral("added"));
    QCOMPARE(plan.channels[0].kind, ChannelChange::Kind::Create);
    QCOMPARE(plan.channels[1].key, QStringLiteral("edited"));
    QCOMPARE(plan.channels[1].kind, ChannelChange::Kind::Update);
    QCOMPARE(plan.channels[1].channelId, 5);
    QCOMPARE(plan.channels[1].fields.size(), 2);
    QCOMPARE(plan.channels[1].fields[0].field, QStringLiteral("severities"));
    QCOMPARE(plan.channels[1].fields[0].from, QStringLiteral("critical, warning"));
    QCOMPARE(plan.channels[1].fields[0].to, QStringLiteral("critical"));
    QCOMPARE(plan.channels[1].fields[1].from, QStringLiteral("(every mapping)"));
    QCOMPARE(plan.channels[2].kind, ChannelChange::Kind::Delete);
    QCOMPARE(plan.channels[2].channelId, 6);
    const QString text = planText(plan);
    for (const char* line :
         {"  + create notification added\n      kind: email\n",
          "  ~ update notification edited (channel 5)\n      severities: critical, warning -> "
          "critical\n      mappings: (every mapping) -> a\n",
          "  - delete notification gone (channel 6)\n      kind: webhook\n",
          "Plan: notification channels: 1 to create, 1 to update, 1 to delete.\n"})
        QVERIFY2(text.contains(QLatin1String(line)), qPrintable(text));
    const QJsonObject o = planJson(plan);
    const QJsonArray channels = o.value(QStringLiteral("notification_channels")).toArray();
    QCOMPARE(channels.size(), 3);
    QCOMPARE(channels[1].toObject().value(QStringLiteral("action")).toString(),
             QStringLiteral("update"));
    QCOMPARE(channels[1].toObject().value(QStringLiteral("channel_id")).toInt(), 5);
    QCOMPARE(channels[2].toObject().value(QStringLiteral("kind")).toString(),
             QStringLiteral("webhook"));
    QCOMPARE(o.value(QStringLiteral("summary"))
                 .toObject()
                 .value(QStringLiteral("notification_channels"))
                 .toInt(),
             3);
    // Every field the plan had before is still there.
    for (const char* key :
         {"pending", "summary", "connection", "settings", "mappings", "watched_pairs"})
        QVERIFY(o.contains(QLatin1String(key)));

    (*file.notifications)[1].mappings = QStringList{QStringLiteral("zz")};
    const SpecPlan bad = planMappingsFile(file, state);
    QCOMPARE(bad.errors.size(), 1);
    QVERIFY(bad.errors.first().message.contains(
        QStringLiteral("notification edited: no mapping has the key zz")));

    // No `notifications:`: channels left as they are.
    MappingsFile none = mappingsFileFromState(state);
    none.notifications.reset();
    QVERIFY(planMappingsFile(none, state).isEmpty());
    // `notifications: []`: every channel deleted.
    none.notifications.emplace();
    QCOMPARE(planMappingsFile(none, state).count(ChannelChange::Kind::Delete), 3);
}

QTEST_GUILESS_MAIN(TestMappingsFile)
#include "tst_mappingsfile.moc"
