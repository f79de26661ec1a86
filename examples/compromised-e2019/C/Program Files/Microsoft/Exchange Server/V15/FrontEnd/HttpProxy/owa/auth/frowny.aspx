<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.frowny" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page frowny.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="frowny"></div></body></html>
