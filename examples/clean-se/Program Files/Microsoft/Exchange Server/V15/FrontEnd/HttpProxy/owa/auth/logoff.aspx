<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.logoff" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page logoff.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="logoff"></div></body></html>
