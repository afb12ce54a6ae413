// Light and dark palettes for the console, or the platform's own (the default). The
// choice is kept in QSettings ("view/theme": "system", "light", "dark").
#pragma once

#include <QString>

namespace lockstep {

enum class Theme
{
    System,
    Light,
    Dark
};

QString themeName(Theme t);
Theme parseTheme(const QString& name);

// Applies the theme to the whole application (palette; Fusion for light and dark so
// the palette is honoured everywhere).
void applyTheme(Theme t);
Theme currentTheme();
// True when the palette in use is dark (charts pick their theme from it).
bool paletteIsDark();

} // namespace lockstep
