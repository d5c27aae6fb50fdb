/* SPDX-License-Identifier: ISC */
/* The hosts a fetcher talks to, each once, with how many of its requests run and how many wait in
 * each queue.  The per-host limit needs to know, for every request it might start, whether its host
 * is full: that was a walk of the running transfers with a strcmp each, for every queued request
 * looked at, and finding the next startable request walked the whole queue.  With 3,000 feeds on
 * one host that was 9 million string compares in a refresh (perf: strcmp, strlen and the walk, 5 %
 * of the main thread, which grew with the square of the feeds).  Here a request carries its host's
 * index; a host's counts answer at once; and the walk stops as soon as every request left in the
 * queue belongs to a host it has found full. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch_int.h"
#include "util.h"

static uint32_t key_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void slots_place(struct fetcher *f, int host)
{
    size_t mask = f->n_slots - 1;
    for (size_t i = key_hash(f->hosts[host].key) & mask;; i = (i + 1) & mask) {
        if (f->slots[i] < 0) {
            f->slots[i] = host;
            return;
        }
    }
}

int fetch_host_intern(struct fetcher *f, const char *key)
{
    if ((size_t)(f->n_hosts + 1) * 2 > f->n_slots) {
        size_t n = f->n_slots ? f->n_slots * 2 : 64;
        free(f->slots);
        f->slots = xmalloc(n * sizeof *f->slots);
        for (size_t i = 0; i < n; i++) f->slots[i] = -1;
        f->n_slots = n;
        for (int h = 0; h < f->n_hosts; h++) slots_place(f, h);
    }
    size_t mask = f->n_slots - 1;
    for (size_t i = key_hash(key) & mask;; i = (i + 1) & mask) {
        int h = f->slots[i];
        if (h >= 0 && strcmp(f->hosts[h].key, key) == 0) return h;
        if (h < 0) {
            if (f->n_hosts == f->cap_hosts) {
                f->cap_hosts = f->cap_hosts ? f->cap_hosts * 2 : 16;
                f->hosts = xrealloc(f->hosts, (size_t)f->cap_hosts * sizeof *f->hosts);
            }
            h = f->n_hosts++;
            memset(&f->hosts[h], 0, sizeof f->hosts[h]);
            f->hosts[h].key = xstrdup(key);
            f->slots[i] = h;
            return h;
        }
    }
}

void fetch_hosts_free(struct fetcher *f)
{
    for (int h = 0; h < f->n_hosts; h++) free(f->hosts[h].key);
    free(f->hosts);
    free(f->slots);
}
