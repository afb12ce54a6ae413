// The CPU priority of the calling thread, for threads that must not take a core from the
// one a person is watching (the console's GUI thread).
#pragma once

namespace lockstep {

// Lowers the calling thread's scheduling priority by `steps` nice levels (Linux keeps a
// nice value per thread; threads it starts afterwards inherit it). Only lowers: raising a
// priority needs a privilege the console does not have. False where it could not.
bool lowerCurrentThreadPriority(int steps);

// The calling thread's nice value (0 where the platform has none).
int currentThreadNice();

} // namespace lockstep
