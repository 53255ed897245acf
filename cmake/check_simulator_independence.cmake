# The cycle-level simulator is the ground truth the estimator is checked against, so it must not
# share the estimator's or the NPU engines' cost code (issue 22). This check runs at the end of the
# configure step (after every target_link_libraries call) and fails it if:
#  - any of the given targets links, directly or through other targets, a library that holds cost
#    code (h4h_estimate, h4h_engines, h4h_map, h4h_lower, h4h_blocksim, or anything linking them);
#  - any source or header under sim/systemc/ includes a header from sim/estimate, sim/engines,
#    sim/map, sim/lower or sim/blocksim.
set(H4H_COST_CODE_TARGETS h4h_estimate h4h_engines h4h_engines_all h4h_map h4h_lower h4h_blocksim)
set(H4H_COST_CODE_DIRS sim/estimate sim/engines sim/map sim/lower sim/blocksim)

# Every h4h_* target `target` links, transitively (generator expressions are read for the names
# they contain).
function(_h4h_linked_targets target out)
  set(seen "")
  set(todo ${target})
  while(todo)
    list(POP_FRONT todo t)
    if(t IN_LIST seen OR NOT TARGET ${t})
      continue()
    endif()
    list(APPEND seen ${t})
    get_target_property(type ${t} TYPE)
    set(libs "")
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(direct ${t} LINK_LIBRARIES)
      if(direct)
        list(APPEND libs ${direct})
      endif()
    endif()
    get_target_property(iface ${t} INTERFACE_LINK_LIBRARIES)
    if(iface)
      list(APPEND libs ${iface})
    endif()
    foreach(entry ${libs})
      string(REGEX MATCHALL "h4h_[A-Za-z0-9_]+" names "${entry}")
      list(APPEND todo ${names})
    endforeach()
  endwhile()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

function(_h4h_check_simulator_independence_now)
  foreach(target ${ARGN})
    _h4h_linked_targets(${target} linked)
    foreach(cost ${H4H_COST_CODE_TARGETS})
      if(cost IN_LIST linked)
        message(FATAL_ERROR "simulator independence: ${target} links ${cost} (cost code); the cycle-level "
                            "simulator may link only h4h_core, its own parts and SystemC")
      endif()
    endforeach()
  endforeach()
  file(GLOB_RECURSE sim_files ${PROJECT_SOURCE_DIR}/sim/systemc/*.h ${PROJECT_SOURCE_DIR}/sim/systemc/*.cpp)
  foreach(f ${sim_files})
    file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line ${includes})
      foreach(dir ${H4H_COST_CODE_DIRS})
        if(line MATCHES "[\"<]${dir}/")
          message(FATAL_ERROR "simulator independence: ${f} includes cost code (${line})")
        endif()
      endforeach()
    endforeach()
  endforeach()
endfunction()

# Schedules the check for the end of the configure step.
function(h4h_check_simulator_independence)
  cmake_language(EVAL CODE "cmake_language(DEFER DIRECTORY [[${PROJECT_SOURCE_DIR}]] CALL _h4h_check_simulator_independence_now ${ARGN})")
endfunction()
