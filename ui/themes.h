// Light and dark palettes for the console, or the platform's own (the default). The
// choice is kept in QSettings ("view/theme": "system", "light", "dark").
#pragma once

#include "modelroles.h"

#include <QColor>
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

// The colours the console draws itself pick a shade per palette: each keeps at least 3:1
// against the background it is drawn on (WCAG 2.1 non-text contrast), text 4.5:1.
// Lines of the charts, one per mapping, told apart by hue.
QColor seriesColor(int index, bool dark);
int seriesColorCount();
// A status dot or mark (non-text: 3:1 against the view's base and window).
QColor toneColor(StatusTone tone, bool dark);

enum class MessageKind
{
    Error,
    Warning,
    Success
};
// Text that tells of a failure, a caution or a success (4.5:1 on base and window).
QColor messageColor(MessageKind kind, bool dark);
// The same as a style sheet for the palette in use: "color: #rrggbb".
QString messageStyle(MessageKind kind);

} // namespace lockstep
