// SPDX-License-Identifier: MIT
#include "cuda_tokens.h"
