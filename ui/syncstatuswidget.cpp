#include "syncstatuswidget.h"

#include "displayformat.h"
#include "lockstepresources.h"
#include "plainprogressbar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>

namespace lockstep {

namespace {
QString phaseText(const QString& phase)
{
    if (phase == QLatin1String("reading"))
        return SyncStatusWidget::tr("reading the segment");
    if (phase == QLatin1String("diffing"))
        return SyncStatusWidget::tr("comparing with the last sync");
    if (phase == QLatin1String("sending"))
        return SyncStatusWidget::tr("sending changes");
    if (phase == QLatin1String("done"))
        return SyncStatusWidget::tr("done");
    if (phase == QLatin1String("token"))
        return SyncStatusWidget::tr("proving the project token writes to the Mixpanel project");
    if (phase == QLatin1String("verifying"))
        return SyncStatusWidget::tr("verifying the entered keys in Mixpanel");
    return phase;
}
// Progress bars count in int; member counts can exceed it, so scale to per-mille.
constexpr int kScale = 1000;
} // namespace

SyncStatusWidget::SyncStatusWidget(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_bar(new PlainProgressBar(this)),
      m_cancel(new QToolButton(this))
{
    setObjectName(QStringLiteral("syncStatus"));
    m_label->setObjectName(QStringLiteral("syncStatusLabel"));
    m_bar->setObjectName(QStringLiteral("syncProgress"));
    m_cancel->setObjectName(QStringLiteral("syncCancel"));

    // Fixed sizes: a progress report changes the text many times a second, and a label
    // whose size may change makes the whole window lay itself out again each time (every
    // page's wrapped text measured anew), a visible stall. Long texts elide instead.
    m_label->setFixedSize(m_label->fontMetrics().averageCharWidth() * 64,
                          m_label->sizeHint().height());
    m_bar->setTextVisible(false);
    m_bar->setFixedSize(160, m_label->height());
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Cancel the sync (Esc): nothing new is sent, "
                            "acknowledged changes are kept"));
    m_cancel->setIcon(actionIcon(QStringLiteral("cancel")));
    m_cancel->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, this, [this] {
        m_cancel->setEnabled(false); // one click is enough; the engine confirms via busyChanged
        setText(tr("Cancelling…"));
        Q_EMIT cancelRequested();
    });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();
}

void SyncStatusWidget::setMappingNames(const QHash<qint64, QString>& names)
{
    m_names = names;
}

QString SyncStatusWidget::mappingName(qint64 id) const
{
    const QString name = m_names.value(id);
    return name.isEmpty() ? tr("mapping %1").arg(id) : name;
}

void SyncStatusWidget::syncStarted(int mappingCount)
{
    m_mappingCount = mappingCount;
    m_finished = 0;
    m_shownMapping = 0;
    m_bar->setRange(0, 0); // busy until the first progress report says how much there is
    setText(tr("Syncing %n mapping(s)…", nullptr, mappingCount));
    setBusy(true);
}

void SyncStatusWidget::showProgress(const SyncProgress& p)
{
    // Mapping 0: a step of the whole sync (the token probe before the runs, the verification
    // of their entered keys after them).
    QString text = p.mappingId
                       ? mappingName(p.mappingId) % QStringLiteral(": ") % phaseText(p.phase)
                       : phaseText(p.phase);
    if (p.total > 0) {
        m_bar->setRange(0, kScale);
        m_bar->setValue(int(std::clamp<qint64>(p.done * kScale / p.total, 0, kScale)));
        text += QStringLiteral(" %1 / %2").arg(format::count(p.done), format::count(p.total));
    } else {
        m_bar->setRange(0, 0);
        if (p.done > 0)
            text += QStringLiteral(" %1").arg(format::count(p.done));
    }
    m_shownMapping = p.mappingId;
    setText(m_mappingCount > 1 ? withCount(text) : text);
    setBusy(true);
}

QString SyncStatusWidget::withCount(const QString& text) const
{
    return tr("%1 (%2 of %3 done)")
        .arg(text, QString::number(m_finished), QString::number(m_mappingCount));
}

QString SyncStatusWidget::text() const
{
    return m_text;
}

void SyncStatusWidget::setText(const QString& text)
{
    if (text == m_text)
        return;
    m_text = text;
    m_label->setText(m_label->fontMetrics().elidedText(text, Qt::ElideMiddle, m_label->width()));
    m_label->setToolTip(m_label->text() == text ? QString() : text);
}

void SyncStatusWidget::runFinished(qint64 mappingId)
{
    ++m_finished;
    if (mappingId == 0 || mappingId != m_shownMapping || m_finished >= m_mappingCount)
        return;
    // Its figures are final, and the text would show it still running: the sync's count.
    m_shownMapping = 0;
    setText(withCount(tr("Syncing %n mapping(s)…", nullptr, m_mappingCount)));
}

void SyncStatusWidget::setBusy(bool busy)
{
    if (busy && isHidden()) {
        m_cancel->setEnabled(true);
        if (m_text.isEmpty())
            setText(tr("Syncing…"));
    }
    if (!busy) {
        setText({});
        m_bar->setRange(0, kScale);
        m_bar->setValue(0);
    }
    setVisible(busy);
}

} // namespace lockstep
