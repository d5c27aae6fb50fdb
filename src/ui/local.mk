libwinnow_a_SOURCES += src/ui/ui.c
