# engine/src/demo: the demo project (tessera demo): synthetic shapes, their judge, and the
# end-to-end run over the other areas.
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/shapes_dataset.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_project.cpp
)
