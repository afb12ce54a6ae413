// `lockstep notify add|list|test|remove`: where alerts go. A channel's shareable part is
// stored in the workspace; its secret part (the webhook URL, the signing secret, header
// values, the SMTP password) goes to the keychain, or, where there is none (a headless
// machine), to the environment of every process that delivers (LOCKSTEP_NOTIFY_<ID>_*, or
// LOCKSTEP_NOTIFY_<KEY>_* under the channel's key).
#include "clisupport.h"

#include "secretstore.h"

#include "engine/enginecontext.h"
#include "engine/notifier.h"
#include "health/alertoutbox.h"
#include "health/notificationchannel.h"
#include "notify/channelsender.h"
#include "store/mappingrepository.h"
#include "store/workspace.h"
#include "util/clock.h"
#include "util/redaction.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTimer>
#include <QUrl>

#include <cstdio>

namespace lockstep::cli {

namespace {

struct NotifyText
{
    Q_DECLARE_TR_FUNCTIONS(lockstep::cli)
};

// The keychain, waited for a bounded time: a machine without a Secret Service answers at
// once, a locked one may never answer.
Status keychainWrite(const QString& key, const QString& value)
{
    SecretStore store;
    QEventLoop loop;
    Status result = SyncError::make(SyncError::Category::Config,
                                    QStringLiteral("the keychain did not answer in 10 s"));
    store.write(key, value, [&](Status st) {
        result = st;
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    return result;
}

std::optional<ChannelSecrets> keychainRead(qint64 channelId)
{
    if (!qEnvironmentVariableIsEmpty("LOCKSTEP_NO_KEYCHAIN"))
        return std::nullopt;
    SecretStore store;
    QEventLoop loop;
    std::optional<ChannelSecrets> found;
    store.read(channelSecretKey(channelId), [&](Result<QString> r) {
        if (r)
            found = ChannelSecrets::fromJson(r->toUtf8());
        loop.quit();
    });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    return found;
}

void keychainRemove(qint64 channelId)
{
    if (!qEnvironmentVariableIsEmpty("LOCKSTEP_NO_KEYCHAIN"))
        return;
    SecretStore store;
    QEventLoop loop;
    store.remove(channelSecretKey(channelId), [&](Status) { loop.quit(); });
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
}

// What may be shown of a webhook URL: scheme, host and port. The path is the token.
QString displayTarget(const QUrl& url)
{
    QUrl shown;
    shown.setScheme(url.scheme());
    shown.setHost(url.host());
    shown.setPort(url.port());
    return shown.toString() + QStringLiteral("/…");
}

QJsonObject channelJson(Workspace& ws, const NotificationChannel& c)
{
    QJsonArray severities;
    for (AlertSeverity s : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info})
        if (c.severities.contains(s))
            severities.append(alertSeverityName(s));
    QJsonArray mappings;
    for (qint64 id : c.mappingIds)
        mappings.append(id);
    QJsonObject o{{QStringLiteral("id"), c.id},
                  {QStringLiteral("key"), c.key},
                  {QStringLiteral("kind"), channelKindName(c.kind)},
                  {QStringLiteral("name"), c.name},
                  {QStringLiteral("severities"), severities},
                  {QStringLiteral("mappings"), mappings},
                  {QStringLiteral("target"), c.target},
                  {QStringLiteral("headers"), QJsonArray::fromStringList(c.headerNames)},
                  {QStringLiteral("secrets_in_environment"),
                   ChannelSecrets::fromEnvironment(c.id, c.key).has_value()}};
    if (c.kind == ChannelKind::Email) {
        o.insert(QStringLiteral("from"), c.mailFrom);
        o.insert(QStringLiteral("to"), QJsonArray::fromStringList(c.mailTo));
        o.insert(QStringLiteral("to_monitor"), c.mailMonitor);
    }
    int delivered = 0, pending = 0, failed = 0;
    std::optional<QJsonObject> lastFailure;
    if (auto recent = AlertOutbox(ws).recent(c.id, 200)) {
        for (const OutboxDelivery& d : *recent) {
            if (d.state == QLatin1String("delivered"))
                ++delivered;
            else if (d.state == QLatin1String("pending"))
                ++pending;
            else {
                ++failed;
                if (!lastFailure)
                    lastFailure = QJsonObject{{QStringLiteral("event_id"), d.eventId},
                                              {QStringLiteral("status"), d.lastStatus},
                                              {QStringLiteral("answer"), d.lastError},
                                              {QStringLiteral("at_ms"), d.finishedAtMs}};
            }
        }
    }
    o.insert(QStringLiteral("recent"),
             QJsonObject{{QStringLiteral("delivered"), delivered},
                         {QStringLiteral("pending"), pending},
                         {QStringLiteral("failed"), failed},
                         {QStringLiteral("last_failure"),
                          lastFailure ? QJsonValue(*lastFailure) : QJsonValue()}});
    return o;
}

int addCommand(Workspace& ws, Args a)
{
    QString error;
    const auto kindArg = a.take(QStringLiteral("--kind"), &error);
    const auto keyArg = a.take(QStringLiteral("--key"), &error);
    const auto url = a.take(QStringLiteral("--url"), &error);
    const auto severityArg = a.take(QStringLiteral("--severity"), &error);
    const auto name = a.take(QStringLiteral("--name"), &error);
    const auto secretArg = a.take(QStringLiteral("--secret"), &error);
    const auto smtp = a.take(QStringLiteral("--smtp"), &error);
    const auto from = a.take(QStringLiteral("--from"), &error);
    const QStringList headers = a.takeMany(QStringLiteral("--header"));
    const QStringList mappingArgs = a.takeMany(QStringLiteral("--mapping"));
    const QStringList to = a.takeMany(QStringLiteral("--to"));
    const bool toMonitor = a.flag(QStringLiteral("--to-monitor"));
    if (!error.isEmpty())
        return usageError(error);
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    if (!kindArg)
        return usageError(QStringLiteral("notify add needs --kind slack|teams|webhook|email"));
    const auto kind = parseChannelKind(*kindArg);
    if (!kind)
        return usageError(
            QStringLiteral("unknown --kind %1 (slack, teams, webhook or email)").arg(*kindArg));

    NotificationChannel c;
    ChannelSecrets secrets;
    c.kind = *kind;
    c.name = name.value_or(QString());
    if (keyArg) {
        if (const QString wrong = checkChannelKey(*keyArg); !wrong.isEmpty())
            return usageError(QStringLiteral("--key: %1").arg(wrong));
        c.key = *keyArg;
    }
    if (severityArg) {
        auto s = parseSeverities(*severityArg);
        if (!s)
            return usageError(s.error().message);
        c.severities = *s;
    }
    for (const QString& m : mappingArgs) {
        bool ok = false;
        const qint64 id = m.toLongLong(&ok);
        if (!ok || id <= 0 || !MappingRepository(ws).get(id))
            return usageError(QStringLiteral("no mapping %1").arg(m));
        c.mappingIds << id;
    }
    bool generatedSecret = false;
    if (c.kind == ChannelKind::Email) {
        if (url || !headers.isEmpty() || secretArg)
            return usageError(QStringLiteral("an e-mail channel takes --smtp, --from and --to "
                                             "(not --url, --header or --secret)"));
        if (!smtp || !from || (to.isEmpty() && !toMonitor))
            return usageError(QStringLiteral("notify add --kind email needs --smtp URL --from "
                                             "ADDR and --to ADDR... or --to-monitor"));
        QUrl server(*smtp);
        // A password in the URL goes to the secrets; the workspace keeps the rest.
        secrets.smtpPassword = server.password(QUrl::FullyDecoded);
        server.setPassword(QString());
        c.smtpUrl = server.toString(QUrl::FullyEncoded);
        c.mailFrom = *from;
        c.mailTo = to;
        c.mailMonitor = toMonitor;
        QUrl shown = server;
        shown.setUserInfo(QString());
        c.target = shown.toString();
    } else {
        if (smtp || from || !to.isEmpty() || toMonitor)
            return usageError(
                QStringLiteral("--smtp, --from, --to and --to-monitor are for --kind email"));
        if (!url)
            return usageError(QStringLiteral("notify add --kind %1 needs --url URL").arg(*kindArg));
        secrets.url = *url;
        for (const QString& h : headers) {
            const qsizetype colon = h.indexOf(QLatin1Char(':'));
            const QString hname = h.left(colon).trimmed();
            static const QRegularExpression token(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"));
            if (colon <= 0 || !token.match(hname).hasMatch() || h.contains(QLatin1Char('\n')) ||
                h.contains(QLatin1Char('\r')))
                return usageError(
                    QStringLiteral("--header takes \"Name: value\", not \"%1\"").arg(hname));
            secrets.headers.append({hname, h.mid(colon + 1).trimmed()});
            c.headerNames << hname;
        }
        if (c.kind == ChannelKind::Webhook) {
            if (secretArg) {
                secrets.hmacSecret = *secretArg;
            } else {
                // The receiver needs it to verify the signature: shown once, below.
                QByteArray raw(32, Qt::Uninitialized);
                QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(raw.data()),
                                                      raw.size() / 4);
                secrets.hmacSecret = QString::fromLatin1(raw.toHex());
                generatedSecret = true;
            }
        } else if (secretArg) {
            return usageError(QStringLiteral("--secret is for --kind webhook (its signature)"));
        }
        c.target = displayTarget(QUrl(*url));
    }
    c.createdAtMs = Clock::system()->nowMs();
    if (auto st = checkChannel(c, secrets); !st)
        return usageError(st.error().message);
    registerSecrets(secrets.secrets());

    auto id = ChannelRepository(ws).add(c);
    if (!id)
        return reportError(id.error());
    const auto added = ChannelRepository(ws).get(*id);
    const QString key = added ? added->key : c.key;
    out() << *id << "\n";
    out().flush();

    if (!secrets.isEmpty()) {
        const Status stored =
            qEnvironmentVariableIsEmpty("LOCKSTEP_NO_KEYCHAIN")
                ? keychainWrite(channelSecretKey(*id), QString::fromUtf8(secrets.toJson()))
                : Status(SyncError::make(SyncError::Category::Config,
                                         QStringLiteral("LOCKSTEP_NO_KEYCHAIN "
                                                        "is set")));
        if (!stored) {
            const QString prefix = ChannelSecrets::variablePrefix(*id);
            QStringList vars;
            if (!secrets.url.isEmpty())
                vars << prefix + QStringLiteral("URL");
            if (!secrets.hmacSecret.isEmpty())
                vars << prefix + QStringLiteral("HMAC_SECRET");
            if (!secrets.headers.isEmpty())
                vars << prefix + QStringLiteral("HEADERS");
            if (!secrets.smtpPassword.isEmpty() || !QUrl(c.smtpUrl).userName().isEmpty())
                vars << prefix + QStringLiteral("SMTP_PASSWORD");
            err() << NotifyText::tr("lockstep: channel %1 added, but its secrets are not stored "
                                    "(%2). Give every process that delivers alerts (the runner, "
                                    "`lockstep sync`) %3 in its environment (or the same under "
                                    "its key: %4*).")
                         .arg(QString::number(*id), stored.error().message,
                              vars.join(QStringLiteral(", ")), ChannelSecrets::variablePrefix(key))
                  << "\n";
        }
    }
    if (generatedSecret) {
        // Shown once, on the terminal of whoever added the channel, and nowhere else: the
        // redacting stream would hide it, so it bypasses it.
        std::fprintf(stderr,
                     "lockstep: signing secret of channel %lld (X-Lockstep-Signature): %s\n",
                     static_cast<long long>(*id), secrets.hmacSecret.toLatin1().constData());
    }
    err().flush();
    return Ok;
}

int listCommand(Workspace& ws, Args a)
{
    const bool json = a.flag(QStringLiteral("--json"));
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    auto channels = ChannelRepository(ws).list();
    if (!channels)
        return reportError(channels.error());
    QJsonArray arr;
    for (const NotificationChannel& c : *channels)
        arr.append(channelJson(ws, c));
    if (json) {
        out() << QJsonDocument(arr).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (channels->isEmpty())
        out() << NotifyText::tr("no notification channels") << "\n";
    for (const QJsonValue& v : std::as_const(arr)) {
        const QJsonObject o = v.toObject();
        const QJsonObject recent = o.value(QStringLiteral("recent")).toObject();
        QStringList sev;
        for (const QJsonValue& s : o.value(QStringLiteral("severities")).toArray())
            sev << s.toString();
        QStringList maps;
        for (const QJsonValue& m : o.value(QStringLiteral("mappings")).toArray())
            maps << QString::number(m.toInteger());
        out() << o.value(QStringLiteral("id")).toInteger() << "  "
              << o.value(QStringLiteral("key")).toString() << "  "
              << o.value(QStringLiteral("kind")).toString() << "  "
              << o.value(QStringLiteral("target")).toString() << "  " << sev.join(QLatin1Char(','))
              << "  "
              << (maps.isEmpty() ? NotifyText::tr("all mappings")
                                 : NotifyText::tr("mappings %1").arg(maps.join(QLatin1Char(','))))
              << "  "
              << NotifyText::tr("delivered %1, pending %2, failed %3")
                     .arg(QString::number(recent.value(QStringLiteral("delivered")).toInt()),
                          QString::number(recent.value(QStringLiteral("pending")).toInt()),
                          QString::number(recent.value(QStringLiteral("failed")).toInt()))
              << "\n";
    }
    return Ok;
}

int testCommand(const EngineContext& context, const QString& location, Workspace& ws, Args a)
{
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = false;
    const qint64 id = ref.toLongLong(&ok);
    if (!ok || id <= 0)
        return usageError(QStringLiteral("notify test needs a channel id (`notify list`)"));
    auto channel = ChannelRepository(ws).get(id);
    if (!channel)
        return reportError(channel.error());
    auto book = std::make_shared<SecretBook>();
    if (!ChannelSecrets::fromEnvironment(id, channel->key))
        if (auto stored = keychainRead(id))
            book->put(id, *stored);
    // Nothing to send with is a configuration problem (2); a receiver that refuses or does
    // not answer is a service problem (3).
    if (auto st = checkChannel(*channel, book->find(id, channel->key).value_or(ChannelSecrets{}));
        !st)
        return reportError(st.error());
    Notifier notifier(context, location, book);
    notifier.start();
    bool delivered = false;
    QString answer;
    QObject receiver;
    notifier.testChannel(id, &receiver, [&](bool okay, int, const QString& text) {
        delivered = okay;
        answer = text;
        QCoreApplication::exit(0);
    });
    QCoreApplication::exec();
    if (delivered) {
        out() << NotifyText::tr("delivered to channel %1: %2").arg(QString::number(id), answer)
              << "\n";
        return Ok;
    }
    err() << NotifyText::tr("lockstep: not delivered to channel %1: %2")
                 .arg(QString::number(id), answer)
          << "\n";
    return Unreachable;
}

int removeCommand(Workspace& ws, Args a)
{
    const QString ref = a.takeFirst();
    int code = 0;
    if (unknownLeft(a, &code))
        return code;
    bool ok = false;
    const qint64 id = ref.toLongLong(&ok);
    if (!ok || id <= 0)
        return usageError(QStringLiteral("notify remove needs a channel id (`notify list`)"));
    if (auto st = ChannelRepository(ws).remove(id); !st)
        return reportError(st.error());
    keychainRemove(id);
    return Ok;
}

} // namespace

int notifyCommand(const EngineContext& context, const QString& location, Args a)
{
    const QString sub = a.takeFirst();
    auto ws = Workspace::open(location);
    if (!ws)
        return reportError(ws.error());
    if (sub == QLatin1String("add"))
        return addCommand(**ws, std::move(a));
    if (sub == QLatin1String("list"))
        return listCommand(**ws, std::move(a));
    if (sub == QLatin1String("test"))
        return testCommand(context, location, **ws, std::move(a));
    if (sub == QLatin1String("remove"))
        return removeCommand(**ws, std::move(a));
    return usageError(QStringLiteral("notify add|list|test|remove"));
}

} // namespace lockstep::cli
