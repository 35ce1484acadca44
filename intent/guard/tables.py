"""The option tables: for each read-only utility, the options known to only read.

A read-only utility is `safe` only when every option it is given is in its table; see
`options.py` for the notation (getopt's: `x:` takes an argument, `long=` takes one).
"""

from __future__ import annotations

from intent.guard.options import Spec

# fmt: off

TABLES: dict[str, Spec] = {
    "ls": Spec(
        "aAbBcCdDfFgGhHiI:klLmnNopqQrRsStT:uUvw:xXZ1",
        "all almost-all author escape block-size= ignore-backups color= colour= directory "
        "dired classify file-type format= full-time group-directories-first no-group "
        "human-readable si dereference-command-line dereference-command-line-symlink-to-dir "
        "hide= hyperlink= indicator-style= inode ignore= kibibytes dereference "
        "numeric-uid-gid literal hide-control-chars show-control-chars quote-name "
        "quoting-style= reverse recursive size sort= time= time-style= tabsize= width= "
        "context zero",
    ),
    "cat": Spec("AbeEnstTuv", "show-all number-nonblank number squeeze-blank show-ends "
                "show-tabs show-nonprinting"),
    "tac": Spec("brs:", "before regex separator="),
    "head": Spec("c:n:qvz#", "bytes= lines= quiet silent verbose zero-terminated"),
    "tail": Spec("c:fFn:qs:vz#", "bytes= follow= follow lines= max-unchanged-stats= pid= "
                 "quiet retry silent sleep-interval= verbose zero-terminated"),
    "wc": Spec("clmwL", "bytes chars lines files0-from= max-line-length words total="),
    "grep": Spec(
        "EFGPe:f:iyvwxcm:lLoqsbHnhTZzA:B:C:aDd:rRUI#",
        "extended-regexp fixed-strings basic-regexp perl-regexp regexp= file= ignore-case "
        "no-ignore-case invert-match word-regexp line-regexp null-data no-messages count "
        "color= colour= color colour files-without-match files-with-matches max-count= "
        "only-matching quiet silent byte-offset with-filename no-filename label= "
        "line-number initial-tab null after-context= before-context= context= text "
        "binary-files= devices= directories= exclude= exclude-from= exclude-dir= include= "
        "recursive dereference-recursive line-buffered binary",
    ),
    "cut": Spec("b:c:d:f:nsz", "bytes= characters= delimiter= fields= complement "
                "only-delimited output-delimiter= zero-terminated"),
    "tr": Spec("cCdst", "complement delete squeeze-repeats truncate-set1"),
    "sort": Spec(
        "bdfgiMhnRrVck:mS:t:T:suz",
        "ignore-leading-blanks dictionary-order ignore-case general-numeric-sort "
        "ignore-nonprinting month-sort human-numeric-sort numeric-sort random-sort "
        "random-source= reverse sort= version-sort batch-size= check= check key= merge "
        "buffer-size= field-separator= temporary-directory= parallel= stable unique "
        "zero-terminated debug files0-from=",
    ),
    "uniq": Spec("cdDf:is:uw:z", "count repeated all-repeated= all-repeated skip-fields= "
                 "group= group ignore-case skip-chars= unique check-chars= zero-terminated"),
    "du": Spec("0abB:cd:DhHklLmPst:SxX:", "null all apparent-size block-size= bytes total "
               "max-depth= dereference-args human-readable inodes dereference count-links "
               "no-dereference summarize separate-dirs si threshold= time time= "
               "time-style= one-file-system exclude-from= exclude= files0-from="),
    "df": Spec("aB:hHiklPt:Tx:", "all block-size= human-readable si inodes local "
               "output= output portability sync no-sync total type= print-type exclude-type="),
    "echo": Spec("neE"),
    "printf": Spec("v:"),
    "pwd": Spec("LP", "logical physical"),
    "whoami": Spec(""),
    "id": Spec("aZgGnruz", "context group groups name real user zero"),
    "uname": Spec("asnrvmpio", "all kernel-name nodename kernel-release kernel-version "
                  "machine processor hardware-platform operating-system"),
    "free": Spec("bkmgtphlLs:c:wv", "bytes kibi mebi gibi tebi pebi kilo mega giga tera peta "
                 "human si lohi line total seconds= count= wide"),
    "uptime": Spec("ps", "pretty since"),
    "nproc": Spec("", "all ignore="),
    "basename": Spec("as:z", "multiple suffix= zero"),
    "dirname": Spec("z", "zero"),
    "realpath": Spec("eLmPqsz", "canonicalize-existing canonicalize-missing logical physical "
                     "quiet relative-to= relative-base= strip no-symlinks zero"),
    "readlink": Spec("femnqsvz", "canonicalize canonicalize-existing canonicalize-missing "
                     "no-newline quiet silent verbose zero"),
    "stat": Spec("Lfc:t", "dereference file-system format= printf= terse cached="),
    "file": Spec("bcEhiIkLlNnprsSvzZ0F:e:f:m:P:", "brief mime mime-type mime-encoding "
                 "dereference no-dereference keep-going raw special-files uncompress "
                 "uncompress-noreport print0 separator= exclude= files-from= magic-file="),
    "which": Spec("as", "all skip-alias skip-functions read-alias"),
    "whereis": Spec("bmsuBMSfl"),
    "type": Spec("afptP"),
    "printenv": Spec("0", "null"),
    "date": Spec("d:f:I:Rr:uR", "date= file= iso-8601= iso-8601 rfc-email rfc-3339= "
                 "reference= utc universal debug"),
    "cal": Spec("13yjmswhv#", "one three year julian monday sunday"),
    "seq": Spec("f:s:w", "format= separator= equal-width"),
    "nl": Spec("b:d:f:h:i:l:n:ps:v:w:", "body-numbering= section-delimiter= number-width="),
    "fold": Spec("bsw:", "bytes spaces width="),
    "fmt": Spec("cp:stuw:g:#", "crown-margin prefix= split-only tagged-paragraph "
                "uniform-spacing width= goal="),
    "paste": Spec("d:sz", "delimiters= serial zero-terminated"),
    "join": Spec("a:e:i1:2:j:o:t:v:z", "ignore-case check-order nocheck-order header "
                 "zero-terminated"),
    "comm": Spec("123z", "check-order nocheck-order output-delimiter= total zero-terminated"),
    "column": Spec("c:s:tnxeJN:W:H:o:O:R:E:T:d:r:L", "columns= separator= table "
                   "output-separator= table-columns= json fillrows keep-empty-lines"),
    "diff": Spec(
        "abBcC:dD:eEFiI:lnNpPqrsStTuU:vwWxX:yZ#",
        "normal brief report-identical-files context= context unified= unified ed rcs "
        "side-by-side width= left-column suppress-common-lines show-c-function "
        "show-function-line= label= expand-tabs initial-tab tabsize= suppress-blank-empty "
        "new-file unidirectional-new-file ignore-case ignore-tab-expansion "
        "ignore-trailing-space ignore-space-change ignore-all-space ignore-blank-lines "
        "ignore-matching-lines= text strip-trailing-cr recursive starting-file= exclude= "
        "exclude-from= minimal speed-large-files color= color horizon-lines= "
        "no-dereference from-file= to-file= line-format= old-line-format= "
        "new-line-format= unchanged-line-format= no-ignore-file-name-case "
        "ignore-file-name-case",
    ),
    "cmp": Spec("bi:ln:s", "print-bytes ignore-initial= verbose bytes= quiet silent"),
    "md5sum": Spec("bctwz", "binary check tag text ignore-missing quiet status strict warn "
                   "zero"),
    "cksum": Spec("a:l:", "algorithm= base64 check length= raw tag untagged zero"),
    "base64": Spec("diw:", "decode ignore-garbage wrap="),
    "base32": Spec("diw:", "decode ignore-garbage wrap="),
    "od": Spec("A:j:N:S:t:vw:abcdfilosx", "address-radix= skip-bytes= read-bytes= strings= "
               "format= output-duplicates width= endian="),
    "hexdump": Spec("bcCdoxe:f:n:s:vL:", "one-byte-octal one-byte-char canonical length= "
                    "skip= no-squeezing color="),
    "strings": Spec("adfn:t:e:wsT:#", "all print-file-name bytes= radix= encoding= "
                    "include-all-whitespace output-separator= target="),
    "env": Spec("0iu:", "null ignore-environment unset="),
    "true": Spec(""),
    "false": Spec(""),
    "sleep": Spec(""),
    "tty": Spec("s", "silent quiet"),
    "groups": Spec(""),
    "hostname": Spec("afdisAIsTy", "alias domain fqdn long ip-address all-fqdns "
                     "all-ip-addresses short"),
    "ps": Spec(
        "AaCc:dEefFG:g:HjlLMNO:o:p:q:s:t:TU:u:VwxXyZ",
        "forest format= pid= ppid= sort= user= group= no-headers headers cols= columns= "
        "width= lines= rows= deselect cumulative context sid= tty= quick-pid=",
    ),
    "pgrep": Spec("ad:flvxnoO:P:g:G:s:t:u:U:cirAF:", "delimiter= list-name list-full "
                  "inverse lightweight count full pgroup= group= newest oldest older= "
                  "parent= session= terminal= euid= uid= exact pidfile= logpidfile "
                  "ignore-ancestors ns= nslist="),
    "pidof": Spec("sco:xqwz", "check-root omit-pid= quiet"),
    # lsof -D (device cache: `b` builds it, a write), -k/-m (kernel name list and memory
    # files): not read-only; ss -p takes no argument (it made `ss -tp --kill` read as -p's),
    # -F (reads a filter file and echoes it in errors), -N (another network namespace), -D
    # (dumps into a file): not read-only
    "lsof": Spec("abc:d:g:i:lnNOp:Pr:s:tu:UvVwx:+:F:K:L:S:T:"),
    "ss": Spec("hVHnrapoeimTistuwxlS0b46f:A:E", "numeric resolve all listening "
               "options extended memory info processes threads summary tcp udp unix raw "
               "ipv4 ipv6 family= query= no-header oneline"),
    "netstat": Spec("rIiscgMnNpelvWaoxtuwTZ46", "route interfaces groups statistics "
                    "numeric programs listening all tcp udp unix extend verbose wide"),
    "tree": Spec("adlfxL:P:I:psugDFqNvtrhCnACSJXQ#", "noreport inodes device dirsfirst "
                 "filelimit= du si prune gitignore charset= sort= matchdirs ignore-case "
                 "info fromfile timefmt= nolinks"),
    "jq": Spec("rjacnsSeCMhL:f:", "raw-output join-output ascii-output compact-output "
               "null-input slurp sort-keys exit-status color-output monochrome-output tab "
               "indent= arg= argjson= slurpfile= rawfile= args jsonargs raw-input "
               "from-file= seq stream stream-errors raw-output0"),
    "yq": Spec("rjocCMePIn:", "output-format= input-format= raw-output null-input "
               "exit-status indent= colors no-colors prettyPrint unwrapScalar= arg="),
    "dmesg": Spec("F:f:HhkLl:P:rSTtuwxd", "ctime human kernel level= facility= "
                  "decode color= nopager raw reltime show-delta since= until= "
                  "time-format= userspace follow"),
    "lsblk": Spec("abdDe:fI:JlnmMo:OpPrstSuxz", "all bytes nodeps discard exclude= fs "
                  "include= json list noheadings output= output-all paths pairs raw "
                  "scsi tree"),
    "blkid": Spec("cdghilLo:psS:t:UkL"),
    "lscpu": Spec("abceJpsxy", "all online offline extended json parse sysroot= hex"),
    "lspci": Spec("mtvnkxbsdDqQ"),
    "lsusb": Spec("vtsdD"),
    "lsmod": Spec(""),
    "vmstat": Spec("afmnsdDpSwt#", "active forks slabs one-header stats disk disk-sum "
                   "partition= unit= wide timestamp"),
    "iostat": Spec("cdhkmNtxyzp:#"),
    "getent": Spec("s:i", "service= no-idn"),
    "locale": Spec("akmcv", "all-locales charmaps category-name keyword-name verbose"),
    "rev": Spec(""),
    "expand": Spec("it:#", "initial tabs="),
    "unexpand": Spec("at:#", "all first-only tabs="),
    "numfmt": Spec("d:z", "from= from-unit= to= to-unit= grouping padding= format= "
                   "field= header invalid= round= suffix= delimiter="),
    "factor": Spec(""),
    "xxd": Spec("abCEeiprsuc:g:l:n:o:s:#", "autoskip bits capitalize ebcdic include "
                "postscript plain revert"),
    "history": Spec(""),
    "jobs": Spec("lnprs"),
    "help": Spec("dms"),
    "info": Spec("aknwf:d:", "all apropos= index-search= node="),
    "whatis": Spec("dvrwlCs:m:M:L:", "debug verbose regex wildcard long"),
    "apropos": Spec("dvrwealCs:m:M:L:", "debug verbose regex wildcard exact and long"),
    "w": Spec("hiusfo", "no-header ip-addr no-current short from old-style"),
    "who": Spec("abdHlmpqrstTuw", "all boot dead heading login count runlevel short time "
                "mesg users"),
    "users": Spec(""),
    "last": Spec("an:dFiRswxt:p:s:u:#", "limit= dns fulltimes ip system since= until="),
    "lsattr": Spec("RVadlpv"),
    "locate": Spec("AbcdeEiLlmPqrSw0", "all basename count database= existing follow "
                   "ignore-case limit= null quiet regex regextype= statistics wholename"),
    "fzf": Spec("e+imx0q:", "exact multi no-multi query= filter= select-1 exit-0 "
                "height= layout= reverse border ansi no-sort tac"),
    "nvidia-smi": Spec("Lqi:d:lx", "list-gpus query query-gpu= format= id= display= "
                       "loop= loop-ms= xml-format"),
    "bat": Spec("lpnAH:r:Ps", "language= plain number show-all highlight-line= "
                "line-range= paging= style= color= theme= list-languages list-themes "
                "decorations= tabs= wrap="),
    "batcat": Spec("lpnAH:r:Ps", "language= plain number show-all highlight-line= "
                   "line-range= paging= style= color= theme= decorations= tabs= wrap="),
    "eza": Spec("1lGxRTLrsDaAdhHigmSuUbBn", "long grid across recurse tree level= reverse "
                "sort= group-directories-first only-dirs all list-dirs header inode group "
                "modified sizes accessed created binary bytes git icons color= no-user "
                "no-time no-permissions no-filesize"),
    "exa": Spec("1lGxRTL:rs:DaAdhHigmSuUbBn", "long grid across recurse tree level= "
                "reverse sort= group-directories-first only-dirs all list-dirs header "
                "inode group modified git icons color="),
    "fd": Spec("HIsiguFaldLpe:t:E:c:j:d:S:0", "hidden no-ignore case-sensitive "
               "ignore-case glob fixed-strings absolute-path list-details follow "
               "full-path print0 max-depth= min-depth= exact-depth= type= extension= "
               "exclude= size= changed-within= changed-before= color= threads= "
               "max-results= owner="),
    "rg": Spec(
        "AB:C:ce:E:f:FHg:hiIj:lLm:M:nNoPpqrsSt:T:uUvVwxz0#",
        "after-context= before-context= context= count count-matches regexp= "
        "encoding= file= fixed-strings with-filename no-filename glob= iglob= "
        "ignore-case smart-case case-sensitive no-ignore hidden follow "
        "files-with-matches files-without-match max-count= max-columns= line-number "
        "no-line-number only-matching pcre2 pretty quiet replace= search-zip "
        "type= type-not= unrestricted invert-match word-regexp line-regexp null "
        "json color= colors= column files type-list sort= sortr= heading no-heading "
        "max-depth= max-filesize= multiline multiline-dotall trim vimgrep stats "
        "no-messages binary text threads= passthru include-zero",
    ),
    "ag": Spec("iSsvwlLcCA:B:G:g:QtuU", "ignore-case smart-case case-sensitive "
               "files-with-matches count hidden literal depth= ignore= stats"),
    "sensors": Spec("AuUj", "no-adapter"),
    "ldd": Spec("vurd", "verbose unused data-relocs function-relocs"),
    "nm": Spec("aACDfgl:nopPrsSt:uvVX:", "debug-syms demangle dynamic defined-only "
               "extern-only numeric-sort no-sort portability print-size size-sort "
               "undefined-only format= radix="),
    "readelf": Spec("aAcdDeghHIlnrsStuvVWx:p:R:", "all file-header program-headers "
                    "segments section-headers sections headers symbols syms dynamic "
                    "notes relocs wide hex-dump= string-dump= version-info arch-specific"),
    "objdump": Spec("adDfhHlrRstSTxCj:M:", "disassemble disassemble-all section-headers "
                    "headers syms dynamic-syms all-headers source demangle section= "
                    "file-headers private-headers full-contents"),
    "size": Spec("ABdoxt", "format= radix= totals common"),
    "iconv": Spec("lcf:t:s", "from-code= to-code= list silent"),
    "look": Spec("bdft:"),
    "test": Spec(""),
    "[": Spec(""),
    "[[": Spec(""),
    "mpstat": Spec("AuIP:T#"),
    "pstree": Spec("aAcglnpsStTuUZ", "arguments ascii compact-not show-pgids long "
                   "numeric-sort show-pids show-parents highlight-all"),
    "journalctl": Spec(
        "bekfn:o:qu:p:xrmS:U:t:g:D:aN",
        "boot= boot pager-end follow lines= output= quiet unit= user-unit= priority= "
        "catalog reverse merge since= until= identifier= grep= directory= all no-pager "
        "list-boots utc no-full full output-fields= disk-usage case-sensitive= "
        "dmesg system user field= fields",
    ),
    "shasum": Spec("a:bctU0", "algorithm= binary check text status quiet warn strict"),
    "mediainfo": Spec("f", "full output= Output="),
    "ffprobe": Spec("v:i:", "show_format show_streams print_format= of= loglevel= "
                    "hide_banner select_streams= show_entries="),
    "pdfinfo": Spec("f:l:"),
    "identify": Spec("", "verbose format= ping quiet"),
    "exiftool": Spec("sSGa", "json csv short groupNames"),
    "dig": Spec("b:c:f:k:p:q:t:x:y:46hmuv"),
    "host": Spec("aACdlrsTUvVwc:N:R:t:W:46"),
    "nslookup": Spec(""),
    "ping": Spec("c:i:I:s:t:W:w:qnvDO46", "count="),
    "ping6": Spec("c:i:I:s:t:W:w:qnvD"),
    "traceroute": Spec("46IUTnFdrm:f:q:w:p:s:i:"),
    "tracepath": Spec("46nbl:m:p:"),
    "mtr": Spec("46rwbnc:i:s:", "report report-wide no-dns report-cycles= json"),
    "whois": Spec("h:p:HT:iBGlLmMrx", "verbose"),
    "ifconfig": Spec("as", "all short"),
    "arch": Spec(""),
    "clear": Spec("Tx"),
    "yes": Spec(""),
    "shuf": Spec("ei:n:rz", "echo input-range= head-count= repeat zero-terminated"),
    "sum": Spec("rs", "sysv"),
    "top": Spec("bcd:E:e:Hhin:o:O:p:SsU:u:w:1"),
    "unzip": Spec("lvtZz"),
    "zipinfo": Spec("12shmlvtTz"),
    "tput": Spec("T:SV"),
}
for _alias, _orig in (
    ("egrep", "grep"), ("fgrep", "grep"), ("zgrep", "grep"), ("zcat", "cat"), ("bzcat", "cat"),
    ("xzcat", "cat"), ("sha1sum", "md5sum"), ("sha256sum", "md5sum"), ("sha512sum", "md5sum"),
    ("sha224sum", "md5sum"), ("sha384sum", "md5sum"), ("b2sum", "md5sum"), ("mawk", "awk"),
):
    if _orig in TABLES:
        TABLES[_alias] = TABLES[_orig]
# these parse their own options and take no abbreviations: `rg --pre` is not `rg --pretty`
for _name in ("rg", "fd", "bat", "batcat", "eza", "exa", "jq", "yq", "fzf", "ffprobe", "dig",
              "nvidia-smi", "mtr", "exiftool", "identify", "mediainfo"):
    TABLES[_name] = Spec(TABLES[_name].short, TABLES[_name].long, exact=True)
# fmt: on
