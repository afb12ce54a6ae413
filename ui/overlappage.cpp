#include "overlappage.h"

#include "themes.h"

#include "displayformat.h"
#include "emptystate.h"
#include "engine/synccontroller.h"
#include "lockstepresources.h"
#include "modelroles.h"
#include "overlapheatdelegate.h"
#include "overlapmodel.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace lockstep {

OverlapPage::OverlapPage(SyncController* controller, QWidget* parent)
    : Page(parent), m_controller(controller), m_model(new OverlapModel(this)),
      m_stack(new QStackedWidget(this)), m_view(new QTableView(this)),
      m_empty(new EmptyState(this)), m_share(new QRadioButton(tr("Share of row in column"), this)),
      m_jaccard(new QRadioButton(tr("Jaccard"), this)), m_countBy(new QComboBox(this)),
      m_note(new QLabel(this)), m_pair(new QLabel(this)), m_label(new QLineEdit(this)),
      m_watch(new QPushButton(tr("Watch pair"), this))
{
    setObjectName(QStringLiteral("overlapPage"));
    m_model->setObjectName(QStringLiteral("overlapModel"));
    m_view->setObjectName(QStringLiteral("overlapView"));
    m_empty->setObjectName(QStringLiteral("overlapEmpty"));
    m_share->setObjectName(QStringLiteral("overlapShare"));
    m_jaccard->setObjectName(QStringLiteral("overlapJaccard"));
    m_countBy->setObjectName(QStringLiteral("overlapCountBy"));
    m_note->setObjectName(QStringLiteral("overlapNote"));
    m_pair->setObjectName(QStringLiteral("overlapPair"));
    m_label->setObjectName(QStringLiteral("overlapWatchLabel"));
    m_watch->setObjectName(QStringLiteral("overlapWatch"));

    m_view->setModel(m_model);
    m_view->setItemDelegate(new OverlapHeatDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setShowGrid(false);
    m_view->setWordWrap(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->horizontalHeader()->setDefaultAlignment(
        Qt::Alignment(int(Qt::AlignCenter) | int(Qt::TextWordWrap)));
    m_view->horizontalHeader()->setMinimumHeight(m_view->fontMetrics().height() * 3 + 8);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_view->verticalHeader()->setMinimumSectionSize(m_view->fontMetrics().height() * 2 + 8);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &OverlapPage::updatePair);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        updateEmptyState();
        updatePair();
        updateNote();
    });

    auto* group = new QButtonGroup(this);
    group->addButton(m_share);
    group->addButton(m_jaccard);
    m_share->setChecked(true);
    m_share->setToolTip(tr("Which share of the row cohort's members are also in the "
                           "column cohort"));
    m_jaccard->setToolTip(tr("Shared members over members of either (symmetric)"));
    connect(m_jaccard, &QRadioButton::toggled, this, [this](bool on) {
        m_model->setMetric(on ? OverlapModel::Metric::Jaccard
                              : OverlapModel::Metric::ShareOfRowInColumn);
        updatePair();
    });

    m_countBy->addItem(tr("People (Customer.io cio_id)"), int(OverlapModel::View::People));
    m_countBy->addItem(tr("Mixpanel keys ($distinct_id)"), int(OverlapModel::View::Keys));
    m_countBy->setToolTip(tr("People: who is in both cohorts, whatever key each mapping sends "
                             "(watched pairs are judged so). Mixpanel keys: what Mixpanel holds; "
                             "cohorts keyed differently share no keys."));
    connect(m_countBy, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setView(OverlapModel::View(m_countBy->currentData().toInt())); });
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::RichText);

    m_pair->setWordWrap(true);
    m_pair->setTextFormat(Qt::RichText);
    m_label->setPlaceholderText(tr("Why must they stay disjoint? (e.g. suppression)"));
    connect(m_watch, &QPushButton::clicked, this, &OverlapPage::toggleWatched);

    m_empty->setIcon(pageIcon(QStringLiteral("overlap")));
    m_empty->setTitle(tr("Nothing to compare yet"));
    m_empty->setText(
        tr("Overlap compares what Mixpanel holds for each mapped cohort.<br>Sync at least two "
           "mappings (Ctrl+Shift+R), then watch the pairs that must stay disjoint, such as "
           "<i>Suppressed</i> and <i>Winback</i>."));

    auto* mapPane = new QWidget(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Cell shows:"), this));
    top->addWidget(m_share);
    top->addWidget(m_jaccard);
    top->addSpacing(16);
    top->addWidget(new QLabel(tr("Count by:"), this));
    top->addWidget(m_countBy);
    top->addStretch();
    auto* pairBar = new QHBoxLayout;
    pairBar->addWidget(m_label, 1);
    pairBar->addWidget(m_watch);
    auto* mapLayout = new QVBoxLayout(mapPane);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addLayout(top);
    mapLayout->addWidget(m_note);
    mapLayout->addWidget(m_view, 1);
    mapLayout->addWidget(m_pair);
    mapLayout->addLayout(pairBar);
    m_stack->addWidget(mapPane);
    m_stack->addWidget(m_empty);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    updateEmptyState();
    updatePair();
}

void OverlapPage::reload()
{
    m_controller->health()->loadOverlap().then(this, &OverlapPage::setOverlap);
}

void OverlapPage::setOverlap(const OverlapData& data)
{
    m_model->setOverlap(data);
}

void OverlapPage::selectPair(int row, int column)
{
    m_view->selectionModel()->setCurrentIndex(m_model->index(row, column),
                                              QItemSelectionModel::ClearAndSelect);
}

void OverlapPage::toggleWatched()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.row() == current.column())
        return;
    const qint64 a = m_model->mappingAt(current.row());
    const qint64 b = m_model->mappingAt(current.column());
    if (m_model->isWatched(a, b)) {
        m_controller->health()->removeWatchedPair(a, b).then(this, &OverlapPage::setOverlap);
        return;
    }
    WatchedPair p;
    p.mappingA = a;
    p.mappingB = b;
    p.label = m_label->text().trimmed();
    if (p.label.isEmpty())
        p.label = tr("must stay disjoint");
    m_controller->health()->addWatchedPair(p).then(this, &OverlapPage::setOverlap);
}

void OverlapPage::updatePair()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid() || current.row() == current.column() || m_model->rowCount() == 0) {
        m_pair->setText(tr("Select a cell to see the pair's counts; watch a pair "
                           "that must stay disjoint."));
        m_watch->setEnabled(false);
        m_label->setEnabled(false);
        return;
    }
    const OverlapStats s = m_model->stats(current.row(), current.column());
    const bool watched = m_model->isWatched(s.mappingA, s.mappingB);
    const QLocale l;
    QString text =
        tr("<b>%1</b> (%2) and <b>%3</b> (%4): <b>%5</b> shared, %6 in either. "
           "%7 % of the first is in the second, %8 % of the second in the first; "
           "Jaccard %9.")
            .arg(m_model->nameAt(current.row()).toHtmlEscaped(), format::count(qint64(s.sizeA)),
                 m_model->nameAt(current.column()).toHtmlEscaped(), format::count(qint64(s.sizeB)),
                 format::count(qint64(s.intersection)), format::count(qint64(s.unionSize())),
                 l.toString(s.shareOfAInB() * 100, 'f', 1),
                 l.toString(s.shareOfBInA() * 100, 'f', 1), l.toString(s.jaccard(), 'f', 3));
    if (watched)
        text += QLatin1Char(' ') +
                (s.intersection > 0
                     ? QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>")
                           .arg(messageColor(MessageKind::Error, paletteIsDark()).name(),
                                tr("Watched: they must stay disjoint, and they overlap."))
                     : tr("Watched: disjoint, as they must be."));
    m_pair->setText(text);
    m_watch->setEnabled(true);
    m_label->setEnabled(!watched);
    m_watch->setText(watched ? tr("Stop watching") : tr("Watch pair"));
}

void OverlapPage::updateNote()
{
    QStringList lines;
    const OverlapData& d = m_model->overlap();
    const auto nameOf = [&d](qint64 id) {
        const qsizetype i = d.matrix.mappingIds.indexOf(id);
        return i >= 0 ? d.matrix.names[i] : QString::number(id);
    };
    const QList<OverlapModel::Difference> differences = m_model->differences();
    if (!differences.isEmpty()) {
        const OverlapModel::Difference& top = differences.first();
        //: %n pairs; %1 and %2 cohort names; %3 shared people, %4 shared Mixpanel keys
        lines << tr("By person, %n pair(s) overlap differently than by Mixpanel key (the "
                    "mappings send different keys): e.g. <b>%1</b> and <b>%2</b> share %3 "
                    "people but %4 keys. Watched pairs are judged by person.",
                    nullptr, int(differences.size()))
                     .arg(nameOf(top.mappingA).toHtmlEscaped(),
                          nameOf(top.mappingB).toHtmlEscaped(), format::count(qint64(top.byPerson)),
                          format::count(qint64(top.byKey)));
    }
    if (!d.peopleMissing.isEmpty() && m_model->view() == OverlapModel::View::People) {
        QStringList names;
        for (qint64 id : d.peopleMissing)
            names << QStringLiteral("<b>%1</b>").arg(nameOf(id).toHtmlEscaped());
        lines << tr("Not in the person view until their next sync: %1.")
                     .arg(names.join(QStringLiteral(", ")));
    }
    m_note->setText(lines.join(QStringLiteral("<br>")));
    m_note->setVisible(!lines.isEmpty());
}

void OverlapPage::updateEmptyState()
{
    m_stack->setCurrentIndex(m_model->rowCount() >= 2 ? 0 : 1);
}

} // namespace lockstep
