# SPDX-License-Identifier: ISC
# Unit tests (cmocka): every program here is a test; exit 77 = skipped (fixtures absent).
UNIT_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/tests/unit
# the tests link libavif itself: they encode AVIF pictures to decode
UNIT_LIBS = libwinnow.a $(DEPS_LIBS) $(AVIF_LIBS) $(CMOCKA_LIBS)
EXTRA_DIST += tests/unit/testutil.h tests/unit/testserver.h

include $(srcdir)/tests/unit/core.mk
include $(srcdir)/tests/unit/feeds.mk
include $(srcdir)/tests/unit/fetch.mk
include $(srcdir)/tests/unit/store.mk
include $(srcdir)/tests/unit/sources.mk
include $(srcdir)/tests/unit/media.mk
include $(srcdir)/tests/unit/provenance.mk
include $(srcdir)/tests/unit/ui.mk
include $(srcdir)/tests/unit/lists.mk
include $(srcdir)/tests/unit/app.mk
include $(srcdir)/tests/integration/local.mk
include $(srcdir)/tests/e2e/local.mk
include $(srcdir)/tests/fuzz/fuzz.mk
