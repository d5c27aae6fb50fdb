# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += include/ui.h src/ui/ui_int.h src/ui/ui.c src/ui/live.c src/ui/keymap.c \
	src/ui/theme.c src/ui/draw.c src/ui/prompt.c src/ui/spawn.c src/ui/hooks.c src/ui/view_items.c \
	src/ui/view_feeds.c src/ui/view_detail.c src/ui/play.c src/ui/picker.c src/ui/view_lists.c src/ui/thumbs.c src/ui/grid.c \
	src/ui/thumb_curses.c src/ui/thumb_curses.h src/ui/player_term.c
