find_package(PNG REQUIRED)
target_sources(tessera_engine PRIVATE
  src/image/png_io.cpp
)
target_link_libraries(tessera_engine PRIVATE PNG::PNG)
