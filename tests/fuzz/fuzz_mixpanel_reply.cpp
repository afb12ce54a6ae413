// Fuzzes the Mixpanel reply parsers: /engage and /import ingestion replies (as a success
// and as error statuses, which go through the error-body reader), /cohorts/list and the
// /engage query page.
// mixpanelclient.h uses QList<QJsonObject> without the header (gcc does not mind, clang does).
#include <QJsonObject>

#include "api/mixpanelclient.h"
#include "fuzzcheck.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray body =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    for (int status : {200, 400, 429, 503}) {
        lockstep::HttpResponse reply;
        reply.status = status;
        reply.body = body;
        const lockstep::Status s = lockstep::MixpanelClient::parseEngageReply(reply);
        if (status != 200)
            LOCKSTEP_FUZZ_CHECK(!s.ok(), "status %d accepted", status);
        if (!s.ok())
            LOCKSTEP_FUZZ_CHECK(!s.error().message.isEmpty(), "an error without a message");
        const lockstep::Status imported = lockstep::MixpanelClient::parseImportReply(reply);
        if (status != 200)
            LOCKSTEP_FUZZ_CHECK(!imported.ok(), "/import status %d accepted", status);
    }
    const auto cohorts = lockstep::MixpanelClient::parseCohorts(body);
    const auto profiles = lockstep::MixpanelClient::parseProfiles(body);
    if (profiles.ok())
        LOCKSTEP_FUZZ_CHECK(profiles->distinctIds.size() == profiles->properties.size(),
                            "%lld ids, %lld property sets", qint64(profiles->distinctIds.size()),
                            qint64(profiles->properties.size()));
    return 0;
}
