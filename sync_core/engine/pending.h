// How a caller gets the answer to its own request across the seam.
//
// A request to an engine service returns a Pending<T> at once. The request is queued to
// the engine thread with a fresh RequestId; the service answers with a queued signal
// carrying that id, either the value or a failure, exactly once. The RequestRouter (in the
// caller's thread) hands it to the callbacks registered on that Pending, and to no one
// else:
//
//     controller->mappings()->add(mapping)
//         .then(this, [this](qint64 id) { ... })
//         .onFailed(this, [this](const SyncError& e) { ... });
//
// Callbacks run in the caller's thread, and only while their context object lives.
// Registering them after the call is safe: no answer can arrive before the caller returns
// to its event loop. A request without onFailed() leaves its failure to the router's
// unclaimedFailure() (the console shows it in its banner); with one, the failure is the
// caller's alone, even when the caller is gone.
#pragma once

#include "seamtypes.h"
#include "util/syncerror.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <type_traits>

namespace lockstep {

namespace detail {

class PendingBase
{
public:
    virtual ~PendingBase() = default;

    // True when the caller took the failure (it registered onFailed()).
    bool fail(const SyncError& error)
    {
        if (!m_onFailed)
            return false;
        if (m_failContext)
            m_onFailed(error);
        return true;
    }
    void progress(const QString& step)
    {
        if (m_onProgress && m_progressContext)
            m_onProgress(step);
    }

    QPointer<QObject> m_failContext;
    std::function<void(const SyncError&)> m_onFailed;
    QPointer<QObject> m_progressContext;
    std::function<void(const QString&)> m_onProgress;
};

template <typename T> class PendingState : public PendingBase
{
public:
    void resolve(const T& value)
    {
        if (m_then && m_context)
            m_then(value);
    }

    QPointer<QObject> m_context;
    std::function<void(const T&)> m_then;
};

// Calls `f` with `args`: a callable, or a member function of `context`.
template <typename C, typename F, typename... Args> auto bind(C* context, F f)
{
    return [context, f = std::move(f)](const Args&... args) {
        if constexpr (std::is_member_function_pointer_v<F>)
            (context->*f)(args...);
        else
            f(args...);
    };
}

} // namespace detail

template <typename T> class Pending
{
public:
    Pending() = default;

    RequestId id() const { return m_id; }

    // `f(const T&)`, or a member function of `context`, with the answer.
    template <typename C, typename F> Pending& then(C* context, F f)
    {
        m_state->m_context = context;
        m_state->m_then = detail::bind<C, F, T>(context, std::move(f));
        return *this;
    }
    // `f(const SyncError&)` with the failure; the caller owns its failure from now on.
    template <typename C, typename F> Pending& onFailed(C* context, F f)
    {
        m_state->m_failContext = context;
        m_state->m_onFailed = detail::bind<C, F, SyncError>(context, std::move(f));
        return *this;
    }
    // `f(const QString& step)` as a long request (a trust check) goes on.
    template <typename C, typename F> Pending& onProgress(C* context, F f)
    {
        m_state->m_progressContext = context;
        m_state->m_onProgress = detail::bind<C, F, QString>(context, std::move(f));
        return *this;
    }

private:
    friend class RequestRouter;
    Pending(RequestId id, std::shared_ptr<detail::PendingState<T>> state)
        : m_id(id), m_state(std::move(state))
    {}

    RequestId m_id = 0;
    std::shared_ptr<detail::PendingState<T>> m_state;
};

// The caller's side of the request ids: hands out ids and delivers each answer to its
// request's Pending. Lives in the caller's thread (SyncController owns one).
class RequestRouter : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    template <typename T> Pending<T> open()
    {
        auto state = std::make_shared<detail::PendingState<T>>();
        const RequestId id = ++m_last;
        m_pending.insert(id, state);
        return Pending<T>(id, state);
    }

    // The answer to `id` (0, or an id already answered: nobody waits, nothing happens).
    template <typename T> void resolve(RequestId id, const T& value)
    {
        const std::shared_ptr<detail::PendingBase> state = m_pending.take(id);
        if (!state)
            return;
        auto* typed = dynamic_cast<detail::PendingState<T>*>(state.get());
        Q_ASSERT_X(typed, "RequestRouter::resolve", "answered with another type than asked");
        if (typed)
            typed->resolve(value);
    }
    void fail(RequestId id, const SyncError& error);
    void progress(RequestId id, const QString& step);

    // Requests asked and not answered yet.
    int pendingCount() const { return int(m_pending.size()); }

Q_SIGNALS:
    // A failure no caller took: a request without onFailed(), or one the engine made
    // on its own (id 0).
    void unclaimedFailure(const lockstep::SyncError& error);

private:
    QHash<RequestId, std::shared_ptr<detail::PendingBase>> m_pending;
    RequestId m_last = 0;
};

// Queues `call(service, id)` to the service's thread under a new request id of `router`.
template <typename T, typename S, typename F>
Pending<T> ask(RequestRouter* router, S* service, F call)
{
    Pending<T> pending = router->open<T>();
    QMetaObject::invokeMethod(
        service, [service, id = pending.id(), call = std::move(call)] { call(service, id); },
        Qt::QueuedConnection);
    return pending;
}

// Hands each answer the service emits on `signal` to the Pending of its request, then to
// `announce(value)` (in `receiver`'s thread), which sees every answer, those to nobody
// (id 0) included.
template <typename S, typename V, typename A>
void answerFrom(RequestRouter* router, S* service, void (S::*signal)(RequestId, V),
                QObject* receiver, A announce)
{
    using T = std::decay_t<V>;
    QObject::connect(service, signal, receiver, [router, announce](RequestId id, const T& value) {
        router->resolve<T>(id, value);
        announce(value);
    });
}

template <typename S, typename V>
void answerFrom(RequestRouter* router, S* service, void (S::*signal)(RequestId, V))
{
    answerFrom(router, service, signal, router, [](const std::decay_t<V>&) {});
}

} // namespace lockstep
