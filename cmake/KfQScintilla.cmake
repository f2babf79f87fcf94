# QScintilla for Qt 6 ships no CMake config on Debian (libqscintilla2-qt6-dev): find the header and the library
# and wrap them in an imported target.
find_path(KF_QSCINTILLA_INCLUDE_DIR Qsci/qsciscintilla.h
          PATHS /usr/include/x86_64-linux-gnu/qt6 /usr/include/qt6 ${Qt6_DIR}/../../../../include/qt6)
find_library(KF_QSCINTILLA_LIBRARY NAMES qscintilla2_qt6)
if(NOT KF_QSCINTILLA_INCLUDE_DIR OR NOT KF_QSCINTILLA_LIBRARY)
    message(FATAL_ERROR "QScintilla for Qt 6 not found (Debian: libqscintilla2-qt6-dev; ./packaging/install-deps.sh)")
endif()
add_library(QScintilla::QScintilla UNKNOWN IMPORTED)
set_target_properties(QScintilla::QScintilla PROPERTIES
    IMPORTED_LOCATION "${KF_QSCINTILLA_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${KF_QSCINTILLA_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "Qt6::Widgets;Qt6::PrintSupport")
find_package(Qt6 REQUIRED COMPONENTS PrintSupport)
message(STATUS "QScintilla: ${KF_QSCINTILLA_LIBRARY}")
