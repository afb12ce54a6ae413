// Result<T>: a value or a SyncError. Functions that can fail return one of these
// instead of throwing or filling an out-parameter.
#pragma once

#include "syncerror.h"

#include <optional>
#include <utility>

namespace lockstep {

template <typename T> class [[nodiscard]] Result
{
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(SyncError error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }

    T& value() & { return *m_value; }
    const T& value() const& { return *m_value; }
    T&& value() && { return std::move(*m_value); }
    T* operator->() { return &*m_value; }
    const T* operator->() const { return &*m_value; }
    T& operator*() { return *m_value; }
    const T& operator*() const { return *m_value; }

    const SyncError& error() const { return m_error; }

private:
    std::optional<T> m_value;
    SyncError m_error;
};

// For operations with nothing to return.
template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(SyncError error) : m_error(std::move(error)) {}
    bool ok() const { return !m_error.isError(); }
    explicit operator bool() const { return ok(); }
    const SyncError& error() const { return m_error; }

private:
    SyncError m_error;
};

using Status = Result<void>;

} // namespace lockstep
