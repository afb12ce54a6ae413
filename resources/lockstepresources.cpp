#include "lockstepresources.h"

#include <QCoreApplication>
#include <QFile>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QPixmap>
#include <QTranslator>

// Q_INIT_RESOURCE must be used outside any namespace; a static library's resources are
// not registered unless something references them, so this does.
static void initLockstepResources()
{
    Q_INIT_RESOURCE(lockstep);
}

namespace lockstep {

namespace {
// The icons are one mid-tone colour; on a highlighted row that colour nearly vanishes,
// so the selected variant is the same shape in the highlighted-text colour.
QPixmap tinted(const QString& path, const QColor& color)
{
    QPixmap pixmap(path);
    QPainter painter(&pixmap);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
    painter.fillRect(pixmap.rect(), color);
    return pixmap;
}

QIcon iconFromSizes(const QString& stem, std::initializer_list<int> sizes,
                    const QColor& selected = {})
{
    QIcon icon;
    for (int n : sizes) {
        const QString path = stem % QLatin1Char('-') % QString::number(n) % QStringLiteral(".png");
        if (!QFile::exists(path))
            continue;
        icon.addFile(path, QSize(n, n), QIcon::Normal);
        if (selected.isValid())
            icon.addPixmap(tinted(path, selected), QIcon::Selected);
    }
    return icon;
}
} // namespace

void initResources()
{
    static const bool done = [] {
        initLockstepResources();
        return true;
    }();
    Q_UNUSED(done);
}

QIcon appIcon()
{
    initResources();
    return iconFromSizes(QStringLiteral(":/lockstep/icons/app/lockstep"),
                         {16, 24, 32, 48, 64, 128, 256});
}

QIcon pageIcon(const QString& key)
{
    initResources();
    return iconFromSizes(QStringLiteral(":/lockstep/icons/pages/") + key, {24, 48, 96},
                         QGuiApplication::palette().color(QPalette::HighlightedText));
}

QIcon actionIcon(const QString& key)
{
    initResources();
    return iconFromSizes(QStringLiteral(":/lockstep/icons/actions/") + key, {24, 48, 96});
}

bool installTranslations()
{
    QCoreApplication* app = QCoreApplication::instance();
    if (!app)
        return false;
    const QString dir = QStringLiteral(":/lockstep/translations");
    const QString englishName = QStringLiteral("lockstepEnglishTranslator");
    if (app->findChild<QTranslator*>(englishName, Qt::FindDirectChildrenOnly))
        return true; // already installed
    auto* english = new QTranslator(app);
    english->setObjectName(englishName);
    if (!english->load(QStringLiteral("lockstep_en"), dir)) {
        delete english;
        return false;
    }
    QCoreApplication::installTranslator(english);
    // Installed last, so searched first: the user's language wins where it has a text.
    auto* local = new QTranslator(app);
    if (local->load(QLocale(), QStringLiteral("lockstep"), QStringLiteral("_"), dir) &&
        !local->language().startsWith(QLatin1String("en")))
        QCoreApplication::installTranslator(local);
    else
        delete local;
    return true;
}

} // namespace lockstep
