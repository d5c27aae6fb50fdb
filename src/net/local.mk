libwinnow_a_SOURCES += src/net/fetch.c
