// Helpers shared by the GUI tests: a temporary workspace filled through the engine's
// own repositories, and typed lookups of widgets by objectName.
#pragma once

#include "store/mappingrepository.h"
#include "store/records.h"
#include "store/workspace.h"

#include <QList>
#include <QString>
#include <QTest>
#include <QWidget>

namespace lockstep::test {

// Writes the connection (when given) and the mappings into a new workspace at `path`,
// then closes it so the engine's worker thread can open it. Returns the mapping ids;
// empty (with a QtTest failure message) on error.
inline QList<qint64> seedWorkspace(const QString& path, const QList<Mapping>& mappings,
                                   const ConnectionSettings* connection = nullptr)
{
    QList<qint64> ids;
    auto ws = Workspace::open(path);
    if (!ws) {
        qWarning("cannot open workspace: %s", qPrintable(ws.error().toString()));
        return ids;
    }
    if (connection) {
        if (auto st = SettingsRepository(**ws).setConnection(*connection); !st) {
            qWarning("cannot store the connection: %s", qPrintable(st.error().toString()));
            return ids;
        }
    }
    for (const Mapping& m : mappings) {
        auto id = MappingRepository(**ws).add(m);
        if (!id) {
            qWarning("cannot add a mapping: %s", qPrintable(id.error().toString()));
            return {};
        }
        ids.append(id.value());
    }
    return ids;
}

inline Mapping mapping(qint64 segmentId, const QString& cohort, const QString& segmentName = {},
                       IdentityKey identity = IdentityKey::Email)
{
    Mapping m;
    m.segmentId = segmentId;
    m.segmentName = segmentName;
    m.cohortName = cohort;
    m.identity = identity;
    return m;
}

// The child of `root` with this objectName and type; fails the test when missing.
template <typename T> T* child(QObject* root, const char* name)
{
    T* found = root->findChild<T*>(QLatin1String(name));
    if (!found)
        qWarning("no %s named %s", T::staticMetaObject.className(), name);
    return found;
}

} // namespace lockstep::test
