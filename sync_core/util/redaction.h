// Keeps secrets out of log output: a Qt message handler that rewrites every message
// before the previous handler prints it. Registered secrets (and their base64 and
// percent-encoded spellings), Authorization header values and Basic/Bearer tokens
// become "[redacted]". Thread-safe: messages come from the engine and parser threads.
#pragma once

#include <QStringList>

namespace lockstep {

// Installs the redacting handler once (later calls only add secrets), chaining to the
// handler that was installed before it. Call it first thing in main().
void installRedactingMessageHandler(const QStringList& secrets = {});
// Adds secrets to redact from now on (empty ones are ignored). Call it whenever
// credentials are set, e.g. from the keychain.
void registerSecrets(const QStringList& secrets);
// Forgets every registered secret (tests).
void clearRegisteredSecrets();
// The text with every secret, Authorization value and Basic/Bearer token replaced.
QString redactSecrets(const QString& text);

} // namespace lockstep
