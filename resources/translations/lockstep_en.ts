<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="en">
<context>
    <name>lockstep::AccessibleNames</name>
    <message>
        <source>Pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mappings to chart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort size trend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Churn per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap between cohorts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity mismatches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatches by reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatches by reason, as bars</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch errors of the selected run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held exits</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::AlertsModel</name>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size collapse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week-over-week swing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High churn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment still building</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low match rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment definition changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watched pair overlaps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown to Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow to reach Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mass exit held</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::AuditFindingsModel</name>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prefix case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong number of parts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Intent case</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spacing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Does not match the convention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Near-duplicate name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment mapped twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One name, two segments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version gap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code in exports: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::AuditPage</name>
    <message>
        <source>CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search cohort, segment, finding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spreadsheet-safe CSV (formula cells are neutralised)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every name follows the convention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort names are checked against &lt;code&gt;CIO | &amp;lt;Intent&amp;gt; | &amp;lt;Window&amp;gt;&lt;/code&gt; (optional &lt;code&gt;| v&amp;lt;N&amp;gt;&lt;/code&gt;), with owners and decisions.&lt;br&gt;Add mappings on the Mappings page; findings and suggested names appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No mappings audited yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2, %3, %4. Showing %5.</source>
        <extracomment>%1 is &quot;N mappings checked against &lt;pattern&gt;&quot;; %2, %3, %4 count errors, warnings, notes</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n mapping(s) checked against &lt;code&gt;%1&lt;/code&gt;</source>
        <translation>
            <numerusform>%n mapping checked against &lt;code&gt;%1&lt;/code&gt;</numerusform>
            <numerusform>%n mappings checked against &lt;code&gt;%1&lt;/code&gt;</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n error</numerusform>
            <numerusform>%n errors</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n warning</numerusform>
            <numerusform>%n warnings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n note</numerusform>
            <numerusform>%n notes</numerusform>
        </translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown files (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export naming audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not export: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply suggestion…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Rename %n cohort(s)</source>
        <translation>
            <numerusform>Rename %n cohort</numerusform>
            <numerusform>Rename %n cohorts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Rename %n cohort(s) to the suggested name(s)?</source>
        <translation>
            <numerusform>Rename %n cohort to its suggested name?</numerusform>
            <numerusform>Rename %n cohorts to their suggested names?</numerusform>
        </translation>
    </message>
    <message>
        <source>Each mapping is renamed in place, as the mapping editor saves it: it keeps its segment, members and history. From its next sync Lockstep writes the new name to Mixpanel, so a Mixpanel cohort that filters on the old name must be changed to the new one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A report set for the old name stays set for it until you point it at the new one (Checklist…).</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Renamed %n cohort(s): %1.</source>
        <translation>
            <numerusform>Renamed %n cohort: %1.</numerusform>
            <numerusform>Renamed %n cohorts: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not renamed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rename the selected findings&apos; cohorts to their suggested names (asks first; %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::BatchErrorsModel</name>
    <message>
        <source>Batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::ChannelEditor</name>
    <message>
        <source>Also the mapping&apos;s health monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notification channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slack incoming webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microsoft Teams workflow webhook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook (signed JSON)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail (SMTP)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One per line: Name: value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Addresses, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each alert also goes to the health monitor of its mapping, when the monitor is given as an e-mail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping ids, separated by commas (empty: every mapping)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Headers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one severity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a mapping id: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A webhook needs a signing secret: its receiver verifies X-Lockstep-Signature with it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made from the kind and id when left empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The channel&apos;s name in mappings files. A runner also finds its secrets under it: LOCKSTEP_NOTIFY_&lt;KEY&gt;_URL, with the key upper-cased and every other character than a letter or digit as _.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The URL, the signing secret, header values and the SMTP password are kept in the system keychain, never in the workspace. A runner reads them from LOCKSTEP_NOTIFY_&lt;ID&gt;_URL, _HMAC_SECRET, _HEADERS and _SMTP_PASSWORD, or the same under the key (LOCKSTEP_NOTIFY_&lt;KEY&gt;_URL, ...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the channel a key.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::ChecklistDialog</name>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review stability…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollout checklist — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the Mixpanel board or report that uses this cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record that you reviewed the segment&apos;s median daily churn over the last 14 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the checklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Ready: every item has its evidence (%1 of %n).</source>
        <translation>
            <numerusform>Ready: every item has its evidence (%1 of %n).</numerusform>
            <numerusform>Ready: every item has its evidence (%1 of %n).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Not ready: %1 of %n items have their evidence.</source>
        <translation>
            <numerusform>Not ready: %1 of %n item has its evidence.</numerusform>
            <numerusform>Not ready: %1 of %n items have their evidence.</numerusform>
        </translation>
    </message>
    <message>
        <source>Segment stability reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You looked at how much “%1” churns from day to day and find it stable enough to roll out. Your name, recorded with the median daily churn of the last 14 days:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review was not recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::ChurnChart</name>
    <message>
        <source>Churn per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Churn per run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exited</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Churn per %n run(s): %1</source>
        <translation>
            <numerusform>Churn per run: %1</numerusform>
            <numerusform>Churn per %n runs: %1</numerusform>
        </translation>
    </message>
    <message>
        <source> (first sync off the scale)</source>
        <extracomment>Appended to the churn chart&apos;s title when the first sync&apos;s bar is cut</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&lt;br&gt;%2 to %3</source>
        <extracomment>The churn chart&apos;s title with the dates of its first and last bar</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 entered, %3 left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::ConnectionForm</name>
    <message>
        <source>United States</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>European Union</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom address (sandbox, proxy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>India</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Custom addresses (sandbox, proxy)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user:secret (to verify cohort counts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io App API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel ingestion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel query API</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel project id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io App API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel project token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel service account</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::ConsoleSession</name>
    <message>
        <source>Sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo could not be started: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::DemoHistory</name>
    <message>
        <source>The demo&apos;s sandbox refused %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo&apos;s history stopped on day %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::DoctorView</name>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to do</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✘ Fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>– Skipped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::HealthPage</name>
    <message>
        <source>Acknowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more mappings (Ctrl+click)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>Mark the selected alerts as seen; they stay open until the condition clears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List the alerts of every mapping, not only the selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size per run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No size history yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a mapping on the Mappings page to watch its health.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No unacknowledged alerts. %n run(s) in the window.</source>
        <translation>
            <numerusform>No unacknowledged alerts. %n run in the window.</numerusform>
            <numerusform>No unacknowledged alerts. %n runs in the window.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>Two sentences: &quot;N unacknowledged alerts (M critical).&quot; and &quot;N runs in the window.&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unacknowledged alert(s) (%1 critical).</source>
        <translation>
            <numerusform>%n unacknowledged alert (%1 critical).</numerusform>
            <numerusform>%n unacknowledged alerts (%1 critical).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) in the window.</source>
        <translation>
            <numerusform>%n run in the window.</numerusform>
            <numerusform>%n runs in the window.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2
Last sync: %3</source>
        <extracomment>%1 is a cohort name, %2 its verdict with the reasons, %3 when it last synced</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the advisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which identifier does Mixpanel know these people by? Looks a sample up under each (at most 3 Mixpanel queries)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How much of the history the charts show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After the next sync of this mapping, its first size point appears here: the segment&apos;s size in Customer.io, what Mixpanel holds, who entered and who left.&lt;br&gt;Each later sync adds a point, so the trend and the churn bars grow run by run; collapse and swing alerts start once a few days of runs are in.&lt;br&gt;Resync now with Ctrl+Shift+R, or wait for the mapping&apos;s schedule.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held exits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply exits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These runs removed nobody: their exits looked like a broken read rather than people leaving. Apply removes them from the Mixpanel cohort (a sync of the mapping); Discard keeps them in the cohort. A later run that still misses them holds them again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync the mapping and remove the held exits from the Mixpanel cohort (lockstep sync --mapping ID --accept-exits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the members in the cohort; nothing is sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Held exits (%n mapping(s))</source>
        <extracomment>%n held holds, one per mapping</extracomment>
        <translation>
            <numerusform>Held exits (%n mapping)</numerusform>
            <numerusform>Held exits (%n mappings)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lockstep::HeldExitsModel</name>
    <message>
        <source>The segment read empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than %1 % of the cohort left in one run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 % of %2</source>
        <extracomment>%1 a percentage, %2 the synced size the exits were judged against</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held exits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Of the last synced size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why held</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Held at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Examples</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::IdentityAdviceDialog</name>
    <message>
        <source>Identity advisor — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which identifier does Mixpanel know this segment&apos;s people by? A sample of members is looked up under their id, e-mail and cio_id, and by their profile&apos;s $email (at most 3 of the hour&apos;s Mixpanel queries). This mapping sends: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Making a new version keyed by %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done: a new version keyed by %1 syncs from the next run; “%2” is paused. Point the Mixpanel cohort and its reports at the new version&apos;s value.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the advisor…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Identity advisor&lt;/b&gt; — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not switched: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::IdentityAdviceView</name>
    <message>
        <source>e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profile&apos;s $email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looked up under</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghosts only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ghosts only: Mixpanel knows the key only through what Lockstep wrote. Without one: sampled people who have no usable value of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %2 members looked up in Mixpanel with %n query(ies).</source>
        <extracomment>%1 people looked up, %2 members of the segment, %n queries used</extracomment>
        <translation>
            <numerusform>%1 of %2 members looked up in Mixpanel with %n query.</numerusform>
            <numerusform>%1 of %2 members looked up in Mixpanel with %n queries.</numerusform>
        </translation>
    </message>
    <message>
        <source> (recommended)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not looked up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch to %1 (new version)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::IdentityPage</name>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All reasons</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search e-mail, id, cio_id…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export mismatches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatches by reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No identity mismatches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members that cannot be matched to a Mixpanel &lt;code&gt;$distinct_id&lt;/code&gt; (missing key, invalid e-mail, placeholder id, merged profile) are listed here after each sync, by reason.&lt;br&gt;None so far: sync your mappings (Ctrl+Shift+R) to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n member(s)</source>
        <translation>
            <numerusform>%1 of %n member</numerusform>
            <numerusform>%1 of %n members</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not export: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MainWindow</name>
    <message>
        <source>Lockstep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resync selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync the selected mappings now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resync all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync every mapping that is not paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preview what a sync of the selected mappings (or all, when none is selected) would change, sending nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the sync in flight; acknowledged changes are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload mappings and run history from the workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the mappings table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full resync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-send every member of the selected mappings (or all), not only the changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add mapping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map a Customer.io segment to a Mixpanel cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit mapping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections, thresholds, naming convention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guided set-up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect, pick a segment, name, preview and sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate as new version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse on a test segment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spot-check people…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Mixpanel cohort definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n mapping(s) deleted</source>
        <translation>
            <numerusform>%n mapping deleted</numerusform>
            <numerusform>%n mappings deleted</numerusform>
        </translation>
    </message>
    <message>
        <source>Lockstep: sync failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lockstep: sync incomplete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>see the Runs page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The secrets are used for this session but could not be kept in the keychain: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollout checklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set latency expectation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo history</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Demo history: day %1 of %n</source>
        <extracomment>The demo replays its history day by day: &quot;Demo history: day 34 of 90&quot;</extracomment>
        <translation>
            <numerusform>Demo history: day %1 of %n</numerusform>
            <numerusform>Demo history: day %1 of %n</numerusform>
        </translation>
    </message>
    <message>
        <source>In progress — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n mapping(s) synced</source>
        <translation>
            <numerusform>%1 of %n mapping synced</numerusform>
            <numerusform>%1 of %n mappings synced</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n skipped</source>
        <translation>
            <numerusform>%n skipped</numerusform>
            <numerusform>%n skipped</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n stopped midway</source>
        <translation>
            <numerusform>%n stopped midway</numerusform>
            <numerusform>%n stopped midway</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n never started</source>
        <translation>
            <numerusform>%n never started</numerusform>
            <numerusform>%n never started</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync cancelled: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync finished: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (see the Runs page)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full resync of every mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>No mapping is selected. Re-send every member of all %n active mapping(s) to Mixpanel?</source>
        <translation>
            <numerusform>No mapping is selected. Re-send every member of all %n active mapping to Mixpanel?</numerusform>
            <numerusform>No mapping is selected. Re-send every member of all %n active mappings to Mixpanel?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resync %n mapping(s)</source>
        <translation>
            <numerusform>Resync %n mapping</numerusform>
            <numerusform>Resync %n mappings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln person(s)</source>
        <extracomment>One mapping in the list of a confirmation: its cohort and its people</extracomment>
        <translation>
            <numerusform>%1 — %Ln person</numerusform>
            <numerusform>%1 — %Ln people</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — size not known yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resync every mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Send the changes of all %n active mapping(s) to Mixpanel?</source>
        <translation>
            <numerusform>Send the changes of the %n active mapping to Mixpanel?</numerusform>
            <numerusform>Send the changes of all %n active mappings to Mixpanel?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>About %Ln person(s) were in these cohorts at their last sync.</source>
        <translation>
            <numerusform>About %Ln person was in these cohorts at their last sync.</numerusform>
            <numerusform>About %Ln people were in these cohorts at their last sync.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mapping(s) never synced: their size is not known yet.</source>
        <translation>
            <numerusform>%n mapping never synced: its size is not known yet.</numerusform>
            <numerusform>%n mappings never synced: their size is not known yet.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Resync %n mapping(s) in full</source>
        <translation>
            <numerusform>Resync %n mapping in full</numerusform>
            <numerusform>Resync %n mappings in full</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <translation>
            <numerusform>%1 and %n more</numerusform>
            <numerusform>%1 and %n more</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the list of rehearsals to clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open rehearsals…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearsals closed without Clean up, whose temporary value is still in Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n rehearsal(s) not cleaned up</source>
        <translation>
            <numerusform>%n rehearsal not cleaned up</numerusform>
            <numerusform>%n rehearsals not cleaned up</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Their temporary value is still on %n profile(s) in Mixpanel: open the list to clean them up.</source>
        <translation>
            <numerusform>Their temporary value is still on %n profile in Mixpanel: open the list to clean them up.</numerusform>
            <numerusform>Their temporary value is still on %n profiles in Mixpanel: open the list to clean them up.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lockstep::MappingEditor</name>
    <message>
        <source>Paused (not synced by Resync all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as named in Customer.io (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e-mail (trimmed, lower-case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List property ($union / $remove)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Flag property ($set / $unset)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also send Cohort Entered / Exited events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision it informs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit mapping: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The report uses this cohort name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>who edits the segment in Customer.io</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>who answers this cohort&apos;s alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new version writes another cohort value: tick this once the board or report uses it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Report (Mixpanel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run whose exits exceed this share of the last synced size removes nobody until someone applies or discards them on the Health page (0 %: off; an empty segment is always held)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold exits above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health thresholds of its own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use suggested name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segments are read from Customer.io when connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the cohort name with the suggested one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override the workspace&apos;s health thresholds (Settings) for this mapping only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Churn ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size collapse (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week-over-week swing (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale after (× schedule)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment building for (× schedule)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowest identity match rate (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown profiles: warning (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown profiles: critical (%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>workspace: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading segments from Customer.io…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segments could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a segment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n people</source>
        <translation>
            <numerusform>%n person</numerusform>
            <numerusform>%n people</numerusform>
        </translation>
    </message>
    <message>
        <source>size unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, building %2%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io has no segment %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is still building: runs skip it until it is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The segment cannot be checked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment %1 is already mapped to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the segment in Customer.io…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io has no segment %1: pick one from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MappingsModel</name>
    <message>
        <source>daily</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>every %n day(s)</source>
        <translation>
            <numerusform>every %n day</numerusform>
            <numerusform>every %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>hourly</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every %1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not ready (%1 of %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every rollout checklist item has its evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Missing from the rollout checklist:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list · %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flag</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1; %2</source>
        <extracomment>%1 is &quot;N keys in Mixpanel&quot;, %2 is &quot;N members read from Customer.io&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln key(s) in Mixpanel</source>
        <translation>
            <numerusform>%Ln key in Mixpanel</numerusform>
            <numerusform>%Ln keys in Mixpanel</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) read from Customer.io</source>
        <translation>
            <numerusform>%Ln member read from Customer.io</numerusform>
            <numerusform>%Ln members read from Customer.io</numerusform>
        </translation>
    </message>
    <message>
        <source>Not verified yet: create the Mixpanel cohort, then the next sync compares its count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel cohort %1, synced %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time from a membership change being observed in Customer.io to Mixpanel acknowledging its batch: median %1, 95th percentile %2, slowest %3, over %4 in the last %5.</source>
        <extracomment>%4 is &quot;N changes&quot;, %5 is &quot;N runs&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s)</source>
        <translation>
            <numerusform>%Ln change</numerusform>
            <numerusform>%Ln changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>Time from a membership change being observed in Customer.io to Mixpanel acknowledging its batch: no acknowledged changes yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No expectation set: `lockstep latency --mapping %1 --expect MINUTES`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expectation: %1 (exceeded: an alert is open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expectation: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n open alert(s): see the Health page</source>
        <translation>
            <numerusform>%n open alert: see the Health page</numerusform>
            <numerusform>%n open alerts: see the Health page</numerusform>
        </translation>
    </message>
    <message>
        <source>No open alerts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1

%2</source>
        <extracomment>%1 is the verdict with its reasons, %2 &quot;N open alerts: see the Health page&quot;</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The run that ended %1 did not succeed (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
Last successful sync: %2</source>
        <extracomment>%1 is what the run in flight is doing, %2 the time of the last sync</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MappingsPage</name>
    <message>
        <source>Filter by segment, cohort, key, owner or status (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map a Customer.io segment to a Mixpanel cohort (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the selected mapping (Ctrl+E)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate the selected mapping as the next cohort version (| v2, | v3 ...): trend lines restart there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop syncing the selected mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync the selected mappings again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the selected mappings (history is kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy cohort definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the Mixpanel cohort definition of the selected mappings to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse on a test segment: sync a small segment to a temporary cohort value, read it back, clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spot check…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check a few people of the segment in both Customer.io and Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse on a test segment…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spot-check people…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set latency expectation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate as new version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy Mixpanel cohort definition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No mappings yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A mapping mirrors one Customer.io segment into one Mixpanel cohort.&lt;br&gt;Add one here, or from a terminal, then press Refresh (F5):&lt;p style=&quot;white-space:nowrap&quot;&gt;&lt;code&gt;lockstep mapping add --segment ID --cohort NAME --identity email&lt;/code&gt;&lt;/p&gt;Name cohorts &lt;code&gt;CIO | Intent | Window&lt;/code&gt;, e.g. &lt;code&gt;CIO | Winback | 45-60d&lt;/code&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a mapping…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guided set-up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the sandbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a demo workspace on a local sandbox: nothing touches your real Customer.io or Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the mapping “%1”?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Delete %n mapping(s)?</source>
        <translation>
            <numerusform>Delete %n mapping?</numerusform>
            <numerusform>Delete %n mappings?</numerusform>
        </translation>
    </message>
    <message>
        <source>Lockstep stops syncing them; their run history stays. Members already in Mixpanel keep the cohort property until you remove the cohort there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latency expectation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How long may a membership change of “%1” take to reach Mixpanel?
Minutes (0: no expectation). An alert opens while the 95th percentile is slower.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Mixpanel cohort:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a mapping to see the Mixpanel cohort definition to create.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n mapping(s) selected</source>
        <translation>
            <numerusform>%n mapping selected</numerusform>
            <numerusform>%n mappings selected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n mapping(s)</source>
        <translation>
            <numerusform>%n mapping</numerusform>
            <numerusform>%n mappings</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n mapping(s)</source>
        <translation>
            <numerusform>%1 of %n mapping</numerusform>
            <numerusform>%1 of %n mappings</numerusform>
        </translation>
    </message>
    <message>
        <source>Checklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rollout checklist: each item with its evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rollout checklist…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit mapping…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MessageBanner</name>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MismatchReasonsModel</name>
    <message>
        <source>removed (merged away, not churn)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent to a profile Mixpanel did not know</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent, not on the profile (token of another project?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sent (shared key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::MismatchesModel</name>
    <message>
        <source>Missing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholder id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Invalid key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duplicate key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalisation collision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vanished after merge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown to Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Value missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(null)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Info: no longer in Customer.io (merged into another person, or deleted); removed from the cohort as an exit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: the key was still sent to Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: this member is missing from the cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distinct id</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::NamingFeedback</name>
    <message>
        <source>Name the cohort like &lt;code&gt;%1&lt;/code&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Follows the naming convention.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::NotificationsPage</name>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Destination</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiver&apos;s answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send test message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add channel…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alerts reach these channels once when they open, once when their severity rises and once when they resolve, from whichever process on the workspace delivers first (this console, a runner, a sync).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent deliveries of the selected channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each mapping&apos;s health monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>retrying at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 saved, but its secrets are for this session only: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 deleted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test message to channel %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 answered: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel %1 did not take the message (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::OpenRehearsalsDialog</name>
    <message>
        <source>Open rehearsals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the rehearsals from the workspace…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rehearsal closed without Clean up leaves its temporary cohort value on the test segment&apos;s profiles in Mixpanel. Clean up removes it from every profile that carries it and reads back that it is gone (one or two Mixpanel queries).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporary value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cleaning up…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No open rehearsals: every rehearsal&apos;s temporary value has been cleaned up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written to test segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written to test segment %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(its own flag)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value is an item of this list property</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value is a property of its own, set to true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles that read back carrying the value when the rehearsal was made</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove “%1” from every profile carrying it, and verify</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No rehearsal has left its temporary value in Mixpanel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%n rehearsal(s) not cleaned up&lt;/b&gt;: their temporary value is on %1 in Mixpanel.</source>
        <extracomment>%1 is &quot;N profiles&quot;</extracomment>
        <translation>
            <numerusform>&lt;b&gt;%n rehearsal not cleaned up&lt;/b&gt;: its temporary value is on %1 in Mixpanel.</numerusform>
            <numerusform>&lt;b&gt;%n rehearsals not cleaned up&lt;/b&gt;: their temporary value is on %1 in Mixpanel.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n profile(s)</source>
        <translation>
            <numerusform>%n profile</numerusform>
            <numerusform>%n profiles</numerusform>
        </translation>
    </message>
    <message>
        <source>Removing “%1”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Cleaned up “%1”: removed from %n profile(s) and verified gone.</source>
        <translation>
            <numerusform>Cleaned up “%1”: removed from %n profile and verified gone.</numerusform>
            <numerusform>Cleaned up “%1”: removed from %n profiles and verified gone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Clean up of “%1” incomplete: %n profile(s) still carry it. Try again in a minute.</source>
        <translation>
            <numerusform>Clean up of “%1” incomplete: %n profile still carries it. Try again in a minute.</numerusform>
            <numerusform>Clean up of “%1” incomplete: %n profiles still carry it. Try again in a minute.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping %1, deleted: its rehearsal&apos;s value is still on profiles</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::OverlapModel</name>
    <message>
        <source>&lt;1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln member(s)</source>
        <translation>
            <numerusform>%1: %Ln member</numerusform>
            <numerusform>%1: %Ln members</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ∩ %2
%3 people shared of %4 and %5
share of row in column %6 %, Jaccard %7</source>
        <extracomment>%3 shared people (or Mixpanel keys) of %4 and %5</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ∩ %2
%3 Mixpanel keys shared of %4 and %5
share of row in column %6 %, Jaccard %7</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %Ln person(s)</source>
        <translation>
            <numerusform>%1: %Ln person</numerusform>
            <numerusform>%1: %Ln people</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lockstep::OverlapPage</name>
    <message>
        <source>Share of row in column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jaccard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watch pair</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which share of the row cohort&apos;s members are also in the column cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared members over members of either (symmetric)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why must they stay disjoint? (e.g. suppression)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to compare yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overlap compares what Mixpanel holds for each mapped cohort.&lt;br&gt;Sync at least two mappings (Ctrl+Shift+R), then watch the pairs that must stay disjoint, such as &lt;i&gt;Suppressed&lt;/i&gt; and &lt;i&gt;Winback&lt;/i&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cell shows:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must stay disjoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a cell to see the pair&apos;s counts; watch a pair that must stay disjoint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; (%2) and &lt;b&gt;%3&lt;/b&gt; (%4): &lt;b&gt;%5&lt;/b&gt; shared, %6 in either. %7 % of the first is in the second, %8 % of the second in the first; Jaccard %9.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watched: disjoint, as they must be.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop watching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People (Customer.io cio_id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel keys ($distinct_id)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People: who is in both cohorts, whatever key each mapping sends (watched pairs are judged so). Mixpanel keys: what Mixpanel holds; cohorts keyed differently share no keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>By person, %n pair(s) overlap differently than by Mixpanel key (the mappings send different keys): e.g. &lt;b&gt;%1&lt;/b&gt; and &lt;b&gt;%2&lt;/b&gt; share %3 people but %4 keys. Watched pairs are judged by person.</source>
        <extracomment>%n pairs; %1 and %2 cohort names; %3 shared people, %4 shared Mixpanel keys</extracomment>
        <translation>
            <numerusform>By person, %n pair overlaps differently than by Mixpanel key (the mappings send different keys): e.g. &lt;b&gt;%1&lt;/b&gt; and &lt;b&gt;%2&lt;/b&gt; share %3 people but %4 keys. Watched pairs are judged by person.</numerusform>
            <numerusform>By person, %n pairs overlap differently than by Mixpanel key (the mappings send different keys): e.g. &lt;b&gt;%1&lt;/b&gt; and &lt;b&gt;%2&lt;/b&gt; share %3 people but %4 keys. Watched pairs are judged by person.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not in the person view until their next sync: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Watched: they must stay disjoint, and they overlap.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::RehearsalDialog</name>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run rehearsal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse on a test segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Rehearse “%1” on a small test segment&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lockstep writes the test segment&apos;s members to a temporary cohort value with this mapping&apos;s identity key and mode, reads it back through the Mixpanel query API and judges each person. The real cohort is not touched. Pick a small internal segment, such as your own team.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading segments from Customer.io…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the temporary value to the test segment&apos;s members and read it back (one Mixpanel query)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the temporary value from every profile carrying it, and verify (one query)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporary value:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>building %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io segment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io segment %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (this mapping&apos;s segment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io lists no segments.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a test segment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ This segment is still building in Customer.io: wait until it is finished.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>⚠ %Ln person(s) is too big for a rehearsal (at most %1): pick a small internal segment.</source>
        <translation>
            <numerusform>⚠ %Ln person is too big for a rehearsal (at most %1): pick a small internal segment.</numerusform>
            <numerusform>⚠ %Ln people is too big for a rehearsal (at most %1): pick a small internal segment.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>⚠ %Ln person(s): a rehearsal writes the temporary value to every one of their Mixpanel profiles. A handful of internal people is enough.</source>
        <translation>
            <numerusform>⚠ %Ln person: a rehearsal writes the temporary value to every one of their Mixpanel profiles. A handful of internal people is enough.</numerusform>
            <numerusform>⚠ %Ln people: a rehearsal writes the temporary value to every one of their Mixpanel profiles. A handful of internal people is enough.</numerusform>
        </translation>
    </message>
    <message>
        <source>The size of this segment could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This segment is empty: nobody to rehearse on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n person(s) will get the temporary value.</source>
        <translation>
            <numerusform>%n person will get the temporary value.</numerusform>
            <numerusform>%n people will get the temporary value.</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;code&gt;%1&lt;/code&gt; in the list property &lt;code&gt;%2&lt;/code&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;%1&lt;/code&gt; in the list property &lt;code&gt;%2&lt;/code&gt; (the minute is set when it runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;%1&lt;/code&gt; as its own flag property (set to true)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;code&gt;%1&lt;/code&gt; as its own flag property (set to true) (the minute is set when it runs)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearsing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the temporary value…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Passed: %1 of %n person(s) read back with the temporary value.</source>
        <translation>
            <numerusform>Passed: %1 of %n person read back with the temporary value.</numerusform>
            <numerusform>Passed: %1 of %n people read back with the temporary value.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Failed: %1 of %n person(s) read back with the temporary value.</source>
        <translation>
            <numerusform>Failed: %1 of %n person read back with the temporary value.</numerusform>
            <numerusform>Failed: %1 of %n people read back with the temporary value.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n other profile(s) carry it too: %1.</source>
        <translation>
            <numerusform>%n other profile carries it too: %1.</numerusform>
            <numerusform>%n other profiles carry it too: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Clean up removes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Cleaned up: the temporary value was removed from %n profile(s) and is verified gone.</source>
        <translation>
            <numerusform>Cleaned up: the temporary value was removed from %n profile and is verified gone.</numerusform>
            <numerusform>Cleaned up: the temporary value was removed from %n profiles and is verified gone.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Clean up incomplete: %n profile(s) still carry the temporary value. Try again in a minute.</source>
        <translation>
            <numerusform>Clean up incomplete: %n profile still carries the temporary value. Try again in a minute.</numerusform>
            <numerusform>Clean up incomplete: %n profiles still carry the temporary value. Try again in a minute.</numerusform>
        </translation>
    </message>
    <message>
        <source>No segments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An earlier rehearsal (%1) left the temporary value “%2” on profiles in Mixpanel. Clean up removes it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temporary value not cleaned up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The rehearsal&apos;s temporary value “%1” is still on profiles in Mixpanel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep it for later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clean up now, or keep it: Lockstep remembers the rehearsal. Mappings › Open rehearsals… lists it with a Clean up button, and Rehearse… on this mapping offers the clean-up too.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::RunsModel</name>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unchanged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatched</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API calls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>429s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::RunsPage</name>
    <message>
        <source>Cancel sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the sync in flight; acknowledged changes are kept (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No runs yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every sync is recorded here with what it changed and what it cost.&lt;br&gt;Select mappings and press &lt;b&gt;Resync selected&lt;/b&gt; (Ctrl+R), or &lt;b&gt;Resync all&lt;/b&gt; (Ctrl+Shift+R).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a run to see the batches it could not deliver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch errors of run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n API call(s), %2 answered 429 (rate limited)</source>
        <extracomment>%1 is &quot;N runs&quot;</extracomment>
        <translation>
            <numerusform>%1: %n API call, %2 answered 429 (rate limited)</numerusform>
            <numerusform>%1: %n API calls, %2 answered 429 (rate limited)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>Every batch of run %1 was delivered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 has no batch errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 is still running: its batches are being sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 was a dry run: nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 had no changes to send: nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 ended (%2) before sending anything: nothing was sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 left %2 change(s) unacknowledged, but no batch error was recorded.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 ended (%2) with no batch errors recorded for what it sent.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SecretStore</name>
    <message>
        <source>no %1 in the keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1 in the system keychain (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot store %1 in the system keychain (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot remove %1 in the system keychain (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SettingsDialog</name>
    <message>
        <source> × schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks the workspace, both services&apos; hosts and credentials, the project token, the query budget, the clock and each mapping&apos;s segment, as `lockstep doctor` does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Size collapse: drop below the recent median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Week-over-week swing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Churn ratio (entered + exited ÷ 2 × size)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stale after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drift between synced and Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowest identity match rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort name pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Naming convention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default schedule for new mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✔ Valid pattern.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>✔ All %n check(s) passed in %1 s.</source>
        <translation>
            <numerusform>✔ All %n check passed in %1 s.</numerusform>
            <numerusform>✔ All %n checks passed in %1 s.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>✘ %1 of %n check(s) failed: see what to do below.</source>
        <translation>
            <numerusform>✘ %1 of %n check failed: see what to do below.</numerusform>
            <numerusform>✘ %1 of %n checks failed: see what to do below.</numerusform>
        </translation>
    </message>
    <message>
        <source>Segment still building for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered keys unknown to Mixpanel: warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered keys unknown to Mixpanel: critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A run whose exits exceed this share of the last synced size removes nobody until someone applies or discards them (0 %: off; an empty segment is always held; a mapping may set its own in its editor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hold a run&apos;s exits above</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secrets are kept in the system keychain (never in the workspace, logs or exports) and used from there on the next start. Scheduled syncs and the command line read LOCKSTEP_CUSTOMERIO_APP_API_KEY, LOCKSTEP_MIXPANEL_PROJECT_TOKEN and LOCKSTEP_MIXPANEL_SERVICE_ACCOUNT instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>All %n cohort(s) of the workspace follow it.</source>
        <translation>
            <numerusform>The workspace&apos;s %n cohort follows it.</numerusform>
            <numerusform>All %n cohorts of the workspace follow it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… and %n more</numerusform>
            <numerusform>… and %n more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n cohort(s) would not follow it:</source>
        <translation>
            <numerusform>%1 of %n cohort would not follow it:</numerusform>
            <numerusform>%1 of %n cohorts would not follow it:</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SetupWizard</name>
    <message>
        <source>Set up Lockstep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previewing the sync (dry run: nothing is sent)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln member(s) read, %1 to add, %2 to remove, %3 without a usable key.</source>
        <translation>
            <numerusform>%Ln member read, %1 to add, %2 to remove, %3 without a usable key.</numerusform>
            <numerusform>%Ln members read, %1 to add, %2 to remove, %3 without a usable key.</numerusform>
        </translation>
    </message>
    <message>
        <source>✔ Dry run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>✔ Synced: %Ln member(s) are in the cohort. Create the Mixpanel cohort below if you have not yet.</source>
        <translation>
            <numerusform>✔ Synced: %Ln member is in the cohort. Create the Mixpanel cohort below if you have not yet.</numerusform>
            <numerusform>✔ Synced: %Ln members are in the cohort. Create the Mixpanel cohort below if you have not yet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect Customer.io and Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lockstep reads segments from Customer.io and writes cohort membership to Mixpanel profiles.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test the connection to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try the sandbox instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A demo workspace on local emulators: nothing reaches your real services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick a segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segments that are still building cannot be synced yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name the Mixpanel cohort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is written to each member&apos;s profile: follow the team&apos;s convention so cohorts sort and compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use suggested name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What will this cohort decide? (e.g. winback offer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the identity key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which Customer.io identifier becomes Mixpanel&apos;s $distinct_id. Use the one your Mixpanel profiles are keyed by.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e-mail (trimmed, lower-case)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send the membership to Mixpanel, then create the cohort there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Mixpanel cohort to create:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>building %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The advisor could not look the segment&apos;s people up in Mixpanel: %1 Choose the identifier your Mixpanel profiles are keyed by.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Advisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking a sample of the segment&apos;s people up in Mixpanel under each identifier…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mapping could not be saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The mapping is saved as a paused draft and previewed: what a sync would add and remove. Nothing is sent to Mixpanel, and Cancel removes the draft.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the mapping as a paused draft…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SizeHistoryModel</name>
    <message>
        <source>Mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mapping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mismatched</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SizeTrendChart</name>
    <message>
        <source>Cohort size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel (verified)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer.io %1 · synced %2</source>
        <extracomment>Hovering a point of the size trend: the figures of that run</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mixpanel cohort %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 entered · %2 left</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::SpotCheckDialog</name>
    <message>
        <source>Person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carries value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Likely reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run spot check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spot-check people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Spot-check “%1” in Customer.io and Mixpanel&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People drawn at random from the segment, plus anyone you name, are looked up in Mixpanel with one query: are they there, and do they carry the cohort value? Nothing is written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source> people</source>
        <translation>
            <numerusform> person</numerusform>
            <numerusform> people</numerusform>
        </translation>
    </message>
    <message>
        <source>How many segment members to draw at random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ids, e-mails or cio_ids, separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>People you want checked on top of the random ones, e.g. a customer who says they did not get the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drawn at random from the segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also check:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query budget:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Mixpanel query budget is used up for this hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draw at least one member or name someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look these people up in both systems (one Mixpanel query)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (named “%2”)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Passed: %1 of %n person(s) agree in both systems.</source>
        <translation>
            <numerusform>Passed: %1 of %n person agree in both systems.</numerusform>
            <numerusform>Passed: %1 of %n people agree in both systems.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Failed: %1 of %n person(s) agree in both systems.</source>
        <translation>
            <numerusform>Failed: %1 of %n person agree in both systems.</numerusform>
            <numerusform>Failed: %1 of %n people agree in both systems.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lockstep::SyncStatusWidget</name>
    <message>
        <source>reading the segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comparing with the last sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proving the project token writes to the Mixpanel project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel the sync (Esc): nothing new is sent, acknowledged changes are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Syncing %n mapping(s)…</source>
        <translation>
            <numerusform>Syncing %n mapping…</numerusform>
            <numerusform>Syncing %n mappings…</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2 of %3 done)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>verifying the entered keys in Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::TrayNotifier</name>
    <message>
        <source>Lockstep</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::TrustViews</name>
    <message>
        <source>reading the Mixpanel query budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>within the hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No Mixpanel queries left this hour (%1 an hour): the next one frees up at %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n Mixpanel queries left this hour</source>
        <translation>
            <numerusform>%1 of %n Mixpanel query left this hour</numerusform>
            <numerusform>%1 of %n Mixpanel queries left this hour</numerusform>
        </translation>
    </message>
    <message>
        <source>Pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identity key missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normalisation changed the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile not in Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not yet synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohort value missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the segment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not read back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not found in either system</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::VerdictText</name>
    <message>
        <source>last run failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last run skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last run partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last run cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last run interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mapping %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trusted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Degraded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Broken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lockstep: %1 is %2</source>
        <extracomment>%1 is a cohort name, %2 a verdict (&quot;Broken&quot;, &quot;Degraded&quot;)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lockstep: new health alert</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Lockstep: %n new health alert(s)</source>
        <translation>
            <numerusform>Lockstep: %n new health alert</numerusform>
            <numerusform>Lockstep: %n new health alerts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Lockstep: %n mapping(s) need attention</source>
        <translation>
            <numerusform>Lockstep: %n mapping needs attention</numerusform>
            <numerusform>Lockstep: %n mappings need attention</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>lockstep::cli</name>
    <message>
        <source>--region sets both services: give it alone, or --customerio-region and --mixpanel-region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give either --customerio-region or --customerio-url, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown Customer.io region %1 (us or eu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect needs --customerio-region us|eu (or --customerio-url)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give either --mixpanel-region or --mixpanel-url and --mixpanel-query-url, not both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown Mixpanel region %1 (us, eu or in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connect needs --mixpanel-region us|eu|in (or --mixpanel-url and --mixpanel-query-url)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n error(s) in %1; nothing was changed</source>
        <translation>
            <numerusform>%n error in %1; nothing was changed</numerusform>
            <numerusform>%n errors in %1; nothing was changed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the file deletes %n mapping(s); nothing was changed: pass --yes to apply it with the deletions</source>
        <translation>
            <numerusform>the file deletes %n mapping; nothing was changed: pass --yes to apply it with the deletions</numerusform>
            <numerusform>the file deletes %n mappings; nothing was changed: pass --yes to apply it with the deletions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This deletes %n mapping(s). Type yes to apply: </source>
        <translation>
            <numerusform>This deletes %n mapping. Type yes to apply: </numerusform>
            <numerusform>This deletes %n mappings. Type yes to apply: </numerusform>
        </translation>
    </message>
    <message>
        <source>not applied; nothing was changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mapping %1 (%2) is being synced; waiting for its run to end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Applied.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another segment or identity key is another cohort: start a new version with `lockstep mapping version %1 --segment N | --identity KEY`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no notification channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mappings %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered %1, pending %2, failed %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delivered to channel %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lockstep: not delivered to channel %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>the file deletes %n notification channel(s); nothing was changed: pass --yes to apply it with the deletions</source>
        <translation>
            <numerusform>the file deletes %n notification channel; nothing was changed: pass --yes to apply it with the deletions</numerusform>
            <numerusform>the file deletes %n notification channels; nothing was changed: pass --yes to apply it with the deletions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>the file deletes %n mapping(s) and %1; nothing was changed: pass --yes to apply it with the deletions</source>
        <translation>
            <numerusform>the file deletes %n mapping and %1; nothing was changed: pass --yes to apply it with the deletions</numerusform>
            <numerusform>the file deletes %n mappings and %1; nothing was changed: pass --yes to apply it with the deletions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n notification channel(s)</source>
        <translation>
            <numerusform>%n notification channel</numerusform>
            <numerusform>%n notification channels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This deletes %n notification channel(s). Type yes to apply: </source>
        <translation>
            <numerusform>This deletes %n notification channel. Type yes to apply: </numerusform>
            <numerusform>This deletes %n notification channels. Type yes to apply: </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This deletes %n mapping(s) and %1. Type yes to apply: </source>
        <translation>
            <numerusform>This deletes %n mapping and %1. Type yes to apply: </numerusform>
            <numerusform>This deletes %n mappings and %1. Type yes to apply: </numerusform>
        </translation>
    </message>
    <message>
        <source>lockstep: channel %1 added, but its secrets are not stored (%2). Give every process that delivers alerts (the runner, `lockstep sync`) %3 in its environment (or the same under its key: %4*).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::console</name>
    <message>
        <source>Keeps Customer.io segments and Mixpanel cohorts in lockstep.
Command line: lockstep help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workspace file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a fresh demo workspace on a local sandbox.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of every page into DIR, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resync all mappings once the window is up.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>lockstep::format</name>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Partial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incremental</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>checking Mixpanel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>comparing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finishing</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln page(s) read</source>
        <translation>
            <numerusform>%Ln page read</numerusform>
            <numerusform>%Ln pages read</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln batch(es) sent</source>
        <translation>
            <numerusform>%1 of %Ln batch sent</numerusform>
            <numerusform>%1 of %Ln batches sent</numerusform>
        </translation>
    </message>
</context>
</TS>
