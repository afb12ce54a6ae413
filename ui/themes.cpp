#include "themes.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <iterator>

namespace lockstep {

namespace {
struct Original
{
    QPalette palette;
    QString style;
    bool saved = false;
};
Original& original()
{
    static Original o;
    return o;
}
Theme& current()
{
    static Theme t = Theme::System;
    return t;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x21, 0x24), text(0xe6, 0xe6, 0xe6);
    // White on the highlight and the disabled grey on the window keep 4.5:1.
    const QColor highlight(0x2f, 0x6c, 0xbf), disabled(0x9a, 0x9a, 0x9a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xf0));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x45, 0x47, 0x4c));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4c));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}
} // namespace

QString themeName(Theme t)
{
    switch (t) {
    case Theme::Light:
        return QStringLiteral("light");
    case Theme::Dark:
        return QStringLiteral("dark");
    case Theme::System:
        break;
    }
    return QStringLiteral("system");
}

Theme parseTheme(const QString& name)
{
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void applyTheme(Theme t)
{
    Original& o = original();
    if (!o.saved) {
        o.palette = QApplication::palette();
        o.style = QApplication::style()->name();
        o.saved = true;
    }
    current() = t;
    switch (t) {
    case Theme::System:
        QApplication::setStyle(QStyleFactory::create(o.style));
        QApplication::setPalette(o.palette);
        break;
    case Theme::Light:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        {
            QPalette light = QApplication::style()->standardPalette();
            // Fusion's own blue leaves selected text at 3.6:1; this one keeps 4.5:1.
            light.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xb0));
            light.setColor(QPalette::HighlightedText, Qt::white);
            // Fusion greys disabled text to 1.6:1; WCAG exempts it, but it should still read.
            for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
                light.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
            QApplication::setPalette(light);
            break;
        }
    case Theme::Dark:
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        break;
    }
}

Theme currentTheme()
{
    return current();
}

bool paletteIsDark()
{
    const QPalette p = QApplication::palette();
    return p.color(QPalette::Window).lightness() < p.color(QPalette::WindowText).lightness();
}

namespace {
// The same eight hues, darker on light backgrounds and lighter on dark ones.
const QRgb kSeriesLight[] = {0x2a6fb0, 0xb35900, 0x2a7d4f, 0x8e44ad,
                             0xc0392b, 0x117a7a, 0x7a6a2f, 0x5b5bc8};
const QRgb kSeriesDark[] = {0x5b9bd8, 0xe08a2e, 0x4cb87c, 0xb07cd0,
                            0xe06666, 0x2bb5b5, 0xb59f55, 0x8a8ae6};
} // namespace

int seriesColorCount()
{
    return int(std::size(kSeriesLight));
}

QColor seriesColor(int index, bool dark)
{
    const int i = ((index % seriesColorCount()) + seriesColorCount()) % seriesColorCount();
    return QColor(dark ? kSeriesDark[i] : kSeriesLight[i]);
}

QColor toneColor(StatusTone tone, bool dark)
{
    switch (tone) {
    case StatusTone::Good:
        return dark ? QColor(0x4c, 0xb8, 0x7c) : QColor(0x2e, 0x7d, 0x32);
    case StatusTone::Busy:
        return dark ? QColor(0x5b, 0x9b, 0xd8) : QColor(0x2a, 0x6f, 0xb0);
    case StatusTone::Warning:
        return dark ? QColor(0xe0, 0xa0, 0x30) : QColor(0xb3, 0x59, 0x00);
    case StatusTone::Bad:
        return dark ? QColor(0xe0, 0x66, 0x66) : QColor(0xc6, 0x28, 0x28);
    case StatusTone::Waiting:
        return dark ? QColor(0xa5, 0x8e, 0xe6) : QColor(0x6f, 0x52, 0xc4);
    case StatusTone::Neutral:
        break;
    }
    return dark ? QColor(0x9a, 0xa0, 0xa6) : QColor(0x75, 0x75, 0x75);
}

QColor messageColor(MessageKind kind, bool dark)
{
    switch (kind) {
    case MessageKind::Error:
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb7, 0x1c, 0x1c);
    case MessageKind::Warning:
        return dark ? QColor(0xf0, 0xb4, 0x5a) : QColor(0x8a, 0x4b, 0x00);
    case MessageKind::Success:
        break;
    }
    return dark ? QColor(0x7b, 0xd8, 0x8f) : QColor(0x1b, 0x5e, 0x20);
}

QString messageStyle(MessageKind kind)
{
    return QStringLiteral("color: %1;").arg(messageColor(kind, paletteIsDark()).name());
}

} // namespace lockstep
