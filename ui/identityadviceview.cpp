#include "identityadviceview.h"

#include "displayformat.h"
#include "engine/synccontroller.h"
#include "modelroles.h"
#include "trustviews.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace lockstep {

namespace {
QString percent(double v)
{
    return QLocale().toString(v * 100, 'f', 1) + QStringLiteral(" %");
}

QString keyTitle(const QString& key)
{
    // id and cio_id are the services' field names: not translated.
    if (key == QLatin1String("email"))
        return IdentityAdviceView::tr("e-mail");
    if (key == QLatin1String("$email"))
        return IdentityAdviceView::tr("profile's $email");
    return key;
}
} // namespace

IdentityAdviceView::IdentityAdviceView(const QString& prefix, QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)),
      m_keys(makePeopleTable(this, "",
                             {tr("Looked up under"), tr("Match rate"), tr("Found"),
                              tr("Ghosts only"), tr("Without one")})),
      m_switch(new QPushButton(this))
{
    m_summary->setObjectName(prefix + QStringLiteral("Summary"));
    m_keys->setObjectName(prefix + QStringLiteral("Keys"));
    m_switch->setObjectName(prefix + QStringLiteral("Switch"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_keys->setToolTip(tr("Ghosts only: Mixpanel knows the key only through what Lockstep wrote. "
                          "Without one: sampled people who have no usable value of it."));
    m_keys->setVisible(false);
    m_keys->verticalHeader()->setVisible(false);
    m_keys->setMaximumHeight(150);
    m_switch->setVisible(false);
    connect(m_switch, &QPushButton::clicked, this, [this] {
        if (m_advice && m_advice->recommended)
            Q_EMIT switchRequested(m_advice->mappingId, *m_advice->recommended);
    });
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(m_keys);
    auto* row = new QHBoxLayout;
    row->addStretch();
    row->addWidget(m_switch);
    layout->addLayout(row);
    layout->addStretch(); // room goes below the answer, not between its lines
}

void IdentityAdviceView::setBusy(const QString& step)
{
    m_summary->setText(step);
    m_keys->setVisible(false);
    m_switch->setVisible(false);
}

void IdentityAdviceView::setError(const QString& message)
{
    m_advice.reset();
    m_summary->setText(QStringLiteral("✘ ") + message);
    m_keys->setVisible(false);
    m_switch->setVisible(false);
}

void IdentityAdviceView::setAdvice(const IdentityAdvice& a)
{
    m_advice = a;
    QString text = a.summary;
    if (!a.note.isEmpty())
        text += QLatin1Char('\n') + tr("Note: %1").arg(a.note);
    //: %1 people looked up, %2 members of the segment, %n queries used
    text += QLatin1Char('\n') +
            tr("%1 of %2 members looked up in Mixpanel with %n query(ies).", nullptr, a.queriesUsed)
                .arg(format::count(a.sampled), format::count(a.members));
    m_summary->setText(text);
    m_keys->setRowCount(0);
    for (const KeyMatch& k : a.keys) {
        const int row = m_keys->rowCount();
        m_keys->insertRow(row);
        const bool best = a.recommended && k.key == identityKeyName(*a.recommended);
        auto* name = textCell(keyTitle(k.key) + (best ? tr(" (recommended)") : QString()));
        name->setData(CodeRole, k.key);
        m_keys->setItem(row, 0, name);
        if (!k.lookedUp) {
            m_keys->setItem(row, 1, textCell(tr("not looked up")));
            continue;
        }
        auto* rate = textCell(percent(k.rate(a.sampled)));
        rate->setData(ValueRole, k.rate(a.sampled));
        m_keys->setItem(row, 1, rate);
        m_keys->setItem(row, 2,
                        textCell(format::count(k.matched), k.examples.join(QStringLiteral(", "))));
        m_keys->setItem(row, 3, textCell(format::count(k.ghosts)));
        m_keys->setItem(row, 4, textCell(format::count(a.sampled - k.carried)));
    }
    m_keys->resizeColumnsToContents();
    m_keys->setVisible(!a.keys.isEmpty());
    updateSwitch();
}

void IdentityAdviceView::setSwitchable(bool on)
{
    m_switchable = on;
    updateSwitch();
}

void IdentityAdviceView::updateSwitch()
{
    const bool show = m_switchable && m_advice && m_advice->change && m_advice->recommended &&
                      m_advice->mappingId > 0;
    m_switch->setVisible(show);
    if (show)
        m_switch->setText(
            tr("Switch to %1 (new version)").arg(identityKeyName(*m_advice->recommended)));
}

IdentityAdviceDialog::IdentityAdviceDialog(SyncController* controller, const Mapping& mapping,
                                           QWidget* parent)
    : QDialog(parent), m_controller(controller), m_mapping(mapping),
      m_view(new IdentityAdviceView(QStringLiteral("advice"), this)), m_outcome(new QLabel(this))
{
    setObjectName(QStringLiteral("identityAdviceDialog"));
    setWindowTitle(tr("Identity advisor — %1").arg(mapping.cohortName));
    m_view->setSwitchable(true);
    m_outcome->setObjectName(QStringLiteral("adviceOutcome"));
    m_outcome->setWordWrap(true);
    auto* heading = new QLabel(
        tr("<b>Identity advisor</b> — %1").arg(mapping.cohortName.toHtmlEscaped()), this);
    heading->setObjectName(QStringLiteral("adviceHeading"));
    auto* intro = new QLabel(
        tr("Which identifier does Mixpanel know this segment's people by? A sample of members is "
           "looked up under their id, e-mail and cio_id, and by their profile's $email (at most 3 "
           "of the hour's Mixpanel queries). This mapping sends: %1.")
            .arg(identityKeyName(mapping.identity)),
        this);
    intro->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_outcome);
    layout->addWidget(buttons);
    resize(720, 420);

    connect(m_view, &IdentityAdviceView::switchRequested, this,
            [this](qint64 mappingId, IdentityKey key) {
                m_switching = true;
                m_view->setSwitchable(false);
                m_outcome->setText(
                    tr("Making a new version keyed by %1…").arg(identityKeyName(key)));
                m_controller->mappings()
                    ->adoptIdentityKey(mappingId, key)
                    .then(this,
                          [this, key](qint64 id) {
                              m_switching = false;
                              m_newVersion = id;
                              m_outcome->setText(
                                  tr("Done: a new version keyed by %1 syncs from the next run; "
                                     "“%2” is paused. Point the Mixpanel cohort and its reports "
                                     "at the new version's value.")
                                      .arg(identityKeyName(key), m_mapping.cohortName));
                              Q_EMIT switched(id);
                          })
                    .onFailed(this, [this](const SyncError& e) {
                        m_switching = false;
                        m_view->setSwitchable(true);
                        m_outcome->setText(tr("Not switched: %1").arg(e.message));
                    });
            });
}

void IdentityAdviceDialog::run()
{
    m_pending = true;
    m_outcome->clear();
    m_view->setBusy(tr("Asking the advisor…"));
    m_controller->trust()
        ->adviseIdentity(m_mapping)
        .onProgress(this, [this](const QString& step) { m_view->setBusy(step); })
        .then(this,
              [this](const IdentityAdvice& a) {
                  m_pending = false;
                  m_view->setAdvice(a);
                  Q_EMIT advised(a);
              })
        .onFailed(this, [this](const SyncError& e) {
            m_pending = false;
            m_view->setError(e.message);
        });
}

} // namespace lockstep
