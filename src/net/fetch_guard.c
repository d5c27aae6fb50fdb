/* fetch_guard — the redirect guard: a feed on the network must not make winnow probe the user's own
 * machine or network by redirecting to it; curl asks before every request, redirects included,
 * with the address it is about to talk to. */
#include "fetch_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when ip (text, as curl gives it) is loopback, private, link-local, CGNAT or unspecified:
 * addresses of the user's own machine and network. */
static int addr_local(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1) {
    v4:
        return a[0] == 127 || a[0] == 10 || a[0] == 0 || (a[0] == 172 && (a[1] & 0xF0) == 16) ||
               (a[0] == 192 && a[1] == 168) || (a[0] == 169 && a[1] == 254) ||
               (a[0] == 100 && (a[1] & 0xC0) == 64);
    }
    if (inet_pton(AF_INET6, ip, a) != 1) return 1;   /* unknown: treat as local, refuse */
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (!memcmp(a, mapped, 12)) {
        memmove(a, a + 12, 4);
        goto v4;
    }
    static const unsigned char zero[15] = {0};
    if (!memcmp(a, zero, 15) && (a[15] == 0 || a[15] == 1)) return 1;   /* :: and ::1 */
    return (a[0] & 0xFE) == 0xFC || (a[0] == 0xFE && (a[1] & 0xC0) == 0x80);   /* fc00::/7, fe80::/10 */
}

/* Before every request, redirects included, with the address it is about to talk to.  A feed on
 * the network must not make winnow probe the user's own services by redirecting to them
 * (127.0.0.1:631, a router's page); a feed whose own URL is local (a home server) may. */
int fetch_on_prereq(void *user, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
                     int conn_local_port)
{
    (void)conn_local_ip;
    (void)conn_local_port;
    struct xfer *x = user;
    int local = addr_local(conn_primary_ip ? conn_primary_ip : "");
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
