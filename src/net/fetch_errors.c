/* SPDX-License-Identifier: ISC */
/* fetch_errors — the words a failed fetch is reported in: curl's codes and the transfer's facts
 * turned into a sentence a reader can act on ("could not connect to example.org: Connection
 * refused", "larger than 16 MiB", "timed out after 30 s"), the reason phrases HTTP/2 no longer
 * sends, and the cleaning of outside text (server phrases, URLs) before it is quoted. */
#include "fetch_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Anything shown to a person or put in a header must not carry control bytes from outside. */
char *fetch_dup_clean(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        d[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    d[n] = 0;
    return d;
}

static void human_size(size_t n, char *out, size_t cap)
{
    if (n >= MIB && n % MIB == 0) snprintf(out, cap, "%zu MiB", n / MIB);
    else if (n >= 1024 && n % 1024 == 0) snprintf(out, cap, "%zu KiB", n / 1024);
    else snprintf(out, cap, "%zu bytes", n);
}

/* HTTP/2 and later send no reason phrase; people still want "Not Found" after the number. */
static const struct { short code; const char *text; } reasons[] = {
    {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
    {305, "Use Proxy"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"}, {403, "Forbidden"},
    {404, "Not Found"}, {405, "Method Not Allowed"}, {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {409, "Conflict"},
    {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"},
    {413, "Content Too Large"}, {414, "URI Too Long"}, {415, "Unsupported Media Type"},
    {416, "Range Not Satisfiable"}, {418, "I'm a teapot"}, {421, "Misdirected Request"},
    {422, "Unprocessable Content"}, {425, "Too Early"}, {426, "Upgrade Required"},
    {428, "Precondition Required"}, {429, "Too Many Requests"},
    {431, "Request Header Fields Too Large"}, {451, "Unavailable For Legal Reasons"},
    {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
    {503, "Service Unavailable"}, {504, "Gateway Timeout"}, {505, "HTTP Version Not Supported"},
    {508, "Loop Detected"}, {511, "Network Authentication Required"},
};

const char *fetch_reason_for(long code)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].code == code) return reasons[i].text;
    return "";
}

void fetch_describe_error(struct xfer *x, CURLcode rc, long status, char *out, size_t cap)
{
    if (x->refused[0]) {
        snprintf(out, cap, "%s", x->refused);
        return;
    }
    struct fetch_opts *o = &x->f->o;
    char *eff = NULL, *host = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_EFFECTIVE_URL, &eff);
    const char *url = eff ? eff : x->url;
    const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
    char *det = fetch_dup_clean(detail, strlen(detail));
    size_t dl = strlen(det);
    while (dl && (det[dl - 1] == ' ' || det[dl - 1] == '?')) det[--dl] = 0;

    switch (rc) {
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (x->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
            char sz[32];
            human_size(o->max_body, sz, sizeof sz);
            snprintf(out, cap, "larger than %s", sz);
        } else {
            snprintf(out, cap, "could not store the response (%s)", det);
        }
        break;
    case CURLE_OPERATION_TIMEDOUT: {
        double elapsed = now_ms() - x->t_start;
        curl_off_t connect_us = 0;
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        host = fetch_url_part(url, CURLUPART_HOST, 0);
        if (o->timeout_s > 0 && elapsed >= (double)o->timeout_s * 1000.0 - 50.0)
            snprintf(out, cap, "timed out after %ld s", o->timeout_s);
        else if (connect_us == 0)
            snprintf(out, cap, "could not connect to %s: timed out after %ld s", host ? host : url,
                     o->connect_timeout_s);
        else
            snprintf(out, cap, "stalled: less than %ld byte%s/s for %ld s", o->low_speed_bytes,
                     o->low_speed_bytes == 1 ? "" : "s", o->low_speed_time_s);
        break;
    }
    case CURLE_COULDNT_RESOLVE_HOST:
        host = fetch_url_part(url, CURLUPART_HOST, 0);
        snprintf(out, cap, "could not resolve host %s", host ? host : url);
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(out, cap, "could not resolve the proxy (%s)", det);
        break;
    case CURLE_COULDNT_CONNECT: {
        long os_err = 0;
        curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &os_err);
        host = fetch_url_part(url, CURLUPART_HOST, 0);
        if (os_err > 0)
            snprintf(out, cap, "could not connect to %s: %s", host ? host : url,
                     strerror((int)os_err));
        else
            snprintf(out, cap, "could not connect to %s", host ? host : url);
        break;
    }
    case CURLE_TOO_MANY_REDIRECTS:
        snprintf(out, cap, "too many redirects (more than %d)", o->max_redirects);
        break;
    case CURLE_UNSUPPORTED_PROTOCOL: {
        long redirects = 0;
        curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_COUNT, &redirects);
        if (redirects > 0 || strcmp(url, x->url) != 0) {
            char *u = fetch_dup_clean(url, strlen(url));
            snprintf(out, cap, "redirect to a non-HTTP URL refused (%s)", u);
            free(u);
        } else {
            snprintf(out, cap, "unsupported URL (%s)", det);
        }
        break;
    }
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
        if (x->status_seen) snprintf(out, cap, "connection reset while receiving the body");
        else snprintf(out, cap, "connection reset before the server answered");
        break;
    case CURLE_GOT_NOTHING:
        snprintf(out, cap, "the server closed the connection without answering");
        break;
    case CURLE_SEND_ERROR:
        snprintf(out, cap, "connection lost while sending the request (%s)", det);
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        snprintf(out, cap, "TLS certificate not trusted (%s); for a server you trust, add the feed "
                 "with --insecure-tls", det);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        snprintf(out, cap, "TLS handshake failed (%s)", det);
        break;
    case CURLE_BAD_CONTENT_ENCODING:
        snprintf(out, cap, "could not decode the compressed body (%s)", det);
        break;
    case CURLE_WEIRD_SERVER_REPLY:
        snprintf(out, cap, "the server sent an invalid HTTP response (%s)", det);
        break;
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        snprintf(out, cap, "HTTP/2 error (%s)", det);
        break;
    case CURLE_URL_MALFORMAT:
        snprintf(out, cap, "invalid URL (%s)", det);
        break;
    default:
        if (status > 0) snprintf(out, cap, "HTTP %ld: %s", status, det);
        else snprintf(out, cap, "%s", det);
        break;
    }
    free(host);
    free(det);
}
