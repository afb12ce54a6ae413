#include "jsonwriter.h"

namespace lockstep::json {

void appendString(QByteArray& out, std::string_view s)
{
    static const char hex[] = "0123456789abcdef";
    out.reserve(out.size() + qsizetype(s.size()) + 2);
    out += '"';
    size_t run = 0; // start of the current stretch that needs no escaping
    for (size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(s.data() + run, qsizetype(i - run));
        run = i + 1;
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    out.append(s.data() + run, qsizetype(s.size() - run));
    out += '"';
}

} // namespace lockstep::json
