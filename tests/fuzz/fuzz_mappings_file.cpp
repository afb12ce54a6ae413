// Fuzzes the mappings file reader (YAML or JSON, then the schema): any bytes must give a
// file or errors that each name a position inside the text, never a crash, a hang or a
// runaway allocation; and a file that reads must write back to bytes that read to the
// same file and write the same bytes again (export is stable).
#include "fuzzcheck.h"
#include "spec/mappingsfile.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace lockstep;
    const QByteArray bytes =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    MappingsFileOptions options;
    options.limits.maxBytes = 256 * 1024;
    const MappingsFileRead read = parseMappingsFile(bytes, options);
    if (!read.ok()) {
        const int lines = int(bytes.count('\n')) + 1;
        for (const SpecError& e : read.errors) {
            LOCKSTEP_FUZZ_CHECK(!e.message.isEmpty(), "an error without a message");
            LOCKSTEP_FUZZ_CHECK(e.at.line >= 0 && e.at.line <= lines + 1, "line %d of %d",
                                e.at.line, lines);
            LOCKSTEP_FUZZ_CHECK(e.at.column >= 0, "column %d", e.at.column);
        }
        return 0;
    }
    const QByteArray written = writeMappingsFile(read.file);
    const MappingsFileRead again = parseMappingsFile(written, options);
    LOCKSTEP_FUZZ_CHECK(again.ok(), "the written file does not read back: %s",
                        again.errors.isEmpty()
                            ? ""
                            : qPrintable(again.errors.first().toString(QStringLiteral("written"))));
    LOCKSTEP_FUZZ_CHECK(writeMappingsFile(again.file) == written, "export is not stable");
    return 0;
}
