// The settings key table: well formed, defaults equal to the structs they configure,
// validation with messages that name the valid values, typed round trips through a
// workspace, workspaces written under the old key names read the same, and the
// environment overrides. Runs on both stores (tst_settingkeys_pg, see tests/pg).
#include "config/settings.h"
#include "config/workspacesettings.h"
#include "engine/engineoptions.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "testdatabase.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::TestDatabase;

namespace {

// A valid value other than the default, for every workspace key.
QString otherValue(const SettingKey& k)
{
    switch (k.type) {
    case SettingType::Pattern:
        return QStringLiteral("ACME | {intent} | {window}");
    case SettingType::Text:
        return QStringLiteral("something else");
    case SettingType::Integer:
    case SettingType::Number:
        break;
    }
    return settingText(k.fallback == k.max ? k.min : k.max);
}

} // namespace

class TestSettingKeys : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tableIsWellFormed();
    void defaultsAreTheStructs();
    void validation_data();
    void validation();
    void freshWorkspaceReadsTheDefaults();
    void everyWorkspaceKeyRoundTrips();
    void settingsRoundTrip();
    void oldKeyNamesReadTheSame();
    void invalidStoredValueReadsAsDefault();
    void invalidSettingsWriteNothing();
    void editorKeepsWhatChangedElsewhere();
    void environmentOverrides();

private:
    std::unique_ptr<Workspace> open();
    QTemporaryDir m_dir;
};

std::unique_ptr<Workspace> TestSettingKeys::open()
{
    auto ws = Workspace::open(TestDatabase::freshWorkspace(m_dir.path()));
    if (!ws) {
        qWarning() << ws.error().toString();
        return nullptr;
    }
    return std::move(*ws);
}

void TestSettingKeys::tableIsWellFormed()
{
    QSet<QString> names, stored;
    for (const SettingKey& k : settingKeys()) {
        const QString name = QString::fromUtf8(k.name);
        QVERIFY2(!names.contains(name), k.name);
        QVERIFY2(!stored.contains(QString::fromUtf8(k.storedAs)), k.storedAs);
        names.insert(name);
        stored.insert(QString::fromUtf8(k.storedAs));
        QVERIFY2(*k.description, k.name);
        QCOMPARE(findSettingKey(name), &k);
        QCOMPARE(findSettingKey(QString::fromUtf8(k.storedAs)), &k);
        // The default passes the key's own validation, unchanged.
        auto canonical = normalizeSetting(k, settingDefault(k));
        QVERIFY2(canonical.ok(), qPrintable(canonical.error().message));
        QCOMPARE(*canonical, settingDefault(k));
        if (k.isNumeric())
            QVERIFY2(k.min <= k.fallback && k.fallback <= k.max, k.name);
    }
    QVERIFY(!findSettingKey(QStringLiteral("no_such_key")));
}

void TestSettingKeys::defaultsAreTheStructs()
{
    const WorkspaceSettings d;
    QCOMPARE(d.thresholds, HealthThresholds{});
    QCOMPARE(d.naming, NamingConvention{});
    QCOMPARE(keys::NamingConvention.fallback(), NamingConvention{}.pattern);
    // The documented defaults (README, `lockstep help`).
    QCOMPARE(d.defaultScheduleMinutes, 60);
    QCOMPARE(d.fullResyncDays, 7.0);
    QCOMPARE(d.cohortCheckMinutes, 10.0);
    QCOMPARE(d.exitCheckLimit, 500);
    QCOMPARE(d.verifySample, 1000);
    QCOMPARE(keys::CollapseWindowDays.fallback(), 7);
    QCOMPARE(keys::WowToleranceHours.fallback(), 24);
    QCOMPARE(keys::DriftMaxAgeDays.fallback(), 2);
    QCOMPARE(keys::NotReadyFactor.fallback(), 2.0);
    QCOMPARE(keys::MatchRateFloor.fallback(), 0.95);
    QVERIFY(validateWorkspaceSettings(d).ok());
}

void TestSettingKeys::validation_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("canonical"); // empty: refused
    QTest::addColumn<QString>("message");   // part of the refusal

    auto ok = [](const char* row, const char* key, const QString& text, const QString& canonical) {
        QTest::newRow(row) << QString::fromLatin1(key) << text << canonical << QString();
    };
    auto bad = [](const char* row, const char* key, const QString& text, const QString& message) {
        QTest::newRow(row) << QString::fromLatin1(key) << text << QString() << message;
    };
    ok("days", "full_resync_days", QStringLiteral("7"), QStringLiteral("7"));
    ok("half a day", "full_resync_days", QStringLiteral("0.5"), QStringLiteral("0.5"));
    ok("days spaced", "full_resync_days", QStringLiteral(" 30 "), QStringLiteral("30"));
    ok("never", "full_resync_days", QStringLiteral("0"), QStringLiteral("0"));
    bad("negative", "full_resync_days", QStringLiteral("-1"),
        QStringLiteral("full_resync_days takes a number from 0 to 3650 days, not \"-1\""));
    bad("words", "full_resync_days", QStringLiteral("seven"),
        QStringLiteral("from 0 to 3650 days"));
    bad("empty", "cohort_check_minutes", QString(), QStringLiteral("from 0 to 1440 minutes"));
    bad("nan", "cohort_check_minutes", QStringLiteral("nan"), QStringLiteral("from 0 to 1440"));
    bad("inf", "cohort_check_minutes", QStringLiteral("inf"), QStringLiteral("from 0 to 1440"));
    ok("schedule", "default_schedule_minutes", QStringLiteral("10080"), QStringLiteral("10080"));
    bad("schedule zero", "default_schedule_minutes", QStringLiteral("0"),
        QStringLiteral("a whole number from 1 to 10080 minutes"));
    bad("schedule fraction", "default_schedule_minutes", QStringLiteral("1.5"),
        QStringLiteral("a whole number"));
    ok("exit check off", "exit_check_limit", QStringLiteral("0"), QStringLiteral("0"));
    bad("exit check past cap", "exit_check_limit", QStringLiteral("1000001"),
        QStringLiteral("from 0 to 1000000 exits"));
    bad("sample past cap", "verify_sample", QStringLiteral("1001"),
        QStringLiteral("from 0 to 1000"));
    ok("floor", "match_rate_floor", QStringLiteral("0.99"), QStringLiteral("0.99"));
    bad("floor as percent", "match_rate_floor", QStringLiteral("99"),
        QStringLiteral("from 0 to 1"));
    ok("not ready", "not_ready_factor", QStringLiteral("3"), QStringLiteral("3"));
    bad("not ready below one", "not_ready_factor", QStringLiteral("0.5"),
        QStringLiteral("from 1 to 100 x schedule"));
    ok("stored name", "health.drift_percent", QStringLiteral("5"), QStringLiteral("5"));
    ok("pattern", "naming_convention", QStringLiteral("ACME | {intent} | {window}"),
       QStringLiteral("ACME | {intent} | {window}"));
    ok("pattern trimmed", "naming_convention", QStringLiteral("  ACME | {intent}  "),
       QStringLiteral("ACME | {intent}"));
    bad("pattern unclosed", "naming_convention", QStringLiteral("ACME | {intent"),
        QStringLiteral("column 8"));
    bad("pattern empty", "naming_convention", QString(), QStringLiteral("a naming pattern"));
}

void TestSettingKeys::validation()
{
    QFETCH(QString, key);
    QFETCH(QString, text);
    QFETCH(QString, canonical);
    QFETCH(QString, message);
    const SettingKey* k = findSettingKey(key);
    QVERIFY(k);
    auto r = normalizeSetting(*k, text);
    if (canonical.isEmpty()) {
        QVERIFY(!r);
        QCOMPARE(r.error().category, SyncError::Category::Config);
        QVERIFY2(r.error().message.contains(message), qPrintable(r.error().message));
        QVERIFY2(r.error().message.startsWith(QString::fromUtf8(k->name)),
                 qPrintable(r.error().message));
    } else {
        QVERIFY2(r.ok(), qPrintable(r.error().message));
        QCOMPARE(*r, canonical);
    }
}

void TestSettingKeys::freshWorkspaceReadsTheDefaults()
{
    auto ws = open();
    QVERIFY(ws);
    auto s = readWorkspaceSettings(*ws);
    QVERIFY2(s.ok(), qPrintable(s.error().message));
    QCOMPARE(*s, WorkspaceSettings{});
    Settings settings(*ws);
    QCOMPARE(*settings.get(keys::FullResyncDays), 7.0);
    QCOMPARE(*settings.get(keys::NamingConvention), NamingConvention{}.pattern);
    QCOMPARE(*settings.get(keys::CohortsCheckedAtMs), qint64(0));
    auto r = settings.read(*keys::ExitCheckLimit);
    QVERIFY(r);
    QVERIFY(!r->stored);
    QCOMPARE(r->value, QStringLiteral("500"));
}

void TestSettingKeys::everyWorkspaceKeyRoundTrips()
{
    // Each key reaches its field of WorkspaceSettings and comes back from it: none is
    // left out of the struct the console, the engine and the CLI share.
    for (const SettingKey& k : settingKeys()) {
        if (k.scope != SettingScope::Workspace)
            continue;
        auto ws = open();
        QVERIFY(ws);
        const QString value = otherValue(k);
        QVERIFY2(Settings(*ws).setText(k, value).ok(), k.name);
        auto changed = readWorkspaceSettings(*ws);
        QVERIFY(changed);
        QVERIFY2(!(*changed == WorkspaceSettings{}), k.name);
        // Written back through the struct, the key holds the same value.
        auto other = open();
        QVERIFY(other);
        QVERIFY(writeWorkspaceSettings(*other, *changed).ok());
        auto back = Settings(*other).read(k);
        QVERIFY(back);
        QCOMPARE(back->value, *normalizeSetting(k, value));
        QCOMPARE(*readWorkspaceSettings(*other), *changed);
    }
}

void TestSettingKeys::settingsRoundTrip()
{
    auto ws = open();
    QVERIFY(ws);
    WorkspaceSettings s;
    s.connection = *ConnectionSettings::forRegions(QStringLiteral("eu"), QStringLiteral("in"), 42);
    s.naming.pattern = QStringLiteral("ACME | {intent} | {window}");
    s.defaultScheduleMinutes = 15;
    s.fullResyncDays = 2.5;
    s.cohortCheckMinutes = 0;
    s.exitCheckLimit = 50;
    s.verifySample = 0;
    HealthThresholds& t = s.thresholds;
    t.collapseDropPercent = 40;
    t.nearZeroCount = 12;
    t.collapseMedianWindowMs = 14 * HealthThresholds::kDayMs;
    t.collapseMinPoints = 5;
    t.collapseMinBaseline = 100;
    t.wowSwingPercent = 25;
    t.wowMinAbsolute = 20;
    t.wowToleranceMs = 12 * 3600 * 1000LL;
    t.churnWindowMs = 3 * HealthThresholds::kDayMs;
    t.churnRatio = 0.75;
    t.churnMinSize = 10;
    t.staleFactor = 3;
    t.notReadyFactor = 4.5;
    t.driftPercent = 1.5;
    t.driftMinAbsolute = 3;
    t.driftMaxAgeMs = 5 * HealthThresholds::kDayMs;
    t.matchRateFloor = 0.99;
    t.matchRateMinSize = 7;
    QVERIFY(writeWorkspaceSettings(*ws, s).ok());
    auto back = readWorkspaceSettings(*ws);
    QVERIFY(back);
    QCOMPARE(*back, s);

    // Typed reads see the same.
    Settings settings(*ws);
    QCOMPARE(*settings.get(keys::NamingConvention), s.naming.pattern);
    QCOMPARE(*settings.get(keys::CollapseWindowDays), 14);
    QCOMPARE(*settings.get(keys::WowToleranceHours), 12);
    QCOMPARE(*settings.get(keys::MatchRateFloor), 0.99);
    QVERIFY(settings.set(keys::CohortsCheckedAtMs, qint64(1714000000123)).ok());
    QCOMPARE(*settings.get(keys::CohortsCheckedAtMs), qint64(1714000000123));
    QVERIFY(settings.set(keys::TokenRejected, QString()).ok());
    QCOMPARE(*settings.get(keys::TokenRejected), QString());
}

void TestSettingKeys::oldKeyNamesReadTheSame()
{
    // What earlier builds wrote (the Settings dialog, `config set`, the engine) under the
    // names they used: a workspace keeps its settings.
    auto ws = open();
    QVERIFY(ws);
    SettingsRepository raw(*ws);
    const QList<std::pair<QString, QString>> old = {
        {QStringLiteral("naming.pattern"), QStringLiteral("ACME | {intent} | {window}")},
        {QStringLiteral("schedule.default_minutes"), QStringLiteral("30")},
        {QStringLiteral("health.collapse_drop_percent"), QStringLiteral("45")},
        {QStringLiteral("health.wow_swing_percent"), QStringLiteral("35")},
        {QStringLiteral("health.churn_ratio"), QStringLiteral("0.6")},
        {QStringLiteral("health.stale_factor"), QStringLiteral("3")},
        {QStringLiteral("health.drift_percent"), QStringLiteral("4")},
        {QStringLiteral("health.match_rate_floor"), QStringLiteral("0.9")},
        {QStringLiteral("full_resync_days"), QStringLiteral("14")},
        {QStringLiteral("cohort_check_minutes"), QStringLiteral("30")},
        {QStringLiteral("cohorts_checked_at_ms"), QStringLiteral("1714000000000")},
        {QStringLiteral("mixpanel_token_proven"), QStringLiteral("abc123")},
    };
    QVERIFY(raw.setValues(old).ok());
    auto s = readWorkspaceSettings(*ws);
    QVERIFY(s);
    QCOMPARE(s->naming.pattern, QStringLiteral("ACME | {intent} | {window}"));
    QCOMPARE(s->defaultScheduleMinutes, 30);
    QCOMPARE(s->thresholds.collapseDropPercent, 45.0);
    QCOMPARE(s->thresholds.wowSwingPercent, 35.0);
    QCOMPARE(s->thresholds.churnRatio, 0.6);
    QCOMPARE(s->thresholds.staleFactor, 3.0);
    QCOMPARE(s->thresholds.driftPercent, 4.0);
    QCOMPARE(s->thresholds.matchRateFloor, 0.9);
    QCOMPARE(s->fullResyncDays, 14.0);
    QCOMPARE(s->cohortCheckMinutes, 30.0);
    Settings settings(*ws);
    QCOMPARE(*settings.get(keys::CohortsCheckedAtMs), qint64(1714000000000));
    QCOMPARE(*settings.get(keys::TokenProven), QStringLiteral("abc123"));
}

void TestSettingKeys::invalidStoredValueReadsAsDefault()
{
    auto ws = open();
    QVERIFY(ws);
    QVERIFY(SettingsRepository(*ws)
                .setValues({{QStringLiteral("full_resync_days"), QStringLiteral("soon")},
                            {QStringLiteral("naming.pattern"), QStringLiteral("{oops")}})
                .ok());
    Settings settings(*ws);
    auto r = settings.read(*keys::FullResyncDays);
    QVERIFY(r);
    QCOMPARE(r->value, QStringLiteral("7"));
    QVERIFY(!r->stored);
    QCOMPARE(r->invalid, QStringLiteral("soon"));
    QCOMPARE(*settings.get(keys::FullResyncDays), 7.0);
    auto s = readWorkspaceSettings(*ws);
    QVERIFY(s);
    QCOMPARE(s->naming, NamingConvention{});
}

void TestSettingKeys::invalidSettingsWriteNothing()
{
    auto ws = open();
    QVERIFY(ws);
    WorkspaceSettings s;
    s.thresholds.driftPercent = 9;
    s.naming.pattern = QStringLiteral("ACME | {intent");
    const Status st = writeWorkspaceSettings(*ws, s);
    QVERIFY(!st);
    QCOMPARE(st.error().category, SyncError::Category::Config);
    QVERIFY2(st.error().message.startsWith(QStringLiteral("naming_convention takes")),
             qPrintable(st.error().message));
    QCOMPARE(*readWorkspaceSettings(*ws), WorkspaceSettings{});

    s.naming = NamingConvention{};
    s.thresholds.matchRateFloor = 1.5; // a share, not a percentage
    const Status floor = writeWorkspaceSettings(*ws, s);
    QVERIFY(!floor);
    QVERIFY2(floor.error().message.contains(
                 QStringLiteral("match_rate_floor takes a number from 0 to 1")),
             qPrintable(floor.error().message));
    QCOMPARE(*readWorkspaceSettings(*ws), WorkspaceSettings{});

    // A duration that is not a whole number of its unit is refused by name, not rounded.
    s.thresholds = HealthThresholds{};
    s.thresholds.churnWindowMs = HealthThresholds::kDayMs + 1;
    const Status window = writeWorkspaceSettings(*ws, s);
    QVERIFY(!window);
    QVERIFY2(
        window.error().message.startsWith(QStringLiteral("churn_window_days takes a whole number")),
        qPrintable(window.error().message));
}

void TestSettingKeys::editorKeepsWhatChangedElsewhere()
{
    // A console loaded its settings, then `lockstep config set` changed one; the console's
    // save writes only what its operator changed.
    auto ws = open();
    QVERIFY(ws);
    const WorkspaceSettings base = *readWorkspaceSettings(*ws);
    QVERIFY(Settings(*ws).set(keys::FullResyncDays, 30.0).ok());
    QVERIFY(Settings(*ws).set(keys::NamingConvention, QStringLiteral("ACME | {intent}")).ok());
    WorkspaceSettings edited = base;
    edited.thresholds.driftPercent = 9;
    edited.connection = *ConnectionSettings::forRegion(QStringLiteral("eu"), 7);
    QVERIFY(writeWorkspaceSettingsChanges(*ws, base, edited).ok());
    const WorkspaceSettings now = *readWorkspaceSettings(*ws);
    QCOMPARE(now.thresholds.driftPercent, 9.0);
    QCOMPARE(now.connection, edited.connection);
    QCOMPARE(now.fullResyncDays, 30.0);
    QCOMPARE(now.naming.pattern, QStringLiteral("ACME | {intent}"));

    // Invalid edits write nothing, changed or not.
    WorkspaceSettings bad = now;
    bad.thresholds.staleFactor = 0;
    bad.thresholds.driftPercent = 3;
    const Status st = writeWorkspaceSettingsChanges(*ws, now, bad);
    QVERIFY(!st);
    QVERIFY2(st.error().message.startsWith(QStringLiteral("stale_factor takes")),
             qPrintable(st.error().message));
    QCOMPARE(*readWorkspaceSettings(*ws), now);
}

void TestSettingKeys::environmentOverrides()
{
    const auto restore = qScopeGuard([] {
        qunsetenv("LOCKSTEP_EXIT_CHECK");
        qunsetenv("LOCKSTEP_VERIFY_SAMPLE");
    });
    qunsetenv("LOCKSTEP_EXIT_CHECK");
    QVERIFY(!settingOverride(keys::ExitCheckLimit));
    QVERIFY(!EngineOptions::fromEnvironment().exitCheckLimit);
    QVERIFY(!settingOverride(keys::FullResyncDays)); // no override for this key

    qputenv("LOCKSTEP_EXIT_CHECK", "20");
    QCOMPARE(settingOverride(keys::ExitCheckLimit).value_or(-1), 20);
    QCOMPARE(EngineOptions::fromEnvironment().exitCheckLimit.value_or(-1), 20);
    qputenv("LOCKSTEP_EXIT_CHECK", "5000000"); // clamped, as before the table
    QCOMPARE(settingOverride(keys::ExitCheckLimit).value_or(-1), 1000000);
    qputenv("LOCKSTEP_EXIT_CHECK", "lots");
    QVERIFY(!settingOverride(keys::ExitCheckLimit));
    qputenv("LOCKSTEP_VERIFY_SAMPLE", "0");
    QCOMPARE(EngineOptions::fromEnvironment().verifySample.value_or(-1), 0);

    // The override is the process's, never the workspace's: a console that saves its
    // settings does not write it back.
    qputenv("LOCKSTEP_EXIT_CHECK", "20");
    auto ws = open();
    QVERIFY(ws);
    QCOMPARE(*Settings(*ws).get(keys::ExitCheckLimit), 500);
    QCOMPARE(readWorkspaceSettings(*ws)->exitCheckLimit, 500);
}

QTEST_GUILESS_MAIN(TestSettingKeys)
#include "tst_settingkeys.moc"
