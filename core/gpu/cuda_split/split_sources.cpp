// SPDX-License-Identifier: MIT
#include "split_sources.h"
