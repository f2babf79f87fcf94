// SPDX-License-Identifier: MIT
#include "source_outline.h"
