/*
 * Shared helpers for the cmocka unit tests: temporary directories and hex fixtures.
 */
#ifndef SAKSI_TESTS_HELPERS_H
#define SAKSI_TESTS_HELPERS_H

#include <stddef.h>
#include <stdint.h>

/* A fresh mkdtemp directory under $TMPDIR (or /tmp); the path is written into buf. */
void test_tmpdir(char *buf, size_t size);
/* Removes a directory tree (rm -rf); errors are ignored. */
void test_rmrf(const char *path);
/* Parses hex into out (exactly n bytes) or fails the test. */
void test_unhex(const char *hex, uint8_t *out, size_t n);

#endif
