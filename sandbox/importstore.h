#pragma once
// Events received through /import: deduplicated on (event, time, distinct_id, $insert_id)
// as Mixpanel does, with counts per event name for inspection.

#include <QByteArray>
#include <QMap>
#include <QString>

#include <cstdint>
#include <unordered_set>

namespace lockstep::sandbox {

class ImportStore
{
public:
    // True when the event is new, false for a duplicate of an earlier one.
    bool add(const QString& event, qint64 time, const QString& distinctId, const QString& insertId)
    {
        const QByteArray key = event.toUtf8() + '\x1f' + QByteArray::number(time) + '\x1f' +
                               distinctId.toUtf8() + '\x1f' + insertId.toUtf8();
        if (!m_keys.insert(qHash(key, 0x5EED) ^ (std::uint64_t(qHash(key, 0xC0FFEE)) << 1)).second)
            return false;
        ++m_perEvent[event];
        return true;
    }
    const QMap<QString, qint64>& perEvent() const { return m_perEvent; }
    qint64 unique() const { return qint64(m_keys.size()); }

private:
    std::unordered_set<std::uint64_t> m_keys;
    QMap<QString, qint64> m_perEvent;
};

} // namespace lockstep::sandbox
