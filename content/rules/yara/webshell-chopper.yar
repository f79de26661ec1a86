/*
 * China Chopper and its one-line variants: server-side eval/Execute of request data.
 * Written for exhunt from the public descriptions of the technique, not from other rule sets.
 * Syntax accepted by YARA 4.2 and YARA-X.
 */

rule exh_chopper_jscript_eval_request
{
    meta:
        author = "exhunt"
        description = "JScript.NET eval() of request data (China Chopper style ASP.NET one-liner)"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa21-062a"
        license = "Apache-2.0"
        score = 90
        severity = "critical"
        date = "2026-11-27"
    strings:
        $eval_req = /eval\s*\(\s*(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params|Cookies|Headers)\s*)?[\[\(]/ nocase
        $unsafe = /["']\s*unsafe\s*["']/ nocase
        $unsafe_split = /["'](u|un|uns|unsa|unsaf)["']\s*\+/ nocase
        $jscript = /Language\s*=\s*["']?\s*J(ava)?Script/ nocase
    condition:
        $eval_req and (any of ($unsafe*) or $jscript)
}

rule exh_chopper_vbscript_eval_request
{
    meta:
        author = "exhunt"
        description = "Classic ASP eval/Execute/ExecuteGlobal applied directly to request or session data (China Chopper style one-liner)"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        reference2 = "https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/03t418d2(v=vs.84)"
        license = "Apache-2.0"
        score = 90
        severity = "critical"
        date = "2026-11-27"
    strings:
        $direct = /(^|[^.\w])(eval|execute|executeglobal)[\s(]{1,8}(request|session)\s*(\.\s*(item|form|querystring|cookies)\s*)?[\(\[]/ nocase
        $request_chr = /(eval|execute|executeglobal)[\s(]{1,8}request\s*\(\s*chr/ nocase
        $wrapped = /(^|[^.\w])(eval|execute|executeglobal)\s*\(\s*(String|CStr|Trim|unescape|decodeURIComponent|Server\.HtmlDecode|Server\.UrlDecode)\s*\(\s*(context\s*\.\s*)?Request/ nocase
        $b64_req = /(^|[^.\w])eval\s*\([^;]{0,160}FromBase64String\s*\(\s*(context\s*\.\s*)?Request/ nocase
    condition:
        any of them
}

rule exh_chopper_eval_unsafe_context
{
    meta:
        author = "exhunt"
        description = "JScript.NET two-argument eval with the \"unsafe\" security context, the core of ASP.NET China Chopper"
        reference = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        reference2 = "https://www.microsoft.com/en-us/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
        license = "Apache-2.0"
        score = 85
        severity = "critical"
        date = "2026-11-27"
    strings:
        $eval2 = /eval\s*\([^,;()]{1,80}(\([^;()]{0,80}\)[^,;()]{0,20})?,\s*["']unsafe["']\s*\)/ nocase
        $eval_nested = /[^.\w]eval\s*\([^;]{1,400}["']unsafe["']\s*\)/ nocase
    condition:
        any of them
}

rule exh_jscript_server_eval_two_args
{
    meta:
        author = "exhunt"
        description = "Server-side JScript page whose eval takes a second (security context) argument: only JScript.NET does that, and shells use it to run request code"
        reference = "https://learn.microsoft.com/en-us/previous-versions/visualstudio/visual-studio-2010/b51a45x6(v=vs.100)"
        reference2 = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $page = /<%@\s*Page[^>]{0,80}Language\s*=\s*["']?\s*JScript/ nocase
        $script = /<script[^>]{0,60}runat\s*=\s*["']?server[^>]{0,60}>/ nocase
        $script_lang = /<script[^>]{0,60}language\s*=\s*["']?\s*JScript[^>]{0,60}>/ nocase
        $eval2 = /[^.\w]eval\s*\(\s*[\w.\[\]"'()]{1,80}\s*,\s*[\w"'+ ]{1,40}\)/ nocase
    condition:
        filesize < 200KB and $eval2 and ($page or ($script and $script_lang))
}

rule exh_chopper_csharp_request_compile
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that compiles or evaluates code taken from the request (C#/VB variants of the one-liner)"
        reference = "https://www.cisa.gov/news-events/analysis-reports/ar21-072d"
        license = "Apache-2.0"
        score = 85
        severity = "critical"
        date = "2026-11-27"
    strings:
        $compile1 = "CompileAssemblyFromSource" nocase
        $compile2 = "CSharpCodeProvider" nocase
        $compile3 = "VBCodeProvider" nocase
        $compile4 = "JScriptCodeProvider" nocase
        $compile5 = "Microsoft.JScript.Eval" nocase
        $compile6 = "JScriptEvaluate" nocase
        $req = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase
        $req2 = "Request.BinaryRead" nocase
        $req3 = "Request.InputStream" nocase
    condition:
        filesize < 500KB and any of ($compile*) and any of ($req*)
}
