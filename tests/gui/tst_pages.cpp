// Every page of the console against the real sandbox (the demo scenario), the real
// engine in its worker thread and the real window, offscreen. One sandbox and one sync
// for the whole class (initTestCase) keep it fast; each test drives one page by
// objectName with QTest and checks what the models and widgets show.
#include "guitestutil.h"
#include "sandboxconnection.h"
#include "sandboxprocess.h"

#include "alertsmodel.h"
#include "auditfindingsmodel.h"
#include "auditpage.h"
#include "churnchart.h"
#include "engine/enginecontext.h"
#include "engine/synccontroller.h"
#include "filechooser.h"
#include "healthpage.h"
#include "identitypage.h"
#include "lockstepresources.h"
#include "mainwindow.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "mismatchesmodel.h"
#include "mismatchreasonsmodel.h"
#include "modelroles.h"
#include "namingfeedback.h"
#include "overlapmodel.h"
#include "overlappage.h"
#include "rowfilterproxy.h"
#include "runsmodel.h"
#include "settingsdialog.h"
#include "sizehistorymodel.h"
#include "sizetrendchart.h"
#include "themes.h"
#include "traynotifier.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QXYSeries>

#include <memory>
#include <tuple>

using namespace lockstep;
using lockstep::test::child;

namespace {
constexpr int kSyncTimeoutMs = 60'000;

Mapping demoMapping(qint64 segment, const QString& cohort, IdentityKey key, const QString& owner,
                    const QString& decision, SyncMode mode = SyncMode::List)
{
    Mapping m = test::mapping(segment, cohort, {}, key);
    m.owner = owner;
    m.decision = decision;
    m.mode = mode;
    return m;
}

// The visible dialog of that name (a closed one may linger until deleteLater runs).
template <typename T> T* visibleChild(QObject* root, const char* name)
{
    for (T* w : root->findChildren<T*>(QLatin1String(name)))
        if (w->isVisible())
            return w;
    return nullptr;
}

// Row of the mapping with this cohort in a view's (proxy) model; -1 when absent.
int rowOfCohort(QAbstractItemModel* m, const QString& cohort)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, MappingsModel::Cohort).data().toString() == cohort)
            return r;
    return -1;
}
} // namespace

class TestPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void mappingsShowOwnerDriftAndHealth();
    void editorAddsAMappingWithNamingFeedback();
    void editorRefusesAnInvalidMapping();
    void duplicateAsNewVersion();
    void pauseAndResume();
    void deleteAsksFirst();
    void copyCohortDefinition();
    void healthTrendMatchesTheTable();
    void acknowledgeAnAlert();
    void overlapHeatMapAndWatchedPair();
    void identityFiltersAndExport();
    void auditExports();
    void runsShowCostsAndCancel();
    void settingsDialogSaves();
    void themeToggle();
    void trayNotifiesFailedRuns();

private:
    void resyncAndWait(const QList<qint64>& ids, RunKind kind = RunKind::Incremental);
    void selectCohort(const QString& cohort, bool add = false);
    QTableView* mappingsView() { return child<QTableView>(m_window.get(), "mappingsView"); }
    void click(const char* name);

    std::unique_ptr<test::SandboxProcess> m_sandbox;
    std::unique_ptr<QTemporaryDir> m_dir;
    EngineContext m_context; // outlives the controller
    std::unique_ptr<SyncController> m_controller;
    std::unique_ptr<MainWindow> m_window;
    QList<qint64> m_ids;
    int m_evaluations = 0;
    int m_syncs = 0;
};

void TestPages::initTestCase()
{
    QVERIFY(installTranslations()); // the English plurals, as app/main.cpp loads them
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("LockstepTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_pages"));
    QSettings().clear();
    m_sandbox = std::make_unique<test::SandboxProcess>(QStringLiteral("demo.json"));
    QVERIFY2(m_sandbox->isRunning(), qPrintable(m_sandbox->errorString()));
    m_dir = std::make_unique<QTemporaryDir>();
    const QString path = m_dir->filePath(QStringLiteral("workspace.sqlite"));
    const ConnectionSettings connection = test::connectionTo(*m_sandbox);
    m_ids = test::seedWorkspace(
        path,
        {demoMapping(101, QStringLiteral("CIO | Winback | 45-60d"), IdentityKey::Email,
                     QStringLiteral("Maya"), QStringLiteral("Winback offer")),
         demoMapping(102, QStringLiteral("CIO | VIP | 30d"), IdentityKey::Id, QStringLiteral("Jon"),
                     QStringLiteral("VIP early access")),
         demoMapping(103, QStringLiteral("CIO | Cart abandoners | 0-24h"), IdentityKey::Email,
                     QStringLiteral("Maya"), {}),
         demoMapping(104, QStringLiteral("CIO | Suppressed"), IdentityKey::Email, {},
                     QStringLiteral("Suppress from paid social"), SyncMode::Flag)},
        &connection);
    QCOMPARE(m_ids.size(), 4);
    const Credentials creds{m_sandbox->appApiKey(), m_sandbox->projectToken(),
                            m_sandbox->serviceAccount()};
    m_controller = std::make_unique<SyncController>(m_context, path, creds);
    connect(m_controller->health(), &HealthRequests::healthEvaluated, this,
            [this] { ++m_evaluations; });
    connect(m_controller.get(), &SyncController::syncFinished, this, [this] { ++m_syncs; });
    m_controller->start();
    m_window = std::make_unique<MainWindow>(m_controller.get());
    m_window->setSessionCredentials(creds);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 4);
    // Two syncs with churn between them, so trends have two points and churn bars.
    resyncAndWait({});
    m_sandbox->tick(1);
    resyncAndWait({});
}

void TestPages::cleanupTestCase()
{
    m_window.reset();
    m_controller.reset();
    m_sandbox.reset();
    m_dir.reset();
}

void TestPages::resyncAndWait(const QList<qint64>& ids, RunKind kind)
{
    const int evaluations = m_evaluations;
    const int syncs = m_syncs;
    if (ids.isEmpty())
        m_controller->syncAll(kind);
    else
        m_controller->syncMappings(ids, kind);
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs > syncs, kSyncTimeoutMs);
    // The window evaluates health after each sync; wait for it to land.
    QTRY_VERIFY_WITH_TIMEOUT(m_evaluations > evaluations, 20'000);
}

void TestPages::click(const char* name)
{
    auto* w = child<QAbstractButton>(m_window.get(), name);
    QVERIFY(w);
    QTRY_VERIFY(w->isEnabled());
    QTest::mouseClick(w, Qt::LeftButton);
}

void TestPages::selectCohort(const QString& cohort, bool add)
{
    m_window->showPage(QStringLiteral("mappings"));
    QTableView* view = mappingsView();
    QTRY_VERIFY(rowOfCohort(view->model(), cohort) >= 0);
    const int row = rowOfCohort(view->model(), cohort);
    QTest::mouseClick(view->viewport(), Qt::LeftButton,
                      add ? Qt::ControlModifier : Qt::KeyboardModifiers{},
                      view->visualRect(view->model()->index(row, 0)).center());
}

void TestPages::mappingsShowOwnerDriftAndHealth()
{
    MappingsModel* m = m_window->mappingsModel();
    const int vip = m->rowOf(m_ids[1]);
    QCOMPARE(m->index(vip, MappingsModel::Owner).data().toString(), QStringLiteral("Jon"));
    QCOMPARE(m->index(vip, MappingsModel::Decision).data().toString(),
             QStringLiteral("VIP early access"));
    QCOMPARE(m->index(vip, MappingsModel::Schedule).data().toString(), QStringLiteral("hourly"));
    // The demo defines the Mixpanel cohorts: the counts were verified after the sync.
    QTRY_VERIFY(
        m->index(vip, MappingsModel::Drift).data().toString().endsWith(QStringLiteral("%")));
    for (int r = 0; r < m->rowCount(); ++r)
        QVERIFY2(!m->index(r, MappingsModel::Health).data().toString().isEmpty(),
                 qPrintable(m->index(r, MappingsModel::Cohort).data().toString()));
}

void TestPages::editorAddsAMappingWithNamingFeedback()
{
    m_window->showPage(QStringLiteral("mappings"));
    click("mappingsAdd");
    MappingEditor* editor = nullptr;
    QTRY_VERIFY((editor = visibleChild<MappingEditor>(m_window.get(), "mappingEditor")));
    auto* segment = child<QSpinBox>(editor, "mappingEditorSegmentId");
    segment->setValue(102);
    auto* cohort = child<QLineEdit>(editor, "mappingEditorCohort");
    QTest::keyClicks(cohort, QStringLiteral("cio | big spenders | 30 days"));
    auto* naming = child<NamingFeedback>(editor, "mappingEditorNaming");
    QVERIFY(!naming->nameIsOk());
    QCOMPARE(naming->suggestion(), QStringLiteral("CIO | Big spenders | 30d"));
    cohort->setText(naming->suggestion());
    QVERIFY(naming->nameIsOk());
    QTest::keyClicks(child<QLineEdit>(editor, "mappingEditorOwner"), QStringLiteral("Ana"));
    QVERIFY(child<QLabel>(editor, "mappingEditorDefinition")
                ->text()
                .contains(QStringLiteral("CIO | Big spenders | 30d")));
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), 5);
    const int row =
        rowOfCohort(m_window->mappingsModel(), QStringLiteral("CIO | Big spenders | 30d"));
    QVERIFY(row >= 0);
    QCOMPARE(m_window->mappingsModel()->index(row, MappingsModel::Owner).data().toString(),
             QStringLiteral("Ana"));
    // The new mapping is selected, so the operator can sync it at once.
    QTRY_COMPARE(m_window->mappingsPage()->selectedMappingIds().size(), 1);
}

void TestPages::editorRefusesAnInvalidMapping()
{
    selectCohort(QStringLiteral("CIO | VIP | 30d"));
    click("mappingsEdit");
    MappingEditor* editor = nullptr;
    QTRY_VERIFY((editor = visibleChild<MappingEditor>(m_window.get(), "mappingEditor")));
    QCOMPARE(child<QLineEdit>(editor, "mappingEditorCohort")->text(),
             QStringLiteral("CIO | VIP | 30d"));
    child<QLineEdit>(editor, "mappingEditorCohort")->clear();
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorSave"), Qt::LeftButton);
    auto* error = child<QLabel>(editor, "mappingEditorError");
    QVERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("empty")));
    QVERIFY(editor->isVisible());
    QTest::mouseClick(child<QPushButton>(editor, "mappingEditorCancel"), Qt::LeftButton);
    QTRY_VERIFY(!visibleChild<MappingEditor>(m_window.get(), "mappingEditor"));
}

void TestPages::duplicateAsNewVersion()
{
    selectCohort(QStringLiteral("CIO | VIP | 30d"));
    const int before = m_window->mappingsModel()->rowCount();
    click("mappingsDuplicate");
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), before + 1);
    const int row = rowOfCohort(m_window->mappingsModel(), QStringLiteral("CIO | VIP | 30d | v2"));
    QVERIFY(row >= 0);
    const MappingOverview& o = m_window->mappingsModel()->mappings()[row];
    QCOMPARE(o.mapping.version, 2);
    QCOMPARE(o.mapping.segmentId, qint64(102));
}

void TestPages::pauseAndResume()
{
    selectCohort(QStringLiteral("CIO | VIP | 30d | v2"));
    click("mappingsPause");
    MappingsModel* m = m_window->mappingsModel();
    auto status = [m] {
        return m->index(rowOfCohort(m, QStringLiteral("CIO | VIP | 30d | v2")), 0)
            .data(StatusNameRole)
            .toString();
    };
    QTRY_COMPARE(status(), QStringLiteral("paused"));
    QTRY_VERIFY(child<QToolButton>(m_window.get(), "mappingsResume")->isEnabled());
    click("mappingsResume");
    QTRY_COMPARE(status(), QStringLiteral("never_synced"));
}

void TestPages::deleteAsksFirst()
{
    selectCohort(QStringLiteral("CIO | VIP | 30d | v2"));
    selectCohort(QStringLiteral("CIO | Big spenders | 30d"), true);
    QCOMPARE(m_window->mappingsPage()->selectedMappingIds().size(), 2);
    const int before = m_window->mappingsModel()->rowCount();
    click("mappingsDelete");
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = visibleChild<QMessageBox>(m_window.get(), "confirmDelete")));
    QVERIFY(box->text().contains(QStringLiteral("2 mappings")));
    QTest::mouseClick(child<QPushButton>(box, "confirmDeleteYes"), Qt::LeftButton);
    QTRY_COMPARE(m_window->mappingsModel()->rowCount(), before - 2);
    QCOMPARE(rowOfCohort(m_window->mappingsModel(), QStringLiteral("CIO | VIP | 30d | v2")), -1);
}

void TestPages::copyCohortDefinition()
{
    selectCohort(QStringLiteral("CIO | Suppressed"));
    QVERIFY(child<QLabel>(m_window.get(), "mappingsDefinition")
                ->text()
                .contains(QStringLiteral("is true")));
    click("mappingsCopyDefinition");
    QCOMPARE(QGuiApplication::clipboard()->text(),
             QStringLiteral("CIO | Suppressed: User property \"CIO | Suppressed\" is true"));
}

void TestPages::healthTrendMatchesTheTable()
{
    m_window->showPage(QStringLiteral("health"));
    HealthPage* page = m_window->healthPage();
    SizeHistoryModel* history = page->historyModel();
    QTRY_VERIFY(history->rowCount() >= 2);
    QCOMPARE(history->mappingIds().size(), 1);
    // Two runs of one mapping: a line of the Customer.io size with both points, and the
    // chart's points are the table's values.
    SizeTrendChart* chart = page->trendChart();
    QCOMPARE(chart->lineCount(), 2);
    auto* segment = qobject_cast<QXYSeries*>(chart->chart()->series().first());
    QVERIFY(segment);
    QCOMPARE(segment->count(), history->rowCount());
    for (int r = 0; r < history->rowCount(); ++r)
        QCOMPARE(segment->at(r).y(),
                 history->index(r, SizeHistoryModel::Segment).data(ValueRole).toDouble());
    QCOMPARE(page->churnChart()->barCount(), history->rowCount());
    // The churn axis is symmetric around zero.
    const auto [low, high] = page->churnChart()->valueRange();
    QVERIFY(high > 0);
    QCOMPARE(low, -high);
    // Hovering a point tells its figures: the run's sizes as the table shows them.
    const qint64 id = history->mappingIds().first();
    const qint64 at = history->index(1, SizeHistoryModel::Time).data(ValueRole).toLongLong();
    const QString figures = chart->figuresNear(id, at);
    QVERIFY2(figures.contains(history->index(1, SizeHistoryModel::Segment).data().toString()) &&
                 figures.contains(history->index(1, SizeHistoryModel::Time).data().toString()) &&
                 figures.contains(QStringLiteral("entered")),
             qPrintable(figures));
    Q_EMIT segment->hovered(segment->at(1), true);
    QCOMPARE(chart->lastToolTip(), figures);

    // Select every mapping: two lines each, compared on one chart.
    auto* list = child<QListView>(page, "healthMappings");
    list->selectAll();
    QTRY_VERIFY(history->mappingIds().size() == m_window->mappingsModel()->rowCount());
    QCOMPARE(chart->lineCount(), 2 * m_window->mappingsModel()->rowCount());
    // The window moves the axis without asking the engine again.
    auto* window = child<QComboBox>(page, "healthWindow");
    const int requests = page->historyRequests();
    window->setCurrentIndex(window->findData(7));
    QCOMPARE(chart->windowDays(), 7);
    const auto [from, to] = chart->visibleRange();
    const qint64 day = 24 * 3600 * 1000LL;
    QVERIFY2(to - from >= 7 * day && to - from <= 8 * day, qPrintable(QString::number(to - from)));
    window->setCurrentIndex(window->findData(0));
    QCOMPARE(chart->windowDays(), 0);
    QVERIFY(chart->visibleRange().second - chart->visibleRange().first < 7 * day);
    QCOMPARE(page->historyRequests(), requests);
}

void TestPages::acknowledgeAnAlert()
{
    m_window->showPage(QStringLiteral("health"));
    HealthPage* page = m_window->healthPage();
    child<QCheckBox>(page, "healthAllAlerts")->setChecked(true);
    AlertsModel* alerts = page->alertsModel();
    // Watch Cart × Winback (both keyed by e-mail, drawn from one population, so they
    // share members): a critical alert is raised.
    WatchedPair pair;
    pair.mappingA = m_ids[2];
    pair.mappingB = m_ids[0];
    pair.label = QStringLiteral("test");
    m_controller->health()->addWatchedPair(pair);
    const int evaluations = m_evaluations;
    m_controller->health()->evaluate();
    QTRY_VERIFY(m_evaluations > evaluations);
    QTRY_VERIFY(alerts->rowCount() > 0);
    auto* view = child<QTableView>(page, "healthAlertsView");
    QTRY_VERIFY(view->isVisible());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(view->model()->index(0, 0)).center());
    const qint64 id = view->model()->index(0, 0).data(AlertIdRole).toLongLong();
    click("healthAcknowledge");
    QTRY_COMPARE(alerts->index(alerts->rowOf(id), 0).data(StatusNameRole).toString(),
                 QStringLiteral("acknowledged"));
    // Alert markers sit on the trend of the mappings they belong to.
    QVERIFY(page->trendChart()->alertMarkerCount() > 0);
}

void TestPages::overlapHeatMapAndWatchedPair()
{
    m_window->showPage(QStringLiteral("overlap"));
    OverlapPage* page = m_window->overlapPage();
    OverlapModel* model = page->model();
    QTRY_COMPARE(model->rowCount(), m_window->mappingsModel()->rowCount());
    auto* view = child<QTableView>(page, "overlapView");
    QTRY_VERIFY(view->isVisible());
    const int winback = model->indexOf(m_ids[0]);
    const int cart = model->indexOf(m_ids[2]);
    const int suppressed = model->indexOf(m_ids[3]);
    // Cart and Winback are keyed by e-mail and drawn from one population: they overlap.
    QVERIFY(model->stats(cart, winback).intersection > 0);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                      view->visualRect(model->index(cart, winback)).center());
    QVERIFY(child<QLabel>(page, "overlapPair")->text().contains(QStringLiteral("shared")));
    const double share = model->index(cart, winback).data(ValueRole).toDouble();
    QTest::mouseClick(child<QRadioButton>(page, "overlapJaccard"), Qt::LeftButton);
    QCOMPARE(model->metric(), OverlapModel::Metric::Jaccard);
    QVERIFY(model->index(cart, winback).data(ValueRole).toDouble() < share);
    QCOMPARE(model->index(cart, winback).data(ValueRole),
             model->index(winback, cart).data(ValueRole));

    // Cart × Winback is watched (and overlaps): its cell is flagged.
    QVERIFY(model->index(cart, winback).data(WatchedRole).toBool());
    // Watch Suppressed × Winback; the map flags the pair both ways.
    page->selectPair(suppressed, winback);
    QTest::keyClicks(child<QLineEdit>(page, "overlapWatchLabel"), QStringLiteral("suppression"));
    click("overlapWatch");
    QTRY_VERIFY(model->isWatched(m_ids[3], m_ids[0]));
    QVERIFY(model->index(winback, suppressed).data(WatchedRole).toBool());
    page->selectPair(suppressed, winback);
    QTRY_COMPARE(child<QPushButton>(page, "overlapWatch")->text(), QStringLiteral("Stop watching"));
    click("overlapWatch");
    QTRY_VERIFY(!model->isWatched(m_ids[3], m_ids[0]));
}

void TestPages::identityFiltersAndExport()
{
    m_window->showPage(QStringLiteral("identity"));
    IdentityPage* page = m_window->identityPage();
    QTRY_VERIFY(page->model()->rowCount() > 0);
    RowFilterProxy* proxy = page->proxy();
    // Chart, reason table and list agree.
    auto chartTotal = [page] {
        qreal sum = 0;
        for (qreal v : page->chartValues())
            sum += v;
        return sum;
    };
    QCOMPARE(chartTotal(), qreal(proxy->rowCount()));
    qint64 tableTotal = 0;
    for (int r = 0; r < page->reasonsModel()->rowCount(); ++r)
        tableTotal += page->reasonsModel()
                          ->index(r, MismatchReasonsModel::Count)
                          .data(ValueRole)
                          .toLongLong();
    QCOMPARE(tableTotal, qint64(proxy->rowCount()));

    auto* mapping = child<QComboBox>(page, "identityMapping");
    mapping->setCurrentIndex(mapping->findData(m_ids[0]));
    QVERIFY(proxy->rowCount() > 0);
    for (int r = 0; r < proxy->rowCount(); ++r)
        QCOMPARE(proxy->index(r, 0).data(MappingIdRole).toLongLong(), m_ids[0]);
    QCOMPARE(chartTotal(), qreal(proxy->rowCount()));
    auto* reason = child<QComboBox>(page, "identityReason");
    reason->setCurrentIndex(reason->findData(QStringLiteral("missing_key")));
    for (int r = 0; r < proxy->rowCount(); ++r)
        QCOMPARE(proxy->index(r, 0).data(CodeRole).toString(), QStringLiteral("missing_key"));
    reason->setCurrentIndex(0);
    const QString someCio = proxy->index(0, MismatchesModel::CioId).data().toString();
    QTest::keyClicks(child<QLineEdit>(page, "identitySearch"), someCio);
    // One person may have several rows (a shared key that Mixpanel does not know either).
    QVERIFY(proxy->rowCount() >= 1);
    for (int r = 0; r < proxy->rowCount(); ++r)
        QCOMPARE(proxy->index(r, MismatchesModel::CioId).data().toString(), someCio);
    child<QLineEdit>(page, "identitySearch")->clear();

    const QString path = m_dir->filePath(QStringLiteral("mismatches.csv"));
    FileChooser::setTestAnswer(path);
    click("identityExport");
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QCOMPARE(lines.first().trimmed(),
             QByteArray("Mapping,Reason,cio_id,id,E-mail,Distinct id,reason_code"));
    QCOMPARE(lines.size() - 2, proxy->rowCount()); // header + rows, trailing CRLF
    // Cells a spreadsheet would run as formulas are neutralised.
    MismatchesModel formula;
    StoredMismatch s;
    s.mismatch.cioId = QStringLiteral("=HYPERLINK(\"http://x\")");
    s.mismatch.email = QStringLiteral("@evil");
    formula.setMismatches({s});
    const QByteArray csv = IdentityPage::toCsv(&formula);
    QVERIFY2(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), csv.constData());
    QVERIFY(csv.contains(",'@evil,"));
}

void TestPages::auditExports()
{
    m_window->showPage(QStringLiteral("audit"));
    AuditPage* page = m_window->auditPage();
    AuditFindingsModel* model = page->model();
    // Cart has no decision, Suppressed no owner: the audit says so.
    QTRY_VERIFY(model->rowCount() > 0);
    QStringList codes;
    for (int r = 0; r < model->rowCount(); ++r)
        codes << model->index(r, 0).data(CodeRole).toString();
    QVERIFY2(codes.contains(QStringLiteral("missing_owner")), qPrintable(codes.join(u',')));
    QVERIFY(codes.contains(QStringLiteral("missing_decision")));

    for (const auto& [button, file, start] :
         {std::tuple{"auditExportCsv", "audit.csv", QByteArray("\xEF\xBB\xBF")},
          std::tuple{"auditExportJson", "audit.json", QByteArray("{")},
          std::tuple{"auditExportMarkdown", "audit.md", QByteArray("#")}}) {
        const QString path = m_dir->filePath(QLatin1String(file));
        FileChooser::setTestAnswer(path);
        click(button);
        QFile f(path);
        QVERIFY2(f.open(QIODevice::ReadOnly), file);
        const QByteArray bytes = f.readAll();
        QVERIFY2(bytes.startsWith(start), file);
        // Markdown escapes the underscore.
        QVERIFY2(bytes.contains("missing_owner") || bytes.contains("missing\\_owner"), file);
    }
    QVERIFY(child<QLabel>(page, "auditSummary")->text().startsWith(QStringLiteral("Exported")));
}

void TestPages::runsShowCostsAndCancel()
{
    m_window->showPage(QStringLiteral("runs"));
    RunsModel* runs = m_window->runsModel();
    QTRY_VERIFY(runs->rowCount() >= 8);
    bool anyCalls = false;
    for (int r = 0; r < runs->rowCount(); ++r)
        anyCalls = anyCalls || runs->index(r, RunsModel::ApiCalls).data(SortRole).toLongLong() > 0;
    QVERIFY(anyCalls);
    QVERIFY(
        child<QLabel>(m_window.get(), "runsSummary")->text().contains(QStringLiteral("API calls")));
    auto* cancel = child<QPushButton>(m_window.get(), "runsCancel");
    QVERIFY(!cancel->isEnabled());

    // Slow Customer.io down so the sync is still running when Cancel is clicked.
    m_sandbox->setFaults(QJsonArray{QJsonObject{{QStringLiteral("route"), QStringLiteral("cio.*")},
                                                {QStringLiteral("latency_ms"), 1500}}});
    const int syncs = m_syncs;
    m_controller->syncAll();
    QTRY_VERIFY(cancel->isEnabled());
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(m_syncs > syncs, kSyncTimeoutMs);
    m_sandbox->clearFaults();
    QTRY_VERIFY(!cancel->isEnabled());
    QTRY_COMPARE(runs->index(0, 0).data(StatusNameRole).toString(), QStringLiteral("cancelled"));
}

void TestPages::settingsDialogSaves()
{
    child<QAction>(m_window.get(), "actionSettings")->trigger();
    SettingsDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = visibleChild<SettingsDialog>(m_window.get(), "settingsDialog")));
    QCOMPARE(child<QLineEdit>(dialog, "settingsCioUrl")->text(),
             m_sandbox->customerIo().toString());
    // Secrets of the session are there (masked) and can be tested.
    QCOMPARE(child<QLineEdit>(dialog, "settingsCioKey")->echoMode(), QLineEdit::Password);
    QTest::mouseClick(child<QPushButton>(dialog, "settingsTest"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(
        child<QLabel>(dialog, "settingsTestResult")->text().startsWith(QStringLiteral("✔")),
        20'000);
    auto* drift = child<QDoubleSpinBox>(dialog, "settingsDrift");
    drift->setValue(7.5);
    auto* pattern = child<QLineEdit>(dialog, "settingsPattern");
    pattern->setText(QStringLiteral("CIO | {intent} | {window"));
    QVERIFY(child<QLabel>(dialog, "settingsPatternCheck")->text().startsWith(QStringLiteral("✘")));
    pattern->setText(QStringLiteral("CIO | {intent} | {window} [| v{version}]"));
    QTest::mouseClick(child<QPushButton>(dialog, "settingsSave"), Qt::LeftButton);
    QTRY_COMPARE(m_window->workspaceSettings().thresholds.driftPercent, 7.5);
}

void TestPages::themeToggle()
{
    child<QAction>(m_window.get(), "actionThemeDark")->trigger();
    QVERIFY(paletteIsDark());
    QCOMPARE(QSettings().value(QStringLiteral("view/theme")).toString(), QStringLiteral("dark"));
    child<QAction>(m_window.get(), "actionThemeLight")->trigger();
    QVERIFY(!paletteIsDark());
    child<QAction>(m_window.get(), "actionThemeSystem")->trigger();
    QCOMPARE(currentTheme(), Theme::System);
}

void TestPages::trayNotifiesFailedRuns()
{
    const int before = m_window->tray()->count();
    // Mixpanel refuses every profile update (400, never retried): the run fails.
    m_sandbox->setFaults(QJsonArray{QJsonObject{
        {QStringLiteral("route"), QStringLiteral("mp.engage")}, {QStringLiteral("status"), 400}}});
    m_sandbox->tick(1);
    resyncAndWait({m_ids[0]}, RunKind::Full);
    m_sandbox->clearFaults();
    QTRY_VERIFY(m_window->tray()->count() > before);
    QVERIFY2(m_window->tray()->lastTitle().contains(QStringLiteral("sync")) ||
                 m_window->tray()->lastTitle().contains(QStringLiteral("alert")),
             qPrintable(m_window->tray()->lastTitle()));
}

QTEST_MAIN(TestPages)
#include "tst_pages.moc"
