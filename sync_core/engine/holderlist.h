// Full resync: lists the profiles that hold a mapping's cohort value in Mixpanel (query
// API), so that those outside the segment and the snapshot lose it. Every page is taken
// from the project's hourly query budget (QueryBudget), and the listing is given up,
// with a note, when the hour's budget cannot cover every page.
#pragma once

#include "api/mixpanelclient.h"
#include "store/records.h"

#include <QObject>

#include <functional>
#include <string>
#include <vector>

namespace lockstep {

class Clock;
class Workspace;

struct HolderListResult
{
    std::vector<std::string> keys; // empty when the listing was given up
    QString note;                  // why it was given up, if it was
};

class HolderList : public QObject
{
    Q_OBJECT
public:
    HolderList(Workspace& ws, RequestScheduler* http, const Clock* clock, MixpanelClient& mixpanel,
               const Mapping& mapping, int queriesPerHour, QObject* parent = nullptr);

    // `listed` sees the count before each page; `done` runs once, later, unless the list
    // is destroyed first (when `stopped` says so at a reply: at once, with nothing).
    void start(std::function<void(qint64 listed)> listed, std::function<bool()> stopped,
               std::function<void(const HolderListResult&)> done);

private:
    void query(const QString& sessionId, int page);
    void giveUp(const QString& note);

    Workspace& m_ws;
    RequestScheduler* m_http;
    const Clock* m_clock;
    MixpanelClient& m_mixpanel;
    Mapping m_mapping;
    int m_perHour; // the project's hourly query budget
    HolderListResult m_result;
    std::function<void(qint64)> m_listed;
    std::function<bool()> m_stopped;
    std::function<void(const HolderListResult&)> m_done;
};

} // namespace lockstep
