#include "trustviews.h"

#include "modelroles.h"
#include "tableviews.h"

#include <QDateTime>
#include <QHash>
#include <QHeaderView>
#include <QTableWidget>

namespace lockstep {

QString budgetText(const QueryBudgetState& b)
{
    if (b.left < 0)
        return QStringLiteral("reading the Mixpanel query budget…");
    if (b.left == 0) {
        const QString when =
            b.nextFreeAtMs > 0
                ? QDateTime::fromMSecsSinceEpoch(b.nextFreeAtMs).toString(QStringLiteral("HH:mm"))
                : QStringLiteral("within the hour");
        return QStringLiteral("No Mixpanel queries left this hour (%1 an hour): the next one "
                              "frees up at %2.")
            .arg(b.perHour)
            .arg(when);
    }
    return QStringLiteral("%1 of %2 Mixpanel queries left this hour").arg(b.left).arg(b.perHour);
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
    auto* item = new QTableWidgetItem(p.passed ? QStringLiteral("Pass") : QStringLiteral("Fail"));
    item->setData(StatusToneRole, int(p.passed ? StatusTone::Good : StatusTone::Bad));
    item->setData(StatusNameRole, p.passed ? QStringLiteral("pass") : QStringLiteral("fail"));
    return item;
}

QTableWidgetItem* yesNoCell(bool yes)
{
    auto* item = new QTableWidgetItem(yes ? QStringLiteral("yes") : QStringLiteral("no"));
    item->setData(ValueRole, yes);
    return item;
}

QString reasonTitle(const QString& code)
{
    static const QHash<QString, QString> titles = {
        {QString::fromLatin1(trustreason::kIdentityKeyMissing),
         QStringLiteral("Identity key missing")},
        {QString::fromLatin1(trustreason::kNormalisation),
         QStringLiteral("Normalisation changed the key")},
        {QString::fromLatin1(trustreason::kNoProfile), QStringLiteral("Profile not in Mixpanel")},
        {QString::fromLatin1(trustreason::kNotYetSynced), QStringLiteral("Not yet synced")},
        {QString::fromLatin1(trustreason::kValueMissing), QStringLiteral("Cohort value missing")},
        {QString::fromLatin1(trustreason::kNotInSegment), QStringLiteral("Not in the segment")},
        {QString::fromLatin1(trustreason::kNotReadBack), QStringLiteral("Not read back")},
    };
    return titles.value(code, code);
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
