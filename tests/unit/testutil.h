/* SPDX-License-Identifier: ISC */
/* Helpers shared by the cmocka unit tests: finding the fixtures beside the project. */
#ifndef WINNOW_TESTUTIL_H
#define WINNOW_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

/* The fixtures root: $WINNOW_FIXTURES, else ../shared/fixtures from the source tree. */
static inline const char *fixtures_dir(void)
{
    const char *d = getenv("WINNOW_FIXTURES");
    return (d && *d) ? d : "../shared/fixtures";
}

/* Exits with automake's SKIP status (77) and a clear message when the fixtures are not there. */
static inline void require_fixtures(void)
{
    struct stat st;
    char p[4096];
    snprintf(p, sizeof p, "%s/feeds/expected.json", fixtures_dir());
    if (stat(p, &st) != 0) {
        printf("SKIP: fixtures not found at %s (set WINNOW_FIXTURES to ../shared/fixtures)\n",
               fixtures_dir());
        exit(77);
    }
}

/* Reads fixtures/<rel> into a malloc'd buffer; fails the test when missing. */
static inline char *fixture_read(const char *rel, size_t *len)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", fixtures_dir(), rel);
    FILE *f = fopen(p, "rb");
    if (!f) { fail_msg("cannot open fixture %s", p); return NULL; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (n > 0 && fread(b, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(b); fail_msg("read %s", p); return NULL; }
    fclose(f);
    b[n] = 0;
    if (len) *len = (size_t)n;
    return b;
}

/* Removes a test's temporary tree (rm -rf, spawned with argv). */
static inline void rm_tree(const char *dir)
{
    const char *argv[] = {"rm", "-rf", dir, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        execvp("rm", (char *const *)argv);
        _exit(127);
    }
    if (pid > 0) waitpid(pid, NULL, 0);
}

#endif
