#!/bin/sh
# The HTML form of the reports (docs/ACCOUNTING.md 6.11), end to end on a small ledger built
# with the real CLI: the ketua K (pengurus, member 1) and the kasir C found the koperasi "KSP
# <Uji> & "HTML"" (a name that needs escaping) with parameters in force from 2026-01-01; members
# 7 (phone H) and 8 are admitted and save; member 7 borrows Rp2.000.000 (applied on H, approved
# by K, disbursed by C, countersigned on H) and never repays, so on 30-06-2026 the loan is
# kurang lancar; a withdrawal waits for member 7's countersignature (and, 121 days old on the
# as-of date, is a finding: report all exits 1).
#
# Covered: --html FILE on statement, report neraca, loans and all: the file is one standalone
# page (doctype, lang, inline style with A4 print rules, no scripts or external resources, a
# balanced element tree, escaped text), the digests in it equal the --json digests, the
# collectibility chart has one bar and one PPAPWD mark per class, --lang en, --json with
# --html, a missing --html value (exit 2), and a path that cannot be written (exit 3, the path
# named, no temporary file left).
#
# Run: SAKSI=build/saksi sh tests/cli/test_html.sh   (TAP-style "ok N - ..." lines)
TEST_NAME=html
. "$(dirname "$0")/lib.sh"

rc_is() { [ "$rc" -eq "$1" ]; }
err_has() { grep -q -- "$1" "$T/err"; }
out_has() { grep -q -- "$1" "$T/out"; }
# py EXPR: EXPR evaluated over the JSON document on stdout (as d), printed.
py() {
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
        "$T/out" "$1"
}
sync() {
    _from=$1
    shift
    s "$_from" export "$T/$_from.saksi" >/dev/null 2>&1 || die "export $_from"
    for _to in "$@"; do
        s "$_to" import "$T/$_from.saksi" >/dev/null 2>&1 || die "import $_from into $_to"
    done
}
recorded_id() { sed -n 's/^Dicatat. ID entri: \([0-9a-f]*\)$/\1/p' "$T/out"; }
# page_ok FILE LANG [DIGEST...]: FILE is one standalone page in LANG: the doctype first, the
# lang attribute, an inline style with the print rules, nothing that runs or loads, every
# element closed in order, and each DIGEST in the footer.
page_ok() {
    python3 - "$@" <<'EOF'
import sys
from html.parser import HTMLParser
path, lang, digests = sys.argv[1], sys.argv[2], sys.argv[3:]
s = open(path, encoding="utf-8").read()
assert s.startswith('<!doctype html>\n<html lang="%s">' % lang), s[:60]
for bad in ("<script", "http://", "https://", "url(", "@import", "@font-face", " src=", " href="):
    assert bad not in s, bad
for good in ("<style>", "@page { size: A4;", "@media print", "tabular-nums"):
    assert good in s, good
VOID = {"meta", "br", "hr", "img", "col", "wbr", "link", "input"}
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []
    def handle_starttag(self, tag, attrs):
        assert not any(a.startswith("on") for a, _ in attrs), attrs
        if tag not in VOID:
            self.stack.append(tag)
    def handle_startendtag(self, tag, attrs):
        pass
    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
        self.stack.pop()
p = P()
p.feed(s)
p.close()
assert p.stack == [], p.stack
footer = s[s.index('<footer class="page">'):]
for d in digests:
    assert d in footer, d
EOF
}
has() { grep -q -- "$2" "$T/$1"; }
cnt() { grep -o -- "$2" "$T/$1" | wc -l; }

# ---- setup ----
for d in K C H; do
    s $d key new >/dev/null 2>&1 || die "key new $d"
done
cat >"$T/koperasi.txt" <<EOF
name = KSP <Uji> & "HTML"
registration = 518/BH/HTML/2026
founder = 1 pengurus ketua $(card K)
founder = 2 kasir $(card C)
EOF
"$SAKSI" params template |
    sed 's/^adopted = .*/adopted = 2026-01-01/; s/^effective = .*/effective = 2026-01-01/' \
        >"$T/params.txt" || die "params template"
s K init koperasi.txt --params params.txt >/dev/null 2>&1 || die "init"
s K member add --number 7 --role anggota "$(card H)" >/dev/null 2>&1 || die "member add H"
s K member admit 7 --date 2026-01-06 >/dev/null 2>&1 || die "admit 7"
s K member admit 8 --date 2026-01-06 >/dev/null 2>&1 || die "admit 8"
sync K C H
s C deposit --member 7 --product SS 500.000 --date 2026-01-07 >/dev/null 2>&1 || die "deposit 7"
s C deposit --member 8 --product SS 5.000.000 --date 2026-01-07 >/dev/null 2>&1 || die "deposit 8"
sync C K H
run --data "$T/H" loan apply --product PU --principal 2.000.000 --periods 6 --date 2026-02-02
LOAN=$(recorded_id)
[ -n "$LOAN" ] || die "loan apply"
sync H K C
s K loan approve "$LOAN" >/dev/null 2>&1 || die "loan approve"
sync K C H
run --data "$T/C" loan disburse "$LOAN" --date 2026-02-03
DISB=$(recorded_id)
[ -n "$DISB" ] || die "loan disburse"
sync C H K
s H approve "$DISB" >/dev/null 2>&1 || die "countersign the disbursement"
sync H K C
s C withdraw --member 7 --product SS 100.000 --date 2026-03-01 >/dev/null 2>&1 || die "withdraw"
sync C K
Y="--year 2026 --as-of 2026-06-30"

# ================= statement =================
# shellcheck disable=SC2086
run --data "$T/K" statement --member 7 $Y --html st.html
check "statement --html: exit 0, one line naming the file, nothing else on stdout" \
    eval 'rc_is 0 && [ "$(cat "$T/out")" = "Laporan HTML ditulis ke st.html" ] && [ ! -s "$T/err" ]'
check "  ... the file is mode 0644 (before the umask) and the only new file" \
    eval '[ "$(stat -c %a "$T/st.html")" = "$(printf "%o" $((0644 & ~$(umask))))" ] &&
          [ -z "$(find "$T" -maxdepth 1 -name "*.tmp.*")" ]'
# shellcheck disable=SC2086
run --data "$T/K" statement --member 7 $Y --json
SDIG=$(py 'd["digest"]')
SFPR=$(py 'd["fingerprint"]')
check "statement page: standalone, balanced, id, its --json digest and fingerprint in the footer" \
    page_ok "$T/st.html" id "$SDIG" "$SFPR"
check "  ... the koperasi's name escaped, dates long in the heading and DD-MM-YYYY in tables" \
    eval 'has st.html "<h1 class=\"org\">KSP &lt;Uji&gt; &amp; &quot;HTML&quot;</h1>" &&
          ! has st.html "<Uji>" && has st.html "per 30 Juni 2026" && has st.html "<td>07-01-2026</td>"'
check "  ... savings and the loan in rupiah: SS Rp500.000, loan outstanding Rp2.000.000" \
    eval 'has st.html "<td class=\"num\">Rp500.000</td></tr>" && has st.html "Rp2.000.000" &&
          has st.html "<h2>Laporan simpanan anggota 7</h2>" && has st.html "Menunggu"'

# ================= report neraca =================
# shellcheck disable=SC2086
run --data "$T/K" report neraca $Y --json
NDIG=$(py 'd["digest"]')
# shellcheck disable=SC2086
run --data "$T/K" report neraca $Y --html neraca.html
check "report neraca --html: exit 0, the file named" \
    eval 'rc_is 0 && out_has "^Laporan HTML ditulis ke neraca.html$"'
check "neraca page: standalone, balanced, its --json digest in the footer" \
    page_ok "$T/neraca.html" id "$NDIG"
# Kas: pokok 2 x 100.000 + SS 500.000 + 5.000.000 - loan net 1.960.000 = 3.740.000.
check "  ... Kas Rp3.740.000, total assets Rp5.740.000, balanced, no chart" \
    eval 'has neraca.html "<td>Kas</td><td class=\"num\">Rp3.740.000</td>" &&
          has neraca.html "<td>Jumlah aset</td><td class=\"num\">Rp5.740.000</td>" &&
          has neraca.html "Seimbang: <span class=\"num\">ya" && ! has neraca.html "<svg"'

# ================= report loans =================
# shellcheck disable=SC2086
run --data "$T/K" report loans $Y --json
LDIG=$(py 'd["digest"]')
# shellcheck disable=SC2086
run --data "$T/K" report loans $Y --html loans.html
check "report loans --html: exit 0; standalone, balanced, its digest in the footer" \
    eval 'rc_is 0 && page_ok "$T/loans.html" id "$LDIG"'
check "  ... the chart: one bar and one PPAPWD mark per collectibility class (4)" \
    eval '[ "$(cnt loans.html "<rect class=\"bar\"")" -eq 4 ] &&
          [ "$(cnt loans.html "<rect class=\"mark\"")" -eq 4 ] &&
          has loans.html "Rp2.000.000 (PPAPWD Rp200.000)"'
check "  ... the loan kurang lancar, 119 days past due, ratio 100% (tidak sehat)" \
    eval 'has loans.html "<td class=\"num\">119</td><td>kurang lancar</td>" &&
          has loans.html "100% (tidak sehat)"'

# ================= report all =================
# shellcheck disable=SC2086
run --data "$T/K" report all $Y --json
ALLD=$(py '" ".join(r["digest"] for r in d["reports"])')
# shellcheck disable=SC2086
run --data "$T/K" report all $Y --html all.html
# shellcheck disable=SC2086
check "report all --html: exit 1 (findings listed); one page, seven reports, their --json digests" \
    eval 'rc_is 1 && page_ok "$T/all.html" id $ALLD &&
          [ "$(cnt all.html "<section class=\"report\"")" -eq 7 ] &&
          [ "$(cnt all.html "<rect class=\"bar\"")" -eq 4 ]'
check "  ... the withdrawal waiting for member 7 and its finding, the neraca as in its own file" \
    eval 'has all.html "tanda tangan anggota 7" && has all.html "<td class=\"mono\">waiting-aged</td>" &&
          has all.html "<td>Kas</td><td class=\"num\">Rp3.740.000</td>"'

# ================= --lang en =================
# shellcheck disable=SC2086
run --data "$T/K" report all $Y --html all-en.html --lang en
# shellcheck disable=SC2086
check "report all --html --lang en: lang=\"en\", English labels and dates, the same digests" \
    eval 'rc_is 1 && out_has "^HTML report written to all-en.html$" && page_ok "$T/all-en.html" en $ALLD &&
          has all-en.html "<h2>Balance sheet (financial position)</h2>" && has all-en.html "as of 30 June 2026" &&
          has all-en.html "Total assets" && has all-en.html "substandard"'

# ================= --json and --html together =================
# shellcheck disable=SC2086
run --data "$T/K" report neraca $Y --json --html both.html
check "--json --html: the JSON alone on stdout, the file named on stderr, the same digest" \
    eval 'rc_is 0 && [ "$(py "d[\"digest\"]")" = "$NDIG" ] && err_has "^Laporan HTML ditulis ke both.html$" &&
          page_ok "$T/both.html" id "$NDIG"'

# ================= errors =================
run --data "$T/K" report neraca --html
check "--html without a file: exit 2, the option named" eval 'rc_is 2 && err_has "html"'
# shellcheck disable=SC2086
run --data "$T/K" report neraca $Y --html "$T/nope/x.html"
check "--html into a directory that does not exist: exit 3, the path named, nothing created" \
    eval 'rc_is 3 && err_has "^saksi: error: cannot write .$T/nope/x.html.: " && [ ! -s "$T/out" ] &&
          [ ! -e "$T/nope" ]'
mkdir "$T/adir"
# shellcheck disable=SC2086
run --data "$T/K" statement --member 7 $Y --html "$T/adir"
check "--html onto a directory: exit 3, the path named, no temporary file left" \
    eval 'rc_is 3 && err_has "cannot write .$T/adir.: " && [ -z "$(find "$T" -name "*.tmp.*")" ] &&
          [ -z "$(ls -A "$T/adir")" ]'

echo "# $n tests, $nfail failed"
[ "$nfail" -eq 0 ]
