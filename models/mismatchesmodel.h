// The Identity page's table: members of the latest runs that could not be matched to a
// Mixpanel $distinct_id (or shared one), with the reason.
#pragma once

#include "engine/seamtypes.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lockstep {

class MismatchesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Mapping,
        Reason,
        CioId,
        PersonId,
        Email,
        DistinctId,
        ColumnCount
    };

    explicit MismatchesModel(QObject* parent = nullptr);

    void setMismatches(const QList<StoredMismatch>& rows);
    void setMappingNames(const QHash<qint64, QString>& names);
    const QList<StoredMismatch>& mismatches() const { return m_rows; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    // CodeRole: the reason's machine name; MappingIdRole.
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "Missing key", "Placeholder id", ... for people.
    static QString reasonText(MismatchReason r);

private:
    QList<StoredMismatch> m_rows;
    QHash<qint64, QString> m_names;
};

} // namespace lockstep
