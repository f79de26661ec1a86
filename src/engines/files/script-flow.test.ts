import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execDataFlow, scriptDataFlows } from './script-flow.js';
import { scriptBehaviours } from './builtin.js';
import { hashBuffer } from './content.js';

// Samples are cut with `¦` so that no complete shell sits in the repository; joined at test time.
const j = (s: string): string => s.replace(/¦/g, '');

void describe('execDataFlow (request data or assembled code reaching Execute/Eval)', () => {
  void it('follows request data through variables to Execute', () => {
    const t = j('<%\nDim a, b\na = Req¦uest("p")\nb = a\nExe¦cute b\n%>');
    const h = execDataFlow(t);
    assert.equal(h?.source, 'request');
    assert.deepEqual(h?.chain, ['a', 'b']);
    assert.equal(t.slice(h?.execOffset ?? 0).startsWith('Exe' + 'cute b'), true);
    assert.equal(t.slice(h?.sourceOffset ?? 0).startsWith('a = '), true);
  });

  void it('sees a one-line shell with a colon-separated assignment (under 40 bytes)', () => {
    const t = j('<%x=requ¦est("k"):exe¦cute x%>');
    assert.ok(t.length < 40);
    assert.equal(execDataFlow(t)?.source, 'request');
  });

  void it('follows server-side JScript eval of a request variable', () => {
    assert.equal(execDataFlow(j('<%@ Language="JScript" %><% var c = Req¦uest.Form("z") + ""; var d = c; ev¦al(d); %>'))?.source, 'request');
  });

  void it('sees code spelled from pieces, char codes and Join before it runs', () => {
    assert.equal(execDataFlow(j('<% p = "e" & "v" & "a" & "l"\nc = p & "(x)"\nExe¦cute(c) %>'))?.source, 'assembled');
    assert.equal(execDataFlow(j('<% a = Array(69,120,101,99,117,116,101,40,41)\nFor i = 0 To UBound(a)\ns = s & Ch¦r(a(i))\nNext\nExe¦cute s %>'))?.source, 'assembled');
    assert.equal(execDataFlow(j('<% q = Jo¦in(Split(cfg, "!"), "")\nExe¦cuteGlobal q %>'))?.source, 'assembled');
  });

  void it('leaves plugin hooks, templates and JSON parsing alone', () => {
    // a hook variable filled by another file, next to an unrelated request read
    assert.equal(execDataFlow('<%\nact = Request.QueryString("act")\nIf Not IsEmpty(sAction_Plugin_Begin) Then Call Execute(sAction_Plugin_Begin)\n%>'), null);
    // request data spliced into a code template (dispatch): the template rules judge that
    assert.equal(execDataFlow('<%\nn = Request("n")\nExecute "Call Show_" & n & "()"\n%>'), null);
    // server-side JSON parse by eval of a string built with Replace
    assert.equal(execDataFlow('<script language="javascript" runat="server">function p(s){ s = s.replace(/x/g, ""); return eval("(" + s + ")"); }</script>'), null);
    // a variable of the same name assigned from the request far away (another function)
    const far = `<%\nFunction A()\n  s = Request("s")\nEnd Function\n${"' filler\n".repeat(600)}Function B()\n  Execute s\nEnd Function\n%>`;
    assert.equal(execDataFlow(far), null);
    // conn.Execute is a database call, not code execution
    assert.equal(execDataFlow('<% id = Request("id")\nsql = "DELETE FROM t WHERE id=" & CLng(id)\nconn.Execute sql %>'), null);
    // no server-side code at all
    assert.equal(execDataFlow('a = Request("x")\neval(a)'), null);
  });

  void it('is linear on large input (a 4 MiB cap, bounded passes)', () => {
    const big = '<% ' + 'x = x & "a"\n'.repeat(400_000) + 'Execute y %>';
    assert.equal(execDataFlow(big), null);
  });
});

void describe('scriptBehaviours (built-in finding with behaviour, offsets and severity)', () => {
  const content = (t: string) => {
    const buf = Buffer.from(t, 'latin1');
    return { buf, hashes: hashBuffer(buf), complete: true, bytes: buf.length };
  };
  void it('request data to Execute is critical and names the chain and offsets', () => {
    const [h] = scriptBehaviours(content(j('<%\na = Req¦uest("p")\nb = a\nExe¦cute b\n%>')));
    assert.equal(h?.ruleId, 'exhunt:asp-exec-request-dataflow');
    assert.equal(h?.severity, 'critical');
    assert.match(h?.reason ?? '', /a → b/);
    assert.match(h?.reason ?? '', /offset \d+/);
  });
  void it('assembled code is high', () => {
    const [h] = scriptBehaviours(content(j('<% p = "e" & "v" & "a" & "l"\nExe¦cute(p) %>')));
    assert.equal(h?.ruleId, 'exhunt:asp-exec-assembled-dataflow');
    assert.equal(h?.severity, 'high');
  });
  void it('a forum set-up page writing its config raises nothing', () => {
    assert.deepEqual(scriptBehaviours(content('<%\ndb = Request.Form("db")\nSet t = fso.CreateTextFile(Server.MapPath("config.asp"), True)\nt.WriteLine "Const DB = " & Chr(34) & db & Chr(34)\nt.Close\n%>')), []);
  });
});

void describe('scriptDataFlows (processes and file paths)', () => {
  void it('request data in the command line of a shell object (also one made by CLSID)', () => {
    const t = j('<object runat=server id=o scope=page classid="clsid:72C24D¦D5-D70A-438B-8A42-98424B88AFB8"></object>\n<% c = Req¦uest.Form("c")\nline = "cm¦d /c " & c\no.R¦un line, 0, True %>');
    const h = scriptDataFlows(t).find((x) => x.sink === 'process');
    assert.equal(h?.source, 'request');
    assert.deepEqual(h?.chain, ['c', 'line']);
  });
  void it('request data as paths of two kinds of file operation, outside Server.MapPath', () => {
    const t = j('<% Set fs = CreateObject("Scripting.FileSystemObject")\np = Req¦uest("path")\nIf Request("op") = "del" Then fs.Delete¦Folder p, True\nIf Request("op") = "md" Then fs.Create¦Folder p %>');
    assert.equal(scriptDataFlows(t).find((x) => x.sink === 'file')?.source, 'request');
  });
  void it('leaves one upload save, Server.MapPath paths, literal folders and the app\'s own path mapping alone', () => {
    assert.deepEqual(scriptDataFlows('<% n = Request("n")\nup.SaveToFile n %>'), []);
    assert.deepEqual(scriptDataFlows('<% p = Server.MapPath("/data/" & Request("n"))\nfs.DeleteFile p\nfs.CreateFolder p %>'), []);
    assert.deepEqual(scriptDataFlows('<% n = Request("n")\nfs.CreateFolder "article/" & n\nfs.DeleteFile "cache/" & n & ".asp" %>'), []);
    assert.deepEqual(scriptDataFlows('<% d = Split(Request.Form("ids"), ",")\nfs.MoveFile Alias(d(0)), "bin/"\nfs.DeleteFile(Alias(d(1))) %>'), []);
    // a Run method of something that is not a shell object
    assert.deepEqual(scriptDataFlows('<% job = Request("job")\nscheduler.Run job %>'), []);
  });
});
