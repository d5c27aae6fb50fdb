/* SPDX-License-Identifier: ISC */
#include "date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Howard Hinnant's days-from-civil algorithm: exact, no timegm(), no TZ environment. */
int64_t date_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int month_from_name(const char *p)
{
    static const char *names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
    char m[4];
    for (int i = 0; i < 3; i++) {
        if (!p[i]) return 0;
        m[i] = (char)tolower((unsigned char)p[i]);
    }
    m[3] = 0;
    for (int i = 0; i < 12; i++)
        if (!strcmp(m, names[i])) return i + 1;
    /* a few non-English abbreviations seen in the wild */
    if (!strcmp(m, "mai")) return 5;
    if (!strcmp(m, "okt")) return 10;
    if (!strcmp(m, "dez")) return 12;
    return 0;
}

/* Zone offset in seconds east of UTC for "+0100", "+01:00", "-05", "Z", "GMT", "EST", ... */
static int parse_zone(const char *p, long *off)
{
    while (*p == ' ') p++;
    *off = 0;
    if (!*p) return 0;
    if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        p++;
        int digits[4], nd = 0;
        while (*p && nd < 4) {
            if (isdigit((unsigned char)*p)) digits[nd++] = *p - '0';
            else if (*p != ':') break;
            p++;
        }
        if (nd == 2) *off = sign * (digits[0] * 10 + digits[1]) * 3600L;
        else if (nd == 4)
            *off = sign * ((digits[0] * 10 + digits[1]) * 3600L + (digits[2] * 10 + digits[3]) * 60L);
        else return -1;
        return 0;
    }
    static const struct { const char *n; int h; } zones[] = {
        {"Z", 0}, {"UT", 0}, {"UTC", 0}, {"GMT", 0}, {"EST", -5}, {"EDT", -4}, {"CST", -6},
        {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}, {"CET", 1}, {"CEST", 2},
        {"BST", 1}, {"MSK", 3}, {"JST", 9}, {"IST", 5}, {"AEST", 10}, {"AEDT", 11}, {"EET", 2},
        {"EEST", 3}, {"WET", 0}, {"WEST", 1}, {"MEZ", 1}, {"MESZ", 2}, {"HST", -10}, {"AKST", -9},
        {"AKDT", -8}, {"NZST", 12}, {"NZDT", 13}, {"KST", 9}, {"HKT", 8}, {"SGT", 8}, {"WIB", 7},
        {"CAT", 2}, {"EAT", 3}, {"WAT", 1}, {"BRT", -3}, {"ART", -3}, {"AST", -4}, {"ADT", -3},
    };
    char z[8];
    size_t n = 0;
    while (p[n] && isalpha((unsigned char)p[n]) && n < 7) { z[n] = (char)toupper((unsigned char)p[n]); n++; }
    z[n] = 0;
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        if (!strcmp(z, zones[i].n)) { *off = zones[i].h * 3600L; return 0; }
    if (n == 0) return 0;   /* unknown trailing garbage: treat as UTC rather than drop the date */
    return 0;
}

static int64_t make_time(int64_t y, int mo, int d, int h, int mi, int s, long off)
{
    if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 24 || mi < 0 ||
        mi > 59 || s < 0 || s > 61)
        return -1;
    int64_t days = date_days_from_civil(y, (unsigned)mo, (unsigned)d);
    return days * 86400 + h * 3600 + mi * 60 + s - off;
}

static const char *skip_num(const char *p, int *v, int maxd)
{
    int n = 0, val = 0;
    while (isdigit((unsigned char)*p) && n < maxd) { val = val * 10 + (*p - '0'); p++; n++; }
    if (!n) return NULL;
    *v = val;
    return p;
}

/* ISO 8601 / RFC 3339: 2023-12-10T18:11:41-05:00, 2023-12-10 18:11:41, 2023-12-10T18:11Z,
 * 2023-12-10, 20231210T181141Z, with fractions of a second. */
static int64_t parse_iso(const char *p)
{
    int y, mo, d, h = 0, mi = 0, s = 0;
    const char *q = skip_num(p, &y, 4);
    if (!q || q - p != 4) return -1;
    /* reduced precision: "2003", "2003-12" */
    if (!*q) return make_time(y, 1, 1, 0, 0, 0, 0);
    int dash = *q == '-';
    if (dash) q++;
    const char *m0 = q;
    if (!(q = skip_num(q, &mo, dash ? 3 : 2))) return -1;
    if (q - m0 == 3) {
        /* ordinal date "2003-335": the day of the year */
        if (mo < 1 || mo > 366 || (*q && *q != 'T' && *q != ' ')) return -1;
        int64_t t = make_time(y, 1, 1, 0, 0, 0, 0);
        return t < 0 ? -1 : t + (int64_t)(mo - 1) * 86400;
    }
    if (!*q && dash) return make_time(y, mo, 1, 0, 0, 0, 0);
    if (*q == '-') q++;
    if (!(q = skip_num(q, &d, 2))) return -1;
    long off = 0;
    if (*q == 'T' || *q == 't' || *q == ' ') {
        q++;
        if (!(q = skip_num(q, &h, 2))) return -1;
        if (*q == ':') q++;
        if (!(q = skip_num(q, &mi, 2))) return -1;
        if (*q == ':' || isdigit((unsigned char)*q)) {
            if (*q == ':') q++;
            if (!(q = skip_num(q, &s, 2))) return -1;
        }
        if (*q == '.' || *q == ',') {
            q++;
            while (isdigit((unsigned char)*q)) q++;
        }
        if (parse_zone(q, &off) < 0) return -1;
    }
    return make_time(y, mo, d, h, mi, s, off);
}

/* RFC 822 and friends: "Thu, 31 Jan 2019 16:58:12 +0000", "31 Jan 19 16:58 GMT",
 * "Thu, 31 January 2019 16:58:12 EST", "Thu Jan 31 16:58:12 2019", "Thu, 31 Jan 2019". */
static int64_t parse_rfc822(const char *p)
{
    while (*p && !isdigit((unsigned char)*p) && !isalpha((unsigned char)*p)) p++;
    /* optional weekday */
    if (isalpha((unsigned char)*p) && !month_from_name(p)) {
        while (isalpha((unsigned char)*p)) p++;
        while (*p == ',' || *p == ' ' || *p == '.') p++;
    }
    int d = 0, mo = 0, y = 0, h = 0, mi = 0, s = 0;
    const char *q;
    if (isalpha((unsigned char)*p)) {
        /* asctime style: Jan 31 16:58:12 2019, or "January 31, 2019" */
        mo = month_from_name(p);
        if (!mo) return -1;
        while (isalpha((unsigned char)*p)) p++;
        while (*p == ' ' || *p == '.') p++;
        if (!(q = skip_num(p, &d, 2))) return -1;
        p = q;
        while (*p == ' ' || *p == ',') p++;
        const char *t = skip_num(p, &h, 4);
        if (t && *t == ':') {
            p = t + 1;
            if (!(q = skip_num(p, &mi, 2))) return -1;
            p = q;
            if (*p == ':') { if (!(q = skip_num(p + 1, &s, 2))) return -1; p = q; }
            while (*p == ' ') p++;
            /* date(1) puts the zone before the year: "Sun Jan  4 16:29:06 PST 2004" */
            long zoff = 0;
            if (isalpha((unsigned char)*p) || *p == '+' || *p == '-') {
                if (parse_zone(p, &zoff) < 0) return -1;
                while (*p && !isspace((unsigned char)*p)) p++;
                while (*p == ' ') p++;
            }
            if (!(q = skip_num(p, &y, 4))) return -1;
            return make_time(y, mo, d, h, mi, s, zoff);
        }
        if (!t) return -1;
        y = h;
        h = 0;
        p = t;
    } else if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
               isdigit((unsigned char)p[3]) && p[4] == '/') {
        /* Perforce: "Fri, 2006/09/15 08:19:53 EDT" */
        if (!(q = skip_num(p, &y, 4)) || *q != '/' || !(q = skip_num(q + 1, &mo, 2)) || *q != '/' ||
            !(q = skip_num(q + 1, &d, 2)))
            return -1;
        p = q;
    } else {
        if (!(q = skip_num(p, &d, 2))) return -1;
        p = q;
        while (*p == ' ' || *p == '-' || *p == '.') p++;
        mo = month_from_name(p);
        if (!mo) return -1;
        while (isalpha((unsigned char)*p)) p++;
        while (*p == ' ' || *p == '-' || *p == '.' || *p == ',') p++;
        const char *ys = p;
        if (!(q = skip_num(p, &y, 4))) return -1;
        if (q - ys == 2) y += y < 70 ? 2000 : 1900;
        p = q;
    }
    while (*p == ' ' || *p == ',') p++;
    long off = 0;
    if (isdigit((unsigned char)*p)) {
        if (!(q = skip_num(p, &h, 2))) return -1;
        p = q;
        if (*p != ':') return -1;
        if (!(q = skip_num(p + 1, &mi, 2))) return -1;
        p = q;
        if (*p == ':') {
            if (!(q = skip_num(p + 1, &s, 2))) return -1;
            p = q;
        }
        if (*p == '.') { p++; while (isdigit((unsigned char)*p)) p++; }
        if (parse_zone(p, &off) < 0) return -1;
    }
    return make_time(y, mo, d, h, mi, s, off);
}

int64_t date_parse(const char *s)
{
    if (!s) return -1;
    while (isspace((unsigned char)*s)) s++;
    if (!*s) return -1;
    size_t n = strlen(s);
    if (n > 128) return -1;
    if (n >= 4 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
        isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
        (s[4] == 0 || s[4] == '-' || isdigit((unsigned char)s[4]))) {
        int all_digits = 1;
        for (size_t i = 0; i < n; i++)
            if (!isdigit((unsigned char)s[i])) { all_digits = 0; break; }
        if (all_digits && n >= 9 && n <= 11) return strtoll(s, NULL, 10);   /* Unix seconds */
        int64_t t = parse_iso(s);
        if (t >= 0) return t;
    }
    return parse_rfc822(s);
}

void date_rfc3339(int64_t t, char *buf, size_t n)
{
    if (t < 0) { if (n) buf[0] = 0; return; }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
