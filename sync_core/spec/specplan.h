// What applying a mappings file would change, worked out without touching anything: a
// pure comparison of the file with the workspace's state. `lockstep plan` prints it,
// `lockstep apply` carries it out.
#pragma once

#include "mappingsfile.h"
#include "workspacestate.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace lockstep {

struct FieldChange
{
    QString field; // as in the file: "owner", "schedule_minutes", ...
    QString from;  // as the file would write it
    QString to;
};

enum class MappingAction
{
    Create,
    Update,     // in place: the same mapping, its history goes on
    NewVersion, // a new mapping under the same key; the old one is retired (history kept)
    Pause,
    Resume,
    Delete
};
QString mappingActionName(MappingAction a); // "create", "update", "new_version", ...

struct MappingChange
{
    MappingAction action = MappingAction::Update;
    QString key;
    qint64 mappingId = 0; // the existing mapping (0 for create)
    int fromVersion = 0;
    int toVersion = 0;
    QString why;                   // a new version's reason
    QList<FieldChange> fields;     // what differs (create: every field)
    std::optional<MappingSpec> to; // the file's mapping (absent for delete)
};

struct PairChange
{
    enum class Kind
    {
        Watch,
        Unwatch,
        Relabel
    };
    Kind kind = Kind::Watch;
    QString a;
    QString b;
    QString label;     // the new one (watch, relabel)
    QString fromLabel; // relabel
};

struct ChannelChange
{
    enum class Kind
    {
        Create,
        Update,
        Delete
    };
    Kind kind = Kind::Create;
    QString key;
    qint64 channelId = 0; // the existing channel (0 for create)
    ChannelKind channelKind = ChannelKind::Slack;
    QList<FieldChange> fields;     // what differs (create: every field; delete: its kind)
    std::optional<ChannelSpec> to; // the file's channel (absent for delete)
};
QString channelChangeName(ChannelChange::Kind k); // "create", "update", "delete"

struct SettingChange
{
    const SettingKey* key = nullptr;
    QString from;
    QString to;
};

struct SpecPlan
{
    QList<FieldChange> connection;
    QList<SettingChange> settings;
    QList<MappingChange> mappings; // by key
    QList<PairChange> pairs;
    QList<ChannelChange> channels; // by key
    QList<SpecError> errors;       // the file cannot apply to this workspace

    bool isEmpty() const
    {
        return connection.isEmpty() && settings.isEmpty() && mappings.isEmpty() &&
               pairs.isEmpty() && channels.isEmpty();
    }
    int count(MappingAction a) const;
    int count(ChannelChange::Kind k) const;
    // The existing mappings it changes (they are locked while it applies).
    QList<qint64> touchedMappings() const;
};

SpecPlan planMappingsFile(const MappingsFile& file, const WorkspaceState& state);

// For people: one block per change, then a summary line.
QString planText(const SpecPlan& plan);
// For scripts: {"pending": bool, "summary": {...}, "connection": [...], "settings": [...],
// "mappings": [...], "watched_pairs": [...], "notification_channels": [...]}.
QJsonObject planJson(const SpecPlan& plan);
QString planSummary(const SpecPlan& plan);

} // namespace lockstep
