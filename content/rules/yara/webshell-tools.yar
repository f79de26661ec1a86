/*
 * Full-featured shells and attacker tools dropped as pages: file managers, SQL clients,
 * HTTP tunnels, timestomping, privilege-escalation helpers. Each rule needs several
 * capabilities together. Written for exhunt. YARA 4.2 and YARA-X syntax.
 */

rule exh_tunnel_socket_http
{
    meta:
        author = "exhunt"
        description = "HTTP-to-TCP tunnel page (reGeorg / Neo-reGeorg style): raw sockets driven by request headers or CONNECT/FORWARD/READ commands"
        reference = "https://attack.mitre.org/techniques/T1090/001/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa22-277a"
        license = "MIT"
        score = 85
        severity = "high"
        date = "2026-11-27"
    strings:
        $sock1 = /new\s+Socket\s*\(/ nocase
        $sock2 = "TcpClient" nocase
        $sock3 = "AddressFamily.InterNetwork" nocase
        $sock4 = /MSWinsock|Winsock/ nocase
        $hdr = /Request\s*\.\s*Headers\s*(\.\s*Get\s*\(|\[)/ nocase
        $cmd1 = "\"CONNECT\""
        $cmd2 = "\"FORWARD\""
        $cmd3 = "\"READ\""
        $cmd4 = "\"DISCONNECT\""
        $x1 = "X-CMD" nocase
        $x2 = "X-STATUS" nocase
        $x3 = "X-TARGET" nocase
        $x4 = "X-PORT" nocase
    condition:
        filesize < 1MB and any of ($sock*) and (2 of ($cmd*) or 2 of ($x*) or ($hdr and 1 of ($cmd*)))
}

rule exh_dotnet_sql_client_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that opens a database with a connection string typed by the visitor and runs SQL they type (web SQL client / data dumper)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "MIT"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $conn = /new\s+(Sql|OleDb|Odbc|MySql|Oracle)Connection\s*\(\s*(\w{1,40}\s*\.\s*(Text|Value)\b|Request|context\s*\.\s*Request|\w{1,40}\s*\.\s*Request)/ nocase
        $connstr = /ConnectionString\s*=\s*(["'][^"'\r\n]{0,60}["']\s*\+\s*)?(this\s*\.\s*)?(\w{1,40}\s*\.\s*(Text|Value)\b|Request)/ nocase
        $cmd = /new\s+(Sql|OleDb|Odbc|MySql|Oracle)(Command|DataAdapter)\s*\(\s*(\w{1,40}\s*\.\s*(Text|Value)\b|Request|\w{1,40}\s*\.\s*Request)/ nocase
        $cmdtext = /(CommandText\s*=|new\s+(Sql|OleDb|Odbc)Command\s*\()\s*(this\s*\.\s*)?(\w{1,40}\s*\.\s*(Text|Value)\b|Request)/ nocase
        $sp = /CommandType\s*\.\s*StoredProcedure/ nocase
        $aspx = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $aspx and any of ($conn, $connstr) and any of ($cmd, $cmdtext, $sp)
}

rule exh_dotnet_fs_request_path
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that lists, reads, deletes or re-dates files at paths taken from the request (web file manager)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "MIT"
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
        license = "MIT"
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
        license = "MIT"
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
        license = "MIT"
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
        license = "MIT"
        score = 70
        severity = "high"
        date = "2026-11-27"
    strings:
        $fso = /FileSystemObject/ nocase
        $open = /\.\s*(CreateTextFile|OpenTextFile)\s*\(/ nocase
        $write = /\.\s*(Write|WriteLine)\b/ nocase
        $req = /Request\s*(\.\s*(Form|QueryString|Item)\s*)?\(/ nocase
    condition:
        filesize < 12KB and $fso and $open and $write and #req >= 2
}

rule exh_iis_config_script_handler
{
    meta:
        author = "exhunt"
        description = "web.config that maps .config (or other non-script) files to the ASP/ASP.NET engine or unhides web.config: makes a config file executable as a shell"
        reference = "https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/hiddensegments/"
        license = "MIT"
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
        license = "MIT"
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

rule exh_sql_catalog_browser_page
{
    meta:
        author = "exhunt"
        description = "Server-side page that enumerates every database/table of the server (sysdatabases, MSysObjects, OpenSchema) for the visitor: web SQL manager or data dumper"
        reference = "https://attack.mitre.org/techniques/T1005/"
        license = "MIT"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $cat1 = "sysdatabases" nocase
        $cat2 = "MSysObjects" nocase
        $cat3 = /OpenSchema\s*\(/ nocase
        $cat4 = "sys.databases" nocase
        $cat5 = /INFORMATION_SCHEMA\s*\.\s*TABLES/ nocase
        $conn = /ADODB\s*\.\s*Connection|SqlConnection|OleDbConnection/ nocase
        $req = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 3MB and any of ($cat*) and $conn and $req and any of ($srv*)
}

rule exh_dotnet_write_textbox_to_file
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that writes text typed by the visitor to a file path also typed by the visitor (page-based uploader)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "MIT"
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

rule exh_raw_socket_sniffer_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page opening a raw IP socket in promiscuous mode (SIO_RCVALL): network sniffer run from the web server"
        reference = "https://learn.microsoft.com/en-us/windows/win32/winsock/sio-rcvall"
        reference2 = "https://attack.mitre.org/techniques/T1040/"
        license = "MIT"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $raw = "SocketType.Raw" nocase
        $rcv1 = "ReceiveAll" nocase
        $rcv2 = "IOControl" nocase
        $page = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $page and $raw and any of ($rcv*)
}

rule exh_writable_dir_probe
{
    meta:
        author = "exhunt"
        description = "Server-side page that walks folders from a path the visitor gives and creates then deletes a file in each to find writable places (post-exploitation recon)"
        reference = "https://attack.mitre.org/techniques/T1083/"
        license = "MIT"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $walk1 = /\.\s*SubFolders\b/ nocase
        $walk2 = /GetDirectories\s*\(/ nocase
        $mk1 = /\.\s*CreateTextFile\s*\(/ nocase
        $mk2 = /File\s*\.\s*Create\s*\(/ nocase
        $mk3 = /\.\s*CreateFolder\s*\(/ nocase
        $mk4 = /Directory\s*\.\s*CreateDirectory\s*\(/ nocase
        $del1 = /\.\s*DeleteFile\s*[\s(]/ nocase
        $del2 = /File\s*\.\s*Delete\s*\(/ nocase
        $del3 = /\.\s*DeleteFolder\s*[\s(]/ nocase
        $del4 = /Directory\s*\.\s*Delete\s*\(/ nocase
        $req = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]|\.Text\b/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 40KB and any of ($walk*) and any of ($mk*) and any of ($del*) and $req and any of ($srv*)
}

rule exh_dotnet_file_browser_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that lists folders and sends back any file named in the request (web file browser)"
        reference = "https://attack.mitre.org/techniques/T1083/"
        license = "MIT"
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

rule exh_dotnet_db_credentials_from_visitor
{
    meta:
        author = "exhunt"
        description = "ASP.NET page building a database connection string from a password the visitor supplies, and writing query results to a file or the response (web database client / dumper)"
        reference = "https://attack.mitre.org/techniques/T1005/"
        license = "MIT"
        score = 60
        severity = "medium"
        date = "2026-11-27"
    strings:
        $pw = /(password|pwd)\s*=\s*["']\s*\+\s*(this\s*\.\s*)?\w{1,40}/ nocase
        $conn = /(Sql|OleDb|Odbc|MySql)Connection\s*\(/ nocase
        $out1 = "StreamWriter" nocase
        $out2 = /ExecuteReader|SqlDataAdapter|OleDbDataAdapter/ nocase
        $page = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $page and $pw and $conn and any of ($out*)
}

rule exh_dotnet_socket_relay_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that keeps a TCP socket in Session/Application state and connects it where the request says (HTTP tunnel / SOCKS relay, Neo-reGeorg style)"
        reference = "https://attack.mitre.org/techniques/T1090/001/"
        license = "MIT"
        score = 75
        severity = "high"
        date = "2026-11-27"
    strings:
        $sock1 = /new\s+(System\s*\.\s*Net\s*\.\s*Sockets\s*\.\s*)?Socket\s*\(/ nocase
        $sock2 = /new\s+(System\s*\.\s*Net\s*\.\s*Sockets\s*\.\s*)?TcpClient\s*\(/ nocase
        $connect = /\.\s*(Connect|BeginConnect|ConnectAsync)\s*\(/ nocase
        $state = /(Session|Application)\s*(\.\s*Add\s*\(|\[[^\]\r\n]{1,60}\]\s*=)/ nocase
        $req = /Request\s*\.\s*(Headers|InputStream|Form|QueryString|BinaryRead|Params)/ nocase
        $page = /<%@\s*(Page|WebHandler|WebService)/ nocase
    condition:
        filesize < 2MB and $page and any of ($sock*) and $connect and $state and $req
}
