# themes: dist_theme_DATA += themes/NAME.theme
dist_theme_DATA += themes/default.theme themes/light.theme themes/solarized-dark.theme \
	themes/high-contrast.theme themes/mono.theme
