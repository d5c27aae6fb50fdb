# SPDX-License-Identifier: ISC
libwinnow_a_SOURCES += src/store/store.c src/store/schema.c src/store/feeds.c src/store/items.c src/store/scans.c src/store/fts_tok.c src/store/turn.c src/store/checkpoint.c src/store/fts_index.c \
	src/store/store_int.h
libwinnow_a_SOURCES += src/store/lists.c src/store/lists_import.c src/store/lists_undo.c src/store/lists_rules.c src/store/lists_int.h
