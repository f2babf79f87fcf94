#!/usr/bin/env bash
# Where the time to a compiled kernel goes: nvcc's phases (nvcc --time) for kf-runner's argv, against NVRTC
# compiling the same file's device code in-process, and g++ compiling a host-only launcher.
# Usage (GPU host, repo root): bash tests/bench/gpu/compile_phases.sh [KERNEL.cu]; logs under $OUT.
set -euo pipefail
exec > >(tee -a "${OUT:-/tmp}/compile-phases.txt") 2>&1
k=${1:-resources/specs/softmax-rows-f32.gold.cu}
out=${OUT:-/tmp/compile-phases}; mkdir -p "$out"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cuda=$(dirname "$(dirname "$(command -v nvcc)")")
g++ -O2 -std=c++17 -I"$cuda/include" tests/bench/gpu/nvrtc_probe.cpp -L"$cuda/lib64" -lnvrtc -o "$work/probe" \
    -Wl,-rpath,"$cuda/lib64"
# The translation unit kf-runner compiles: the spec's prelude (core/spec/launcher.cpp), then the kernel.
printf '#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n#line 1 "%s"\n' "$k" > "$work/tu.cu"
cat "$k" >> "$work/tu.cu"
arch=sm_$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d .)a
for i in 1 2 3; do
    s=$EPOCHREALTIME
    nvcc -O3 -std=c++17 -gencode=arch=compute_${arch#sm_},code=$arch -lineinfo -shared -cudart=shared \
        -Xcompiler=-fPIC -Xptxas=--verbose --split-compile=0 --time "$work/phases-$i.csv" \
        -o "$work/k$i.so" "$work/tu.cu" > "$out/nvcc-$i.log" 2>&1
    e=$EPOCHREALTIME
    echo "nvcc total rep $i: $(awk "BEGIN{printf \"%.3f\", $e - $s}") s"
done
echo "--- nvcc phases (rep 3) ---"; cut -d, -f1,2,4 "$work/phases-3.csv" | tail -25
cp "$work"/phases-*.csv "$out/"
echo "--- NVRTC, same file ---"
for i in 1 2 3; do "$work/probe" "$work/tu.cu" "$arch" 2>"$out/nvrtc-$i.log" || grep -m3 error "$out/nvrtc-$i.log"; done
echo "--- NVRTC, device part only (host launcher and host includes cut) ---"
{ echo '#include <cuda_fp16.h>'; echo '#include <cuda_bf16.h>'; echo 'using int64_t = long long; using uintptr_t = unsigned long long;'; echo '#define INFINITY __int_as_float(0x7f800000)';
  sed -e '/^#include </d' -e '/^extern "C" void kf_launch/,$d' "$k"; } > "$work/dev.cu"
for i in 1 2 3; do "$work/probe" "$work/dev.cu" "$arch" 2>"$out/nvrtc-dev-$i.log" || grep -m3 error "$out/nvrtc-dev-$i.log"; done
echo "--- g++ -O0, a host launcher including cuda_runtime.h ---"
printf '#include <cuda_runtime.h>\n#include <cstdint>\nextern "C" void kf_launch(const float* x, float* y, int64_t r, int64_t c, cudaStream_t s) { (void)x; (void)y; (void)r; (void)c; cudaStreamSynchronize(s); }\n' > "$work/host.cpp"
for i in 1 2 3; do
    s=$EPOCHREALTIME; g++ -O0 -fPIC -c -I"$cuda/include" "$work/host.cpp" -o "$work/host.o"; e=$EPOCHREALTIME
    echo "g++ host launcher: $(awk "BEGIN{printf \"%.3f\", $e - $s}") s"
done
echo "=== summary ==="; grep -h -E "^(nvcc total|g\+\+ host|\{)" "${OUT:-/tmp}/compile-phases.txt"; cut -d, -f1,2,4 "$work/phases-3.csv" | grep -v -i "^ *$" | tail -25
