# SPDX-License-Identifier: ISC
# media tests
# player: the terminal handoff program that tests/e2e/play_tct.sh drives in tmux
check_PROGRAMS += tests/player_term_prog
tests_player_term_prog_SOURCES = tests/player_term_prog.c
tests_player_term_prog_LDADD = libwinnow.a $(DEPS_LIBS)
check_PROGRAMS += tests/unit/test_player_opts
TESTS += tests/unit/test_player_opts
tests_unit_test_player_opts_SOURCES = tests/unit/test_player_opts.c
tests_unit_test_player_opts_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_player_opts_LDADD = $(UNIT_LIBS)
# thumbnails: decoders, renderer, ncurses drawing, the pipeline (loopback server)
EXTRA_DIST += tests/unit/test_media_enc.h
check_PROGRAMS += tests/unit/test_media_image
TESTS += tests/unit/test_media_image
tests_unit_test_media_image_SOURCES = tests/unit/test_media_image.c
tests_unit_test_media_image_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_media_image_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_media_thumb
TESTS += tests/unit/test_media_thumb
tests_unit_test_media_thumb_SOURCES = tests/unit/test_media_thumb.c
tests_unit_test_media_thumb_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_media_thumb_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_media_curses
TESTS += tests/unit/test_media_curses
tests_unit_test_media_curses_SOURCES = tests/unit/test_media_curses.c
tests_unit_test_media_curses_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_media_curses_LDADD = $(UNIT_LIBS)
check_PROGRAMS += tests/unit/test_media_thumbq
TESTS += tests/unit/test_media_thumbq
tests_unit_test_media_thumbq_SOURCES = tests/unit/test_media_thumbq.c
tests_unit_test_media_thumbq_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_media_thumbq_LDADD = $(UNIT_LIBS)
