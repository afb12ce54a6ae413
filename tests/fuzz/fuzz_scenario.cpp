// Fuzzes the sandbox scenario parser: any JSON object must yield a scenario or an error
// that names something, never a crash or a hang.
#include "fuzzcheck.h"
#include "scenario.h"

#include <QJsonDocument>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    const QJsonDocument doc = QJsonDocument::fromJson(bytes);
    if (!doc.isObject())
        return 0;
    const auto result = lockstep::sandbox::parseScenario(doc.object());
    if (const auto* e = std::get_if<lockstep::sandbox::ScenarioError>(&result))
        LOCKSTEP_FUZZ_CHECK(!e->toString().isEmpty(), "an error without a message");
    return 0;
}
