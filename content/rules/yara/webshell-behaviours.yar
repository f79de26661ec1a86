/*
 * Behaviours of web shells, written for exhunt from public descriptions of how shells work
 * (Microsoft, CISA, MITRE ATT&CK T1505.003, vendor write-ups), not from samples or other rule
 * sets: request data reaching code execution through wrappers, variables and assembled
 * names; JScript.NET eval in handlers; attacker-chosen types and assemblies; uploads to
 * request-chosen paths; database access, port scans and in-memory module injection driven
 * by the visitor. Plain YARA 4.2 (no modules), bounded regular expressions.
 */

rule exh_asp_exec_wrapped_request
{
    meta:
        author = "exhunt"
        description = "Eval/Execute/ExecuteGlobal applied to request or session data through up to three wrapper calls (decoders, conversions, custom functions): the request is run as code"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        reference2 = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 90
        severity = "critical"
        date = "2026-12-08"
    strings:
        // One, two or three wrapper calls, written out (a repeated group is ambiguous for the portable engine).
        $x1 = /(^|[^.\w])(eval|execute|executeglobal)[\s(]{1,8}[a-z_][\w.]{0,40}\s*\(\s*(context\s*\.\s*|page\s*\.\s*|this\s*\.\s*)?(request|session)\s*(\.\s*(item|form|querystring|cookies|params|headers|servervariables)\s*)?[(\[]/ nocase
        $x2 = /(^|[^.\w])(eval|execute|executeglobal)[\s(]{1,8}[a-z_][\w.]{0,40}\s*\(\s*[a-z_][\w.]{0,40}\s*\(\s*(context\s*\.\s*|page\s*\.\s*|this\s*\.\s*)?(request|session)\s*(\.\s*(item|form|querystring|cookies|params|headers|servervariables)\s*)?[(\[]/ nocase
        $x3 = /(^|[^.\w])(eval|execute|executeglobal)[\s(]{1,8}[a-z_][\w.]{0,40}\s*\(\s*[a-z_][\w.]{0,40}\s*\(\s*[a-z_][\w.]{0,40}\s*\(\s*(context\s*\.\s*|page\s*\.\s*|this\s*\.\s*)?(request|session)\s*(\.\s*(item|form|querystring|cookies|params|headers|servervariables)\s*)?[(\[]/ nocase
    condition:
        filesize < 5MB and any of ($x*)
}

rule exh_asp_exec_request_on_line
{
    meta:
        author = "exhunt"
        description = "Eval/Execute/ExecuteGlobal statement whose argument, on the same line, includes request data: code assembled from what the visitor sends"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        reference2 = "https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/scripting-articles/03t418d2(v=vs.84)"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $x = /(^|[\s:;(%>{}])(eval|execute|executeglobal)[\s(]{0,8}[^\r\n]{0,100}[^.\w]request\s*(\.\s*(item|form|querystring|cookies|params)\s*)?[(\[]/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 5MB and $x and any of ($srv*)
}

rule exh_asp_exec_assembled_name
{
    meta:
        author = "exhunt"
        description = "Server-side script that spells code or a keyword from tiny string pieces or runs of Chr() codes and also evaluates code: hiding eval/Execute from review"
        reference = "https://attack.mitre.org/techniques/T1027/"
        reference2 = "https://www.mandiant.com/resources/blog/breaking-down-the-china-chopper-web-shell-part-i"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-12-08"
    strings:
        $pieces = /["'][a-z]{1,3}["']\s*[&+]\s*["'][a-z]{1,3}["']\s*[&+]\s*["'][a-z]{1,3}["']\s*[&+]\s*["'][a-z]{1,3}["']/ nocase
        $chrs = /chrw?\s*\(\s*(3[2-9]|[4-9]\d|1[0-2]\d)\s*\)\s*&\s*chrw?\s*\(\s*(3[2-9]|[4-9]\d|1[0-2]\d)\s*\)\s*&\s*chrw?\s*\(\s*(3[2-9]|[4-9]\d|1[0-2]\d)\s*\)\s*&\s*chrw?\s*\(\s*(3[2-9]|[4-9]\d|1[0-2]\d)\s*\)/ nocase
        $exec = /(^|[^.\w])(eval|execute|executeglobal|getref)\s*[\s(]/ nocase
        $srv1 = "<%"
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 5MB and any of ($srv*) and $exec and ($chrs or #pieces >= 2)
}

rule exh_asp_exec_wrapper_function
{
    meta:
        author = "exhunt"
        description = "A function or sub whose only statement evaluates its argument (an Execute/eval wrapper under another name) in a page that reads the request"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $vb = /(sub|function)\s+\w{1,40}\s*\(\s*(byval\s+|byref\s+)?\w{1,30}\s*\)\s*[\r\n:]{1,6}[ \t]*(call\s+)?(execute|executeglobal|eval)[ \t]*\(?[ \t]*\w{1,30}[ \t]*\)?[ \t]*[\r\n:]{1,6}[ \t]*end[ \t]+(sub|function)/ nocase
        $js = /function\s+\w{1,40}\s*\(\s*\w{1,30}\s*\)\s*\{\s*(return\s+)?eval\s*\(\s*\w{1,30}\s*(,\s*["'][^"']{1,12}["']\s*)?\)\s*;?\s*\}/ nocase
        $req = /request\s*(\.\s*(item|form|querystring|cookies|params)\s*)?[(\[]/ nocase
    condition:
        filesize < 5MB and ($vb or $js) and $req
}

rule exh_jscript_net_service_eval
{
    meta:
        author = "exhunt"
        description = "JScript.NET handler, web service or page (.ashx/.asmx/.svc/.aspx) that calls eval on a variable or argument: the service method runs what it is sent"
        reference = "https://learn.microsoft.com/en-us/previous-versions/visualstudio/visual-studio-2010/b51a45x6(v=vs.100)"
        reference2 = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-12-08"
    strings:
        $dir = /<%@\s*(WebHandler|WebService|ServiceHost|Page)\s[^>]{0,200}Language\s*=\s*["']?\s*J(ava)?Script/ nocase
        $eval = /[^.\w]eval\s*\(\s*[a-z_][\w.\[\]"']{0,60}\s*[,)]/ nocase
    condition:
        filesize < 2MB and $dir and $eval
}

rule exh_dotnet_type_or_assembly_from_request
{
    meta:
        author = "exhunt"
        description = "ASP.NET code that loads an assembly, resolves a type or creates an instance from what the request names or sends (attacker-supplied class instantiation)"
        reference = "https://attack.mitre.org/techniques/T1620/"
        reference2 = "https://learn.microsoft.com/en-us/dotnet/api/system.activator.createinstance"
        license = "Apache-2.0"
        score = 90
        severity = "critical"
        date = "2026-12-08"
    strings:
        $x = /(Activator\s*\.\s*CreateInstance|\.\s*CreateInstance|Type\s*\.\s*GetType|Assembly\s*\.\s*(Load|LoadFrom|LoadFile|UnsafeLoadFrom)|\.\s*InvokeMember|AppDomain\s*\.\s*CurrentDomain\s*\.\s*Load)\s*\([^;{}]{0,160}(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|Files|BinaryRead|InputStream)\s*)?[\[(.]/ nocase
    condition:
        filesize < 5MB and $x
}

rule exh_dotnet_assembly_load_invoke_request
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that reads the request, loads an assembly from bytes and instantiates or invokes code from it (in-memory payload loader)"
        reference = "https://attack.mitre.org/techniques/T1620/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-074a"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-12-08"
    strings:
        $load = /(Assembly|CurrentDomain)\s*\.\s*Load\s*\(/ nocase
        $load2 = /GetMethod\s*\(\s*["']Load["']/ nocase
        $use1 = /\.\s*CreateInstance\s*\(/ nocase
        $use2 = /\.\s*Invoke\s*\(/ nocase
        $use3 = /\.\s*GetMethod\s*\(/ nocase
        $use4 = /\.\s*EntryPoint\b/ nocase
        $use5 = /\.\s*Equals\s*\(\s*(this|context|Context)\b/
        $req1 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|Files)\s*)?[\[(]/ nocase
        $req2 = /Request\s*\.\s*(BinaryRead|InputStream|Files)/ nocase
        $srv = /<%@\s*(Page|WebHandler|WebService|ServiceHost|Control)\b/ nocase
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 5MB and any of ($srv*) and any of ($load*) and any of ($use*) and any of ($req*)
}

rule exh_dotnet_deserialize_request
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that deserializes request data with a type-carrying formatter (BinaryFormatter, LosFormatter, ObjectStateFormatter, SoapFormatter, NetDataContractSerializer): code execution by gadget"
        reference = "https://learn.microsoft.com/en-us/dotnet/standard/serialization/binaryformatter-security-guide"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $fmt = /(BinaryFormatter|LosFormatter|ObjectStateFormatter|SoapFormatter|NetDataContractSerializer)/
        $des = /Deserialize\s*\([^;]{0,200}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies|InputStream|BinaryRead)\s*)?[\[(.]/ nocase
        $srv = /<%@\s*(Page|WebHandler|WebService|ServiceHost)\b/ nocase
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 2MB and $fmt and $des and any of ($srv*)
}

rule exh_dotnet_runtime_handler_injection
{
    meta:
        author = "exhunt"
        description = "Page or handler that registers request handling at run time (virtual path provider, route, HTTP module through reflection on private fields): an in-memory (file-less) web shell injector"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        reference2 = "https://learn.microsoft.com/en-us/dotnet/api/system.web.hosting.hostingenvironment.registervirtualpathprovider"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $dir = /<%@\s*(Page|WebHandler|WebService|ServiceHost)\b/ nocase
        $reg1 = "RegisterVirtualPathProvider"
        $reg2 = /RouteTable\s*\.\s*Routes\s*\.\s*(Insert|Add|Clear)\s*\(/
        $reg3 = /DynamicModuleUtility\s*\.\s*RegisterModule/
        $reg4 = /BindingFlags\s*\.\s*NonPublic/
        $tgt1 = /GetField\s*\(\s*["']_?\w{0,30}(module|handler|route|provider|event)\w{0,30}["']/ nocase
        $tgt2 = /(HttpApplication|HttpRuntime|HostingEnvironment|BuildManager|ApplicationInstance)/
        $act1 = /Assembly\s*\.\s*Load\s*\(/
        $act2 = "ProcessStartInfo"
        $act3 = "CompileAssemblyFromSource"
        $act4 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers)\s*)?[\[(]/
        $act6 = /Request\s*\.\s*(InputStream|BinaryRead|Cookies)/
        $act5 = "FromBase64String"
    condition:
        filesize < 2MB and $dir and any of ($act*) and
        (any of ($reg1, $reg2, $reg3) or ($reg4 and $tgt1 and $tgt2))
}

rule exh_upload_saveas_request_path
{
    meta:
        author = "exhunt"
        description = "Uploaded file saved (SaveAs / SaveToFile / CopyTo) to a path taken from the request: the visitor chooses where a file lands on the server"
        reference = "https://attack.mitre.org/techniques/T1105/"
        reference2 = "https://learn.microsoft.com/en-us/dotnet/api/system.web.httppostedfile.saveas"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $x = /(SaveAs|SaveToFile)[\s(]{1,10}[^,;\r\n]{0,120}Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies)\s*)?[\[(]\s*["']/ nocase
    condition:
        filesize < 2MB and $x
}

rule exh_upload_only_page
{
    meta:
        author = "exhunt"
        description = "Small page whose job is to save an uploaded file under the name and folder the visitor gives, with no type check (upload-only web shell)"
        reference = "https://attack.mitre.org/techniques/T1105/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa22-055a"
        license = "Apache-2.0"
        score = 65
        severity = "medium"
        date = "2026-12-08"
    strings:
        $save = /\.\s*SaveAs\s*\(/ nocase
        $file1 = "PostedFile" nocase
        $file2 = /Request\s*\.\s*Files/ nocase
        $file3 = /\.\s*FileName\b/ nocase
        $path1 = /\.\s*(Text|Value)\s*[+)]/
        $path2 = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[(]/ nocase
        $path3 = /Server\s*\.\s*MapPath\s*\(\s*["']\.?["']?\s*\)/ nocase
        $check1 = /GetExtension|EndsWith|ContentType|AllowedExtensions|\.ext\b/ nocase
        $check2 = /Guid\s*\.\s*NewGuid/ nocase
    condition:
        filesize < 6KB and $save and any of ($file*) and any of ($path*) and not any of ($check*)
}

rule exh_db_connection_or_query_from_request
{
    meta:
        author = "exhunt"
        description = "Database connection string or whole SQL statement taken from the request (MSSQL, MySQL, Access/OLE DB, ODBC): a web database manager or dumper"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        reference2 = "https://learn.microsoft.com/en-us/sql/ado/reference/ado-api/open-method-ado-connection"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-12-08"
    strings:
        $net = /new\s+([\w.]{1,40}\.)?(Sql|OleDb|Odbc|MySql|Oracle|SQLite|Npgsql)(Connection|Command|DataAdapter)\s*\(\s*(\w{1,20}\s*\(\s*)?(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[(]/ nocase
        $prop = /\.\s*(ConnectionString|CommandText)\s*=\s*(\w{1,20}\s*\(\s*)?(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[(]/ nocase
        $asp = /\.\s*(Open|Execute)\s*[\s(]\s*(trim\s*\(\s*|cstr\s*\(\s*)?request\s*(\.\s*(form|querystring|item)\s*)?\(/ nocase
        $conn = /(ADODB\s*\.\s*(Connection|Recordset)|SqlConnection|OleDbConnection|OdbcConnection|MySqlConnection)/ nocase
    condition:
        filesize < 2MB and $conn and any of ($net, $prop, $asp)
}

rule exh_dotnet_process_args_from_input
{
    meta:
        author = "exhunt"
        description = "ASP.NET code that sets the program or arguments of a process from request data or a text box: command execution for the visitor"
        reference = "https://attack.mitre.org/techniques/T1059/003/"
        reference2 = "https://learn.microsoft.com/en-us/dotnet/api/system.diagnostics.processstartinfo"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-12-08"
    strings:
        $set = /(FileName|Arguments)\s*=\s*[^;\r\n]{0,100}(Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies)\s*)?[\[(]|\w\.Text\b)/
        $start = /Process\s*\.\s*Start\s*\(\s*[^;\r\n]{0,100}(Request\s*(\.\s*(Item|Form|QueryString|Params|Headers|Cookies)\s*)?[\[(]|\w\.Text\b)/
        $proc = /(ProcessStartInfo|Process\s*\.\s*Start|new\s+Process\s*\()/
    condition:
        filesize < 2MB and $proc and ($set or $start)
}

rule exh_dotnet_port_scanner_page
{
    meta:
        author = "exhunt"
        description = "Page that opens TCP connections in a loop to hosts or ports the visitor gives (port scanner run from the web server)"
        reference = "https://attack.mitre.org/techniques/T1046/"
        license = "Apache-2.0"
        score = 70
        severity = "medium"
        date = "2026-12-08"
    strings:
        $sock1 = /new\s+(System\.Net\.Sockets\.)?TcpClient\s*\(/
        $sock2 = /new\s+(System\.Net\.Sockets\.)?Socket\s*\(/
        $conn = /\.\s*(Connect|BeginConnect|ConnectAsync)\s*\(/
        $loop = /(for|foreach|while)\s*\(/
        $port = /port/ nocase
        $split = /Split\s*\(\s*['"][,\-]['"]/
        $in1 = /Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[(]/
        $in2 = /\w\.Text\b/
        $srv = /<%@\s*(Page|WebHandler|WebService)\b/ nocase
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 1MB and any of ($srv*) and any of ($sock*) and $conn and $loop and $split and #port >= 3 and any of ($in*)
}

rule exh_dotnet_decrypt_request_reflect
{
    meta:
        author = "exhunt"
        description = "ASP.NET code that decrypts or decodes what the request sends and runs it through reflection (GetMethod/Invoke/CreateInstance): encrypted in-memory payload loader (Godzilla/Behinder-like)"
        reference = "https://attack.mitre.org/techniques/T1620/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-074a"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-12-08"
    strings:
        $dec1 = "CreateDecryptor"
        $dec2 = "TransformFinalBlock"
        $dec3 = "FromBase64String"
        $dec4 = /\^\s*\w{1,20}\s*\[\s*\w{1,20}\s*[%&]/
        $req1 = /Request\s*\.\s*(InputStream|BinaryRead|Cookies|Files)/
        $req2 = /Request\s*(\.\s*(Item|Form|QueryString|Params|Headers)\s*)?[\[(]/
        $ref1 = /\.\s*GetMethod\s*\(/
        $ref2 = /Type\s*\.\s*GetType\s*\(/
        $ref3 = /\.\s*CreateInstance\s*\(/
        $ref4 = /Assembly\s*\.\s*Load\s*\(/
        $ref5 = "System.Reflection"
        $inv = /\.\s*(Invoke|InvokeMember|CreateInstance)\s*\(/
        $srv = /<%@\s*(Page|WebHandler|WebService|ServiceHost|Control)\b/ nocase
        $srv2 = /<script[^>]{0,80}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 5MB and any of ($srv*) and any of ($dec*) and any of ($req*) and 2 of ($ref*) and $inv
}

rule exh_asp_shell_object_by_clsid
{
    meta:
        author = "exhunt"
        description = "Classic ASP page creating a command-shell or shell-automation object by CLSID or ProgID in a server-side <object> tag (WScript.Shell, Shell.Application), which hides CreateObject from review"
        reference = "https://learn.microsoft.com/en-us/previous-versions/iis/6.0-sdk/ms524641(v=vs.90)"
        reference2 = "https://attack.mitre.org/techniques/T1059/005/"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-12-08"
    strings:
        $obj = /<object[^>]{0,200}runat\s*=\s*["']?server[^>]{0,200}(clsid:\s*(72C24DD5-D70A-438B-8A42-98424B88AFB8|F935DC22-1CF0-11D0-ADB9-00C04FD58A0B|13709620-C279-11CE-A49E-444553540000)|progid\s*=\s*["']?(WScript\.Shell|Shell\.Application))/ nocase
        $obj2 = /<object[^>]{0,200}(clsid:\s*(72C24DD5-D70A-438B-8A42-98424B88AFB8|F935DC22-1CF0-11D0-ADB9-00C04FD58A0B|13709620-C279-11CE-A49E-444553540000)|progid\s*=\s*["']?(WScript\.Shell|Shell\.Application))[^>]{0,200}runat\s*=\s*["']?server/ nocase
    condition:
        filesize < 5MB and any of them
}

rule exh_vb_shell_textbox_or_request
{
    meta:
        author = "exhunt"
        description = "VB.NET page calling Shell() / Interaction.Shell with a command line that includes request data or a text box: command execution for the visitor"
        reference = "https://learn.microsoft.com/en-us/dotnet/api/microsoft.visualbasic.interaction.shell"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-12-08"
    strings:
        $shell = /(^|[^.\w]|Interaction\s*\.\s*)Shell\s*\(\s*[^\r\n]{0,80}&\s*(Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[(]|\w{1,40}\s*\.\s*Text\b)/ nocase
        $vb = /Language\s*=\s*["']?\s*VB/ nocase
    condition:
        filesize < 2MB and $shell and $vb
}

rule exh_asp_createobject_assembled_progid
{
    meta:
        author = "exhunt"
        description = "Classic ASP CreateObject whose ProgID is computed (Join/StrReverse/Replace/Chr of pieces) rather than written: hides WScript.Shell, Shell.Application or FileSystemObject from review"
        reference = "https://attack.mitre.org/techniques/T1027/"
        reference2 = "https://learn.microsoft.com/en-us/previous-versions/iis/6.0-sdk/ms524620(v=vs.90)"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-12-08"
    strings:
        $x = /CreateObject\s*\(\s*(Join\s*\(\s*Array|StrReverse|Replace\s*\(\s*["']|Chrw?\s*\(\s*\d)/ nocase
    condition:
        filesize < 5MB and $x
}
