#include "rowfilterproxy.h"

#include "modelroles.h"

namespace lockstep {

RowFilterProxy::RowFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
}

void RowFilterProxy::setMappingIds(const QSet<qint64>& ids)
{
    if (ids == m_ids)
        return;
    m_ids = ids;
    invalidateRowsFilter();
}

void RowFilterProxy::setCode(const QString& code)
{
    if (code == m_code)
        return;
    m_code = code;
    invalidateRowsFilter();
}

void RowFilterProxy::setSearch(const QString& text)
{
    const QString t = text.trimmed();
    if (t == m_search)
        return;
    m_search = t;
    invalidateRowsFilter();
}

bool RowFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const QAbstractItemModel* m = sourceModel();
    const QModelIndex first = m->index(sourceRow, 0, sourceParent);
    if (!m_ids.isEmpty() && !m_ids.contains(first.data(MappingIdRole).toLongLong()))
        return false;
    if (!m_code.isEmpty() && first.data(CodeRole).toString() != m_code)
        return false;
    if (m_search.isEmpty())
        return true;
    for (int c = 0; c < m->columnCount(sourceParent); ++c)
        if (m->index(sourceRow, c, sourceParent)
                .data()
                .toString()
                .contains(m_search, Qt::CaseInsensitive))
            return true;
    return false;
}

} // namespace lockstep
