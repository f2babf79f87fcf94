// SPDX-License-Identifier: MIT
#include "proc/cpu_count.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <thread>

using kf::proc::usableCpuCount;

TEST(UsableCpuCount, FollowsTheAffinityMask) {
    const unsigned all = usableCpuCount();
    EXPECT_GE(all, 1u);
    EXPECT_LE(all, std::max(1u, std::thread::hardware_concurrency()));

    // On a thread of its own, restricted to one CPU it may use, the count is 1 (the test's thread is
    // untouched).
    cpu_set_t mine;
    CPU_ZERO(&mine);
    ASSERT_EQ(::sched_getaffinity(0, sizeof mine, &mine), 0);
    int first = -1;
    for (int c = 0; c < CPU_SETSIZE && first < 0; ++c) {
        if (CPU_ISSET(c, &mine)) {
            first = c;
        }
    }
    ASSERT_GE(first, 0);
    unsigned restricted = 0;
    std::thread t([&] {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(first, &one);
        if (::sched_setaffinity(0, sizeof one, &one) == 0) {
            restricted = usableCpuCount();
        }
    });
    t.join();
    EXPECT_EQ(restricted, 1u);
}
