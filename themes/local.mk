# themes: dist_theme_DATA += themes/NAME.theme
