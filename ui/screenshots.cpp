#include "screenshots.h"

#include "doctorview.h"
#include "healthpage.h"
#include "identityadviceview.h"
#include "mainwindow.h"
#include "mappingeditor.h"
#include "mappingsmodel.h"
#include "mappingspage.h"
#include "notificationspage.h"
#include "openrehearsalsdialog.h"
#include "rehearsaldialog.h"
#include "runsmodel.h"
#include "settingsdialog.h"
#include "spotcheckdialog.h"
#include "themes.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

#include <functional>

namespace lockstep {

namespace {
// Runs the event loop until `done` or the timeout; true when done.
bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done() && t.elapsed() < timeoutMs)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    return done();
}

void settle(int ms)
{
    waitFor([] { return false; }, ms);
}

// The window with `dialog` drawn over it where it stands. No window manager draws the
// dialog's frame here: a shadow and an edge set it apart.
QPixmap windowWithDialog(QWidget& window, QWidget* dialog)
{
    QPixmap shot = window.grab();
    QPainter p(&shot);
    const QPoint at = dialog->geometry().topLeft() - window.geometry().topLeft();
    const QPixmap picture = dialog->grab();
    p.fillRect(QRect(at + QPoint(6, 6), picture.size()), QColor(0, 0, 0, 60));
    p.drawPixmap(at, picture);
    p.setPen(QColor(90, 90, 90));
    p.drawRect(QRect(at, picture.size()).adjusted(0, 0, -1, -1));
    return shot;
}
} // namespace

QStringList saveOpenRehearsalsScreenshot(MainWindow& window, const QString& dir)
{
    QStringList written;
    OpenRehearsalsDialog* d = window.openRehearsals();
    if (!d)
        return written;
    waitFor([d, &window] { return d->rowCount() > 0 && window.openRehearsalCount() > 0; }, 10000);
    d->move(window.geometry().right() - d->width() - 40,
            window.geometry().bottom() - d->height() - 60);
    settle(500);
    // The window with its status-bar hint, and the list over it.
    const QPixmap shot = windowWithDialog(window, d);
    const QString path = QDir(dir).filePath(QStringLiteral("open-rehearsals.png"));
    if (shot.save(path))
        written.append(path);
    // The demo leaves nothing behind in its Mixpanel.
    for (qint64 id : d->listedIds()) {
        d->cleanUp(id);
        waitFor([d] { return !d->isBusy(); }, 30000);
    }
    waitFor([d] { return d->rowCount() == 0; }, 5000);
    d->close();
    settle(100);
    return written;
}

QStringList saveTrustScreenshots(MainWindow& window, const QString& dir)
{
    QStringList written;
    MappingsModel* model = window.mappingsModel();
    if (model->mappings().isEmpty())
        return written;
    window.showPage(QStringLiteral("mappings"));
    window.mappingsPage()->selectMapping(model->mappings().first().mapping.id);
    settle(200);

    QString tester;
    if (RehearsalDialog* d = window.mappingsPage()->rehearseSelected()) {
        if (waitFor([d] { return d->segmentCount() > 0; }, 15000) && d->selectSmallestSegment()) {
            d->run();
            waitFor([d] { return !d->isBusy(); }, 30000);
        }
        settle(300);
        const QString path = QDir(dir).filePath(QStringLiteral("rehearsal.png"));
        if (d->grab().save(path))
            written.append(path);
        bool kept = false;
        if (d->result()) {
            for (const PersonCheck& p : d->result()->people)
                if (p.email && tester.isEmpty())
                    tester = *p.email;
            // Closed without Clean up and kept, as an operator may: the Open rehearsals list
            // is pictured next, and cleans it up.
            d->reject();
            QMessageBox* ask = nullptr;
            waitFor(
                [&] {
                    return (ask = d->findChild<QMessageBox*>(
                                QStringLiteral("rehearsalCloseConfirm"))) != nullptr;
                },
                5000);
            if (auto* keep =
                    ask ? ask->findChild<QPushButton*>(QStringLiteral("rehearsalCloseKeep"))
                        : nullptr) {
                keep->click();
                kept = true;
            } else {
                d->cleanUp();
                waitFor([d] { return !d->isBusy(); }, 30000);
            }
        }
        if (!kept)
            d->close();
        settle(100);
        if (kept)
            written += saveOpenRehearsalsScreenshot(window, dir);
    }
    if (SpotCheckDialog* d = window.mappingsPage()->spotCheckSelected()) {
        waitFor([d] { return d->budget().left >= 0; }, 5000);
        // Someone named on top of the random draw: a tester from the rehearsal.
        if (!tester.isEmpty())
            d->setNamed({tester});
        d->run();
        waitFor([d] { return !d->isBusy(); }, 30000);
        settle(300);
        const QString path = QDir(dir).filePath(QStringLiteral("spotcheck.png"));
        if (d->grab().save(path))
            written.append(path);
        d->close();
        settle(100);
    }
    return written;
}

QStringList saveAdvisorScreenshot(MainWindow& window, const QString& dir)
{
    QStringList written;
    // The first mapping with a ghost-profile alert, on the Health page.
    HealthPage* health = window.healthPage();
    window.showPage(QStringLiteral("health"));
    qint64 ghost = 0;
    for (const MappingOverview& o : window.mappingsModel()->mappings()) {
        const MappingVerdict* v = window.mappingsModel()->verdict(o.mapping.id);
        if (!v)
            continue;
        for (const VerdictReason& r : v->reasons)
            if (r.code == QLatin1String("unknown_profiles") && ghost == 0)
                ghost = o.mapping.id;
    }
    if (ghost == 0)
        return written;
    // A laptop screen: the window fills it.
    const QSize before = window.size();
    window.resize(1440, 900);
    health->selectMappings({ghost});
    if (!waitFor([health] { return health->selectAlert(QStringLiteral("unknown_profiles")); },
                 10000))
        return written;
    settle(300);
    IdentityAdviceDialog* d = health->askAdvisor();
    if (!d)
        return written;
    waitFor([d] { return !d->isBusy(); }, 60000);
    // Over the window's lower right, as it opens on a desktop.
    d->move(window.geometry().right() - d->width() - 40,
            window.geometry().bottom() - d->height() - 40);
    settle(500);
    // The window and the dialog in one picture, whatever the platform can grab of a screen.
    const QPixmap shot = windowWithDialog(window, d);
    const QString path = QDir(dir).filePath(QStringLiteral("ghostprofiles.png"));
    if (shot.save(path))
        written.append(path);
    d->close();
    window.resize(before);
    settle(100);
    return written;
}

QStringList saveDoctorScreenshot(MainWindow& window, const QString& dir)
{
    QStringList written;
    SettingsDialog* d = window.openSettings();
    if (!d)
        return written;
    // A laptop screen's worth, tall enough for every row of the demo.
    d->resize(1100, 900);
    settle(200);
    d->checkConnection();
    if (waitFor([d] { return !d->isChecking(); }, 60000)) {
        settle(300);
        const QString path = QDir(dir).filePath(QStringLiteral("doctor.png"));
        if (d->grab().save(path))
            written.append(path);
    }
    d->close();
    settle(100);
    return written;
}

QStringList saveSafetyScreenshots(MainWindow& window, const QString& dir)
{
    QStringList written;
    MappingsModel* model = window.mappingsModel();
    if (model->mappings().isEmpty())
        return written;
    window.showPage(QStringLiteral("mappings"));
    settle(200);
    if (MappingEditor* e = window.mappingsPage()->addMapping()) {
        waitFor([e] { return e->segmentsLoaded(); }, 30000);
        // A segment already mapped and a name typed without separators: the warnings and
        // the suggestion the form shows.
        const Mapping& first = model->mappings().first().mapping;
        if (auto* picker = e->findChild<QComboBox*>(QStringLiteral("mappingEditorSegmentPicker"))) {
            const int index = picker->findData(first.segmentId);
            if (index >= 0) {
                picker->setCurrentIndex(index);
                Q_EMIT picker->activated(index);
            }
        }
        if (auto* cohort = e->findChild<QLineEdit*>(QStringLiteral("mappingEditorCohort")))
            cohort->setText(QStringLiteral("winback 60-90 days"));
        settle(300);
        const QString path = QDir(dir).filePath(QStringLiteral("add-mapping.png"));
        if (e->grab().save(path))
            written.append(path);
        e->reject();
        settle(100);
    }
    if (auto* view = window.findChild<QTableView*>(QStringLiteral("mappingsView")))
        view->clearSelection();
    if (auto* full = window.findChild<QAction*>(QStringLiteral("actionFullResync"))) {
        full->trigger();
        QMessageBox* box = nullptr;
        waitFor(
            [&] {
                return (box = window.findChild<QMessageBox*>(
                            QStringLiteral("confirmFullResync"))) != nullptr;
            },
            5000);
        if (box) {
            settle(300);
            const QString path = QDir(dir).filePath(QStringLiteral("confirm-full-resync.png"));
            if (box->grab().save(path))
                written.append(path);
            box->reject(); // nothing is resynced
            settle(100);
        }
    }
    RunsModel* runs = window.runsModel();
    auto running = [runs] {
        for (const RunRecord& r : runs->runs())
            if (r.status == RunStatus::Running)
                return true;
        return false;
    };
    if (auto* all = window.findChild<QAction*>(QStringLiteral("actionResyncAll"))) {
        // Resync all asks first (the mappings and their people): pictured, then confirmed.
        window.showPage(QStringLiteral("mappings"));
        all->trigger();
        QMessageBox* box = nullptr;
        waitFor(
            [&] {
                return (box = window.findChild<QMessageBox*>(QStringLiteral("confirmResyncAll"))) !=
                       nullptr;
            },
            5000);
        auto* yes =
            box ? box->findChild<QAbstractButton*>(QStringLiteral("confirmResyncAllYes")) : nullptr;
        if (yes) {
            settle(300);
            const QString path = QDir(dir).filePath(QStringLiteral("confirm-resync-all.png"));
            if (box->grab().save(path))
                written.append(path);
            yes->click();
        }
        // A run in flight in its Mappings row, then as a live row of the Runs page.
        // Best with figures in them (a page read); a run faster than that is pictured as it is.
        auto rowLive = [model](bool withFigures) {
            for (const MappingOverview& o : model->mappings())
                if (const SyncProgress* p = model->progress(o.mapping.id))
                    if (!withFigures || p->pagesRead > 0)
                        return true;
            return false;
        };
        // A short sync may end before any page is read: the first live moment seen is kept
        // for that case.
        QPixmap firstLive;
        bool started = false;
        auto liveOrOver = [&] {
            started = started || running() || !all->isEnabled();
            if (firstLive.isNull() && rowLive(false))
                firstLive = window.grab();
            return rowLive(true) || (started && !running() && all->isEnabled());
        };
        const bool withFigures = yes && waitFor(liveOrOver, 30000) && rowLive(true);
        if (withFigures) {
            settle(150);
            firstLive = window.grab();
        }
        if (!firstLive.isNull()) {
            const QString path = QDir(dir).filePath(QStringLiteral("mappings-live.png"));
            if (firstLive.save(path))
                written.append(path);
        }
        window.showPage(QStringLiteral("runs"));
        if (yes && waitFor(running, 30000)) {
            const QString path = QDir(dir).filePath(QStringLiteral("runs-live.png"));
            if (window.grab().save(path))
                written.append(path);
        }
        waitFor([&] { return !running() && all->isEnabled(); }, 120000);
        settle(500);
    }
    return written;
}

QStringList saveNotificationsScreenshot(MainWindow& window, const QString& dir)
{
    QStringList written;
    SettingsDialog* d = window.openSettings();
    if (!d || !d->notificationsPage())
        return written;
    d->resize(1200, 820);
    d->showTab(QStringLiteral("notificationsPage"));
    NotificationsPage* page = d->notificationsPage();
    // The demo's sync raised alerts: let the deliveries be recorded, then ask the Slack
    // channel for a test message and show its answer.
    waitFor([page] { return !page->isBusy() && page->channelsTable()->rowCount() > 0; }, 10000);
    settle(1500);
    page->reload();
    waitFor([page] { return !page->isBusy(); }, 5000);
    if (page->channelsTable()->rowCount() > 0) {
        page->selectChannel(page->channelsTable()->item(0, 0)->text().toLongLong());
        page->testSelected();
        waitFor([page] { return !page->isBusy(); }, 20000);
    }
    settle(500);
    const QString path = QDir(dir).filePath(QStringLiteral("notifications.png"));
    if (d->grab().save(path))
        written.append(path);
    d->close();
    settle(100);
    return written;
}

QStringList saveScreenshots(MainWindow& window, const QString& dir)
{
    QStringList written;
    if (!QDir().mkpath(dir))
        return written;
    const QString previous = window.currentPageKey();
    // The window as operators get it (its first launch fits the screen): pictures at a
    // larger size would hide what does not fit.
    if (!window.isVisible())
        window.show();
    auto shoot = [&](const QString& key, const QString& file) {
        window.showPage(key);
        // A page asks the engine for its data when shown: let the answers arrive and the
        // layouts settle before grabbing (the worker answers within milliseconds).
        settle(700);
        const QString path = QDir(dir).filePath(file);
        if (window.grab().save(path))
            written.append(path);
    };
    for (const QString& key : window.pageKeys())
        shoot(key, key + QStringLiteral(".png"));
    // The main views in the other palette too: contrast must hold in both.
    const bool dark = paletteIsDark();
    QAction* other = window.findChild<QAction*>(dark ? QStringLiteral("actionThemeLight")
                                                     : QStringLiteral("actionThemeDark"));
    QAction* back = nullptr;
    for (const char* name : {"actionThemeSystem", "actionThemeLight", "actionThemeDark"})
        if (auto* a = window.findChild<QAction*>(QLatin1String(name)); a && a->isChecked())
            back = a;
    if (other) {
        other->trigger();
        const QString suffix = dark ? QStringLiteral("-light.png") : QStringLiteral("-dark.png");
        for (const QString& key : {QStringLiteral("mappings"), QStringLiteral("health")})
            shoot(key, key + suffix);
        if (back)
            back->trigger();
        settle(300);
    }
    window.showPage(previous);
    return written;
}

} // namespace lockstep
