/*
 * Obfuscated server-side code: the tricks shells use to hide eval/Execute from review and
 * from signatures (character arithmetic, string reversal, unescape, split strings, script
 * encoding, UTF-7 code pages). Written for exhunt. YARA 4.2 and YARA-X syntax.
 */

rule exh_execute_decoded_literal
{
    meta:
        author = "exhunt"
        description = "Classic ASP Execute/Eval/ExecuteGlobal of a decoder function applied to a literal string (hidden one-liner)"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        reference2 = "https://attack.mitre.org/techniques/T1027/"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $exec_lit = /(^|[^.\w])(execute|eval|executeglobal)[\s(]{1,6}\w{1,40}[\s(]{1,6}["'][^"'\r\n]{12,}/ nocase
        $exec_unescape = /(^|[^.\w])(execute|eval|executeglobal)[\s(]{1,6}(unescape|strreverse|chr|decode|base64decode)\s*\(/ nocase
        $exec_nested = /(^|[^.\w])(execute|eval|executeglobal)[\s(]{1,6}\w{1,40}\s*\(\s*\w{1,40}\s*\(\s*\w{1,40}\s*\)\s*\)/ nocase
    condition:
        filesize < 3MB and any of them
}

rule exh_chr_arithmetic_decoder_exec
{
    meta:
        author = "exhunt"
        description = "Decoder loop building code with Chr() arithmetic/XOR next to Execute/Eval: encoded script payload"
        reference = "https://attack.mitre.org/techniques/T1027/"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-11-27"
    strings:
        $chr_arith = /chrw?\s*\(\s*[^()\r\n]{0,30}(\([^()\r\n]{0,30}\)[^()\r\n]{0,10})?\s*(-|\+|xor|\*)\s*[\w()]{1,20}\s*\)/ nocase
        $chr_asc = /chrw?\s*\(\s*ascw?b?\s*\([^\r\n]{0,60}(-|\+|xor)/ nocase
        $chr_hex = /chr\s*\(\s*["']&H["']\s*&/ nocase
        $exec = /(^|[^.\w])(execute|eval|executeglobal)\b/ nocase
    condition:
        filesize < 3MB and $exec and any of ($chr*)
}

rule exh_activex_split_string
{
    meta:
        author = "exhunt"
        description = "CreateObject/ActiveXObject whose ProgID is assembled from pieces and Chr() codes (hiding WScript.Shell, ScriptControl, FileSystemObject)"
        reference = "https://attack.mitre.org/techniques/T1027/"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-11-27"
    strings:
        $split1 = /CreateObject\s*\(\s*["'][^"'\r\n]{0,25}["']\s*&\s*chrw?\s*\(/ nocase
        $split2 = /CreateObject\s*\(\s*chrw?\s*\(/ nocase
        $split3 = /CreateObject\s*\(\s*["'][^"'\r\n]{1,20}["']\s*[&+]\s*["'][^"'\r\n]{1,20}["']\s*[&+]/ nocase
        $split4 = /ActiveXObject\s*\(\s*["'][^"'\r\n]{1,12}["']\s*\+\s*["']/ nocase
    condition:
        filesize < 3MB and any of them
}

rule exh_scriptcontrol_request
{
    meta:
        author = "exhunt"
        description = "MSScriptControl used from a page to run code with the Request object exposed to it"
        reference = "https://learn.microsoft.com/en-us/previous-versions/visualstudio/visual-basic-6/aa227633(v=vs.60)"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $sc1 = "ScriptControl" nocase
        $sc2 = /ExecuteStatement|AddCode/ nocase
        $add = /AddObject\s*\(?\s*["']/ nocase
    condition:
        filesize < 1MB and $sc2 and $add and ($sc1 or #add >= 3)
}

rule exh_script_encoded_page
{
    meta:
        author = "exhunt"
        description = "Script-Encoded ASP page (VBScript.Encode / JScript.Encode, #@~^ blocks): code hidden from review, typical of packaged ASP shells"
        reference = "https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/cbfz9b3t(v=vs.84)"
        license = "Apache-2.0"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $lang = /Language\s*=\s*["']?\s*(VBScript|JScript)\.Encode/ nocase
        $block = /#@~\^[A-Za-z0-9+\/]{6}==/
    condition:
        $lang and $block
}

rule exh_utf7_codepage_page
{
    meta:
        author = "exhunt"
        description = "ASP page declaring code page 65000 (UTF-7) to smuggle code past filters"
        reference = "https://learn.microsoft.com/en-us/windows/win32/intl/code-page-identifiers"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $cp = /<%@\s*codepage\s*=\s*["']?65000/ nocase
        $cp2 = /Response\s*\.\s*CodePage\s*=\s*65000/ nocase
    condition:
        any of them
}

rule exh_jscript_split_eval
{
    meta:
        author = "exhunt"
        description = "Server-side JScript building eval code from one- or two-letter string pieces (split-string China Chopper)"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $page1 = /<%@\s*(Page\s[^>]{0,80})?Language\s*=\s*["']?\s*JScript/ nocase
        $page2 = /<script[^>]{0,60}runat\s*=\s*["']?server[^>]{0,60}language\s*=\s*["']?\s*JScript/ nocase
        $page3 = /<script[^>]{0,60}language\s*=\s*["']?\s*JScript[^>]{0,60}runat\s*=\s*["']?server/ nocase
        $eval = /[^.\w]eval\s*\(/ nocase
        $tiny1 = "\"+\""
        $tiny2 = "\" + \""
        $tiny3 = "*/\"+"
        $hexesc = /["'](\\x[0-9a-fA-F]{2}){3,}/
        $b64 = "FromBase64String" nocase
    condition:
        filesize < 1MB and any of ($page*) and $eval and (#tiny1 + #tiny2 + #tiny3 >= 4 or $hexesc or $b64)
}

rule exh_exec_binary_request_decoded
{
    meta:
        author = "exhunt"
        description = "Raw request body XOR/decrypt-decoded and executed (Behinder-style classic ASP loader)"
        reference = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-074a"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-11-27"
    strings:
        $br = "Request.BinaryRead" nocase
        $xor = /\bxor\b/ nocase
        $exec = /(^|[^.\w])(execute|eval|executeglobal)[\s(]{1,6}\w/ nocase
    condition:
        filesize < 200KB and $br and $xor and $exec
}

rule exh_execute_variable_from_input
{
    meta:
        author = "exhunt"
        description = "Classic ASP Execute/ExecuteGlobal/Eval statement on a plain variable near a request or session read (a weak signal alone: applications dispatch plugin hooks this way; the data-flow check says whether the request really reaches it)"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        license = "Apache-2.0"
        score = 45
        severity = "low"
        date = "2026-11-27"
    strings:
        $exec_var = /(^|[\s:;>])(execute|executeglobal|eval)([ \t]+|[ \t]*\([ \t]*)[a-z_][a-z0-9_]{0,30}[ \t]*\)?[ \t]*(\r|\n|:|%>)/ nocase
        $src_req = /=\s*(trim\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?\(/ nocase
        $src_sess = /=\s*(CStr\s*\()?\s*session\s*\(/ nocase
        $src_bin = "Request.BinaryRead" nocase
        $src_http = "responseBody" nocase
    condition:
        filesize < 500KB and $exec_var and (
            $src_bin or $src_http or
            for any i in (1..#exec_var) : ($src_req in (@exec_var[i] - 1000 .. @exec_var[i]) or $src_sess in (@exec_var[i] - 1000 .. @exec_var[i])))
}

rule exh_eval_function_reference
{
    meta:
        author = "exhunt"
        description = "Server-side JScript that takes a reference to eval (e.g. {'E':eval}) to call it indirectly on request data"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $ref = /[:=,(]\s*eval\s*[,;})\]]/
        $req = /Request\s*(\.\s*(Item|Form|QueryString)\s*)?[\[\(]/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 1MB and $ref and $req and any of ($srv*)
}
