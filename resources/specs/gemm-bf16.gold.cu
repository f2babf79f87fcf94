// gemm-bf16 gold kernel: c[m,n] = a[m,k] * b[n,k]^T, bf16 operands, f32 accumulation, one rounding to bf16.
//
// Speed. Large problems with 16-byte aligned rows (k % 8 == 0) run on wgmma (sm_90a): 128x256x64 tiles, two
// warpgroups of m64n256k16, a and b streamed to shared memory by 16-byte cp.async, 4 stages deep (prefetch
// distance 2, so one wgmma group stays in flight across each barrier). Chunks of each 128-byte shared row are
// XOR-swizzled with (row & 7): the 128-byte swizzle that wgmma's descriptors read in place. Grids too small
// for 128x256 tiles use mma.sync.m16n8k16 fed by ldmatrix.x4 (fragments double-buffered across k-steps), the
// same cp.async pipeline (BK = 32, swizzle (row >> 1) & 3 against bank conflicts) and 128x128/64x128/64x64
// tiles. Blocks are rasterised in groups of 8 tile-rows for L2 reuse. m <= 8 is a matrix-vector product bound
// by reading b: one warp per column of c streams its row of b once with 16-byte loads. Odd sizes. M/N/K tails
// are zero-filled by cp.async with src-size 0 (k % 8 == 0 keeps each 16-byte chunk all-in or all-out). When k
// % 8 != 0 or a base is misaligned, the mma.sync core is fed by guarded 4-byte (k even) or 2-byte loads
// through registers, overlapped with the mma work of the previous tile. Stores are guarded (bf16x2 pairs when
// n is even); offsets are 64-bit; the grid is 1-D (no gridDim.y limit).

namespace {

using bf16 = __nv_bfloat16;

constexpr int kGroupM = 8; // tile rows per raster group

__device__ __forceinline__ uint32_t smem_addr(const void* p) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// Byte offset of 16-byte chunk `chunk` of shared row `row`, rows of BK bf16 (BK = 32: 64-byte rows of 4
// chunks; BK = 64: 128-byte rows of 8 chunks). An ldmatrix phase reads the same chunk of 8 consecutive rows;
// unswizzled, those rows would repeat the same 16-byte bank group every 128 bytes (4-way or 8-way conflicts).
// XORing the chunk index with (row >> 1) & 3 (64-byte rows) or row & 7 (128-byte rows) gives the 8 rows 8
// distinct bank groups. cp.async writes use the same mapping.
template <int BK>
__device__ __forceinline__ uint32_t swz(int row, int chunk) {
    static_assert(BK == 32 || BK == 64, "BK must be 32 or 64");
    const int key = BK == 32 ? ((row >> 1) & 3) : (row & 7);
    return static_cast<uint32_t>(row * (BK * 2) + ((chunk ^ key) << 4));
}

__device__ __forceinline__ void cp_async_16(uint32_t dst, const void* src, bool valid) {
    // With src-size 0 nothing is read and the 16 bytes are zero-filled: tails past m, n or k become zeros,
    // which contribute nothing to the dot products.
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(dst), "l"(src), "r"(valid ? 16 : 0)
                 : "memory");
}
__device__ __forceinline__ void cp_async_commit() {
    asm volatile("cp.async.commit_group;\n" ::: "memory");
}
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N) : "memory");
}

__device__ __forceinline__ void st_shared_v4(uint32_t addr, const uint4& v) {
    asm volatile("st.shared.v4.u32 [%0], {%1, %2, %3, %4};\n" ::"r"(addr), "r"(v.x), "r"(v.y), "r"(v.z),
                 "r"(v.w)
                 : "memory");
}

__device__ __forceinline__ void ldmatrix_x4(uint32_t addr, uint32_t& r0, uint32_t& r1, uint32_t& r2,
                                            uint32_t& r3) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3)
                 : "r"(addr)
                 : "memory");
}

// d += a(16x16, row) * b(16x8, col); bf16 inputs, f32 accumulators.
__device__ __forceinline__ void mma_16816(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
    asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0, %1, %2, %3}, {%4, %5, %6, %7}, {%8, %9}, "
        "{%0, %1, %2, %3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
}

// How a block's tiles reach shared memory: 16-byte cp.async (k % 8 == 0, 16-byte aligned bases), or guarded
// loads through registers of 4-byte words (k even, 4-byte aligned bases: element pairs never straddle a row
// end) or of single 2-byte elements (any k).
enum LoadMode { kLoadAsync16 = 0, kLoadWords = 1, kLoadHalves = 2 };

// Raw registers for one 16-byte chunk: eight consecutive bf16 of a row starting at p, element kk of the row.
// Values past the row end (kk + j >= k) or of rows past m / n are zero. Packing happens only at the shared
// store, so that the loads stay in flight during the mma work of the previous tile.
template <int kLoad>
struct ChunkRegs {
    static constexpr int kRegs = kLoad == kLoadWords ? 4 : 8;
    uint32_t r[kRegs];

    __device__ __forceinline__ void load(const bf16* p, bool row_ok, int64_t kk, int64_t k) {
        if constexpr (kLoad == kLoadWords) {
            const unsigned int* q = reinterpret_cast<const unsigned int*>(p);
#pragma unroll
            for (int j = 0; j < 4; ++j)
                r[j] = (row_ok && kk + 2 * j < k) ? __ldg(q + j) : 0u;
        } else {
            const unsigned short* q = reinterpret_cast<const unsigned short*>(p);
#pragma unroll
            for (int j = 0; j < 8; ++j)
                r[j] = (row_ok && kk + j < k) ? static_cast<uint32_t>(__ldg(q + j)) : 0u;
        }
    }
    __device__ __forceinline__ uint4 packed() const {
        if constexpr (kLoad == kLoadWords)
            return make_uint4(r[0], r[1], r[2], r[3]);
        else
            return make_uint4(r[0] | (r[1] << 16), r[2] | (r[3] << 16), r[4] | (r[5] << 16),
                              r[6] | (r[7] << 16));
    }
};

// One block computes a BM x BN tile of c; WARPS_M x WARPS_N warps each own a (BM/WARPS_M) x (BN/WARPS_N)
// tile. kLoadAsync16: cp.async pipeline, STAGES deep; otherwise tiles are staged through registers into two
// shared buffers (STAGES must be 2).
template <int BM, int BN, int BK, int WARPS_M, int WARPS_N, int STAGES, int kLoad, int MIN_BLOCKS>
__global__ void __launch_bounds__(WARPS_M* WARPS_N * 32, MIN_BLOCKS)
    gemm_tc_kernel(const bf16* __restrict__ a, const bf16* __restrict__ b, bf16* __restrict__ c, int64_t m,
                   int64_t n, int64_t k, int tiles_m, int tiles_n) {
    constexpr int kThreads = WARPS_M * WARPS_N * 32;
    constexpr int WTM = BM / WARPS_M, WTN = BN / WARPS_N;
    constexpr int MI = WTM / 16, NI = WTN / 8;
    constexpr int KS = BK / 16; // mma k-steps per k-tile
    constexpr int CPR = BK / 8; // 16-byte chunks per shared row
    constexpr uint32_t kRowBytes = BK * 2;
    static_assert(WTM % 16 == 0 && WTN % 16 == 0, "warp tile must be a multiple of 16x16");
    static_assert(KS % 2 == 0, "fragment double buffer assumes an even number of k-steps per tile");
    // Each thread copies 16-byte chunks; chunk id = tid + i * kThreads -> row id / CPR, chunk id % CPR. As
    // kThreads is a multiple of CPR, a thread always copies chunk (tid % CPR) of rows tid / CPR + i *
    // kRowStep.
    constexpr int A_CHUNKS = BM * CPR / kThreads, B_CHUNKS = BN * CPR / kThreads;
    static_assert(A_CHUNKS * kThreads == BM * CPR && B_CHUNKS * kThreads == BN * CPR,
                  "tile/threads mismatch");
    static_assert(kLoad == kLoadAsync16 || STAGES == 2, "the register-staged path double-buffers");
    constexpr int kRowStep = kThreads / CPR;
    constexpr uint32_t STAGE_A = BM * kRowBytes, STAGE_BYTES = (BM + BN) * kRowBytes;

    extern __shared__ __align__(1024) unsigned char smem[];
    const uint32_t smem_base = smem_addr(smem);

    const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
    const int wm = warp / WARPS_N, wn = warp % WARPS_N;

    // Grouped raster: consecutive blocks walk down a group of kGroupM tile-rows before moving to the next
    // tile column, so the blocks resident at one time touch few a- and b-panels (L2 reuse).
    const int per_group = kGroupM * tiles_n;
    const int group = blockIdx.x / per_group;
    const int first_m = group * kGroupM;
    const int gsize = min(tiles_m - first_m, kGroupM);
    const int in_group = blockIdx.x - group * per_group;
    const int tm = first_m + in_group % gsize, tn = in_group / gsize;
    const int64_t row0 = static_cast<int64_t>(tm) * BM, col0 = static_cast<int64_t>(tn) * BN;

    // Per-thread copy assignments (fixed for the whole k loop).
    const int ld_chunk = tid % CPR, ld_row = tid / CPR;
    const bf16* a_src[A_CHUNKS];
    const bf16* b_src[B_CHUNKS];
    bool a_ok[A_CHUNKS], b_ok[B_CHUNKS];
    uint32_t a_dst[A_CHUNKS], b_dst[B_CHUNKS];
#pragma unroll
    for (int i = 0; i < A_CHUNKS; ++i) {
        const int r = ld_row + i * kRowStep;
        a_ok[i] = row0 + r < m;
        a_src[i] = a + (a_ok[i] ? (row0 + r) * k + ld_chunk * 8 : 0);
        a_dst[i] = swz<BK>(r, ld_chunk);
    }
#pragma unroll
    for (int i = 0; i < B_CHUNKS; ++i) {
        const int r = ld_row + i * kRowStep;
        b_ok[i] = col0 + r < n;
        b_src[i] = b + (b_ok[i] ? (col0 + r) * k + ld_chunk * 8 : 0);
        b_dst[i] = STAGE_A + swz<BK>(r, ld_chunk);
    }

    // ldmatrix addressing. a (x4): lanes 0-15 give rows 0-15 at k-chunk 2ks, lanes 16-31 rows 0-15 at chunk
    // 2ks+1 -> registers a0..a3 of the m16n8k16 A fragment. b (x4): lanes 0-7 n 0-7 chunk 2ks, 8-15 n 0-7
    // chunk 2ks+1, 16-23 n 8-15 chunk 2ks, 24-31 n 8-15 chunk 2ks+1 -> {b0, b1} of two adjacent n8 tiles.
    // Adding multiples of 16 rows leaves the swizzle key unchanged, so the per-lane offsets below are reused.
    const int a_lrow = wm * WTM + (lane & 15);
    const int b_lrow = wn * WTN + ((lane >> 4) << 3) + (lane & 7);
    uint32_t a_off[KS], b_off[KS];
#pragma unroll
    for (int ks = 0; ks < KS; ++ks) {
        a_off[ks] = swz<BK>(a_lrow, ks * 2 + (lane >> 4));
        b_off[ks] = STAGE_A + swz<BK>(b_lrow, ks * 2 + ((lane >> 3) & 1));
    }

    float acc[MI][NI][4];
#pragma unroll
    for (int mi = 0; mi < MI; ++mi)
#pragma unroll
        for (int ni = 0; ni < NI; ++ni)
#pragma unroll
            for (int e = 0; e < 4; ++e)
                acc[mi][ni][e] = 0.0f;

    // Fragments are double-buffered: those of k-step s+1 are read from shared memory while the mma of k-step
    // s run, so ldmatrix latency stays hidden, also across k-tile boundaries.
    uint32_t af[2][MI][4], bfr[2][NI][2];
    auto load_frags = [&](int buf, int stage, int ks) {
        const uint32_t sbase = smem_base + stage * STAGE_BYTES;
#pragma unroll
        for (int mi = 0; mi < MI; ++mi)
            ldmatrix_x4(sbase + a_off[ks] + mi * 16 * kRowBytes, af[buf][mi][0], af[buf][mi][1],
                        af[buf][mi][2], af[buf][mi][3]);
#pragma unroll
        for (int nj = 0; nj < NI / 2; ++nj)
            ldmatrix_x4(sbase + b_off[ks] + nj * 16 * kRowBytes, bfr[buf][2 * nj][0], bfr[buf][2 * nj][1],
                        bfr[buf][2 * nj + 1][0], bfr[buf][2 * nj + 1][1]);
    };
    auto mma_frags = [&](int buf) {
#pragma unroll
        for (int mi = 0; mi < MI; ++mi)
#pragma unroll
            for (int ni = 0; ni < NI; ++ni)
                mma_16816(acc[mi][ni], af[buf][mi], bfr[buf][ni][0], bfr[buf][ni][1]);
    };

    const int ktiles = static_cast<int>((k + BK - 1) / BK);

    if constexpr (kLoad == kLoadAsync16) {
        auto load_stage = [&](int stage, int kt) {
            const uint32_t sbase = smem_base + stage * STAGE_BYTES;
            const int64_t k0 = static_cast<int64_t>(kt) * BK;
            const bool k_ok = k0 + ld_chunk * 8 < k; // k % 8 == 0: the chunk is entirely inside or outside
#pragma unroll
            for (int i = 0; i < A_CHUNKS; ++i) {
                const bool ok = a_ok[i] && k_ok;
                cp_async_16(sbase + a_dst[i], ok ? a_src[i] + k0 : a, ok);
            }
#pragma unroll
            for (int i = 0; i < B_CHUNKS; ++i) {
                const bool ok = b_ok[i] && k_ok;
                cp_async_16(sbase + b_dst[i], ok ? b_src[i] + k0 : b, ok);
            }
        };

        // Prologue: STAGES-1 k-tiles in flight, one commit group each (empty groups keep the count uniform).
#pragma unroll
        for (int s = 0; s < STAGES - 1; ++s) {
            if (s < ktiles)
                load_stage(s, s);
            cp_async_commit();
        }
        cp_async_wait<STAGES - 2>();
        __syncthreads();
        load_frags(0, 0, 0);
        int read_stage = 0, write_stage = STAGES - 1;
        for (int kt = 0; kt < ktiles; ++kt) {
#pragma unroll
            for (int ks = 0; ks < KS; ++ks) {
                if (ks == KS - 1) {
                    // Move on to tile kt+1: STAGES+kt groups are committed, so leaving STAGES-2 pending means
                    // tile kt+1 has landed, and the barrier makes it visible to all warps. The barrier also
                    // orders every warp's last read of tile kt (its fragments were loaded at the previous
                    // k-step) before the refill of tile kt's stage at ks == 0 of the next iteration.
                    cp_async_wait<STAGES - 2>();
                    __syncthreads();
                    read_stage = read_stage + 1 == STAGES ? 0 : read_stage + 1;
                }
                // Fragments of the next k-step (of the next k-tile after the last step; past the last tile
                // this reads stale shared memory that is never used).
                load_frags((ks + 1) & 1, read_stage, (ks + 1) % KS);
                if (ks == 0) {
                    // Refill the stage that held tile kt-1 (see the barrier above) with tile kt+STAGES-1.
                    const int nt = kt + STAGES - 1;
                    if (nt < ktiles)
                        load_stage(write_stage, nt);
                    cp_async_commit();
                    write_stage = write_stage + 1 == STAGES ? 0 : write_stage + 1;
                }
                mma_frags(ks & 1);
            }
        }
    } else {
        ChunkRegs<kLoad> ra[A_CHUNKS], rb[B_CHUNKS];
        // Past the last tile every guard is false (kk >= k): no memory is touched and zeros are stored into a
        // buffer nobody reads, so the loop body needs no branches and the loads can overlap the mma work.
        auto gload = [&](int kt) {
            const int64_t k0 = static_cast<int64_t>(kt) * BK;
            const int64_t kk = k0 + ld_chunk * 8; // k index of this thread's first element
#pragma unroll
            for (int i = 0; i < A_CHUNKS; ++i)
                ra[i].load(a_src[i] + k0, a_ok[i], kk, k);
#pragma unroll
            for (int i = 0; i < B_CHUNKS; ++i)
                rb[i].load(b_src[i] + k0, b_ok[i], kk, k);
        };
        auto sstore = [&](int stage) {
            const uint32_t sbase = smem_base + stage * STAGE_BYTES;
#pragma unroll
            for (int i = 0; i < A_CHUNKS; ++i)
                st_shared_v4(sbase + a_dst[i], ra[i].packed());
#pragma unroll
            for (int i = 0; i < B_CHUNKS; ++i)
                st_shared_v4(sbase + b_dst[i], rb[i].packed());
        };
        gload(0);
        sstore(0);
        for (int kt = 0; kt < ktiles; ++kt) {
            // The barrier publishes buffer kt&1 (stored last iteration) and ends all reads of buffer
            // (kt+1)&1.
            __syncthreads();
            gload(kt + 1);
#pragma unroll
            for (int ks = 0; ks < KS; ++ks) {
                load_frags(0, kt & 1, ks);
                mma_frags(0);
            }
            sstore((kt + 1) & 1);
        }
    }

    // Epilogue. Accumulator layout of m16n8: e0,e1 at (row g, cols 2t, 2t+1), e2,e3 at (row g+8, same cols).
    const int g = lane >> 2, t = lane & 3;
    const bool pair_ok = (n % 2 == 0) && (reinterpret_cast<uintptr_t>(c) % 4 == 0);
#pragma unroll
    for (int mi = 0; mi < MI; ++mi) {
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int64_t r = row0 + wm * WTM + mi * 16 + h * 8 + g;
            if (r >= m)
                continue;
            bf16* crow = c + r * n;
#pragma unroll
            for (int ni = 0; ni < NI; ++ni) {
                const int64_t col = col0 + wn * WTN + ni * 8 + 2 * t;
                const float v0 = acc[mi][ni][2 * h], v1 = acc[mi][ni][2 * h + 1];
                if (pair_ok) {
                    // n even and col even: col < n implies col + 1 < n, and the pair is 4-byte aligned.
                    if (col < n)
                        *reinterpret_cast<__nv_bfloat162*>(crow + col) = __floats2bfloat162_rn(v0, v1);
                } else {
                    if (col < n)
                        crow[col] = __float2bfloat16_rn(v0);
                    if (col + 1 < n)
                        crow[col + 1] = __float2bfloat16_rn(v1);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Large aligned problems on sm_90a: wgmma. Same cp.async pipeline and zero-filled tails, but BK = 64: a
// shared row is then 128 bytes and the XOR swizzle above (chunk ^ (row & 7)) is exactly the 128-byte swizzle
// that wgmma's shared-memory descriptors understand, so the async tensor-core instruction reads the tiles in
// place. Two warpgroups each own 64 rows x 256 columns (wgmma m64n256k16, 128 f32 accumulators per thread).
constexpr int kWgBM = 128, kWgBN = 256, kWgBK = 64, kWgStages = 4;
constexpr uint32_t kWgStageA = kWgBM * kWgBK * 2, kWgStageBytes = (kWgBM + kWgBN) * kWgBK * 2;
constexpr int kWgSmem = kWgStages * kWgStageBytes + 1024; // + slack to align the stages to 1024 bytes

// Shared-memory matrix descriptor: K-major tile, 128-byte swizzle, 8-row core groups 1024 bytes apart (SBO);
// the leading byte offset is unused for swizzled K-major layouts. Requires 1024-byte aligned 8-row groups; a
// start address advanced by 32 bytes selects the next 16-element k slice (the hardware applies the swizzle to
// the final address).
__device__ __forceinline__ uint64_t gmma_desc(uint32_t saddr) {
    uint64_t d = static_cast<uint64_t>((saddr & 0x3FFFF) >> 4);
    d |= static_cast<uint64_t>(1) << 16;         // leading byte offset (unused)
    d |= static_cast<uint64_t>(1024 >> 4) << 32; // stride byte offset: 8 rows x 128 bytes
    d |= static_cast<uint64_t>(1) << 62;         // swizzle mode: 128 bytes
    return d;
}

__device__ __forceinline__ void wgmma_fence() {
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
}
__device__ __forceinline__ void wgmma_commit() {
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
}
template <int N>
__device__ __forceinline__ void wgmma_wait() {
    asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(N) : "memory");
}
__device__ __forceinline__ void fence_proxy_async() {
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
}

// d(64x256, f32) += A(64x16, K-major in smem) * B(16x256, K-major in smem), both bf16.
__device__ __forceinline__ void wgmma_m64n256k16(float (&d)[128], uint64_t desc_a, uint64_t desc_b) {
    asm volatile(
        "{\n"
        ".reg .pred p;\n"
        "setp.ne.b32 p, %130, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n256k16.f32.bf16.bf16 "
        "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, %19, %20, "
        "%21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, %36, %37, %38, %39, %40, "
        "%41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, "
        "%61, %62, %63, %64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79, %80, "
        "%81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95, %96, %97, %98, %99, "
        "%100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111, %112, %113, %114, %115, "
        "%116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127}, "
        "%128, %129, p, 1, 1, 0, 0;\n"
        "}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),
          "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]),
          "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]),
          "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]),
          "+f"(d[29]), "+f"(d[30]), "+f"(d[31]), "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]),
          "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), "+f"(d[40]), "+f"(d[41]), "+f"(d[42]),
          "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), "+f"(d[48]), "+f"(d[49]),
          "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]), "+f"(d[56]),
          "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63]),
          "+f"(d[64]), "+f"(d[65]), "+f"(d[66]), "+f"(d[67]), "+f"(d[68]), "+f"(d[69]), "+f"(d[70]),
          "+f"(d[71]), "+f"(d[72]), "+f"(d[73]), "+f"(d[74]), "+f"(d[75]), "+f"(d[76]), "+f"(d[77]),
          "+f"(d[78]), "+f"(d[79]), "+f"(d[80]), "+f"(d[81]), "+f"(d[82]), "+f"(d[83]), "+f"(d[84]),
          "+f"(d[85]), "+f"(d[86]), "+f"(d[87]), "+f"(d[88]), "+f"(d[89]), "+f"(d[90]), "+f"(d[91]),
          "+f"(d[92]), "+f"(d[93]), "+f"(d[94]), "+f"(d[95]), "+f"(d[96]), "+f"(d[97]), "+f"(d[98]),
          "+f"(d[99]), "+f"(d[100]), "+f"(d[101]), "+f"(d[102]), "+f"(d[103]), "+f"(d[104]), "+f"(d[105]),
          "+f"(d[106]), "+f"(d[107]), "+f"(d[108]), "+f"(d[109]), "+f"(d[110]), "+f"(d[111]), "+f"(d[112]),
          "+f"(d[113]), "+f"(d[114]), "+f"(d[115]), "+f"(d[116]), "+f"(d[117]), "+f"(d[118]), "+f"(d[119]),
          "+f"(d[120]), "+f"(d[121]), "+f"(d[122]), "+f"(d[123]), "+f"(d[124]), "+f"(d[125]), "+f"(d[126]),
          "+f"(d[127])
        : "l"(desc_a), "l"(desc_b), "r"(1)
        : "memory");
}

__global__ void __launch_bounds__(256, 1)
    gemm_wgmma_kernel(const bf16* __restrict__ a, const bf16* __restrict__ b, bf16* __restrict__ c, int64_t m,
                      int64_t n, int64_t k, int tiles_m, int tiles_n) {
    constexpr int CPR = kWgBK / 8; // 8 chunks of 16 bytes per 128-byte row
    constexpr int A_CHUNKS = kWgBM * CPR / 256, B_CHUNKS = kWgBN * CPR / 256;
    constexpr int kRowStep = 256 / CPR;

    extern __shared__ __align__(1024) unsigned char smem[];
    const uint32_t smem_base = (smem_addr(smem) + 1023u) & ~1023u;

    const int tid = threadIdx.x, lane = tid & 31, wg = tid >> 7, wq = (tid >> 5) & 3;

    const int per_group = kGroupM * tiles_n;
    const int group = blockIdx.x / per_group;
    const int first_m = group * kGroupM;
    const int gsize = min(tiles_m - first_m, kGroupM);
    const int in_group = blockIdx.x - group * per_group;
    const int tm = first_m + in_group % gsize, tn = in_group / gsize;
    const int64_t row0 = static_cast<int64_t>(tm) * kWgBM, col0 = static_cast<int64_t>(tn) * kWgBN;

    const int ld_chunk = tid % CPR, ld_row = tid / CPR;
    const bf16* a_src[A_CHUNKS];
    const bf16* b_src[B_CHUNKS];
    bool a_ok[A_CHUNKS], b_ok[B_CHUNKS];
#pragma unroll
    for (int i = 0; i < A_CHUNKS; ++i) {
        const int64_t r = row0 + ld_row + i * kRowStep;
        a_ok[i] = r < m;
        a_src[i] = a + (a_ok[i] ? r * k + ld_chunk * 8 : 0);
    }
#pragma unroll
    for (int i = 0; i < B_CHUNKS; ++i) {
        const int64_t r = col0 + ld_row + i * kRowStep;
        b_ok[i] = r < n;
        b_src[i] = b + (b_ok[i] ? r * k + ld_chunk * 8 : 0);
    }
    auto load_stage = [&](int stage, int kt) {
        const uint32_t sbase = smem_base + stage * kWgStageBytes;
        const int64_t k0 = static_cast<int64_t>(kt) * kWgBK;
        const bool k_ok = k0 + ld_chunk * 8 < k; // k % 8 == 0: the chunk is entirely inside or outside
#pragma unroll
        for (int i = 0; i < A_CHUNKS; ++i) {
            const bool ok = a_ok[i] && k_ok;
            cp_async_16(sbase + swz<kWgBK>(ld_row + i * kRowStep, ld_chunk), ok ? a_src[i] + k0 : a, ok);
        }
#pragma unroll
        for (int i = 0; i < B_CHUNKS; ++i) {
            const bool ok = b_ok[i] && k_ok;
            cp_async_16(sbase + kWgStageA + swz<kWgBK>(ld_row + i * kRowStep, ld_chunk),
                        ok ? b_src[i] + k0 : b, ok);
        }
    };

    float acc[128];
#pragma unroll
    for (int i = 0; i < 128; ++i)
        acc[i] = 0.0f;

    const int ktiles = static_cast<int>((k + kWgBK - 1) / kWgBK);
    // Prefetch distance STAGES-2: the stage refilled in iteration kt held tile kt-2, whose wgmma both
    // warpgroups have retired (wgmma.wait_group 1 at the end of iteration kt-1) before the barrier of
    // iteration kt; tile kt-1 may still be in the tensor cores while tile kt is issued.
#pragma unroll
    for (int s = 0; s < kWgStages - 2; ++s) {
        if (s < ktiles)
            load_stage(s, s);
        cp_async_commit();
    }
    for (int kt = 0; kt < ktiles; ++kt) {
        // Committed groups: STAGES-2+kt; leaving STAGES-3 pending means tile kt has landed. cp.async writes
        // are generic-proxy writes: each thread fences them towards the async proxy (wgmma) before the
        // barrier.
        cp_async_wait<kWgStages - 3>();
        fence_proxy_async();
        __syncthreads();
        const int nt = kt + kWgStages - 2;
        if (nt < ktiles)
            load_stage(nt % kWgStages, nt);
        cp_async_commit();

        const uint32_t sbase = smem_base + (kt % kWgStages) * kWgStageBytes;
        const uint32_t a_tile = sbase + wg * 64 * (kWgBK * 2); // this warpgroup's 64 rows of a
        const uint32_t b_tile = sbase + kWgStageA;
        wgmma_fence();
#pragma unroll
        for (int s = 0; s < kWgBK / 16; ++s)
            wgmma_m64n256k16(acc, gmma_desc(a_tile + s * 32), gmma_desc(b_tile + s * 32));
        wgmma_commit();
        wgmma_wait<1>();
    }
    wgmma_wait<0>();

    // Accumulator layout (per warpgroup, m64nN): warp wq owns rows 16*wq..16*wq+15; for n8 slice j the thread
    // holds (row g, cols 8j+2t, +1) in acc[4j], acc[4j+1] and (row g+8, same cols) in acc[4j+2], acc[4j+3].
    const int g = lane >> 2, t = lane & 3;
    const bool pair_ok = (n % 2 == 0) && (reinterpret_cast<uintptr_t>(c) % 4 == 0);
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const int64_t r = row0 + wg * 64 + wq * 16 + h * 8 + g;
        if (r >= m)
            continue;
        bf16* crow = c + r * n;
#pragma unroll
        for (int j = 0; j < kWgBN / 8; ++j) {
            const int64_t col = col0 + j * 8 + 2 * t;
            const float v0 = acc[4 * j + 2 * h], v1 = acc[4 * j + 2 * h + 1];
            if (pair_ok) {
                if (col < n)
                    *reinterpret_cast<__nv_bfloat162*>(crow + col) = __floats2bfloat162_rn(v0, v1);
            } else {
                if (col < n)
                    crow[col] = __float2bfloat16_rn(v0);
                if (col + 1 < n)
                    crow[col + 1] = __float2bfloat16_rn(v1);
            }
        }
    }
}

// m <= 8: c = a * b^T is a matrix-vector product, bound by reading b (n*k*2 bytes). One warp per column j of
// c: it streams row j of b once (16-byte non-allocating loads, 4 in flight per lane), reads the MR rows of a
// (small, shared by all warps, so they stay in L1), and reduces with shuffles.
constexpr int kGemvWarps = 8;
constexpr int kGemvMaxM = 8;

__device__ __forceinline__ uint4 ldg_stream16(const void* p) {
    uint4 v;
    asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0, %1, %2, %3}, [%4];\n"
                 : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
                 : "l"(p));
    return v;
}

__device__ __forceinline__ float bf_lo(uint32_t w) {
    return __uint_as_float(w << 16);
}
__device__ __forceinline__ float bf_hi(uint32_t w) {
    return __uint_as_float(w & 0xffff0000u);
}

__device__ __forceinline__ float dot8(float acc, const uint4& x, const uint4& y) {
    acc = fmaf(bf_lo(x.x), bf_lo(y.x), acc);
    acc = fmaf(bf_hi(x.x), bf_hi(y.x), acc);
    acc = fmaf(bf_lo(x.y), bf_lo(y.y), acc);
    acc = fmaf(bf_hi(x.y), bf_hi(y.y), acc);
    acc = fmaf(bf_lo(x.z), bf_lo(y.z), acc);
    acc = fmaf(bf_hi(x.z), bf_hi(y.z), acc);
    acc = fmaf(bf_lo(x.w), bf_lo(y.w), acc);
    acc = fmaf(bf_hi(x.w), bf_hi(y.w), acc);
    return acc;
}

template <int MR, bool kVec>
__global__ void __launch_bounds__(kGemvWarps * 32)
    gemv_kernel(const bf16* __restrict__ a, const bf16* __restrict__ b, bf16* __restrict__ c, int64_t n,
                int64_t k) {
    const int lane = threadIdx.x & 31;
    const int64_t col = static_cast<int64_t>(blockIdx.x) * kGemvWarps + (threadIdx.x >> 5);
    if (col >= n)
        return;
    const bf16* brow = b + col * k;
    float acc[MR];
#pragma unroll
    for (int r = 0; r < MR; ++r)
        acc[r] = 0.0f;

    if constexpr (kVec) {
        // k % 8 == 0 and 16-byte aligned bases: every row is a whole number of 16-byte chunks.
        const int64_t chunks = k / 8;
        const uint4* bp = reinterpret_cast<const uint4*>(brow);
        int64_t i = lane;
        for (; i + 96 < chunks; i += 128) {
            uint4 bv[4];
#pragma unroll
            for (int u = 0; u < 4; ++u)
                bv[u] = ldg_stream16(bp + i + 32 * u);
#pragma unroll
            for (int r = 0; r < MR; ++r) {
                const uint4* ap = reinterpret_cast<const uint4*>(a + r * k);
#pragma unroll
                for (int u = 0; u < 4; ++u)
                    acc[r] = dot8(acc[r], __ldg(ap + i + 32 * u), bv[u]);
            }
        }
        for (; i < chunks; i += 32) {
            const uint4 bv = ldg_stream16(bp + i);
#pragma unroll
            for (int r = 0; r < MR; ++r)
                acc[r] = dot8(acc[r], __ldg(reinterpret_cast<const uint4*>(a + r * k) + i), bv);
        }
    } else {
        // Rows not 16-byte aligned: element loads, coalesced across the warp; unrolled for loads in flight.
#pragma unroll 4
        for (int64_t p = lane; p < k; p += 32) {
            const float bv = __bfloat162float(brow[p]);
#pragma unroll
            for (int r = 0; r < MR; ++r)
                acc[r] = fmaf(__bfloat162float(a[r * k + p]), bv, acc[r]);
        }
    }
#pragma unroll
    for (int r = 0; r < MR; ++r) {
        float v = acc[r];
#pragma unroll
        for (int off = 16; off > 0; off >>= 1)
            v += __shfl_xor_sync(0xffffffffu, v, off);
        if (lane == 0)
            c[r * n + col] = __float2bfloat16_rn(v);
    }
}

template <int MR>
void launch_gemv(const bf16* a, const bf16* b, bf16* c, int64_t n, int64_t k, bool vec, cudaStream_t stream) {
    const unsigned blocks = static_cast<unsigned>((n + kGemvWarps - 1) / kGemvWarps);
    if (vec)
        gemv_kernel<MR, true><<<blocks, kGemvWarps * 32, 0, stream>>>(a, b, c, n, k);
    else
        gemv_kernel<MR, false><<<blocks, kGemvWarps * 32, 0, stream>>>(a, b, c, n, k);
}

template <int BM, int BN, int BK, int WARPS_M, int WARPS_N, int STAGES, int kLoad, int MIN_BLOCKS>
void launch_tc(const bf16* a, const bf16* b, bf16* c, int64_t m, int64_t n, int64_t k, cudaStream_t stream) {
    constexpr int kSmem = STAGES * (BM + BN) * BK * 2;
    auto kernel = gemm_tc_kernel<BM, BN, BK, WARPS_M, WARPS_N, STAGES, kLoad, MIN_BLOCKS>;
    // Raise the dynamic shared-memory limit once per process (above 48 KB it must be opted into).
    static const bool configured = [&] {
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kSmem);
        return true;
    }();
    (void)configured;
    const int tiles_m = static_cast<int>((m + BM - 1) / BM), tiles_n = static_cast<int>((n + BN - 1) / BN);
    const unsigned blocks = static_cast<unsigned>(tiles_m) * static_cast<unsigned>(tiles_n);
    kernel<<<blocks, WARPS_M * WARPS_N * 32, kSmem, stream>>>(a, b, c, m, n, k, tiles_m, tiles_n);
}

void launch_wgmma(const bf16* a, const bf16* b, bf16* c, int64_t m, int64_t n, int64_t k,
                  cudaStream_t stream) {
    static const bool configured = [] {
        cudaFuncSetAttribute(gemm_wgmma_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, kWgSmem);
        return true;
    }();
    (void)configured;
    const int tiles_m = static_cast<int>((m + kWgBM - 1) / kWgBM);
    const int tiles_n = static_cast<int>((n + kWgBN - 1) / kWgBN);
    const unsigned blocks = static_cast<unsigned>(tiles_m) * static_cast<unsigned>(tiles_n);
    gemm_wgmma_kernel<<<blocks, 256, kWgSmem, stream>>>(a, b, c, m, n, k, tiles_m, tiles_n);
}

int sm_count() {
    static const int count = [] {
        int dev = 0, v = 0;
        cudaGetDevice(&dev);
        cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, dev);
        return v > 0 ? v : 132;
    }();
    return count;
}

int64_t tiles(int64_t m, int64_t n, int64_t bm, int64_t bn) {
    return ((m + bm - 1) / bm) * ((n + bn - 1) / bn);
}

} // namespace

extern "C" void kf_launch(const __nv_bfloat16* a, const __nv_bfloat16* b, __nv_bfloat16* c, int64_t m,
                          int64_t n, int64_t k, cudaStream_t stream) {
    // 16-byte cp.async / vector loads need every row start 16-byte aligned: k % 8 == 0 and aligned bases.
    const bool aligned = (k % 8 == 0) && (reinterpret_cast<uintptr_t>(a) % 16 == 0) &&
                         (reinterpret_cast<uintptr_t>(b) % 16 == 0);
    if (m <= kGemvMaxM) {
        switch (m) {
        case 1:
            launch_gemv<1>(a, b, c, n, k, aligned, stream);
            break;
        case 2:
            launch_gemv<2>(a, b, c, n, k, aligned, stream);
            break;
        case 3:
            launch_gemv<3>(a, b, c, n, k, aligned, stream);
            break;
        case 4:
            launch_gemv<4>(a, b, c, n, k, aligned, stream);
            break;
        case 5:
            launch_gemv<5>(a, b, c, n, k, aligned, stream);
            break;
        case 6:
            launch_gemv<6>(a, b, c, n, k, aligned, stream);
            break;
        case 7:
            launch_gemv<7>(a, b, c, n, k, aligned, stream);
            break;
        default:
            launch_gemv<8>(a, b, c, n, k, aligned, stream);
            break;
        }
        return;
    }
    // Tile choice: the largest tile whose grid still keeps (most of) the SMs busy.
    const int64_t sms = sm_count();
    if (aligned) {
        if (2 * tiles(m, n, kWgBM, kWgBN) >= sms)
            launch_wgmma(a, b, c, m, n, k, stream);
        else if (4 * tiles(m, n, 64, 128) >= 3 * sms)
            launch_tc<64, 128, 32, 2, 2, 4, kLoadAsync16, 3>(a, b, c, m, n, k, stream);
        else
            launch_tc<64, 64, 32, 2, 2, 4, kLoadAsync16, 4>(a, b, c, m, n, k, stream);
        return;
    }
    // Rows not 16-byte aligned: register-staged loads, 4-byte words when k is even, else 2-byte elements.
    const bool words = (k % 2 == 0) && (reinterpret_cast<uintptr_t>(a) % 4 == 0) &&
                       (reinterpret_cast<uintptr_t>(b) % 4 == 0);
    const bool big = 2 * tiles(m, n, 128, 256) >= sms;
    if (words) {
        if (big)
            launch_tc<128, 256, 32, 2, 4, 2, kLoadWords, 1>(a, b, c, m, n, k, stream);
        else
            launch_tc<64, 64, 32, 2, 2, 2, kLoadWords, 4>(a, b, c, m, n, k, stream);
    } else {
        if (big)
            launch_tc<128, 256, 32, 2, 4, 2, kLoadHalves, 1>(a, b, c, m, n, k, stream);
        else
            launch_tc<64, 64, 32, 2, 2, 2, kLoadHalves, 4>(a, b, c, m, n, k, stream);
    }
}
