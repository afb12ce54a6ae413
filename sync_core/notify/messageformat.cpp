#include "messageformat.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <QMessageAuthenticationCode>

namespace lockstep {

namespace {

QString str(const QJsonObject& o, const char* key)
{
    return o.value(QLatin1String(key)).toString();
}

QString figure(const QJsonValue& v)
{
    if (v.isNull() || v.isUndefined())
        return {};
    const double d = v.toDouble();
    return d == qint64(d) ? QString::number(qint64(d)) : QString::number(d, 'f', 2);
}

struct Facts
{
    QString title;
    QString message;
    QString change;
    QString severity;
    QList<std::pair<QString, QString>> rows; // label, value
    QString whatToDo;
    QString eventId;
};

Facts factsOf(const QJsonObject& event)
{
    const QJsonObject alert = event.value(QLatin1String("alert")).toObject();
    const QJsonObject mapping = event.value(QLatin1String("mapping")).toObject();
    Facts f;
    f.title = eventTitle(event);
    f.message = str(alert, "message");
    f.change = str(event, "event");
    f.severity = str(alert, "severity");
    f.whatToDo = str(event, "what_to_do");
    f.eventId = str(event, "event_id");
    if (f.change == QLatin1String("test"))
        return f;
    const QString cohort = str(mapping, "cohort");
    f.rows.append({QStringLiteral("Mapping"),
                   QStringLiteral("%1 (id %2)")
                       .arg(cohort.isEmpty() ? QStringLiteral("–") : cohort,
                            QString::number(mapping.value(QLatin1String("id")).toInteger()))});
    const QString segment = str(mapping, "segment_name");
    if (mapping.value(QLatin1String("segment_id")).toInteger() > 0)
        f.rows.append(
            {QStringLiteral("Segment"),
             QStringLiteral("%1 (id %2)")
                 .arg(segment.isEmpty() ? QStringLiteral("–") : segment,
                      QString::number(mapping.value(QLatin1String("segment_id")).toInteger()))});
    f.rows.append({QStringLiteral("Rule"), str(alert, "rule")});
    const QString prevSeverity = str(alert, "previous_severity");
    f.rows.append({QStringLiteral("Severity"),
                   prevSeverity.isEmpty() || prevSeverity == f.severity
                       ? f.severity
                       : QStringLiteral("%1 (was %2)").arg(f.severity, prevSeverity)});
    const QString now = figure(alert.value(QLatin1String("value")));
    const QString before = figure(alert.value(QLatin1String("previous_value")));
    f.rows.append({QStringLiteral("Figure"),
                   before.isEmpty() ? now : QStringLiteral("%1 (before: %2)").arg(now, before)});
    if (const QString since = str(alert, "first_seen_at"); !since.isEmpty())
        f.rows.append({QStringLiteral("Since"), since});
    if (const QString resolved = str(alert, "resolved_at"); !resolved.isEmpty())
        f.rows.append({QStringLiteral("Resolved"), resolved});
    if (const QString at = str(alert, "acknowledged_at"); !at.isEmpty()) {
        const QString by = str(alert, "acknowledged_by");
        f.rows.append({QStringLiteral("Acknowledged"),
                       by.isEmpty() ? at : QStringLiteral("%1 by %2").arg(at, by)});
    }
    if (const QString owner = str(mapping, "owner"); !owner.isEmpty())
        f.rows.append({QStringLiteral("Owner"), owner});
    return f;
}

// Slack's mrkdwn treats these three as control characters (api.slack.com, "Formatting
// text for app surfaces": escaping).
QString slackEscape(QString s)
{
    return s.replace(QLatin1Char('&'), QLatin1String("&amp;"))
        .replace(QLatin1Char('<'), QLatin1String("&lt;"))
        .replace(QLatin1Char('>'), QLatin1String("&gt;"));
}

QString noLineBreaks(QString s)
{
    return s.replace(QLatin1Char('\r'), QLatin1Char(' '))
        .replace(QLatin1Char('\n'), QLatin1Char(' '));
}

QByteArray encodedWord(const QString& text)
{
    bool ascii = true;
    for (QChar c : text)
        if (c.unicode() < 0x20 || c.unicode() > 0x7e)
            ascii = false;
    if (ascii)
        return text.toLatin1();
    // RFC 2047 base64 words, short enough for a header line each.
    QByteArray out;
    const QByteArray utf8 = text.toUtf8();
    for (qsizetype i = 0; i < utf8.size();) {
        qsizetype n = qMin<qsizetype>(45, utf8.size() - i);
        // Never split a UTF-8 sequence.
        while (n > 0 && i + n < utf8.size() && (uchar(utf8[i + n]) & 0xC0) == 0x80)
            --n;
        if (!out.isEmpty())
            out += "\r\n ";
        out += "=?UTF-8?B?" + utf8.mid(i, n).toBase64() + "?=";
        i += n;
    }
    return out;
}

} // namespace

QString eventTitle(const QJsonObject& event)
{
    const QJsonObject alert = event.value(QLatin1String("alert")).toObject();
    const QJsonObject mapping = event.value(QLatin1String("mapping")).toObject();
    const QString change = str(event, "event");
    if (change == QLatin1String("test"))
        return QStringLiteral("Lockstep test message");
    const QString severity = str(alert, "severity").toUpper();
    const QString cohort = str(mapping, "cohort");
    const QString what = change == QLatin1String("opened")     ? QStringLiteral("opened")
                         : change == QLatin1String("raised")   ? QStringLiteral("raised")
                         : change == QLatin1String("resolved") ? QStringLiteral("resolved")
                                                               : change;
    if (change == QLatin1String("resolved"))
        return QStringLiteral("RESOLVED: %1 on %2").arg(str(alert, "rule"), cohort);
    if (change == QLatin1String("acknowledged")) {
        const QString by = str(alert, "acknowledged_by");
        return by.isEmpty()
                   ? QStringLiteral("ACKNOWLEDGED: %1 on %2").arg(str(alert, "rule"), cohort)
                   : QStringLiteral("ACKNOWLEDGED by %1: %2 on %3")
                         .arg(by, str(alert, "rule"), cohort);
    }
    return QStringLiteral("%1: %2 %3 on %4").arg(severity, str(alert, "rule"), what, cohort);
}

QJsonObject slackMessage(const QJsonObject& event)
{
    const Facts f = factsOf(event);
    const QString icon =
        f.change == QLatin1String("resolved")       ? QStringLiteral(":white_check_mark:")
        : f.change == QLatin1String("test")         ? QStringLiteral(":wave:")
        : f.change == QLatin1String("acknowledged") ? QStringLiteral(":eyes:")
        : f.severity == QLatin1String("critical")   ? QStringLiteral(":red_circle:")
        : f.severity == QLatin1String("warning")    ? QStringLiteral(":large_orange_circle:")
                                                    : QStringLiteral(":large_blue_circle:");
    QJsonArray blocks;
    blocks.append(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("header")},
        {QStringLiteral("text"), QJsonObject{{QStringLiteral("type"), QStringLiteral("plain_text")},
                                             // Slack limits a header's text to 150 characters.
                                             {QStringLiteral("text"), f.title.left(150)}}}});
    if (!f.message.isEmpty())
        blocks.append(QJsonObject{
            {QStringLiteral("type"), QStringLiteral("section")},
            {QStringLiteral("text"),
             QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                         {QStringLiteral("text"),
                          QStringLiteral("%1 %2").arg(icon, slackEscape(f.message)).left(3000)}}}});
    if (!f.rows.isEmpty()) {
        QJsonArray fields;
        // A section holds at most 10 fields.
        for (const auto& [label, value] : f.rows.mid(0, 10))
            fields.append(QJsonObject{
                {QStringLiteral("type"), QStringLiteral("mrkdwn")},
                {QStringLiteral("text"),
                 QStringLiteral("*%1*\n%2").arg(label, slackEscape(value)).left(2000)}});
        blocks.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("section")},
                                  {QStringLiteral("fields"), fields}});
    }
    blocks.append(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("section")},
        {QStringLiteral("text"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("mrkdwn")},
                     {QStringLiteral("text"),
                      QStringLiteral("*What to do:* %1").arg(slackEscape(f.whatToDo))}}}});
    blocks.append(QJsonObject{
        {QStringLiteral("type"), QStringLiteral("context")},
        {QStringLiteral("elements"),
         QJsonArray{QJsonObject{
             {QStringLiteral("type"), QStringLiteral("mrkdwn")},
             {QStringLiteral("text"), QStringLiteral("Lockstep · event %1").arg(f.eventId)}}}}});
    return QJsonObject{
        {QStringLiteral("text"), slackEscape(f.title)},
        {QStringLiteral("blocks"), blocks},
    };
}

QJsonObject teamsMessage(const QJsonObject& event)
{
    const Facts f = factsOf(event);
    const QString color = f.change == QLatin1String("resolved")     ? QStringLiteral("Good")
                          : f.severity == QLatin1String("critical") ? QStringLiteral("Attention")
                          : f.severity == QLatin1String("warning")  ? QStringLiteral("Warning")
                                                                    : QStringLiteral("Accent");
    QJsonArray body;
    body.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("TextBlock")},
                            {QStringLiteral("text"), f.title},
                            {QStringLiteral("weight"), QStringLiteral("Bolder")},
                            {QStringLiteral("size"), QStringLiteral("Medium")},
                            {QStringLiteral("color"), color},
                            {QStringLiteral("wrap"), true}});
    if (!f.message.isEmpty())
        body.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("TextBlock")},
                                {QStringLiteral("text"), f.message},
                                {QStringLiteral("wrap"), true}});
    if (!f.rows.isEmpty()) {
        QJsonArray facts;
        for (const auto& [label, value] : f.rows)
            facts.append(
                QJsonObject{{QStringLiteral("title"), label}, {QStringLiteral("value"), value}});
        body.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("FactSet")},
                                {QStringLiteral("facts"), facts}});
    }
    body.append(
        QJsonObject{{QStringLiteral("type"), QStringLiteral("TextBlock")},
                    {QStringLiteral("text"), QString(QStringLiteral("What to do: ") + f.whatToDo)},
                    {QStringLiteral("wrap"), true}});
    body.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("TextBlock")},
                            {QStringLiteral("text"), QString(QStringLiteral("Event ") + f.eventId)},
                            {QStringLiteral("isSubtle"), true},
                            {QStringLiteral("size"), QStringLiteral("Small")},
                            {QStringLiteral("wrap"), true}});
    // The shape the Teams "Post to a channel when a webhook request is received" workflow
    // reads (Microsoft Learn, "Create incoming webhooks with Workflows for Microsoft Teams").
    const QJsonObject card{
        {QStringLiteral("$schema"),
         QStringLiteral("http://adaptivecards.io/schemas/adaptive-card.json")},
        {QStringLiteral("type"), QStringLiteral("AdaptiveCard")},
        {QStringLiteral("version"), QStringLiteral("1.4")},
        {QStringLiteral("body"), body},
    };
    return QJsonObject{
        {QStringLiteral("type"), QStringLiteral("message")},
        {QStringLiteral("attachments"),
         QJsonArray{QJsonObject{{QStringLiteral("contentType"),
                                 QStringLiteral("application/vnd.microsoft.card.adaptive")},
                                {QStringLiteral("contentUrl"), QJsonValue::Null},
                                {QStringLiteral("content"), card}}}},
    };
}

QByteArray webhookSignature(const QByteArray& body, const QString& secret)
{
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret.toUtf8(), QCryptographicHash::Sha256)
               .toHex();
}

QByteArray emailMessage(const QJsonObject& event, const QString& from, const QStringList& to,
                        qint64 nowMs)
{
    const Facts f = factsOf(event);
    QStringList recipients;
    for (const QString& t : to)
        recipients << noLineBreaks(t);
    QByteArray m;
    m += "Date: " +
         QLocale::c()
             .toString(QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC),
                       QStringLiteral("ddd, dd MMM yyyy HH:mm:ss '+0000'"))
             .toLatin1() +
         "\r\n";
    m += "From: " + noLineBreaks(from).toUtf8() + "\r\n";
    m += "To: " + recipients.join(QStringLiteral(", ")).toUtf8() + "\r\n";
    m += "Subject: " + encodedWord(QStringLiteral("[Lockstep] ") + noLineBreaks(f.title)) + "\r\n";
    const QString domain = from.section(QLatin1Char('@'), 1).trimmed();
    m += "Message-ID: <" + noLineBreaks(f.eventId).toUtf8() + "@" +
         (domain.isEmpty() ? QByteArray("lockstep.invalid") : noLineBreaks(domain).toUtf8()) +
         ">\r\n";
    m += "X-Lockstep-Event-Id: " + noLineBreaks(f.eventId).toUtf8() + "\r\n";
    m += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n";
    QString text = f.title + QStringLiteral("\n\n");
    if (!f.message.isEmpty())
        text += f.message + QStringLiteral("\n\n");
    for (const auto& [label, value] : f.rows)
        text += label + QStringLiteral(": ") + value + QLatin1Char('\n');
    text += QStringLiteral("\nWhat to do: ") + f.whatToDo + QStringLiteral("\n\nEvent ") +
            f.eventId + QLatin1Char('\n');
    const QByteArray b64 = text.toUtf8().toBase64();
    for (qsizetype i = 0; i < b64.size(); i += 76)
        m += b64.mid(i, 76) + "\r\n";
    return m;
}

} // namespace lockstep
