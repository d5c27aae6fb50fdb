# SPDX-License-Identifier: ISC
winnow_SOURCES += src/cli/main.c src/cli/cmd_feeds.c src/cli/cmd_items.c src/cli/cmd_demo.c
winnow_SOURCES += src/cli/cmd_play.c
winnow_SOURCES += src/cli/cmd_list.c src/cli/json.c
winnow_SOURCES += src/cli/cmd_thumb.c
winnow_SOURCES += src/cli/cmd_badge.c
winnow_SOURCES += src/cli/cmd_login.c
winnow_SOURCES += src/cli/docs.c src/cli/entry.c
winnow_SOURCES += src/cli/out.c
