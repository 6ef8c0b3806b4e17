# engine/src/catalog: the curation catalog (SQLite), import, filters, statistics; torch-free.
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_db.cpp
  ${CMAKE_CURRENT_LIST_DIR}/catalog.cpp
  ${CMAKE_CURRENT_LIST_DIR}/fingerprint.cpp
  ${CMAKE_CURRENT_LIST_DIR}/manifest.cpp
  ${CMAKE_CURRENT_LIST_DIR}/importer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/filters.cpp
  ${CMAKE_CURRENT_LIST_DIR}/stats.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dataset_facade.cpp
  ${CMAKE_CURRENT_LIST_DIR}/shard_export.cpp
)
target_link_libraries(tessera_engine PRIVATE SQLite::SQLite3 OpenSSL::Crypto)
