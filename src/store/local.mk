libwinnow_a_SOURCES += src/store/store.c
