/* SPDX-License-Identifier: ISC */
/* The loopback fixture server (tests/integration/server.py) for cmocka tests that need HTTP:
 * started with argv (never a shell), bound to 127.0.0.1 on a free port, stopped by the test or,
 * failing that, by its own --lifetime and by the parent's death. */
#ifndef WINNOW_TESTSERVER_H
#define WINNOW_TESTSERVER_H

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

struct test_server {
    pid_t pid;
    char url[64];
};

/* Starts server.py with `--OPT DIR` (e.g. "--fixtures" or "--docroot"), writing its port file into
 * tmp_dir.  Returns 0 when it answers, 77 when it cannot run here (no python3 or no script: the
 * caller skips, the reason printed), -1 on a real failure. */
static inline int test_server_start(struct test_server *s, const char *tmp_dir, const char *opt,
                                    const char *dir)
{
    s->pid = -1;
    s->url[0] = 0;
    const char *src = getenv("WINNOW_SRCDIR");
    const char *py = getenv("PYTHON3");
    if (!src || !*src) src = ".";
    if (!py || !*py) py = "python3";
    if (!strcmp(py, "no")) {
        printf("SKIP: python3 not found by configure\n");
        return 77;
    }
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s/tests/integration/server.py", src);
    if (access(script, R_OK) != 0) {
        printf("SKIP: %s not found (set WINNOW_SRCDIR)\n", script);
        return 77;
    }
    char port_file[PATH_MAX + 16];
    snprintf(port_file, sizeof port_file, "%s/port", tmp_dir);
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
#ifdef __linux__
        prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
        char *argv[] = {(char *)py, script, "--port-file", port_file, (char *)opt, (char *)dir,
                        "--lifetime", "120", NULL};
        execvp(py, argv);
        _exit(127);
    }
    s->pid = pid;
    for (int i = 0; i < 400; i++) {
        FILE *fp = fopen(port_file, "r");
        if (fp) {
            int port = 0;
            int n = fscanf(fp, "%d", &port);
            fclose(fp);
            if (n == 1 && port > 0) {
                snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d", port);
                return 0;
            }
        }
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid) {
            s->pid = -1;
            printf("SKIP: the test server did not start (%s %s)\n", py, script);
            return 77;
        }
        usleep(25000);
    }
    printf("the test server wrote no port within 10 s\n");
    return -1;
}

static inline void test_server_stop(struct test_server *s, const char *tmp_dir)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = -1;
    }
    if (tmp_dir && *tmp_dir) {
        char port_file[PATH_MAX + 16];
        snprintf(port_file, sizeof port_file, "%s/port", tmp_dir);
        unlink(port_file);
    }
}

#endif
