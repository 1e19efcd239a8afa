# md-tables.awk - check the tables of a Markdown file: every row of a table has as many cell
# separators (unescaped '|') as the table's first row, and the second row is the delimiter row
# (|---|, |--:|, ...). Prints "md: T tables, R table lines, B with a wrong number of cells,
# D tables without a delimiter row".
/^\|/ {
    line = $0
    gsub(/\\\|/, "", line)
    n = gsub(/\|/, "", line)
    if (!intable) {
        want = n; intable = 1; tables++; row = 0
    } else if (n != want) {
        bad++
    }
    row++
    if (row == 2 && $0 !~ /^\|( *:?-+:? *\|)+ *$/)
        nodelim++
    rows++
    next
}
{ intable = 0 }
END { printf "md: %d tables, %d table lines, %d with a wrong number of cells, %d tables without a delimiter row\n", tables, rows, bad + 0, nodelim + 0 }
