// Colours and focus in both themes (WCAG 2.1 AA): text and what tells a status on its
// background, the palette's pairs, and a visible change when a control takes the focus.
// Ratios are WCAG's: (L1 + 0.05) / (L2 + 0.05) over relative luminance.
#include "themes.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTest>
#include <QVBoxLayout>

#include <cmath>

using namespace lockstep;

namespace {

double channel(double c)
{
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c)
{
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString describe(const QColor& fg, const QColor& bg)
{
    return QStringLiteral("%1 on %2: %3:1")
        .arg(fg.name(), bg.name(), QString::number(contrast(fg, bg), 'f', 2));
}

} // namespace

class TestContrast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contrastMeetsAA_data()
    {
        QTest::addColumn<int>("theme");
        QTest::newRow("light") << int(Theme::Light);
        QTest::newRow("dark") << int(Theme::Dark);
    }

    void contrastMeetsAA()
    {
        QFETCH(int, theme);
        applyTheme(Theme(theme));
        const bool dark = Theme(theme) == Theme::Dark;
        QCOMPARE(paletteIsDark(), dark);
        const QPalette p = QApplication::palette();
        const QColor base = p.color(QPalette::Base), window = p.color(QPalette::Window);

        // Text on what it is written on: 4.5:1.
        const std::pair<QPalette::ColorRole, QPalette::ColorRole> text[] = {
            {QPalette::Text, QPalette::Base},
            {QPalette::Text, QPalette::AlternateBase},
            {QPalette::WindowText, QPalette::Window},
            {QPalette::ButtonText, QPalette::Button},
            {QPalette::HighlightedText, QPalette::Highlight},
            {QPalette::ToolTipText, QPalette::ToolTipBase},
            {QPalette::Link, QPalette::Base},
            {QPalette::PlaceholderText, QPalette::Base},
        };
        for (const auto& [fg, bg] : text) {
            const QColor f = p.color(fg), b = p.color(bg);
            QVERIFY2(contrast(f, b) >= 4.5, qPrintable(describe(f, b)));
        }
        // Disabled controls are exempt from WCAG's minimum; ours stay readable at 3:1.
        for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
            const QColor f = p.color(QPalette::Disabled, role);
            QVERIFY2(contrast(f, window) >= 3.0, qPrintable(describe(f, window)));
        }
        // Status dots and marks (non-text): 3:1 on every background of a view.
        for (StatusTone tone : {StatusTone::Neutral, StatusTone::Good, StatusTone::Busy,
                                StatusTone::Warning, StatusTone::Bad, StatusTone::Waiting})
            for (const QColor& bg : {base, window, p.color(QPalette::AlternateBase)}) {
                const QColor f = toneColor(tone, dark);
                QVERIFY2(contrast(f, bg) >= 3.0, qPrintable(describe(f, bg)));
            }
        // Error, warning and success texts: 4.5:1 on base and window.
        for (MessageKind kind : {MessageKind::Error, MessageKind::Warning, MessageKind::Success})
            for (const QColor& bg : {base, window}) {
                const QColor f = messageColor(kind, dark);
                QVERIFY2(contrast(f, bg) >= 4.5, qPrintable(describe(f, bg)));
            }
        QVERIFY(messageStyle(MessageKind::Error)
                    .contains(messageColor(MessageKind::Error, dark).name()));
        // The charts' lines (non-text): 3:1 on the chart's background.
        for (int i = 0; i < seriesColorCount(); ++i) {
            const QColor f = seriesColor(i, dark);
            QVERIFY2(contrast(f, base) >= 3.0, qPrintable(describe(f, base)));
        }
    }

    // Every kind of control the console uses looks different with the keyboard's focus,
    // and Tab reaches each of them in the order they are laid out.
    void focusIsVisible_data() { contrastMeetsAA_data(); }

    void focusIsVisible()
    {
        QFETCH(int, theme);
        applyTheme(Theme(theme));
        QWidget w;
        auto* layout = new QVBoxLayout(&w);
        auto* button = new QPushButton(QStringLiteral("Resync selected"), &w);
        auto* edit = new QLineEdit(QStringLiteral("CIO | Winback | 45-60d"), &w);
        auto* check = new QCheckBox(QStringLiteral("Paused"), &w);
        auto* combo = new QComboBox(&w);
        combo->addItems({QStringLiteral("cio_id"), QStringLiteral("email")});
        auto* table = new QTableWidget(3, 2, &w);
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 2; ++c)
                table->setItem(r, c,
                               new QTableWidgetItem(QStringLiteral("cell %1").arg(r * 2 + c)));
        table->setCurrentCell(0, 0);
        auto* other = new QPushButton(QStringLiteral("Cancel"), &w);
        const QList<QWidget*> controls{button, edit, check, combo, table};
        for (QWidget* c : controls)
            layout->addWidget(c);
        layout->addWidget(other);
        w.resize(480, 420);
        w.show();
        QApplication::setActiveWindow(&w);
        QVERIFY(QTest::qWaitForWindowActive(&w));

        // A keyboard user has pressed Tab: styles draw focus frames from then on (a mouse
        // click hides them again, as on every desktop).
        other->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(other->hasFocus());
        QTest::keyClick(other, Qt::Key_Tab);
        QVERIFY(w.testAttribute(Qt::WA_KeyboardFocusChange));
        for (QWidget* c : controls) {
            other->setFocus(Qt::TabFocusReason);
            QTRY_VERIFY(other->hasFocus());
            const QImage unfocused = c->grab().toImage();
            c->setFocus(Qt::TabFocusReason);
            QTRY_VERIFY(c->hasFocus());
            QTest::qWait(20);
            const QImage focused = c->grab().toImage();
            QVERIFY2(focused != unfocused,
                     qPrintable(QStringLiteral("%1 looks the same with the focus")
                                    .arg(QString::fromLatin1(c->metaObject()->className()))));
        }
        // Tab goes down the form.
        button->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(button->hasFocus());
        for (qsizetype i = 1; i < controls.size(); ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QTRY_COMPARE(QApplication::focusWidget(), controls[i]);
        }
    }
};

QTEST_MAIN(TestContrast)
#include "tst_contrast.moc"
