// Does a value in a mappings file look like a secret? Files are reviewed and committed
// to Git, so a key, token or password pasted into one must be refused before it is read.
#pragma once

#include <QString>
#include <QStringList>

namespace lockstep {

// Why `value` looks like a secret, or empty. `known` are the secrets this process holds
// (from the environment): any of them inside the value is refused whatever its shape.
// The shapes: credentials in a URL (user:password@, a user name but in an smtp(s) or
// mailto address, or a token/key/secret/password
// query parameter), "Bearer …"/"Basic …", a PEM block, and a long run of letters and
// digits that alternate like generated keys do (API keys, tokens: 24+ characters).
QString secretReason(const QString& value, const QStringList& known = {});

} // namespace lockstep
