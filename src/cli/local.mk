winnow_SOURCES += src/cli/main.c src/cli/cmd_feeds.c src/cli/cmd_items.c src/cli/cmd_demo.c
