// The status bar's progress bar paints only when there is something new to show: a value
// that changed, or its busy block's next step a few times a second (the style's animated
// stripes repainted it at the style's frame rate, each time through Qt's raster threads).
#include "plainprogressbar.h"

#include <QAccessible>
#include <QAccessibleValueInterface>
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QStyleFactory>
#include <QTest>

using namespace lockstep;

namespace {

class CountingBar : public PlainProgressBar
{
public:
    using PlainProgressBar::PlainProgressBar;
    int paints = 0;

protected:
    void paintEvent(QPaintEvent* event) override
    {
        ++paints;
        PlainProgressBar::paintEvent(event);
    }
};

// Lets the event loop run for `ms`, paints included.
void runFor(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QTest::qWait(10);
}

} // namespace

class TestPlainProgressBar : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion"))); }
    void steadyValueDoesNotRepaint();
    void busyBlockMovesAFewTimesASecond();
    void drawsItsValue();
    void staysAnAccessibleProgressBar();
};

void TestPlainProgressBar::steadyValueDoesNotRepaint()
{
    CountingBar bar;
    bar.resize(160, 20);
    bar.setRange(0, 1000);
    bar.setValue(400);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    runFor(50);
    const int before = bar.paints;
    runFor(600);
    QCOMPARE(bar.paints, before);
    bar.setValue(401);
    QTRY_VERIFY(bar.paints > before);
}

void TestPlainProgressBar::busyBlockMovesAFewTimesASecond()
{
    CountingBar bar;
    bar.resize(160, 20);
    bar.setRange(0, 0);
    bar.show();
    QVERIFY(QTest::qWaitForWindowExposed(&bar));
    const int step = bar.busyStep();
    const int before = bar.paints;
    runFor(1000);
    QVERIFY2(bar.busyStep() != step, "the busy block moved");
    // Ten steps a second, with room for a slow machine: far from a frame each 16 ms.
    QVERIFY2(bar.paints - before >= 3 && bar.paints - before <= 15,
             qPrintable(QString::number(bar.paints - before)));
    // Once it is told how far it got, it stops moving.
    bar.setRange(0, 100);
    bar.setValue(10);
    runFor(50);
    const int settled = bar.paints;
    runFor(400);
    QCOMPARE(bar.paints, settled);
    // Hidden, busy again: no timer runs for nobody.
    bar.setRange(0, 0);
    bar.hide();
    const int hiddenStep = bar.busyStep();
    runFor(300);
    QCOMPARE(bar.busyStep(), hiddenStep);
}

void TestPlainProgressBar::drawsItsValue()
{
    PlainProgressBar bar;
    bar.resize(200, 20);
    bar.setRange(0, 100);
    const QColor highlight = bar.palette().color(QPalette::Active, QPalette::Highlight);
    auto highlighted = [&](int value) {
        bar.setValue(value);
        const QImage image = bar.grab().toImage();
        int count = 0;
        for (int x = 0; x < image.width(); ++x)
            count += image.pixelColor(x, 3) == highlight; // above the text
        return count;
    };
    QCOMPARE(highlighted(0), 0);
    const int quarter = highlighted(25);
    const int threeQuarters = highlighted(75);
    QVERIFY2(quarter > 40 && quarter < 55, qPrintable(QString::number(quarter)));
    QVERIFY2(threeQuarters > 140 && threeQuarters < 155,
             qPrintable(QString::number(threeQuarters)));
}

void TestPlainProgressBar::staysAnAccessibleProgressBar()
{
    PlainProgressBar bar;
    bar.setAccessibleName(QStringLiteral("Sync progress"));
    bar.setRange(0, 1000);
    bar.setValue(250);
    bar.show();
    QAccessibleInterface* a = QAccessible::queryAccessibleInterface(&bar);
    QVERIFY(a);
    QCOMPARE(a->role(), QAccessible::ProgressBar);
    QCOMPARE(a->text(QAccessible::Name), QStringLiteral("Sync progress"));
    QVERIFY(a->valueInterface());
    QCOMPARE(a->valueInterface()->currentValue().toInt(), 250);
}

QTEST_MAIN(TestPlainProgressBar)
#include "tst_plainprogressbar.moc"
