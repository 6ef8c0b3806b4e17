find_package(PNG REQUIRED)
find_package(JPEG REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(TESSERA_WEBP REQUIRED IMPORTED_TARGET GLOBAL libwebp)
target_sources(tessera_engine PRIVATE
  src/image/png_io.cpp
  src/image/image_decode.cpp
  src/image/image_decode_jpeg.cpp
  src/image/image_decode_webp.cpp
  src/image/resize.cpp
)
target_link_libraries(tessera_engine PRIVATE PNG::PNG JPEG::JPEG PkgConfig::TESSERA_WEBP)
