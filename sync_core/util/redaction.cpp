#include "redaction.h"

#include <QMutex>
#include <QRegularExpression>
#include <QUrl>

#include <algorithm>
#include <cstdio>

namespace lockstep {

namespace {

struct Registry
{
    QMutex mutex;
    QStringList secrets; // longest first, so a secret inside another is not half-replaced
    QtMessageHandler previous = nullptr;
    bool installed = false;
};

// Never destroyed, like the patterns below: the CLI's output streams are statics too and
// flush through redactSecrets() while the process's statics are being destroyed.
Registry& registry()
{
    static Registry* r = new Registry;
    return *r;
}

const QString kRedacted = QStringLiteral("[redacted]");

void redactingHandler(QtMsgType type, const QMessageLogContext& context, const QString& message)
{
    const QString clean = redactSecrets(message);
    QtMessageHandler previous = nullptr;
    {
        QMutexLocker lock(&registry().mutex);
        previous = registry().previous;
    }
    if (previous) {
        previous(type, context, clean);
        return;
    }
    std::fprintf(stderr, "%s\n", qUtf8Printable(qFormatLogMessage(type, context, clean)));
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

void registerSecrets(const QStringList& secrets)
{
    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    QStringList forms;
    for (const QString& s : secrets) {
        // Very short values would blank out ordinary words; the patterns below still
        // catch them in Authorization headers.
        if (s.size() < 4)
            continue;
        // "user:secret" (a service account): its password alone is a secret too.
        if (const qsizetype colon = s.indexOf(QLatin1Char(':')); colon > 0 && s.size() - colon > 4)
            forms << s.mid(colon + 1);
        const QByteArray utf8 = s.toUtf8();
        // The spellings a secret takes on the wire or in a URL.
        for (const QString& form :
             {s, QString::fromLatin1(utf8.toBase64()),
              QString::fromLatin1(
                  utf8.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)),
              QString::fromLatin1(QUrl::toPercentEncoding(s))})
            forms << form;
    }
    for (const QString& form : std::as_const(forms))
        if (!form.isEmpty() && !r.secrets.contains(form))
            r.secrets << form;
    std::sort(r.secrets.begin(), r.secrets.end(),
              [](const QString& a, const QString& b) { return a.size() > b.size(); });
}

void clearRegisteredSecrets()
{
    QMutexLocker lock(&registry().mutex);
    registry().secrets.clear();
}

QString redactSecrets(const QString& text)
{
    // `Authorization: <value>` as a header line, a JSON/QDebug pair or a header list.
    static const QRegularExpression& authorization = *new QRegularExpression(
        QStringLiteral(R"(((?:proxy-)?authorization["']?\s*[:=,]\s*["']?)[^"'\r\n,)}\]]+)"),
        QRegularExpression::CaseInsensitiveOption);
    // A bare credential: `Basic dXNlcjpzZWNyZXQ=`, `Bearer abc.d3f`: 8 or more token
    // characters with a digit, a symbol or a lower-to-upper case step (base64 has them,
    // words rarely do), so "Basic settings" stays.
    static const QRegularExpression& token = *new QRegularExpression(QStringLiteral(
        R"(\b(Basic|Bearer)\s+(?=[A-Za-z0-9._~+/=-]*(?:[0-9._~+/=-]|[a-z][A-Z]))[A-Za-z0-9._~+/=-]{8,})"));

    QString out = text;
    {
        QMutexLocker lock(&registry().mutex);
        for (const QString& s : std::as_const(registry().secrets))
            out.replace(s, kRedacted);
    }
    out.replace(authorization, QStringLiteral("\\1") + kRedacted);
    out.replace(token, QStringLiteral("\\1 ") + kRedacted);
    return out;
}

void installRedactingMessageHandler(const QStringList& secrets)
{
    registerSecrets(secrets);
    Registry& r = registry();
    QMutexLocker lock(&r.mutex);
    if (r.installed)
        return;
    r.installed = true;
    r.previous = qInstallMessageHandler(redactingHandler);
}

} // namespace lockstep
