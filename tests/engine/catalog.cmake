# engine/src/catalog + engine/src/image decoding: import, the SQLite catalog, filters, stats,
# and the `tessera dataset` command. Torch-free sources: linked against the engine without the
# precompiled torch header.
tessera_add_test(tst_image_decode SOURCES tst_image_decode.cpp catalog_test_images.h LABELS unit
                 LIBS tessera_engine_internal PkgConfig::TESSERA_WEBP)
tessera_add_test(tst_catalog SOURCES tst_catalog.cpp LABELS unit LIBS tessera_engine_internal)
tessera_add_test(tst_dataset_import SOURCES tst_dataset_import.cpp catalog_test_images.h LABELS unit
                 LIBS tessera_engine_internal PkgConfig::TESSERA_WEBP)
add_dependencies(tst_dataset_import tessera)
