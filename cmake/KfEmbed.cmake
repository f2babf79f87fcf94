# kf_embed_text(<out.cpp> <namespace> <function> <file>): compiles a text file into
# `std::string_view <namespace>::<function>()`, so executables need no resource directory at run time.
# The file must not contain the raw-string delimiter `)kf_embed"`.
function(kf_embed_text out_cpp ns func file)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
    file(READ ${file} KF_EMBED_TEXT)
    file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR} ${file})
    set(KF_EMBED_NAMESPACE ${ns})
    set(KF_EMBED_FUNCTION ${func})
    set(KF_EMBED_SOURCE ${rel})
    configure_file(${PROJECT_SOURCE_DIR}/cmake/embedded_text.cpp.in ${out_cpp} @ONLY)
endfunction()
