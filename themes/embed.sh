#!/bin/sh
# SPDX-License-Identifier: ISC
# Writes a C file holding every bundled theme, so that `theme = light` works wherever winnow
# runs, installed or not: usage: embed.sh THEME_FILE... > themes_builtin.c
echo '/* SPDX-License-Identifier: ISC */'
echo '/* Generated from the themes/ folder by themes/embed.sh: the bundled themes, built in. */'
echo '#include <stddef.h>'
echo 'struct theme_text { const char *name, *text; };'
echo 'const struct theme_text theme_texts[] = {'
for f in "$@"; do
  name=$(basename "$f" .theme)
  printf '    {"%s",\n' "$name"
  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/     "/' -e 's/$/\\n"/' "$f"
  printf '    },\n'
done
echo '    {NULL, NULL},'
echo '};'
