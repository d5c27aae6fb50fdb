# SPDX-License-Identifier: ISC
# ui tests: the keymap and `bind` lines, themes and colour mapping, the sequences and argv made
# from URLs.  The screens themselves are tested in tmux (tests/e2e).
check_PROGRAMS += tests/unit/test_ui_keymap tests/unit/test_ui_theme tests/unit/test_ui_escape
TESTS += tests/unit/test_ui_keymap tests/unit/test_ui_theme tests/unit/test_ui_escape
tests_unit_test_ui_keymap_SOURCES = tests/unit/test_ui_keymap.c
tests_unit_test_ui_keymap_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_keymap_LDADD = $(UNIT_LIBS)
tests_unit_test_ui_theme_SOURCES = tests/unit/test_ui_theme.c
tests_unit_test_ui_theme_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_theme_LDADD = $(UNIT_LIBS)
tests_unit_test_ui_escape_SOURCES = tests/unit/test_ui_escape.c
tests_unit_test_ui_escape_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_escape_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_ui_draw
TESTS += tests/unit/test_ui_draw
tests_unit_test_ui_draw_SOURCES = tests/unit/test_ui_draw.c
tests_unit_test_ui_draw_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_ui_draw_LDADD = $(UNIT_LIBS)
