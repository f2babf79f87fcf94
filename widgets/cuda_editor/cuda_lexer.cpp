// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/cuda_lexer.h"

#include <Qsci/qsciscintilla.h>

namespace kf::widgets {
namespace {

constexpr int kInactive = 64; // QsciLexerCPP's offset of a style inside an inactive #if branch

} // namespace

CudaLexer::CudaLexer(QObject* parent)
    : QsciLexerCPP(parent) {
    setFoldComments(true);
    setFoldCompact(false);
}

const char* CudaLexer::qualifiers() {
    return "__global__ __device__ __host__ __shared__ __constant__ __managed__ __restrict__ "
           "__launch_bounds__ "
           "__forceinline__ __noinline__ __grid_constant__ __align__ __cluster_dims__ __inline__";
}

const char* CudaLexer::types() {
    return "dim3 uint3 __half __half2 half half2 __nv_bfloat16 __nv_bfloat162 nv_bfloat16 nv_bfloat162 "
           "__nv_fp8_e4m3 __nv_fp8_e5m2 char2 char4 uchar2 uchar4 short2 short4 ushort2 ushort4 int2 int3 "
           "int4 "
           "uint2 uint4 long2 longlong2 ulonglong2 float2 float3 float4 double2 double3 double4 cudaStream_t "
           "cudaEvent_t cudaError_t cudaDeviceProp cudaGraph_t cudaGraphExec_t cudaTextureObject_t "
           "cudaFuncAttributes cublasHandle_t cublasLtHandle_t int8_t int16_t int32_t int64_t uint8_t "
           "uint16_t "
           "uint32_t uint64_t size_t ptrdiff_t";
}

const char* CudaLexer::builtinVariables() {
    return "threadIdx blockIdx blockDim gridDim warpSize";
}

const char* CudaLexer::intrinsics() {
    return "__syncthreads __syncthreads_count __syncthreads_and __syncthreads_or __syncwarp __threadfence "
           "__threadfence_block __threadfence_system __shfl_sync __shfl_up_sync __shfl_down_sync "
           "__shfl_xor_sync "
           "__ballot_sync __all_sync __any_sync __match_any_sync __activemask __reduce_add_sync "
           "__reduce_max_sync "
           "__popc __popcll __clz __clzll __ffs __brev __byte_perm __funnelshift_l __funnelshift_r __ldg "
           "__ldcg "
           "__ldca __ldcs __ldlu __ldcv __stwb __stcg __stcs __stwt __expf __exp10f __logf __log2f __log10f "
           "__powf __sinf __cosf __tanf __sincosf __fdividef __saturatef __frcp_rn __frsqrt_rn __fsqrt_rn "
           "__fmaf_rn __fmul_rn __fadd_rn __fdiv_rn __float2int_rn __float2half __float2half_rn __half2float "
           "__floats2half2_rn __float2bfloat16 __float2bfloat16_rn __bfloat162float __floats2bfloat162_rn "
           "__hadd __hsub __hmul __hfma __hmax __hmin __hadd2 __hmul2 __hfma2 __low2float __high2float "
           "rsqrtf __nanosleep clock clock64 __prefetch_global_l2 __cvta_generic_to_shared "
           "atomicAdd atomicSub atomicExch atomicMin atomicMax atomicInc atomicDec atomicCAS atomicAnd "
           "atomicOr "
           "atomicXor atomicAdd_block atomicAdd_system __pipeline_memcpy_async __pipeline_commit "
           "__pipeline_wait_prior cudaMalloc cudaMallocAsync cudaFree cudaFreeAsync cudaMemcpy "
           "cudaMemcpyAsync "
           "cudaMemset cudaMemsetAsync cudaGetLastError cudaPeekAtLastError cudaGetErrorString "
           "cudaStreamSynchronize cudaDeviceSynchronize cudaFuncSetAttribute cudaLaunchKernel "
           "cudaOccupancyMaxActiveBlocksPerMultiprocessor";
}

const char* CudaLexer::keywords(int set) const {
    switch (set) {
    case 2:
        return qualifiers();
    case 4:
        return types();
    default:
        return QsciLexerCPP::keywords(set);
    }
}

QString CudaLexer::description(int style) const {
    switch (style) {
    case Qualifier:
        return tr("CUDA qualifier");
    case CudaType:
        return tr("CUDA type");
    case BuiltinVariable:
        return tr("CUDA built-in variable");
    case Intrinsic:
        return tr("CUDA intrinsic");
    case BuiltinVariable + kInactive:
        return tr("Inactive CUDA built-in variable");
    case Intrinsic + kInactive:
        return tr("Inactive CUDA intrinsic");
    default:
        return QsciLexerCPP::description(style);
    }
}

QColor CudaLexer::defaultColor(int style) const {
    switch (style) {
    case Qualifier:
        return QColor(0xaf, 0x00, 0xdb);
    case CudaType:
        return QColor(0x26, 0x7f, 0x99);
    case BuiltinVariable:
        return QColor(0xc0, 0x50, 0x00);
    case Intrinsic:
        return QColor(0x00, 0x6a, 0xb1);
    case BuiltinVariable + kInactive:
    case Intrinsic + kInactive:
        return QsciLexerCPP::defaultColor(InactiveIdentifier);
    default:
        return QsciLexerCPP::defaultColor(style);
    }
}

QFont CudaLexer::defaultFont(int style) const {
    QFont f = QsciLexerCPP::defaultFont(style == BuiltinVariable || style == Intrinsic ? Identifier : style);
    if (style == Qualifier)
        f.setBold(true);
    return f;
}

bool CudaLexer::installIdentifierStyles(QsciScintilla* editor) {
    const long start = editor->SendScintilla(QsciScintillaBase::SCI_ALLOCATESUBSTYLES,
                                             static_cast<unsigned long>(Identifier), 2L);
    if (start != BuiltinVariable)
        return false;
    editor->SendScintilla(QsciScintillaBase::SCI_SETIDENTIFIERS, static_cast<uintptr_t>(BuiltinVariable),
                          builtinVariables());
    editor->SendScintilla(QsciScintillaBase::SCI_SETIDENTIFIERS, static_cast<uintptr_t>(Intrinsic),
                          intrinsics());
    return true;
}

} // namespace kf::widgets
