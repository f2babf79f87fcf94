// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace kf::widgets {

// Light and dark themes for the whole application: the Fusion style with a palette, so every widget (and the
// editors and charts that read the palette) follows.
void applyTheme(const QString& name); // "light" or "dark"; anything else is light
bool isDarkTheme();

} // namespace kf::widgets
