#include "accessiblenames.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QGraphicsView>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QTextDocumentFragment>

namespace lockstep {

namespace {
// A tooltip may be rich text and several sentences: its first sentence, as plain text.
QString firstSentence(const QString& text)
{
    QString plain =
        Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
    plain = plain.simplified();
    const qsizetype stop = plain.indexOf(QLatin1String(". "));
    return stop > 0 ? plain.left(stop) : plain;
}

class NameOnShow : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Show && watched->isWidgetType()) {
            auto* w = static_cast<QWidget*>(watched);
            if (w->isWindow())
                nameControls(w);
        }
        return false;
    }
};

// Lists, tables and charts have no text of their own: what each one is, by objectName.
QString knownName(const QString& objectName)
{
    static const QHash<QString, const char*> names = {
        {QStringLiteral("navigation"), QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Pages")},
        {QStringLiteral("mappingsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Mappings")},
        {QStringLiteral("healthMappings"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Mappings to chart")},
        {QStringLiteral("healthTrendChart"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Cohort size trend")},
        {QStringLiteral("healthChurnChart"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Churn per run")},
        {QStringLiteral("healthAlertsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Alerts")},
        {QStringLiteral("healthPointsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Size per run")},
        {QStringLiteral("overlapView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Overlap between cohorts")},
        {QStringLiteral("identityView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Identity mismatches")},
        {QStringLiteral("identityReasonsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Mismatches by reason")},
        {QStringLiteral("identityChart"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Mismatches by reason, as bars")},
        {QStringLiteral("auditView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Audit findings")},
        {QStringLiteral("runsView"), QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Runs")},
        {QStringLiteral("heldExitsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Held exits")},
        {QStringLiteral("batchErrorsView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Batch errors of the selected run")},
        {QStringLiteral("settingsDoctor"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Connection checks")},
        {QStringLiteral("doctorView"),
         QT_TRANSLATE_NOOP("lockstep::AccessibleNames", "Connection checks")}};
    const char* name = names.value(objectName);
    return name ? QCoreApplication::translate("lockstep::AccessibleNames", name) : QString();
}

bool isControl(const QWidget* w)
{
    return qobject_cast<const QAbstractButton*>(w) || qobject_cast<const QComboBox*>(w) ||
           qobject_cast<const QLineEdit*>(w) || qobject_cast<const QAbstractSpinBox*>(w) ||
           qobject_cast<const QAbstractItemView*>(w) || qobject_cast<const QGraphicsView*>(w);
}
} // namespace

void nameControlsOnShow(QObject* owner)
{
    qApp->installEventFilter(new NameOnShow(owner));
}

void nameControls(QWidget* root)
{
    QHash<const QWidget*, QString> labelled;
    for (const QLabel* label : root->findChildren<QLabel*>())
        if (label->buddy() && !label->text().isEmpty())
            labelled.insert(label->buddy(), QString(label->text()).remove(QLatin1Char('&')));
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : std::as_const(widgets)) {
        if (!isControl(w) || !w->accessibleName().isEmpty())
            continue;
        // A button's own text already names it; an icon-only one reads its tooltip.
        if (const auto* b = qobject_cast<const QAbstractButton*>(w); b && !b->text().isEmpty())
            continue;
        QString name = knownName(w->objectName());
        if (name.isEmpty())
            name = labelled.value(w);
        if (name.isEmpty())
            if (const auto* edit = qobject_cast<const QLineEdit*>(w))
                name = edit->placeholderText();
        if (name.isEmpty())
            name = firstSentence(w->toolTip());
        if (!name.isEmpty())
            w->setAccessibleName(name.trimmed());
    }
}

} // namespace lockstep
