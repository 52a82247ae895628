import { describe, expect, test } from "bun:test";
import { formatMessage, type Mentionable, mentionedHandles, mentionHandle, plainExcerpt } from "./format";

const ada: Mentionable = { id: "u-ada", name: "Ada Lovelace", handle: "ada" };
const zoe: Mentionable = { id: "u-zoe", name: "Zoë O'Brien", handle: "zoëobrien" };
const members = [ada, zoe];

/** The HTML of a link whose text is its URL, or `text` when given (both as they appear in the HTML, escaped). */
const link = (href: string, text = href) => `<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${text}</a>`;
const format = (text: string) => formatMessage(text, members);

// The only tags formatMessage may write; anything else that looks like markup means something got through unescaped.
const ALLOWED_TAG =
  /<(?:\/?(?:strong|em|code|pre|blockquote)|br|\/a|\/span|a href="https?:\/\/[^"<>]*" rel="noopener noreferrer nofollow" target="_blank"|span class="mention" data-user-id="[^"<>]*")>/g;

function expectSafe(html: string) {
  const outsideTags = html.replace(ALLOWED_TAG, "");
  expect(outsideTags).not.toMatch(/[<>"']/);
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href!).toMatch(/^https?:\/\//i);
}

describe("mentionHandle", () => {
  test.each([
    ["Ada", "ada"],
    ["Zoë O'Brien", "zoëobrien"],
    ["Zoe\u0308 Smith", "zoësmith"], // decomposed ë, composed first
    ["  Jean-Luc Picard 2 ", "jeanlucpicard2"],
    ["Ægir Þór", "ægirþór"],
    ["李小龍", "李小龍"],
    ["🙂", "user"],
    ["", "user"],
  ])("%p -> %p", (name, handle) => expect(mentionHandle(name)).toBe(handle));
});

describe("mentionedHandles", () => {
  test.each([
    ["hi @Ada and @bob.", ["ada", "bob"]],
    ["@bob @ada @BOB @Ada!", ["bob", "ada"]],
    ["mail a@b.com or x1@y", []],
    ["(@ada) **@bob** _@carl_ >@dan", ["ada", "bob", "carl", "dan"]],
    ["`@ada` and ``@bob``", []],
    ["```\n@ada\n```\n@bob", ["bob"]],
    ["> @ada quoted", ["ada"]],
    ["@zoëobrien @Zoe\u0308OBrien", ["zoëobrien"]],
    ["https://x.com/@ada and [@bob](https://x.com)", []],
    ["@ alone, @@ada, @_x", ["ada"]],
    ["", []],
  ])("%p -> %p", (text, handles) => expect(mentionedHandles(text)).toEqual(handles));
});

describe("formatMessage: the Markdown subset", () => {
  test.each([
    ["plain text", "plain text"],
    ["**bold**", "<strong>bold</strong>"],
    ["*italic* and _italic_", "<em>italic</em> and <em>italic</em>"],
    ["**bold _and italic_**", "<strong>bold <em>and italic</em></strong>"],
    ["_italic **and bold**_", "<em>italic <strong>and bold</strong></em>"],
    ["***both***", "<em><strong>both</strong></em>"],
    ["snake_case_names and _my_var_", "snake_case_names and <em>my_var</em>"],
    ["**not closed", "**not closed"],
    ["a lone * star", "a lone * star"],
    ["2 * 3 * 4", "2 * 3 * 4"],
    ["**a*", "*<em>a</em>"],
    ["*a _b* c_", "<em>a _b</em> c_"],
    ["use `x < y` here", "use <code>x &lt; y</code> here"],
    ["`**not bold** [x](https://a.com)`", "<code>**not bold** [x](https://a.com)</code>"],
    ["``a ` b``", "<code>a ` b</code>"],
    ["unclosed ` tick", "unclosed ` tick"],
    ["line one\nline two\r\nline three", "line one<br>line two<br>line three"],
    ["```\nconst a = b && c < d;\n**x**\n```", "<pre><code>const a = b &amp;&amp; c &lt; d;\n**x**</code></pre>"],
    ["before\n```ts\nlet x = 1;\n```\nafter", "before<pre><code>let x = 1;</code></pre>after"],
    ["```\nnever closed", "```<br>never closed"],
    ["> quoted *text*\n> more\nreply", "<blockquote>quoted <em>text</em><br>more</blockquote>reply"],
    ["> one\n\n> two", "<blockquote>one</blockquote><blockquote>two</blockquote>"],
    ["\n\nhi\n\nthere\n \n> q\n\n```\nx\n```\n\n", "hi<br><br>there<blockquote>q</blockquote><pre><code>x</code></pre>"],
    [">no space is not a quote", "&gt;no space is not a quote"],
    ["see https://example.com.", `see ${link("https://example.com")}.`],
    ["http://a.com/x?y=1&z=2, ok", `${link("http://a.com/x?y=1&amp;z=2")}, ok`],
    ["https://en.wikipedia.org/wiki/Foo_(bar)", link("https://en.wikipedia.org/wiki/Foo_(bar)")],
    ["(see https://a.com/x)", `(see ${link("https://a.com/x")})`],
    ["wow https://a.com/x!?", `wow ${link("https://a.com/x")}!?`],
    ["**https://a.com**", `<strong>${link("https://a.com")}</strong>`],
    ["[the docs](https://a.com/docs?q=1)", link("https://a.com/docs?q=1", "the docs")],
    ["[**not bold**](https://a.com)", link("https://a.com", "**not bold**")],
    ["[https://evil.com](https://a.com)", link("https://a.com", "https://evil.com")],
    ["[](https://a.com)", `[](${link("https://a.com")})`],
    ["xhttps://a.com", "xhttps://a.com"],
    ["hi @ada and @Ada", 'hi <span class="mention" data-user-id="u-ada">@Ada Lovelace</span> and <span class="mention" data-user-id="u-ada">@Ada Lovelace</span>'],
    ["@ZoëOBrien!", '<span class="mention" data-user-id="u-zoe">@Zoë O&#39;Brien</span>!'],
    ["@nobody and ada@example.com", "@nobody and ada@example.com"],
    ["@adam is not @ada", '@adam is not <span class="mention" data-user-id="u-ada">@Ada Lovelace</span>'],
    ["**@ada**", '<strong><span class="mention" data-user-id="u-ada">@Ada Lovelace</span></strong>'],
  ])("%p", (text, html) => {
    expect(format(text)).toBe(html);
    expectSafe(html);
  });

  test("mentions resolve against the members given, case-insensitively, and escape the name and id", () => {
    const odd: Mentionable = { id: 'x"><script>', name: "<b>Bob</b> & co", handle: "Bob" };
    expect(formatMessage("@BOB", [odd])).toBe('<span class="mention" data-user-id="x&quot;&gt;&lt;script&gt;">@&lt;b&gt;Bob&lt;/b&gt; &amp; co</span>');
    expect(formatMessage("@ada", [])).toBe("@ada");
  });
});

// What an attacker might type, and exactly what comes out.
const ATTACKS: [string, string][] = [
  ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
  ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
  ['"><svg/onload=alert(1)>', "&quot;&gt;&lt;svg/onload=alert(1)&gt;"],
  ["<scr<script>ipt>alert(1)</script>", "&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;"],
  ["&lt;script&gt;alert(1)&lt;/script&gt;", "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;"],
  ["&#60;script&#62; &#x3C;", "&amp;#60;script&amp;#62; &amp;#x3C;"],
  ["[x](javascript:alert(1))", "[x](javascript:alert(1))"],
  ["[x](JaVaScRiPt:alert(1))", "[x](JaVaScRiPt:alert(1))"],
  ["[x](&#106;avascript:alert(1))", "[x](&amp;#106;avascript:alert(1))"],
  ["[x](java\tscript:alert(1))", "[x](java\tscript:alert(1))"],
  ["[x](vbscript:msgbox(1))", "[x](vbscript:msgbox(1))"],
  ["[x](data:text/html;base64,PHNjcmlwdD4=)", "[x](data:text/html;base64,PHNjcmlwdD4=)"],
  ["[x](data:text/html,<script>alert(1)</script>)", "[x](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)"],
  ["[x](//evil.com)", "[x](//evil.com)"],
  ["[x](/relative/path)", "[x](/relative/path)"],
  ["[x](https:evil.com)", "[x](https:evil.com)"],
  ["[x](https:/\\evil.com)", "[x](https:/\\evil.com)"],
  ["[x](http://)", "[x](http://)"],
  ["javascript:alert(1)", "javascript:alert(1)"],
  ["[x](javascript://https://a.com)", `[x](javascript://${link("https://a.com")})`],
  ['[x](https://a.com" onmouseover="alert(1))', `[x](${link("https://a.com")}&quot; onmouseover=&quot;alert(1))`],
  ['[x](https://a.com"onmouseover="alert(1))', `[x](${link("https://a.com")}&quot;onmouseover=&quot;alert(1))`],
  ['https://a.com/"><script>alert(1)</script>', `${link("https://a.com/")}&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;`],
  ["https://a.com/'onmouseover='alert(1)'", `${link("https://a.com/&#39;onmouseover=&#39;alert(1)")}&#39;`],
  ["[it's](https://a.com/it's)", link("https://a.com/it&#39;s", "it&#39;s")],
  ["https://a.com/<img src=x onerror=alert(1)>", `${link("https://a.com/")}&lt;img src=x onerror=alert(1)&gt;`],
  ["[<img src=x onerror=alert(1)>](https://a.com)", link("https://a.com", "&lt;img src=x onerror=alert(1)&gt;")],
  ["[x [y](https://b.com)](https://a.com)", `[x ${link("https://b.com", "y")}](${link("https://a.com")})`],
  ["[[x](javascript:alert(1))](https://a.com)", `[[x](javascript:alert(1))](${link("https://a.com")})`],
  ["[x](https://a.com)(javascript:alert(1))", `${link("https://a.com", "x")}(javascript:alert(1))`],
  ["[`x`](javascript:alert(1))", "[<code>x</code>](javascript:alert(1))"],
  ["`</code><script>alert(1)</script>`", "<code>&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>"],
  ["```\n</code></pre><script>alert(1)</script>\n```", "<pre><code>&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>"],
  ["> <script>alert(1)</script>", "<blockquote>&lt;script&gt;alert(1)&lt;/script&gt;</blockquote>"],
  ["**<b onclick=alert(1)>x</b>**", "<strong>&lt;b onclick=alert(1)&gt;x&lt;/b&gt;</strong>"],
  ["@<script>alert(1)</script>", "@&lt;script&gt;alert(1)&lt;/script&gt;"],
  ["＜script＞alert(1)＜/script＞", "＜script＞alert(1)＜/script＞"],
  ["\u202egnp.exe <b>", "\u202egnp.exe &lt;b&gt;"],
  ["https://exаmple.com/ (Cyrillic а)", `${link("https://exаmple.com/")} (Cyrillic а)`],
  ["<a href=\"javascript:alert(1)\">x</a>", "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
  ["<!-- x --><![CDATA[y]]>", "&lt;!-- x --&gt;&lt;![CDATA[y]]&gt;"],
];

describe("formatMessage: attacks", () => {
  test.each(ATTACKS)("%p", (text, html) => {
    const out = format(text);
    expect(out).toBe(html);
    expectSafe(out);
    expect(out.toLowerCase()).not.toContain("<script");
    expect(out).not.toMatch(/<[^>]*\son\w+=/i);
    expect(out).not.toMatch(/href="\s*javascript:/i);
  });

  test("random mixes of dangerous fragments never produce anything but the allowed markup", () => {
    const fragments = ["<", ">", '"', "'", "&", "*", "**", "_", "`", "```", "\n", "> ", "[", "]", "(", ")", "@ada", "@", " ",
      "x", "javascript:", "https://", "a.com", "//", "<script>", "onerror=", "&lt;", "\t", "é", "🙂"];
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let run = 0; run < 500; run++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 40) }, () => fragments[Math.floor(random() * fragments.length)]!).join("");
      expectSafe(format(text));
    }
  });

  test("adversarial 10,000-character inputs are handled (the scanner is linear; this would hang if it were not)", () => {
    const patterns = ["*_[`@", "[](", "**_", "`", "``` ", "[a](", "(((", "http:///", "http://:/", "@a@", "_a", "*a ", "[a]("];
    for (const pattern of patterns) {
      const text = pattern.repeat(Math.ceil(10_000 / pattern.length)).slice(0, 10_000);
      expectSafe(format(text));
      expect(format(`${text}\n${text}`)).toContain("<br>");
      mentionedHandles(text);
      plainExcerpt(text);
    }
    const lines = Array.from({ length: 5_000 }, (_, i) => (i % 2 ? "```ts" : "> *")).join("\n");
    expectSafe(format(lines));
  });
});

describe("plainExcerpt", () => {
  test.each([
    ["**Hello** _world_, `code` [the docs](https://a.com) https://b.com", "Hello world, code the docs https://b.com"],
    ["> quoted\nreply\n\n\n  more   space ", "quoted reply more space"],
    ["```ts\nlet x = 1;\n```\ndone", "let x = 1; done"],
    ["**unclosed and a * star", "**unclosed and a * star"],
    ["hi @Ada <b>", "hi @Ada <b>"],
    ["", ""],
  ])("%p -> %p", (text, excerpt) => expect(plainExcerpt(text)).toBe(excerpt));

  test("cuts at max characters (ellipsis included), by code point and without a space before the ellipsis", () => {
    expect(plainExcerpt("abcdef", 4)).toBe("abc…");
    expect(plainExcerpt("abcd", 4)).toBe("abcd");
    expect(plainExcerpt("ab cdef", 4)).toBe("ab…");
    expect(plainExcerpt("🙂🙂🙂🙂🙂", 3)).toBe("🙂🙂…");
    expect(plainExcerpt("a".repeat(200))).toBe(`${"a".repeat(139)}…`);
  });
});
