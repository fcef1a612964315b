/*
 * saksid's log: one line per event on stderr, "ts LEVEL [subsys] message". Callers go through
 * NODE_LOG, which checks the level before evaluating any argument. Never log secrets or whole
 * frames.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "node/node.h"

int node_log_level = NODE_LOG_INFO;

void node_log_write(int level, const char *subsys, const char *fmt, ...)
{
    static const char *const names[] = {"ERROR", "WARN", "INFO", "DEBUG"};
    struct timespec ts;
    struct tm tm;
    char when[32];
    va_list ap;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ %-5s [%-6s] ", when, ts.tv_nsec / 1000000,
            names[level < 0   ? 0
                  : level > 3 ? 3
                              : level],
            subsys);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
