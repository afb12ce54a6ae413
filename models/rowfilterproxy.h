// A sort/filter proxy for the console's tables: keeps the rows of some mappings
// (MappingIdRole), of one code (CodeRole: a mismatch reason, an alert rule), and those
// matching a search text in any column. Empty filters keep everything.
#pragma once

#include <QSet>
#include <QSortFilterProxyModel>

namespace lockstep {

class RowFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit RowFilterProxy(QObject* parent = nullptr);

    void setMappingIds(const QSet<qint64>& ids);
    void setCode(const QString& code);
    void setSearch(const QString& text);

    QSet<qint64> mappingIds() const { return m_ids; }
    QString code() const { return m_code; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    QSet<qint64> m_ids;
    QString m_code;
    QString m_search;
};

} // namespace lockstep
