#include "segmentpager.h"

#include "api/customerioclient.h"

#include <QPointer>

namespace lockstep {

SegmentPager::SegmentPager(CustomerIoClient& cio, qint64 segmentId, int pageSize, int maxPages,
                           QThreadPool& parser, Handlers handlers, QObject* parent)
    : QObject(parent), m_cio(cio), m_segmentId(segmentId), m_pageSize(pageSize),
      m_maxPages(maxPages), m_parser(parser), m_handlers(std::move(handlers))
{}

void SegmentPager::request()
{
    m_held = false;
    ++m_requested;
    QPointer<SegmentPager> self(this);
    m_cio.membershipPageRaw(m_segmentId, m_cursor, m_pageSize, [self](Result<QByteArray> body) {
        if (self)
            self->m_handlers.reply(std::move(body));
    });
}

Status SegmentPager::advance(const QString& cursor)
{
    if (m_seenCursors.contains(cursor) || m_received >= m_maxPages)
        return SyncError::make(SyncError::Category::Protocol,
                               QStringLiteral("Customer.io returned a paging cursor that "
                                              "repeats (after %1 pages); stopped reading")
                                   .arg(m_received));
    m_seenCursors.insert(cursor);
    m_cursor = cursor;
    return {};
}

Status SegmentPager::parse(QByteArray page, const Digest& how)
{
    ++m_received;
    const std::optional<QString> peeked = CustomerIoClient::peekNext(page);
    // Parsed and resolved off this thread; the result comes back as a queued call.
    ++m_parsing;
    QPointer<SegmentPager> self(this);
    m_parser.start([self, how, page = std::move(page), peeked]() mutable {
        PageDigest d = digestPage(std::move(page), peeked, *how.resolver, how.previous.get(),
                                  how.seen, how.sendKnown);
        d.peeked = peeked.has_value();
        if (self)
            QMetaObject::invokeMethod(
                self.data(),
                [self, d = std::move(d)] {
                    if (!self)
                        return;
                    --self->m_parsing;
                    self->m_handlers.parsed(d);
                },
                Qt::QueuedConnection);
    });

    if (!peeked)
        return {}; // the cursor is known once parsed (next())
    if (peeked->isEmpty()) {
        m_lastFetched = true;
        return {};
    }
    if (auto st = advance(*peeked); !st)
        return st;
    // At most one page waits for the parser.
    if (m_parsing >= 2)
        m_held = true;
    else
        request();
    return {};
}

Status SegmentPager::next(const PageDigest& page)
{
    if (m_held && m_parsing < 2) {
        request();
    } else if (!page.peeked) {
        if (page.next.isEmpty()) {
            m_lastFetched = true;
        } else {
            if (auto st = advance(page.next); !st)
                return st;
            request();
        }
    }
    return {};
}

} // namespace lockstep
