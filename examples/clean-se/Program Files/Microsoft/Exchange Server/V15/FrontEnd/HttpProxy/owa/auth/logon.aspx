<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.logon" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page logon.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="logon"></div></body></html>
