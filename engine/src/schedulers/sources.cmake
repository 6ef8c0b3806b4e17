# engine/src/schedulers: noise schedules, scheduler configs and the samplers (one per file).
target_sources(tessera_engine PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/scheduler_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/noise_schedule.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ddim_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/ddpm_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/pndm_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/euler_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/euler_ancestral_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dpmpp_2m_scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unipc_scheduler.cpp
)
