/*
 * Full-featured shells and file tools dropped as pages: file managers and browsers, page
 * droppers, timestomping, privilege-escalation helpers, IIS handler abuse. Each rule needs
 * several capabilities together. Written for exhunt. YARA 4.2 and YARA-X syntax.
 */

rule exh_dotnet_fs_request_path
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that lists, reads, deletes or re-dates files at paths taken from the request (web file manager)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $fs1 = /(DirectoryInfo|FileInfo)\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?(context\s*\.\s*)?Request/ nocase
        $fs2 = /(File|Directory)\s*\.\s*(Delete|Move|Copy|GetFiles|GetDirectories|ReadAllText|ReadAllBytes|OpenRead|OpenWrite|Create|SetLastWriteTime|SetCreationTime|SetAttributes)\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?(context\s*\.\s*)?Request/ nocase
        $fs3 = /TransmitFile\s*\(\s*(context\s*\.\s*)?Request/ nocase
        $fs4 = /WriteFile\s*\(\s*(context\s*\.\s*)?Request/ nocase
    condition:
        filesize < 2MB and any of them
}

rule exh_dotnet_timestomp_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that changes file creation/write times (timestomping) and touches the file system from request input"
        reference = "https://attack.mitre.org/techniques/T1070/006/"
        license = "Apache-2.0"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $t1 = "SetCreationTime" nocase
        $t2 = "SetLastWriteTime" nocase
        $t3 = "SetLastAccessTime" nocase
        $t4 = /\.\s*(CreationTime|LastWriteTime)\s*=/ nocase
        $req = /Request\s*(\.\s*(Form|Item|QueryString|Params)\s*)?[\[\(]/ nocase
        $page = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $page and $req and 2 of ($t*)
}

rule exh_asp_shell_capabilities
{
    meta:
        author = "exhunt"
        description = "Page combining several attacker capabilities (command shells, registry/RDP probing, account and service tampering, SQL command execution, drive enumeration, long script timeouts)"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        reference2 = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $c_wsh = /wscript\s*\.\s*shell/ nocase
        $c_shapp = /shell\s*\.\s*application/ nocase
        $c_cmd = /cmd(\.exe)?\s+\/c\s/ nocase
        $c_net1 = /net\s+user\s/ nocase
        $c_net2 = /net\s+localgroup/ nocase
        $c_servu = /Serv-U|ServUDaemon|LocalSetupPort/ nocase
        $c_rdp = /Terminal\s?Server\\WinStations\\RDP-Tcp|PortNumber/ nocase
        $c_reg = /RegRead\s*\(?\s*["']HK/ nocase
        $c_sqlx = /xp_cmdshell|sp_oacreate|xp_regread|xp_dirtree/ nocase
        $c_drv = /\.\s*Drives\b|DriveType|\.TotalSize\b|AvailableSpace/ nocase
        $c_tmo = /ScriptTimeout\s*=\s*\d{5}/ nocase
        $c_wmi = /winmgmts|Win32_Process|Win32_Service/ nocase
        $c_pe = /\.\s*(Attributes)\s*=\s*\d/ nocase
        $c_port = /(port\s*scan|PortScan|TCPIP\\Parameters)/ nocase
        $c_pass = /(Administrator|SAM\\SAM|LsaSecrets|password\s*dump)/ nocase
        $c_fso = /Scripting\s*\.\s*FileSystemObject/ nocase
        $c_proc = /Process\s*\.\s*Start|ProcessStartInfo/ nocase
        $req = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase
    condition:
        filesize < 5MB and $req and 4 of ($c_*)
}

rule exh_asp_file_manager
{
    meta:
        author = "exhunt"
        description = "Classic ASP page browsing drives/folders and reading, writing, copying or deleting arbitrary files for the visitor (shell file manager)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $fso = /FileSystemObject/ nocase
        $req = /Request\s*(\.\s*(Form|QueryString|Item)\s*)?\(/ nocase
        $op1 = /\.\s*DeleteFile\b/ nocase
        $op2 = /\.\s*DeleteFolder\b/ nocase
        $op3 = /\.\s*CopyFile\b/ nocase
        $op4 = /\.\s*MoveFile\b/ nocase
        $op5 = /\.\s*CreateTextFile\b/ nocase
        $op6 = /\.\s*OpenTextFile\b/ nocase
        $op7 = /\.\s*GetFolder\b/ nocase
        $op8 = /\.\s*SubFolders\b/ nocase
        $op9 = /\.\s*CreateFolder\b/ nocase
        $op10 = /\.\s*CopyFolder\b/ nocase
        $op11 = /\.\s*MoveFolder\b/ nocase
        $op12 = /\.\s*Drives\b/ nocase
        $abs = /["'][a-zA-Z]:\\\\?["']/
    condition:
        filesize < 5MB and $fso and $req and (6 of ($op*) or (3 of ($op*) and $abs))
}

rule exh_asp_write_request_to_file
{
    meta:
        author = "exhunt"
        description = "Small classic ASP page that writes request data into a file whose name also comes from the request (one-step page dropper)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $fso = /FileSystemObject/ nocase
        $open = /\.\s*(CreateTextFile|OpenTextFile)\s*\(\s*(Server\s*\.\s*MapPath\s*\(\s*)?([a-z_]\w{0,40}\s*[,)&+]|Request\s*[.(])/ nocase
        $write = /\.\s*(Write|WriteLine)\b/ nocase
        $req = /Request\s*(\.\s*(Form|QueryString|Item)\s*)?\(/ nocase
    condition:
        // the file name is an expression (a variable or the request), not a fixed path
        filesize < 12KB and $fso and $open and $write and #req >= 2
}

rule exh_iis_config_script_handler
{
    meta:
        author = "exhunt"
        description = "web.config that maps .config (or other non-script) files to the ASP/ASP.NET engine or unhides web.config: makes a config file executable as a shell"
        reference = "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/hiddensegments/"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $h1 = /path\s*=\s*["']\*\.config["'][^>]{0,300}(asp\.dll|aspnet_isapi|PageHandlerFactory)/ nocase
        $h2 = /<remove\s+segment\s*=\s*["']web\.config["']/ nocase
        $h3 = /<remove\s+fileExtension\s*=\s*["']\.config["']/ nocase
        $code = /<%[^@]/
    condition:
        filesize < 1MB and ($h1 or ($h2 and $h3) or (($h2 or $h3) and $code))
}

rule exh_jsp_write_request_to_file
{
    meta:
        author = "exhunt"
        description = "JSP page writing request parameters to a file on the server (JSP one-line uploader)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-11-27"
    strings:
        $fos = /FileOutputStream\s*\(/ nocase
        $param = "getParameter(" nocase
        $real = "getRealPath" nocase
    condition:
        filesize < 500KB and $fos and #param >= 2 and $real
}

rule exh_dotnet_write_textbox_to_file
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that writes text typed by the visitor to a file path also typed by the visitor (page-based uploader)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 65
        severity = "medium"
        date = "2026-11-27"
    strings:
        $open = /(StreamWriter|WriteAllText|FileStream|CreateText)\s*\(\s*(this\s*\.\s*)?\w{1,40}\s*\.\s*(Text|Value)\b/ nocase
        $write = /\.\s*Write(Line)?\s*\(\s*(this\s*\.\s*)?\w{1,40}\s*\.\s*(Text|Value)\s*\)/ nocase
        $path = /(Server\s*\.\s*MapPath|Path\s*\.\s*Combine)\s*\([^)\r\n]{0,40}\.\s*Text/ nocase
        $page = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $page and ($open or ($write and $path))
}

rule exh_dotnet_file_browser_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that lists folders and sends back any file named in the request (web file browser)"
        reference = "https://attack.mitre.org/techniques/T1083/"
        license = "Apache-2.0"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $send = /Response\s*\.\s*(WriteFile|TransmitFile)\s*\(/ nocase
        $dir = /new\s+(System\s*\.\s*IO\s*\.\s*)?DirectoryInfo\s*\(/ nocase
        $list = /\.\s*(GetDirectories|GetFiles|GetFileSystemInfos)\s*\(/ nocase
        $req = /Request\s*\.\s*(Params|QueryString|Form|Item)\s*\[/ nocase
        $page = /<%@\s*(Page|WebHandler)/ nocase
    condition:
        filesize < 500KB and $page and $send and $dir and $list and #req >= 2
}
