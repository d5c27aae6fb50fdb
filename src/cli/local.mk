winnow_SOURCES += src/cli/main.c
