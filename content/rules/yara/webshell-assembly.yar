/*
 * ASP.NET pages that load a .NET assembly from request data or an embedded base64 blob
 * (Behinder / Godzilla / in-memory loaders). Written for exhunt. YARA 4.2 and YARA-X syntax.
 */

rule exh_assembly_load_from_data
{
    meta:
        author = "exhunt"
        description = "Assembly.Load of bytes decoded from base64, decrypted or read from the request: in-memory .NET payload loader"
        reference = "https://www.microsoft.com/en-us/security/blog/2022/07/26/malicious-iis-extensions-quietly-open-persistent-backdoors-into-servers/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-074a"
        license = "Apache-2.0"
        score = 90
        severity = "critical"
        date = "2026-11-27"
    strings:
        $load1 = /Assembly\s*\.\s*Load\s*\(/ nocase
        $load2 = /System\s*\.\s*Reflection\s*\.\s*Assembly/ nocase
        $load3 = /\.\s*GetMethod\s*\(\s*["']Load["']/ nocase
        $src1 = "FromBase64String" nocase
        $src2 = "TransformFinalBlock" nocase
        $src3 = "Request.BinaryRead" nocase
        $src4 = "Request.InputStream" nocase
        $src5 = /Request\s*(\.\s*(Item|Form|Params)\s*)?\[/ nocase
        $src6 = "CreateDecryptor" nocase
        $src7 = "GZipStream" nocase
    condition:
        filesize < 5MB and any of ($load*) and any of ($src*) and
        (for any i in (1..#load1) : (for any of ($src*) : ($ in (@load1[i] - 300 .. @load1[i] + 600))) or
         (($load2 or $load3) and 2 of ($src*)))
}

rule exh_assembly_load_session_payload
{
    meta:
        author = "exhunt"
        description = "Assembly loaded once and kept in Session/Application state (the cached-payload pattern of Godzilla-like shells)"
        reference = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa23-074a"
        license = "Apache-2.0"
        score = 85
        severity = "high"
        date = "2026-11-27"
    strings:
        $load = /Assembly\s*\.\s*Load\s*\(/ nocase
        $sess = /(Session|Application)\s*\[\s*["'][^"']{1,40}["']\s*\]\s*=/ nocase
        $ci = /CreateInstance\s*\(/ nocase
    condition:
        filesize < 2MB and $load and $sess and $ci
}
