<%@ Page language="c#" AutoEventWireup="false" Inherits="Microsoft.Exchange.HttpProxy.expiredpassword" %>
<%-- Example evidence for exhunt: a stand-in for the stock Outlook on the web page expiredpassword.aspx. --%>
<!DOCTYPE html>
<html><head><title>Outlook</title></head><body><div id="expiredpassword"></div></body></html>
