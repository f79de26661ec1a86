/*
 * Upload / file-write shells: the request chooses the path or the content of a file written
 * on the server. Written for exhunt. YARA 4.2 and YARA-X syntax.
 */

rule exh_write_file_request_path
{
    meta:
        author = "exhunt"
        description = "File written to a path taken straight from the request (SaveAs/StreamWriter/CreateTextFile/SaveToFile of Request data)"
        reference = "https://www.microsoft.com/en-us/security/blog/2021/02/11/web-shell-attacks-continue-to-rise/"
        reference2 = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 80
        severity = "high"
        date = "2026-11-27"
    strings:
        $w1 = /(SaveAs|StreamWriter|WriteAllText|WriteAllBytes|AppendAllText|CreateTextFile|OpenTextFile|SaveToFile|FileStream|CreateText|AppendText)\s*[\s(]\s*(Server\s*\.\s*MapPath\s*\(\s*)?(context\s*\.\s*|Page\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase
        $w2 = /new\s+(java\.io\.)?FileOutputStream\s*\([^;]{0,120}getParameter/ nocase
        $w3 = /\.\s*Write\s*\(?\s*Request\s*(\.\s*(Item|Form|QueryString)\s*)?[\[\(]/ nocase
        $fso = /(CreateTextFile|OpenTextFile|StreamWriter|FileStream|WriteAllText)/ nocase
        $w4 = /(WriteAllBytes|WriteAllText|AppendAllText)\s*\([^;]{0,200}(FromBase64String\s*\(\s*)?(context\s*\.\s*)?Request\s*(\.\s*(Item|Form|QueryString|Params)\s*)?[\[\(]/ nocase
    condition:
        filesize < 2MB and ($w1 or $w2 or $w4 or ($w3 and $fso))
}

rule exh_remote_download_dropper
{
    meta:
        author = "exhunt"
        description = "Classic ASP dropper: fetches content over HTTP (XMLHTTP) and writes it to disk with ADODB.Stream"
        reference = "https://attack.mitre.org/techniques/T1105/"
        license = "Apache-2.0"
        score = 75
        severity = "high"
        date = "2026-11-27"
    strings:
        $http = /(Microsoft|MSXML2)\s*\.\s*(Server)?XMLHTTP/ nocase
        $stream = /ADODB\s*\.\s*Stream/ nocase
        $save = "SaveToFile" nocase
        $body = "responseBody" nocase
        $save_script = /SaveToFile\s*[\s(]\s*["'][^"'\r\n]{1,200}\.(asp|aspx|asa|cer|cdx|ashx|asmx)["']/ nocase
        $save_req = /SaveToFile\s*[\s(]\s*(Server\s*\.\s*MapPath\s*\(\s*)?Request/ nocase
    condition:
        filesize < 100KB and $http and $stream and $save and $body and ($save_script or $save_req)
}

rule exh_upload_binary_request_save
{
    meta:
        author = "exhunt"
        description = "Raw request body parsed by hand and saved to disk: hand-rolled ASP upload shell"
        reference = "https://attack.mitre.org/techniques/T1505/003/"
        license = "Apache-2.0"
        score = 65
        severity = "medium"
        date = "2026-11-27"
    strings:
        $br = "Request.BinaryRead" nocase
        $tb = "Request.TotalBytes" nocase
        $stream = /ADODB\s*\.\s*Stream/ nocase
        $save = "SaveToFile" nocase
        $fso = /Scripting\s*\.\s*FileSystemObject/ nocase
        $browse = /\.\s*(GetFolder|SubFolders|DeleteFile|DeleteFolder|CopyFile|MoveFile)\b/ nocase
    condition:
        filesize < 500KB and $br and $tb and $stream and $save and $fso and #browse >= 3
}
