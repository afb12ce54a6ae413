#include "notificationspage.h"

#include "channeleditor.h"
#include "secretstore.h"

#include "engine/notifier.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lockstep {

namespace {

QTableWidget* table(QWidget* parent, const char* name, const QStringList& headers)
{
    auto* t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(QLatin1String(name));
    t->setHorizontalHeaderLabels(headers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QString when(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QString();
}

} // namespace

NotificationsPage::NotificationsPage(Notifier* notifier, QWidget* parent)
    : QWidget(parent), m_notifier(notifier), m_keychain(new SecretStore(this)),
      m_channels(
          table(this, "notifyChannels",
                {tr("Id"), tr("Kind"), tr("Name"), tr("Key"), tr("Destination"), tr("Severities"),
                 tr("Mappings"), tr("Delivered"), tr("Pending"), tr("Failed")})),
      m_deliveries(table(this, "notifyDeliveries",
                         {tr("Time"), tr("Event"), tr("State"), tr("Attempts"), tr("Status"),
                          tr("Receiver's answer")})),
      m_answer(new QLabel(this)), m_edit(new QPushButton(tr("Edit…"), this)),
      m_delete(new QPushButton(tr("Delete"), this)),
      m_test(new QPushButton(tr("Send test message"), this))
{
    setObjectName(QStringLiteral("notificationsPage"));
    m_answer->setObjectName(QStringLiteral("notifyTestAnswer"));
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_edit->setObjectName(QStringLiteral("notifyEdit"));
    m_delete->setObjectName(QStringLiteral("notifyDelete"));
    m_test->setObjectName(QStringLiteral("notifyTest"));
    auto* add = new QPushButton(tr("Add channel…"), this);
    add->setObjectName(QStringLiteral("notifyAdd"));
    connect(add, &QPushButton::clicked, this, &NotificationsPage::addChannel);
    connect(m_edit, &QPushButton::clicked, this, &NotificationsPage::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &NotificationsPage::deleteSelected);
    connect(m_test, &QPushButton::clicked, this, &NotificationsPage::testSelected);
    connect(m_channels, &QTableWidget::itemSelectionChanged, this, [this] {
        const bool any = selectedId() != 0;
        m_edit->setEnabled(any);
        m_delete->setEnabled(any);
        m_test->setEnabled(any);
        showDeliveries();
    });
    auto* intro = new QLabel(tr("Alerts reach these channels once when they open, once when "
                                "their severity rises and once when they resolve, from "
                                "whichever process on the workspace delivers first (this "
                                "console, a runner, a sync)."),
                             this);
    intro->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_test);
    buttons->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_channels, 2);
    layout->addLayout(buttons);
    layout->addWidget(m_answer);
    layout->addWidget(new QLabel(tr("Recent deliveries of the selected channel"), this));
    layout->addWidget(m_deliveries, 3);
    m_edit->setEnabled(false);
    m_delete->setEnabled(false);
    m_test->setEnabled(false);
    connect(m_notifier, &Notifier::recorded, this, [this] { reload(); });
    reload();
}

void NotificationsPage::reload()
{
    ++m_busy;
    const qint64 keep = selectedId();
    m_notifier->listChannels(
        this, 20,
        [this, keep](const QList<NotificationChannel>& channels,
                     const QList<OutboxDelivery>& deliveries) {
            --m_busy;
            m_list = channels;
            m_recent = deliveries;
            m_channels->setRowCount(int(channels.size()));
            for (int r = 0; r < channels.size(); ++r) {
                const NotificationChannel& c = channels[r];
                int delivered = 0, pending = 0, failed = 0;
                for (const OutboxDelivery& d : deliveries) {
                    if (d.channelId != c.id)
                        continue;
                    delivered += d.state == QLatin1String("delivered");
                    pending += d.state == QLatin1String("pending");
                    failed += d.state == QLatin1String("failed");
                }
                QStringList recipients = c.mailTo;
                if (c.mailMonitor)
                    recipients << tr("each mapping's health monitor");
                QStringList maps;
                for (qint64 id : c.mappingIds)
                    maps << QString::number(id);
                const QStringList cells{
                    QString::number(c.id),
                    channelKindName(c.kind),
                    c.name,
                    c.key,
                    c.kind == ChannelKind::Email
                        ? c.target + QStringLiteral(" → ") + recipients.join(QStringLiteral(", "))
                        : c.target,
                    severitiesText(c.severities),
                    maps.isEmpty() ? tr("all") : maps.join(QStringLiteral(", ")),
                    QString::number(delivered),
                    QString::number(pending),
                    QString::number(failed)};
                for (int col = 0; col < cells.size(); ++col)
                    m_channels->setItem(r, col, new QTableWidgetItem(cells[col]));
            }
            m_channels->resizeColumnsToContents();
            if (keep)
                selectChannel(keep);
            else if (!channels.isEmpty() && m_channels->currentRow() < 0)
                m_channels->selectRow(0);
            showDeliveries();
            Q_EMIT loaded();
        });
}

qint64 NotificationsPage::selectedId() const
{
    const int row = m_channels->currentRow();
    if (row < 0 || !m_channels->item(row, 0))
        return 0;
    return m_channels->item(row, 0)->text().toLongLong();
}

void NotificationsPage::selectChannel(qint64 id)
{
    for (int r = 0; r < m_channels->rowCount(); ++r)
        if (m_channels->item(r, 0) && m_channels->item(r, 0)->text().toLongLong() == id)
            m_channels->selectRow(r);
}

void NotificationsPage::showDeliveries()
{
    const qint64 id = selectedId();
    QList<OutboxDelivery> rows;
    for (const OutboxDelivery& d : std::as_const(m_recent))
        if (d.channelId == id)
            rows << d;
    m_deliveries->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const OutboxDelivery& d = rows[r];
        const QString event = d.change + QStringLiteral(" · ") +
                              d.payload.value(QStringLiteral("alert"))
                                  .toObject()
                                  .value(QStringLiteral("rule"))
                                  .toString();
        const QStringList cells{when(d.finishedAtMs ? d.finishedAtMs : d.createdAtMs),
                                event,
                                d.state == QLatin1String("pending") && d.attempts > 0
                                    ? tr("retrying at %1").arg(when(d.nextAttemptAtMs))
                                    : d.state,
                                QString::number(d.attempts),
                                d.lastStatus ? QString::number(d.lastStatus) : QString(),
                                d.lastError};
        for (int col = 0; col < cells.size(); ++col)
            m_deliveries->setItem(r, col, new QTableWidgetItem(cells[col]));
    }
    m_deliveries->resizeColumnsToContents();
}

void NotificationsPage::store(const NotificationChannel& channel, const ChannelSecrets& secrets)
{
    ++m_busy;
    m_notifier->saveChannel(channel, this, [this, secrets](qint64 id, const QString& error) {
        --m_busy;
        if (!id) {
            m_answer->setText(tr("Not saved: %1").arg(error));
            return;
        }
        // The process delivers with them at once; the keychain keeps them for next time.
        m_notifier->secrets()->put(id, secrets);
        m_keychain->write(
            channelSecretKey(id), QString::fromUtf8(secrets.toJson()), [this, id](Status st) {
                m_answer->setText(st ? tr("Channel %1 saved.").arg(id)
                                     : tr("Channel %1 saved, but its secrets are for this "
                                          "session only: %2")
                                           .arg(QString::number(id), st.error().message));
            });
        selectChannel(id);
        reload();
        m_notifier->deliverNow();
    });
}

void NotificationsPage::addChannel()
{
    auto* editor = new ChannelEditor(this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &ChannelEditor::saved, this, &NotificationsPage::store);
    editor->open();
}

void NotificationsPage::editSelected()
{
    const qint64 id = selectedId();
    for (const NotificationChannel& c : std::as_const(m_list)) {
        if (c.id != id)
            continue;
        auto* editor = new ChannelEditor(this);
        editor->setAttribute(Qt::WA_DeleteOnClose);
        editor->setChannel(c, m_notifier->secrets()->find(id, c.key).value_or(ChannelSecrets{}));
        connect(editor, &ChannelEditor::saved, this, &NotificationsPage::store);
        editor->open();
    }
}

void NotificationsPage::deleteSelected()
{
    const qint64 id = selectedId();
    if (!id)
        return;
    ++m_busy;
    m_notifier->removeChannel(id, this, [this](qint64 removed, const QString& error) {
        --m_busy;
        if (!removed) {
            m_answer->setText(tr("Not deleted: %1").arg(error));
            return;
        }
        m_notifier->secrets()->forget(removed);
        m_keychain->remove(channelSecretKey(removed), [](Status) {});
        m_answer->setText(tr("Channel %1 deleted.").arg(removed));
        reload();
    });
}

void NotificationsPage::testSelected()
{
    const qint64 id = selectedId();
    if (!id)
        return;
    ++m_busy;
    m_answer->setText(tr("Sending a test message to channel %1…").arg(id));
    m_notifier->testChannel(id, this, [this, id](bool ok, int status, const QString& answer) {
        --m_busy;
        m_answer->setText(ok ? tr("Channel %1 answered: %2").arg(QString::number(id), answer)
                             : tr("Channel %1 did not take the message (%2): %3")
                                   .arg(QString::number(id),
                                        status ? QString::number(status) : tr("no answer"),
                                        answer));
        reload();
    });
}

} // namespace lockstep
