# csv-fields.awk - count the fields of each record of an RFC 4180 file (CRLF records, quoted
# fields may hold commas, quotes doubled and line breaks): prints "csv: N records of F fields"
# for each field count seen. Run with: awk -f csv-fields.awk FILE
BEGIN { RS = "\r\n" }
{
    s = (pending != "" ? pending "\r\n" : "") $0
    q = 0; n = 1
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\"") q = !q
        else if (c == "," && !q) n++
    }
    if (q) { pending = s; next }   # a quoted field runs on past this CRLF
    pending = ""
    count[n]++
}
END {
    for (k in count) printf "csv: %d records of %d fields\n", count[k], k
    if (pending != "") print "csv: an unterminated quoted field"
}
