// SPDX-License-Identifier: MIT
#pragma once

// kf_proc: child processes with timeouts, cancellation and no leaked fds or zombies (POSIX only).
#include "child.h"
#include "command.h"
