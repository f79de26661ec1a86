<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.signout" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page signout.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="signout"></div></body></html>
