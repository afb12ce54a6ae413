// Identity rules: which key each member gets, and why a member cannot be sent.
#include "identity/identityresolver.h"

#include <QTest>

using namespace lockstep;

Q_DECLARE_METATYPE(std::optional<QString>)

class TestIdentity : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keyFor_data();
    void keyFor();
    void sharedKeysAreWarnings();
    void countsAndMatchRate();
    void sharedKeysKeepEveryCioIdSpelling_data();
    void sharedKeysKeepEveryCioIdSpelling();
    void reasonNamesRoundTrip();
};

namespace {
std::optional<QString> none()
{
    return std::nullopt;
}
std::optional<QString> s(const char* v)
{
    return QString::fromUtf8(v);
}
} // namespace

void TestIdentity::keyFor_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<std::optional<QString>>("id");
    QTest::addColumn<std::optional<QString>>("email");
    QTest::addColumn<QString>("cioId");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("problem"); // reason name, or empty

    const int E = int(IdentityKey::Email), I = int(IdentityKey::Id), C = int(IdentityKey::CioId);
    QTest::newRow("email plain") << E << s("1") << s("ann@shop.io") << "c1"
                                 << "ann@shop.io"
                                 << "";
    QTest::newRow("email case+spaces") << E << s("1") << s("  Ann@Shop.IO ") << "c1"
                                       << "ann@shop.io"
                                       << "";
    QTest::newRow("email null") << E << s("1") << none() << "c1"
                                << ""
                                << "missing_key";
    QTest::newRow("email empty") << E << s("1") << s("") << "c1"
                                 << ""
                                 << "missing_key";
    QTest::newRow("email blank") << E << s("1") << s("   ") << "c1"
                                 << ""
                                 << "missing_key";
    QTest::newRow("email no at") << E << s("1") << s("ann.shop.io") << "c1"
                                 << "ann.shop.io"
                                 << "invalid_email";
    QTest::newRow("email no tld") << E << s("1") << s("ann@shop") << "c1"
                                  << "ann@shop"
                                  << "invalid_email";
    QTest::newRow("email inner space") << E << s("1") << s("an n@shop.io") << "c1"
                                       << "an n@shop.io"
                                       << "invalid_email";
    QTest::newRow("email two at") << E << s("1") << s("a@b@shop.io") << "c1"
                                  << "a@b@shop.io"
                                  << "invalid_email";
    QTest::newRow("email unicode") << E << s("1") << s("zoë@bücher.de") << "c1"
                                   << "zoë@bücher.de"
                                   << "";
    QTest::newRow("id plain") << I << s("u-42") << s("a@b.io") << "c1"
                              << "u-42"
                              << "";
    QTest::newRow("id keeps case") << I << s("U-42") << none() << "c1"
                                   << "U-42"
                                   << "";
    QTest::newRow("id trimmed") << I << s(" u-42\t") << none() << "c1"
                                << "u-42"
                                << "";
    QTest::newRow("id empty") << I << s("") << s("a@b.io") << "c1"
                              << ""
                              << "missing_key";
    QTest::newRow("id null") << I << none() << s("a@b.io") << "c1"
                             << ""
                             << "missing_key";
    QTest::newRow("id placeholder null") << I << s("null") << none() << "c1"
                                         << "null"
                                         << "placeholder_id";
    QTest::newRow("id placeholder NULL") << I << s("NULL") << none() << "c1"
                                         << "NULL"
                                         << "placeholder_id";
    QTest::newRow("id placeholder 0") << I << s("0") << none() << "c1"
                                      << "0"
                                      << "placeholder_id";
    QTest::newRow("id placeholder -1") << I << s("-1") << none() << "c1"
                                       << "-1"
                                       << "placeholder_id";
    QTest::newRow("id placeholder anon") << I << s("anon") << none() << "c1"
                                         << "anon"
                                         << "placeholder_id";
    QTest::newRow("id placeholder undefined") << I << s("undefined") << none() << "c1"
                                              << "undefined"
                                              << "placeholder_id";
    QTest::newRow("id zero uuid") << I << s("00000000-0000-0000-0000-000000000000") << none()
                                  << "c1"
                                  << "00000000-0000-0000-0000-000000000000"
                                  << "placeholder_id";
    QTest::newRow("id 10 is fine") << I << s("10") << none() << "c1"
                                   << "10"
                                   << "";
    QTest::newRow("id control char") << I << s("a\nb") << none() << "c1"
                                     << "a\nb"
                                     << "invalid_key";
    QTest::newRow("id too long") << I << std::optional<QString>(QString(300, QLatin1Char('x')))
                                 << none() << "c1" << QString(300, QLatin1Char('x'))
                                 << "invalid_key";
    QTest::newRow("cio_id") << C << none() << none() << "a1b2c3"
                            << "a1b2c3"
                            << "";
    QTest::newRow("cio_id empty") << C << s("1") << none() << ""
                                  << ""
                                  << "missing_key";
}

void TestIdentity::keyFor()
{
    QFETCH(int, key);
    QFETCH(std::optional<QString>, id);
    QFETCH(std::optional<QString>, email);
    QFETCH(QString, cioId);
    QFETCH(QString, expected);
    QFETCH(QString, problem);
    const auto k = IdentityResolver::keyFor(IdentityKey(key), MemberIdentifiers{id, email, cioId});
    QCOMPARE(k.value, expected);
    QCOMPARE(k.problem ? mismatchReasonName(*k.problem) : QString(), problem);
}

void TestIdentity::sharedKeysAreWarnings()
{
    IdentityResolver r(IdentityKey::Email);
    r.add({s("1"), s("ann@shop.io"), QStringLiteral("c1")});
    r.add({s("2"), s("ann@shop.io"), QStringLiteral("c2")}); // duplicate
    r.add({s("3"), s("Bob@Shop.io"), QStringLiteral("c3")});
    r.add({s("4"), s("bob@shop.io "), QStringLiteral("c4")}); // collision by normalisation
    r.add({s("5"), s("cat@shop.io"), QStringLiteral("c5")});
    const MemberSet members = r.takeMembers();
    QCOMPARE(members.size(), size_t(3));
    QVERIFY(members.contains("ann@shop.io"));
    QVERIFY(members.contains("bob@shop.io"));
    QCOMPARE(r.count(MismatchReason::DuplicateKey), 2);
    QCOMPARE(r.count(MismatchReason::NormalisationCollision), 2);
    QCOMPARE(r.unmatched(), 0); // shared keys are still sent
    QCOMPARE(r.matchRate(), 1.0);
    QSet<QString> cioIds;
    for (const IdentityMismatch& m : r.mismatches()) {
        cioIds.insert(m.cioId);
        QVERIFY(m.email.has_value());
        if (m.reason == MismatchReason::NormalisationCollision)
            QCOMPARE(m.distinctId, QStringLiteral("bob@shop.io"));
    }
    QCOMPARE(cioIds, (QSet<QString>{QStringLiteral("c1"), QStringLiteral("c2"),
                                    QStringLiteral("c3"), QStringLiteral("c4")}));
}

void TestIdentity::sharedKeysKeepEveryCioIdSpelling_data()
{
    QTest::addColumn<int>("key");
    QTest::addColumn<QString>("raw"); // the member's key before normalisation
    QTest::newRow("email, as sent") << int(IdentityKey::Email) << QStringLiteral("ann@shop.io");
    QTest::newRow("email, normalised") << int(IdentityKey::Email) << QStringLiteral(" Ann@Shop.io");
    QTest::newRow("id") << int(IdentityKey::Id) << QStringLiteral("u-17");
    QTest::newRow("id, non-ASCII") << int(IdentityKey::Id) << QStringLiteral("ü-17");
}

// Members keep their cio_id beside their key only for these reports, packed when it is
// lower-case hex: every cio_id comes back exactly as Customer.io sent it, packed or not
// (long, short, odd length, upper case, not hex, empty, starting with a control
// character), with the raw spelling of the key; so does identifiersOf().
void TestIdentity::sharedKeysKeepEveryCioIdSpelling()
{
    QFETCH(int, key);
    QFETCH(QString, raw);
    const auto k = IdentityKey(key);
    const QStringList cioIds = {
        QStringLiteral("0123456789abcdef"),
        QStringLiteral("03000001"),
        QStringLiteral("ab"),
        QStringLiteral("abc"),
        QStringLiteral("0123456789ABCDEF"),
        QStringLiteral("cio_42"),
        QString(),
        QStringLiteral("\x05ab"),
        QStringLiteral("\x1d\x1dz"),
        QStringLiteral("é1"),
        QString(56, QLatin1Char('f')),
        QString(58, QLatin1Char('e')),
        QStringLiteral("00"),
    };
    IdentityResolver r(k);
    for (const QString& cio : cioIds) {
        MemberIdentifiers m;
        m.cioId = cio;
        if (k == IdentityKey::Email)
            m.email = raw;
        else
            m.id = raw;
        r.add(m);
    }
    const MemberSet members = r.takeMembers();
    QCOMPARE(members.size(), size_t(1));
    const QString expectedKey = k == IdentityKey::Email ? QStringLiteral("ann@shop.io") : raw;
    QStringList reported;
    for (const IdentityMismatch& m : r.mismatches()) {
        QCOMPARE(m.reason, MismatchReason::DuplicateKey);
        QCOMPARE(m.distinctId, expectedKey);
        QCOMPARE(k == IdentityKey::Email ? m.email : m.personId, std::optional<QString>(raw));
        reported.append(m.cioId);
    }
    QCOMPARE(reported, cioIds); // the order the members came in
    const MemberIdentifiers back =
        IdentityResolver::identifiersOf(k, members.key(0), members.extra(0));
    QCOMPARE(back.cioId, cioIds.first()); // the first spelling is the one kept
    QCOMPARE(k == IdentityKey::Email ? back.email : back.id, std::optional<QString>(raw));
}

void TestIdentity::countsAndMatchRate()
{
    IdentityResolver r(IdentityKey::Id);
    for (int i = 0; i < 90; ++i)
        r.add({QString::number(i + 1), none(), QStringLiteral("c%1").arg(i)});
    for (int i = 0; i < 6; ++i)
        r.add({none(), none(), QStringLiteral("n%1").arg(i)});
    for (int i = 0; i < 4; ++i)
        r.add({s("null"), none(), QStringLiteral("p%1").arg(i)});
    const MemberSet m = r.takeMembers();
    QCOMPARE(m.size(), size_t(90));
    QCOMPARE(r.total(), 100);
    QCOMPARE(r.unmatched(), 10);
    QCOMPARE(r.count(MismatchReason::MissingKey), 6);
    QCOMPARE(r.count(MismatchReason::PlaceholderId), 4);
    QCOMPARE(r.matchRate(), 0.9);
    QCOMPARE(r.mismatches().size(), 10);
}

void TestIdentity::reasonNamesRoundTrip()
{
    for (int i = 0; i < kMismatchReasonCount; ++i) {
        const auto r = MismatchReason(i);
        QCOMPARE(parseMismatchReason(mismatchReasonName(r)), std::optional<MismatchReason>(r));
    }
    QVERIFY(!parseMismatchReason(QStringLiteral("nope")));
}

QTEST_GUILESS_MAIN(TestIdentity)
#include "tst_identity.moc"
