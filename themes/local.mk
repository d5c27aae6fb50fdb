# SPDX-License-Identifier: ISC
# themes: dist_theme_DATA += themes/NAME.theme
dist_theme_DATA += themes/default.theme themes/light.theme themes/solarized-dark.theme \
	themes/high-contrast.theme themes/mono.theme
# the same themes built into the binary (src/ui/theme.c looks there after the user's own)
EXTRA_DIST += themes/embed.sh
BUILT_SOURCES = src/ui/themes_builtin.c
nodist_libwinnow_a_SOURCES = src/ui/themes_builtin.c
CLEANFILES += src/ui/themes_builtin.c
src/ui/themes_builtin.c: $(dist_theme_DATA) $(srcdir)/themes/embed.sh
	$(MKDIR_P) src/ui
	$(SHELL) $(srcdir)/themes/embed.sh $(dist_theme_DATA:%=$(srcdir)/%) > $@.tmp && mv $@.tmp $@
