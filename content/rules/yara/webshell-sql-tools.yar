/*
 * Database tools dropped as pages: web SQL clients, catalog browsers and data dumpers that
 * take the server, credentials or SQL text from the visitor. Written for exhunt.
 * YARA 4.2 and YARA-X syntax.
 */

rule exh_dotnet_sql_client_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that opens a database with a connection string typed by the visitor and runs SQL they type (web SQL client / data dumper)"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
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

rule exh_sql_catalog_browser_page
{
    meta:
        author = "exhunt"
        description = "Server-side page that enumerates every database/table of the server (sysdatabases, MSysObjects, OpenSchema) for the visitor: web SQL manager or data dumper"
        reference = "https://attack.mitre.org/techniques/T1005/"
        license = "Apache-2.0"
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

rule exh_dotnet_db_credentials_from_visitor
{
    meta:
        author = "exhunt"
        description = "ASP.NET page building a database connection string from a password the visitor supplies, and writing query results to a file or the response (web database client / dumper)"
        reference = "https://attack.mitre.org/techniques/T1005/"
        license = "Apache-2.0"
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
