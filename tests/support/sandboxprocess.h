#pragma once
// Runs the real lockstep-sandbox binary for a test: starts it on free loopback ports with a
// scenario (a file or an inline QJsonObject), reads its URLs, and offers blocking helpers
// for the /_sandbox control endpoints and ground truth. Stops the process when destroyed.
//
//     lockstep::test::SandboxProcess sandbox(QStringLiteral("small.json"));  // or a QJsonObject
//     QVERIFY2(sandbox.isRunning(), qPrintable(sandbox.errorString()));
//     client.setBaseUrl(sandbox.customerIo()); ... sandbox.tick(); sandbox.cohortMembers(1);
//
// Helpers never spin the caller's event loop (they use a blocking socket), so they are safe
// to call between QTRY_ waits and from slots.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryFile>
#include <QUrl>

#include <memory>

namespace lockstep::test {

class SandboxProcess
{
public:
    // `scenario`: a path, or a bare file name looked up in resources/scenarios/. `nice`:
    // how many nice levels below this process the sandbox runs (a benchmark of the
    // console keeps it from competing with the GUI thread, as remote services would not).
    explicit SandboxProcess(const QString& scenario, const QStringList& extraArgs = {},
                            int nice = 0);
    explicit SandboxProcess(const QJsonObject& scenario, const QStringList& extraArgs = {},
                            int nice = 0);
    ~SandboxProcess();
    SandboxProcess(const SandboxProcess&) = delete;
    SandboxProcess& operator=(const SandboxProcess&) = delete;

    bool isRunning() const;
    QString errorString() const { return m_error; }

    QUrl customerIo() const { return m_customerIo; }
    QUrl mixpanel() const { return m_mixpanel; }
    QUrl mixpanelQuery() const { return m_mixpanelQuery; }

    // The scenario's credentials (read from the running sandbox).
    QString appApiKey() const { return m_info.value(QStringLiteral("app_api_key")).toString(); }
    QString projectToken() const
    {
        return m_info.value(QStringLiteral("project_token")).toString();
    }
    qint64 projectId() const { return m_info.value(QStringLiteral("project_id")).toInteger(); }
    QString serviceAccount() const
    {
        return m_info.value(QStringLiteral("service_account")).toString();
    }

    // Any /_sandbox/... endpoint; returns the parsed JSON reply (Undefined on failure, with
    // errorString() set). An empty body is sent as no body.
    QJsonValue control(const QByteArray& method, const QString& path, const QJsonObject& body = {});
    QJsonObject tick(int n = 1);
    QJsonObject stats();
    void resetStats();
    void setFaults(const QJsonArray& rules);
    void clearFaults();

    // Ground truth on the Customer.io side: the members as {id, email, cio_id} objects, or
    // one identifier of each (nulls skipped), sorted.
    QJsonArray segmentMembers(int segmentId);
    QStringList segmentMemberKeys(int segmentId, const QString& key);
    // Members of a Mixpanel cohort through the real query API (/engage filter_by_cohort,
    // paged with session_id, Basic auth). Sorted distinct ids. Does not use the query budget.
    QStringList cohortMembers(int cohortId);
    // Ground truth on the Mixpanel side: distinct ids whose property (list contains / equals)
    // value.
    QStringList profilesWith(const QString& property, const QString& value);

    struct Reply
    {
        int status = 0; // 0: no HTTP reply (connection failed)
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray header(QByteArrayView name) const;
    };
    // A blocking HTTP/1.1 request to `url` (tests use it to poke the emulators directly).
    static Reply request(const QByteArray& method, const QUrl& url, const QByteArray& body = {},
                         const QList<QPair<QByteArray, QByteArray>>& headers = {},
                         int timeoutMs = 30000);

    static QString scenarioPath(const QString& name);

private:
    void start(const QString& file, const QStringList& extraArgs, int nice);

    std::unique_ptr<QTemporaryFile> m_tempScenario;
    QProcess m_process;
    QString m_error;
    QUrl m_customerIo, m_mixpanel, m_mixpanelQuery;
    QJsonObject m_info;
};

} // namespace lockstep::test
