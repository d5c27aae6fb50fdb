/* SPDX-License-Identifier: ISC */
/* Date parsing: the formats real feeds send, and the broken ones. */
#include "testutil.h"

#include "date.h"

struct dcase { const char *in; int64_t want; };

static void test_dates(void **state)
{
    (void)state;
    static const struct dcase cases[] = {
        {"Thu, 31 Jan 2019 16:58:12 +0000", 1548953892},
        {"Wed, 31 Jan 2018 07:26:05 GMT", 1517383565},
        {"Sat, 25 Apr 2020 10:00:00 +0300", 1587798000},
        {"2017-06-27T00:54:17Z", 1498524857},
        {"2023-12-10T18:11:41-05:00", 1702249901},
        {"2025-01-01T16:07:24+00:00", 1735747644},
        {"2024-08-26T20:32:01.123-04:00", 1724718721},
        {"2024-08-26 20:32:01", 1724704321},
        {"2024-08-26", 1724630400},
        {"31 Jan 2019 16:58:12 +0000", 1548953892},      /* no weekday */
        {"Thu, 31 Jan 19 16:58:12 +0000", 1548953892},   /* two-digit year */
        {"Thu, 31 Jan 2019 16:58 +0000", 1548953880},    /* no seconds */
        {"Thu, 31 January 2019 16:58:12 +0000", 1548953892},
        {"Thu, 31 Jan 2019 11:58:12 EST", 1548953892},
        {"Thu,31 Jan 2019 16:58:12 +00:00", 1548953892},
        {"Thu, 31 Jan 2019", 1548892800},
        {"Thu Jan 31 16:58:12 2019", 1548953892},         /* asctime */
        {"  2019-01-31T16:58:12Z  ", 1548953892},
        {"1548953892", 1548953892},                       /* Unix seconds */
        /* what older feeds send (issue 15) */
        {"2003", 1041379200},                              /* W3C-DTF, year only */
        {"2003-12", 1070236800},                           /* year and month */
        {"2003-335", 1070236800},                          /* ISO 8601 ordinal date */
        {"20031231T101455Z", 1072865695},                  /* basic format */
        {"Sun Jan  4 16:29:06 PST 2004", 1073262546},      /* date(1): zone before the year */
        {"Fri, 2006/09/15 08:19:53 EDT", 1158322793},      /* Perforce */
        {"Thu, 01 Jan 2004 19:48:21 EET", 1072979301},
        {"Thu, 01 Jan 2004 19:48:21 NZDT", 1072939701},
        {"2004-07-08 23:56:58.0", 1089331018},             /* MSSQL */
        {"", -1},
        {"yesterday", -1},
        {"2003-367", -1},
        {"Thu, 45 Foo 2019", -1},
        {"2019-13-45T00:00:00Z", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t got = date_parse(cases[i].in);
        if (got != cases[i].want)
            fail_msg("date_parse(\"%s\") = %lld, want %lld", cases[i].in, (long long)got,
                     (long long)cases[i].want);
    }
}

static void test_format(void **state)
{
    (void)state;
    char buf[32];
    date_rfc3339(1548953892, buf, sizeof buf);
    assert_string_equal(buf, "2019-01-31T16:58:12Z");
    date_rfc3339(-1, buf, sizeof buf);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
