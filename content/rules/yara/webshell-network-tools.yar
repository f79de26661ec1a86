/*
 * Network and recon tools dropped as pages: HTTP tunnels and socket relays (reGeorg /
 * Neo-reGeorg style), raw-socket sniffers, writable-folder probes. Written for exhunt.
 * YARA 4.2 and YARA-X syntax.
 */

rule exh_tunnel_socket_http
{
    meta:
        author = "exhunt"
        description = "HTTP-to-TCP tunnel page (reGeorg / Neo-reGeorg style): raw sockets driven by request headers or CONNECT/FORWARD/READ commands"
        reference = "https://attack.mitre.org/techniques/T1090/001/"
        reference2 = "https://www.cisa.gov/news-events/cybersecurity-advisories/aa22-277a"
        license = "Apache-2.0"
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

rule exh_raw_socket_sniffer_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page opening a raw IP socket in promiscuous mode (SIO_RCVALL): network sniffer run from the web server"
        reference = "https://learn.microsoft.com/en-us/windows/win32/winsock/sio-rcvall"
        reference2 = "https://attack.mitre.org/techniques/T1040/"
        license = "Apache-2.0"
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
        license = "Apache-2.0"
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

rule exh_dotnet_socket_relay_page
{
    meta:
        author = "exhunt"
        description = "ASP.NET page that keeps a TCP socket in Session/Application state and connects it where the request says (HTTP tunnel / SOCKS relay, Neo-reGeorg style)"
        reference = "https://attack.mitre.org/techniques/T1090/001/"
        license = "Apache-2.0"
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
