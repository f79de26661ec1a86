/*
 * Web pages that run operating-system commands chosen by the request: .NET Process /
 * ProcessStartInfo, WScript.Shell, Shell.Application, xp_cmdshell, XSLT script blocks.
 * Written for exhunt from public descriptions of the technique. YARA 4.2 and YARA-X syntax.
 */

private rule exh_server_script
{
    meta:
        author = "exhunt"
        description = "Content that contains server-side ASP/ASP.NET code"
        license = "Apache-2.0"
    strings:
        $tag = "<%"
        $script = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
        $handler = /<%@\s*(WebHandler|WebService|ServiceHost|Page|Control|Master|Application)/ nocase
        $cs_ihttp = "IHttpHandler"
        $cs_ctx = "HttpContext"
    condition:
        any of them
}

private rule exh_request_input
{
    meta:
        author = "exhunt"
        description = "Reads data sent by the client"
        license = "Apache-2.0"
    strings:
        $r1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Cookies|Headers|ServerVariables)\s*)?[\[\(]/ nocase
        $r2 = /Request\s*\.\s*(Form|QueryString|Params|Headers|Cookies)\s*\.\s*Get\s*\(/ nocase
        $r3 = "Request.BinaryRead" nocase
        $r4 = "Request.InputStream" nocase
        $r5 = "Request.Files" nocase
        $r6 = /Request\s*\.\s*Form\s*\.\s*Item/ nocase
        $r7 = "getParameter(" nocase
        $r8 = /\.Request\s*\.\s*(Form|QueryString|Params|Headers|Cookies|Item)\b/ nocase
        $r9 = /Request\s*\.\s*(Form|QueryString|Params)\s*\)/ nocase
    condition:
        any of them
}

rule exh_dotnet_process_from_request
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that starts a shell process (cmd.exe/powershell) and reads its output: command execution from a web page"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        reference2 = "https://www.cisa.gov/news-events/analysis-reports/ar21-072a"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-11-27"
    strings:
        $p1 = "ProcessStartInfo" nocase
        $p2 = /Process\s*\.\s*Start\s*\(/ nocase
        $p3 = /new\s+(System\.Diagnostics\.)?Process\s*\(/ nocase
        $p4 = /StartInfo\s*\.\s*FileName/ nocase
        $shell1 = "cmd.exe" nocase
        $shell2 = /["']cmd["']/ nocase
        $shell3 = "powershell" nocase
        $shell4 = "/c " nocase
        $shell5 = "ComSpec" nocase
        $out1 = "RedirectStandardOutput" nocase
        $out2 = "StandardOutput" nocase
        $out3 = "StandardInput" nocase
        $webmethod = "[WebMethod"
        $direct = /Process\s*\.\s*Start\s*\([^;]{0,120}(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params|Headers)\s*)?[\[\(]/ nocase
    condition:
        exh_server_script and (
            (any of ($p*) and any of ($out*) and (any of ($shell*) or $webmethod or exh_request_input)) or $direct)
}

rule exh_wscript_shell_from_request
{
    meta:
        author = "exhunt"
        description = "Classic ASP page that runs commands through WScript.Shell / Shell.Application with request input"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-11-27"
    strings:
        $obj1 = /wscript\s*\.\s*shell/ nocase
        $obj2 = /["']wscript["']\s*&\s*["']\.shell["']/ nocase
        $obj3 = /shell\s*\.\s*application/ nocase
        $obj4 = "WScript.Shell" wide nocase
        $obj5 = /["']ws["']\s*&\s*["']cript/ nocase
        $run1 = /\.(Run|Exec|ShellExecute)\s*[\s(]/ nocase
        $cmd1 = "cmd.exe" nocase
        $cmd2 = "cmd /c" nocase
        $cmd3 = "StdOut" nocase
        $cmd4 = "command.com" nocase
    condition:
        exh_server_script and exh_request_input and any of ($obj*) and $run1 and any of ($cmd*)
}

rule exh_sql_cmdshell_from_request
{
    meta:
        author = "exhunt"
        description = "Page that sends xp_cmdshell / sp_oacreate commands to SQL Server with request input (database-driven command execution)"
        reference = "https://learn.microsoft.com/en-us/sql/relational-databases/system-stored-procedures/xp-cmdshell-transact-sql"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $x1 = "xp_cmdshell" nocase
        $x2 = "sp_oacreate" nocase
        $x3 = "xp_regwrite" nocase
        $x4 = "sp_makewebtask" nocase
    condition:
        filesize < 2MB and exh_server_script and exh_request_input and any of them
}

rule exh_xslt_script_exec
{
    meta:
        author = "exhunt"
        description = "XSLT stylesheet with an msxsl:script block that starts processes: code execution hidden in a transform"
        reference = "https://learn.microsoft.com/en-us/dotnet/standard/data/xml/script-blocks-using-msxsl-script"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $msxsl = /msxsl\s*:\s*script/ nocase
        $x1 = /wscript\s*\.\s*shell/ nocase
        $x2 = "System.Diagnostics.Process" nocase
        $x3 = /Process\s*\.\s*Start/ nocase
        $x4 = "ActiveXObject" nocase
        $x5 = "Request" nocase
        $x6 = "eval(" nocase
    condition:
        $msxsl and any of ($x*)
}

rule exh_wscript_shell_in_page
{
    meta:
        author = "exhunt"
        description = "Server-side ASP code that creates WScript.Shell and runs a program: a web page should not start processes"
        reference = "https://attack.mitre.org/techniques/T1059/005/"
        license = "Apache-2.0"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $obj = /CreateObject\s*\(\s*["']WScript\.Shell["']\s*\)/ nocase
        $run = /\.(Run|Exec)\s*[\s(]\s*["']?[^"'\r\n]{0,20}(cmd|cscript|wscript|powershell|\.exe|\.bat|\.vbs|\w+)/ nocase
        $srv = "<%"
    condition:
        filesize < 3MB and $srv and $obj and $run
}

rule exh_asp_writes_script_file
{
    meta:
        author = "exhunt"
        description = "Server-side page that writes a .vbs/.bat/.cmd/.ps1/.exe file to disk (second-stage dropper)"
        reference = "https://attack.mitre.org/techniques/T1105/"
        license = "Apache-2.0"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $create = /(CreateTextFile|OpenTextFile|SaveToFile|StreamWriter|WriteAllText|WriteAllBytes)\s*[\s(]\s*["'][^"'\r\n]{1,200}\.(vbs|bat|cmd|ps1|exe|dll|hta)["']/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 3MB and $create and any of ($srv*)
}

rule exh_dotnet_powershell_runspace_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page hosting a PowerShell runspace and running script text from the visitor (PowerShell web shell)"
        reference = "https://attack.mitre.org/techniques/T1059/001/"
        reference2 = "https://learn.microsoft.com/en-us/powershell/scripting/developer/hosting/adding-and-invoking-commands"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $ps1 = "RunspaceFactory" nocase
        $ps2 = /PowerShell\s*\.\s*Create\s*\(/ nocase
        $ps3 = "System.Management.Automation" nocase
        $add = /\.\s*(AddScript|AddCommand|Invoke)\s*\(/ nocase
        $in1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers)\s*)?[\[\(]/ nocase
        $in2 = /\w{1,40}\s*\.\s*Text\b/
    condition:
        filesize < 2MB and exh_server_script and 2 of ($ps*) and $add and any of ($in*)
}

rule exh_vb_shell_function_request
{
    meta:
        author = "exhunt"
        description = "VB.NET / VBScript page calling Shell() or Interaction.Shell with a command built from request data"
        reference = "https://learn.microsoft.com/en-us/dotnet/api/microsoft.visualbasic.interaction.shell"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $shell = /(^|[^.\w]|Interaction\s*\.\s*)Shell\s*\(\s*["'][^"'\r\n]{0,40}(cmd|powershell)[^"'\r\n]{0,40}["']\s*&\s*Request/ nocase
    condition:
        filesize < 2MB and $shell
}
