// EXPECT: 3:2: #include is only supported
#include <metal_stdlib>
#include "common.h"
using namespace metal;
