// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>
#include <QVariant>
#include <string>

// How the dataset widgets write a review status, a verdict, a speedup and a time: one place, so that the
// browser's table and the review panel read the same.
namespace kf::widgets::review_format {

QString statusText(const std::string& review_status); // "unreviewed" for ""
QString speedupText(double speedup);                  // "1.84×", "–" when not timed
QString timeText(const std::string& iso_utc); // local "yyyy-MM-dd HH:mm", the text itself if unparsable
QVariant statusColor(const std::string& review_status); // none for unreviewed
QVariant verdictColor(const std::string& verdict);      // none when never run

} // namespace kf::widgets::review_format
