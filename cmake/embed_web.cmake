# embed_web.cmake - every file under DIR (the web UI) into one C source: a sorted table of
# {URL path, content type, bytes, length, ETag} that src/server/static.c serves.
# Usage: cmake -DDIR=web -DOUT=web_files.c -P embed_web.cmake
# The ETag is the start of the file's SHA-256, so a rebuilt binary with a changed file gives
# browsers a new tag. A file whose type is unknown stops the build: it would be served wrong.
file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE ${DIR} ${DIR}/*)
list(FILTER files EXCLUDE REGEX "(^|/)\\.|~$")
list(SORT files)
# Extension, type pairs (a CMake list: no ';' inside an element); text types get a charset.
set(types html text/html css text/css js text/javascript mjs text/javascript json application/json
          svg image/svg+xml png image/png ico image/x-icon txt text/plain)
set(data "")
set(table "")
set(i 0)
foreach(f ${files})
  get_filename_component(ext ${f} LAST_EXT)
  string(SUBSTRING "${ext}" 1 -1 ext)
  string(TOLOWER "${ext}" ext)
  list(FIND types ${ext} at)
  if(at LESS 0 OR f MATCHES "[\"\\\\]")
    message(FATAL_ERROR "embed_web.cmake: ${DIR}/${f}: no content type for '.${ext}' (or a bad name)")
  endif()
  math(EXPR at "${at} + 1")
  list(GET types ${at} type)
  if(type MATCHES "^text/")
    string(APPEND type "; charset=utf-8")
  endif()
  file(READ ${DIR}/${f} hex HEX)
  file(SHA256 ${DIR}/${f} sum)
  string(LENGTH "${hex}" n)
  math(EXPR len "${n} / 2")
  string(SUBSTRING ${sum} 0 16 tag)
  # 32 bytes a line keeps the generated file readable in a diff and an editor.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n    " hex "${hex}")
  string(APPEND data "/* ${f} */\nstatic const unsigned char file${i}[] = {\n    ${hex}0x00};\n\n")
  string(APPEND table "    {\"/${f}\", \"${type}\", file${i}, ${len}, \"\\\"${tag}\\\"\"},\n")
  math(EXPR i "${i} + 1")
endforeach()
if(i EQUAL 0)
  message(FATAL_ERROR "embed_web.cmake: no files under ${DIR}")
endif()
file(WRITE ${OUT}.tmp "/* Generated from ${DIR} by cmake/embed_web.cmake; do not edit. */\n"
     "#include \"static.h\"\n\n${data}const struct ac_web_file ac__web_files[] = {\n${table}};\n"
     "const size_t ac__web_nfiles = ${i};\n")
file(RENAME ${OUT}.tmp ${OUT})
