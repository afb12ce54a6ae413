// The status bar's sync indicator: what the engine is doing, how far it got, and a
// button to cancel. Hidden while the engine is idle.
#pragma once

#include "store/records.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace lockstep {

class SyncStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit SyncStatusWidget(QWidget* parent = nullptr);

    // Cohort names, so progress can say which mapping it is about.
    void setMappingNames(const QHash<qint64, QString>& names);

    void syncStarted(int mappingCount);
    void showProgress(const SyncProgress& progress);
    // A run of `mappingId` ended: if the status told of it, it now tells the sync's count.
    void runFinished(qint64 mappingId = 0);
    void setBusy(bool busy);

    QProgressBar* progressBar() const { return m_bar; }
    // What the label says, whole (it shows it elided when it is longer than its width).
    QString text() const;

Q_SIGNALS:
    void cancelRequested();

private:
    QString mappingName(qint64 id) const;
    // `text` followed by how many of the sync's mappings are done.
    QString withCount(const QString& text) const;
    void setText(const QString& text);

    QLabel* m_label;
    QProgressBar* m_bar;
    QToolButton* m_cancel;
    QHash<qint64, QString> m_names;
    QString m_text;
    int m_mappingCount = 0;
    int m_finished = 0;
    qint64 m_shownMapping = 0; // whose progress the text tells (0: the whole sync's)
};

} // namespace lockstep
