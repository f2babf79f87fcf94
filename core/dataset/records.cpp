// SPDX-License-Identifier: MIT
#include "records.h"

namespace kf::dataset {

const char* reviewStatusName(ReviewStatus s) {
    switch (s) {
    case ReviewStatus::Accepted:
        return "accepted";
    case ReviewStatus::Rejected:
        return "rejected";
    case ReviewStatus::NeedsWork:
        return "needs-work";
    }
    return "needs-work";
}

std::optional<ReviewStatus> parseReviewStatus(const std::string& s) {
    for (auto st : {ReviewStatus::Accepted, ReviewStatus::Rejected, ReviewStatus::NeedsWork}) {
        if (s == reviewStatusName(st)) {
            return st;
        }
    }
    return std::nullopt;
}

} // namespace kf::dataset
