<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.errorFE" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page errorFE.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="errorFE"></div></body></html>
