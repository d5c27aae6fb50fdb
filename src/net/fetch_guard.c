/* SPDX-License-Identifier: ISC */
/* fetch_guard — the redirect guard: a feed on the network must not make winnow probe the user's own
 * machine or network by redirecting to it; curl asks before every request, redirects included,
 * with the address it is about to talk to. */
#include "fetch_int.h"
#include "item.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Before every request, redirects included, with the address it is about to talk to.  A feed on
 * the network must not make winnow probe the user's own services by redirecting to them
 * (127.0.0.1:631, a router's page); a feed whose own URL is local (a home server) may. */
int fetch_on_prereq(void *user, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port)
{
    (void)conn_local_ip;
    (void)conn_local_port;
    struct xfer *x = user;
    int local = item_addr_is_local(conn_primary_ip ? conn_primary_ip : "");
    if (x->hops++ == 0) {
        x->origin_local = local && !x->public_origin;
        return CURL_PREREQFUNC_OK;
    }
    if (local && !x->origin_local) {
        char *eff = NULL;
        curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
        char *u = fetch_dup_clean(eff ? eff : "", strlen(eff ? eff : ""));
        snprintf(x->refused, sizeof x->refused, "redirect to a local address refused (%s, %s port %d)", u,
                 conn_primary_ip ? conn_primary_ip : "?", conn_primary_port);
        free(u);
        return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
}
