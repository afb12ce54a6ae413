#include "messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

namespace lockstep {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent), m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    m_text->setObjectName(QStringLiteral("messageBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // A soft red tint that works on light and dark palettes: blend into the window colour.
    QPalette pal = palette();
    const QColor base = pal.color(QPalette::Window);
    const QColor red(0xd6, 0x3b, 0x3b);
    pal.setColor(QPalette::Window, QColor::fromRgbF(base.redF() * 0.85 + red.redF() * 0.15,
                                                    base.greenF() * 0.85 + red.greenF() * 0.15,
                                                    base.blueF() * 0.85 + red.blueF() * 0.15));
    setPalette(pal);
    setAutoFillBackground(true);
    setFrameShape(QFrame::StyledPanel);

    auto* icon = new QLabel(this);
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(size, size));

    auto* close = new QToolButton(this);
    close->setObjectName(QStringLiteral("messageBannerClose"));
    close->setAutoRaise(true);
    close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 4, 6);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(close, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showError(const QString& text)
{
    m_text->setText(text);
    show();
}

QString MessageBanner::text() const
{
    return m_text->text();
}

} // namespace lockstep
