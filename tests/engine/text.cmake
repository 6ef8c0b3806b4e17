# Text suites: the CLIP tokenizer (torch-free) and the CLIP text encoder (golden tensors).
tessera_add_test(tst_clip_tokenizer SOURCES tst_clip_tokenizer.cpp LABELS unit LIBS tessera_engine_internal)
tessera_add_test(tst_clip_text_model SOURCES tst_clip_text_model.cpp LABELS unit TORCH)
