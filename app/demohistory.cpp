#include "demohistory.h"

#include "engine/synccontroller.h"
#include "util/simulatedclock.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

namespace lockstep {

DemoHistory::DemoHistory(SimulatedClock* clock, QUrl sandbox, DemoStory story, QObject* parent)
    : QObject(parent), m_clock(clock), m_sandbox(std::move(sandbox)), m_story(std::move(story)),
      m_network(new QNetworkAccessManager(this)), m_endMs(Clock::system()->nowMs())
{
    if (m_story.days > 0)
        m_clock->setNowMs(dayMs(m_story, 0, m_endMs));
}

void DemoHistory::start(SyncController* controller)
{
    m_controller = controller;
    if (m_story.days <= 0)
        return finish({});
    m_running = true;
    m_day = 0;
    Q_EMIT progress(0, m_story.days);
    syncDay();
}

void DemoHistory::control(const QByteArray& method, const QString& path, const QByteArray& body,
                          std::function<void(const QByteArray&)> then)
{
    QUrl url = m_sandbox;
    const qsizetype query = path.indexOf(QLatin1Char('?'));
    url.setPath(path.left(query));
    url.setQuery(query < 0 ? QString() : path.mid(query + 1));
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
    QNetworkReply* reply = m_network->sendCustomRequest(request, method, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, path, then = std::move(then)] {
        reply->deleteLater();
        if (!m_running)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() != QNetworkReply::NoError || status != 200)
            return fail(tr("The demo's sandbox refused %1: %2").arg(path, reply->errorString()));
        then(reply->readAll());
    });
}

void DemoHistory::nextDay()
{
    ++m_day;
    Q_EMIT progress(m_day, m_story.days);
    if (m_day >= m_story.days)
        return finish({});
    m_clock->setNowMs(dayMs(m_story, m_day, m_endMs));
    // A day passes in the services too: one tick of churn, and a fresh query budget (the
    // sandbox counts its hour on the wall clock, which the replay does not move).
    control("POST", QStringLiteral("/_sandbox/tick?n=1"), {}, [this](const QByteArray&) {
        control("POST", QStringLiteral("/_sandbox/query_budget/reset"), {},
                [this](const QByteArray&) { syncDay(); });
    });
}

void DemoHistory::syncDay()
{
    // The story's overlaps that begin or end today, one after the other, then the sync.
    for (int i = 0; i < m_story.overlaps.size(); ++i) {
        const DemoStory::Overlap& o = m_story.overlaps.at(i);
        const QString members = QStringLiteral("/_sandbox/segments/%1/members");
        if (o.day == m_day && !m_overlapPeople.contains(i)) {
            control("GET", members.arg(o.from), {}, [this, i, o, members](const QByteArray& body) {
                QStringList people;
                const QJsonArray list = QJsonDocument::fromJson(body)
                                            .object()
                                            .value(QLatin1String("members"))
                                            .toArray();
                for (const QJsonValue& v : list)
                    people.append(v.toObject().value(QLatin1String("cio_id")).toString());
                people.removeAll(QString());
                std::sort(people.begin(), people.end());
                people = people.mid(0, o.people);
                m_overlapPeople.insert(i, people);
                const QByteArray add =
                    QJsonDocument(
                        QJsonObject{{QStringLiteral("add"), QJsonArray::fromStringList(people)}})
                        .toJson(QJsonDocument::Compact);
                control("POST", members.arg(o.segment), add,
                        [this](const QByteArray&) { syncDay(); });
            });
            return;
        }
        if (o.day + o.days == m_day && m_overlapPeople.contains(i) &&
            !m_overlapPeople.value(i).isEmpty()) {
            const QByteArray remove =
                QJsonDocument(QJsonObject{{QStringLiteral("remove"),
                                           QJsonArray::fromStringList(m_overlapPeople.value(i))}})
                    .toJson(QJsonDocument::Compact);
            m_overlapPeople[i].clear();
            control("POST", members.arg(o.segment), remove,
                    [this](const QByteArray&) { syncDay(); });
            return;
        }
    }
    m_controller->syncAll()
        .then(this, [this](const QList<RunRecord>&) { afterSync(); })
        .onFailed(this, [this](const SyncError& e) { fail(e.message); });
}

void DemoHistory::afterSync()
{
    // The operator's decisions of the day, once its sync has shown them what to decide.
    QList<qint64> apply;
    QString by;
    for (const DemoStory::ApplyExits& a : std::as_const(m_story.applies)) {
        if (a.day == m_day && a.mappingId > 0) {
            apply.append(a.mappingId);
            by = a.by;
        }
    }
    if (apply.isEmpty())
        return nextDay();
    m_controller->acceptExits(apply, by)
        .then(this, [this](const QList<RunRecord>&) { nextDay(); })
        .onFailed(this, [this](const SyncError& e) { fail(e.message); });
}

void DemoHistory::fail(const QString& error)
{
    finish(tr("The demo's history stopped on day %1: %2").arg(m_day + 1).arg(error));
}

void DemoHistory::finish(const QString& error)
{
    m_running = false;
    m_clock->resetToWallClock();
    Q_EMIT finished(error);
}

} // namespace lockstep
