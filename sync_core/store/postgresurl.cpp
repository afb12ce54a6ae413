#include "postgresurl.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QUrlQuery>

namespace lockstep {

namespace {

SyncError configError(const QString& message)
{
    return SyncError::make(SyncError::Category::Config, message);
}

bool isLoopbackHost(const QString& host)
{
    // Judged by the name as written, never by what it resolves to: a name that resolves
    // to 127.0.0.1 today may not tomorrow.
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    // QUrl has already normalised an IPv6 address ("[0:0::1]" is "::1"). The store links
    // no QtNetwork, so 127.0.0.0/8 is read here.
    if (host == QLatin1String("::1"))
        return true;
    static const QRegularExpression v4(
        QStringLiteral("^127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\."
                       "(25[0-5]|2[0-4]\\d|1?\\d?\\d)$"));
    return v4.match(host).hasMatch();
}

// libpq's conninfo quoting: single quotes, with backslash and quote escaped.
QString quoted(QString value)
{
    value.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    value.replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + value + QLatin1Char('\'');
}

} // namespace

const QStringList& postgresUrlParameters()
{
    static const QStringList names = {
        QStringLiteral("sslmode"),         QStringLiteral("sslrootcert"),
        QStringLiteral("sslcert"),         QStringLiteral("sslkey"),
        QStringLiteral("connect_timeout"), QStringLiteral("application_name"),
    };
    return names;
}

bool isPostgresLocation(const QString& location)
{
    return location.startsWith(QLatin1String("postgresql://")) ||
           location.startsWith(QLatin1String("postgres://"));
}

QString displayLocation(const QString& location)
{
    if (!isPostgresLocation(location))
        return location;
    return QUrl(location).toDisplayString(QUrl::RemovePassword | QUrl::RemoveQuery |
                                          QUrl::RemoveFragment);
}

Result<PostgresTarget> parsePostgresUrl(const QString& location)
{
    const QUrl url(location);
    if (!url.isValid() || url.host().isEmpty() || url.path().size() < 2)
        return configError(QStringLiteral("not a PostgreSQL URL "
                                          "(postgresql://user@host[:port]/database): %1")
                               .arg(displayLocation(location)));
    const QString passwordAdvice =
        QStringLiteral("put the PostgreSQL password in PGPASSWORD or ~/.pgpass, not in the URL");
    if (!url.password().isEmpty())
        return configError(passwordAdvice);

    PostgresTarget t;
    t.host = url.host();
    t.port = url.port(5432);
    t.database = url.path().mid(1);
    t.user = url.userName();
    t.loopback = isLoopbackHost(t.host);

    QStringList options;
    QSet<QString> seen;
    const QUrlQuery query(url);
    for (const auto& [rawName, rawValue] : query.queryItems(QUrl::FullyDecoded)) {
        const QString name = rawName.toLower();
        if (name == QLatin1String("password") || name == QLatin1String("sslpassword"))
            return configError(passwordAdvice);
        if (!postgresUrlParameters().contains(name))
            return configError(
                QStringLiteral("the PostgreSQL URL parameter \"%1\" is not supported "
                               "(supported: %2)")
                    .arg(rawName.left(40), postgresUrlParameters().join(QStringLiteral(", "))));
        if (seen.contains(name))
            return configError(
                QStringLiteral("the PostgreSQL URL gives \"%1\" more than once").arg(name));
        seen.insert(name);
        // QPSQL splits its options at ';' (before libpq sees them), so such a value
        // would arrive cut in two.
        if (rawValue.contains(QLatin1Char(';')) || rawValue.contains(QChar(0)))
            return configError(
                QStringLiteral("the PostgreSQL URL parameter \"%1\" has a value with ';' "
                               "or a NUL character, which cannot be passed on")
                    .arg(name));
        if (name == QLatin1String("sslmode")) {
            static const QStringList modes = {
                QStringLiteral("disable"),   QStringLiteral("allow"),
                QStringLiteral("prefer"),    QStringLiteral("require"),
                QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
            if (!modes.contains(rawValue))
                return configError(QStringLiteral("sslmode must be one of %1")
                                       .arg(modes.join(QStringLiteral(", "))));
            t.sslMode = rawValue;
        }
        if (name == QLatin1String("connect_timeout")) {
            bool ok = false;
            const int seconds = rawValue.toInt(&ok);
            if (!ok || seconds < 0)
                return configError(QStringLiteral("connect_timeout takes a number of seconds"));
        }
        options << name + QLatin1Char('=') + quoted(rawValue);
    }
    // libpq's default (prefer) falls back to plain text when the server declines TLS,
    // and then hands the password to whoever answered. Off this machine, TLS with the
    // server's name checked is the default; PGSSLMODE still decides when it is set, as
    // the operator's own choice.
    if (t.sslMode.isEmpty()) {
        if (!t.loopback && qEnvironmentVariableIsEmpty("PGSSLMODE")) {
            t.sslMode = QStringLiteral("verify-full");
            options << QStringLiteral("sslmode='verify-full'");
        } else {
            t.sslMode = QString::fromLocal8Bit(qgetenv("PGSSLMODE"));
        }
    }
    t.connectOptions = options.join(QLatin1Char(';'));
    return t;
}

} // namespace lockstep
