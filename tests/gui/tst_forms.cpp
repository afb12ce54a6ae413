// Widgets that need no service: the connection form's two region pickers, the cohort
// name's byte limit in the mapping editor and the set-up wizard, a skipped run on the
// Runs page (its own status and colour, not a success), English plurals, and the
// Settings dialog's thresholds (the key table's ranges; values it rounds are kept).
#include "guitestutil.h"

#include "alertsmodel.h"
#include "batcherrorsmodel.h"
#include "chartpoints.h"
#include "connectionform.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "mappingeditor.h"
#include "modelroles.h"
#include "runsmodel.h"
#include "runspage.h"
#include "settingsdialog.h"
#include "setupwizard.h"
#include "sizehistorymodel.h"
#include "sizetrendchart.h"
#include "syncstatuswidget.h"
#include "themes.h"

#include <QChart>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using lockstep::test::child;

namespace {
// A cohort name of exactly `bytes` bytes in UTF-8: `prefix` then ASCII padding.
QString nameOfBytes(const QString& prefix, int bytes)
{
    const int pad = bytes - int(prefix.toUtf8().size());
    return prefix + QString(pad, QLatin1Char('x'));
}

void selectRegion(QComboBox* box, const QString& region)
{
    const int i = region.isEmpty() ? box->count() - 1 : box->findData(region);
    QVERIFY2(i >= 0, qPrintable(region));
    box->setCurrentIndex(i);
}
} // namespace

class TestForms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void regionPickersRoute_data();
    void regionPickersRoute();
    void regionPickersShowStoredRegions();
    void mappingEditorByteLimit_data();
    void mappingEditorByteLimit();
    void wizardNameByteLimit();
    void skippedRunIsNotASuccess();
    void pluralsReadAsEnglish_data();
    void pluralsReadAsEnglish();
    void settingsDialogKeepsWhatItRounds();
    void chartPointsKeepTheDip();
    void trendChartDrawsOnlyWhatShows();
    void syncStatusKeepsItsSize();
    void syncStatusForgetsAFinishedRun();
};

void TestForms::initTestCase()
{
    // As app/main.cpp does: without the English catalogue a plural reads "1 run(s)".
    QVERIFY(installTranslations());
}

void TestForms::regionPickersRoute_data()
{
    QTest::addColumn<QString>("cio");
    QTest::addColumn<QString>("mp");
    QTest::addColumn<QString>("cioUrl");
    QTest::addColumn<QString>("mpUrl");
    QTest::addColumn<QString>("mpQueryUrl");
    const QString us = QStringLiteral("https://api.customer.io"),
                  eu = QStringLiteral("https://api-eu.customer.io");
    const QStringList mpIngest = {QStringLiteral("https://api.mixpanel.com"),
                                  QStringLiteral("https://api-eu.mixpanel.com"),
                                  QStringLiteral("https://api-in.mixpanel.com")};
    const QStringList mpQuery = {QStringLiteral("https://mixpanel.com/api/query"),
                                 QStringLiteral("https://eu.mixpanel.com/api/query"),
                                 QStringLiteral("https://in.mixpanel.com/api/query")};
    const QStringList mpRegions = {QStringLiteral("us"), QStringLiteral("eu"),
                                   QStringLiteral("in")};
    for (const QString& c : {QStringLiteral("us"), QStringLiteral("eu")})
        for (int m = 0; m < 3; ++m)
            QTest::addRow("customer.io %s, mixpanel %s", qPrintable(c), qPrintable(mpRegions[m]))
                << c << mpRegions[m] << (c == QLatin1String("us") ? us : eu) << mpIngest[m]
                << mpQuery[m];
}

void TestForms::regionPickersRoute()
{
    QFETCH(QString, cio);
    QFETCH(QString, mp);
    QFETCH(QString, cioUrl);
    QFETCH(QString, mpUrl);
    QFETCH(QString, mpQueryUrl);
    ConnectionForm form(QStringLiteral("t"));
    auto* cioRegion = child<QComboBox>(&form, "tCioRegion");
    auto* mpRegion = child<QComboBox>(&form, "tMpRegion");
    QCOMPARE(cioRegion->count(), 3); // US, EU, custom
    QCOMPARE(mpRegion->count(), 4);  // US, EU, India, custom
    // Custom addresses at first: the address fields are the operator's.
    QVERIFY(!child<QLineEdit>(&form, "tCioUrl")->isReadOnly());
    selectRegion(cioRegion, cio);
    selectRegion(mpRegion, mp);
    QCOMPARE(child<QLineEdit>(&form, "tCioUrl")->text(), cioUrl);
    QCOMPARE(child<QLineEdit>(&form, "tMpUrl")->text(), mpUrl);
    QCOMPARE(child<QLineEdit>(&form, "tMpQueryUrl")->text(), mpQueryUrl);
    for (const char* field : {"tCioUrl", "tMpUrl", "tMpQueryUrl"})
        QVERIFY2(child<QLineEdit>(&form, field)->isReadOnly(), field);
    const ConnectionSettings s = form.connection();
    QCOMPARE(s.customerIoRegion, cio);
    QCOMPARE(s.mixpanelRegion, mp);
    QCOMPARE(s.customerIoUrl, cioUrl);
    QCOMPARE(s.mixpanelUrl, mpUrl);
    QCOMPARE(s.mixpanelQueryUrl, mpQueryUrl);
    // Back to custom for one service: its address stays editable, the other keeps its region.
    selectRegion(cioRegion, QString());
    QVERIFY(!child<QLineEdit>(&form, "tCioUrl")->isReadOnly());
    child<QLineEdit>(&form, "tCioUrl")->setText(QStringLiteral("http://127.0.0.1:9"));
    QCOMPARE(form.connection().customerIoRegion, QString());
    QCOMPARE(form.connection().customerIoUrl, QStringLiteral("http://127.0.0.1:9"));
    QCOMPARE(form.connection().mixpanelRegion, mp);
    QCOMPARE(form.connection().mixpanelQueryUrl, mpQueryUrl);
}

void TestForms::regionPickersShowStoredRegions()
{
    ConnectionForm form(QStringLiteral("t"));
    auto s = ConnectionSettings::forRegions(QStringLiteral("eu"), QStringLiteral("in"), 7);
    QVERIFY(s);
    form.setConnection(*s);
    QCOMPARE(child<QComboBox>(&form, "tCioRegion")->currentData().toString(), QStringLiteral("eu"));
    QCOMPARE(child<QComboBox>(&form, "tMpRegion")->currentData().toString(), QStringLiteral("in"));
    QCOMPARE(form.connection().mixpanelUrl, QStringLiteral("https://api-in.mixpanel.com"));
    // Addresses given by hand (the sandbox): both pickers on custom, the addresses kept.
    ConnectionSettings custom;
    custom.customerIoUrl = QStringLiteral("http://127.0.0.1:1");
    custom.mixpanelUrl = QStringLiteral("http://127.0.0.1:2");
    custom.mixpanelQueryUrl = QStringLiteral("http://127.0.0.1:2/api/query");
    form.setConnection(custom);
    QCOMPARE(child<QComboBox>(&form, "tCioRegion")->currentIndex(), 2);
    QCOMPARE(child<QComboBox>(&form, "tMpRegion")->currentIndex(), 3);
    QCOMPARE(form.connection().customerIoUrl, custom.customerIoUrl);
    QCOMPARE(form.connection().mixpanelQueryUrl, custom.mixpanelQueryUrl);
}

void TestForms::mappingEditorByteLimit_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("bytes");                  // 0: accepted
    const QString euro = QString(85, QChar(0x20AC)); // "€": 3 bytes each, 255 in all
    QTest::newRow("ascii 255") << nameOfBytes(QStringLiteral("CIO | "), 255) << int(SyncMode::List)
                               << 0;
    QTest::newRow("ascii 256") << nameOfBytes(QStringLiteral("CIO | "), 256) << int(SyncMode::List)
                               << 256;
    QTest::newRow("flag, ascii 256")
        << nameOfBytes(QStringLiteral("CIO | "), 256) << int(SyncMode::Flag) << 256;
    QTest::newRow("85 euro signs = 255") << euro << int(SyncMode::List) << 0;
    QTest::newRow("85 euro signs + 1") << euro + QLatin1Char('x') << int(SyncMode::List) << 256;
    // 128 characters, 256 bytes: a character count would let it through.
    QTest::newRow("128 x 2-byte") << QString(128, QChar(0x00E9)) << int(SyncMode::List) << 256;
    QTest::newRow("emoji over by 3") << nameOfBytes(QStringLiteral("🚀"), 254) + QStringLiteral("🚀")
                                     << int(SyncMode::Flag) << 258;
}

void TestForms::mappingEditorByteLimit()
{
    QFETCH(QString, name);
    QFETCH(int, mode);
    QFETCH(int, bytes);
    MappingEditor editor;
    Mapping m;
    m.segmentId = 5;
    m.cohortName = QStringLiteral("CIO | Short | 30d");
    m.mode = SyncMode(mode);
    editor.setMapping(m);
    editor.show();
    auto* save = child<QPushButton>(&editor, "mappingEditorSave");
    auto* error = child<QLabel>(&editor, "mappingEditorError");
    QVERIFY(save->isEnabled());
    auto* cohort = child<QLineEdit>(&editor, "mappingEditorCohort");
    cohort->setText(name);
    QCOMPARE(save->isEnabled(), bytes == 0);
    QCOMPARE(error->isVisible(), bytes != 0);
    if (bytes) {
        QVERIFY2(error->text().contains(QStringLiteral("%1 bytes").arg(bytes)),
                 qPrintable(error->text()));
        QVERIFY2(error->text().contains(QStringLiteral("255 bytes")), qPrintable(error->text()));
        // Clicking anyway (or pressing Enter) does not accept.
        editor.accept();
        QVERIFY(editor.isVisible());
    }
    // Shortened: the error goes and Save is back.
    cohort->setText(QStringLiteral("CIO | Short | 30d"));
    QVERIFY(save->isEnabled());
    QVERIFY(!error->isVisible());
}

void TestForms::wizardNameByteLimit()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EngineContext context;
    SyncController controller(context, dir.filePath(QStringLiteral("ws.sqlite")),
                              Credentials{}); // not started
    SetupWizard wizard(&controller, WorkspaceSettings{}, Credentials{});
    wizard.setStartId(SetupWizard::NamePage);
    wizard.show();
    wizard.restart();
    QCOMPARE(wizard.currentId(), int(SetupWizard::NamePage));
    auto* next = child<QPushButton>(&wizard, "wizardNext");
    auto* cohort = child<QLineEdit>(&wizard, "wizardCohort");
    auto* error = child<QLabel>(&wizard, "wizardCohortError");
    cohort->setText(nameOfBytes(QStringLiteral("CIO | Ünïcödé | "), 255));
    QVERIFY(next->isEnabled());
    QVERIFY(!error->isVisible());
    cohort->setText(nameOfBytes(QStringLiteral("CIO | Ünïcödé | "), 256));
    QVERIFY(!next->isEnabled());
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QStringLiteral("256 bytes")), qPrintable(error->text()));
    cohort->setText(QStringLiteral("CIO | Winback | 30d"));
    QVERIFY(next->isEnabled());
    QVERIFY(!error->isVisible());
}

void TestForms::skippedRunIsNotASuccess()
{
    RunsModel runs;
    BatchErrorsModel errors;
    RunRecord ok;
    ok.id = 2;
    ok.mappingId = 1;
    ok.status = RunStatus::Succeeded;
    ok.startedAtMs = 1'700'000'000'000;
    ok.finishedAtMs = ok.startedAtMs + 1000;
    RunRecord skipped = ok;
    skipped.id = 1;
    skipped.status = RunStatus::Skipped;
    skipped.message =
        QStringLiteral("segment 12 is still building (40% done, state build); not synced");
    runs.setRuns({ok, skipped});
    RunsPage page(&runs, &errors);
    page.resize(1200, 400);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto* view = child<QTableView>(&page, "runsView");
    QAbstractItemModel* model = view->model();
    int okRow = -1, skippedRow = -1;
    for (int r = 0; r < model->rowCount(); ++r)
        (model->index(r, RunsModel::Status).data(StatusNameRole).toString() ==
                 QLatin1String("skipped")
             ? skippedRow
             : okRow) = r;
    QVERIFY(okRow >= 0 && skippedRow >= 0);
    const QModelIndex cell = model->index(skippedRow, RunsModel::Status);
    QCOMPARE(cell.data().toString(), QStringLiteral("Skipped"));
    QCOMPARE(cell.data(StatusToneRole).toInt(), int(StatusTone::Waiting));
    QVERIFY(model->index(okRow, RunsModel::Status).data(StatusToneRole).toInt() !=
            int(StatusTone::Waiting));
    QVERIFY2(cell.data(Qt::ToolTipRole).toString().contains(QStringLiteral("still building")),
             qPrintable(cell.data(Qt::ToolTipRole).toString()));
    // The badge is drawn in its own colour: look for it in the two status cells.
    const QImage image = view->viewport()->grab().toImage();
    auto hasColour = [&image](const QRect& r, QRgb rgb) {
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x)
                if (image.rect().contains(x, y) &&
                    (image.pixel(x, y) & 0xffffff) == (rgb & 0xffffff))
                    return true;
        return false;
    };
    const bool dark = view->palette().color(QPalette::Base).lightness() <
                      view->palette().color(QPalette::Text).lightness();
    const QRgb violet = toneColor(StatusTone::Waiting, dark).rgb(),
               green = toneColor(StatusTone::Good, dark).rgb();
    const qreal dpr = image.devicePixelRatio();
    auto scaled = [dpr](const QRect& r) {
        return QRect(QPoint(int(r.left() * dpr), int(r.top() * dpr)),
                     QSize(int(r.width() * dpr), int(r.height() * dpr)));
    };
    QVERIFY(hasColour(scaled(view->visualRect(cell)), violet));
    QVERIFY(!hasColour(scaled(view->visualRect(cell)), green));
    QVERIFY(hasColour(scaled(view->visualRect(model->index(okRow, RunsModel::Status))), green));
}

void TestForms::pluralsReadAsEnglish_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("syncing");
    QTest::addColumn<QString>("summary");
    QTest::newRow("one") << 1 << QStringLiteral("Syncing 1 mapping…")
                         << QStringLiteral("1 run: 1 API call, 0 answered 429 (rate limited)");
    QTest::newRow("several") << 4 << QStringLiteral("Syncing 4 mappings…")
                             << QStringLiteral(
                                    "4 runs: 4 API calls, 0 answered 429 (rate limited)");
}

void TestForms::pluralsReadAsEnglish()
{
    QFETCH(int, n);
    QFETCH(QString, syncing);
    QFETCH(QString, summary);

    // The status bar's sync indicator.
    SyncStatusWidget status;
    status.syncStarted(n);
    QCOMPARE(child<QLabel>(&status, "syncStatusLabel")->text(), syncing);

    // The Runs page's summary: two plurals in one line.
    QList<RunRecord> list;
    for (int i = 0; i < n; ++i) {
        RunRecord r;
        r.id = i + 1;
        r.mappingId = 1;
        r.status = RunStatus::Succeeded;
        r.apiCalls = 1;
        list.append(r);
    }
    RunsModel runs;
    runs.setRuns(list);
    BatchErrorsModel errors;
    RunsPage page(&runs, &errors);
    QCOMPARE(child<QLabel>(&page, "runsSummary")->text(), summary);
}

void TestForms::settingsDialogKeepsWhatItRounds()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    EngineContext context;
    SyncController controller(context, dir.filePath(QStringLiteral("ws.sqlite")),
                              Credentials{}); // not started
    SettingsDialog dialog(&controller);
    auto* match = child<QDoubleSpinBox>(&dialog, "settingsMatch");
    auto* notReady = child<QDoubleSpinBox>(&dialog, "settingsNotReady");
    auto* collapse = child<QDoubleSpinBox>(&dialog, "settingsCollapse");
    // The boxes offer what `lockstep config set` accepts.
    QCOMPARE(match->maximum(), 100.0);
    QCOMPARE(notReady->minimum(), keys::NotReadyFactor->min);
    QCOMPARE(collapse->maximum(), keys::CollapseDropPercent->max);

    // Set more precisely than the boxes show (`config set match_rate_floor 0.9625`): a save
    // that does not touch them keeps the values.
    WorkspaceSettings s;
    s.thresholds.matchRateFloor = 0.9625;
    s.thresholds.collapseDropPercent = 45.5;
    s.fullResyncDays = 30; // not in the dialog: carried through
    dialog.setSettings(s, Credentials{});
    QCOMPARE(dialog.settings().thresholds, s.thresholds);
    QCOMPARE(dialog.settings().fullResyncDays, 30.0);

    notReady->setValue(4.5);
    match->setValue(97);
    const WorkspaceSettings edited = dialog.settings();
    QCOMPARE(edited.thresholds.notReadyFactor, 4.5);
    QCOMPARE(edited.thresholds.matchRateFloor, 0.97);
    QCOMPARE(edited.thresholds.collapseDropPercent, 45.5);
    QCOMPARE(dialog.baseSettings(), s);
}

namespace {
// Ten years of daily sizes around 5000 with a one-day collapse and a one-day spike.
QList<QPointF> tenYears(int dipDay, int spikeDay)
{
    QList<QPointF> points;
    for (int d = 0; d < 3650; ++d)
        points.append(QPointF(d, d == dipDay ? 12 : d == spikeDay ? 9000 : 5000 + (d * 37) % 200));
    return points;
}
} // namespace

void TestForms::chartPointsKeepTheDip()
{
    const QList<QPointF> points = tenYears(1234, 2345);
    // 300 pixel columns for ten years: at most two points a column (and the edges).
    const QList<QPointF> thin = visiblePoints(points, 0, 3649, 300);
    QVERIFY2(thin.size() <= 2 * 300 + 2, qPrintable(QString::number(thin.size())));
    QVERIFY(thin.size() > 300);
    QVERIFY(std::is_sorted(thin.begin(), thin.end(),
                           [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));
    // The one-day collapse and spike are still there, at their own days.
    QVERIFY(thin.contains(QPointF(1234, 12)));
    QVERIFY(thin.contains(QPointF(2345, 9000)));
    QCOMPARE(thin.first(), points.first());
    QCOMPARE(thin.last(), points.last());
    // A window: its points and one on either side, so the line reaches the plot's edges.
    const QList<QPointF> week = visiblePoints(points, 100, 107, 300);
    QCOMPARE(week.size(), 10);
    QCOMPARE(week.first().x(), 99.0);
    QCOMPARE(week.last().x(), 108.0);
    // Fewer points than columns: returned as they are.
    QCOMPARE(visiblePoints(points.mid(0, 200), 0, 199, 300), points.mid(0, 200));
}

void TestForms::trendChartDrawsOnlyWhatShows()
{
    // One mapping with ten years of daily runs, a one-day collapse in the middle.
    const qint64 day = 24 * 3600 * 1000LL;
    const qint64 end = 1'767'225'600'000;
    SizeHistoryData d;
    d.days = 3650;
    d.fromMs = end - 3650 * day;
    d.toMs = end;
    SizeHistorySeries series;
    series.mappingId = 7;
    for (int i = 0; i < 3650; ++i) {
        SizePoint p;
        p.runId = i + 1;
        p.atMs = d.fromMs + (i + 1) * day;
        p.segmentCount = i == 1800 ? 40 : 5000 + (i * 37) % 200;
        p.syncedCount = p.segmentCount;
        p.mixpanelCount = i % 7 == 0 ? p.syncedCount : -1;
        series.points.append(p);
    }
    d.series.append(series);
    SizeHistoryModel history;
    AlertsModel alerts;
    SizeTrendChart chart;
    chart.resize(700, 360);
    chart.setModels(&history, &alerts);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    history.setHistory(d, {{7, QStringLiteral("CIO | Cart | 0-24h")}});
    QApplication::processEvents();
    auto* segment = qobject_cast<QLineSeries*>(chart.chart()->series().first());
    QVERIFY(segment);
    const int columns = int(chart.chart()->plotArea().width());
    QVERIFY(columns > 100);
    // All of it: at most two points per pixel column, and the collapse still drawn.
    QVERIFY2(
        segment->count() <= 2 * columns + 8,
        qPrintable(QStringLiteral("%1 points, %2 columns").arg(segment->count()).arg(columns)));
    QVERIFY(segment->points().contains(QPointF(double(d.fromMs + 1801 * day), 40)));
    // A week: only that week's runs (and one on either side).
    chart.setWindowDays(7);
    QVERIFY2(segment->count() <= 10, qPrintable(QString::number(segment->count())));
    for (const QPointF& p : segment->points())
        QVERIFY(p.x() >= double(end - 8 * day));
    // The verified counts are dots: a marker stamped per point, no line between them.
    auto* mixpanel = qobject_cast<QLineSeries*>(chart.chart()->series().at(2));
    QVERIFY(mixpanel);
    QVERIFY(!mixpanel->lightMarker().isNull());
    QVERIFY(mixpanel->markerSize() >= 5);
    QCOMPARE(mixpanel->pen().style(), Qt::NoPen);
    QVERIFY(mixpanel->count() >= 1 && mixpanel->count() <= 3);
    chart.setWindowDays(0);
    QVERIFY(segment->count() > 7);
    QCOMPARE(chart.lineCount(), 2);
}

void TestForms::syncStatusKeepsItsSize()
{
    // Progress changes the status bar's text many times a second: its size must not
    // follow (a new size lays the whole window out again). A long text elides, with the
    // whole of it in the tooltip.
    SyncStatusWidget status;
    status.show();
    status.syncStarted(1);
    auto* label = child<QLabel>(&status, "syncStatusLabel");
    const QSize size = label->size();
    const QString name(200, QLatin1Char('x'));
    status.setMappingNames({{1, name}});
    SyncProgress p;
    p.mappingId = 1;
    p.phase = QStringLiteral("sending");
    p.done = 500;
    p.total = 1000;
    status.showProgress(p);
    QCOMPARE(label->size(), size);
    QCOMPARE(label->minimumSize(), label->maximumSize());
    QVERIFY(status.text().contains(name));
    QVERIFY(label->text().size() < status.text().size());
    QCOMPARE(label->toolTip(), status.text());
}

void TestForms::syncStatusForgetsAFinishedRun()
{
    // Three mappings: the text tells the run in flight; once that run ends it does not
    // read as still sending, and a report of another run takes over.
    SyncStatusWidget status;
    status.syncStarted(3);
    status.setMappingNames({{1, QStringLiteral("Cart")}, {2, QStringLiteral("Launch")}});
    SyncProgress p;
    p.mappingId = 1;
    p.phase = QStringLiteral("sending");
    status.showProgress(p);
    QCOMPARE(status.text(), QStringLiteral("Cart: sending changes (0 of 3 done)"));
    status.runFinished(2); // another mapping's run: the text still tells Cart's
    QCOMPARE(status.text(), QStringLiteral("Cart: sending changes (0 of 3 done)"));
    status.runFinished(1);
    QCOMPARE(status.text(), QStringLiteral("Syncing 3 mappings… (2 of 3 done)"));
    p.mappingId = 2;
    p.phase = QStringLiteral("reading");
    status.showProgress(p);
    QCOMPARE(status.text(), QStringLiteral("Launch: reading the segment (2 of 3 done)"));
}

QTEST_MAIN(TestForms)
#include "tst_forms.moc"
