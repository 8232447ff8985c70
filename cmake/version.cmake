# SPDX-License-Identifier: GPL-2.0-only OR MIT
# Writes gvb_version.h with `git describe` at build time, touching it only
# when the text changes, so results always name the exact tree they came from.
execute_process(COMMAND git describe --always --dirty --tags
	WORKING_DIRECTORY ${SRC} OUTPUT_VARIABLE desc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT desc)
	set(desc "unknown")
endif()
set(text "#define GVB_GIT_DESCRIBE \"${desc}\"\n")
if(EXISTS ${OUT})
	file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
	file(WRITE ${OUT} "${text}")
endif()
