// Names for screen readers: a control without an accessible name of its own gets the
// words a sighted operator reads for it (the label that names it, its placeholder, its
// tooltip's first sentence), so no control reads as an empty "button" or "edit".
#pragma once

class QObject;
class QWidget;

namespace lockstep {

// Names every control under `root` (itself included) that has no accessible name yet.
// Call once a window or dialog is built; names set on purpose are kept.
void nameControls(QWidget* root);

// From now on, while `owner` lives, names the controls of every window and dialog of the
// application as it is shown (dialogs are built by many pages).
void nameControlsOnShow(QObject* owner);

} // namespace lockstep
