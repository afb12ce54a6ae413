// Settings › Notifications on the real page and Notifier (its own thread), the network a
// FakeNetwork: the workspace's channel is listed; a receiver answering 500 shows as a
// delivery retrying with the receiver's status and words; once it answers, delivered;
// "Send test message" shows the answer; a channel added through the editor is listed and
// delivers at once (its secrets held by the process), gets a key, which the editor shows
// and edits; Delete removes it.
#include "fakenetwork.h"

#include "channeleditor.h"
#include "lockstepresources.h"
#include "notificationspage.h"

#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "health/alertstore.h"
#include "health/notificationchannel.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/clock.h"

#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace lockstep;
using namespace lockstep::test;

class TestNotifyGui : public QObject
{
    Q_OBJECT

    static QString cell(QTableWidget* t, int row, int col)
    {
        return t->item(row, col) ? t->item(row, col)->text() : QString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(installTranslations()); }

    void channelsDeliveriesAndTest()
    {
        QTemporaryDir dir;
        const QString location = dir.filePath(QStringLiteral("ws.sqlite"));
        qint64 channel = 0, mapping = 0;
        {
            auto ws = Workspace::open(location);
            QVERIFY(ws);
            Mapping m;
            m.segmentId = 3;
            m.cohortName = QStringLiteral("CIO | VIP | 30d");
            mapping = *MappingRepository(**ws).add(m);
            NotificationChannel c;
            c.kind = ChannelKind::Slack;
            c.name = QStringLiteral("#alerts");
            c.target = QStringLiteral("https://hooks.slack.com/…");
            channel = *ChannelRepository(**ws).add(c);
        }
        auto script = std::make_shared<FakeScript>();
        script->add(FakeRule::on("POST", QStringLiteral("/services/**"))
                        .times(1)
                        .reply(FakeResponse::text(500, "rollout_in_progress")));
        script->add(FakeRule::on("POST", QStringLiteral("/services/**"))
                        .reply(FakeResponse::text(200, "ok")));
        EngineContext::Setup setup = EngineContext::Setup::fromEnvironment();
        setup.network = FakeNetwork::factory(script);
        setup.options.notify.pollMs = 100;
        setup.options.notify.backoffBaseMs = 1500;
        setup.options.notify.backoffMaxMs = 1500;
        const EngineContext context(setup);
        auto book = std::make_shared<SecretBook>();
        ChannelSecrets secrets;
        secrets.url = QStringLiteral("https://hooks.slack.com/services/T1/B1/abcdefghijkl");
        book->put(channel, secrets);
        Notifier notifier(context, location, book);
        notifier.start();

        NotificationsPage page(&notifier);
        page.resize(1000, 700);
        page.show();
        QTRY_COMPARE(page.channelsTable()->rowCount(), 1);
        QCOMPARE(cell(page.channelsTable(), 0, 1), QStringLiteral("slack"));
        QCOMPARE(cell(page.channelsTable(), 0, 2), QStringLiteral("#alerts"));
        // The key a mappings file names the channel by (`<kind>-<id>` when none was given).
        QVERIFY2(cell(page.channelsTable(), 0, 3).startsWith(QStringLiteral("slack-")),
                 qPrintable(cell(page.channelsTable(), 0, 3)));

        // The alert's first attempt is refused: Settings shows it retrying, with the answer.
        {
            auto ws = Workspace::open(location);
            HealthFinding f;
            f.mappingId = mapping;
            f.rule = QString::fromLatin1(rule::kStaleSync);
            f.severity = AlertSeverity::Critical;
            f.message = QStringLiteral("No successful sync for 3 hours.");
            QVERIFY(AlertStore(**ws, *Clock::system()).raise(f));
        }
        notifier.deliverNow();
        QTRY_VERIFY(page.deliveriesTable()->rowCount() == 1 &&
                    cell(page.deliveriesTable(), 0, 4) == QLatin1String("500"));
        QVERIFY2(cell(page.deliveriesTable(), 0, 2).startsWith(QStringLiteral("retrying at")),
                 qPrintable(cell(page.deliveriesTable(), 0, 2)));
        QVERIFY(cell(page.deliveriesTable(), 0, 5).contains(QStringLiteral("rollout_in_progress")));
        QCOMPARE(cell(page.channelsTable(), 0, 8), QStringLiteral("1")); // pending
        QTRY_VERIFY_WITH_TIMEOUT(cell(page.deliveriesTable(), 0, 2) == QLatin1String("delivered"),
                                 8000);
        QCOMPARE(cell(page.deliveriesTable(), 0, 3), QStringLiteral("2"));

        // Send test message: the receiver's answer.
        QPushButton* test = page.findChild<QPushButton*>(QStringLiteral("notifyTest"));
        QVERIFY(test && test->isEnabled());
        QTest::mouseClick(test, Qt::LeftButton);
        QTRY_VERIFY(page.testAnswer()->text().contains(QStringLiteral("answered: ok")));

        // Add a channel through the editor.
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("notifyAdd")),
                          Qt::LeftButton);
        ChannelEditor* editor = nullptr;
        QTRY_VERIFY((editor = page.findChild<ChannelEditor*>()) != nullptr);
        editor->findChild<QLineEdit*>(QStringLiteral("channelUrl"))
            ->setText(QStringLiteral("https://hooks.slack.com/services/T2/B2/mnopqrstuvwx"));
        // Nothing subscribed: refused in the dialog, nothing saved.
        editor->findChild<QLineEdit*>(QStringLiteral("channelMappings"))
            ->setText(QStringLiteral("x"));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("channelSave")),
                          Qt::LeftButton);
        QVERIFY(editor->isVisible());
        QVERIFY(editor->findChild<QLabel*>(QStringLiteral("channelError"))
                    ->text()
                    .contains(QStringLiteral("x")));
        editor->findChild<QLineEdit*>(QStringLiteral("channelMappings"))
            ->setText(QString::number(mapping));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("channelSave")),
                          Qt::LeftButton);
        QTRY_COMPARE(page.channelsTable()->rowCount(), 2);
        const qint64 added = cell(page.channelsTable(), 1, 0).toLongLong();
        QCOMPARE(cell(page.channelsTable(), 1, 6), QString::number(mapping));
        QVERIFY(!cell(page.channelsTable(), 1, 3).contains(QStringLiteral("mnopqrstuvwx")));
        QVERIFY(book->find(added).has_value());
        {
            auto ws = Workspace::open(location);
            QCOMPARE(ChannelRepository(**ws).get(added)->key,
                     QStringLiteral("slack-%1").arg(added));
        }

        // Its key, shown and edited in the editor: one that is not a key is refused there,
        // one another channel has is refused by the workspace, a new one is stored.
        page.selectChannel(added);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("notifyEdit")),
                          Qt::LeftButton);
        QTRY_VERIFY((editor = page.findChild<ChannelEditor*>()) != nullptr && editor->isVisible());
        QLineEdit* key = editor->findChild<QLineEdit*>(QStringLiteral("channelKey"));
        QVERIFY(key);
        QCOMPARE(key->text(), QStringLiteral("slack-%1").arg(added));
        key->setText(QStringLiteral("12"));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("channelSave")),
                          Qt::LeftButton);
        QVERIFY(editor->isVisible());
        QVERIFY2(editor->findChild<QLabel*>(QStringLiteral("channelError"))
                     ->text()
                     .contains(QStringLiteral("digits alone")),
                 qPrintable(editor->findChild<QLabel*>(QStringLiteral("channelError"))->text()));
        key->setText(QStringLiteral("slack-%1").arg(channel));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("channelSave")),
                          Qt::LeftButton);
        QTRY_VERIFY(page.testAnswer()->text().contains(
            QStringLiteral("already channel %1's").arg(channel)));
        page.selectChannel(added);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("notifyEdit")),
                          Qt::LeftButton);
        QTRY_VERIFY((editor = page.findChild<ChannelEditor*>()) != nullptr && editor->isVisible());
        editor->findChild<QLineEdit*>(QStringLiteral("channelKey"))
            ->setText(QStringLiteral("vip-alerts"));
        QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("channelSave")),
                          Qt::LeftButton);
        QTRY_VERIFY(
            page.testAnswer()->text().startsWith(QStringLiteral("Channel %1 saved").arg(added)));
        {
            auto ws = Workspace::open(location);
            QCOMPARE(ChannelRepository(**ws).get(added)->key, QStringLiteral("vip-alerts"));
        }

        // Delete it.
        page.selectChannel(added);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("notifyDelete")),
                          Qt::LeftButton);
        QTRY_COMPARE(page.channelsTable()->rowCount(), 1);
        QVERIFY(!book->find(added).has_value());
    }
};

QTEST_MAIN(TestNotifyGui)
#include "tst_notify_gui.moc"
