// Mappings (segment -> cohort) and the workspace's connection settings.
#pragma once

#include "records.h"
#include "util/result.h"

#include <optional>
#include <utility>

namespace lockstep {

class Workspace;

class MappingRepository
{
public:
    explicit MappingRepository(Workspace& ws) : m_ws(ws) {}

    // Validates and inserts; returns the new id. An empty key is made from the cohort name
    // (with "-2", "-3", ... when taken); a given key must be free.
    Result<qint64> add(Mapping m);
    // Writes every field of `m` if the stored row still has m.revision; then both are
    // bumped, so the holder of `m` may edit again. An edit of a copy read before someone
    // else's edit is refused (Usage) and writes nothing. An empty key keeps the stored one.
    Status update(Mapping& m);
    Status remove(qint64 id);
    Result<Mapping> get(qint64 id);
    // A mapping even once deleted (its row stays): what it left behind, such as a
    // rehearsal's value on profiles, must still be removable in its terms.
    Result<Mapping> getEvenDeleted(qint64 id);
    Result<QList<Mapping>> list();

    // Checks what a person could get wrong when adding or editing a mapping.
    static Status validate(const Mapping& m);
    // The reporting plan's URL: empty, or an http(s) address without credentials.
    static Status validateReportUrl(const QString& url);
    static constexpr int kMaxReportUrl = 2048;

    // The live mapping holding `key` other than `except`; nullopt when it is free.
    Result<std::optional<qint64>> keyHolder(const QString& key, qint64 except);

private:
    Status checkKeyFree(const QString& key, qint64 except);
    Result<Mapping> read(qint64 id, bool evenDeleted);

    Workspace& m_ws;
};

class SettingsRepository
{
public:
    explicit SettingsRepository(Workspace& ws) : m_ws(ws) {}

    Result<ConnectionSettings> connection();
    Status setConnection(const ConnectionSettings& s);

    // Raw rows of the settings table. Operator settings and the engine's bookkeeping are
    // read and written through config/settings.h (typed, validated); only that and the
    // connection above use these.
    Result<QString> value(const QString& key, const QString& fallback = {});
    // nullopt when the key has no row (an empty value is a value).
    Result<std::optional<QString>> find(const QString& key);
    Status setValue(const QString& key, const QString& value);
    // All in one transaction.
    Status setValues(const QList<std::pair<QString, QString>>& values);

private:
    Workspace& m_ws;
};

} // namespace lockstep
