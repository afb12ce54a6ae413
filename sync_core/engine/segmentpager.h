// Pages one segment's membership from Customer.io: each page is parsed and resolved on
// the parser thread, strictly in order, while the next one is on the wire, and at most one
// raw page waits for the parser, so pages never pile up in memory when parsing falls
// behind. A cursor that repeats (or more than maxPages pages) is a protocol error.
#pragma once

#include "pagedigest.h"
#include "util/result.h"

#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>

namespace lockstep {

class CustomerIoClient;

class SegmentPager : public QObject
{
    Q_OBJECT
public:
    // How pages are digested (digestPage); the resolver and `seen` belong to the parser
    // thread until the last page is parsed.
    struct Digest
    {
        IdentityResolver* resolver = nullptr;
        std::shared_ptr<const MemberSet> previous;
        std::vector<uint64_t>* seen = nullptr;
        bool sendKnown = false;
    };
    struct Handlers
    {
        // Every raw reply, in this thread: the owner hands the pages it takes to parse().
        std::function<void(Result<QByteArray>)> reply;
        // Every parsed page, in order, in this thread; the owner then calls next().
        std::function<void(const PageDigest&)> parsed;
    };

    SegmentPager(CustomerIoClient& cio, qint64 segmentId, int pageSize, int maxPages,
                 QThreadPool& parser, Handlers handlers, QObject* parent = nullptr);

    // Asks for the page at the cursor (the first one to begin with).
    void request();
    // Parses `page` as `how` says on the parser thread, and asks for the next page at once
    // when the cursor can be read without parsing.
    Status parse(QByteArray page, const Digest& how);
    // After a parsed page was handled: asks for the page held back, or for the next one
    // when only the parse could tell its cursor.
    Status next(const PageDigest& page);

    int requested() const { return m_requested; }
    bool lastFetched() const { return m_lastFetched; }

private:
    Status advance(const QString& cursor);

    CustomerIoClient& m_cio;
    qint64 m_segmentId;
    int m_pageSize;
    int m_maxPages;
    QThreadPool& m_parser;
    Handlers m_handlers;
    QString m_cursor;
    QSet<QString> m_seenCursors;
    int m_requested = 0;
    int m_received = 0;
    int m_parsing = 0;
    bool m_lastFetched = false;
    bool m_held = false; // the next page waits for the parser to catch up
};

} // namespace lockstep
