// Mappings (segment -> cohort) and the workspace's connection settings.
#pragma once

#include "records.h"
#include "util/result.h"

namespace lockstep {

class Workspace;

class MappingRepository
{
public:
    explicit MappingRepository(Workspace& ws) : m_ws(ws) {}

    // Validates and inserts; returns the new id.
    Result<qint64> add(Mapping m);
    Status update(const Mapping& m);
    Status remove(qint64 id);
    Result<Mapping> get(qint64 id);
    Result<QList<Mapping>> list();

    // Checks what a person could get wrong when adding or editing a mapping.
    static Status validate(const Mapping& m);

private:
    Workspace& m_ws;
};

class SettingsRepository
{
public:
    explicit SettingsRepository(Workspace& ws) : m_ws(ws) {}

    Result<ConnectionSettings> connection();
    Status setConnection(const ConnectionSettings& s);

    Result<QString> value(const QString& key, const QString& fallback = {});
    Status setValue(const QString& key, const QString& value);

private:
    Workspace& m_ws;
};

} // namespace lockstep
