# embed.cmake - turn a text file into a C source defining `const char NAME[]` (NUL-terminated).
# Usage: cmake -DIN=file -DOUT=file.c -DNAME=symbol -P embed.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN}; do not edit. */\nextern const char ${NAME}[];\nconst char ${NAME}[] = {${hex}0x00};\n")
