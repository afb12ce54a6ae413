#include "namingfeedback.h"

namespace lockstep {

NamingFeedback::NamingFeedback(QWidget* parent) : QLabel(parent)
{
    setWordWrap(true);
    setTextFormat(Qt::RichText);
    setConvention(NamingConvention{});
}

void NamingFeedback::setConvention(const NamingConvention& convention)
{
    auto checker = NameChecker::create(convention);
    if (checker)
        m_checker = std::move(*checker);
    else
        m_checker = NameChecker::create(NamingConvention{}).value();
}

void NamingFeedback::check(const QString& name)
{
    m_suggestion.clear();
    if (name.trimmed().isEmpty()) {
        m_ok = false;
        setText(tr("Name the cohort like <code>%1</code>.")
                    .arg(m_checker->convention().pattern.toHtmlEscaped()));
        Q_EMIT checked(false, {});
        return;
    }
    const NameCheck c = m_checker->check(name);
    m_ok = c.ok();
    if (m_ok) {
        setText(tr("✔ Follows the naming convention."));
    } else {
        QStringList lines;
        for (const NameProblem& p : c.problems)
            lines << QStringLiteral("• ") + p.message.toHtmlEscaped();
        m_suggestion = c.suggestion;
        if (!m_suggestion.isEmpty())
            lines << tr("Suggested: <b>%1</b>").arg(m_suggestion.toHtmlEscaped());
        setText(lines.join(QStringLiteral("<br>")));
    }
    Q_EMIT checked(m_ok, m_suggestion);
}

} // namespace lockstep
