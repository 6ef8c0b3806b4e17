# Text: the CLIP tokenizer (torch-free; ICU for Unicode properties, NFC and lower-casing) and the
# CLIP text encoder, which lives with the other models in ../models/ but belongs to this area.
find_package(ICU REQUIRED COMPONENTS uc i18n)

target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/clip_tokenizer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/clip_bpe_trainer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../models/clip_text_model.cpp
)
target_link_libraries(tessera_engine PRIVATE ICU::uc ICU::i18n)
