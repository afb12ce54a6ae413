#include "trustviews.h"

#include "modelroles.h"
#include "tableviews.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QHeaderView>
#include <QTableWidget>

namespace lockstep {

namespace {
// Free functions have no tr() of their own: this gives their strings one context.
struct TrustViewsText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::TrustViews)
};
} // namespace

QString budgetText(const QueryBudgetState& b)
{
    if (b.left < 0)
        return TrustViewsText::tr("reading the Mixpanel query budget…");
    if (b.left == 0) {
        const QString when =
            b.nextFreeAtMs > 0
                ? QDateTime::fromMSecsSinceEpoch(b.nextFreeAtMs).toString(QStringLiteral("HH:mm"))
                : TrustViewsText::tr("within the hour");
        return TrustViewsText::tr("No Mixpanel queries left this hour (%1 an hour): the next one "
                                  "frees up at %2.")
            .arg(QString::number(b.perHour), when);
    }
    return TrustViewsText::tr("%1 of %n Mixpanel queries left this hour", nullptr, b.perHour)
        .arg(b.left);
}

QTableWidget* makePeopleTable(QWidget* parent, const char* objectName, const QStringList& headers)
{
    auto* t = new QTableWidget(0, int(headers.size()), parent);
    t->setObjectName(QLatin1String(objectName));
    t->setHorizontalHeaderLabels(headers);
    setUpTableView(t);
    t->setSortingEnabled(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem* textCell(const QString& text, const QString& tip)
{
    auto* item = new QTableWidgetItem(text);
    if (!tip.isEmpty())
        item->setToolTip(tip);
    return item;
}

QTableWidgetItem* resultCell(const PersonCheck& p)
{
    // Someone in neither system was not checked at all: neither a pass nor a disagreement.
    if (p.reason == QLatin1String(trustreason::kNotFound)) {
        auto* item = new QTableWidgetItem(TrustViewsText::tr("Not found"));
        item->setData(StatusToneRole, int(StatusTone::Bad));
        item->setData(StatusNameRole, QStringLiteral("not_found"));
        return item;
    }
    auto* item =
        new QTableWidgetItem(p.passed ? TrustViewsText::tr("Pass") : TrustViewsText::tr("Fail"));
    item->setData(StatusToneRole, int(p.passed ? StatusTone::Good : StatusTone::Bad));
    item->setData(StatusNameRole, p.passed ? QStringLiteral("pass") : QStringLiteral("fail"));
    return item;
}

QTableWidgetItem* yesNoCell(bool yes)
{
    auto* item = new QTableWidgetItem(yes ? TrustViewsText::tr("yes") : TrustViewsText::tr("no"));
    item->setData(ValueRole, yes);
    return item;
}

QString reasonTitle(const QString& code)
{
    // Source texts, translated on each call: a cached translation would outlive a
    // translator installed later.
    static const QHash<QString, const char*> titles = {
        {QString::fromLatin1(trustreason::kIdentityKeyMissing),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Identity key missing")},
        {QString::fromLatin1(trustreason::kNormalisation),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Normalisation changed the key")},
        {QString::fromLatin1(trustreason::kNoProfile),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Profile not in Mixpanel")},
        {QString::fromLatin1(trustreason::kNotYetSynced),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Not yet synced")},
        {QString::fromLatin1(trustreason::kValueMissing),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Cohort value missing")},
        {QString::fromLatin1(trustreason::kNotInSegment),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Not in the segment")},
        {QString::fromLatin1(trustreason::kNotReadBack),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Not read back")},
        {QString::fromLatin1(trustreason::kNotFound),
         QT_TRANSLATE_NOOP("lockstep::TrustViews", "Not found in either system")},
    };
    const char* title = titles.value(code);
    return title ? TrustViewsText::tr(title) : code;
}

QTableWidgetItem* reasonCell(const PersonCheck& p)
{
    // The reason's name fits the column; the engine's sentence is the tooltip. A plain
    // pass needs no words.
    const QString text =
        p.reason.isEmpty() ? (p.passed ? QStringLiteral("—") : p.detail) : reasonTitle(p.reason);
    auto* item = new QTableWidgetItem(text);
    item->setToolTip(p.detail);
    item->setData(CodeRole, p.reason);
    return item;
}

} // namespace lockstep
