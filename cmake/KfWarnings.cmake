# Project-wide warning and sanitizer flags, applied per target through kf_target_defaults().
# C++ flags go to C++ sources only; CUDA sources get nvcc's own switches (host code warnings through -Xcompiler).
function(kf_target_defaults target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
                                  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual>
        $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
    if(KF_WARNINGS_AS_ERRORS)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Werror>
                                                 $<$<COMPILE_LANGUAGE:CUDA>:-Werror=all-warnings>)
    endif()
    if(KF_SANITIZE)
        target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=address,undefined
                                                                           -fno-omit-frame-pointer>)
        target_link_options(${target} PRIVATE -fsanitize=address,undefined)
    endif()
endfunction()
