// SPDX-License-Identifier: MIT
#pragma once

namespace kf::proc {

// How many CPUs the calling thread may run on: its affinity mask (a Slurm job's cpuset, taskset), else the
// number of online CPUs; at least 1. std::thread::hardware_concurrency() counts every CPU of the machine, so
// a job given 8 CPUs of a 128-CPU node would start 128 compile workers.
unsigned usableCpuCount();

} // namespace kf::proc
