// Live naming-convention feedback under a cohort name field: what is wrong with the
// name as typed, and the name it should have when that can be derived. Pure (the
// checker needs no database), so it runs on every keystroke.
#pragma once

#include "audit/namechecker.h"

#include <QLabel>

#include <optional>

namespace lockstep {

class NamingFeedback : public QLabel
{
    Q_OBJECT
public:
    explicit NamingFeedback(QWidget* parent = nullptr);

    void setConvention(const NamingConvention& convention);
    // Checks `name` and shows the result.
    void check(const QString& name);

    bool nameIsOk() const { return m_ok; }
    QString suggestion() const { return m_suggestion; }

Q_SIGNALS:
    void checked(bool ok, const QString& suggestion);

private:
    std::optional<NameChecker> m_checker;
    bool m_ok = false;
    QString m_suggestion;
};

} // namespace lockstep
