#include "sandboxprocess.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTcpSocket>
#include <QUrlQuery>

#include <algorithm>

#include <unistd.h>

namespace lockstep::test {

QByteArray SandboxProcess::Reply::header(QByteArrayView name) const
{
    for (const auto& [k, v] : headers) {
        if (QByteArrayView(k).compare(name, Qt::CaseInsensitive) == 0)
            return v;
    }
    return {};
}

QString SandboxProcess::scenarioPath(const QString& name)
{
    if (QFileInfo(name).isAbsolute() || QFileInfo::exists(name))
        return name;
    return QStringLiteral(LOCKSTEP_SCENARIO_DIR) + QLatin1Char('/') + name;
}

SandboxProcess::SandboxProcess(const QString& scenario, const QStringList& extraArgs, int nice)
{
    start(scenarioPath(scenario), extraArgs, nice);
}

SandboxProcess::SandboxProcess(const QJsonObject& scenario, const QStringList& extraArgs, int nice)
{
    m_tempScenario = std::make_unique<QTemporaryFile>(
        QDir::tempPath() + QStringLiteral("/lockstep-scenario-XXXXXX.json"));
    if (!m_tempScenario->open()) {
        m_error = QStringLiteral("cannot write a temporary scenario file");
        return;
    }
    m_tempScenario->write(QJsonDocument(scenario).toJson(QJsonDocument::Compact));
    m_tempScenario->flush();
    start(m_tempScenario->fileName(), extraArgs, nice);
}

void SandboxProcess::start(const QString& file, const QStringList& extraArgs, int nice)
{
    m_process.setProgram(QStringLiteral(LOCKSTEP_SANDBOX_BIN));
    m_process.setArguments(QStringList{QStringLiteral("--scenario"), file} + extraArgs);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    if (nice > 0)
        m_process.setChildProcessModifier([nice] { (void)::nice(nice); });
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        m_error =
            QStringLiteral("cannot start %1: %2").arg(m_process.program(), m_process.errorString());
        return;
    }
    // The one JSON line; a big scenario may take some seconds to generate.
    QDeadlineTimer deadline(120000);
    QByteArray line;
    while (!m_process.canReadLine() && !deadline.hasExpired() &&
           m_process.state() == QProcess::Running)
        m_process.waitForReadyRead(int(std::min<qint64>(deadline.remainingTime(), 1000)));
    if (m_process.canReadLine())
        line = m_process.readLine();
    if (line.isEmpty()) {
        m_process.waitForFinished(2000);
        m_error = QStringLiteral("sandbox did not start: %1")
                      .arg(QString::fromUtf8(m_process.readAllStandardError()).trimmed());
        return;
    }
    const QJsonObject urls = QJsonDocument::fromJson(line).object();
    m_customerIo = QUrl(urls.value(QStringLiteral("customerio")).toString());
    m_mixpanel = QUrl(urls.value(QStringLiteral("mixpanel")).toString());
    m_mixpanelQuery = QUrl(urls.value(QStringLiteral("mixpanel_query")).toString());
    if (!m_customerIo.isValid() || !m_mixpanel.isValid()) {
        m_error = QStringLiteral("unexpected first line from the sandbox: %1")
                      .arg(QString::fromUtf8(line));
        return;
    }
    m_info = control("GET", QStringLiteral("/_sandbox/info")).toObject();
}

SandboxProcess::~SandboxProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool SandboxProcess::isRunning() const
{
    return m_error.isEmpty() && m_process.state() == QProcess::Running;
}

SandboxProcess::Reply SandboxProcess::request(const QByteArray& method, const QUrl& url,
                                              const QByteArray& body,
                                              const QList<QPair<QByteArray, QByteArray>>& headers,
                                              int timeoutMs)
{
    Reply reply;
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port(80)));
    if (!socket.waitForConnected(timeoutMs))
        return reply;
    QByteArray target = url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (url.hasQuery())
        target += '?' + url.query(QUrl::FullyEncoded).toUtf8();
    QByteArray head =
        method + ' ' + target + " HTTP/1.1\r\nHost: " + url.host().toUtf8() + ':' +
        QByteArray::number(url.port(80)) +
        "\r\nConnection: close\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const auto& [k, v] : headers)
        head += k + ": " + v + "\r\n";
    socket.write(head + "\r\n" + body);
    QByteArray data;
    QDeadlineTimer deadline(timeoutMs);
    qsizetype headerEnd = -1;
    qsizetype contentLength = -1;
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(
                int(std::max<qint64>(1, std::min<qint64>(deadline.remainingTime(), 1000))))) {
            if (socket.state() != QAbstractSocket::ConnectedState)
                break;
        }
        data += socket.readAll();
        if (headerEnd < 0 && (headerEnd = data.indexOf("\r\n\r\n")) >= 0) {
            for (const QByteArray& line : data.left(headerEnd).split('\n').mid(1)) {
                const qsizetype colon = line.indexOf(':');
                if (colon > 0)
                    reply.headers.append(
                        {line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
            }
            bool ok = false;
            contentLength = reply.header("Content-Length").toLongLong(&ok);
            if (!ok)
                contentLength = -1;
        }
        if (headerEnd >= 0 && contentLength >= 0 && data.size() - headerEnd - 4 >= contentLength)
            break;
    }
    data += socket.readAll();
    if (headerEnd < 0)
        return reply;
    const QList<QByteArray> statusLine = data.left(data.indexOf("\r\n")).split(' ');
    reply.status = statusLine.size() > 1 ? statusLine.at(1).toInt() : 0;
    reply.body = data.mid(headerEnd + 4);
    if (contentLength >= 0)
        reply.body.truncate(contentLength);
    return reply;
}

QJsonValue SandboxProcess::control(const QByteArray& method, const QString& path,
                                   const QJsonObject& body)
{
    if (!m_customerIo.isValid())
        return QJsonValue(QJsonValue::Undefined);
    QUrl url = m_customerIo;
    const qsizetype q = path.indexOf(QLatin1Char('?'));
    url.setPath(q < 0 ? path : path.left(q));
    if (q >= 0)
        url.setQuery(path.mid(q + 1));
    const QByteArray payload =
        body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    const Reply r = request(method, url, payload, {{"Content-Type", "application/json"}});
    if (r.status != 200) {
        m_error = QStringLiteral("%1 %2 -> HTTP %3 %4")
                      .arg(QString::fromLatin1(method), path)
                      .arg(r.status)
                      .arg(QString::fromUtf8(r.body.left(300)));
        return QJsonValue(QJsonValue::Undefined);
    }
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

QJsonObject SandboxProcess::tick(int n)
{
    return control("POST", QStringLiteral("/_sandbox/tick?n=%1").arg(n)).toObject();
}

QJsonObject SandboxProcess::stats()
{
    return control("GET", QStringLiteral("/_sandbox/stats")).toObject();
}

void SandboxProcess::resetStats()
{
    control("POST", QStringLiteral("/_sandbox/stats/reset"));
}

void SandboxProcess::setFaults(const QJsonArray& rules)
{
    control("POST", QStringLiteral("/_sandbox/faults"),
            QJsonObject{{QStringLiteral("faults"), rules}});
}

void SandboxProcess::clearFaults()
{
    control("DELETE", QStringLiteral("/_sandbox/faults"));
}

QJsonArray SandboxProcess::segmentMembers(int segmentId)
{
    return control("GET", QStringLiteral("/_sandbox/segments/%1/members").arg(segmentId))
        .toObject()
        .value(QStringLiteral("members"))
        .toArray();
}

QStringList SandboxProcess::segmentMemberKeys(int segmentId, const QString& key)
{
    QStringList out;
    for (const QJsonValue& m : segmentMembers(segmentId)) {
        const QJsonValue v = m.toObject().value(key);
        if (v.isString())
            out.append(v.toString());
    }
    std::sort(out.begin(), out.end());
    return out;
}

QStringList SandboxProcess::cohortMembers(int cohortId)
{
    QStringList out;
    QString session;
    const QList<QPair<QByteArray, QByteArray>> headers = {
        {"Authorization", "Basic " + serviceAccount().toUtf8().toBase64()},
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"X-Lockstep-Sandbox-Exempt", "1"}};
    for (int page = 0;; ++page) {
        QUrl url = m_mixpanelQuery;
        url.setPath(url.path() + QStringLiteral("/engage"));
        url.setQuery(QStringLiteral("project_id=%1").arg(projectId()));
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("filter_by_cohort"),
                          QStringLiteral("{\"id\":%1}").arg(cohortId));
        form.addQueryItem(QStringLiteral("page"), QString::number(page));
        if (!session.isEmpty())
            form.addQueryItem(QStringLiteral("session_id"), session);
        const Reply r = request("POST", url, form.query(QUrl::FullyEncoded).toUtf8(), headers);
        const QJsonObject o = QJsonDocument::fromJson(r.body).object();
        if (r.status != 200) {
            m_error = QStringLiteral("cohortMembers(%1): HTTP %2 %3")
                          .arg(cohortId)
                          .arg(r.status)
                          .arg(QString::fromUtf8(r.body));
            break;
        }
        session = o.value(QStringLiteral("session_id")).toString();
        const QJsonArray results = o.value(QStringLiteral("results")).toArray();
        for (const QJsonValue& v : results)
            out.append(v.toObject().value(QStringLiteral("$distinct_id")).toString());
        if (results.size() < o.value(QStringLiteral("page_size")).toInt(1000))
            break;
    }
    std::sort(out.begin(), out.end());
    return out;
}

QStringList SandboxProcess::profilesWith(const QString& property, const QString& value)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("property"), property);
    q.addQueryItem(QStringLiteral("value"), value);
    QStringList out;
    for (const QJsonValue& v :
         control("GET", QStringLiteral("/_sandbox/profiles?") + q.query(QUrl::FullyEncoded))
             .toObject()
             .value(QStringLiteral("distinct_ids"))
             .toArray())
        out.append(v.toString());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace lockstep::test
