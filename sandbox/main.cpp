// lockstep-sandbox: local emulators of the Customer.io App API and Mixpanel's ingestion
// and query APIs, driven by a scenario file. Prints one JSON line with its base URLs.

#include "sandbox.h"
#include "scenario.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>
#include <cstdio>

namespace {

constexpr int kExitUsage = 2;

void fail(const QString& message)
{
    std::fprintf(stderr, "lockstep-sandbox: %s\n", qUtf8Printable(message));
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("lockstep-sandbox"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LOCKSTEP_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Emulates the Customer.io App API and Mixpanel ingestion and query APIs on 127.0.0.1.\n"
        "Prints one JSON line with the base URLs, then serves until killed.\n"
        "Control endpoints: /_sandbox/... on both ports (see docs/SANDBOX.md)."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption scenarioOpt(
        QStringLiteral("scenario"), QStringLiteral("Scenario JSON file."), QStringLiteral("FILE"));
    const QCommandLineOption cioPortOpt(QStringLiteral("customerio-port"),
                                        QStringLiteral("Customer.io port (0 = any free port)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption mpPortOpt(QStringLiteral("mixpanel-port"),
                                       QStringLiteral("Mixpanel port (0 = any free port)."),
                                       QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"),
                                     QStringLiteral("Overrides the scenario's seed."),
                                     QStringLiteral("N"));
    parser.addOptions({scenarioOpt, cioPortOpt, mpPortOpt, seedOpt});
    if (!parser.parse(QCoreApplication::arguments())) {
        fail(parser.errorText());
        return kExitUsage;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qUtf8Printable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("lockstep-sandbox %s\n", LOCKSTEP_VERSION);
        return 0;
    }
    if (!parser.isSet(scenarioOpt)) {
        fail(QStringLiteral("--scenario FILE is required (see --help)"));
        return kExitUsage;
    }
    auto portOf = [&](const QCommandLineOption& opt, quint16& port) {
        bool ok = false;
        const uint v = parser.value(opt).toUInt(&ok);
        if (!ok || v > 65535) {
            fail(QStringLiteral("--%1 must be a port number").arg(opt.names().constFirst()));
            return false;
        }
        port = quint16(v);
        return true;
    };
    quint16 cioPort = 0, mpPort = 0;
    if (!portOf(cioPortOpt, cioPort) || !portOf(mpPortOpt, mpPort))
        return kExitUsage;

    auto loaded = lockstep::sandbox::loadScenarioFile(parser.value(scenarioOpt));
    if (auto* err = std::get_if<lockstep::sandbox::ScenarioError>(&loaded)) {
        fail(QStringLiteral("bad scenario: ") + err->toString());
        return kExitUsage;
    }
    auto scenario = std::get<lockstep::sandbox::Scenario>(std::move(loaded));
    if (parser.isSet(seedOpt)) {
        bool ok = false;
        scenario.seed = parser.value(seedOpt).toULongLong(&ok);
        if (!ok) {
            fail(QStringLiteral("--seed must be a non-negative integer"));
            return kExitUsage;
        }
    }

    lockstep::sandbox::Sandbox sandbox(std::move(scenario));
    if (auto err = sandbox.build()) {
        fail(QStringLiteral("bad scenario: ") + err->toString());
        return kExitUsage;
    }
    if (const QString err = sandbox.listen(cioPort, mpPort); !err.isEmpty()) {
        fail(err);
        return 1;
    }
    const QString mp = QStringLiteral("http://127.0.0.1:%1").arg(sandbox.mixpanelPort());
    const QString cio = QStringLiteral("http://127.0.0.1:%1").arg(sandbox.customerIoPort());
    const QString query = mp + QStringLiteral("/api/query");
    QJsonObject urls;
    urls.insert(QStringLiteral("customerio"), cio);
    urls.insert(QStringLiteral("mixpanel"), mp);
    urls.insert(QStringLiteral("mixpanel_query"), query);
    std::fputs(QJsonDocument(urls).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputs("\n", stdout);
    std::fflush(stdout);

    // SIGTERM/SIGINT end the event loop so the process exits cleanly.
    std::signal(SIGTERM, [](int) { QCoreApplication::quit(); });
    std::signal(SIGINT, [](int) { QCoreApplication::quit(); });
    return app.exec();
}
