#include "threadpriority.h"

#include <algorithm>

#if defined(Q_OS_LINUX) || defined(__linux__)
#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>
#define LOCKSTEP_THREAD_NICE 1
#endif

namespace lockstep {

#ifdef LOCKSTEP_THREAD_NICE
// setpriority(PRIO_PROCESS, tid) acts on one thread on Linux (not on the whole process as
// POSIX words it): the engine's threads can run below the GUI thread of the same process.
int currentThreadNice()
{
    errno = 0;
    const int nice = ::getpriority(PRIO_PROCESS, id_t(::gettid()));
    return errno ? 0 : nice;
}

bool lowerCurrentThreadPriority(int steps)
{
    if (steps <= 0)
        return true;
    errno = 0;
    const int now = ::getpriority(PRIO_PROCESS, id_t(::gettid()));
    if (errno)
        return false;
    return ::setpriority(PRIO_PROCESS, id_t(::gettid()), std::min(now + steps, 19)) == 0;
}
#else
int currentThreadNice()
{
    return 0;
}

bool lowerCurrentThreadPriority(int steps)
{
    return steps <= 0;
}
#endif

} // namespace lockstep
