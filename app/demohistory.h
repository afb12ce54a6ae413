// The demo's months of history: replays N days of daily syncs against the demo's sandbox
// with a simulated clock. Each day the sandbox advances its churn by one tick (its
// scenario holds the weekly rhythm and the collapse), the story's control-API events
// happen (a suppression overlap), and the real engine syncs every mapping at that day's
// time, so size points, runs and alerts are what the engine itself recorded.
#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;

namespace lockstep {

class SimulatedClock;
class SyncController;

struct DemoStory
{
    // People of segment `from` put into segment `segment` on day `day` and taken out
    // `days` later: a watched pair that overlaps for that long.
    struct Overlap
    {
        qint64 segment = 0;
        qint64 from = 0;
        int people = 0;
        int day = 0;
        int days = 0;
    };
    // An operator's Apply of a mapping's held exits, after that day's sync.
    struct ApplyExits
    {
        qint64 mappingId = 0;
        int day = 0;
        QString by;
    };
    int days = 0; // 0: no history, the demo starts with no run
    QList<Overlap> overlaps;
    QList<ApplyExits> applies;
};

class DemoHistory : public QObject
{
    Q_OBJECT
public:
    static constexpr qint64 kDayMs = 24 * 3600 * 1000LL;

    // `sandbox`: one of the sandbox's base URLs (its control API answers on both). The
    // replay ends now; the clock is set to its first day at once, so make this before the
    // engine context, whose rate limits start from the clock's time.
    DemoHistory(SimulatedClock* clock, QUrl sandbox, DemoStory story, QObject* parent = nullptr);

    // The simulated time of day `day` (0 = the first) when the replay's last day is `endMs`.
    static qint64 dayMs(const DemoStory& story, int day, qint64 endMs)
    {
        return endMs - qint64(story.days - 1 - day) * kDayMs;
    }
    // Once the controller has opened the workspace. With no days, finishes at once.
    void start(SyncController* controller);
    bool isRunning() const { return m_running; }
    int days() const { return m_story.days; }

Q_SIGNALS:
    // `day` days of `days` are recorded.
    void progress(int day, int days);
    // The clock is back on the wall clock. `error` empty: every day was recorded.
    void finished(const QString& error);

private:
    void nextDay();
    void syncDay();
    void afterSync();
    void control(const QByteArray& method, const QString& path, const QByteArray& body,
                 std::function<void(const QByteArray&)> then);
    void fail(const QString& error);
    void finish(const QString& error);

    SyncController* m_controller = nullptr;
    SimulatedClock* m_clock;
    QUrl m_sandbox;
    DemoStory m_story;
    QNetworkAccessManager* m_network;
    qint64 m_endMs = 0;
    int m_day = 0;
    bool m_running = false;
    QHash<int, QStringList> m_overlapPeople; // by overlap index: who was put in
};

} // namespace lockstep
