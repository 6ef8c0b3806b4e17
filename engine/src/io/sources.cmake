# engine/src/io: weight files (safetensors), state dicts, the pickle guard, diffusers folders in
# and out, and `inspect`.
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/safetensors_format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/safetensors.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pickle_guard.cpp
  ${CMAKE_CURRENT_LIST_DIR}/state_dict.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inspect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/diffusers_folder.cpp
)
