#include "smtpmailer.h"

#include "api/endpointpolicy.h"

#include <QUrl>

#include <curl/curl.h>

#include <cstring>
#include <mutex>

namespace lockstep {

namespace {

struct Upload
{
    const QByteArray* data;
    qsizetype offset = 0;
};

size_t readBody(char* buffer, size_t size, size_t count, void* user)
{
    auto* up = static_cast<Upload*>(user);
    const size_t room = size * count;
    const size_t left = size_t(up->data->size() - up->offset);
    const size_t n = std::min(room, left);
    std::memcpy(buffer, up->data->constData() + up->offset, n);
    up->offset += qsizetype(n);
    return n;
}

size_t ignoreHeader(char*, size_t size, size_t count, void*)
{
    return size * count;
}

} // namespace

SmtpResult sendMail(const SmtpRequest& r)
{
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

    SmtpResult result;
    const QUrl url(r.url);
    const QString scheme = url.scheme().toLower();
    if ((scheme != QLatin1String("smtp") && scheme != QLatin1String("smtps")) ||
        url.host().isEmpty()) {
        result.answer = QStringLiteral("not an smtp:// or smtps:// address");
        return result;
    }
    // Plain text only to this machine (a local relay or a test's sink); anything else
    // must speak TLS, so the password and the alert never cross a network in clear.
    const bool loopback = checkEndpoint(QUrl(QStringLiteral("http://%1/").arg(url.host()))).ok();

    CURL* curl = curl_easy_init();
    if (!curl) {
        result.answer = QStringLiteral("libcurl could not start");
        result.transient = true;
        return result;
    }
    QUrl bare = url;
    bare.setUserInfo(QString());
    const QByteArray urlBytes = bare.toString(QUrl::FullyEncoded).toUtf8();
    const QByteArray user = url.userName(QUrl::FullyDecoded).toUtf8();
    const QByteArray password = r.password.toUtf8();
    const QByteArray from = QStringLiteral("<%1>").arg(r.from).toUtf8();
    curl_slist* rcpt = nullptr;
    for (const QString& to : r.to)
        rcpt = curl_slist_append(rcpt, QStringLiteral("<%1>").arg(to).toUtf8().constData());
    Upload up{&r.message};
    char error[CURL_ERROR_SIZE] = {0};

    curl_easy_setopt(curl, CURLOPT_URL, urlBytes.constData());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(r.timeoutMs));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(qMin(r.timeoutMs, 10000)));
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(
        curl, CURLOPT_USE_SSL,
        long(scheme == QLatin1String("smtps") || !loopback ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (!user.isEmpty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, user.constData());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password.constData());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.constData());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, readBody);
    curl_easy_setopt(curl, CURLOPT_READDATA, &up);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, ignoreHeader);
    const QByteArray caFile = r.caFile.toLocal8Bit();
    if (!caFile.isEmpty())
        curl_easy_setopt(curl, CURLOPT_CAINFO, caFile.constData());
    // Verification stays on (libcurl's default), said here so nobody turns it off lightly.
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);

    const CURLcode code = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    result.replyCode = int(reply);
    result.ok = code == CURLE_OK;
    if (!result.ok) {
        result.answer = QString::fromUtf8(error[0] ? error : curl_easy_strerror(code));
        // 5xx replies are permanent (a refused recipient, bad credentials); a 4xx, a
        // timeout or a connection failure may pass later.
        result.transient = reply >= 400 && reply < 500 ? true
                           : reply >= 500              ? false
                                                       : code != CURLE_LOGIN_DENIED;
    } else {
        result.answer = QStringLiteral("%1 accepted").arg(reply);
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(curl);
    return result;
}

} // namespace lockstep
