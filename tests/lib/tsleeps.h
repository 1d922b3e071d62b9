/* tsleeps.h — how often a thread of this process has gone to sleep. */
#ifndef TSLEEPS_H
#define TSLEEPS_H
/* Voluntary context switches of thread tid (its gettid) so far, from
 * /proc/self/task/tid/status; -1 if unknown. */
long threadsleeps(int tid);
#endif
