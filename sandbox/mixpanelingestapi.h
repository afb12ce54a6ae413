#pragma once
// Mixpanel ingestion: /engage (profile updates; JSON array, form data=, GET ?data=, plain
// or base64) and /import (events; Basic auth, strict mode, dedup by $insert_id).
//
// A request goes through three steps so the expensive part can leave the main thread:
// prepare() (main thread) copies what the request needs from the scenario; run() (any
// thread, touches no shared state) decodes, parses and validates the body; commit() (main
// thread, the stores' single owner) applies it to the profiles / events and the log and
// builds the reply. handle() does all three in a row.

#include "httpexchange.h"
#include "jsontree.h"
#include "profilestore.h"

#include <QJsonArray>

#include <memory>
#include <optional>
#include <vector>

namespace lockstep::sandbox {

struct SandboxState;

struct IngestJob
{
    bool engage = true; // mp.engage, else mp.import
    HttpRequest request;
    // Copied from the scenario by prepare().
    QByteArray token;
    QString serviceAccount;
    qint64 projectId = 0;
    bool strictToken = false; // Scenario::strictToken

    // Set by run() when the reply is decided without touching any state (nothing logged).
    std::optional<HttpReply> reply;
    qint64 received = 0; // updates / events in the body

    // /engage
    bool verbose = false;
    bool strict = false;
    bool tooMany = false;
    QByteArray payload;
    bool fast = false; // read by JsonTree into `updates` ...
    JsonTree tree;     // (views into `payload`)
    std::vector<ParsedUpdate> updates;
    QJsonArray slowUpdates; // ... or by QJsonDocument (anything JsonTree leaves to Qt)

    // /import: the valid events in order, and the strict-mode failure records.
    struct Event
    {
        QString name;
        qint64 time = 0;
        QString distinctId;
        QString insertId;
    };
    bool importStrict = true;
    std::vector<Event> events;
    QByteArray failed;
    int failures = 0;
};

class MixpanelIngestApi
{
public:
    explicit MixpanelIngestApi(SandboxState& state) : m_state(state) {}

    static QString routeOf(const HttpRequest& request);
    HttpReply handle(const QString& route, const HttpRequest& request);

    std::unique_ptr<IngestJob> prepare(const QString& route, HttpRequest request) const;
    static void run(IngestJob& job);
    HttpReply commit(IngestJob& job);

    static constexpr int kMaxUpdates = 2000;
    static constexpr qsizetype kMaxUpdateBytes = 1 << 20;
    static constexpr int kMaxEvents = 2000;
    static constexpr qsizetype kMaxImportBytes = 2 * 1024 * 1024;

private:
    static void runEngage(IngestJob& job);
    static void runImport(IngestJob& job);
    HttpReply commitEngage(IngestJob& job);
    HttpReply commitImport(IngestJob& job);

    SandboxState& m_state;
};

} // namespace lockstep::sandbox
