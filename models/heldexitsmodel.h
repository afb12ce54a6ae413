// The mass-exit safeguard's pending holds for the Health page: which mapping, how many
// exits of how many synced, why, when, and a few of the held keys. Apply and Discard act
// on the selected row (HeldExits::id).
#pragma once

#include "store/heldexits.h"

#include <QAbstractTableModel>
#include <QHash>

namespace lockstep {

class HeldExitsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Mapping,
        Exits,
        Share,
        Reason,
        HeldAt,
        Examples,
        ColumnCount
    };

    explicit HeldExitsModel(QObject* parent = nullptr);

    void setHeld(const QList<HeldExits>& held);
    void setMappingNames(const QHash<qint64, QString>& names);
    const QList<HeldExits>& held() const { return m_rows; }
    // The row of the mapping's pending hold, or -1.
    int rowOfMapping(qint64 mappingId) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString reasonText(const HeldExits& h);

private:
    QList<HeldExits> m_rows;
    QHash<qint64, QString> m_names;
};

} // namespace lockstep
